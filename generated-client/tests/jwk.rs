//! The seven JSON Web Key operations against a real HTTP server on 127.0.0.1: what goes on the wire
//! (method, raw path, headers, body) and how every kind of answer comes back.

mod support;

use ory_client::models::{CreateJsonWebKeySet, ErrorOAuth2, JsonWebKey, JsonWebKeySet};
use ory_client::{Client, Error};
use serde_json::json;
use support::{Canned, TestServer};

const TOKEN: &str = "ory_pat_secret-token-123";

fn client(server: &TestServer) -> Client {
    Client::builder()
        .base_url(&server.url)
        .bearer_token(TOKEN)
        .build()
        .unwrap()
}

fn key(kid: &str) -> JsonWebKey {
    JsonWebKey::new("RS256", kid, "RSA", "sig")
        .with_d("private-d")
        .with_e("AQAB")
        .with_n("modulus")
}

fn key_set_json(kid: &str) -> serde_json::Value {
    json!({"keys": [{"alg": "RS256", "kid": kid, "kty": "RSA", "use": "sig", "e": "AQAB", "n": "modulus"}]})
}

#[tokio::test]
async fn create_json_web_key_set_posts_json_and_decodes_201() {
    let server = TestServer::start(vec![Canned::json(201, key_set_json("k1"))]).await;
    let body = CreateJsonWebKeySet::new("RS256", "k1", "sig");
    let set = client(&server)
        .jwk()
        .create_json_web_key_set("s1", &body)
        .await
        .unwrap();
    assert_eq!(set.keys.as_ref().unwrap()[0].kid, "k1");

    let request = server.single();
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/admin/keys/s1");
    assert_eq!(
        request.header("authorization"),
        Some(&*format!("Bearer {TOKEN}"))
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(
        request.json(),
        json!({"alg": "RS256", "kid": "k1", "use": "sig"})
    );
}

#[tokio::test]
async fn get_json_web_key_set_decodes_200() {
    let server = TestServer::start(vec![Canned::json(200, key_set_json("k9"))]).await;
    let set = client(&server)
        .jwk()
        .get_json_web_key_set("s1")
        .await
        .unwrap();
    assert_eq!(set.keys.unwrap()[0].kid, "k9");
    let request = server.single();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("GET", "/admin/keys/s1")
    );
    assert!(request.body.is_empty());
    assert_eq!(request.header("content-type"), None);
}

#[tokio::test]
async fn get_json_web_key_addresses_one_key() {
    let server = TestServer::start(vec![Canned::json(200, key_set_json("k1"))]).await;
    let set = client(&server)
        .jwk()
        .get_json_web_key("s1", "k1")
        .await
        .unwrap();
    assert_eq!(set.keys.unwrap().len(), 1);
    let request = server.single();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("GET", "/admin/keys/s1/k1")
    );
    assert_eq!(
        request.header("authorization"),
        Some(&*format!("Bearer {TOKEN}"))
    );
}

#[tokio::test]
async fn set_json_web_key_puts_the_key_and_decodes_it() {
    let server = TestServer::start(vec![Canned::json(
        200,
        serde_json::to_value(key("k1")).unwrap(),
    )])
    .await;
    let stored = client(&server)
        .jwk()
        .set_json_web_key("s1", "k1", Some(&key("k1")))
        .await
        .unwrap();
    assert_eq!(stored, key("k1"));
    let request = server.single();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("PUT", "/admin/keys/s1/k1")
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.json(),
        json!({"alg": "RS256", "kid": "k1", "kty": "RSA", "use": "sig", "d": "private-d", "e": "AQAB", "n": "modulus"}),
        "unset optional members are omitted, not null"
    );
}

#[tokio::test]
async fn an_absent_optional_body_sends_no_body() {
    let server = TestServer::start(vec![Canned::json(
        200,
        serde_json::to_value(key("k1")).unwrap(),
    )])
    .await;
    client(&server)
        .jwk()
        .set_json_web_key("s1", "k1", None)
        .await
        .unwrap();
    let request = server.single();
    assert!(
        request.body.is_empty(),
        "no `null` body: {:?}",
        String::from_utf8_lossy(&request.body)
    );
    assert_eq!(request.header("content-type"), None);
    assert!(matches!(request.header("content-length"), None | Some("0")));
}

