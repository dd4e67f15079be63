//! The IR of small inline specs, and the errors broken specs give (each names a JSON pointer).

use generator::analyse::{analyse, Config};
use generator::ir::*;
use generator::load::load_str;
use serde_json::{json, Value};

fn spec(paths: Value, schemas: Value) -> String {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://{slug}.example.com/", "variables": {"slug": {"default": "demo"}}}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}
        }
    })
    .to_string()
}

fn ir(text: &str) -> Result<Api, generator::Error> {
    let loaded = load_str(text)?;
    analyse(&loaded.api, &Config::default()).map(|a| a.api)
}

#[test]
fn operation_parameters_body_and_responses() {
    let text = spec(
        json!({"/things/{id}": {"put": {
            "operationId": "putThing", "tags": ["things"],
            "parameters": [
                {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "tags", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
                {"name": "X-Session-Token", "in": "header", "schema": {"type": "string"}}
            ],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/thing"}}}},
            "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/thing"}}}},
                "404": {"description": "gone"},
                "default": {"description": "error", "content": {"application/json": {"schema": {"type": "object", "properties": {"message": {"type": "string"}}}}}}
            },
            "security": [{"token": []}]
        }}}),
        json!({"thing": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"},
            "type": {"type": "string", "enum": ["a", "b-c", "unknown"]},
            "id": {"type": "string", "format": "uuid", "readOnly": true},
            "created_at": {"type": "string", "format": "date-time"},
            "count": {"type": "integer", "format": "int32"}
        }}}),
    );
    let api = ir(&text).unwrap();
    assert_eq!(api.servers[0].variables[0].rust_name, "slug");
    let tag = &api.tags[0];
    assert_eq!(
        (tag.rust_module.as_str(), tag.rust_struct.as_str()),
        ("things", "ThingsApi")
    );
    let op = &tag.operations[0];
    assert_eq!(op.rust_name, "put_thing");
    assert_eq!(
        op.path,
        vec![PathPart::Literal("/things/".into()), PathPart::Param(0)]
    );
    let params: Vec<(&str, ParamLocation, bool, bool)> = op
        .params
        .iter()
        .map(|p| (p.rust_name.as_str(), p.location, p.required, p.explode))
        .collect();
    assert_eq!(
        params,
        [
            ("id", ParamLocation::Path, true, false),
            ("tags", ParamLocation::Query, false, true),
            ("x_session_token", ParamLocation::Header, false, false)
        ]
    );
    assert_eq!(op.params[1].ty, TypeRef::Vec(Box::new(TypeRef::String)));
    assert_eq!(op.body.as_ref().unwrap().media, BodyMedia::Json);
    assert_eq!(
        op.success,
        Outcome::Single(Some(TypeRef::Named("Thing".into())))
    );
    let Outcome::Enum {
        rust_name,
        variants,
    } = &op.error
    else {
        panic!("404 without body and a typed default differ")
    };
    assert_eq!(rust_name, "PutThingError");
    let variant_names: Vec<&str> = variants.iter().map(|v| v.rust_name.as_str()).collect();
    assert_eq!(variant_names, ["Status404", "Default"]);
    assert_eq!(
        variants[1].ty,
        Some(TypeRef::Named("PutThingResponseDefault".into()))
    );

    let thing = api.type_by_name("Thing").unwrap();
    let TypeKind::Struct(thing) = &thing.kind else {
        panic!()
    };
    let fields: Vec<(&str, String)> = thing
        .fields
        .iter()
        .map(|f| (f.rust_name.as_str(), f.ty.to_string()))
        .collect();
    assert_eq!(
        fields,
        [
            ("name", "String".to_owned()),
            ("r#type", "Option<crate::models::ThingType>".to_owned()),
            ("id", "Option<uuid::Uuid>".to_owned()),
            (
                "created_at",
                "Option<chrono::DateTime<chrono::Utc>>".to_owned()
            ),
            ("count", "Option<i32>".to_owned()),
        ]
    );
    let kind = api.type_by_name("ThingType").unwrap();
    let TypeKind::Enum(kind) = &kind.kind else {
        panic!()
    };
    let variants: Vec<(&str, &str)> = kind
        .variants
        .iter()
        .map(|v| (v.rust_name.as_str(), v.wire_value.raw()))
        .collect();
    assert_eq!(
        variants,
        [("A", "a"), ("BC", "b-c"), ("UnknownValue", "unknown")]
    );
}

#[test]
fn required_read_only_fields_are_not_demanded() {
    let text = spec(
        json!({}),
        json!({"invoice": {"type": "object", "required": ["currency"], "properties": {
            "currency": {"type": "string", "readOnly": true}
        }}}),
    );
    let api = ir(&text).unwrap();
    let TypeKind::Struct(s) = &api.type_by_name("Invoice").unwrap().kind else {
        panic!()
    };
    assert!(s.fields[0].ty.is_option());
    assert!(s.derive_default);
}

