//! List operations walk their pages: the next token comes from the `Link` header (or, for object
//! pages, from the body), pages are fetched lazily, the stream ends at the last page and yields an
//! error where one happens.

mod support;

use futures::{StreamExt, TryStreamExt};
use ory_client::{Client, Error};
use serde_json::json;
use support::{Canned, TestServer};

fn identity(n: u32) -> serde_json::Value {
    json!({"id": format!("00000000-0000-4000-8000-00000000000{n}"), "schema_id": "default",
           "schema_url": "https://x/schemas/default", "traits": {"email": format!("u{n}@example.com")}})
}

fn page(ids: &[u32], next: Option<&str>) -> Canned {
    let mut answer = Canned::json(
        200,
        json!(ids.iter().map(|n| identity(*n)).collect::<Vec<_>>()),
    );
    if let Some(token) = next {
        let link = format!(
            "</admin/identities?page_size=2&page_token={token}>; rel=\"next\", </admin/identities?page_size=2>; rel=\"first\""
        );
        answer.headers.push(("Link".into(), link));
    }
    answer
}

#[tokio::test]
async fn the_stream_follows_link_headers_across_three_pages() {
    let server = TestServer::start(vec![
        page(&[1, 2], Some("t2")),
        page(&[3, 4], Some("t3")),
        page(&[5], None),
    ])
    .await;
    let client = Client::builder().base_url(&server.url).build().unwrap();
    let identities: Vec<_> = client
        .identity()
        .list_identities()
        .page_size(2)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let emails: Vec<String> = identities
        .iter()
        .map(|i| i.traits["email"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        emails,
        [
            "u1@example.com",
            "u2@example.com",
            "u3@example.com",
            "u4@example.com",
            "u5@example.com"
        ]
    );
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "/admin/identities?page_size=2",
            "/admin/identities?page_size=2&page_token=t2",
            "/admin/identities?page_size=2&page_token=t3"
        ]
    );
}

#[tokio::test]
async fn pages_are_fetched_only_as_the_stream_is_read() {
    let server = TestServer::start(vec![page(&[1, 2], Some("t2")), page(&[3], None)]).await;
    let client = Client::builder().base_url(&server.url).build().unwrap();
    let mut stream = Box::pin(client.identity().list_identities().into_stream());
    assert!(
        server.requests().is_empty(),
        "nothing fetched before reading"
    );
    stream.next().await.unwrap().unwrap();
    stream.next().await.unwrap().unwrap();
    assert_eq!(
        server.requests().len(),
        1,
        "the second page waits until it is needed"
    );
    stream.next().await.unwrap().unwrap();
    assert!(stream.next().await.is_none());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn an_error_on_page_two_ends_the_stream_after_yielding_it() {
    let failure = Canned::json(
        500,
        json!({"error": {"code": 500, "message": "database unavailable"}}),
    );
    let server =
        TestServer::start(vec![page(&[1, 2], Some("t2")), failure, page(&[9], None)]).await;
    let client = Client::builder().base_url(&server.url).build().unwrap();
    let results: Vec<_> = client
        .identity()
        .list_identities()
        .into_stream()
        .collect()
        .await;
    assert_eq!(results.len(), 3, "two items, then the error, then the end");
    assert!(results[0].is_ok() && results[1].is_ok());
    let Err(Error::Api(api)) = &results[2] else {
        panic!("{:?}", results[2])
    };
    assert_eq!(api.status.as_u16(), 500);
    assert_eq!(
        api.body.error.message.as_deref(),
        Some("database unavailable")
    );
    assert_eq!(server.requests().len(), 2, "no page after the error");
}

#[tokio::test]
async fn object_pages_carry_their_token_in_the_body() {
    let tuple = |object: &str| json!({"namespace": "files", "object": object, "relation": "view", "subject_id": "alice"});
    let server = TestServer::start(vec![
        Canned::json(
            200,
            json!({"relation_tuples": [tuple("a"), tuple("b")], "next_page_token": "p2"}),
        ),
        Canned::json(
            200,
            json!({"relation_tuples": [tuple("c")], "next_page_token": ""}),
        ),
    ])
    .await;
    let client = Client::builder().base_url(&server.url).build().unwrap();
    let tuples: Vec<_> = client
        .relationship()
        .get_relationships()
        .namespace("files")
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let objects: Vec<&str> = tuples.iter().map(|t| t.object.as_str()).collect();
    assert_eq!(objects, ["a", "b", "c"]);
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "/relation-tuples?namespace=files",
            "/relation-tuples?page_token=p2&namespace=files"
        ]
    );
}

#[tokio::test]
async fn the_next_page_token_is_read_from_the_link_header() {
    let mut answer = page(&[1], None);
    answer.headers.push((
        "Link".into(),
        "<https://x.example/admin/identities?page_token=abc%3D%3D&page_size=1>; rel=\"next\"; title=\"a, b\"".into(),
    ));
    let server = TestServer::start(vec![answer, page(&[1], None)]).await;
    let client = Client::builder().base_url(&server.url).build().unwrap();
    let first = client
        .identity()
        .list_identities()
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(first.next_page_token().as_deref(), Some("abc=="));
    let last = client
        .identity()
        .list_identities()
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(last.next_page_token(), None);
}

#[tokio::test]
async fn a_page_announcing_its_own_token_again_ends_the_stream() {
    let server = TestServer::start(vec![page(&[1], Some("same")), page(&[2], Some("same"))]).await;
    let client = Client::builder().base_url(&server.url).build().unwrap();
    let all: Vec<_> = client
        .identity()
        .list_identities()
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(server.requests().len(), 2);
}
