//! A caller of every JWK operation through this repository's client: `cargo xtask bench` times a
//! clean build of the client together with this crate, where the operations' code is generated.

use ory_client::models::CreateJsonWebKeySet;
use ory_client::Client;

pub async fn every_jwk_operation(client: &Client) -> Result<usize, Box<dyn std::error::Error>> {
    let jwk = client.jwk();
    let request = CreateJsonWebKeySet::new("RS256", "k1", "sig");
    let created = jwk.create_json_web_key_set("s1", &request).await?;
    let keys = jwk.get_json_web_key("s1", "k1").await?.keys.unwrap_or_default();
    if let Some(key) = keys.first() {
        jwk.set_json_web_key("s1", "k1", Some(key)).await?;
    }
    let set = jwk.get_json_web_key_set("s1").await?;
    jwk.set_json_web_key_set("s1", Some(&set)).await?;
    jwk.delete_json_web_key("s1", "k1").await?;
    jwk.delete_json_web_key_set("s1").await?;
    Ok(created.keys.map_or(0, |keys| keys.len()))
}

/// The calls as a boxed future: a future no code polls is not compiled, so without this the crate
/// would generate none of the operations' code (checked with `nm` on the built library).
#[allow(clippy::type_complexity)]
pub fn boxed(
    client: &Client,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<usize, Box<dyn std::error::Error>>> + '_>> {
    Box::pin(every_jwk_operation(client))
}
