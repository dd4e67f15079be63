//! What goes on the wire for each kind of request the spec describes: form and text bodies, header
//! and array query parameters, per-operation servers and security, and answers that are redirects.

mod support;

use ory_client::apis::frontend::CreateBrowserLoginFlowResponse;
use ory_client::models::{IntrospectOAuth2TokenBody, Oauth2TokenExchangeBody};
use ory_client::{Client, Error};
use serde_json::json;
use support::{Canned, TestServer};

fn session_json() -> serde_json::Value {
    json!({"id": "8f6b5a4c-3d2e-4f10-9a8b-7c6d5e4f3a2b", "active": true})
}

#[tokio::test]
async fn introspection_sends_an_html_form() {
    let server = TestServer::start(vec![Canned::json(200, json!({"active": true}))]).await;
    let client = Client::builder()
        .base_url(&server.url)
        .bearer_token("admin-token")
        .build()
        .unwrap();
    let body = IntrospectOAuth2TokenBody::new("a b+c&d=é").with_scope("openid offline");
    let introspected = client
        .oauth2()
        .introspect_oauth2_token(Some(&body))
        .await
        .unwrap();
    assert!(introspected.active);
    let request = server.single();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("POST", "/admin/oauth2/introspect")
    );
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        String::from_utf8(request.body.clone()).unwrap(),
        "scope=openid+offline&token=a+b%2Bc%26d%3D%C3%A9",
        "encoded per the HTML form rules (space as +)"
    );
    assert_eq!(request.header("authorization"), Some("Bearer admin-token"));
}

#[tokio::test]
async fn the_opl_syntax_check_sends_text() {
    let server = TestServer::start(vec![Canned::json(200, json!({"errors": []}))]).await;
    let client = Client::builder().base_url(&server.url).build().unwrap();
    let opl = "class User implements Namespace {}\n// \"quoted\"";
    client
        .relationship()
        .check_opl_syntax(Some(opl))
        .await
        .unwrap();
    let request = server.single();
    assert_eq!(request.target, "/opl/syntax/check");
    assert_eq!(request.header("content-type"), Some("text/plain"));
    assert_eq!(
        request.body,
        opl.as_bytes(),
        "the text itself, not a JSON string"
    );
}

#[tokio::test]
async fn header_parameters_are_sent_and_no_credentials_where_none_are_declared() {
    let server = TestServer::start(vec![Canned::json(200, session_json())]).await;
    let client = Client::builder()
        .base_url(&server.url)
        .bearer_token("admin-token")
        .build()
        .unwrap();
    let session = client
        .frontend()
        .to_session()
        .x_session_token("ory_st_abc")
        .cookie("ory_session_playground=xyz")
        .await
        .unwrap();
    assert_eq!(session.active, Some(true));
    let request = server.single();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("GET", "/sessions/whoami")
    );
    assert_eq!(request.header("x-session-token"), Some("ory_st_abc"));
    assert_eq!(request.header("cookie"), Some("ory_session_playground=xyz"));
    assert_eq!(
        request.header("authorization"),
        None,
        "toSession declares no security"
    );
}

#[tokio::test]
async fn a_header_parameter_with_a_line_break_is_refused_before_sending() {
    let server = TestServer::start(vec![Canned::json(200, session_json())]).await;
    let client = Client::builder().base_url(&server.url).build().unwrap();
    let err = client
        .frontend()
        .to_session()
        .cookie("a=b\r\nX-Injected: 1")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("Cookie")),
        "{err:?}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn array_query_parameters_repeat_the_key() {
    let server = TestServer::start(vec![Canned::json(200, json!([]))]).await;
    let client = Client::builder().base_url(&server.url).build().unwrap();
    let ids = ["id-1".to_owned(), "id 2&x".to_owned()];
    let identities = client
        .identity()
        .list_identities()
        .ids(&ids)
        .page_size(50)
        .await
        .unwrap();
    assert!(identities.is_empty());
    assert_eq!(
        server.single().target,
        "/admin/identities?page_size=50&ids=id-1&ids=id+2%26x"
    );
}

#[tokio::test]
async fn console_operations_go_to_their_own_server() {
    let project = TestServer::start(vec![Canned::empty(500)]).await;
    let console = TestServer::start(vec![Canned::json(
        404,
        json!({"error": {"message": "no such project"}}),
    )])
    .await;
    let client = Client::builder()
        .base_url(&project.url)
        .api_console_ory_sh_url(&console.url)
        .ory_workspace_api_key("workspace-key")
        .ory_access_token("project-key")
        .build()
        .unwrap();
    let err = client.project().get_project("p-1").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert!(project.requests().is_empty());
    let request = console.single();
    assert_eq!(request.target, "/projects/p-1");
    assert_eq!(
        request.header("authorization"),
        Some("Bearer workspace-key"),
        "the scheme the operation declares"
    );
}

#[tokio::test]
async fn the_token_endpoint_uses_basic_auth_and_never_both_schemes() {
    let token = json!({"access_token": "at", "token_type": "bearer", "expires_in": 3600});
    let server = TestServer::start(vec![Canned::json(200, token)]).await;
    let client = Client::builder()
        .base_url(&server.url)
        .basic_auth("my-client", "my secret")
        .oauth2_token("user-access-token")
        .build()
        .unwrap();
    let body = Oauth2TokenExchangeBody::new("authorization_code")
        .with_code("c0de")
        .with_redirect_uri("https://app.example/cb");
    let exchanged = client
        .oauth2()
        .oauth2_token_exchange(Some(&body))
        .await
        .unwrap();
    assert_eq!(exchanged.access_token.as_deref(), Some("at"));
    let request = server.single();
    assert_eq!(request.target, "/oauth2/token");
    // base64("my-client:my secret")
    assert_eq!(
        request.header("authorization"),
        Some("Basic bXktY2xpZW50Om15IHNlY3JldA==")
    );
    assert_eq!(
        request
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("authorization"))
            .count(),
        1
    );
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        String::from_utf8(request.body.clone()).unwrap(),
        "code=c0de&grant_type=authorization_code&redirect_uri=https%3A%2F%2Fapp.example%2Fcb"
    );
}

