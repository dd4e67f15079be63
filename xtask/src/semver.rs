//! `cargo xtask semver`: the change report labels each Rust change as cargo-semver-checks does.
//! Kinds of spec change are applied one at a time to a small spec; the crate of each is checked
//! against the crate of the spec as it was by cargo-semver-checks (pinned, installed into `.tools/`
//! on first use), and its verdict (breaking or not) must be the report's: breaking when the report
//! holds a change that breaks Rust callers and that a cargo-semver-checks lint sees. Changes the
//! report rightly calls breaking and no lint sees (a type changed in place) are listed by kind.
//!
//! The crates go to `target/semver/` with a target folder of their own, shared by all of them.

use crate::root;
use generator::diff::{Level, Report};
use generator::{generate, Config, RenderOptions};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The cargo-semver-checks release the step installs and trusts.
const TOOL_VERSION: &str = "0.51.0";

/// The spec every change starts from.
fn base() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Semver probe", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {
            "/things/{id}": {
                "get": {
                    "operationId": "getThing",
                    "tags": ["things"],
                    "parameters": [
                        {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                        {"name": "verbose", "in": "query", "schema": {"type": "boolean"}}
                    ],
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                        "404": {"description": "missing", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
                    }
                },
                "delete": {
                    "operationId": "deleteThing",
                    "tags": ["things"],
                    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "responses": {"204": {"description": "gone"}}
                }
            },
            "/things": {
                "post": {
                    "operationId": "createThing",
                    "tags": ["things"],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                    "responses": {
                        "201": {"description": "made", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                        "202": {"description": "queued", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Ticket"}}}}
                    }
                }
            },
            "/shapes": {
                "get": {
                    "operationId": "getShape",
                    "tags": ["shapes"],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Shape"}}}}}
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "required": ["id", "name"],
                    "properties": {
                        "id": {"type": "string"},
                        "name": {"type": "string"},
                        "brand-100": {"type": "string"},
                        "size": {"type": "integer", "format": "int64"},
                        "color": {"$ref": "#/components/schemas/Color"},
                        "note": {"type": "string"}
                    }
                },
                "Problem": {"type": "object", "properties": {"message": {"type": "string"}}},
                "Ticket": {"type": "object", "properties": {"ticket": {"type": "string"}}},
                "Color": {"type": "string", "enum": ["red", "green"]},
                "Circle": {"type": "object", "properties": {"kind": {"type": "string"}, "radius": {"type": "number"}}},
                "Square": {"type": "object", "properties": {"kind": {"type": "string"}, "side": {"type": "number"}}},
                "Shape": {
                    "oneOf": [{"$ref": "#/components/schemas/Circle"}, {"$ref": "#/components/schemas/Square"}],
                    "discriminator": {"propertyName": "kind"}
                },
                "Label": {"type": "string"},
                "Extra": {"type": "object", "properties": {"x": {"type": "string"}}}
            }
        }
    })
}

/// A kind of spec change, applied to the base spec.
struct SpecChange {
    name: &'static str,
    apply: fn(&mut Value),
}

fn thing(spec: &mut Value) -> &mut Value {
    &mut spec["components"]["schemas"]["Thing"]
}

fn remove(value: &mut Value, key: &str) {
    if let Some(map) = value.as_object_mut() {
        map.shift_remove(key);
    }
}

/// Inserts `key` after `after` in an object, keeping the others' order.
fn insert_after(value: &mut Value, after: &str, key: &str, new: Value) {
    if let Some(map) = value.as_object_mut() {
        let entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
        for (k, v) in entries {
            let matched = k == after;
            map.insert(k, v);
            if matched {
                map.insert(key.to_owned(), new.clone());
            }
        }
    }
}

