//! Earlier published Ory client specs (fixtures of `cargo xtask specs`, which builds their crates)
//! carry quirks the current one no longer has; the named normalisations repair them where they occur.

use generator::analyse::{analyse, Config};
use generator::ir::*;
use generator::load::load_file;
use std::path::PathBuf;

fn fixture(name: &str) -> (generator::load::LoadedSpec, generator::Analysis) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../xtask/tests/fixtures/specs")
        .join(name);
    let spec = load_file(&path).unwrap_or_else(|e| panic!("{name} loads: {e}"));
    let analysis =
        analyse(&spec.api, &Config::default()).unwrap_or_else(|e| panic!("{name} analyses: {e}"));
    (spec, analysis)
}

fn applied<'a>(spec: &'a generator::load::LoadedSpec, rule: &str) -> Vec<&'a str> {
    spec.normalisations
        .iter()
        .filter(|a| a.rule == rule)
        .map(|a| a.pointer.as_str())
        .collect()
}

#[test]
fn v1_1_0_bounds_on_strings_are_dropped_where_they_occur() {
    let (spec, _) = fixture("ory-client-v1.1.0.json");
    assert_eq!(
        applied(&spec, "drop_min_max_on_string"),
        [
            "/components/schemas/pagination/properties/page_token",
            "/components/schemas/tokenPagination/properties/page_token",
            "/components/schemas/tokenPaginationRequestParameters/properties/page_token",
            "/paths/~1admin~1clients/get/parameters/1/schema",
            "/paths/~1admin~1oauth2~1auth~1sessions~1consent/get/parameters/1/schema",
        ]
    );
}

#[test]
fn v1_1_0_settings_body_lists_the_oidc_method_once() {
    let (spec, analysis) = fixture("ory-client-v1.1.0.json");
    assert_eq!(
        applied(&spec, "drop_repeated_composition_member"),
        ["/components/schemas/updateSettingsFlowBody"]
    );
    let body = analysis.api.type_by_name("UpdateSettingsFlowBody").unwrap();
    let TypeKind::OneOf(one_of) = &body.kind else {
        panic!("a tagged enum: {:?}", body.kind)
    };
    assert_eq!(
        one_of.discriminator.as_ref().map(SpecText::raw),
        Some("method")
    );
    let mut tags: Vec<&str> = one_of
        .variants
        .iter()
        .flat_map(|v| v.tag_values.iter().map(SpecText::raw))
        .collect();
    tags.sort_unstable();
    assert_eq!(
        tags,
        [
            "lookup_secret",
            "oidc",
            "password",
            "profile",
            "totp",
            "webauthn"
        ]
    );
}

#[test]
fn v1_1_0_dashed_enum_values_keep_their_wire_spelling() {
    let (_, analysis) = fixture("ory-client-v1.1.0.json");
    let variants = |type_name: &str| -> Vec<(String, String)> {
        let def = analysis.api.type_by_name(type_name).unwrap();
        let TypeKind::Enum(values) = &def.kind else {
            panic!("{type_name} is a string enum: {:?}", def.kind)
        };
        values
            .variants
            .iter()
            .map(|v| (v.wire_value.raw().to_owned(), v.rust_name.clone()))
            .collect()
    };
    let autocomplete = variants("UiNodeInputAttributesAutocomplete");
    for (wire, rust) in [
        ("current-password", "CurrentPassword"),
        ("new-password", "NewPassword"),
        ("one-time-code", "OneTimeCode"),
    ] {
        assert!(
            autocomplete.contains(&(wire.to_owned(), rust.to_owned())),
            "{wire} -> {rust} in {autocomplete:?}"
        );
    }
    let input_type = variants("UiNodeInputAttributesType");
    assert!(
        input_type.contains(&("datetime-local".to_owned(), "DatetimeLocal".to_owned())),
        "{input_type:?}"
    );
}

#[test]
fn of_the_earlier_specs_only_alpha_188_leaves_a_schema_untyped() {
    let (_, v1_1_0) = fixture("ory-client-v1.1.0.json");
    assert_eq!(v1_1_0.untyped, Vec::<String>::new());
    let (_, alpha_1) = fixture("ory-client-v0.0.1-alpha.1.json");
    assert_eq!(alpha_1.untyped, Vec::<String>::new());
    // v0.0.1-alpha.188 describes `genericError.details` as an object with `items` and no properties
    // allowed, while servers send a map there: untyped JSON keeps what arrives, and is reported.
    let (_, alpha_188) = fixture("ory-client-v0.0.1-alpha.188.json");
    assert_eq!(
        alpha_188.untyped,
        ["/components/schemas/genericError/properties/details"]
    );
}
