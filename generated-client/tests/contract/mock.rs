//! The copy of the spec Prism serves. It says two things Prism cannot read from the spec itself;
//! the spec in `spec/` and the client are unchanged. Every rewrite is reported with its pointer.
//!
//! - Formats Prism's data faker does not know, so that its dynamic answers would carry any string
//!   where the spec means a UUID or an integer: `uuid4` (Go's `uuid.NullUUID`) becomes `uuid`;
//!   a string of format `int64`/`int32` (protobuf's JSON for integers) gets a digits pattern.
//! - Discriminators, which Prism ignores while it checks `oneOf` strictly (exactly one alternative
//!   must match): where alternatives overlap (no `additionalProperties: false`, the tag a free
//!   string), every body matches several and none is valid. The tag property of each mapped
//!   alternative is pinned to its tag values, which is what the discriminator means.

use super::samples::pointer_token;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

pub fn mock_spec(spec: &Value) -> (Value, Vec<String>) {
    let mut copy = spec.clone();
    let mut rewritten = Vec::new();
    spell_out_formats(&mut copy, "#", &mut rewritten);
    pin_discriminator_tags(&mut copy, &mut rewritten);
    (copy, rewritten)
}

fn spell_out_formats(value: &mut Value, pointer: &str, rewritten: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            let format = object
                .get("format")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let is_string = object.get("type").and_then(Value::as_str) == Some("string");
            match format.as_deref() {
                Some("uuid4") => {
                    object.insert("format".to_owned(), json!("uuid"));
                    rewritten.push(format!("{pointer}: format uuid4 -> uuid"));
                }
                Some(integer @ ("int64" | "int32"))
                    if is_string && !object.contains_key("pattern") =>
                {
                    object.insert("pattern".to_owned(), json!("^-?[0-9]{1,18}$"));
                    rewritten.push(format!("{pointer}: string {integer} -> digits pattern"));
                }
                _ => {}
            }
            for (key, child) in object.iter_mut() {
                spell_out_formats(
                    child,
                    &format!("{pointer}/{}", pointer_token(key)),
                    rewritten,
                );
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter_mut().enumerate() {
                spell_out_formats(child, &format!("{pointer}/{index}"), rewritten);
            }
        }
        _ => {}
    }
}

/// `(alternative's pointer, tag property)` → the tag values selecting it, over every discriminator.
fn discriminator_tags(value: &Value, tags: &mut BTreeMap<(String, String), BTreeSet<String>>) {
    match value {
        Value::Object(object) => {
            let discriminator = object.get("discriminator");
            let property = discriminator.and_then(|d| d["propertyName"].as_str());
            if let Some(property) = property {
                let mapped: Vec<(String, String)> =
                    match discriminator.and_then(|d| d["mapping"].as_object()) {
                        Some(mapping) => mapping
                            .iter()
                            .filter_map(|(tag, target)| {
                                Some((tag.clone(), target.as_str()?.to_owned()))
                            })
                            .collect(),
                        // Without a mapping, an alternative's tag is its schema's name.
                        None => ["oneOf", "anyOf"]
                            .iter()
                            .filter_map(|key| object.get(*key)?.as_array())
                            .flatten()
                            .filter_map(|alternative| {
                                let target = alternative["$ref"].as_str()?;
                                let name = target.rsplit('/').next()?;
                                Some((name.to_owned(), target.to_owned()))
                            })
                            .collect(),
                    };
                for (tag, target) in mapped {
                    tags.entry((target, property.to_owned()))
                        .or_default()
                        .insert(tag);
                }
            }
            for child in object.values() {
                discriminator_tags(child, tags);
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|child| discriminator_tags(child, tags)),
        _ => {}
    }
}

fn pin_discriminator_tags(spec: &mut Value, rewritten: &mut Vec<String>) {
    let mut tags = BTreeMap::new();
    discriminator_tags(spec, &mut tags);
    for ((target, property), values) in tags {
        let pointer = target.trim_start_matches('#');
        let Some(Value::Object(alternative)) = spec.pointer_mut(pointer) else {
            continue;
        };
        let properties = alternative.entry("properties").or_insert_with(|| json!({}));
        let Some(properties) = properties.as_object_mut() else {
            continue;
        };
        let tag_schema = properties
            .entry(property.clone())
            .or_insert_with(|| json!({ "type": "string" }));
        if tag_schema.get("$ref").is_some() {
            *tag_schema = json!({ "type": "string" });
        }
        let values: Vec<&String> = values.iter().collect();
        tag_schema["enum"] = json!(values);
        rewritten.push(format!(
            "{target}/properties/{}: enum {values:?} (discriminator)",
            pointer_token(&property)
        ));
    }
}
