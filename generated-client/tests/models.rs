//! Decoding and re-encoding real Ory payloads: every oneOf of the spec, unknown enum and
//! discriminator values, and the Go `[]byte` fields that arrive as base64.

use ory_client::models::*;
use serde_json::{json, Value};

/// Decodes `value` as `T`, re-encodes it, and checks nothing was lost, added or duplicated.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(value: &Value) -> T {
    let decoded: T = serde_json::from_value(value.clone()).expect("decodes");
    let text = serde_json::to_string(&decoded).unwrap();
    let again: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(&again, value, "re-encoding gives the same JSON");
    decoded
}

fn login_flow() -> Value {
    let label = |id: i64, text: &str| json!({"id": id, "text": text, "type": "info"});
    json!({
        "id": "0f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b",
        "type": "api",
        "expires_at": "2026-11-26T16:00:00Z",
        "issued_at": "2026-11-26T15:00:00Z",
        "request_url": "https://playground.projects.oryapis.com/self-service/login/api",
        "state": "choose_method",
        "refresh": false,
        "requested_aal": "aal1",
        "ui": {
            "action": "https://playground.projects.oryapis.com/self-service/login?flow=0f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b",
            "method": "POST",
            "nodes": [
                {"type": "input", "group": "default", "messages": [], "meta": {},
                 "attributes": {"name": "csrf_token", "type": "hidden", "value": "", "required": true, "disabled": false, "node_type": "input"}},
                {"type": "input", "group": "default", "messages": [], "meta": {"label": label(1070004, "ID")},
                 "attributes": {"name": "identifier", "type": "text", "value": "", "required": true, "disabled": false, "autocomplete": "username", "node_type": "input"}},
                {"type": "input", "group": "password", "messages": [], "meta": {"label": label(1070001, "Password")},
                 "attributes": {"name": "password", "type": "password", "required": true, "disabled": false, "autocomplete": "current-password", "node_type": "input"}},
                {"type": "text", "group": "lookup_secret", "messages": [], "meta": {"label": label(1050015, "These are your back up recovery codes.")},
                 "attributes": {"id": "lookup_secret_codes", "text": {"id": 1050015, "text": "abc123\nxyz789", "type": "info", "context": {"secrets": []}}, "node_type": "text"}},
                {"type": "img", "group": "totp", "messages": [], "meta": {"label": label(1050005, "Authenticator app QR code")},
                 "attributes": {"id": "totp_qr", "src": "data:image/png;base64,iVBORw0KGgo=", "width": 256, "height": 256, "node_type": "img"}},
                {"type": "a", "group": "oidc", "messages": [], "meta": {},
                 "attributes": {"id": "forgot", "href": "https://playground.projects.oryapis.com/ui/recovery", "title": label(1070005, "Forgot password?"), "node_type": "a"}},
                {"type": "script", "group": "webauthn", "messages": [], "meta": {},
                 "attributes": {"id": "webauthn_script", "src": "https://playground.projects.oryapis.com/.well-known/ory/webauthn.js", "async": true,
                                "referrerpolicy": "no-referrer", "crossorigin": "anonymous", "integrity": "sha512-abc", "type": "text/javascript",
                                "nonce": "n0nce", "node_type": "script"}},
                {"type": "div", "group": "captcha", "messages": [], "meta": {},
                 "attributes": {"id": "captcha", "class": "captcha", "data": {"sitekey": "k"}, "node_type": "div"}}
            ],
            "messages": [{"id": 1010001, "text": "Sign in with your credentials", "type": "info"}]
        }
    })
}

