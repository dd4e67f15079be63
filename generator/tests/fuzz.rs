//! Generation never panics: mutated copies of (a part of) the Ory spec either generate, which means
//! every file parsed as Rust, or fail with an error naming a JSON pointer.
//!
//! Mutations: deleted keys, swapped types, dangling and cyclic `$ref`s, empty, huge, unicode and
//! keyword names, duplicate operationIds, enum values that collide once renamed. The run is bounded
//! (`FUZZ_CASES`, default 2000) and prints its counts. The cases come from a fixed seed, so a run
//! fails only for a change in the generator; `FUZZ_SEED=N` explores other cases (each half uses
//! N and N + 1).

use generator::{generate, Config, Location, RenderOptions};
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The JWK, login-flow, introspection and OPL-check operations of the Ory spec with every schema
/// they reach: small enough to generate in milliseconds, with JSON, form and text bodies, path,
/// query and header parameters, tagged oneOfs, string enums, several success responses.
fn base_spec() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/ory-client.json");
    let full: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let keep = [
        "/admin/keys/{set}",
        "/admin/keys/{set}/{kid}",
        "/self-service/login",
        "/admin/oauth2/introspect",
        "/opl/syntax/check",
    ];
    let mut paths = Map::new();
    for p in keep {
        paths.insert(p.to_owned(), full["paths"][p].clone());
    }
    let mut schemas = Map::new();
    let mut pending: Vec<String> = Vec::new();
    collect_refs(&Value::Object(paths.clone()), &mut pending);
    collect_refs(&full["components"]["responses"], &mut pending);
    while let Some(name) = pending.pop() {
        if schemas.contains_key(&name) {
            continue;
        }
        let schema = full["components"]["schemas"][&name].clone();
        collect_refs(&schema, &mut pending);
        schemas.insert(name, schema);
    }
    json!({
        "openapi": "3.0.3",
        "info": full["info"],
        "servers": full["servers"],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": full["components"]["responses"],
            "securitySchemes": full["components"]["securitySchemes"]
        }
    })
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                if let Some(name) = r.strip_prefix("#/components/schemas/") {
                    out.push(name.to_owned());
                }
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// Pointers of every object in the document, in a stable order.
fn object_pointers(value: &Value, pointer: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            out.push(pointer.clone());
            for (key, child) in map {
                object_pointers(
                    child,
                    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                object_pointers(child, format!("{pointer}/{index}"), out);
            }
        }
        _ => {}
    }
}

const NAMES: &[&str] = &[
    "",
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "ü名",
    "x²",
    "123",
    "a-b",
    "a_b",
    "A B",
    "@type",
    "r#type",
    "Vec",
    "String",
    "mod",
    "Option",
    "default",
    "__proto__",
    "client_",
    "body",
];
const TYPES: &[&str] = &[
    "string", "integer", "number", "boolean", "array", "object", "null", "bogus",
];

#[derive(Debug, Clone)]
enum Mutation {
    DeleteKey(usize, usize),
    SwapType(usize, usize),
    DangleRef(usize),
    CycleRefs(usize, usize),
    RenameKey(usize, usize, usize),
    HugeName(usize, usize),
    DuplicateOperationId(usize, usize),
    CollidingEnum(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let n = 0usize..100_000;
    prop_oneof![
        (n.clone(), n.clone()).prop_map(|(a, b)| Mutation::DeleteKey(a, b)),
        (n.clone(), n.clone()).prop_map(|(a, b)| Mutation::SwapType(a, b)),
        n.clone().prop_map(Mutation::DangleRef),
        (n.clone(), n.clone()).prop_map(|(a, b)| Mutation::CycleRefs(a, b)),
        (n.clone(), n.clone(), n.clone()).prop_map(|(a, b, c)| Mutation::RenameKey(a, b, c)),
        (n.clone(), n.clone()).prop_map(|(a, b)| Mutation::HugeName(a, b)),
        (n.clone(), n.clone()).prop_map(|(a, b)| Mutation::DuplicateOperationId(a, b)),
        n.prop_map(Mutation::CollidingEnum),
    ]
}

fn object_at<'a>(
    doc: &'a mut Value,
    pointers: &[String],
    index: usize,
) -> Option<&'a mut Map<String, Value>> {
    let pointer = pointers.get(index % pointers.len().max(1))?;
    doc.pointer_mut(pointer)?.as_object_mut()
}

fn rename(map: &mut Map<String, Value>, key_index: usize, new: String) {
    let keys: Vec<String> = map.keys().cloned().collect();
    if keys.is_empty() {
        return;
    }
    let old = &keys[key_index % keys.len()];
    if let Some(value) = map.remove(old) {
        map.insert(new, value);
    }
}

