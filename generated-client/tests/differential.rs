//! Differential tests: the same calls through this client, the official Python client and the
//! official JS client, each against its own recording server on 127.0.0.1. Every request the Rust
//! client sends must equal the Python client's (method, raw path bytes, query pairs, the headers
//! that carry meaning, parsed body); where the JS client differs from Python, the test says how.
//! The cases are in `tests/peers/differential_cases.json`, shared by the three programs.

mod support;

use ory_client::models::{
    CreateJsonWebKeySet, IntrospectOAuth2TokenBody, JsonWebKey, JsonWebKeySet,
};
use ory_client::Client;
use serde::Deserialize;
use serde_json::{json, Value};
use std::process::Command;
use support::{peers, Canned, Recorded, TestServer};

const PYTHON_CLIENT: &str = "ory-client (Python) 1.22.83";
const JS_CLIENT: &str = "@ory/client (JS) 1.22.65";
/// How many JWK operations each case calls (the seven of the `jwk` group).
const JWK_OPERATIONS: usize = 7;

#[derive(Deserialize)]
struct Cases {
    token: String,
    jwk: Vec<JwkCase>,
    introspect: Introspect,
    list_identities: ListIdentities,
    to_session: ToSession,
}

#[derive(Deserialize)]
struct JwkCase {
    set: String,
    kid: String,
}

#[derive(Deserialize)]
struct Introspect {
    token: String,
    scope: String,
}

#[derive(Deserialize)]
struct ListIdentities {
    ids: Vec<String>,
    include_credential: Vec<String>,
    credentials_identifier: String,
    page_size: i64,
}

#[derive(Deserialize)]
struct ToSession {
    x_session_token: String,
    cookie: String,
}

fn cases_path() -> std::path::PathBuf {
    peers::manifests().join("differential_cases.json")
}

fn key(kid: &str) -> JsonWebKey {
    serde_json::from_value(json!({
        "alg": "RS256", "kid": kid, "kty": "RSA", "use": "sig", "e": "AQAB", "n": "sample-n"
    }))
    .expect("the key decodes")
}

/// Every answer is the same canned one: only the requests are compared.
fn recording_server() -> impl std::future::Future<Output = TestServer> {
    TestServer::start(vec![Canned::json(200, json!({ "keys": [] }))])
}

/// The requests of the Rust client, in the order of the cases.
async fn rust_requests(cases: &Cases) -> Vec<Recorded> {
    let server = recording_server().await;
    let ory = Client::builder()
        .base_url(&server.url)
        .bearer_token(&cases.token)
        .build()
        .expect("the client builds");
    let jwk = ory.jwk();
    for case in &cases.jwk {
        let (set, kid) = (case.set.as_str(), case.kid.as_str());
        let create: CreateJsonWebKeySet =
            serde_json::from_value(json!({ "alg": "RS256", "kid": kid, "use": "sig" }))
                .expect("the create body decodes");
        let key = key(kid);
        let key_set = JsonWebKeySet::new().with_keys(vec![key.clone()]);
        // The canned answer does not fit every operation: outcomes are not what is compared.
        let _ = jwk.create_json_web_key_set(set, &create).await;
        let _ = jwk.delete_json_web_key(set, kid).await;
        let _ = jwk.delete_json_web_key_set(set).await;
        let _ = jwk.get_json_web_key(set, kid).await;
        let _ = jwk.get_json_web_key_set(set).await;
        let _ = jwk.set_json_web_key(set, kid, Some(&key)).await;
        let _ = jwk.set_json_web_key_set(set, Some(&key_set)).await;
    }
    let introspect = IntrospectOAuth2TokenBody::new(cases.introspect.token.clone())
        .with_scope(cases.introspect.scope.clone());
    let _ = ory
        .oauth2()
        .introspect_oauth2_token(Some(&introspect))
        .await;
    let listing = &cases.list_identities;
    let _ = ory
        .identity()
        .list_identities()
        .page_size(listing.page_size)
        .ids(&listing.ids)
        .credentials_identifier(&listing.credentials_identifier)
        .include_credential(&listing.include_credential)
        .await;
    let _ = ory
        .frontend()
        .to_session()
        .x_session_token(&cases.to_session.x_session_token)
        .cookie(&cases.to_session.cookie)
        .await;
    server.requests()
}

/// The requests of a peer program given the server's URL and the cases file, and what it printed
/// about calls that failed.
async fn peer_requests(mut command: Command) -> (Vec<Recorded>, String) {
    let server = recording_server().await;
    command.arg(&server.url).arg(cases_path());
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("the peer runs")
        .expect("the peer starts");
    let said = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success(),
        "the peer failed ({}):\n{said}",
        output.status
    );
    (server.requests(), said)
}

