//! `cargo xtask test`: every check the project has, in the order a failure is cheapest to see.

use crate::root;
use std::process::Command;

/// One step: a description and the command line (run from the workspace root).
struct Step {
    what: &'static str,
    program: &'static str,
    args: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
}

const STEPS: &[Step] = &[
    Step {
        what: "formatting",
        program: "cargo",
        args: &["fmt", "--all", "--", "--check"],
        env: &[],
    },
    Step {
        what: "the checked-in client is fresh",
        program: "cargo",
        args: &["xtask", "regen", "--check"],
        env: &[],
    },
    Step {
        what: "clippy, warnings denied",
        program: "cargo",
        args: &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        env: &[],
    },
    Step {
        what: "rustdoc of the client, warnings denied",
        program: "cargo",
        args: &["doc", "-p", "ory-client", "--no-deps"],
        env: &[("RUSTDOCFLAGS", "-D warnings")],
    },
    Step {
        what: "every test (generator, xtask, client; examples compile); the fuzz run and the peer suites are their own steps",
        program: "cargo",
        args: &["test", "--workspace", "--all-targets", "--", "--skip", "generation_never_panics", "--skip", "peer_"],
        env: &[],
    },
    Step {
        what: "real peers (installed into .tools/ on first use): Prism contract suite over every operation, requests compared with the official Python and JS clients",
        program: "cargo",
        args: &["test", "-p", "ory-client", "--test", "contract", "--test", "differential", "--", "--nocapture"],
        env: &[],
    },
    Step {
        what: "fuzz: 2000 mutated specs generate or fail with a JSON pointer, never panic",
        program: "cargo",
        args: &["test", "-p", "ory-generator", "--test", "fuzz", "--", "--nocapture"],
        env: &[],
    },
    Step {
        what: "the client with only the jwk feature",
        program: "cargo",
        args: &["check", "-p", "ory-client", "--no-default-features", "--features", "jwk"],
        env: &[],
    },
    Step {
        what: "the native-tls opt-in builds warning-free",
        program: "cargo",
        args: &["clippy", "-p", "ory-client", "--no-default-features", "--features", "jwk,native-tls", "--", "-D", "warnings"],
        env: &[],
    },
    Step {
        what: "the blocking feature: clippy, then its tests",
        program: "cargo",
        args: &["clippy", "-p", "ory-client", "--all-targets", "--features", "blocking", "--", "-D", "warnings"],
        env: &[],
    },
    Step {
        what: "the blocking feature's tests (the JWK operations without async)",
        program: "cargo",
        args: &["test", "-p", "ory-client", "--features", "blocking", "--test", "blocking"],
        env: &[],
    },
    Step {
        what: "every API-group feature alone builds warning-free",
        program: "cargo",
        args: &["xtask", "features"],
        env: &[],
    },
    Step {
        what: "every fixture spec (Hydra, Kratos, Keto, earlier Ory client specs, other styles, awkward names) generates a crate that builds warning-free",
        program: "cargo",
        args: &["xtask", "specs"],
        env: &[],
    },
    Step {
        what: "hostile specs: spec text in every string position is refused with a JSON pointer or stays inert text",
        program: "cargo",
        args: &["xtask", "hostile"],
        env: &[],
    },
    Step {
        what: "the change report labels Rust changes as cargo-semver-checks does (installed into .tools/ on first use)",
        program: "cargo",
        args: &["xtask", "semver"],
        env: &[],
    },
    Step {
        what: "doctests",
        program: "cargo",
        args: &["test", "--workspace", "--doc"],
        env: &[],
    },
];

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(extra) = args.first() {
        return Err(format!(
            "`cargo xtask test` takes no arguments (got `{extra}`)"
        ));
    }
    let root = root();
    for (index, step) in STEPS.iter().enumerate() {
        println!(
            "\n==> [{}/{}] {}: {} {}",
            index + 1,
            STEPS.len(),
            step.what,
            step.program,
            step.args.join(" ")
        );
        let status = Command::new(step.program)
            .args(step.args)
            .envs(step.env.iter().copied())
            .current_dir(&root)
            .status()
            .map_err(|e| format!("cannot run {}: {e}", step.program))?;
        if !status.success() {
            return Err(format!("step failed: {} ({status})", step.what));
        }
    }
    println!("\nall {} steps passed", STEPS.len());
    Ok(())
}
