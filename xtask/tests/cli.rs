//! The xtask command line: the checked-in client is fresh, and bad specs fail cleanly, naming where.

use std::path::PathBuf;
use std::process::{Command, Output};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("xtask runs")
}

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

fn failure(output: &Output) -> String {
    assert!(!output.status.success(), "expected a failure: {output:?}");
    assert_eq!(
        output.status.code(),
        Some(1),
        "an error exit, not a panic: {output:?}"
    );
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn the_checked_in_client_is_what_the_generator_produces() {
    let output = xtask(&["regen", "--check"]);
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_dangling_ref_names_its_pointer() {
    let stderr = failure(&xtask(&[
        "regen",
        "--check",
        "--spec",
        &fixture("dangling-ref.json"),
    ]));
    assert!(
        stderr.contains("`/paths/~1things/get/responses/200/content/application~1json/schema`"),
        "{stderr}"
    );
    assert!(stderr.contains("#/components/schemas/thing"), "{stderr}");
}

#[test]
fn a_swagger_two_document_is_rejected_at_its_version() {
    let stderr = failure(&xtask(&[
        "regen",
        "--check",
        "--spec",
        &fixture("swagger-2.json"),
    ]));
    assert!(
        stderr.contains("Swagger 2.0") && stderr.contains("`/swagger`"),
        "{stderr}"
    );
}

#[test]
fn invalid_json_names_line_and_column() {
    let stderr = failure(&xtask(&[
        "regen",
        "--check",
        "--spec",
        &fixture("invalid.json"),
    ]));
    assert!(
        stderr.contains("not valid JSON") && stderr.contains("line 5"),
        "{stderr}"
    );
}

#[test]
fn a_missing_file_is_a_clear_error() {
    let stderr = failure(&xtask(&[
        "regen",
        "--check",
        "--spec",
        "does/not/exist.json",
    ]));
    assert!(
        stderr.contains("cannot read") && stderr.contains("does/not/exist.json"),
        "{stderr}"
    );
}

#[test]
fn check_names_a_deleted_file_and_regen_restores_only_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let first = xtask(&["regen", "--out", out]);
    assert!(first.status.success(), "{first:?}");
    assert!(String::from_utf8_lossy(&first.stdout).contains("wrote"));

    let second = xtask(&["regen", "--out", out]);
    assert!(second.status.success());
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(
        stdout.contains("nothing written") && !stdout.contains("wrote"),
        "{stdout}"
    );

    std::fs::remove_file(dir.path().join("src/models/json_web_key.rs")).unwrap();
    std::fs::write(dir.path().join("src/stray.rs"), "// not generated\n").unwrap();
    let stderr = failure(&xtask(&["regen", "--check", "--out", out]));
    assert!(
        stderr.contains("missing: src/models/json_web_key.rs"),
        "{stderr}"
    );
    assert!(
        stderr.contains("extra (not generated): src/stray.rs"),
        "{stderr}"
    );
    assert!(
        stderr.contains("cargo xtask regen --out"),
        "names the fixing command: {stderr}"
    );

    let repair = xtask(&["regen", "--out", out]);
    let stdout = String::from_utf8_lossy(&repair.stdout);
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("wrote")).count(),
        1,
        "{stdout}"
    );
    assert!(
        stdout.contains("removed") && stdout.contains("stray.rs"),
        "{stdout}"
    );
    assert!(xtask(&["regen", "--check", "--out", out]).status.success());
}
