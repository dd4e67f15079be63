//! The whole Ory client spec goes through loading and analysis: the IR covers every operation and
//! every component schema, not only what is emitted so far.

use generator::analyse::{analyse, Config};
use generator::ir::*;
use generator::load::load_file;
use std::collections::BTreeSet;
use std::path::PathBuf;

fn ory_spec_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec/ory-client.json")
}

fn ory() -> (generator::load::LoadedSpec, generator::Analysis) {
    let spec = load_file(&ory_spec_path()).expect("the Ory spec loads");
    let analysis = analyse(&spec.api, &Config::default()).expect("the Ory spec analyses");
    (spec, analysis)
}

/// Emit every group, with neutral labels.
fn render_everything() -> generator::RenderOptions {
    generator::RenderOptions {
        crate_name: "ory-client".into(),
        crate_version: "1.22.65".into(),
        spec_version: "1.22.65".into(),
        preamble: "test".into(),
        tags: None,
        example: None,
        contract_calls: true,
    }
}

/// The whole client, every group and the contract calls, as `cargo xtask regen` renders it.
fn generate_everything() -> generator::Generated {
    let text = std::fs::read_to_string(ory_spec_path()).unwrap();
    generator::generate(&text, &Config::default(), &render_everything()).unwrap()
}

#[test]
fn every_operation_is_in_the_ir() {
    let (spec, analysis) = ory();
    let in_spec: BTreeSet<String> = spec
        .api
        .operations()
        .filter_map(|(_, _, op)| op.operation_id.clone())
        .collect();
    let in_ir: BTreeSet<String> = analysis
        .api
        .operations()
        .map(|op| op.id.raw().to_owned())
        .collect();
    assert_eq!(in_spec.len(), 171);
    assert_eq!(in_ir, in_spec);
    assert_eq!(analysis.api.tags.len(), 15);
    let modules: Vec<&str> = analysis
        .api
        .tags
        .iter()
        .map(|t| t.rust_module.as_str())
        .collect();
    assert!(modules.contains(&"oauth2"), "{modules:?}");
    assert!(modules.contains(&"jwk"), "{modules:?}");
}

#[test]
fn every_component_schema_has_a_type() {
    let (spec, analysis) = ory();
    let components: BTreeSet<&String> = spec
        .api
        .components
        .as_ref()
        .unwrap()
        .schemas
        .keys()
        .collect();
    assert_eq!(components.len(), 453);
    let typed: BTreeSet<&String> = analysis
        .api
        .types
        .iter()
        .filter(|t| {
            t.pointer.starts_with("/components/schemas/") && t.pointer.matches('/').count() == 3
        })
        .map(|t| &t.origin)
        .collect();
    assert_eq!(typed, components);
    let names: BTreeSet<&String> = analysis.api.types.iter().map(|t| &t.rust_name).collect();
    assert_eq!(
        names.len(),
        analysis.api.types.len(),
        "type names are unique"
    );
}

#[test]
fn names_do_not_shadow_std_or_collide() {
    let (_, analysis) = ory();
    let name_of = |origin: &str| {
        analysis
            .api
            .types
            .iter()
            .find(|t| t.origin == origin && t.pointer.ends_with(origin))
            .map(|t| t.rust_name.clone())
            .unwrap()
    };
    assert_eq!(name_of("String"), "StringModel");
    assert_eq!(name_of("Duration"), "DurationModel");
    assert_eq!(name_of("UUID"), "UuidModel");
    assert_eq!(name_of("NullString"), "NullString");
    assert_eq!(name_of("nullString"), "NullStringModel");
    assert_eq!(name_of("errorOAuth2"), "ErrorOAuth2");
}