#[test]
fn tagged_one_of_members_do_not_repeat_the_tag() {
    let text = spec(
        json!({}),
        json!({
            "node": {"oneOf": [{"$ref": "#/components/schemas/nodeInput"}, {"$ref": "#/components/schemas/nodeText"}],
                     "discriminator": {"propertyName": "node_type", "mapping": {
                         "input": "#/components/schemas/nodeInput", "text": "#/components/schemas/nodeText"}}},
            "nodeInput": {"type": "object", "required": ["node_type", "name"], "properties": {
                "node_type": {"type": "string", "enum": ["input"]}, "name": {"type": "string"}}},
            "nodeText": {"type": "object", "required": ["node_type"], "properties": {
                "node_type": {"type": "string", "enum": ["text"]}, "text": {"type": "string"}}}
        }),
    );
    let api = ir(&text).unwrap();
    let TypeKind::OneOf(node) = &api.type_by_name("Node").unwrap().kind else {
        panic!()
    };
    assert_eq!(
        node.discriminator.as_ref().map(SpecText::raw),
        Some("node_type")
    );
    let variants: Vec<(&str, Vec<&str>)> = node
        .variants
        .iter()
        .map(|v| {
            (
                v.rust_name.as_str(),
                v.tag_values.iter().map(SpecText::raw).collect(),
            )
        })
        .collect();
    assert_eq!(variants, [("Input", vec!["input"]), ("Text", vec!["text"])]);
    let TypeKind::Struct(input) = &api.type_by_name("NodeInput").unwrap().kind else {
        panic!()
    };
    let fields: Vec<&str> = input.fields.iter().map(|f| f.wire_name.raw()).collect();
    assert_eq!(fields, ["name"]);
}

