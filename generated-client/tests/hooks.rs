//! Cross-cutting behaviour: retries with backoff and `Retry-After`, and the `User-Agent`.

mod support;

use ory_client::{Client, Error, RetryPolicy};
use serde_json::json;
use std::time::Duration;
use support::{Canned, TestServer};

fn retrying(server: &TestServer, retries: u32) -> Client {
    let policy = RetryPolicy::new(retries)
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(200));
    Client::builder()
        .base_url(&server.url)
        .retry(policy)
        .build()
        .unwrap()
}

fn keys() -> Canned {
    Canned::json(200, json!({"keys": []}))
}

#[tokio::test]
async fn retries_are_off_by_default() {
    let server = TestServer::start(vec![Canned::empty(503), keys()]).await;
    let client = Client::builder().base_url(&server.url).build().unwrap();
    assert!(client.jwk().get_json_web_key_set("s").await.is_err());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn an_idempotent_request_is_retried_after_a_503() {
    let server = TestServer::start(vec![Canned::empty(503), Canned::empty(502), keys()]).await;
    let set = retrying(&server, 3)
        .jwk()
        .get_json_web_key_set("s")
        .await
        .unwrap();
    assert_eq!(set.keys.unwrap().len(), 0);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn retries_stop_at_the_limit() {
    let server = TestServer::start(vec![Canned::empty(503)]).await;
    let err = retrying(&server, 2)
        .jwk()
        .get_json_web_key_set("s")
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        server.requests().len(),
        3,
        "the first attempt and two retries"
    );
}

#[tokio::test]
async fn a_post_is_not_retried_after_a_503_without_retry_after() {
    let server = TestServer::start(vec![Canned::empty(503), keys()]).await;
    let body = ory_client::models::CreateJsonWebKeySet::new("RS256", "k", "sig");
    assert!(retrying(&server, 3)
        .jwk()
        .create_json_web_key_set("s", &body)
        .await
        .is_err());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_429_with_retry_after_is_retried_even_for_a_post_and_the_body_is_resent() {
    let mut limited = Canned::empty(429);
    limited.headers.push(("Retry-After".into(), "0".into()));
    let server = TestServer::start(vec![limited, Canned::json(201, json!({"keys": []}))]).await;
    let body = ory_client::models::CreateJsonWebKeySet::new("RS256", "k", "sig");
    retrying(&server, 1)
        .jwk()
        .create_json_web_key_set("s", &body)
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body);
    assert_eq!(requests[1].json()["kid"], "k");
}

#[tokio::test]
async fn a_retry_after_beyond_the_longest_wait_is_returned_not_waited_for() {
    let mut limited = Canned::empty(429);
    limited.headers.push(("Retry-After".into(), "3600".into()));
    let server = TestServer::start(vec![limited, keys()]).await;
    let err = retrying(&server, 3)
        .jwk()
        .get_json_web_key_set("s")
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_connection_failure_is_retried_for_an_idempotent_request() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = Client::builder()
        .base_url(url)
        .retry(RetryPolicy::new(2).initial_backoff(Duration::from_millis(5)))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = client.jwk().get_json_web_key_set("s").await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)));
    assert!(
        started.elapsed() >= Duration::from_millis(15),
        "waited 5 ms then 10 ms between attempts"
    );
}

#[tokio::test]
async fn the_user_agent_names_the_crate_and_can_be_set() {
    let server = TestServer::start(vec![keys()]).await;
    Client::builder()
        .base_url(&server.url)
        .build()
        .unwrap()
        .jwk()
        .get_json_web_key_set("s")
        .await
        .unwrap();
    assert_eq!(
        server.single().header("user-agent"),
        Some(concat!("ory-client/", env!("CARGO_PKG_VERSION")))
    );

    let server = TestServer::start(vec![keys()]).await;
    let client = Client::builder()
        .base_url(&server.url)
        .user_agent("my-service/2.0")
        .build()
        .unwrap();
    client.jwk().get_json_web_key_set("s").await.unwrap();
    assert_eq!(server.single().header("user-agent"), Some("my-service/2.0"));
}
