//! `cargo xtask hostile`: specs that put hostile text in every string position a spec offers. Each
//! must be refused with a JSON pointer, or generate a crate in which the text stayed text: no
//! payload comes out as a Rust token outside a literal or doc text, `Cargo.toml` has the benign
//! spec's tables and keys, the crate builds warning-free, `cargo test --doc` runs only the
//! generator's own doctest, and rustdoc's HTML holds no script or `javascript:` link from the spec.
//!
//! The crates go to `target/hostile/` as one workspace (excluded from ours) with a target folder of
//! its own, so dependencies build once for all of them.

use crate::root;
use generator::{generate, Config, Files, RenderOptions};
use proc_macro2::{TokenStream, TokenTree};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::process::Command;

/// The identifier every code-shaped payload carries: it can only be a token if spec text became code.
/// Name conversion never yields it (snake_case is lower case, UpperCamelCase has no underscore).
pub const MARK: &str = "HOSTILE_MARK";

/// Hostile texts, by name.
pub const PAYLOADS: &[(&str, &str)] = &[
    ("lf", "x\npub fn HOSTILE_MARK() { std::process::exit(7) }\n//"),
    ("lf-const", "x\npub const HOSTILE_MARK: () = ();\n//"),
    ("cr", "x\rpub fn HOSTILE_MARK() { std::process::exit(7) }\r//"),
    ("crlf", "x\r\npub fn HOSTILE_MARK() {}\r\n//"),
    ("u2028", "x\u{2028}pub fn HOSTILE_MARK() {}\u{2029}//"),
    ("block-comment-end", "*/ pub fn HOSTILE_MARK() {} /*"),
    ("quote", "\"); pub fn HOSTILE_MARK() {} (\""),
    ("backslash", "\\\"; HOSTILE_MARK(); \\"),
    ("raw-string-end", "\"# ; HOSTILE_MARK(); r#\""),
    ("hash-run", "\"################################ HOSTILE_MARK ####"),
    ("inner-doc-attribute", "x\n#![doc = include_str!(\"/etc/passwd\")]\n"),
    ("fn-item", "fn HOSTILE_MARK() {}"),
    ("macro-breaker", "x } => {}); HOSTILE_MARK!(); macro_rules! m { ( $($t:tt)* ) => {} } ({"),
    ("toml-table", "x\"\n[dependencies.HOSTILE_MARK]\npath = \"/tmp/HOSTILE_MARK\"\n"),
    ("code-fence-in-list", "Steps:\n\n- ```rust\n  fn main() { HOSTILE_MARK() }\n  ```\n"),
    ("indented-code", "Intro\n\n    fn main() { HOSTILE_MARK() }\n"),
    ("script", "<script>alert('HOSTILE_MARK')</script>"),
    ("javascript-link", "[click](javascript:alert('HOSTILE_MARK'))"),
    ("data-link", "[click](data:text/html,<script>HOSTILE_MARK</script>)"),
    ("backtick-script", "x` <script>alert('HOSTILE_MARK')</script> `y"),
    ("even-backticks-script", "``a`<script>alert('HOSTILE_MARK')</script>`b``"),
    ("escaped-backticks-script", "\\`<script>alert('HOSTILE_MARK')</script>\\`"),
    ("bidi", "a\u{202E}b\u{2066}c\u{2069}"),
    ("nul", "a\u{0}b"),
    ("keyword", "Self"),
    ("keyword-fn", "fn"),
    ("prelude", "From"),
    ("prelude-option", "Option"),
    ("crate-name", "serde"),
    ("empty", ""),
    ("long", "name_that_goes_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_end"),
];

/// Payloads that make a name: what every name position tries.
const NAME_PAYLOADS: &[&str] = &[
    "lf",
    "crate-name",
    "long",
    "prelude",
    "backtick-script",
    "lf-const",
    "crlf",
    "u2028",
    "quote",
    "raw-string-end",
    "macro-breaker",
    "bidi",
    "keyword",
    "empty",
];

/// Payloads for prose (descriptions, summaries).
const PROSE_PAYLOADS: &[&str] = &[
    "code-fence-in-list",
    "script",
    "bidi",
    "lf",
    "cr",
    "block-comment-end",
    "inner-doc-attribute",
    "indented-code",
    "javascript-link",
    "data-link",
    "even-backticks-script",
    "nul",
    "escaped-backticks-script",
];

/// Payloads for values the code sends or compares (server URLs, defaults, enum values).
const VALUE_PAYLOADS: &[&str] = &[
    "lf",
    "quote",
    "bidi",
    "cr",
    "backslash",
    "raw-string-end",
    "hash-run",
    "inner-doc-attribute",
    "backtick-script",
    "nul",
];

/// A string position of the spec, and how to put a payload there.
pub struct Position {
    pub name: &'static str,
    pub payloads: &'static [&'static str],
    pub place: fn(&mut Value, &str),
}

