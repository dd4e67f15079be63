//! What the generator needs to know about the Ory client spec beyond the spec itself.

use generator::Config;
use std::collections::BTreeSet;

pub const CRATE_NAME: &str = "ory-client";

/// The API groups emitted; `None`: all of them.
pub const EMITTED_TAGS: Option<&[&str]> = None;

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