#[test]
fn the_jwk_operations_are_analysed_as_the_spec_says() {
    let (_, analysis) = ory();
    let jwk = analysis.api.tags.iter().find(|t| t.name == "jwk").unwrap();
    let names: Vec<&str> = jwk
        .operations
        .iter()
        .map(|o| o.rust_name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "create_json_web_key_set",
            "delete_json_web_key",
            "delete_json_web_key_set",
            "get_json_web_key",
            "get_json_web_key_set",
            "set_json_web_key",
            "set_json_web_key_set"
        ]
    );
    let set_key = jwk
        .operations
        .iter()
        .find(|o| o.id == "setJsonWebKey")
        .unwrap();
    assert_eq!(set_key.method, Method::Put);
    assert_eq!(set_key.path_template, "/admin/keys/{set}/{kid}");
    assert_eq!(set_key.security, vec![vec!["oryAccessToken".to_owned()]]);
    let body = set_key.body.as_ref().unwrap();
    assert!(!body.required);
    assert_eq!(body.ty, TypeRef::Named("JsonWebKey".into()));
    assert_eq!(
        set_key.success,
        Outcome::Single(Some(TypeRef::Named("JsonWebKey".into())))
    );
    assert_eq!(
        set_key.error,
        Outcome::Single(Some(TypeRef::Named("ErrorOAuth2".into())))
    );
    let create = analysis.api.type_by_name("CreateJsonWebKeySet").unwrap();
    let TypeKind::Struct(create) = &create.kind else {
        panic!("a struct")
    };
    let required: Vec<(&str, bool)> = create
        .fields
        .iter()
        .map(|f| (f.rust_name.as_str(), f.ty.is_option()))
        .collect();
    assert_eq!(required, [("alg", false), ("kid", false), ("r#use", false)]);
}

#[test]
fn spec_quirks_are_normalised_where_the_notes_say() {
    let (spec, analysis) = ory();
    let pointers: Vec<&str> = spec
        .normalisations
        .iter()
        .map(|a| a.pointer.as_str())
        .collect();
    for expected in [
        "/components/schemas/continueWith",
        "/components/schemas/recoveryFlowState",
        "/components/schemas/verificationFlowState",
        "/paths/~1self-service~1settings/post/security/0",
    ] {
        assert!(
            pointers.contains(&expected),
            "{expected} not normalised: {pointers:?}"
        );
    }
    assert!(
        pointers
            .iter()
            .any(|p| p.starts_with("/paths/~1oauth2~1token/post/requestBody")),
        "{pointers:?}"
    );
    let continue_with = analysis.api.type_by_name("ContinueWith").unwrap();
    assert!(
        matches!(continue_with.kind, TypeKind::OneOf(_)),
        "continueWith is a real enum"
    );
}

#[test]
fn generation_is_deterministic() {
    let (first, second) = (generate_everything(), generate_everything());
    assert_eq!(first.files, second.files);
    assert!(first.files.len() > 400, "{}", first.files.len());
}

#[test]
fn every_component_schema_is_emitted_as_a_model_file() {
    let generated = generate_everything();
    let api = &generated.analysis.api;
    let mut emitted = 0;
    for ty in api
        .types
        .iter()
        .filter(|t| t.pointer.matches('/').count() == 3)
    {
        let module = generator::names::snake(&ty.rust_name);
        let path = format!("src/models/{}.rs", generator::names::unraw(&module));
        let file = generated
            .files
            .get(&path)
            .unwrap_or_else(|| panic!("{path} for {}", ty.origin));
        assert!(
            file.contains(&format!(" {} ", ty.rust_name))
                || file.contains(&format!(" {}<", ty.rust_name))
                || file.contains(&format!(" {} =", ty.rust_name)),
            "{path} defines {}",
            ty.rust_name
        );
        emitted += 1;
    }
    assert_eq!(emitted, 453);
    let operations: usize = api.tags.iter().map(|t| t.operations.len()).sum();
    assert_eq!(operations, 171);
    for tag in &api.tags {
        let file = &generated.files[&format!("src/apis/{}.rs", tag.rust_module)];
        for op in &tag.operations {
            assert!(
                file.contains(&format!("pub fn {}<", op.rust_name)),
                "{} in {}",
                op.id.raw(),
                tag.name.raw()
            );
        }
    }
}

#[test]
fn no_schema_that_says_something_becomes_untyped_json() {
    let (_, analysis) = ory();
    assert_eq!(analysis.untyped, Vec::<String>::new());
}