pub const POSITIONS: &[Position] = &[
    Position {
        name: "info.title",
        payloads: &[
            "lf",
            "crlf",
            "quote",
            "toml-table",
            "inner-doc-attribute",
            "script",
            "backtick-script",
            "bidi",
            "nul",
            "empty",
        ],
        place: |s, p| s["info"]["title"] = json!(p),
    },
    Position {
        name: "info.version",
        payloads: &[
            "lf",
            "quote",
            "toml-table",
            "raw-string-end",
            "backtick-script",
            "bidi",
            "nul",
        ],
        place: |s, p| s["info"]["version"] = json!(p),
    },
    Position {
        name: "servers[0].url",
        payloads: VALUE_PAYLOADS,
        place: |s, p| s["servers"][0]["url"] = json!(format!("https://{{region}}.example.com/{p}")),
    },
    Position {
        name: "server variable name",
        payloads: NAME_PAYLOADS,
        place: |s, p| {
            rename_key(&mut s["servers"][0]["variables"], "region", p);
            s["servers"][0]["url"] = json!(format!("https://{{{p}}}.example.com/v1"));
        },
    },
    Position {
        name: "server variable default",
        payloads: VALUE_PAYLOADS,
        place: |s, p| s["servers"][0]["variables"]["region"]["default"] = json!(p),
    },
    Position {
        name: "operation server url",
        payloads: VALUE_PAYLOADS,
        place: |s, p| {
            s["paths"]["/things/{thingId}"]["put"]["servers"][0]["url"] =
                json!(format!("https://admin.example.com/{p}"))
        },
    },
    Position {
        name: "tag name",
        payloads: NAME_PAYLOADS,
        place: |s, p| {
            s["tags"][0]["name"] = json!(p);
            for method in ["get", "put"] {
                s["paths"]["/things/{thingId}"][method]["tags"] = json!([p]);
            }
        },
    },
    Position {
        name: "tag description",
        payloads: PROSE_PAYLOADS,
        place: |s, p| s["tags"][0]["description"] = json!(p),
    },
    Position {
        name: "operationId",
        payloads: NAME_PAYLOADS,
        place: |s, p| s["paths"]["/things/{thingId}"]["get"]["operationId"] = json!(p),
    },
    Position {
        name: "operation description",
        payloads: PROSE_PAYLOADS,
        place: |s, p| s["paths"]["/things/{thingId}"]["get"]["description"] = json!(p),
    },
    Position {
        name: "operation summary",
        payloads: &["lf", "script", "backtick-script", "bidi"],
        place: |s, p| s["paths"]["/things/{thingId}"]["get"]["summary"] = json!(p),
    },
    Position {
        name: "path key",
        payloads: &[
            "lf",
            "lf-const",
            "crlf",
            "quote",
            "raw-string-end",
            "backtick-script",
            "bidi",
            "nul",
            "hash-run",
        ],
        place: |s, p| {
            let path = format!("/things/{p}/{{thingId}}");
            rename_key(&mut s["paths"], "/things/{thingId}", &path);
        },
    },
    Position {
        name: "path parameter name",
        payloads: NAME_PAYLOADS,
        place: |s, p| {
            let path = format!("/things/{{{p}}}");
            rename_key(&mut s["paths"], "/things/{thingId}", &path);
            for method in ["get", "put"] {
                s["paths"][&path][method]["parameters"][0]["name"] = json!(p);
            }
        },
    },
    Position {
        name: "query parameter name",
        payloads: NAME_PAYLOADS,
        place: |s, p| s["paths"]["/things/{thingId}"]["get"]["parameters"][1]["name"] = json!(p),
    },
    Position {
        name: "header parameter name",
        payloads: NAME_PAYLOADS,
        place: |s, p| s["paths"]["/things/{thingId}"]["get"]["parameters"][2]["name"] = json!(p),
    },
    Position {
        name: "cookie parameter name",
        payloads: NAME_PAYLOADS,
        place: |s, p| s["paths"]["/things/{thingId}"]["get"]["parameters"][3]["name"] = json!(p),
    },
    Position {
        name: "parameter description",
        payloads: &["lf", "code-fence-in-list", "script", "bidi"],
        place: |s, p| {
            s["paths"]["/things/{thingId}"]["get"]["parameters"][1]["description"] = json!(p)
        },
    },
    Position {
        name: "schema name",
        payloads: NAME_PAYLOADS,
        place: |s, p| rename_schema(s, "Thing", p),
    },
    Position {
        name: "schema description",
        payloads: PROSE_PAYLOADS,
        place: |s, p| s["components"]["schemas"]["Thing"]["description"] = json!(p),
    },
    Position {
        name: "property name",
        payloads: NAME_PAYLOADS,
        place: |s, p| {
            rename_key(
                &mut s["components"]["schemas"]["Thing"]["properties"],
                "name",
                p,
            );
            s["components"]["schemas"]["Thing"]["required"] = json!([p]);
        },
    },
    Position {
        name: "property description",
        payloads: &[
            "lf",
            "code-fence-in-list",
            "indented-code",
            "script",
            "javascript-link",
            "bidi",
        ],
        place: |s, p| {
            s["components"]["schemas"]["Thing"]["properties"]["name"]["description"] = json!(p)
        },
    },
    Position {
        name: "enum value",
        payloads: &[
            "lf",
            "crlf",
            "quote",
            "raw-string-end",
            "backtick-script",
            "macro-breaker",
            "bidi",
            "nul",
            "keyword",
            "prelude",
            "empty",
            "long",
        ],
        place: |s, p| {
            s["components"]["schemas"]["Thing"]["properties"]["kind"]["enum"][1] = json!(p)
        },
    },
    Position {
        name: "discriminator property",
        payloads: &[
            "lf",
            "quote",
            "raw-string-end",
            "macro-breaker",
            "bidi",
            "keyword",
            "empty",
        ],
        place: |s, p| {
            s["components"]["schemas"]["Pet"]["discriminator"]["propertyName"] = json!(p);
            for member in ["Cat", "Dog"] {
                rename_key(
                    &mut s["components"]["schemas"][member]["properties"],
                    "petType",
                    p,
                );
            }
        },
    },
    Position {
        name: "discriminator mapping key",
        payloads: &[
            "lf",
            "quote",
            "raw-string-end",
            "macro-breaker",
            "bidi",
            "nul",
            "keyword",
            "prelude",
            "empty",
        ],
        place: |s, p| {
            rename_key(
                &mut s["components"]["schemas"]["Pet"]["discriminator"]["mapping"],
                "cat",
                p,
            )
        },
    },
    Position {
        name: "security scheme name",
        payloads: NAME_PAYLOADS,
        place: |s, p| {
            rename_key(&mut s["components"]["securitySchemes"], "key", p);
            s["paths"]["/things/{thingId}"]["put"]["security"] = json!([{ p: [] }]);
        },
    },
    Position {
        name: "security scheme description",
        payloads: &["lf", "script", "code-fence-in-list"],
        place: |s, p| s["components"]["securitySchemes"]["bearer"]["description"] = json!(p),
    },
    Position {
        name: "api key header name",
        payloads: &[
            "lf",
            "quote",
            "raw-string-end",
            "backtick-script",
            "bidi",
            "nul",
        ],
        place: |s, p| s["components"]["securitySchemes"]["key"]["name"] = json!(p),
    },
    Position {
        name: "request media type",
        payloads: &["lf", "quote", "raw-string-end", "bidi", "nul"],
        place: |s, p| {
            let media = format!("application/{p}+json");
            rename_key(
                &mut s["paths"]["/things/{thingId}"]["put"]["requestBody"]["content"],
                "application/json",
                &media,
            );
        },
    },
    Position {
        name: "response code",
        payloads: &["lf", "quote", "fn-item", "empty"],
        place: |s, p| {
            rename_key(
                &mut s["paths"]["/things/{thingId}"]["get"]["responses"],
                "404",
                p,
            )
        },
    },
    Position {
        name: "response description",
        payloads: &["lf", "script", "code-fence-in-list", "bidi"],
        place: |s, p| {
            s["paths"]["/things/{thingId}"]["get"]["responses"]["404"]["description"] = json!(p)
        },
    },
];