#[test]
fn a_kratos_login_flow_with_every_node_kind_decodes_and_re_encodes() {
    let value = login_flow();
    let flow: LoginFlow = round_trip(&value);
    let kinds: Vec<&str> = flow
        .ui
        .nodes
        .iter()
        .map(|node| match &node.attributes {
            UiNodeAttributes::Input(_) => "input",
            UiNodeAttributes::Text(_) => "text",
            UiNodeAttributes::Image(_) => "img",
            UiNodeAttributes::Anchor(_) => "a",
            UiNodeAttributes::Script(_) => "script",
            UiNodeAttributes::Division(_) => "div",
            _ => "a node type added after this test",
        })
        .collect();
    assert_eq!(
        kinds,
        ["input", "input", "input", "text", "img", "a", "script", "div"]
    );
    let UiNodeAttributes::Input(password) = &flow.ui.nodes[2].attributes else {
        panic!()
    };
    assert_eq!(password.name, "password");
    assert_eq!(
        password.autocomplete,
        Some(UiNodeInputAttributesAutocomplete::CurrentPassword)
    );
    let UiNodeAttributes::Script(script) = &flow.ui.nodes[6].attributes else {
        panic!()
    };
    assert!(script.r#async);

    let text = serde_json::to_string(&flow).unwrap();
    assert_eq!(
        text.matches("\"node_type\"").count(),
        8,
        "each node's tag once, no duplicate keys"
    );
}

#[test]
fn continue_with_items_decode_by_their_action() {
    let value = json!({
        "session": {"id": "8f6b5a4c-3d2e-4f10-9a8b-7c6d5e4f3a2b", "active": true},
        "session_token": "ory_st_secret",
        "continue_with": [
            {"action": "set_ory_session_token", "ory_session_token": "ory_st_secret"},
            {"action": "show_verification_ui", "flow": {"id": "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9", "verifiable_address": "a@b.c", "url": "https://x/verification"}},
            {"action": "show_settings_ui", "flow": {"id": "2b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9"}},
            {"action": "show_recovery_ui", "flow": {"id": "3b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9", "url": "https://x/recovery"}},
            {"action": "redirect_browser_to", "redirect_browser_to": "https://app.example/welcome"},
            {"action": "show_pin_entry_ui", "data": {"enc": "BASE64ENC", "ciphertext": "BASE64CT"}}
        ]
    });
    let login: SuccessfulNativeLogin = round_trip(&value);
    let actions = login.continue_with.unwrap();
    assert!(
        matches!(&actions[0], ContinueWith::SetOrySessionToken(t) if t.ory_session_token == "ory_st_secret")
    );
    assert!(
        matches!(&actions[1], ContinueWith::VerificationUi(v) if v.flow.verifiable_address == "a@b.c")
    );
    assert!(
        matches!(&actions[4], ContinueWith::RedirectBrowserTo(r) if r.redirect_browser_to.ends_with("/welcome"))
    );
    assert!(matches!(
        &actions[5],
        ContinueWith::DeviceAuthnPinEntryUi(_)
    ));
}

#[test]
fn update_flow_bodies_encode_their_method_once() {
    let login =
        UpdateLoginFlowBody::Password(UpdateLoginFlowWithPasswordMethod::new("a@b.c", "hunter2"));
    let value = serde_json::to_value(&login).unwrap();
    assert_eq!(
        value,
        json!({"method": "password", "identifier": "a@b.c", "password": "hunter2"})
    );
    assert_eq!(
        serde_json::to_string(&login)
            .unwrap()
            .matches("\"method\"")
            .count(),
        1
    );
    let back: UpdateLoginFlowBody = serde_json::from_value(value).unwrap();
    assert_eq!(back, login);

    round_trip::<UpdateRegistrationFlowBody>(
        &json!({"method": "password", "password": "pw", "traits": {"email": "a@b.c"}}),
    );
    round_trip::<UpdateSettingsFlowBody>(
        &json!({"method": "profile", "traits": {"email": "a@b.c"}}),
    );
    let recovery: UpdateRecoveryFlowBody = round_trip(&json!({"method": "code", "email": "a@b.c"}));
    assert!(matches!(recovery, UpdateRecoveryFlowBody::Code(_)));
    let verification: UpdateVerificationFlowBody =
        round_trip(&json!({"method": "link", "email": "a@b.c"}));
    assert!(matches!(verification, UpdateVerificationFlowBody::Link(_)));
}

#[test]
fn usage_is_an_untagged_union_of_object_string_bool_and_number() {
    let object: Usage =
        round_trip(&json!({"included_usage": 1000, "additional_price": "0.05 USD"}));
    assert!(matches!(object, Usage::GenericUsage(u) if u.included_usage == 1000));
    assert_eq!(
        round_trip::<Usage>(&json!("unlimited")),
        Usage::String("unlimited".into())
    );
    assert_eq!(round_trip::<Usage>(&json!(true)), Usage::Bool(true));
    assert_eq!(round_trip::<Usage>(&json!(2.5)), Usage::Number(2.5));
}

#[test]
fn an_unknown_enum_value_is_kept_and_re_encoded() {
    let mut value = login_flow();
    value["ui"]["nodes"][0]["group"] = json!("quantum_entanglement");
    let flow: LoginFlow = round_trip(&value);
    assert_eq!(
        flow.ui.nodes[0].group,
        UiNodeGroup::Unknown("quantum_entanglement".into())
    );
    assert_eq!(flow.ui.nodes[1].group, UiNodeGroup::Default);
    assert_eq!(UiNodeGroup::from("password"), UiNodeGroup::Password);
    assert_eq!(UiNodeGroup::Password.to_string(), "password");
}

#[test]
fn an_unknown_discriminator_value_is_a_decode_error_not_a_panic() {
    let mut value = login_flow();
    value["ui"]["nodes"][0]["attributes"]["node_type"] = json!("hologram");
    let err = serde_json::from_value::<LoginFlow>(value).unwrap_err();
    assert!(err.to_string().contains("hologram"), "{err}");

    let missing =
        serde_json::from_value::<ContinueWith>(json!({"redirect_browser_to": "x"})).unwrap_err();
    assert!(missing.to_string().contains("action"), "{missing}");
}

#[test]
fn webauthn_public_keys_arrive_as_base64_or_as_byte_arrays() {
    let from_base64: IdentityCredentialsWebAuthn =
        serde_json::from_value(json!({"public_key": "pQECAyYgASFYIA==", "id": "AQID"})).unwrap();
    assert_eq!(from_base64.id.as_deref(), Some(&[1u8, 2, 3][..]));
    assert_eq!(
        &from_base64.public_key.as_ref().unwrap()[..4],
        &[0xa5, 0x01, 0x02, 0x03]
    );
    let encoded = serde_json::to_value(&from_base64).unwrap();
    assert_eq!(
        encoded["public_key"], "pQECAyYgASFYIA==",
        "written back as the server writes it"
    );

    let from_array: IdentityCredentialsWebAuthn =
        serde_json::from_value(json!({"id": [1, 2, 3]})).unwrap();
    assert_eq!(from_array.id, from_base64.id);
    assert!(serde_json::from_value::<IdentityCredentialsWebAuthn>(json!({"id": "%%%"})).is_err());
    assert!(serde_json::from_value::<IdentityCredentialsWebAuthn>(json!({"id": [256]})).is_err());
}

#[test]
fn integers_sent_as_strings_decode_to_integers() {
    let policy: RateLimitPolicy = serde_json::from_value(json!({"quota": "1000"})).unwrap();
    assert_eq!(policy.quota, Some(ory_client::IntegerString(1000)));
    assert_eq!(serde_json::to_value(&policy).unwrap()["quota"], "1000");
    let lenient: RateLimitPolicy = serde_json::from_value(json!({"quota": 7})).unwrap();
    assert_eq!(lenient.quota.unwrap().0, 7);
    assert!(serde_json::from_value::<RateLimitPolicy>(json!({"quota": "lots"})).is_err());
}

/// The smallest identity the spec allows: its four required members.
fn minimal_identity() -> Value {
    json!({
        "id": "a2b1c3d4-0000-4000-8000-000000000001",
        "schema_id": "default",
        "schema_url": "https://example.org/schemas/default",
        "traits": {"email": "a@example.org"}
    })
}

fn decode_error<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
    serde_json::from_str::<T>(text).unwrap_err().to_string()
}

