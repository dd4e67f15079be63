//! `cargo xtask specs`: every fixture spec (Hydra, Kratos, Keto, earlier Ory client specs and
//! public specs of other styles) generates a crate that builds warning-free (clippy, all targets,
//! with the `blocking` feature). The crates go to `target/spec-crates/` (excluded from the
//! workspace) and share one target directory, with the workspace's lock file for the same
//! dependency versions.

use crate::generate::{write_crate, Request};
use crate::root;
use std::path::PathBuf;
use std::process::Command;

pub const FIXTURES: &str = "xtask/tests/fixtures/specs";

pub fn run(args: &[String]) -> Result<(), String> {
    let root = root();
    let only: Vec<&String> = args.iter().collect();
    let mut specs: Vec<PathBuf> = std::fs::read_dir(root.join(FIXTURES))
        .map_err(|e| format!("cannot read {FIXTURES}: {e}"))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            only.is_empty() || only.iter().any(|o| name.contains(o.as_str()))
        })
        .collect();
    specs.sort();
    let crates = root.join("target/spec-crates");
    let mut failures = Vec::new();
    for spec in &specs {
        let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("spec");
        let out = crates.join(stem);
        let request = Request {
            spec: spec.clone(),
            out: out.clone(),
            crate_name: crate::generate::default_crate_name(spec),
        };
        match write_crate(&request) {
            Ok(summary) => println!("generated {summary}"),
            Err(e) => {
                failures.push(format!("{stem}: generation failed: {e}"));
                continue;
            }
        }
        std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))
            .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
        let status = Command::new("cargo")
            .args([
                "clippy",
                "--quiet",
                "--all-targets",
                "--features",
                "blocking",
            ])
            .arg("--manifest-path")
            .arg(out.join("Cargo.toml"))
            .args(["--", "-D", "warnings"])
            .env("CARGO_TARGET_DIR", crates.join("target"))
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if status.success() {
            println!("compiled {stem}: no warnings");
        } else {
            failures.push(format!(
                "{stem}: the generated crate does not build warning-free"
            ));
        }
    }
    println!(
        "spec crates: {}/{} generate and build warning-free",
        specs.len() - failures.len(),
        specs.len()
    );
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}
