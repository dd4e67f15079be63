//! Inputs built from the spec's schemas: one sampler for every schema construct, no value written
//! per operation. Samples are valid for their schema (formats, patterns, lengths, bounds, enums,
//! discriminators) and decode into the client's types, which then serialise them for the wire.

use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Optional properties are sampled above this depth of nesting and left out from it down, so that
/// the client's handling of them is exercised and recursive schemas end.
const OPTIONAL_DEPTH: usize = 2;

pub struct Samples {
    pub spec: Value,
    /// operationId → (path item, operation).
    pub operations: BTreeMap<String, (Value, Value)>,
}

impl Samples {
    pub fn new(spec: Value) -> Samples {
        let mut operations = BTreeMap::new();
        for item in spec["paths"]
            .as_object()
            .expect("the spec has paths")
            .values()
        {
            for (method, op) in item.as_object().expect("a path item is an object") {
                if method == "parameters" {
                    continue;
                }
                if let Some(id) = op["operationId"].as_str() {
                    operations.insert(id.to_owned(), (item.clone(), op.clone()));
                }
            }
        }
        Samples { spec, operations }
    }

    fn operation(&self, op: &str) -> &(Value, Value) {
        self.operations
            .get(op)
            .unwrap_or_else(|| panic!("no operation `{op}` in the spec"))
    }

    /// Follows `$ref`s to the value they name.
    pub fn resolve<'a>(&'a self, mut value: &'a Value) -> &'a Value {
        while let Some(reference) = value.get("$ref").and_then(Value::as_str) {
            let pointer = reference
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("only local references are sampled: {reference}"));
            value = self
                .spec
                .pointer(pointer)
                .unwrap_or_else(|| panic!("dangling reference {reference}"));
        }
        value
    }

    /// A value for parameter `name` of `op` (operation-level declarations win over the path's).
    pub fn param<T: DeserializeOwned>(&self, op: &str, name: &str) -> T {
        let (item, operation) = self.operation(op);
        let declared = [&operation["parameters"], &item["parameters"]];
        let param = declared
            .iter()
            .filter_map(|list| list.as_array())
            .flatten()
            .map(|p| self.resolve(p))
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{op} has no parameter `{name}`"));
        decode(op, name, self.sample(&param["schema"], 0))
    }

    /// A JSON or form body of `op` for media type `media`.
    pub fn body<T: DeserializeOwned>(&self, op: &str, media: &str) -> T {
        decode(op, "body", self.sample(self.body_schema(op, media), 0))
    }

    /// A text or binary body of `op`, as a string.
    pub fn string_body(&self, op: &str, media: &str) -> String {
        match self.sample(self.body_schema(op, media), 0) {
            Value::String(text) => text,
            other => other.to_string(),
        }
    }

    fn body_schema(&self, op: &str, media: &str) -> &Value {
        let body = self.resolve(&self.operation(op).1["requestBody"]);
        let pointer = format!("/{}/schema", pointer_token(media));
        body["content"]
            .pointer(&pointer)
            .unwrap_or_else(|| panic!("{op} has no {media} body"))
    }

    fn sample(&self, schema: &Value, depth: usize) -> Value {
        assert!(depth < 24, "schema nesting too deep to sample: {schema}");
        let schema = self.resolve(schema);
        let first_enum_value = schema["enum"]
            .as_array()
            .and_then(|values| values.iter().find(|v| !v.is_null()));
        if let Some(value) = first_enum_value {
            return value.clone();
        }
        if let Some(parts) = schema["allOf"].as_array() {
            let mut merged = Map::new();
            for part in parts {
                match self.sample(part, depth) {
                    Value::Object(fields) => merged.extend(fields),
                    other => return other,
                }
            }
            return Value::Object(merged);
        }
        if let Some(choice) = self.sample_choice(schema, depth) {
            return choice;
        }
        match schema["type"].as_str() {
            Some("string") => Value::String(sample_string(schema)),
            Some("integer") => json!(sample_number(schema) as i64),
            Some("number") => json!(sample_number(schema)),
            Some("boolean") => Value::Bool(true),
            Some("array") if schema["maxItems"] == 0 => json!([]),
            Some("array") => json!([self.sample(&schema["items"], depth + 1)]),
            Some("object") | None if schema.get("properties").is_some() => {
                self.sample_object(schema, depth)
            }
            Some("object") => match &schema["additionalProperties"] {
                Value::Object(values) if !values.is_empty() => {
                    json!({ "key": self.sample(&schema["additionalProperties"], depth + 1) })
                }
                _ => json!({}),
            },
            // The schema allows any JSON value.
            _ => Value::String("sample".to_owned()),
        }
    }

    /// `oneOf`/`anyOf`: the first alternative (with a discriminator, the first mapped one, its tag
    /// property set to the value selecting it).
    fn sample_choice(&self, schema: &Value, depth: usize) -> Option<Value> {
        let alternatives = schema["oneOf"]
            .as_array()
            .or_else(|| schema["anyOf"].as_array())?;
        let Some(property) = schema["discriminator"]["propertyName"].as_str() else {
            return Some(self.sample(alternatives.first()?, depth));
        };
        let (tag, target) = match schema["discriminator"]["mapping"].as_object() {
            Some(mapping) => {
                let (tag, target) = mapping.iter().next()?;
                (tag.clone(), json!({ "$ref": target }))
            }
            None => {
                let first = alternatives.first()?;
                let name = first["$ref"].as_str()?.rsplit('/').next()?;
                (name.to_owned(), first.clone())
            }
        };
        let mut value = self.sample(&target, depth);
        value
            .as_object_mut()?
            .insert(property.to_owned(), Value::String(tag));
        Some(value)
    }

    /// Required properties always; optional ones near the top. `readOnly` properties are the
    /// server's: they are sent only when a schema requires them (the client's type then does too).
    fn sample_object(&self, schema: &Value, depth: usize) -> Value {
        let required: Vec<&str> = schema["required"]
            .as_array()
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut object = Map::new();
        for (name, property) in schema["properties"].as_object().into_iter().flatten() {
            let is_required = required.contains(&name.as_str());
            let read_only = self.resolve(property)["readOnly"] == true;
            if is_required || (depth < OPTIONAL_DEPTH && !read_only) {
                object.insert(name.clone(), self.sample(property, depth + 1));
            }
        }
        Value::Object(object)
    }
}