/// What is compared of a request; each field printed as it would be read in a review.
fn compared(request: &Recorded) -> Vec<(&'static str, String)> {
    let (path, query) = request
        .target
        .split_once('?')
        .unwrap_or((request.target.as_str(), ""));
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let content_type = request.header("content-type").unwrap_or("");
    let body = if request.body.is_empty() {
        "(none)".to_owned()
    } else if content_type.starts_with("application/json") {
        serde_json::from_slice::<Value>(&request.body)
            .map(|v| v.to_string())
            .unwrap_or_else(|_| {
                format!("invalid JSON {:?}", String::from_utf8_lossy(&request.body))
            })
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        let mut fields: Vec<(String, String)> = url::form_urlencoded::parse(&request.body)
            .into_owned()
            .collect();
        fields.sort();
        format!("form {fields:?}")
    } else {
        format!("{:?}", String::from_utf8_lossy(&request.body))
    };
    let header = |name: &str| request.header(name).unwrap_or("(none)").to_owned();
    vec![
        ("method", request.method.clone()),
        ("path", path.to_owned()),
        ("query", format!("{pairs:?}")),
        ("authorization", header("authorization")),
        // The media type; a `; charset=utf-8` parameter does not change what is sent.
        (
            "content-type",
            content_type
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_owned(),
        ),
        ("x-session-token", header("x-session-token")),
        ("cookie", header("cookie")),
        ("body", body),
    ]
}

/// The fields in which two requests differ: `(field, ours, theirs)`.
fn differences(ours: &Recorded, theirs: &Recorded) -> Vec<(&'static str, String, String)> {
    compared(ours)
        .into_iter()
        .zip(compared(theirs))
        .filter(|((_, a), (_, b))| a != b)
        .map(|((field, a), (_, b))| (field, a, b))
        .collect()
}

fn describe(index: usize, diffs: &[(&'static str, String, String)], a: &str, b: &str) -> String {
    let lines: Vec<String> = diffs
        .iter()
        .map(|(field, x, y)| format!("    {field}: {a} {x} | {b} {y}"))
        .collect();
    format!("  request {}:\n{}", index + 1, lines.join("\n"))
}

/// The requests of `a` that differ from the same request of `b`, described.
fn described_differences(
    a: &[Recorded],
    b: &[Recorded],
    a_name: &str,
    b_name: &str,
) -> Vec<String> {
    a.iter()
        .zip(b)
        .enumerate()
        .filter_map(|(index, (x, y))| {
            let diffs = differences(x, y);
            (!diffs.is_empty()).then(|| describe(index, &diffs, a_name, b_name))
        })
        .collect()
}

#[tokio::test]
async fn peer_differential_requests_equal_the_python_client() {
    let text = std::fs::read_to_string(cases_path()).expect("the cases are readable");
    let cases: Cases = serde_json::from_str(&text).expect("the cases parse");

    let (python, python_said) = {
        let mut command = Command::new(peers::python());
        command.arg(peers::manifests().join("differential.py"));
        peer_requests(command).await
    };
    let (js, js_said) = {
        let modules = peers::node_modules();
        let mut command = Command::new("node");
        command
            .env("NODE_PATH", &modules)
            .arg(peers::manifests().join("differential.cjs"));
        peer_requests(command).await
    };
    let rust = rust_requests(&cases).await;

    let jwk_count = cases.jwk.len() * JWK_OPERATIONS;
    let expected = jwk_count + 3;
    assert_eq!(
        python.len(),
        expected,
        "the Python client sent every request:\n{python_said}"
    );
    assert_eq!(
        js.len(),
        expected,
        "the JS client sent every request:\n{js_said}"
    );
    assert_eq!(rust.len(), expected, "the Rust client sent every request");

    let mismatches = described_differences(&rust, &python, "Rust", "Python");
    let identical = |range: std::ops::Range<usize>| {
        range
            .filter(|&index| differences(&rust[index], &python[index]).is_empty())
            .count()
    };
    let (identical_jwk, identical_other) =
        (identical(0..jwk_count), identical(jwk_count..expected));
    // Queries are compared decoded, as form pairs in order; the raw bytes may spell a value
    // differently (a space as `+` or `%20`, `/` escaped or not) and decode the same.
    let raw_query = |r: &Recorded| r.target.split_once('?').map(|(_, q)| q.to_owned());
    let respelled = rust
        .iter()
        .zip(&python)
        .filter(|(ours, theirs)| raw_query(ours) != raw_query(theirs))
        .count();
    let js_vs_python = described_differences(&js, &python, "JS", "Python");

    println!(
        "differential: {}/{expected} requests identical to {PYTHON_CLIENT} ({identical_jwk}/\
         {jwk_count} JWK, {identical_other}/{} form, array query, header parameters; {respelled} \
         query spelling the same pairs in other bytes); {JS_CLIENT} differs from Python in {}/{expected}{}",
        identical_jwk + identical_other,
        expected - jwk_count,
        js_vs_python.len(),
        if js_vs_python.is_empty() { "" } else { ":" }
    );
    for line in &js_vs_python {
        println!("{line}");
    }
    assert!(
        mismatches.is_empty(),
        "the Rust client's requests differ from the Python client's:\n{}",
        mismatches.join("\n")
    );
}