#[test]
fn a_dangling_ref_names_where_it_is_used() {
    let text = spec(
        json!({}),
        json!({"a": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/missing"}}}}),
    );
    let err = ir(&text).unwrap_err();
    assert_eq!(err.pointer(), Some("/components/schemas/a/properties/b"));
    assert!(
        err.message.contains("#/components/schemas/missing"),
        "{err}"
    );
}

#[test]
fn an_alias_cycle_is_an_error_not_a_hang() {
    let text = spec(
        json!({}),
        json!({"a": {"$ref": "#/components/schemas/b"}, "b": {"$ref": "#/components/schemas/a"}}),
    );
    let err = ir(&text).unwrap_err();
    assert!(
        err.pointer().unwrap().starts_with("/components/schemas/"),
        "{err}"
    );
    assert!(err.message.contains("itself"), "{err}");
}

#[test]
fn a_path_parameter_missing_from_the_path_is_an_error() {
    let text = spec(
        json!({"/things": {"get": {"operationId": "list",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok"}}}}}),
        json!({}),
    );
    let err = ir(&text).unwrap_err();
    assert_eq!(err.pointer(), Some("/paths/~1things/get"));
    assert!(err.message.contains("`id`"), "{err}");
}

#[test]
fn duplicate_operation_ids_are_an_error() {
    let op = json!({"operationId": "same", "responses": {"200": {"description": "ok"}}});
    let text = spec(
        json!({"/a": {"get": op.clone()}, "/b": {"get": op}}),
        json!({}),
    );
    let err = ir(&text).unwrap_err();
    assert_eq!(err.pointer(), Some("/paths/~1b/get/operationId"));
}

#[test]
fn a_schema_degraded_to_any_is_reported() {
    // `type: string` with `properties` does not fit openapiv3's typed schemas, so it parses as
    // `Any`: the generator must say so rather than silently emit untyped JSON.
    let text = spec(
        json!({}),
        json!({"holder": {"type": "object", "properties": {
            "odd": {"type": "string", "format": "uuid", "items": {"type": "string"}}
        }}}),
    );
    let loaded = load_str(&text).unwrap();
    let analysis = analyse(&loaded.api, &Config::default()).unwrap();
    assert_eq!(
        analysis.untyped,
        vec!["/components/schemas/holder/properties/odd".to_owned()]
    );
}

#[test]
fn a_type_holding_itself_goes_behind_a_box() {
    let text = spec(
        json!({}),
        json!({
            "tree": {"type": "object", "properties": {
                "parent": {"$ref": "#/components/schemas/tree"},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/tree"}},
                "meta": {"$ref": "#/components/schemas/meta"}
            }},
            "meta": {"type": "object", "properties": {"owner": {"$ref": "#/components/schemas/tree"}, "note": {"type": "string"}}}
        }),
    );
    let api = ir(&text).unwrap();
    let TypeKind::Struct(tree) = &api.type_by_name("Tree").unwrap().kind else {
        panic!()
    };
    let types: Vec<String> = tree.fields.iter().map(|f| f.ty.to_string()).collect();
    assert_eq!(
        types,
        [
            "Option<Box<crate::models::Tree>>",
            "Option<Vec<crate::models::Tree>>",
            "Option<Box<crate::models::Meta>>"
        ]
    );
    let TypeKind::Struct(meta) = &api.type_by_name("Meta").unwrap().kind else {
        panic!()
    };
    assert_eq!(
        meta.fields[0].ty.to_string(),
        "Option<Box<crate::models::Tree>>"
    );
    assert_eq!(meta.fields[1].ty.to_string(), "Option<String>");
}

#[test]
fn an_xml_only_request_is_reported_and_left_out_while_json_alternatives_work() {
    let xml_only = json!({"content": {"application/xml": {"schema": {"type": "object"}}, "multipart/form-data": {"schema": {"type": "object"}}}});
    let text = spec(
        json!({
            "/upload": {"post": {"operationId": "upload", "requestBody": xml_only, "responses": {"204": {"description": "ok"}}}},
            "/pets": {"post": {"operationId": "addPet",
                "requestBody": {"content": {"application/xml": {"schema": {"type": "object"}}, "application/json": {"schema": {"type": "object"}}}},
                "responses": {"200": {"description": "the pet", "content": {"application/xml": {"schema": {"type": "object"}}}}}}}
        }),
        json!({}),
    );
    let loaded = load_str(&text).unwrap();
    let analysis = analyse(&loaded.api, &Config::default()).unwrap();
    assert_eq!(analysis.unsupported.len(), 1);
    assert_eq!(
        analysis.unsupported[0].0,
        "/paths/~1upload/post/requestBody"
    );
    assert!(
        analysis.unsupported[0].1.contains("application/xml"),
        "{:?}",
        analysis.unsupported
    );
    let ids: Vec<&str> = analysis.api.operations().map(|o| o.id.raw()).collect();
    assert_eq!(ids, ["addPet"]);
    let add = analysis.api.operations().next().unwrap();
    assert_eq!(add.body.as_ref().unwrap().media, BodyMedia::Json);
    assert_eq!(
        add.success,
        Outcome::Single(Some(TypeRef::Vec(Box::new(TypeRef::U8)))),
        "XML answers come as bytes"
    );
}

#[test]
fn optional_credentials_are_a_last_alternative_and_requiring_them_is_breaking() {
    let with_security = |security: Value| {
        spec(
            json!({"/things": {"get": {
                "operationId": "listThings", "tags": ["things"], "security": security,
                "responses": {"204": {"description": "none"}}
            }}}),
            json!({}),
        )
    };
    let security_of = |api: &Api| api.tags[0].operations[0].security.clone();
    let optional = ir(&with_security(json!([{}, {"token": []}]))).unwrap();
    assert_eq!(security_of(&optional), [vec!["token".to_owned()], vec![]]);
    let none_needed = ir(&with_security(json!([{}]))).unwrap();
    assert_eq!(security_of(&none_needed), Vec::<Vec<String>>::new());
    let required = ir(&with_security(json!([{"token": []}]))).unwrap();

    let report = generator::diff::diff(&optional, &required);
    assert_eq!(report.changes.len(), 1, "{report:?}");
    assert_eq!(
        report.changes[0].level,
        generator::diff::Level::Wire { breaking: true }
    );
    assert_eq!(
        report.changes[0].what,
        "security changed from `token` or none to `token`"
    );
    assert_eq!(generator::diff::diff(&required, &optional).breaking(), 0);
    assert!(
        generator::diff::diff(&none_needed, &ir(&with_security(json!([]))).unwrap()).is_empty()
    );

    // The same alternatives in another order are no change.
    let with_two_schemes = |security: Value| {
        let mut doc: Value = serde_json::from_str(&with_security(security)).unwrap();
        doc["components"]["securitySchemes"]["key"] =
            json!({"type": "apiKey", "in": "header", "name": "X-Key"});
        ir(&doc.to_string()).unwrap()
    };
    let token_or_key = with_two_schemes(json!([{"token": []}, {"key": []}]));
    let key_or_token = with_two_schemes(json!([{"key": []}, {"token": []}]));
    assert_ne!(security_of(&token_or_key), security_of(&key_or_token));
    assert!(generator::diff::diff(&token_or_key, &key_or_token).is_empty());
}

#[test]
fn multi_line_descriptions_stay_one_paragraph_after_the_generated_sentence() {
    let mut doc: Value = serde_json::from_str(&spec(
        json!({"/things": {"get": {
            "operationId": "listThings", "tags": ["things"], "security": [{"token": []}],
            "responses": {"204": {"description": "none"}}
        }}}),
        json!({}),
    ))
    .unwrap();
    doc["servers"][0]["variables"]["slug"]["description"] =
        json!("Your project's slug,\nas the console shows it.");
    doc["components"]["securitySchemes"]["token"]["description"] =
        json!("A \"session\" token:\n- from the login flow\n- or from the API");
    let options = generator::RenderOptions {
        crate_name: "t".into(),
        crate_version: "0.1.0".into(),
        spec_version: "1.0.0".into(),
        preamble: "test".into(),
        tags: None,
        example: None,
        contract_calls: false,
    };
    let generated = generator::generate(&doc.to_string(), &Config::default(), &options).unwrap();
    let client = &generated.files["src/client.rs"];
    for expected in [
        "    /// `https://{slug}.example.com/`.\n    ///\n    /// Your project's slug,\n    /// as the console shows it.\n    pub fn slug(",
        "operations that declare it.\n    ///\n    /// A \"session\" token:\n    /// - from the login flow\n    /// - or from the API\n    pub fn ",
    ] {
        assert!(client.contains(expected), "{expected}\nnot in\n{client}");
    }
}
