//! Reading a spec: JSON or YAML text → checked OpenAPI 3.0.x → normalised → `openapiv3::OpenAPI`.

use crate::error::{pointer_push, Error, Location, Result};
use crate::normalize::{self, Applied};
use serde_json::Value;

/// A parsed and normalised spec. The JSON it was parsed from is not kept: nothing reads it after
/// parsing, and freed, its memory serves the analysis instead of fresh pages.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    pub api: openapiv3::OpenAPI,
    /// The quirks repaired while loading, with where.
    pub normalisations: Vec<Applied>,
}

/// Reads a spec file (JSON or YAML).
pub fn load_file(path: &std::path::Path) -> Result<LoadedSpec> {
    let text = std::fs::read_to_string(path).map_err(|e| Error {
        location: Location::File(path.display().to_string()),
        message: format!("cannot read the spec: {e}"),
    })?;
    load_str(&text)
}

/// Parses spec text. JSON is recognised by its first character; anything else is read as YAML.
pub fn load_str(text: &str) -> Result<LoadedSpec> {
    let mut raw = parse_text(text)?;
    check_version(&raw)?;
    let normalisations = normalize::normalize(&mut raw);
    let api = parse_openapi(&raw)?;
    Ok(LoadedSpec {
        api,
        normalisations,
    })
}

fn parse_text(text: &str) -> Result<Value> {
    let looks_like_json = text.trim_start().starts_with(['{', '[']);
    if looks_like_json {
        serde_json::from_str(text).map_err(|e| Error {
            location: Location::Text {
                line: e.line(),
                column: e.column(),
            },
            message: format!("the spec is not valid JSON: {e}"),
        })
    } else {
        serde_yaml::from_str(text).map_err(|e| {
            let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
            Error {
                location: Location::Text { line, column },
                message: format!("the spec is not valid YAML: {e}"),
            }
        })
    }
}

fn check_version(raw: &Value) -> Result<()> {
    let Some(document) = raw.as_object() else {
        return Err(Error::at("", "the spec must be a JSON/YAML object"));
    };
    if let Some(swagger) = document.get("swagger") {
        return Err(Error::at(
            "/swagger",
            format!(
                "this is a Swagger {} document; only OpenAPI 3.0.x is supported (convert it to OpenAPI 3.0 first)",
                display_value(swagger)
            ),
        ));
    }
    match document.get("openapi") {
        None => Err(Error::at(
            "",
            "not an OpenAPI document: the `openapi` version field is missing",
        )),
        Some(Value::String(version)) if version.starts_with("3.0.") || version == "3.0" => Ok(()),
        Some(other) => Err(Error::at(
            "/openapi",
            format!(
                "unsupported OpenAPI version {}; only 3.0.x is supported",
                display_value(other)
            ),
        )),
    }
}

fn display_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Parses the document. `openapiv3`'s own errors point at the end of `paths` (it flattens and
/// buffers), so on failure the parts are parsed one by one, innermost first, to name the JSON pointer
/// of the part that does not fit.
fn parse_openapi(raw: &Value) -> Result<openapiv3::OpenAPI> {
    use serde::Deserialize;
    openapiv3::OpenAPI::deserialize(raw).map_err(|whole| {
        locate_error(raw).unwrap_or_else(|| {
            Error::at("", format!("the spec does not match OpenAPI 3.0: {whole}"))
        })
    })
}