/// The benign spec every case starts from: one of each construct whose strings a payload replaces.
pub fn benign() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Hostile test", "version": "1.0.0", "description": "Benign."},
        "servers": [{
            "url": "https://{region}.example.com/v1",
            "description": "Main.",
            "variables": {"region": {"default": "eu", "description": "Region."}}
        }],
        "tags": [{"name": "things", "description": "Things."}],
        "security": [{"bearer": []}],
        "paths": {
            "/things/{thingId}": {
                "get": {
                    "operationId": "getThing",
                    "tags": ["things"],
                    "summary": "Get a thing.",
                    "description": "Gets it.",
                    "parameters": [
                        {"name": "thingId", "in": "path", "required": true, "schema": {"type": "string"}},
                        {"name": "filter", "in": "query", "schema": {"type": "string"}},
                        {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                        {"name": "session", "in": "cookie", "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": {
                            "description": "The thing.",
                            "headers": {"X-Rate": {"schema": {"type": "integer"}}},
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}
                        },
                        "404": {
                            "description": "Missing.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
                        },
                        "409": {
                            "description": "Taken.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Cat"}}}
                        }
                    }
                },
                "put": {
                    "operationId": "putThing",
                    "tags": ["things"],
                    "servers": [{"url": "https://admin.example.com/v1"}],
                    "security": [{"key": []}],
                    "parameters": [
                        {"name": "thingId", "in": "path", "required": true, "schema": {"type": "string"}}
                    ],
                    "requestBody": {
                        "required": true,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}
                    },
                    "responses": {
                        "200": {
                            "description": "The pet.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}
                        }
                    }
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "description": "A thing.",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string", "description": "Its name.", "example": "x", "default": "y"},
                        "kind": {"type": "string", "enum": ["small", "large"]}
                    }
                },
                "Problem": {"type": "object", "properties": {"message": {"type": "string"}}},
                "Cat": {"type": "object", "properties": {"petType": {"type": "string"}, "meow": {"type": "boolean"}}},
                "Dog": {"type": "object", "properties": {"petType": {"type": "string"}, "bark": {"type": "boolean"}}},
                "Pet": {
                    "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                    "discriminator": {
                        "propertyName": "petType",
                        "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"}
                    }
                }
            },
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "Token."},
                "key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}
            }
        }
    })
}