/// `key` as one token of a JSON pointer (RFC 6901).
pub fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn decode<T: DeserializeOwned>(op: &str, what: &str, value: Value) -> T {
    serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{op}: the sampled {what} {value} does not decode: {e}"))
}

fn sample_string(schema: &Value) -> String {
    let by_format = match schema["format"].as_str().unwrap_or("") {
        "date-time" => "2024-01-02T03:04:05Z",
        "date" => "2024-01-02",
        "uuid" | "uuid4" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "email" => "user@example.com",
        "uri" | "url" => "https://example.com/path",
        "uri-reference" => "/path",
        "hostname" => "example.com",
        "ipv4" => "127.0.0.1",
        "byte" => "c2FtcGxl",
        "int64" | "int32" => "42",
        "duration" => "1s",
        _ => "sample",
    };
    let min = schema["minLength"].as_u64().unwrap_or(0) as usize;
    let max = schema["maxLength"]
        .as_u64()
        .map_or(usize::MAX, |max| max as usize);
    let fit = |text: &str| {
        let mut text = text.to_owned();
        while text.chars().count() < min {
            text.push('x');
        }
        text.chars().take(max).collect::<String>()
    };
    let Some(pattern) = schema["pattern"].as_str() else {
        return fit(by_format);
    };
    let regex = regex::Regex::new(pattern)
        .unwrap_or_else(|e| panic!("the spec's pattern {pattern:?} is not a regex: {e}"));
    [by_format, "1s", "1h", "42", "abc"]
        .into_iter()
        .map(fit)
        .find(|candidate| regex.is_match(candidate))
        .unwrap_or_else(|| panic!("no sample fits the pattern {pattern:?} and length bounds"))
}

fn sample_number(schema: &Value) -> f64 {
    let mut value: f64 = 1.0;
    if let Some(min) = schema["minimum"].as_f64() {
        let exclusive = if schema["exclusiveMinimum"] == true {
            1.0
        } else {
            0.0
        };
        value = value.max(min + exclusive);
    }
    if let Some(max) = schema["maximum"].as_f64() {
        let exclusive = if schema["exclusiveMaximum"] == true {
            1.0
        } else {
            0.0
        };
        value = value.min(max - exclusive);
    }
    value
}
