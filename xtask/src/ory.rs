//! What the generator needs to know about the Ory client spec beyond the spec itself.

use generator::Config;
use std::collections::BTreeSet;
use std::path::Path;

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
let request = CreateJsonWebKeySet::new("RS256", "k1", "sig");
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

/// The name the spec keeps in `spec/` across updates (with its extension).
pub const SPEC_NAME: &str = "ory-client";

/// The version of the spec: its own `info.version` when that is a version (Ory's documents say
/// `latest`), else the one in the name of the file it came from (`ory-client-v1.22.65.json`), else
/// the one the crate recorded, else `info.version` as it is.
pub fn spec_version(info_version: &str, file_name: &str, recorded: Option<&Versions>) -> String {
    if semver::Version::parse(info_version).is_ok() {
        return info_version.to_owned();
    }
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem);
    match stem.rsplit_once("-v") {
        Some((_, version)) if semver::Version::parse(version).is_ok() => version.to_owned(),
        _ => recorded.map_or_else(|| info_version.to_owned(), |r| r.spec_version.clone()),
    }
}

/// The crate's version and the spec's, as the generated manifest records them: regen carries them
/// forward, and a spec update moves the crate's version as its change report says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versions {
    pub crate_version: semver::Version,
    pub spec_version: String,
    /// Why the crate has this version: the change report's last line.
    pub reason: String,
}

impl Versions {
    /// What the crate in `out` records (`package.version`, `package.metadata.openapi.spec-version`);
    /// `None` when it has no manifest yet.
    pub fn recorded(out: &Path) -> Result<Option<Versions>, String> {
        let path = out.join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&path) else {
            return Ok(None);
        };
        let shown = path.display();
        let manifest: toml::Table = text
            .parse()
            .map_err(|e| format!("{shown} does not parse: {e}"))?;
        let package = manifest.get("package");
        let version = package
            .and_then(|p| p.get("version"))
            .and_then(toml::Value::as_str)
            .ok_or_else(|| format!("{shown} has no package.version"))?;
        let crate_version = semver::Version::parse(version)
            .map_err(|e| format!("{shown}: package.version `{version}`: {e}"))?;
        // A crate generated before the spec's version was recorded took it as its own.
        let spec_version = package
            .and_then(|p| {
                p.get("metadata")?
                    .get("openapi")?
                    .get("spec-version")?
                    .as_str()
            })
            .map_or_else(|| crate_version.to_string(), str::to_owned);
        Ok(Some(Versions {
            crate_version,
            spec_version,
            reason: String::new(),
        }))
    }

    /// A crate generated for the first time: the spec's version when it is one, else 0.1.0.
    pub fn first(spec_version: &str) -> Versions {
        let crate_version = crate::generate::first_crate_version(spec_version);
        Versions {
            reason: format!("\nversion: {crate_version} (a new crate)\n"),
            crate_version,
            spec_version: spec_version.to_owned(),
        }
    }

    /// The versions after an update to a spec of `spec_version` whose change report is `report`:
    /// breaking changes make the next major version, other API changes the next minor, a spec that
    /// changed without changing the API the next patch; below 1.0, each one place lower, as Cargo
    /// reads versions.
    pub fn next(
        self,
        report: &generator::diff::Report,
        spec_changed: bool,
        spec_version: &str,
    ) -> Result<Versions, String> {
        let current = self.crate_version;
        let (bump, why) = if report.breaking() > 0 {
            (Bump::Major, format!("{} breaking", report.breaking()))
        } else if !report.is_empty() {
            (Bump::Minor, format!("{} compatible", report.changes.len()))
        } else if spec_changed {
            (Bump::Patch, "the spec changed, its API did not".to_owned())
        } else {
            return Ok(Versions {
                reason: format!("\nversion: {current} (the spec is unchanged)\n"),
                crate_version: current,
                spec_version: spec_version.to_owned(),
            });
        };
        let next = bump.of(&current);
        Ok(Versions {
            reason: format!("\nversion: {current} -> {next} ({why})\n"),
            crate_version: next,
            spec_version: spec_version.to_owned(),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bump {
    Major,
    Minor,
    Patch,
}

impl Bump {
    /// The next version. Below 1.0 Cargo reads the minor place as the major one, so each bump goes
    /// one place lower.
    fn of(self, v: &semver::Version) -> semver::Version {
        let bump = match (v.major, self) {
            (0, Bump::Major) => Bump::Minor,
            (0, _) => Bump::Patch,
            _ => self,
        };
        match bump {
            Bump::Major => semver::Version::new(v.major + 1, 0, 0),
            Bump::Minor => semver::Version::new(v.major, v.minor + 1, 0),
            Bump::Patch => semver::Version::new(v.major, v.minor, v.patch + 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use generator::diff::{Change, Level, Report};

    #[test]
    fn the_spec_version_comes_from_the_spec_its_file_name_or_the_record() {
        assert_eq!(
            spec_version("latest", "ory-client-v1.22.66.json", None),
            "1.22.66"
        );
        assert_eq!(
            spec_version("2.0.1", "ory-client-v1.22.65.json", None),
            "2.0.1"
        );
        let recorded = Versions::first("1.22.65");
        assert_eq!(
            spec_version("latest", "ory-client.json", Some(&recorded)),
            "1.22.65"
        );
        assert_eq!(spec_version("latest", "spec.yaml", None), "latest");
    }

    #[test]
    fn the_crate_version_follows_the_report() {
        let change = |breaking| Change {
            level: if breaking {
                Level::Breaking
            } else {
                Level::Compatible
            },
            subject: "type `X`".to_owned(),
            what: "changed".to_owned(),
        };
        let report = |changes| Report { changes };
        let at = |v: &str| Versions {
            crate_version: semver::Version::parse(v).unwrap(),
            spec_version: "1".to_owned(),
            reason: String::new(),
        };
        let next = |v: &str, r: &Report, changed| {
            at(v)
                .next(r, changed, "2")
                .unwrap()
                .crate_version
                .to_string()
        };
        let breaking = report(vec![change(false), change(true)]);
        let additive = report(vec![change(false)]);
        let none = report(vec![]);
        assert_eq!(next("1.22.65", &breaking, true), "2.0.0");
        assert_eq!(next("1.22.65", &additive, true), "1.23.0");
        assert_eq!(next("1.22.65", &none, true), "1.22.66");
        assert_eq!(next("1.22.65", &none, false), "1.22.65");
        assert_eq!(next("0.3.1", &breaking, true), "0.4.0");
        assert_eq!(next("0.3.1", &additive, true), "0.3.2");
        assert_eq!(next("0.3.1", &none, true), "0.3.2");
        let versions = at("1.22.65").next(&breaking, true, "1.22.70").unwrap();
        assert_eq!(versions.spec_version, "1.22.70");
        assert!(
            versions.reason.contains("1.22.65 -> 2.0.0 (1 breaking)"),
            "{}",
            versions.reason
        );
    }
}