/// Renames a member of an object in place, keeping its position.
fn rename_key(object: &mut Value, from: &str, to: &str) {
    let Some(map) = object.as_object_mut() else {
        return;
    };
    let renamed: Map<String, Value> = std::mem::take(map)
        .into_iter()
        .map(|(k, v)| {
            if k == from {
                (to.to_owned(), v)
            } else {
                (k, v)
            }
        })
        .collect();
    *map = renamed;
}

/// Renames a component schema and every reference to it.
fn rename_schema(spec: &mut Value, from: &str, to: &str) {
    rename_key(&mut spec["components"]["schemas"], from, to);
    let old = format!("#/components/schemas/{from}");
    // A reference is a JSON pointer: `~` and `/` in the name are escaped.
    let new = format!(
        "#/components/schemas/{}",
        to.replace('~', "~0").replace('/', "~1")
    );
    replace_strings(spec, &old, &new);
}

fn replace_strings(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::String(s) if s == from => *s = to.to_owned(),
        Value::Array(items) => items.iter_mut().for_each(|v| replace_strings(v, from, to)),
        Value::Object(map) => map.values_mut().for_each(|v| replace_strings(v, from, to)),
        _ => {}
    }
}

/// One hostile spec: a payload in a position.
pub struct Case {
    pub position: &'static str,
    pub payload: &'static str,
    pub spec: Value,
}

impl Case {
    /// A crate name unique to the case.
    fn crate_name(&self, index: usize) -> String {
        format!("hostile-{index:03}")
    }
}

pub fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for position in POSITIONS {
        for payload_name in position.payloads {
            let payload = payload(payload_name);
            let mut spec = benign();
            (position.place)(&mut spec, payload);
            cases.push(Case {
                position: position.name,
                payload: payload_name,
                spec,
            });
        }
    }
    cases
}

fn payload(name: &str) -> &'static str {
    PAYLOADS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
        .unwrap_or_else(|| panic!("no payload named {name}"))
}

/// What generating one spec gave.
pub enum Outcome {
    Files(Files),
    Refused {
        pointer: String,
        message: String,
    },
    /// Refused without saying where: a defect, as a panic is.
    RefusedWithoutPointer(String),
    Panicked(String),
}

pub fn generate_spec(spec: &Value, crate_name: &str) -> Outcome {
    let text = spec.to_string();
    let options = RenderOptions {
        crate_name: crate_name.to_owned(),
        crate_version: "0.1.0".to_owned(),
        // As `cargo xtask generate` takes it: spec text.
        spec_version: spec["info"]["version"].as_str().unwrap_or("").to_owned(),
        preamble: "@generated by `cargo xtask hostile`; do not edit by hand.".to_owned(),
        tags: None,
        example: None,
        contract_calls: false,
    };
    let result = catch_unwind(AssertUnwindSafe(|| {
        generate(&text, &Config::default(), &options)
    }));
    match result {
        Ok(Ok(generated)) => Outcome::Files(generated.files),
        Ok(Err(error)) => match error.pointer() {
            Some(pointer) => Outcome::Refused {
                pointer: pointer.to_owned(),
                message: error.to_string(),
            },
            None => Outcome::RefusedWithoutPointer(error.to_string()),
        },
        Err(panic) => Outcome::Panicked(
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default(),
        ),
    }
}

/// Where spec text became code in the generated Rust: each file's tokens, read by proc-macro2,
/// outside literals (doc comments are `#[doc = "…"]` literals to it). Empty: none.
pub fn injections(files: &Files) -> Vec<String> {
    let mut found = Vec::new();
    for (path, text) in files.iter().filter(|(p, _)| p.ends_with(".rs")) {
        match text.parse::<TokenStream>() {
            Ok(tokens) => find_marks(tokens, path, &mut found),
            Err(e) => found.push(format!("{path}: does not lex: {e}")),
        }
    }
    found
}

fn find_marks(tokens: TokenStream, path: &str, found: &mut Vec<String>) {
    let mut previous_ident: Option<String> = None;
    for token in tokens {
        match &token {
            TokenTree::Group(group) => find_marks(group.stream(), path, found),
            TokenTree::Ident(ident) => {
                let ident = ident.to_string();
                if ident.contains(MARK) {
                    found.push(format!("{path}: the identifier `{ident}`"));
                }
                previous_ident = Some(ident);
                continue;
            }
            TokenTree::Punct(punct)
                if punct.as_char() == '!' && previous_ident.as_deref() == Some("include_str") =>
            {
                found.push(format!("{path}: `include_str!`"));
            }
            _ => {}
        }
        previous_ident = None;
    }
}

/// The tables and keys of a manifest, as `table.key` paths.
pub fn manifest_shape(manifest: &str) -> Result<BTreeSet<String>, String> {
    let table: toml::Table = manifest
        .parse()
        .map_err(|e| format!("Cargo.toml does not parse: {e}"))?;
    let mut shape = BTreeSet::new();
    collect_keys(&table, "", &mut shape);
    Ok(shape)
}

fn collect_keys(table: &toml::Table, prefix: &str, shape: &mut BTreeSet<String>) {
    for (key, value) in table {
        let path = format!("{prefix}{key}");
        shape.insert(path.clone());
        if let toml::Value::Table(inner) = value {
            collect_keys(inner, &format!("{path}."), shape);
        }
    }
}

