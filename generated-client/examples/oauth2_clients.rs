//! Every OAuth2 client of a project, page after page, through one stream.
//!
//! ```text
//! ORY_API_KEY=ory_pat_... ORY_PROJECT_SLUG=my-project cargo run -p ory-client --example oauth2_clients
//! ```

use futures::TryStreamExt;
use ory_client::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ory = Client::builder()
        .project_slug(std::env::var("ORY_PROJECT_SLUG")?)
        .bearer_token(std::env::var("ORY_API_KEY")?)
        .build()?;

    // Pages of 100, fetched as the stream is read; the next page comes from the `Link` header.
    let mut clients = Box::pin(
        ory.oauth2()
            .list_oauth2_clients()
            .page_size(100)
            .into_stream(),
    );
    let mut count = 0;
    while let Some(client) = clients.try_next().await? {
        count += 1;
        println!(
            "{} {}",
            client.client_id.as_deref().unwrap_or("?"),
            client.client_name.as_deref().unwrap_or("")
        );
    }
    println!("{count} clients");
    Ok(())
}
