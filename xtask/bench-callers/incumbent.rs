//! The same calls as `ours.rs`, through the crates.io `ory-client` 1.22.65.

use ory_client::apis::{configuration::Configuration, jwk_api};
use ory_client::models::CreateJsonWebKeySet;

pub async fn every_jwk_operation(
    config: &Configuration,
) -> Result<usize, Box<dyn std::error::Error>> {
    let request = CreateJsonWebKeySet::new("RS256".into(), "k1".into(), "sig".into());
    let created = jwk_api::create_json_web_key_set(config, "s1", request).await?;
    let keys = jwk_api::get_json_web_key(config, "s1", "k1")
        .await?
        .keys
        .unwrap_or_default();
    if let Some(key) = keys.into_iter().next() {
        jwk_api::set_json_web_key(config, "s1", "k1", Some(key)).await?;
    }
    let set = jwk_api::get_json_web_key_set(config, "s1").await?;
    jwk_api::set_json_web_key_set(config, "s1", Some(set)).await?;
    jwk_api::delete_json_web_key(config, "s1", "k1").await?;
    jwk_api::delete_json_web_key_set(config, "s1").await?;
    Ok(created.keys.map_or(0, |keys| keys.len()))
}

/// The calls as a boxed future: a future no code polls is not compiled, so without this the crate
/// would generate none of the operations' code (checked with `nm` on the built library).
#[allow(clippy::type_complexity)]
pub fn boxed(
    config: &Configuration,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<usize, Box<dyn std::error::Error>>> + '_>> {
    Box::pin(every_jwk_operation(config))
}