#[tokio::test]
async fn the_token_endpoint_falls_back_to_the_oauth2_scheme() {
    let server = TestServer::start(vec![Canned::json(200, json!({"access_token": "at"}))]).await;
    let client = Client::builder()
        .base_url(&server.url)
        .oauth2_token("user-access-token")
        .build()
        .unwrap();
    let body = Oauth2TokenExchangeBody::new("refresh_token").with_refresh_token("rt");
    client
        .oauth2()
        .oauth2_token_exchange(Some(&body))
        .await
        .unwrap();
    assert_eq!(
        server.single().header("authorization"),
        Some("Bearer user-access-token")
    );
}

#[tokio::test]
async fn a_redirect_is_an_answer_not_a_hop() {
    let mut redirect = Canned::empty(303);
    redirect
        .headers
        .push(("Location".into(), "https://elsewhere.example/login".into()));
    let server = TestServer::start(vec![redirect]).await;
    let client = Client::builder().base_url(&server.url).build().unwrap();
    let answer = client
        .frontend()
        .create_browser_login_flow()
        .return_to("https://app.example/")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 303);
    assert_eq!(
        answer.headers()["location"],
        "https://elsewhere.example/login"
    );
    assert!(matches!(*answer, CreateBrowserLoginFlowResponse::Status303));
    let request = server.single();
    assert_eq!(
        request.target,
        "/self-service/login/browser?return_to=https%3A%2F%2Fapp.example%2F"
    );
}

#[tokio::test]
async fn several_success_statuses_decode_into_the_operation_enum() {
    let flow = json!({
        "id": "0f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b", "type": "browser",
        "expires_at": "2026-11-26T16:00:00Z", "issued_at": "2026-11-26T15:00:00Z",
        "request_url": "https://x/self-service/login/browser", "state": "choose_method",
        "ui": {"action": "https://x/self-service/login", "method": "POST", "nodes": []}
    });
    let server = TestServer::start(vec![Canned::json(200, flow)]).await;
    let client = Client::builder().base_url(&server.url).build().unwrap();
    let answer = client.frontend().create_browser_login_flow().await.unwrap();
    let CreateBrowserLoginFlowResponse::Status200(flow) = answer else {
        panic!("a flow")
    };
    assert_eq!(flow.r#type, "browser");
}

#[tokio::test]
async fn a_documented_error_status_decodes_into_its_own_type() {
    // 400 on updateLoginFlow carries the login flow again, with its validation messages.
    let flow = json!({
        "id": "0f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b", "type": "api",
        "expires_at": "2026-11-26T16:00:00Z", "issued_at": "2026-11-26T15:00:00Z",
        "request_url": "https://x", "state": "choose_method",
        "ui": {"action": "https://x", "method": "POST", "nodes": [],
               "messages": [{"id": 4000006, "text": "The provided credentials are invalid.", "type": "error"}]}
    });
    let server = TestServer::start(vec![Canned::json(400, flow)]).await;
    let client = Client::builder().base_url(&server.url).build().unwrap();
    let body = ory_client::models::UpdateLoginFlowBody::Password(
        ory_client::models::UpdateLoginFlowWithPasswordMethod::new("a@b.c", "wrong"),
    );
    let err = client
        .frontend()
        .update_login_flow("0f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b", &body)
        .await
        .unwrap_err();
    let Error::Api(api) = err else {
        panic!("typed: {err:?}")
    };
    let ory_client::apis::frontend::UpdateLoginFlowError::Status400(flow) = &api.body else {
        panic!("{:?}", api.body)
    };
    assert_eq!(flow.ui.messages.as_ref().unwrap()[0].id, 4000006);
    let request = server.single();
    assert_eq!(
        request.target,
        "/self-service/login?flow=0f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b"
    );
    assert_eq!(request.json()["method"], "password");
}

#[test]
fn request_builders_do_not_show_credentials_in_debug() {
    let client = Client::builder().build().unwrap();
    let request = client
        .frontend()
        .to_session()
        .x_session_token("ory_st_SECRET")
        .cookie("ory_session=SECRET");
    let shown = format!("{request:?}");
    assert!(!shown.contains("SECRET"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
}

#[tokio::test]
async fn requests_run_on_spawned_tasks_and_refusals_come_back_through_await() {
    let server = TestServer::start(vec![Canned::json(200, json!({"keys": []}))]).await;
    let client = Client::builder().base_url(&server.url).build().unwrap();
    // A spawned task must be Send: the request future crosses threads on a multi-threaded runtime.
    let spawned = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .jwk()
                .get_json_web_key_set("s1")
                .send_with_response()
                .await
        }
    });
    let answer = spawned.await.unwrap().unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.keys, Some(vec![]));
    assert_eq!(server.single().target, "/admin/keys/s1");
    // A request refused before sending fails when awaited, like any other failure.
    let refused = client.jwk().get_json_web_key("s1", "..").await.unwrap_err();
    assert!(matches!(refused, Error::InvalidRequest(_)), "{refused:?}");
}