/// Every request method that sends, prepares or decodes (all but the setters, which return the
/// builder) is `#[inline]`: its code, and serde's for the operation's types, is then generated only
/// in a crate that calls the operation. Without it, building the client alone generates the code
/// of all 171 operations. `prepare` and `decode` are in each operation's file; `send`, `call`,
/// `send_with_response` and `into_future` come from the runtime's `impl_sending!`, invoked once
/// per request type.
#[test]
fn sending_and_decoding_methods_are_inline() {
    let generated = generate_everything();
    let mut checked = Vec::new();
    let mut sending = Vec::new();
    for (path, source) in &generated.files {
        if !path.starts_with("src/apis/") {
            continue;
        }
        let file = syn::parse_file(source).unwrap();
        for item in &file.items {
            if let syn::Item::Macro(call) = item {
                if call.mac.path.segments.last().unwrap().ident == "impl_sending" {
                    let first = call.mac.tokens.clone().into_iter().next().unwrap();
                    sending.push(first.to_string());
                }
                continue;
            }
            let syn::Item::Impl(block) = item else {
                continue;
            };
            let syn::Type::Path(self_type) = &*block.self_ty else {
                continue;
            };
            let type_name = self_type.path.segments.last().unwrap().ident.to_string();
            if !type_name.ends_with("Request") || block.trait_.is_some() {
                continue;
            }
            checked.extend(inline_methods(&block.items, path, &type_name));
        }
    }
    let named = |checked: &[String], name: &str| {
        checked
            .iter()
            .filter(|m| m.ends_with(&format!("::{name}")))
            .count()
    };
    for name in ["prepare", "decode"] {
        assert_eq!(named(&checked, name), 171, "{name}");
    }
    assert!(
        named(&checked, "into_stream") > 10,
        "{}",
        named(&checked, "into_stream")
    );
    let mut prepared: Vec<String> = checked
        .iter()
        .filter_map(|m| m.strip_suffix("::prepare").map(str::to_owned))
        .collect();
    prepared.sort();
    sending.sort();
    assert_eq!(sending, prepared, "one impl_sending! per request type");

    // The macro's body, with its parameters filled in, is Rust whose methods are all inline.
    let runtime = syn::parse_file(&generated.files["src/runtime.rs"]).unwrap();
    let body = runtime
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Macro(m) if m.ident.as_ref().is_some_and(|i| i == "impl_sending") => m
                .mac
                .tokens
                .clone()
                .into_iter()
                .find_map(|token| match token {
                    proc_macro2::TokenTree::Group(g)
                        if g.delimiter() == proc_macro2::Delimiter::Brace =>
                    {
                        Some(g.stream().to_string())
                    }
                    _ => None,
                }),
            _ => None,
        })
        .expect("runtime.rs defines impl_sending!");
    let filled = body
        .replace("$ request", "SomeRequest")
        .replace("$ operation_id", "\"someOperation\"")
        .replace("$ success", "Success")
        .replace("$ error", "ErrorBody");
    let expansion = syn::parse_file(&filled).unwrap();
    let mut from_macro = Vec::new();
    for item in &expansion.items {
        let syn::Item::Impl(block) = item else {
            panic!("impl_sending! expands to impl blocks only");
        };
        from_macro.extend(inline_methods(&block.items, "impl_sending!", "SomeRequest"));
    }
    from_macro.sort();
    assert_eq!(
        from_macro,
        [
            "SomeRequest::call",
            "SomeRequest::into_future",
            "SomeRequest::send",
            "SomeRequest::send_with_response"
        ]
    );
}

/// `Type::method` for each method in `members`, asserting that every one that does not return the
/// builder (`Self`) is `#[inline]`.
fn inline_methods(members: &[syn::ImplItem], path: &str, type_name: &str) -> Vec<String> {
    let mut checked = Vec::new();
    for member in members {
        let syn::ImplItem::Fn(method) = member else {
            continue;
        };
        let returns_builder = matches!(&method.sig.output,
            syn::ReturnType::Type(_, ty) if matches!(&**ty, syn::Type::Path(p) if p.path.is_ident("Self")));
        if returns_builder {
            continue;
        }
        let inline = method.attrs.iter().any(|a| a.path().is_ident("inline"));
        assert!(
            inline,
            "{path}: {type_name}::{} is not #[inline]",
            method.sig.ident
        );
        checked.push(format!("{type_name}::{}", method.sig.ident));
    }
    checked
}

