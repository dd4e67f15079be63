//! Recognisable secrets set everywhere a caller can put one never show in `Debug`, `Display` or an
//! error message of this crate.

mod support;

use ory_client::models::{JsonWebKey, JsonWebKeySet};
use ory_client::{Client, Error};
use support::{Canned, TestServer};

const SECRETS: &[&str] = &[
    "BEARER-SECRET-1",
    "ACCESS-SECRET-2",
    "WORKSPACE-SECRET-3",
    "BASIC-PASSWORD-4",
    "OAUTH2-SECRET-5",
    "SESSION-SECRET-6",
    "COOKIE-SECRET-7",
    "JWK-PRIVATE-8",
];

fn assert_hidden(shown: &str) {
    for secret in SECRETS {
        assert!(!shown.contains(secret), "{secret} shows in: {shown}");
    }
}

fn builder(url: &str) -> ory_client::ClientBuilder {
    Client::builder()
        .base_url(url)
        .bearer_token(SECRETS[0])
        .ory_access_token(SECRETS[1])
        .ory_workspace_api_key(SECRETS[2])
        .basic_auth("client-id", SECRETS[3])
        .oauth2_token(SECRETS[4])
}

fn private_key() -> JsonWebKey {
    JsonWebKey::new("RS256", "k1", "RSA", "sig")
        .with_d(SECRETS[7])
        .with_dp(SECRETS[7])
        .with_dq(SECRETS[7])
        .with_e("AQAB")
        .with_k(SECRETS[7])
        .with_n("n")
        .with_p(SECRETS[7])
        .with_q(SECRETS[7])
        .with_qi(SECRETS[7])
}

#[tokio::test]
async fn no_output_of_the_crate_shows_a_secret() {
    let mut shown = Vec::new();
    let server = TestServer::start(vec![Canned::json(
        401,
        serde_json::json!({"error": "unauthorized"}),
    )])
    .await;
    let configured = builder(&server.url);
    shown.push(format!("{configured:?}"));
    let client = configured.build().unwrap();
    shown.push(format!("{client:?} {:?}", client.jwk()));

    let key = private_key();
    let set = JsonWebKeySet::new().with_keys(vec![key.clone()]);
    shown.push(format!("{key:?} {key:#?} {set:?}"));
    let request = client.jwk().set_json_web_key("s", "k1", Some(&key));
    shown.push(format!("{request:?}"));
    let whoami = client
        .frontend()
        .to_session()
        .x_session_token(SECRETS[5])
        .cookie(SECRETS[6]);
    shown.push(format!("{whoami:?}"));

    // A documented error answer, with the request's credentials on the wire.
    let err = request.await.unwrap_err();
    assert!(matches!(err, Error::Api(_)));
    shown.push(format!("{err} {err:?}"));
    let sent = server.single();
    assert_eq!(
        sent.header("authorization"),
        Some(&*format!("Bearer {}", SECRETS[1])),
        "the secret did go where it belongs"
    );

    // Refused before sending: the message names the parameter, not its value.
    let refused = client
        .frontend()
        .to_session()
        .x_session_token(format!("{}\r\n", SECRETS[5]))
        .await
        .unwrap_err();
    shown.push(format!("{refused} {refused:?}"));
    let refused = client
        .frontend()
        .to_session()
        .cookie(format!("{};x", SECRETS[6]))
        .await
        .unwrap_err();
    shown.push(format!("{refused} {refused:?}"));

    // A transport error: the URL it names has no query string.
    let unreachable = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        drop(listener);
        url
    };
    let offline = builder(&unreachable).build().unwrap();
    let err = offline
        .frontend()
        .get_login_flow("flow-id")
        .cookie(SECRETS[6])
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    shown.push(format!("{err} {err:?}"));
    let flow_query = offline
        .oauth2()
        .introspect_oauth2_token(None)
        .await
        .unwrap_err();
    shown.push(format!("{flow_query} {flow_query:?}"));
    let err = offline
        .identity()
        .list_identities()
        .credentials_identifier(SECRETS[5])
        .await
        .unwrap_err();
    shown.push(format!("{err} {err:?}"));

    for output in &shown {
        assert_hidden(output);
    }
    assert!(shown.iter().any(|s| s.contains("<redacted>")));
}