const CHANGES: &[SpecChange] = &[
    SpecChange {
        name: "optional member added",
        apply: |s| {
            insert_after(
                &mut thing(s)["properties"],
                "size",
                "weight",
                json!({"type": "number"}),
            )
        },
    },
    SpecChange {
        name: "optional member removed",
        apply: |s| remove(&mut thing(s)["properties"], "note"),
    },
    SpecChange {
        name: "required member added",
        apply: |s| {
            insert_after(
                &mut thing(s)["properties"],
                "name",
                "owner",
                json!({"type": "string"}),
            );
            thing(s)["required"] = json!(["id", "name", "owner"]);
        },
    },
    SpecChange {
        name: "required member removed",
        apply: |s| {
            remove(&mut thing(s)["properties"], "name");
            thing(s)["required"] = json!(["id"]);
        },
    },
    SpecChange {
        name: "optional member made required",
        apply: |s| thing(s)["required"] = json!(["id", "name", "note"]),
    },
    SpecChange {
        name: "required member made optional",
        apply: |s| thing(s)["required"] = json!(["id"]),
    },
    SpecChange {
        name: "member type changed",
        apply: |s| thing(s)["properties"]["size"] = json!({"type": "string"}),
    },
    SpecChange {
        name: "optional member made nullable",
        apply: |s| thing(s)["properties"]["note"]["nullable"] = json!(true),
    },
    SpecChange {
        name: "required member made nullable",
        apply: |s| thing(s)["properties"]["name"]["nullable"] = json!(true),
    },
    SpecChange {
        name: "JSON member renamed to the same Rust name",
        apply: |s| {
            let properties = &mut thing(s)["properties"];
            insert_after(
                properties,
                "brand-100",
                "brand_100",
                json!({"type": "string"}),
            );
            remove(properties, "brand-100");
        },
    },
    SpecChange {
        name: "member documented",
        apply: |s| thing(s)["properties"]["note"]["description"] = json!("A note."),
    },
    SpecChange {
        name: "schema renamed",
        apply: |s| {
            let schemas = &mut s["components"]["schemas"];
            let extra = schemas["Extra"].clone();
            remove(schemas, "Extra");
            schemas["Additional"] = extra;
        },
    },
    SpecChange {
        name: "type added",
        apply: |s| {
            s["components"]["schemas"]["Fresh"] =
                json!({"type": "object", "properties": {"y": {"type": "string"}}})
        },
    },
    SpecChange {
        name: "type removed",
        apply: |s| remove(&mut s["components"]["schemas"], "Extra"),
    },
    SpecChange {
        name: "alias retargeted",
        apply: |s| s["components"]["schemas"]["Label"] = json!({"type": "integer"}),
    },
    SpecChange {
        name: "alias removed",
        apply: |s| remove(&mut s["components"]["schemas"], "Label"),
    },
    SpecChange {
        name: "struct turned enum",
        apply: |s| {
            s["components"]["schemas"]["Extra"] = json!({"type": "string", "enum": ["a", "b"]})
        },
    },
    SpecChange {
        name: "enum value added",
        apply: |s| s["components"]["schemas"]["Color"]["enum"] = json!(["red", "green", "blue"]),
    },
    SpecChange {
        name: "enum value removed",
        apply: |s| s["components"]["schemas"]["Color"]["enum"] = json!(["red"]),
    },
    SpecChange {
        name: "oneOf variant added",
        apply: |s| {
            s["components"]["schemas"]["Triangle"] = json!({"type": "object",
                "properties": {"kind": {"type": "string"}, "base": {"type": "number"}}});
            s["components"]["schemas"]["Shape"]["oneOf"] = json!([
                {"$ref": "#/components/schemas/Circle"},
                {"$ref": "#/components/schemas/Square"},
                {"$ref": "#/components/schemas/Triangle"}]);
        },
    },
    SpecChange {
        name: "oneOf variant removed",
        apply: |s| {
            s["components"]["schemas"]["Shape"]["oneOf"] =
                json!([{"$ref": "#/components/schemas/Circle"}])
        },
    },
    SpecChange {
        name: "oneOf variant retyped",
        apply: |s| {
            s["components"]["schemas"]["Square"]["properties"]["side"] = json!({"type": "integer"})
        },
    },
    SpecChange {
        name: "operation added",
        apply: |s| {
            s["paths"]["/things"]["get"] = json!({
        "operationId": "listThings", "tags": ["things"],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}}}}}})
        },
    },
    SpecChange {
        name: "operation removed",
        apply: |s| remove(&mut s["paths"]["/things/{id}"], "delete"),
    },
    SpecChange {
        name: "optional parameter added",
        apply: |s| {
            let parameters = s["paths"]["/things/{id}"]["get"]["parameters"]
                .as_array_mut()
                .unwrap();
            parameters.push(json!({"name": "fields", "in": "query", "schema": {"type": "string"}}));
        },
    },
    SpecChange {
        name: "optional parameter removed",
        apply: |s| {
            s["paths"]["/things/{id}"]["get"]["parameters"]
                .as_array_mut()
                .unwrap()
                .pop();
        },
    },
    SpecChange {
        name: "required parameter added",
        apply: |s| {
            let parameters = s["paths"]["/things/{id}"]["get"]["parameters"]
                .as_array_mut()
                .unwrap();
            parameters.push(json!({"name": "tenant", "in": "query", "required": true, "schema": {"type": "string"}}));
        },
    },
    SpecChange {
        name: "parameter type changed",
        apply: |s| {
            s["paths"]["/things/{id}"]["get"]["parameters"][1]["schema"] =
                json!({"type": "integer"})
        },
    },
    SpecChange {
        name: "response status added to an answer enum",
        apply: |s| {
            s["paths"]["/things"]["post"]["responses"]["203"] = json!({
        "description": "partial", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}})
        },
    },
    SpecChange {
        name: "response status removed from an answer enum",
        apply: |s| remove(&mut s["paths"]["/things"]["post"]["responses"], "202"),
    },
    SpecChange {
        name: "response status added beside a single answer",
        apply: |s| {
            s["paths"]["/things/{id}"]["get"]["responses"]["206"] = json!({
        "description": "partial", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Ticket"}}}})
        },
    },
    SpecChange {
        name: "request media type changed",
        apply: |s| {
            let content = &mut s["paths"]["/things"]["post"]["requestBody"]["content"];
            let body = content["application/json"].clone();
            remove(content, "application/json");
            content["application/x-www-form-urlencoded"] = body;
        },
    },
    SpecChange {
        name: "operation path changed",
        apply: |s| {
            let paths = &mut s["paths"];
            let shapes = paths["/shapes"].clone();
            remove(paths, "/shapes");
            paths["/v2/shapes"] = shapes;
        },
    },
];

fn render_options() -> RenderOptions {
    RenderOptions {
        crate_name: "semver-probe".to_owned(),
        crate_version: "1.0.0".to_owned(),
        spec_version: "1.0.0".to_owned(),
        preamble: "@generated by `cargo xtask semver`; do not edit by hand.".to_owned(),
        tags: None,
        example: None,
        contract_calls: false,
    }
}

/// The report of a change, and the crate of the changed spec written to `dir`.
fn report_and_crate(old: &Value, new: &Value, dir: &Path) -> Result<Report, String> {
    let analyse = |spec: &Value| {
        generator::analyse_text(&spec.to_string(), &Config::default()).map_err(|e| e.to_string())
    };
    let report = generator::diff::diff(&analyse(old)?.api, &analyse(new)?.api);
    write_crate(new, dir)?;
    Ok(report)
}

fn write_crate(spec: &Value, dir: &Path) -> Result<(), String> {
    let generated = generate(&spec.to_string(), &Config::default(), &render_options())
        .map_err(|e| e.to_string())?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    crate::generate::replace_generated(dir, &generated.files)?;
    // Each crate is a workspace of its own, with our lock file for the same versions.
    let manifest = dir.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
    text.push_str("\n[workspace]\n");
    std::fs::write(&manifest, text).map_err(|e| e.to_string())?;
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    Ok(())
}

/// cargo-semver-checks, installed into `.tools/` when it is not there yet.
fn tool() -> Result<PathBuf, String> {
    let prefix = root().join(".tools/cargo-semver-checks");
    let binary = prefix.join("bin/cargo-semver-checks");
    let installed = Command::new(&binary)
        .args(["semver-checks", "--version"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains(TOOL_VERSION));
    if !installed {
        println!("installing cargo-semver-checks {TOOL_VERSION} into .tools/ (once)");
        let status = Command::new("cargo")
            .args([
                "install",
                "--locked",
                "--quiet",
                "--version",
                TOOL_VERSION,
                "--root",
            ])
            .arg(&prefix)
            .arg("cargo-semver-checks")
            .status()
            .map_err(|e| format!("cannot run cargo install: {e}"))?;
        if !status.success() {
            return Err(format!(
                "cargo install cargo-semver-checks {TOOL_VERSION} failed"
            ));
        }
    }
    Ok(binary)
}

/// cargo-semver-checks' verdict on `current` against `baseline`: whether it finds a change that
/// needs a new major version, and its report.
fn tool_verdict(
    tool: &Path,
    baseline: &Path,
    current: &Path,
    target: &Path,
) -> Result<(bool, String), String> {
    let output = Command::new(tool)
        .args([
            "semver-checks",
            "check-release",
            "--release-type",
            "minor",
            "--baseline-root",
        ])
        .arg(baseline)
        .arg("--manifest-path")
        .arg(current.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .map_err(|e| format!("cannot run cargo-semver-checks: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    match output.status.code() {
        Some(0) => Ok((false, text)),
        _ if text.contains("semver requires new major version") => Ok((true, text)),
        _ => Err(format!(
            "cargo-semver-checks did not give a verdict:\n{text}"
        )),
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(extra) = args.first() {
        return Err(format!(
            "`cargo xtask semver` takes no arguments (got `{extra}`)"
        ));
    }
    let tool = tool()?;
    let dir = root().join("target/semver");
    let target = dir.join("target");
    let baseline = dir.join("base");
    let old = base();
    write_crate(&old, &baseline)?;

    let mut agreed = 0;
    let mut failures = Vec::new();
    let mut unlinted: Vec<String> = Vec::new();
    for (index, change) in CHANGES.iter().enumerate() {
        let mut new = base();
        (change.apply)(&mut new);
        let current = dir.join(format!("change-{index:02}"));
        let report = report_and_crate(&old, &new, &current)?;
        let ours = report
            .changes
            .iter()
            .any(|c| c.level.breaks_rust_as_linted());
        let (theirs, output) = tool_verdict(&tool, &baseline, &current, &target)?;
        let label = |breaking| if breaking { "breaking" } else { "compatible" };
        if ours == theirs {
            agreed += 1;
        } else {
            failures.push(format!(
                "{}: the report says {}, cargo-semver-checks {}\n{}\n{}",
                change.name,
                label(ours),
                label(theirs),
                report.to_markdown(),
                output
            ));
        }
        if report
            .changes
            .iter()
            .any(|c| c.level == Level::BreakingUnlinted)
        {
            unlinted.push(change.name.to_owned());
        }
        println!(
            "{:<52} report: {:<10} cargo-semver-checks: {}",
            change.name,
            label(ours),
            label(theirs)
        );
    }
    println!(
        "breaking for Rust callers where no cargo-semver-checks lint looks (the report says so): {}",
        unlinted.join("; ")
    );
    println!(
        "semver: {agreed}/{} spec changes labelled as cargo-semver-checks labels them",
        CHANGES.len()
    );
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n\n"))
    }
}