/// Where the manifest's tables or keys differ from the benign spec's crate; features (one per API
/// group) are named after the spec's tags and so are left out.
pub fn manifest_difference(benign: &str, hostile: &str) -> Result<Vec<String>, String> {
    let not_features = |k: &String| !k.starts_with("features.");
    let benign: BTreeSet<String> = manifest_shape(benign)?
        .into_iter()
        .filter(not_features)
        .collect();
    let hostile: BTreeSet<String> = manifest_shape(hostile)?
        .into_iter()
        .filter(not_features)
        .collect();
    Ok(benign
        .symmetric_difference(&hostile)
        .map(|k| format!("Cargo.toml key `{k}`"))
        .collect())
}

/// Characters rustc refuses in comments and literals (they change how text reads).
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The documentation blocks of the generated Rust: each run of `///` or `//!` lines, as markdown.
fn doc_blocks(files: &Files) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    for (path, text) in files.iter().filter(|(p, _)| p.ends_with(".rs")) {
        let mut block = String::new();
        for line in text.lines().chain([""]) {
            let trimmed = line.trim_start();
            let doc = trimmed
                .strip_prefix("///")
                .or_else(|| trimmed.strip_prefix("//!"));
            match doc {
                Some(doc) => {
                    block.push_str(doc.strip_prefix(' ').unwrap_or(doc));
                    block.push('\n');
                }
                None if !block.is_empty() => {
                    blocks.push((path.clone(), std::mem::take(&mut block)))
                }
                None => {}
            }
        }
    }
    blocks
}

/// What the docs would show or run of the spec, read by the markdown parser rustdoc uses: code
/// blocks rustdoc would run as doctests, raw HTML, and script link targets.
pub fn doc_findings(files: &Files) -> Vec<String> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
    // The parser and the options rustdoc reads docs with.
    let mut found = Vec::new();
    for (path, block) in doc_blocks(files) {
        // The crate's own example (`no_run`, in lib.rs) is the one doctest there is.
        let own_example = |info: &str| path == "src/lib.rs" && info == "no_run";
        for event in Parser::new_ext(&block, generator::docs::rustdoc_options()) {
            match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => {
                    found.push(format!("{path}: an indented code block (a doctest)"))
                }
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                    if info.as_ref() != "text" && !own_example(&info) =>
                {
                    found.push(format!(
                        "{path}: a code block labelled `{info}` (a doctest)"
                    ))
                }
                Event::Html(html) | Event::InlineHtml(html) => {
                    found.push(format!("{path}: raw HTML `{}`", html.trim()))
                }
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    let scheme = dest_url.to_ascii_lowercase();
                    if ["javascript:", "data:", "vbscript:"]
                        .iter()
                        .any(|s| scheme.trim_start().starts_with(s))
                    {
                        found.push(format!("{path}: a link to `{dest_url}`"));
                    }
                }
                _ => {}
            }
        }
    }
    found
}

