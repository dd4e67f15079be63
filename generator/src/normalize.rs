//! Named normalisations of known spec quirks, applied to the raw JSON before `openapiv3` parses it.
//!
//! Most exist because `openapiv3` silently turns a schema with an unexpected sibling key into
//! `SchemaKind::Any`, which would make a real type come out as untyped JSON; one drops a repeated
//! `oneOf` member, which would become two variants with one tag. Each function here repairs one
//! quirk wherever it occurs, returns the JSON pointers it changed (so the generator can report
//! them), and has a test naming the spec construct it exists for.

use crate::error::pointer_push;
use serde_json::{Map, Value};

/// One applied normalisation: which rule, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub rule: &'static str,
    pub pointer: String,
}

type Rule = (&'static str, fn(&mut Map<String, Value>) -> bool);

/// The schema-level rules, in the order they are applied to every schema object of the document.
const SCHEMA_RULES: &[Rule] = &[
    ("drop_type_beside_composition", drop_type_beside_composition),
    ("drop_required_on_non_object", drop_required_on_non_object),
    ("enum_without_type_is_string", enum_without_type_is_string),
    ("drop_min_max_on_string", drop_min_max_on_string),
];

/// Applied in a walk of its own after the others: their pointers then name the members as the
/// document numbers them, and members that only became equal once repaired are merged too.
const LAST_RULE: Rule = (
    "drop_repeated_composition_member",
    drop_repeated_composition_member,
);

/// Applies every normalisation to `doc` and lists what changed.
pub fn normalize(doc: &mut Value) -> Vec<Applied> {
    let mut applied = Vec::new();
    for rules in [SCHEMA_RULES, &[LAST_RULE]] {
        for_each_schema(doc, &mut |schema, place| {
            for (rule, apply) in rules {
                if apply(schema) {
                    applied.push(Applied {
                        rule,
                        pointer: place.pointer(),
                    });
                }
            }
        });
    }
    applied.extend(drop_undefined_security_requirements(doc));
    applied
}

/// `type: object` beside `oneOf`/`anyOf`/`allOf` (Ory's `continueWith`): the composition already says
/// what the value is, and the extra `type` makes `openapiv3` drop the whole schema to `Any`.
pub fn drop_type_beside_composition(schema: &mut Map<String, Value>) -> bool {
    let composed = ["oneOf", "anyOf", "allOf"]
        .iter()
        .any(|key| schema.contains_key(*key));
    composed && schema.remove("type").is_some()
}

/// A `required` list on a schema that is not an object (the string properties of Ory's OAuth2 form
/// bodies carry one): it means nothing there; the parent's `required` already says it.
pub fn drop_required_on_non_object(schema: &mut Map<String, Value>) -> bool {
    let is_object = schema.get("type").is_none_or(|kind| kind == "object");
    !is_object && schema.remove("required").is_some()
}

/// `enum` with only string values and no `type` (Ory's `recoveryFlowState`): a string enum.
pub fn enum_without_type_is_string(schema: &mut Map<String, Value>) -> bool {
    let all_strings = match schema.get("enum") {
        Some(Value::Array(values)) => !values.is_empty() && values.iter().all(Value::is_string),
        _ => false,
    };
    if all_strings && !schema.contains_key("type") {
        schema.insert("type".into(), Value::String("string".into()));
        return true;
    }
    false
}

/// `minimum`/`maximum` on a string (older Ory client specs: v1.1.0's `page_token`): numeric bounds
/// have no meaning for strings.
pub fn drop_min_max_on_string(schema: &mut Map<String, Value>) -> bool {
    if schema.get("type").and_then(Value::as_str) != Some("string") {
        return false;
    }
    let min = schema.remove("minimum").is_some();
    let max = schema.remove("maximum").is_some();
    min || max
}

/// A `oneOf`/`anyOf` member listed twice (Ory client spec v1.1.0's `updateSettingsFlowBody` names
/// `updateSettingsFlowWithOidcMethod` twice): one alternative, so a second variant for it could
/// never be chosen and would clash with the first.
pub fn drop_repeated_composition_member(schema: &mut Map<String, Value>) -> bool {
    let mut dropped = false;
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = schema.get_mut(key) {
            let listed = members.len();
            let mut kept: Vec<Value> = Vec::with_capacity(listed);
            for member in members.drain(..) {
                if !kept.contains(&member) {
                    kept.push(member);
                }
            }
            dropped |= kept.len() < listed;
            *members = kept;
        }
    }
    dropped
}

