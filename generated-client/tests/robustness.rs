//! Malformed and hostile answers from a real server on 127.0.0.1: each becomes a typed error that
//! keeps the status and the (bounded) raw body; nothing panics, nothing hangs past the timeout.

mod support;

use ory_client::{Client, Error};
use serde_json::json;
use std::time::{Duration, Instant};
use support::{Canned, TestServer};

fn client(server: &TestServer) -> Client {
    Client::builder()
        .base_url(&server.url)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

async fn get_key_set(answer: Canned) -> Error<ory_client::models::ErrorOAuth2> {
    let server = TestServer::start(vec![answer]).await;
    client(&server)
        .jwk()
        .get_json_web_key_set("s1")
        .await
        .unwrap_err()
}

#[tokio::test]
async fn an_html_502_page_keeps_status_and_body() {
    let page = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    let err = get_key_set(Canned::raw(502, "text/html", page)).await;
    let Error::InvalidBody { response, reason } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(response.status.as_u16(), 502);
    assert_eq!(&response.body[..], page);
    assert!(
        reason.contains("text/html"),
        "names the content type: {reason}"
    );
}

#[tokio::test]
async fn truncated_json_is_an_invalid_body() {
    let err = get_key_set(Canned::raw(
        200,
        "application/json",
        br#"{"keys": [{"kid": "k1""#,
    ))
    .await;
    assert!(
        matches!(&err, Error::InvalidBody { response, .. } if response.status.as_u16() == 200),
        "{err:?}"
    );
    assert_eq!(err.raw_body().unwrap().len(), 22);
}

#[tokio::test]
async fn a_wrong_content_type_is_reported_with_the_decode_error() {
    let err = get_key_set(Canned::raw(200, "text/plain", b"keys: none")).await;
    let Error::InvalidBody { reason, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(
        reason.contains("text/plain") && reason.contains("not JSON"),
        "{reason}"
    );
}

#[tokio::test]
async fn an_empty_body_where_json_is_expected_is_an_invalid_body() {
    let err = get_key_set(Canned::raw(200, "application/json", b"")).await;
    assert!(
        matches!(&err, Error::InvalidBody { response, .. } if response.body.is_empty()),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_body_of_several_megabytes_is_kept_but_shown_bounded() {
    let big = vec![b'x'; 5 * 1024 * 1024];
    let err = get_key_set(Canned::raw(200, "application/json", &big)).await;
    assert!(matches!(&err, Error::InvalidBody { .. }), "{err:?}");
    assert_eq!(err.raw_body().unwrap().len(), big.len());
    let shown = format!("{err:?} {err}");
    assert!(
        shown.len() < 4096,
        "Debug and Display stay short: {} bytes",
        shown.len()
    );
    assert!(
        shown.contains("5242880 bytes in all"),
        "says how much there was"
    );
}

#[tokio::test]
async fn a_body_over_the_size_limit_stops_at_the_limit() {
    let server = TestServer::start(vec![Canned::raw(
        200,
        "application/json",
        &vec![b' '; 3 * 1024 * 1024],
    )])
    .await;
    let client = Client::builder()
        .base_url(&server.url)
        .max_response_size(1024 * 1024)
        .build()
        .unwrap();
    let err = client.jwk().get_json_web_key_set("s1").await.unwrap_err();
    let Error::ResponseTooLarge { response, limit } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (*limit, response.body.len(), response.status.as_u16()),
        (1024 * 1024, 1024 * 1024, 200)
    );
}

#[tokio::test]
async fn an_unknown_enum_value_decodes_and_an_unknown_discriminator_does_not() {
    let flow = |node_type: &str, group: &str| {
        json!({
            "id": "0f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b", "type": "api",
            "expires_at": "2026-11-26T16:00:00Z", "issued_at": "2026-11-26T15:00:00Z",
            "request_url": "https://x", "state": "choose_method",
            "ui": {"action": "https://x", "method": "POST", "nodes": [
                {"type": "input", "group": group, "messages": [], "meta": {},
                 "attributes": {"name": "n", "type": "text", "disabled": false, "node_type": node_type}}
            ]}
        })
    };
    let server = TestServer::start(vec![Canned::json(200, flow("input", "telepathy"))]).await;
    let got = Client::builder()
        .base_url(&server.url)
        .build()
        .unwrap()
        .frontend()
        .get_login_flow("f")
        .await
        .unwrap();
    assert_eq!(
        got.ui.nodes[0].group,
        ory_client::models::UiNodeGroup::Unknown("telepathy".into())
    );

    let server = TestServer::start(vec![Canned::json(200, flow("hologram", "default"))]).await;
    let err = Client::builder()
        .base_url(&server.url)
        .build()
        .unwrap()
        .frontend()
        .get_login_flow("f")
        .await
        .unwrap_err();
    let Error::InvalidBody { response, reason } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(response.status.as_u16(), 200);
    assert!(reason.contains("hologram"), "{reason}");
}

#[tokio::test]
async fn a_stalled_server_fails_at_the_timeout() {
    let mut stalled = Canned::json(200, json!({"keys": []}));
    stalled.delay = Some(Duration::from_secs(30));
    let server = TestServer::start(vec![stalled]).await;
    let client = Client::builder()
        .base_url(&server.url)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.jwk().get_json_web_key_set("s1").await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        matches!(&err, Error::Transport(e) if e.is_timeout()),
        "{err:?}"
    );
    assert!(
        elapsed < Duration::from_secs(5),
        "gave up after {elapsed:?}"
    );
}

#[tokio::test]
async fn a_connection_closed_mid_body_is_a_transport_error() {
    let mut cut = Canned::json(
        200,
        json!({"keys": [{"kid": "k1", "kty": "RSA", "alg": "RS256", "use": "sig"}]}),
    );
    cut.cut_body_at = Some(10);
    let err = get_key_set(cut).await;
    assert!(matches!(&err, Error::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn an_undocumented_status_keeps_the_raw_answer() {
    // getVersion documents only 200: a 418 is nobody's answer.
    let server = TestServer::start(vec![Canned::raw(418, "text/plain", b"I'm a teapot")]).await;
    let err = client(&server).metadata().get_version().await.unwrap_err();
    let Error::UnexpectedStatus(response) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (response.status.as_u16(), &response.body[..]),
        (418, &b"I'm a teapot"[..])
    );
}
