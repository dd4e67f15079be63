//! `tracing` output, at TRACE level, names each operation and its outcome and carries no secret.
//! (Alone in its test binary: a subscriber set for one test must not race other tests' callsites.)

mod support;

use ory_client::{Client, RetryPolicy};
use serde_json::json;
use std::io::Write;
use std::sync::{Arc, Mutex};
use support::{Canned, TestServer};

fn keys() -> Canned {
    Canned::json(200, json!({"keys": []}))
}

/// A `tracing` writer that keeps everything written, for searching.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn tracing_at_trace_level_names_operations_but_no_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let mut rate_limited = Canned::empty(429);
    rate_limited
        .headers
        .push(("Retry-After".into(), "0".into()));
    let server = TestServer::start(vec![rate_limited, keys()]).await;
    let client = Client::builder()
        .base_url(&server.url)
        .bearer_token("TRACE-SECRET-TOKEN")
        .basic_auth("client", "TRACE-SECRET-PASSWORD")
        .retry(RetryPolicy::new(1))
        .build()
        .unwrap();
    client.jwk().get_json_web_key_set("s").await.unwrap();
    let _ = client
        .frontend()
        .to_session()
        .x_session_token("TRACE-SECRET-SESSION")
        .cookie("TRACE-SECRET-COOKIE")
        .await;
    let key =
        ory_client::models::JsonWebKey::new("RS256", "k", "RSA", "sig").with_d("TRACE-SECRET-JWK");
    let _ = client.jwk().set_json_web_key("s", "k", Some(&key)).await;

    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        output.contains("getJsonWebKeySet")
            && output.contains("toSession")
            && output.contains("setJsonWebKey"),
        "{output}"
    );
    assert!(
        output.contains("status=200") && output.contains("retrying"),
        "{output}"
    );
    assert!(!output.contains("TRACE-SECRET"), "{output}");
}