#[test]
fn struct_members_are_read_as_serde_derive_reads_them() {
    let identity: Identity = round_trip(&minimal_identity());
    assert_eq!(identity.schema_id, "default");
    assert_eq!(identity.created_at, None, "an absent optional member");

    // An unknown member is skipped, a null optional member is None.
    let mut more = minimal_identity();
    more["a_member_from_a_later_api"] = json!({"nested": [1, 2]});
    more["external_id"] = Value::Null;
    let identity: Identity = serde_json::from_value(more).unwrap();
    assert_eq!(identity.external_id, None);
    assert_eq!(serde_json::to_value(&identity).unwrap(), minimal_identity());

    // A missing required member, a repeated member, a wrong type and a non-object are errors.
    let mut missing = minimal_identity();
    missing.as_object_mut().unwrap().remove("schema_id");
    let error = serde_json::from_value::<Identity>(missing)
        .unwrap_err()
        .to_string();
    assert_eq!(error, "missing field `schema_id`");
    let repeated = r#"{"id": "a2b1c3d4-0000-4000-8000-000000000001", "schema_id": "a",
        "schema_id": "b", "schema_url": "u", "traits": null}"#;
    assert!(
        decode_error::<Identity>(repeated).starts_with("duplicate field `schema_id`"),
        "{}",
        decode_error::<Identity>(repeated)
    );
    let wrong_type = r#"{"id": "a2b1c3d4-0000-4000-8000-000000000001", "schema_id": 7,
        "schema_url": "u", "traits": null}"#;
    assert!(
        decode_error::<Identity>(wrong_type)
            .starts_with("invalid type: integer `7`, expected a string"),
        "{}",
        decode_error::<Identity>(wrong_type)
    );
    assert!(
        decode_error::<Identity>("[1, 2]")
            .starts_with("invalid type: sequence, expected struct Identity"),
        "{}",
        decode_error::<Identity>("[1, 2]")
    );

    // A member name with an escape cannot be borrowed from the input; it is read all the same.
    let escaped = r#"{"id": "a2b1c3d4-0000-4000-8000-000000000001", "sch\u0065ma_id": "escaped",
        "schema_url": "u", "traits": null}"#;
    let identity: Identity = serde_json::from_str(escaped).unwrap();
    assert_eq!(identity.schema_id, "escaped");
    // From a reader, no name is borrowed.
    let identity: Identity = serde_json::from_reader(escaped.as_bytes()).unwrap();
    assert_eq!(identity.schema_id, "escaped");
}