#[tokio::test]
async fn set_json_web_key_set_puts_the_set() {
    let server = TestServer::start(vec![Canned::json(200, key_set_json("k2"))]).await;
    let set = JsonWebKeySet::new().with_keys(vec![key("k2")]);
    let stored = client(&server)
        .jwk()
        .set_json_web_key_set("s1", Some(&set))
        .await
        .unwrap();
    assert_eq!(stored.keys.unwrap()[0].kid, "k2");
    let request = server.single();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("PUT", "/admin/keys/s1")
    );
    assert_eq!(request.json()["keys"][0]["kid"], "k2");

    let server = TestServer::start(vec![Canned::json(200, key_set_json("k2"))]).await;
    client(&server)
        .jwk()
        .set_json_web_key_set("s1", None)
        .await
        .unwrap();
    assert!(server.single().body.is_empty());
}

#[tokio::test]
async fn deletes_decode_204_as_unit() {
    let server = TestServer::start(vec![Canned::empty(204)]).await;
    let jwk_client = client(&server);
    let jwk = jwk_client.jwk();
    jwk.delete_json_web_key("s1", "k1").await.unwrap();
    jwk.delete_json_web_key_set("s1").await.unwrap();
    let requests = server.requests();
    let seen: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.target.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("DELETE", "/admin/keys/s1/k1"),
            ("DELETE", "/admin/keys/s1")
        ]
    );
}

#[tokio::test]
async fn an_error_answer_decodes_into_error_oauth2_with_status_and_headers() {
    let error =
        json!({"error": "not_found", "error_description": "no such key", "status_code": 404});
    let mut answer = Canned::json(404, error);
    answer.headers.push(("X-Request-Id".into(), "r-1".into()));
    let server = TestServer::start(vec![answer]).await;
    let err = client(&server)
        .jwk()
        .get_json_web_key("s1", "nope")
        .await
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("a typed error, got {err:?}")
    };
    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(api.headers.get("x-request-id").unwrap(), "r-1");
    let expected = ErrorOAuth2::new()
        .with_error("not_found")
        .with_error_description("no such key")
        .with_status_code(404);
    assert_eq!(api.body, expected);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn a_body_that_does_not_decode_keeps_status_and_raw_bytes() {
    let html = b"<html><body>502 Bad Gateway</body></html>";
    let server = TestServer::start(vec![Canned::raw(502, "text/html", html)]).await;
    let err = client(&server)
        .jwk()
        .get_json_web_key_set("s1")
        .await
        .unwrap_err();
    let Error::InvalidBody { response, reason } = &err else {
        panic!("raw answer kept, got {err:?}")
    };
    assert_eq!(response.status.as_u16(), 502);
    assert_eq!(&response.body[..], html);
    assert!(!reason.is_empty());

    let server =
        TestServer::start(vec![Canned::raw(200, "application/json", b"{\"keys\": [")]).await;
    let err = client(&server)
        .jwk()
        .get_json_web_key_set("s1")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidBody { response, .. } if response.status.as_u16() == 200 && &response.body[..] == b"{\"keys\": [")
    );
    assert_eq!(err.raw_body().map(|b| b.len()), Some(10));
}

#[tokio::test]
async fn transport_errors_are_their_own_kind() {
    let unused = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", unused.local_addr().unwrap());
    drop(unused);
    let client = Client::builder().base_url(url).build().unwrap();
    let err = client.jwk().get_json_web_key_set("s1").await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn path_parameters_are_percent_encoded_like_python_quote() {
    let cases = [
        ("a/b c", "/admin/keys/s1/a%2Fb%20c"),
        ("ü", "/admin/keys/s1/%C3%BC"),
        ("~k", "/admin/keys/s1/~k"),
        ("!'()*-._~", "/admin/keys/s1/%21%27%28%29%2A-._~"),
        (
            "ü%2F+&=;,@:~",
            "/admin/keys/s1/%C3%BC%252F%2B%26%3D%3B%2C%40%3A~",
        ),
        ("k?x=1#f", "/admin/keys/s1/k%3Fx%3D1%23f"),
    ];
    let server = TestServer::start(vec![Canned::empty(204)]).await;
    let client = client(&server);
    for (kid, _) in cases {
        client.jwk().delete_json_web_key("s1", kid).await.unwrap();
    }
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    let expected: Vec<&str> = cases.iter().map(|(_, target)| *target).collect();
    assert_eq!(targets, expected);
}

#[tokio::test]
async fn dot_segments_never_reach_the_server() {
    let server = TestServer::start(vec![Canned::empty(204)]).await;
    let client = client(&server);
    for kid in ["..", ".", ""] {
        let err = client
            .jwk()
            .delete_json_web_key("s1", kid)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::InvalidRequest(message) if message.contains("kid")),
            "{kid:?}: {err:?}"
        );
    }
    let err = client
        .jwk()
        .delete_json_web_key_set("..")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)));
    assert!(
        server.requests().is_empty(),
        "nothing was sent: {:?}",
        server.requests()
    );
}

