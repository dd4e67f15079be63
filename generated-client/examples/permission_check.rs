//! A Keto permission check: may `alice` view `files:report.pdf`?
//!
//! ```text
//! ORY_API_KEY=ory_pat_... ORY_PROJECT_SLUG=my-project cargo run -p ory-client --example permission_check
//! ```

use ory_client::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ory = Client::builder()
        .project_slug(std::env::var("ORY_PROJECT_SLUG")?)
        .bearer_token(std::env::var("ORY_API_KEY")?)
        .build()?;

    let result = ory
        .permission()
        .check_permission()
        .namespace("files")
        .object("report.pdf")
        .relation("view")
        .subject_id("alice")
        .await?;
    println!("alice may view report.pdf: {}", result.allowed);
    Ok(())
}
