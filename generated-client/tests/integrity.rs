//! Request integrity: no argument can add, remove or change a path segment, inject a query
//! parameter, or split a header. Each case against a recording server on 127.0.0.1.

mod support;

use ory_client::{Client, Error};
use support::{Canned, TestServer};

async fn delete_key(
    kid: &str,
) -> (
    Result<(), Error<ory_client::models::ErrorOAuth2>>,
    Vec<String>,
) {
    let server = TestServer::start(vec![Canned::empty(204)]).await;
    let client = Client::builder().base_url(&server.url).build().unwrap();
    let result = client.jwk().delete_json_web_key("set", kid).await;
    (
        result,
        server.requests().into_iter().map(|r| r.target).collect(),
    )
}

async fn refused(kid: &str) {
    let (result, sent) = delete_key(kid).await;
    assert!(
        matches!(result, Err(Error::InvalidRequest(_))),
        "{kid:?}: {result:?}"
    );
    assert!(sent.is_empty(), "{kid:?} reached the server as {sent:?}");
}

async fn one_segment(kid: &str, encoded: &str) {
    let (result, sent) = delete_key(kid).await;
    result.unwrap();
    assert_eq!(sent, [format!("/admin/keys/set/{encoded}")], "{kid:?}");
}

#[tokio::test]
async fn a_double_dot_never_reaches_the_server() {
    refused("..").await;
}

#[tokio::test]
async fn a_single_dot_never_reaches_the_server() {
    refused(".").await;
}

#[tokio::test]
async fn an_empty_id_never_reaches_the_server() {
    refused("").await;
}

#[tokio::test]
async fn a_slash_stays_inside_the_segment() {
    one_segment("a/../../b", "a%2F..%2F..%2Fb").await;
}

#[tokio::test]
async fn an_encoded_slash_is_encoded_again() {
    one_segment("a%2Fb", "a%252Fb").await;
}

#[tokio::test]
async fn a_question_mark_cannot_start_a_query() {
    one_segment("k?page_size=1", "k%3Fpage_size%3D1").await;
}

#[tokio::test]
async fn a_hash_cannot_start_a_fragment() {
    one_segment("k#frag", "k%23frag").await;
}

#[tokio::test]
async fn dots_inside_a_segment_are_data() {
    one_segment("...", "...").await;
    one_segment("..a", "..a").await;
}

#[tokio::test]
async fn a_query_value_cannot_inject_a_parameter() {
    let server = TestServer::start(vec![Canned::json(200, serde_json::json!([]))]).await;
    let client = Client::builder().base_url(&server.url).build().unwrap();
    client
        .identity()
        .list_identities()
        .credentials_identifier("a@b.c&page_size=1#x")
        .await
        .unwrap();
    assert_eq!(
        server.single().target,
        "/admin/identities?credentials_identifier=a%40b.c%26page_size%3D1%23x"
    );
}

#[tokio::test]
async fn a_header_value_with_crlf_is_refused_before_sending() {
    for value in ["token\r\nX-Admin: yes", "token\nX-Admin: yes", "token\rX"] {
        let server = TestServer::start(vec![Canned::empty(200)]).await;
        let client = Client::builder().base_url(&server.url).build().unwrap();
        let err = client
            .frontend()
            .to_session()
            .x_session_token(value)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::InvalidRequest(m) if m.contains("X-Session-Token")),
            "{value:?}: {err:?}"
        );
        assert!(server.requests().is_empty(), "{value:?} was sent");
    }
}