#[tokio::test]
async fn without_a_token_no_authorization_header_is_sent() {
    let server = TestServer::start(vec![Canned::json(200, key_set_json("k1"))]).await;
    let client = Client::builder().base_url(&server.url).build().unwrap();
    client.jwk().get_json_web_key_set("s1").await.unwrap();
    assert_eq!(server.single().header("authorization"), None);
}

#[tokio::test]
async fn a_scheme_specific_token_wins_over_the_general_one() {
    let server = TestServer::start(vec![Canned::json(200, key_set_json("k1"))]).await;
    let client = Client::builder()
        .base_url(&server.url)
        .bearer_token("general")
        .ory_access_token("specific")
        .build()
        .unwrap();
    client.jwk().get_json_web_key_set("s1").await.unwrap();
    assert_eq!(
        server.single().header("authorization"),
        Some("Bearer specific")
    );
}

#[test]
fn the_base_url_comes_from_the_project_slug_or_a_full_url() {
    let default = Client::builder().build().unwrap();
    assert_eq!(
        default.base_url(),
        "https://playground.projects.oryapis.com"
    );
    let slug = Client::builder()
        .project_slug("my-project")
        .build()
        .unwrap();
    assert_eq!(slug.base_url(), "https://my-project.projects.oryapis.com");
    let custom = Client::builder()
        .base_url("http://127.0.0.1:4444/prefix/")
        .build()
        .unwrap();
    assert_eq!(custom.base_url(), "http://127.0.0.1:4444/prefix");
    for bad_slug in ["evil.example/x?", "a@b", ""] {
        let err = Client::builder()
            .project_slug(bad_slug)
            .build()
            .unwrap_err();
        assert!(
            matches!(err, ory_client::BuildError::InvalidServerVariable { .. }),
            "{bad_slug:?}: {err}"
        );
    }
    let err = Client::builder().base_url("ftp://x").build().unwrap_err();
    assert!(
        matches!(err, ory_client::BuildError::InvalidBaseUrl { .. }),
        "{err}"
    );
}

#[tokio::test]
async fn a_base_url_path_prefix_is_kept() {
    let server = TestServer::start(vec![Canned::empty(204)]).await;
    let client = Client::builder()
        .base_url(format!("{}/hydra/", server.url))
        .build()
        .unwrap();
    client.jwk().delete_json_web_key_set("s1").await.unwrap();
    assert_eq!(server.single().target, "/hydra/admin/keys/s1");
}

#[test]
fn debug_output_never_shows_secrets() {
    let client = Client::builder()
        .bearer_token(TOKEN)
        .ory_access_token("other-secret")
        .build()
        .unwrap();
    let shown = format!("{client:?} {:?}", Client::builder().bearer_token(TOKEN));
    assert!(
        !shown.contains(TOKEN) && !shown.contains("other-secret"),
        "{shown}"
    );
    assert!(shown.contains("<redacted>"), "{shown}");

    let mut jwk = key("k1");
    jwk.d = Some("PRIVATE-D".into());
    jwk.p = Some("PRIVATE-P".into());
    jwk.q = Some("PRIVATE-Q".into());
    jwk.dp = Some("PRIVATE-DP".into());
    jwk.dq = Some("PRIVATE-DQ".into());
    jwk.qi = Some("PRIVATE-QI".into());
    jwk.k = Some("PRIVATE-K".into());
    let shown = format!(
        "{jwk:?} {:#?}",
        JsonWebKeySet::new().with_keys(vec![jwk.clone()])
    );
    assert!(!shown.contains("PRIVATE"), "{shown}");
    assert!(
        shown.contains("modulus") && shown.contains("k1"),
        "public members stay visible: {shown}"
    );
}