/// Std prelude names a generated type must not take (the crate's own code names them unqualified).
const PRELUDE: &[&str] = &[
    "Box",
    "Clone",
    "Copy",
    "Default",
    "Drop",
    "Eq",
    "Err",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// Generated types, variants' enums aside, that take a prelude name.
fn prelude_shadowing(files: &Files) -> Vec<String> {
    let mut found = Vec::new();
    for (path, text) in files.iter().filter(|(p, _)| p.ends_with(".rs")) {
        let Ok(tokens) = text.parse::<TokenStream>() else {
            continue;
        };
        let mut previous = String::new();
        for token in tokens {
            if let TokenTree::Ident(ident) = &token {
                let ident = ident.to_string();
                if matches!(previous.as_str(), "struct" | "enum" | "type" | "trait")
                    && PRELUDE.contains(&ident.as_str())
                {
                    found.push(format!("{path}: a type named `{ident}`"));
                }
                previous = ident;
            } else {
                previous.clear();
            }
        }
    }
    found
}

/// File names a file system refuses (a component over 255 bytes).
fn overlong_paths(files: &Files) -> Vec<String> {
    files
        .keys()
        .filter(|path| path.split('/').any(|part| part.len() > 255))
        .map(|path| format!("a file name of {} bytes", path.len()))
        .collect()
}

/// The static checks of one generated crate: (a) tokens, (b) the manifest, what the docs would
/// run or show, and what would stop it building.
pub fn static_findings(files: &Files, benign_manifest: &str) -> Vec<String> {
    let mut found = injections(files);
    found.extend(doc_findings(files));
    found.extend(prelude_shadowing(files));
    found.extend(overlong_paths(files));
    for (path, text) in files {
        if text.contains(is_bidi) {
            found.push(format!("{path}: a text-direction control character"));
        }
    }
    match files.get("Cargo.toml") {
        Some(manifest) => match manifest_difference(benign_manifest, manifest) {
            Ok(difference) => found.extend(difference),
            Err(e) => found.push(e),
        },
        None => found.push("no Cargo.toml".to_owned()),
    }
    found
}

/// What rustdoc's HTML shows of the spec's scripts and links: `<script` elements carrying the mark,
/// and any `javascript:` or `data:` link target.
pub fn html_findings(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(start) = rest.find("<script") {
        let element = &rest[start..];
        let end = element.find("</script>").unwrap_or(element.len());
        if element[..end].contains(&MARK.to_ascii_lowercase()) {
            found.push("a <script> element from the spec".to_owned());
        }
        rest = &element[7..];
    }
    for attribute in ["href", "src"] {
        for scheme in ["javascript:", "vbscript:", "data:"] {
            if lower.contains(&format!("{attribute}=\"{scheme}")) {
                found.push(format!("a `{scheme}` {attribute}"));
            }
        }
    }
    found
}

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(extra) = args.first() {
        return Err(format!(
            "`cargo xtask hostile` takes no arguments (got `{extra}`)"
        ));
    }
    let root = root();
    let dir = root.join("target/hostile");
    let cases = cases();
    let positions: BTreeSet<&str> = cases.iter().map(|c| c.position).collect();

    let benign_files = match generate_spec(&benign(), "hostile-benign") {
        Outcome::Files(files) => files,
        _ => return Err("the benign spec does not generate".to_owned()),
    };
    let benign_manifest = benign_files["Cargo.toml"].clone();

    let mut failures: Vec<String> = Vec::new();
    let mut refused = 0;
    let mut panics = 0;
    let mut injected: BTreeSet<String> = BTreeSet::new();
    // Crate name → the case it holds.
    let mut built: BTreeMap<String, String> = BTreeMap::new();
    let mut crates: Vec<(String, Files)> = vec![("hostile-benign".to_owned(), benign_files)];
    for (index, case) in cases.iter().enumerate() {
        let label = format!("{} with {}", case.position, case.payload);
        let name = case.crate_name(index);
        match generate_spec(&case.spec, &name) {
            Outcome::Refused { pointer, message } => {
                refused += 1;
                println!(
                    "refused: {label}, at `{}`: {}",
                    pointer.escape_debug(),
                    message.escape_debug()
                );
            }
            Outcome::RefusedWithoutPointer(message) => failures.push(format!(
                "{label}: refused without a JSON pointer: {message}"
            )),
            Outcome::Panicked(message) => {
                panics += 1;
                failures.push(format!("{label}: the generator panicked: {message}"));
            }
            Outcome::Files(files) => {
                let found = static_findings(&files, &benign_manifest);
                if !found.is_empty() {
                    injected.insert(name.clone());
                    failures.push(format!("{label}: {}", found.join("; ")));
                }
                built.insert(name.clone(), label);
                crates.push((name, files));
            }
        }
    }

    write_workspace(&root, &dir, &crates)?;
    let crate_dirs: Vec<String> = crates.iter().map(|(name, _)| name.clone()).collect();

    // Crates that do not build or document: neither injected nor inert.
    let mut broken: BTreeSet<String> = BTreeSet::new();
    // Built warning-free, doctests counted, docs written.
    let target = dir.join("target");
    let doctests = run_doctests(&dir, &target)?;
    let benign_doctests = doctests.get("hostile_benign").copied();
    for name in &crate_dirs {
        let ident = name.replace('-', "_");
        let label = built.get(name).map(String::as_str).unwrap_or(name);
        match (doctests.get(&ident), benign_doctests) {
            (Some(count), Some(benign)) if *count == benign => {}
            (Some(count), Some(benign)) => {
                injected.insert(name.clone());
                failures.push(format!(
                    "{label}: {count} doctests where the benign spec has {benign}"
                ));
            }
            _ => {
                broken.insert(name.clone());
                failures.push(format!(
                    "{label}: the crate does not build warning-free (or its doctests did not run)"
                ))
            }
        }
    }
    let documented = run_rustdoc(&dir, &target)?;
    for name in &crate_dirs {
        let ident = name.replace('-', "_");
        let label = built.get(name).map(String::as_str).unwrap_or(name);
        if !documented.contains(&ident) {
            broken.insert(name.clone());
            failures.push(format!("{label}: rustdoc fails (warnings denied)"));
            continue;
        }
        for file in crate::files_under([target.join("doc").join(&ident)]) {
            if file.extension().is_some_and(|e| e == "html") {
                let html = std::fs::read_to_string(&file).unwrap_or_default();
                let found = html_findings(&html);
                if !found.is_empty() {
                    injected.insert(name.clone());
                    failures.push(format!(
                        "{label}: {} in {}",
                        found.join(", "),
                        file.display()
                    ));
                }
            }
        }
    }

    println!(
        "hostile specs: {} tried over {} positions, {} injections, {} panics, {} refused with a JSON pointer, {} inert",
        cases.len(),
        positions.len(),
        injected.len(),
        panics,
        refused,
        // The benign crate is built beside them and is not a case.
        built.keys().filter(|n| !injected.contains(*n) && !broken.contains(*n)).count()
    );
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

/// Writes every crate into `dir` as one workspace, with our lock file for the same versions.
fn write_workspace(root: &Path, dir: &Path, crates: &[(String, Files)]) -> Result<(), String> {
    if dir.exists() {
        for entry in std::fs::read_dir(dir).map_err(|e| e.to_string())?.flatten() {
            let path = entry.path();
            if path.is_dir() && path.file_name().is_some_and(|n| n != "target") {
                std::fs::remove_dir_all(&path)
                    .map_err(|e| format!("cannot clear {}: {e}", path.display()))?;
            }
        }
    }
    for (name, files) in crates {
        let out = dir.join(name);
        std::fs::create_dir_all(&out)
            .map_err(|e| format!("cannot create {}: {e}", out.display()))?;
        crate::generate::replace_generated(&out, files)?;
    }
    let mut workspace = toml::Table::new();
    let mut members = toml::Table::new();
    members.insert(
        "members".to_owned(),
        toml::Value::Array(
            crates
                .iter()
                .map(|(name, _)| toml::Value::String(name.clone()))
                .collect(),
        ),
    );
    members.insert("resolver".to_owned(), toml::Value::String("2".to_owned()));
    workspace.insert("workspace".to_owned(), toml::Value::Table(members));
    let manifest = toml::to_string(&workspace).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    Ok(())
}

/// Builds every crate (warnings denied) and runs its doctests: the doctest count of each crate
/// that built, by crate identifier.
fn run_doctests(dir: &Path, target: &Path) -> Result<BTreeMap<String, usize>, String> {
    let output = Command::new("cargo")
        .args(["test", "--workspace", "--doc", "--no-fail-fast"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // `Doc-tests NAME` (stderr) is followed by `running N tests` (stdout), crate by crate in the
    // same order.
    let names: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Doc-tests "))
        .collect();
    let counts: Vec<usize> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("running ")?.split(' ').next()?.parse().ok())
        .collect();
    // A crate that does not build, or a doctest that fails, fails the whole step: the counts would
    // no longer pair with the crates.
    if !output.status.success() || names.len() != counts.len() {
        let tail: Vec<&str> = stderr.lines().rev().take(40).collect();
        return Err(format!(
            "the hostile crates do not all build warning-free and pass their doctests:\n{}",
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        ));
    }
    Ok(names.into_iter().map(str::to_owned).zip(counts).collect())
}

/// Documents every crate (warnings denied): the identifiers of the crates rustdoc documented.
fn run_rustdoc(dir: &Path, target: &Path) -> Result<BTreeSet<String>, String> {
    // Only what this run documents counts.
    let doc = target.join("doc");
    if doc.exists() {
        std::fs::remove_dir_all(&doc)
            .map_err(|e| format!("cannot clear {}: {e}", doc.display()))?;
    }
    let output = Command::new("cargo")
        .args(["doc", "--workspace", "--no-deps", "--keep-going"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let failed: BTreeSet<String> = stderr
        .lines()
        .filter_map(|l| {
            let rest = l.split("could not document `").nth(1)?;
            Some(rest.split('`').next()?.replace('-', "_"))
        })
        .collect();
    Ok(std::fs::read_dir(&doc)
        .map_err(|e| format!("cannot read {}: {e}", doc.display()))?
        .flatten()
        .filter(|e| e.path().join("index.html").exists())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|name| !failed.contains(name))
        .collect())
}

/// Each way a hostile spec got code or script into the crate before the text types existed.
#[cfg(test)]
mod tests {
    use super::*;

    /// The case of `payload` at `position`, generated: what the static checks find.
    fn findings(position: &str, payload: &str) -> Vec<String> {
        let position = POSITIONS
            .iter()
            .find(|p| p.name == position)
            .unwrap_or_else(|| panic!("no position {position}"));
        let mut spec = benign();
        (position.place)(&mut spec, super::payload(payload));
        match generate_spec(&spec, "hostile") {
            Outcome::Files(files) => static_findings(&files, &benign_manifest()),
            Outcome::Refused { pointer, message } => {
                vec![format!("refused at {pointer}: {message}")]
            }
            Outcome::RefusedWithoutPointer(message) => vec![format!("refused: {message}")],
            Outcome::Panicked(message) => vec![format!("panicked: {message}")],
        }
    }

    fn benign_manifest() -> String {
        match generate_spec(&benign(), "hostile") {
            Outcome::Files(files) => files["Cargo.toml"].clone(),
            _ => panic!("the benign spec does not generate"),
        }
    }

    fn assert_inert(position: &str, payload: &str) {
        let found = findings(position, payload);
        assert!(found.is_empty(), "{position} with {payload}: {found:#?}");
    }

    #[test]
    fn the_benign_spec_is_clean() {
        match generate_spec(&benign(), "hostile") {
            Outcome::Files(files) => assert_eq!(
                static_findings(&files, &benign_manifest()),
                Vec::<String>::new()
            ),
            _ => panic!("the benign spec does not generate"),
        }
    }

    /// The static half of `cargo xtask hostile`, for every case: quick enough for `cargo test`.
    #[test]
    fn every_case_is_refused_with_a_pointer_or_passes_the_static_checks() {
        let benign = benign_manifest();
        let mut found = Vec::new();
        for case in cases() {
            match generate_spec(&case.spec, "hostile") {
                Outcome::Files(files) => {
                    for finding in static_findings(&files, &benign) {
                        found.push(format!(
                            "{} with {}: {finding}",
                            case.position, case.payload
                        ));
                    }
                }
                Outcome::Refused { .. } => {}
                Outcome::RefusedWithoutPointer(m) | Outcome::Panicked(m) => {
                    found.push(format!("{} with {}: {m}", case.position, case.payload))
                }
            }
        }
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn the_checks_see_an_injection() {
        // The oracle itself: a mark outside a literal, a doctest, a script and a link are seen.
        let mut files = Files::new();
        files.insert(
            "src/a.rs".to_owned(),
            "/// ok HOSTILE_MARK\nfn HOSTILE_MARK() {}".to_owned(),
        );
        files.insert("src/b.rs".to_owned(), "/// ```rust\n/// x\n/// ```\n/// <script>x</script>\n///\n/// [a](javascript:x)\nfn f() {}".to_owned());
        files.insert(
            "src/c.rs".to_owned(),
            "#![doc = include_str!(\"/etc/passwd\")]".to_owned(),
        );
        let found = [injections(&files), doc_findings(&files)].concat();
        assert_eq!(found.len(), 5, "{found:#?}");
        assert!(html_findings("<p><script>alert('hostile_mark')</script></p>").len() == 1);
        assert!(html_findings("<a href=\"javascript:alert(1)\">x</a>").len() == 1);
        assert!(html_findings("<script src=\"../static.files/main.js\"></script>").is_empty());
    }

    #[test]
    fn a_line_break_in_the_title_stays_doc_text() {
        assert_inert("info.title", "lf");
        assert_inert("info.title", "inner-doc-attribute");
    }

    #[test]
    fn a_line_break_in_a_tag_name_stays_doc_text() {
        assert_inert("tag name", "lf");
    }

    #[test]
    fn a_line_break_in_an_operation_id_stays_doc_text() {
        assert_inert("operationId", "lf");
    }

    #[test]
    fn a_line_break_in_a_path_key_stays_doc_text() {
        assert_inert("path key", "lf-const");
    }

    #[test]
    fn a_line_break_in_an_optional_parameter_name_stays_doc_text() {
        assert_inert("query parameter name", "lf");
        assert_inert("header parameter name", "lf");
        assert_inert("cookie parameter name", "lf");
    }

    #[test]
    fn a_line_break_in_an_operation_server_url_stays_doc_text() {
        assert_inert("operation server url", "lf");
    }

    #[test]
    fn a_line_break_in_the_first_server_url_stays_doc_text() {
        assert_inert("servers[0].url", "lf");
    }

    #[test]
    fn a_line_break_in_a_server_variable_stays_doc_text() {
        assert_inert("server variable name", "lf");
        assert_inert("server variable default", "lf");
    }

    #[test]
    fn a_line_break_in_a_security_scheme_name_stays_doc_text() {
        assert_inert("security scheme name", "lf");
    }

    #[test]
    fn the_title_cannot_break_or_extend_the_manifest() {
        assert_inert("info.title", "quote");
        assert_inert("info.title", "toml-table");
    }

    #[test]
    fn a_code_fence_in_a_list_item_is_no_doctest() {
        assert_inert("operation description", "code-fence-in-list");
        assert_inert("schema description", "code-fence-in-list");
    }

    #[test]
    fn a_script_in_the_title_stays_text() {
        assert_inert("info.title", "script");
    }

    #[test]
    fn a_backtick_in_a_tag_or_scheme_name_cannot_close_a_code_span() {
        assert_inert("tag name", "backtick-script");
        assert_inert("security scheme name", "backtick-script");
    }

    #[test]
    fn a_script_between_an_even_number_of_backticks_stays_text() {
        assert_inert("operation description", "even-backticks-script");
        assert_inert("operation description", "escaped-backticks-script");
    }

    #[test]
    fn a_javascript_link_is_no_link() {
        assert_inert("operation description", "javascript-link");
        assert_inert("schema description", "data-link");
    }

    #[test]
    fn a_text_direction_character_in_a_description_is_escaped() {
        assert_inert("operation description", "bidi");
    }

    #[test]
    fn a_schema_named_after_the_prelude_is_renamed() {
        assert_inert("schema name", "prelude");
        assert_inert("schema name", "prelude-option");
    }

    #[test]
    fn a_one_of_variant_that_would_be_named_self_is_renamed() {
        assert_inert("discriminator mapping key", "keyword");
        // The words both members share are taken away: `SelfNode` and `OtherNode` would leave a
        // variant `Self`.
        let mut spec = benign();
        let schemas = &mut spec["components"]["schemas"];
        schemas["SelfNode"] = json!({"type": "object", "properties": {"a": {"type": "string"}}});
        schemas["OtherNode"] = json!({"type": "object", "properties": {"b": {"type": "integer"}}});
        schemas["Node"] = json!({"oneOf": [
            {"$ref": "#/components/schemas/SelfNode"},
            {"$ref": "#/components/schemas/OtherNode"}
        ]});
        match generate_spec(&spec, "hostile") {
            Outcome::Files(files) => {
                assert_eq!(
                    static_findings(&files, &benign_manifest()),
                    Vec::<String>::new()
                );
                let node = &files["src/models/node.rs"];
                assert!(
                    node.contains("SelfValue(crate::models::SelfNode)"),
                    "{node}"
                );
            }
            _ => panic!("the spec does not generate"),
        }
    }

    #[test]
    fn a_300_character_name_is_shortened() {
        assert_inert("schema name", "long");
        assert_inert("tag name", "long");
    }
}
