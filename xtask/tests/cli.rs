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
    // The generated test modules are regen's too; the hand-written tests beside them are not.
    std::fs::write(
        dir.path().join("tests/generated/stale.rs"),
        "// left over\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("tests/by_hand.rs"), "// a person's test\n").unwrap();
    let stderr = failure(&xtask(&["regen", "--check", "--out", out]));
    assert!(
        stderr.contains("extra (not generated): tests/generated/stale.rs"),
        "{stderr}"
    );
    assert!(!stderr.contains("by_hand.rs"), "{stderr}");
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
    assert!(!dir.path().join("tests/generated/stale.rs").exists());
    assert!(dir.path().join("tests/by_hand.rs").exists());
    assert!(xtask(&["regen", "--check", "--out", out]).status.success());
}

fn ory_spec() -> serde_json::Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec/ory-client-v1.22.65.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Writes `spec` under the checked-in spec's own file name, so generated preambles match.
fn write_spec(dir: &std::path::Path, spec: &serde_json::Value) -> String {
    let path = dir.join("ory-client-v1.22.65.json");
    std::fs::write(&path, serde_json::to_string_pretty(spec).unwrap()).unwrap();
    path.display().to_string()
}

#[test]
fn diff_reports_exactly_the_three_changes_with_their_flags() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = ory_spec();
    spec["paths"]["/admin/keys/{set}/{kid}"]
        .as_object_mut()
        .unwrap()
        .remove("delete");
    spec["components"]["schemas"]["jsonWebKey"]["properties"]["x5t"] =
        serde_json::json!({"type": "string"});
    let groups = spec["components"]["schemas"]["uiNode"]["properties"]["group"]["enum"]
        .as_array_mut()
        .unwrap();
    groups.retain(|v| v != "totp");
    let new = write_spec(dir.path(), &spec);
    let old = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec/ory-client-v1.22.65.json");
    let output = xtask(&["diff", old.to_str().unwrap(), &new]);
    assert!(output.status.success(), "{output:?}");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        report.contains("## API changes: 3 (2 breaking, 1 compatible)"),
        "{report}"
    );
    let lines: Vec<&str> = report.lines().filter(|l| l.starts_with("- ")).collect();
    assert_eq!(
        lines,
        [
            "- operation `deleteJsonWebKey` (`jwk`): removed (`DELETE /admin/keys/{set}/{kid}`)",
            "- type `UiNodeGroup`: enum value `totp` removed",
            "- type `JsonWebKey`: field `x5t` added (optional, `Option<String>`)",
        ],
        "{report}"
    );
    let breaking = report.split("### Compatible").next().unwrap();
    assert!(
        breaking.contains("deleteJsonWebKey")
            && breaking.contains("totp")
            && !breaking.contains("x5t")
    );
}

#[test]
fn regen_on_an_unchanged_spec_reports_no_api_changes() {
    let output = xtask(&["regen", "--check"]);
    assert!(output.status.success());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("client");
    let first = xtask(&["regen", "--out", out.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&first.stdout).starts_with("no API changes"),
        "{first:?}"
    );
    let report = dir.path().join("report.md");
    let second = xtask(&[
        "regen",
        "--out",
        out.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(
        stdout.contains("no API changes") && stdout.contains("nothing written"),
        "{stdout}"
    );
    assert_eq!(std::fs::read_to_string(report).unwrap(), "no API changes\n");
}

#[test]
fn one_changed_property_changes_one_file_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = ory_spec();
    spec["components"]["schemas"]["jsonWebKey"]["properties"]["crv"] =
        serde_json::json!({"type": "integer", "format": "int64"});
    let modified = write_spec(dir.path(), &spec);
    let out = dir.path().join("client");
    let report = dir.path().join("report.md");
    let output = xtask(&[
        "regen",
        "--spec",
        &modified,
        "--out",
        out.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{output:?}");
    let markdown = std::fs::read_to_string(report).unwrap();
    assert!(
        markdown.contains("## API changes: 1 (1 breaking, 0 compatible)"),
        "{markdown}"
    );
    assert!(
        markdown.contains(
            "- type `JsonWebKey`: field `crv` retyped from `Option<String>` to `Option<i64>`"
        ),
        "{markdown}"
    );

    let checked_in = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../generated-client");
    let mut differing = Vec::new();
    let mut stack = vec![out.join("src")];
    while let Some(path) = stack.pop() {
        for entry in std::fs::read_dir(&path).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let relative = path.strip_prefix(&out).unwrap();
            if std::fs::read(&path).unwrap()
                != std::fs::read(checked_in.join(relative)).unwrap_or_default()
            {
                differing.push(relative.display().to_string());
            }
        }
    }
    assert_eq!(differing, ["src/models/json_web_key.rs"]);
    assert_eq!(
        std::fs::read(out.join("Cargo.toml")).unwrap(),
        std::fs::read(checked_in.join("Cargo.toml")).unwrap()
    );
}
