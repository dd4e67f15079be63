//! `cargo xtask features`: every API group's feature alone builds the client warning-free, so a
//! service can compile only the groups it calls.

use crate::root;
use std::process::Command;

pub fn run(args: &[String]) -> Result<(), String> {
    let root = root();
    let mut features = client_features(&root)?;
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

/// The public features of the generated client, as the generator decides them from the checked-in
/// spec (the same computation that wrote `generated-client/Cargo.toml`).
fn client_features(root: &std::path::Path) -> Result<Vec<String>, String> {
    let spec = crate::regen::checked_in_spec(root)?;
    let text = std::fs::read_to_string(&spec)
        .map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let analysis = generator::analyse_text(&text, &crate::ory::config())
        .map_err(|e| format!("{}: {e}", spec.display()))?;
    let api = generator::render::select(&analysis.api, crate::ory::emitted_tags().as_ref());
    Ok(generator::render::Features::new(&api).all())
}