/// A security requirement naming a scheme that `components/securitySchemes` does not define (Ory's
/// `POST /self-service/settings` names `sessionToken`, which is really a header parameter). Such a
/// requirement can never be met by a client, so it is removed.
pub fn drop_undefined_security_requirements(doc: &mut Value) -> Vec<Applied> {
    let defined: Vec<String> = doc
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .map(|schemes| schemes.keys().cloned().collect())
        .unwrap_or_default();
    let mut applied = Vec::new();
    let mut prune = |security: &mut Value, pointer: &str| {
        let Some(requirements) = security.as_array_mut() else {
            return;
        };
        let mut index = 0;
        requirements.retain(|requirement| {
            let known = requirement
                .as_object()
                .is_none_or(|names| names.keys().all(|name| defined.contains(name)));
            if !known {
                applied.push(Applied {
                    rule: "drop_undefined_security_requirements",
                    pointer: format!("{pointer}/{index}"),
                });
            }
            index += 1;
            known
        });
    };
    if let Some(security) = doc.get_mut("security") {
        prune(security, "/security");
    }
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let Value::Object(item) = item else { continue };
            for (method, operation) in item.iter_mut() {
                if let Some(security) = operation.get_mut("security") {
                    let pointer = pointer_push(&pointer_push("/paths", path), method);
                    prune(security, &format!("{pointer}/security"));
                }
            }
        }
    }
    applied
}

/// Where a schema sits in the document: a chain of segments on the walk's stack, spelled out as a
/// JSON pointer only for a schema a rule changed (spelling one out for every schema was half the
/// walk's time).
#[derive(Clone, Copy)]
pub struct Place<'p> {
    parent: Option<&'p Place<'p>>,
    segment: Segment<'p>,
}

#[derive(Clone, Copy)]
enum Segment<'p> {
    Root,
    Key(&'p str),
    Index(usize),
}

impl<'p> Place<'p> {
    const ROOT: Place<'static> = Place {
        parent: None,
        segment: Segment::Root,
    };

    fn key(&'p self, key: &'p str) -> Place<'p> {
        Place {
            parent: Some(self),
            segment: Segment::Key(key),
        }
    }

    fn index(&'p self, index: usize) -> Place<'p> {
        Place {
            parent: Some(self),
            segment: Segment::Index(index),
        }
    }

    /// The JSON pointer of this place.
    pub fn pointer(&self) -> String {
        let mut segments = Vec::new();
        let mut place = Some(self);
        while let Some(current) = place {
            segments.push(current.segment);
            place = current.parent;
        }
        segments
            .iter()
            .rev()
            .fold(String::new(), |pointer, segment| match segment {
                Segment::Root => pointer,
                Segment::Key(key) => pointer_push(&pointer, key),
                Segment::Index(index) => pointer_push(&pointer, &index.to_string()),
            })
    }
}

/// What `for_each_schema` calls on each schema object, with its place.
type Visit<'v> = dyn FnMut(&mut Map<String, Value>, &Place) + 'v;