/// Model structs implement `Serialize` and `Deserialize` through the runtime's `impl_serde_struct!`
/// rather than serde's derives: the derive's positional-array and integer/byte member-name readers
/// were half of the crate's compile time, and the table is the one place a struct's wire names are
/// written. Every struct has a table listing its fields as the IR declares them: wire name, field,
/// `required` exactly where the field is not an `Option`, `nullable` where it is an `Option` that
/// is required but nullable (written as `null`), and the additional members where it has them.
#[test]
fn model_structs_serialize_and_read_themselves_from_one_table_each() {
    let generated = generate_everything();
    let mut tables = std::collections::BTreeMap::new();
    let mut struct_items = 0;
    for (path, source) in &generated.files {
        if !path.starts_with("src/models/") {
            continue;
        }
        let file = syn::parse_file(source).unwrap();
        for item in &file.items {
            match item {
                syn::Item::Macro(invocation)
                    if invocation.mac.path.segments.last().unwrap().ident
                        == "impl_serde_struct" =>
                {
                    let table = invocation.mac.parse_body::<MemberTable>().unwrap();
                    assert!(tables.insert(table.name.clone(), table).is_none(), "{path}");
                }
                syn::Item::Struct(model) => {
                    let derives: Vec<String> = model
                        .attrs
                        .iter()
                        .filter(|a| a.path().is_ident("derive"))
                        .map(|a| a.meta.require_list().unwrap().tokens.to_string())
                        .collect();
                    let derives = derives.join(", ");
                    assert!(
                        !derives.contains("Serialize") && !derives.contains("Deserialize"),
                        "{path}: {} derives {derives}",
                        model.ident
                    );
                    assert!(
                        model
                            .fields
                            .iter()
                            .all(|f| !f.attrs.iter().any(|a| a.path().is_ident("serde"))),
                        "{path}: {} has serde attributes",
                        model.ident
                    );
                    struct_items += 1;
                }
                _ => {}
            }
        }
    }
    let mut modes = BTreeSet::new();
    let mut structs = 0;
    for ty in &generated.analysis.api.types {
        let TypeKind::Struct(model) = &ty.kind else {
            continue;
        };
        let table = tables
            .remove(&ty.rust_name)
            .unwrap_or_else(|| panic!("no impl_serde_struct! for {}", ty.rust_name));
        let expected: Vec<(String, String, String)> = model
            .fields
            .iter()
            .map(|field| {
                let mode = match (field.ty.is_option(), field.required && field.nullable) {
                    (false, _) => "required",
                    (true, true) => "nullable",
                    (true, false) => "",
                };
                (
                    field.wire_name.raw().to_owned(),
                    field.rust_name.clone(),
                    mode.to_owned(),
                )
            })
            .collect();
        modes.extend(expected.iter().map(|(_, _, mode)| mode.clone()));
        assert_eq!(table.members, expected, "{}", ty.rust_name);
        assert_eq!(
            table.additional.is_some(),
            model.additional.is_some(),
            "{}",
            ty.rust_name
        );
        structs += 1;
    }
    assert!(
        tables.is_empty(),
        "tables without a struct: {:?}",
        tables.keys()
    );
    assert_eq!(structs, struct_items);
    assert!(structs > 350, "{structs}");
    assert_eq!(
        modes.into_iter().collect::<Vec<_>>(),
        ["", "nullable", "required"]
    );
}

/// The body of an `impl_serde_struct!` invocation.
struct MemberTable {
    name: String,
    /// (wire name, field, mode: "", "required" or "nullable")
    members: Vec<(String, String, String)>,
    additional: Option<String>,
}

impl syn::parse::Parse for MemberTable {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        use syn::ext::IdentExt;
        let name = input.parse::<syn::Ident>()?.to_string();
        let body;
        syn::braced!(body in input);
        let mut members = Vec::new();
        while !body.is_empty() {
            let wire = body.parse::<syn::LitStr>()?.value();
            body.parse::<syn::Token![=>]>()?;
            let field = body.call(syn::Ident::parse_any)?.to_string();
            let mode = if body.peek(syn::Ident) {
                body.parse::<syn::Ident>()?.to_string()
            } else {
                String::new()
            };
            body.parse::<syn::Token![,]>()?;
            members.push((wire, field, mode));
        }
        let additional = if input.parse::<Option<syn::Token![+]>>()?.is_some() {
            Some(input.parse::<syn::Ident>()?.to_string())
        } else {
            None
        };
        Ok(Self {
            name,
            members,
            additional,
        })
    }
}
