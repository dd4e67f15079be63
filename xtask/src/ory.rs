//! What the generator needs to know about the Ory client spec beyond the spec itself.

use generator::Config;
use std::collections::BTreeSet;

pub const CRATE_NAME: &str = "ory-client";

/// The API groups emitted; `None`: all of them.
pub const EMITTED_TAGS: Option<&[&str]> = None;

/// The crate documentation's example: a doctest (`no_run`) of the calls a service makes most.
pub const CRATE_EXAMPLE: &str = r#"use futures::TryStreamExt;
use ory_client::models::CreateJsonWebKeySet;
use ory_client::{Client, Error};

# async fn example() -> Result<(), Box<dyn std::error::Error>> {
let ory = Client::builder()
    .project_slug("my-project") // https://my-project.projects.oryapis.com
    .bearer_token(std::env::var("ORY_API_KEY")?)
    .build()?;

// Required inputs are arguments; `.await` sends the request.
let request = CreateJsonWebKeySet { alg: "RS256".into(), kid: "k1".into(), r#use: "sig".into() };
let set = ory.jwk().create_json_web_key_set("my-set", &request).await?;
println!("{} key(s)", set.keys.map_or(0, |keys| keys.len()));

// Optional inputs go on the builder; `send_with_response` keeps the status and headers.
let page = ory.identity().list_identities().page_size(50).send_with_response().await?;
println!("{} identities, next page token {:?}", page.len(), page.next_page_token());

// Every item of every page, fetched as the stream is read.
let everyone: Vec<_> = ory.identity().list_identities().into_stream().try_collect().await?;
println!("{} identities in all", everyone.len());

// Documented error answers are typed; undocumented ones keep the raw body.
match ory.identity().get_identity("no-such-id").await {
    Err(Error::Api(answer)) => println!("{}: {:?}", answer.status, answer.body),
    other => println!("{other:?}"),
}
# Ok(())
# }"#;

/// Private members of a JSON Web Key (RFC 7517/7518): key material that `Debug` must never show.
const JWK_PRIVATE_MEMBERS: &[&str] = &["d", "p", "q", "dp", "dq", "qi", "k"];

pub fn config() -> Config {
    Config {
        secret_properties: JWK_PRIVATE_MEMBERS
            .iter()
            .map(|member| format!("/components/schemas/jsonWebKey/properties/{member}"))
            .collect(),
    }
}

pub fn emitted_tags() -> Option<BTreeSet<String>> {
    EMITTED_TAGS.map(|tags| tags.iter().map(|t| (*t).to_owned()).collect())
}

/// The crate version: the spec's own version when it is one (`1.22.65`), else the one in the spec's
/// file name (`ory-client-v1.22.65.json`; Ory's documents say `latest`).
pub fn crate_version(spec_version: &str, spec_file_name: &str) -> String {
    let is_semver = |v: &str| {
        let parts: Vec<&str> = v.split('.').collect();
        parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    };
    if is_semver(spec_version) {
        return spec_version.to_owned();
    }
    let stem = spec_file_name
        .rsplit_once('.')
        .map_or(spec_file_name, |(stem, _)| stem);
    match stem.rsplit_once("-v") {
        Some((_, version)) if is_semver(version) => version.to_owned(),
        _ => "0.0.0".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_comes_from_the_spec_or_its_file_name() {
        assert_eq!(
            crate_version("latest", "ory-client-v1.22.65.json"),
            "1.22.65"
        );
        assert_eq!(crate_version("2.0.1", "ory-client-v1.22.65.json"), "2.0.1");
        assert_eq!(crate_version("latest", "spec.yaml"), "0.0.0");
    }
}
