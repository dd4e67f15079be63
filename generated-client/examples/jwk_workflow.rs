//! The JSON Web Key workflow end to end: create a set, read it, read, replace and delete one key,
//! replace the whole set, delete the set. Each of the seven JWK operations runs once.
//!
//! ```text
//! ORY_API_KEY=ory_pat_... ORY_PROJECT_SLUG=my-project cargo run -p ory-client --example jwk_workflow
//! ORY_BASE_URL=http://127.0.0.1:4445 cargo run -p ory-client --example jwk_workflow   # self-hosted Hydra admin
//! ```

use ory_client::models::{CreateJsonWebKeySet, JsonWebKeySet};
use ory_client::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut builder =
        Client::builder().bearer_token(std::env::var("ORY_API_KEY").unwrap_or_default());
    if let Ok(slug) = std::env::var("ORY_PROJECT_SLUG") {
        builder = builder.project_slug(slug);
    }
    if let Ok(url) = std::env::var("ORY_BASE_URL") {
        builder = builder.base_url(url);
    }
    let ory = builder.build()?;
    let jwk = ory.jwk();
    let set = "example.jwk-workflow";

    // createJsonWebKeySet: the server generates a key and returns the set holding it.
    let request = CreateJsonWebKeySet::new("RS256", "example-key", "sig");
    let created = jwk.create_json_web_key_set(set, &request).await?;
    let mut key = created
        .keys
        .unwrap_or_default()
        .into_iter()
        .next()
        .ok_or("no key created")?;
    println!("created {} ({:?})", key.kid, key); // Debug never shows private members

    // getJsonWebKeySet and getJsonWebKey.
    let all = jwk.get_json_web_key_set(set).await?;
    println!("set holds {} key(s)", all.keys.map_or(0, |k| k.len()));
    let one = jwk.get_json_web_key(set, &key.kid).await?;
    println!(
        "read back {} key(s) for kid {}",
        one.keys.map_or(0, |k| k.len()),
        key.kid
    );

    // setJsonWebKey: store a changed key under its kid.
    key.r#use = "enc".into();
    let stored = jwk
        .set_json_web_key(set, &key.kid.clone(), Some(&key))
        .await?;
    println!("key {} now has use {}", stored.kid, stored.r#use);

    // setJsonWebKeySet: replace the whole set.
    let replaced = jwk
        .set_json_web_key_set(set, Some(&JsonWebKeySet::new().with_keys(vec![stored])))
        .await?;
    println!(
        "set replaced, {} key(s)",
        replaced.keys.map_or(0, |k| k.len())
    );

    // deleteJsonWebKey, then deleteJsonWebKeySet.
    jwk.delete_json_web_key(set, &key.kid).await?;
    jwk.delete_json_web_key_set(set).await?;
    println!("deleted");
    Ok(())
}