#[test]
fn a_required_nullable_member_may_be_null_or_absent_and_is_sent_as_null() {
    // `interval_changes_to` is required and nullable: absent reads as None, as with serde's derive.
    let subscription: Subscription = serde_json::from_value(json!({"status": "active"})).unwrap();
    assert_eq!(subscription.interval_changes_to, None);
    let sent = serde_json::to_value(&subscription).unwrap();
    assert_eq!(sent["interval_changes_to"], Value::Null, "{sent}");
    let subscription: Subscription =
        serde_json::from_value(json!({"status": "active", "interval_changes_to": null})).unwrap();
    assert_eq!(subscription.interval_changes_to, None);
    let subscription: Subscription =
        serde_json::from_value(json!({"status": "active", "interval_changes_to": "yearly"}))
            .unwrap();
    assert_eq!(subscription.interval_changes_to.as_deref(), Some("yearly"));
}

#[test]
fn a_tagged_variant_reads_its_members_as_any_struct_does() {
    // The variant's members come from serde's buffer for internally tagged enums, owned names.
    let text = r#"{"action": "redirect_browser_to", "a_later_member": [1],
        "redirect_browser_to": "https://app.example/welcome"}"#;
    let item: ContinueWith = serde_json::from_reader(text.as_bytes()).unwrap();
    assert!(
        matches!(&item, ContinueWith::RedirectBrowserTo(r) if r.redirect_browser_to.ends_with("/welcome"))
    );
    let missing = r#"{"action": "redirect_browser_to"}"#;
    let error = serde_json::from_str::<ContinueWith>(missing)
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("missing field `redirect_browser_to`"),
        "{error}"
    );
}

#[test]
fn members_beyond_the_declared_ones_are_kept_where_the_schema_allows_them() {
    let any: Any = round_trip(&json!({
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "quota",
        "metadata": {"limit": 3}
    }));
    assert_eq!(
        any.r#type.as_deref(),
        Some("type.googleapis.com/google.rpc.ErrorInfo")
    );
    assert_eq!(
        any.additional_properties.keys().collect::<Vec<_>>(),
        ["metadata", "reason"]
    );
    assert_eq!(any.additional_properties["metadata"], json!({"limit": 3}));

    // A declared member given twice is an error; an additional one given twice keeps the last
    // value, as serde's derive with a flattened map does.
    let repeated = r#"{"@type": "a", "@type": "b"}"#;
    let error = serde_json::from_str::<Any>(repeated)
        .unwrap_err()
        .to_string();
    assert!(error.starts_with("duplicate field `@type`"), "{error}");
    let any: Any = serde_json::from_str(r#"{"reason": "first", "reason": "second"}"#).unwrap();
    assert_eq!(any.additional_properties["reason"], json!("second"));
}