/// Calls `visit` on every schema object of the document (components, parameters, bodies, responses,
/// and every schema nested in those), with its place. Examples are never visited.
pub fn for_each_schema(doc: &mut Value, visit: &mut Visit) {
    let root = Place::ROOT;
    let Value::Object(document) = doc else {
        return;
    };
    if let Some(Value::Object(components)) = document.get_mut("components") {
        let components_place = root.key("components");
        if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
            let base = components_place.key("schemas");
            for (name, schema) in schemas.iter_mut() {
                walk_schema(schema, &base.key(name), visit);
            }
        }
        for section in ["parameters", "requestBodies", "responses", "headers"] {
            if let Some(Value::Object(items)) = components.get_mut(section) {
                let base = components_place.key(section);
                for (name, item) in items.iter_mut() {
                    walk_holder(item, &base.key(name), visit);
                }
            }
        }
    }
    if let Some(Value::Object(paths)) = document.get_mut("paths") {
        let paths_place = root.key("paths");
        for (path, item) in paths.iter_mut() {
            let item_place = paths_place.key(path);
            let Value::Object(item) = item else { continue };
            for (key, operation) in item.iter_mut() {
                let place = item_place.key(key);
                if key == "parameters" {
                    walk_parameters(operation, &place, visit);
                    continue;
                }
                let Value::Object(operation) = operation else {
                    continue;
                };
                if let Some(parameters) = operation.get_mut("parameters") {
                    walk_parameters(parameters, &place.key("parameters"), visit);
                }
                if let Some(body) = operation.get_mut("requestBody") {
                    walk_holder(body, &place.key("requestBody"), visit);
                }
                if let Some(Value::Object(responses)) = operation.get_mut("responses") {
                    let base = place.key("responses");
                    for (status, response) in responses.iter_mut() {
                        walk_holder(response, &base.key(status), visit);
                    }
                }
            }
        }
    }
}

fn walk_parameters(parameters: &mut Value, place: &Place, visit: &mut Visit) {
    if let Value::Array(parameters) = parameters {
        for (index, parameter) in parameters.iter_mut().enumerate() {
            walk_holder(parameter, &place.index(index), visit);
        }
    }
}

/// Something that holds a schema directly (`schema`) or per media type (`content/*/schema`).
fn walk_holder(holder: &mut Value, place: &Place, visit: &mut Visit) {
    let Value::Object(holder) = holder else {
        return;
    };
    if let Some(schema) = holder.get_mut("schema") {
        walk_schema(schema, &place.key("schema"), visit);
    }
    if let Some(Value::Object(content)) = holder.get_mut("content") {
        let base = place.key("content");
        for (media_type, media) in content.iter_mut() {
            if let Some(schema) = media.get_mut("schema") {
                walk_schema(schema, &base.key(media_type).key("schema"), visit);
            }
        }
    }
}

