//! `cargo xtask features`: every API group's feature alone builds the client warning-free, so a
//! service can compile only the groups it calls.

use crate::root;
use std::process::Command;

pub fn run(args: &[String]) -> Result<(), String> {
    let root = root();
    let manifest = std::fs::read_to_string(root.join("generated-client/Cargo.toml"))
        .map_err(|e| format!("cannot read generated-client/Cargo.toml: {e}"))?;
    let mut features = declared_features(&manifest);
    if !args.is_empty() {
        features.retain(|f| args.contains(f));
    }
    let mut failures = Vec::new();
    for feature in &features {
        let status = Command::new("cargo")
            .args([
                "clippy",
                "--quiet",
                "-p",
                "ory-client",
                "--no-default-features",
                "--features",
                feature,
            ])
            .args(["--", "-D", "warnings"])
            .current_dir(&root)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if status.success() {
            println!("feature {feature}: builds warning-free");
        } else {
            failures.push(feature.clone());
        }
    }
    println!(
        "features: {}/{} build warning-free alone",
        features.len() - failures.len(),
        features.len()
    );
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "features that do not build warning-free alone: {}",
            failures.join(", ")
        ))
    }
}

/// The features the generated manifest declares, but `default` and the TLS switch.
fn declared_features(manifest: &str) -> Vec<String> {
    manifest
        .split("[features]")
        .nth(1)
        .and_then(|section| section.split("\n[").next())
        .into_iter()
        .flat_map(|section| section.lines())
        .filter_map(|line| {
            line.split_once(" = ")
                .map(|(name, _)| name.trim().to_owned())
        })
        .filter(|name| {
            !name.is_empty()
                && name != "default"
                && name != "native-tls"
                && !name.starts_with('#')
                && !name.starts_with("__")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn features_are_read_from_the_manifest() {
        let manifest = "[package]\nname = \"x\"\n\n[features]\n# groups\ndefault = [\n    \"jwk\",\n]\njwk = [\"__group\"]\nstandalone-models = []\n__group = []\n# tls\nnative-tls = [\"reqwest/native-tls\"]\n\n[dependencies]\nserde = \"1\"\n";
        assert_eq!(
            super::declared_features(manifest),
            ["jwk", "standalone-models"]
        );
    }
}