fn apply(doc: &mut Value, mutation: &Mutation) {
    let mut pointers = Vec::new();
    object_pointers(doc, String::new(), &mut pointers);
    let schema_names: Vec<String> = doc["components"]["schemas"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    match *mutation {
        Mutation::DeleteKey(at, key) => {
            if let Some(map) = object_at(doc, &pointers, at) {
                let keys: Vec<String> = map.keys().cloned().collect();
                if !keys.is_empty() {
                    map.remove(&keys[key % keys.len()]);
                }
            }
        }
        Mutation::SwapType(at, ty) => {
            if let Some(map) = object_at(doc, &pointers, at) {
                map.insert("type".into(), json!(TYPES[ty % TYPES.len()]));
            }
        }
        Mutation::DangleRef(at) => {
            if let Some(map) = object_at(doc, &pointers, at) {
                map.clear();
                map.insert("$ref".into(), json!("#/components/schemas/doesNotExist"));
            }
        }
        Mutation::CycleRefs(a, b) => {
            if schema_names.len() >= 2 {
                let (a, b) = (
                    &schema_names[a % schema_names.len()],
                    &schema_names[b % schema_names.len()],
                );
                doc["components"]["schemas"][a] =
                    json!({"$ref": format!("#/components/schemas/{b}")});
                doc["components"]["schemas"][b] =
                    json!({"$ref": format!("#/components/schemas/{a}")});
            }
        }
        Mutation::RenameKey(at, key, name) => {
            if let Some(map) = object_at(doc, &pointers, at) {
                rename(map, key, NAMES[name % NAMES.len()].to_owned());
            }
        }
        Mutation::HugeName(at, key) => {
            if let Some(map) = object_at(doc, &pointers, at) {
                rename(map, key, "Name".repeat(2_500));
            }
        }
        Mutation::DuplicateOperationId(a, b) => {
            let ops: Vec<String> = pointers
                .iter()
                .filter(|p| p.matches('/').count() == 3 && p.starts_with("/paths/"))
                .cloned()
                .collect();
            if ops.len() >= 2 {
                let id = doc
                    .pointer(&ops[a % ops.len()])
                    .and_then(|op| op.get("operationId"))
                    .cloned();
                if let (Some(id), Some(Value::Object(other))) =
                    (id, doc.pointer_mut(&ops[b % ops.len()]))
                {
                    other.insert("operationId".into(), id);
                }
            }
        }
        Mutation::CollidingEnum(at) => {
            if let Some(map) = object_at(doc, &pointers, at) {
                map.insert("type".into(), json!("string"));
                map.insert(
                    "enum".into(),
                    json!(["a-b", "a_b", "A B", "", "unknown", "Unknown", "1"]),
                );
            }
        }
    }
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| {
        v.parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, not `{v}`"))
    })
}

fn cases() -> u32 {
    env_number("FUZZ_CASES").map_or(2000, |n| {
        u32::try_from(n).unwrap_or_else(|_| panic!("FUZZ_CASES must fit in 32 bits, not {n}"))
    })
}

fn seed() -> u64 {
    env_number("FUZZ_SEED").unwrap_or(2026)
}

/// Runs `cases` mutated generations from `seed`; returns (generated, rejected).
fn run(cases: u32, seed: u64) -> (usize, usize) {
    let base = base_spec();
    let options = RenderOptions {
        crate_name: "fuzzed".into(),
        crate_version: "0.1.0".into(),
        spec_version: "1.0.0".into(),
        preamble: "fuzz".into(),
        tags: None,
        example: None,
        contract_calls: false,
    };
    let generated = AtomicUsize::new(0);
    let rejected = AtomicUsize::new(0);
    let config = ProptestConfig {
        cases,
        rng_seed: proptest::test_runner::RngSeed::Fixed(seed),
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(mutations in proptest::collection::vec(mutation(), 1..4))| {
        let mut doc = base.clone();
        for m in &mutations {
            apply(&mut doc, m);
        }
        match generate(&doc.to_string(), &Config::default(), &options) {
            Ok(output) => {
                prop_assert!(output.files.contains_key("src/lib.rs"));
                generated.fetch_add(1, Ordering::Relaxed);
            }
            Err(error) => {
                let pointer_ok = matches!(&error.location, Location::Pointer(p) if p.is_empty() || p.starts_with('/'));
                prop_assert!(pointer_ok, "error without a JSON pointer: {error}");
                rejected.fetch_add(1, Ordering::Relaxed);
            }
        }
    });
    (generated.into_inner(), rejected.into_inner())
}

/// The cases, split over two tests so the test harness runs them on both cores.
fn half(index: u32) {
    let cases = cases() / 2 + cases() % 2 * (1 - index);
    let started = std::time::Instant::now();
    let seed = seed().wrapping_add(u64::from(index));
    let (ok, err) = run(cases, seed);
    println!(
        "fuzz (half {}, seed {seed}): {} cases in {:.1} s, 0 panics ({ok} generated, {err} rejected with a JSON pointer)",
        index + 1,
        ok + err,
        started.elapsed().as_secs_f64()
    );
    assert_eq!((ok + err) as u32, cases);
}

#[test]
fn generation_never_panics_on_mutated_specs_first_half() {
    half(0);
}

#[test]
fn generation_never_panics_on_mutated_specs_second_half() {
    half(1);
}