fn walk_schema(schema: &mut Value, place: &Place, visit: &mut Visit) {
    let Value::Object(map) = schema else { return };
    if map.contains_key("$ref") {
        return;
    }
    visit(map, place);
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = map.get_mut(key) {
            walk_schema(child, &place.key(key), visit);
        }
    }
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        let base = place.key("properties");
        for (name, child) in properties.iter_mut() {
            walk_schema(child, &base.key(name), visit);
        }
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(Value::Array(children)) = map.get_mut(key) {
            let base = place.key(key);
            for (index, child) in children.iter_mut().enumerate() {
                walk_schema(child, &base.index(index), visit);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn continue_with_loses_its_type_beside_one_of() {
        // Ory client spec: /components/schemas/continueWith has `type: object` beside `oneOf`.
        let mut schema = object(json!({"type": "object", "oneOf": [{"$ref": "#/a"}]}));
        assert!(drop_type_beside_composition(&mut schema));
        assert!(!schema.contains_key("type"));
        let mut plain = object(json!({"type": "object"}));
        assert!(!drop_type_beside_composition(&mut plain));
    }

    #[test]
    fn required_on_a_string_property_is_dropped() {
        // Ory client spec: the form body of /oauth2/token has `grant_type: {type: string, required: [..]}`.
        let mut property = object(json!({"type": "string", "required": ["grant_type"]}));
        assert!(drop_required_on_non_object(&mut property));
        assert!(!property.contains_key("required"));
        let mut parent = object(json!({"type": "object", "required": ["grant_type"]}));
        assert!(!drop_required_on_non_object(&mut parent));
        let mut untyped_parent = object(json!({"properties": {}, "required": ["a"]}));
        assert!(!drop_required_on_non_object(&mut untyped_parent));
    }

    #[test]
    fn enum_without_type_becomes_a_string_enum() {
        // Ory client spec: /components/schemas/recoveryFlowState has `enum` and no `type`.
        let mut schema = object(json!({"enum": ["choose_method", "sent_email"]}));
        assert!(enum_without_type_is_string(&mut schema));
        assert_eq!(schema["type"], "string");
        let mut mixed = object(json!({"enum": ["a", 1]}));
        assert!(!enum_without_type_is_string(&mut mixed));
    }

    #[test]
    fn min_max_on_a_string_is_dropped() {
        // Ory client spec v1.1.0: /components/schemas/pagination/properties/page_token has
        // `minimum: 1`.
        let mut schema = object(json!({"type": "string", "minimum": 1, "maximum": 5}));
        assert!(drop_min_max_on_string(&mut schema));
        assert!(!schema.contains_key("minimum") && !schema.contains_key("maximum"));
        let mut number = object(json!({"type": "integer", "minimum": 1}));
        assert!(!drop_min_max_on_string(&mut number));
    }

    #[test]
    fn a_repeated_one_of_member_is_dropped() {
        // Ory client spec v1.1.0: /components/schemas/updateSettingsFlowBody lists the OIDC
        // method twice.
        let oidc = json!({"$ref": "#/components/schemas/updateSettingsFlowWithOidcMethod"});
        let totp = json!({"$ref": "#/components/schemas/updateSettingsFlowWithTotpMethod"});
        let mut schema = object(json!({"oneOf": [oidc, oidc, totp], "anyOf": [totp, oidc, totp]}));
        assert!(drop_repeated_composition_member(&mut schema));
        assert_eq!(schema["oneOf"], json!([oidc, totp]));
        assert_eq!(schema["anyOf"], json!([totp, oidc]));
        let mut distinct = object(json!({"oneOf": [oidc, totp]}));
        assert!(!drop_repeated_composition_member(&mut distinct));
        assert_eq!(distinct["oneOf"], json!([oidc, totp]));
    }

    #[test]
    fn undefined_security_scheme_requirement_is_removed() {
        // Ory client spec: /paths/~1self-service~1settings/post/security/0 names `sessionToken`.
        let mut doc = json!({
            "components": {"securitySchemes": {"oryAccessToken": {"type": "http", "scheme": "bearer"}}},
            "paths": {"/self-service/settings": {"post": {"security": [{"sessionToken": []}, {"oryAccessToken": []}]}}}
        });
        let applied = drop_undefined_security_requirements(&mut doc);
        assert_eq!(applied.len(), 1);
        assert_eq!(
            applied[0].pointer,
            "/paths/~1self-service~1settings/post/security/0"
        );
        assert_eq!(
            doc.pointer("/paths/~1self-service~1settings/post/security")
                .unwrap(),
            &json!([{"oryAccessToken": []}])
        );
    }

    #[test]
    fn repeated_members_are_dropped_after_the_other_repairs() {
        // The second member differs from the first only by a quirk another rule repairs; the
        // third carries a quirk of its own, reported at its place in the document as written.
        let mut doc = json!({"components": {"schemas": {"choice": {"oneOf": [
            {"type": "string", "enum": ["a"]},
            {"enum": ["a"]},
            {"type": "string", "minimum": 1}
        ]}}}});
        let applied = normalize(&mut doc);
        let at = |rule: &str| -> Vec<String> {
            applied
                .iter()
                .filter(|a| a.rule == rule)
                .map(|a| a.pointer.clone())
                .collect()
        };
        assert_eq!(
            at("enum_without_type_is_string"),
            ["/components/schemas/choice/oneOf/1"]
        );
        assert_eq!(
            at("drop_min_max_on_string"),
            ["/components/schemas/choice/oneOf/2"]
        );
        assert_eq!(
            at("drop_repeated_composition_member"),
            ["/components/schemas/choice"]
        );
        assert_eq!(
            doc.pointer("/components/schemas/choice/oneOf").unwrap(),
            &json!([{"type": "string", "enum": ["a"]}, {"type": "string"}])
        );
    }

    #[test]
    fn normalize_reports_nested_pointers() {
        let mut doc = json!({
            "components": {"schemas": {"flow": {"type": "object", "properties": {
                "state": {"enum": ["a", "b"]}
            }}}}
        });
        let applied = normalize(&mut doc);
        assert_eq!(
            applied,
            vec![Applied {
                rule: "enum_without_type_is_string",
                pointer: "/components/schemas/flow/properties/state".into()
            }]
        );
    }
}
