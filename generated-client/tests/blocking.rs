//! The `blocking` feature: the seven JWK operations through `call()`, with no async code in the
//! caller, against a recording server on 127.0.0.1 (which runs on a runtime of its own).
#![cfg(feature = "blocking")]

mod support;

use ory_client::models::{CreateJsonWebKeySet, JsonWebKeySet};
use ory_client::{Client, Error};
use serde_json::json;
use support::{Canned, TestServer};

fn serve(answers: Vec<Canned>) -> (tokio::runtime::Runtime, TestServer) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(TestServer::start(answers));
    (runtime, server)
}

fn key_set(kid: &str) -> serde_json::Value {
    json!({"keys": [{"alg": "RS256", "kid": kid, "kty": "RSA", "use": "sig"}]})
}

#[test]
fn the_jwk_operations_work_without_async() {
    let (_runtime, server) = serve(vec![
        Canned::json(201, key_set("k1")),
        Canned::json(200, key_set("k1")),
        Canned::json(200, key_set("k1")),
        Canned::json(200, key_set("k1")["keys"][0].clone()),
        Canned::json(200, key_set("k1")),
        Canned::empty(204),
        Canned::empty(204),
    ]);
    let client = Client::builder()
        .base_url(&server.url)
        .bearer_token("t")
        .build()
        .unwrap();
    let jwk = client.jwk();
    let body = CreateJsonWebKeySet::new("RS256", "k1", "sig");
    let created = jwk.create_json_web_key_set("s", &body).call().unwrap();
    let key = created.keys.unwrap().remove(0);
    assert_eq!(
        jwk.get_json_web_key_set("s")
            .call()
            .unwrap()
            .keys
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        jwk.get_json_web_key("s", "k1")
            .call()
            .unwrap()
            .keys
            .unwrap()[0]
            .kid,
        "k1"
    );
    assert_eq!(
        jwk.set_json_web_key("s", "k1", Some(&key))
            .call()
            .unwrap()
            .kid,
        "k1"
    );
    let set = JsonWebKeySet::new().with_keys(vec![key]);
    jwk.set_json_web_key_set("s", Some(&set)).call().unwrap();
    jwk.delete_json_web_key("s", "k1").call().unwrap();
    jwk.delete_json_web_key_set("s").call().unwrap();
    let seen: Vec<(String, String)> = server
        .requests()
        .into_iter()
        .map(|r| (r.method, r.target))
        .collect();
    let expected = [
        ("POST", "/admin/keys/s"),
        ("GET", "/admin/keys/s"),
        ("GET", "/admin/keys/s/k1"),
        ("PUT", "/admin/keys/s/k1"),
        ("PUT", "/admin/keys/s"),
        ("DELETE", "/admin/keys/s/k1"),
        ("DELETE", "/admin/keys/s"),
    ];
    assert_eq!(seen, expected.map(|(m, t)| (m.to_owned(), t.to_owned())));
}

#[test]
fn errors_are_the_same_typed_errors() {
    let (_runtime, server) = serve(vec![Canned::json(404, json!({"error": "not_found"}))]);
    let client = Client::builder().base_url(&server.url).build().unwrap();
    let err = client
        .jwk()
        .get_json_web_key("s", "nope")
        .call()
        .unwrap_err();
    let Error::Api(api) = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (api.status.as_u16(), api.body.error.as_deref()),
        (404, Some("not_found"))
    );
}

#[test]
fn a_blocking_call_inside_an_async_runtime_is_refused_not_a_panic() {
    let (runtime, server) = serve(vec![Canned::json(200, key_set("k1"))]);
    let client = Client::builder().base_url(&server.url).build().unwrap();
    let err =
        runtime.block_on(async { client.jwk().get_json_web_key_set("s").call().unwrap_err() });
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains(".await")),
        "{err:?}"
    );
    assert!(server.requests().is_empty());
}