fn locate_error(raw: &Value) -> Option<Error> {
    use openapiv3::{Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema};
    let children = |pointer: &str| -> Vec<(String, Value)> {
        match raw.pointer(pointer) {
            Some(Value::Object(map)) => map
                .iter()
                .map(|(k, v)| (pointer_push(pointer, k), v.clone()))
                .collect(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (pointer_push(pointer, &i.to_string()), v.clone()))
                .collect(),
            _ => Vec::new(),
        }
    };
    let path_items = children("/paths");
    let operations: Vec<(String, Value)> = path_items
        .iter()
        .flat_map(|(pointer, _)| children(pointer))
        .filter(|(pointer, _)| !pointer.ends_with("/parameters") && !pointer.ends_with("/servers"))
        .filter(|(_, v)| v.is_object())
        .collect();
    let operation_parts = |suffix: &str| -> Vec<(String, Value)> {
        operations
            .iter()
            .flat_map(|(pointer, _)| children(&pointer_push(pointer, suffix)))
            .collect()
    };
    let parameters: Vec<_> = operation_parts("parameters")
        .into_iter()
        .chain(children("/components/parameters"))
        .collect();
    let responses: Vec<_> = operation_parts("responses")
        .into_iter()
        .chain(children("/components/responses"))
        .collect();
    let bodies: Vec<_> = operations
        .iter()
        .filter_map(|(pointer, op)| {
            op.get("requestBody")
                .map(|b| (pointer_push(pointer, "requestBody"), b.clone()))
        })
        .chain(children("/components/requestBodies"))
        .collect();

    first_error::<ReferenceOr<Schema>>(&children("/components/schemas"))
        .or_else(|| first_error::<ReferenceOr<Parameter>>(&parameters))
        .or_else(|| first_error::<ReferenceOr<RequestBody>>(&bodies))
        .or_else(|| first_error::<ReferenceOr<Response>>(&responses))
        .or_else(|| first_error::<Operation>(&operations))
        .or_else(|| first_error::<ReferenceOr<PathItem>>(&path_items))
        .or_else(|| first_error::<openapiv3::OpenAPI>(&[(String::new(), raw.clone())]))
}

/// The first of `parts` that does not deserialise as `T`, with the pointer of the offending value
/// (the part's pointer, deepened by the path `serde_path_to_error` reports inside it).
fn first_error<T: serde::de::DeserializeOwned>(parts: &[(String, Value)]) -> Option<Error> {
    parts.iter().find_map(|(base, value)| {
        let error = serde_path_to_error::deserialize::<_, T>(value).err()?;
        let mut pointer = base.clone();
        for segment in error.path().iter() {
            match segment {
                serde_path_to_error::Segment::Map { key } => pointer = pointer_push(&pointer, key),
                serde_path_to_error::Segment::Seq { index } => {
                    pointer = pointer_push(&pointer, &index.to_string())
                }
                _ => {}
            }
        }
        Some(Error::at(
            pointer,
            format!("the spec does not match OpenAPI 3.0: {}", error.inner()),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_json_names_line_and_column() {
        let err = load_str("{\n  \"openapi\": \"3.0.3\",\n  oops\n}").unwrap_err();
        assert_eq!(err.location, Location::Text { line: 3, column: 3 });
        assert!(err.message.contains("not valid JSON"), "{err}");
    }

    #[test]
    fn swagger_two_is_rejected_at_its_version_field() {
        let err =
            load_str(r#"{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#)
                .unwrap_err();
        assert_eq!(err.pointer(), Some("/swagger"));
        assert!(err.message.contains("Swagger 2.0"), "{err}");
    }

    #[test]
    fn openapi_three_one_is_rejected() {
        let err =
            load_str("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
        assert_eq!(err.pointer(), Some("/openapi"));
        assert!(err.message.contains("3.1.0"), "{err}");
    }

    #[test]
    fn yaml_is_accepted() {
        let spec = load_str("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap();
        assert_eq!(spec.api.info.title, "t");
    }

    #[test]
    fn structural_error_names_the_pointer() {
        let err = load_str(
            r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                "paths": {"/a": {"get": {"responses": {"200": {"description": 5}}}}}}"#,
        )
        .unwrap_err();
        assert_eq!(err.pointer(), Some("/paths/~1a/get/responses/200"), "{err}");
        assert!(err.message.contains("integer `5`"), "{err}");
    }
}
