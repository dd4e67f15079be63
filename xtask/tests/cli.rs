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
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec/ory-client.json");
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
    let old = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec/ory-client.json");
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
    assert_eq!(
        std::fs::read_to_string(report).unwrap(),
        "no API changes\n\nversion: 1.22.65 (the spec is unchanged)\n"
    );
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

    assert_eq!(
        differing_files(&out),
        ["Cargo.toml", "src/models/json_web_key.rs"]
    );
    // The breaking change makes the next major version, and the manifest says only that.
    assert_eq!(
        changed_lines(&checked_in().join("Cargo.toml"), &out.join("Cargo.toml")),
        (
            vec!["version = \"1.22.65\"".to_owned()],
            vec!["version = \"2.0.0\"".to_owned()]
        )
    );
    assert!(
        markdown.contains("version: 1.22.65 -> 2.0.0 (1 breaking)"),
        "{markdown}"
    );
}

fn checked_in() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../generated-client")
}

/// Every file below `roots` (a root that is a file is itself).
fn files_below(mut roots: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    while let Some(path) = roots.pop() {
        if path.is_dir() {
            roots.extend(
                std::fs::read_dir(&path)
                    .unwrap()
                    .flatten()
                    .map(|e| e.path()),
            );
        } else {
            files.push(path);
        }
    }
    files
}

/// The generated files of the crate in `out` that differ from the checked-in crate's, sorted.
fn differing_files(out: &std::path::Path) -> Vec<String> {
    let mut differing: Vec<String> = files_below(vec![out.join("src"), out.join("Cargo.toml")])
        .into_iter()
        .filter_map(|path| {
            let relative = path.strip_prefix(out).unwrap();
            let checked_in = std::fs::read(checked_in().join(relative)).unwrap_or_default();
            (std::fs::read(&path).unwrap() != checked_in).then(|| relative.display().to_string())
        })
        .collect();
    differing.sort();
    differing
}

/// The lines of `old` that `new` lacks and the lines `new` adds, when the files have the same
/// number of lines or one holds the other's lines in order (a change, or an insertion).
fn changed_lines(old: &std::path::Path, new: &std::path::Path) -> (Vec<String>, Vec<String>) {
    let old = std::fs::read_to_string(old).unwrap();
    let new = std::fs::read_to_string(new).unwrap();
    let (old, new): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    if old.len() == new.len() {
        let pairs = old.iter().zip(&new).filter(|(a, b)| a != b);
        let (removed, added) = pairs
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .unzip();
        return (removed, added);
    }
    // Greedy: every old line found in order in the new file; the rest of the new file was added.
    let mut added = Vec::new();
    let mut old_lines = old.iter().peekable();
    for line in &new {
        if old_lines.peek() == Some(&line) {
            old_lines.next();
        } else {
            added.push((*line).to_owned());
        }
    }
    let removed = old_lines.map(|l| (*l).to_owned()).collect();
    (removed, added)
}

/// The checked-in crate's regenerated files copied to `out`, as a user's checkout holds them.
fn copy_checked_in(out: &std::path::Path) {
    let roots = ["src", "tests/generated", "Cargo.toml"].map(|p| checked_in().join(p));
    for path in files_below(roots.to_vec()) {
        let target = out.join(path.strip_prefix(checked_in()).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&path, &target).unwrap();
    }
}

#[test]
fn a_spec_version_bump_changes_only_the_manifest_and_the_constant() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = ory_spec();
    spec["info"]["version"] = serde_json::json!("1.22.66");
    let modified = write_spec(dir.path(), &spec);
    let out = dir.path().join("client");
    copy_checked_in(&out);
    let output = xtask(&["regen", "--spec", &modified, "--out", out.to_str().unwrap()]);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("no API changes"), "{stdout}");
    assert!(
        stdout.contains("version: 1.22.65 -> 1.22.66 (the spec changed, its API did not)"),
        "{stdout}"
    );
    assert_eq!(differing_files(&out), ["Cargo.toml", "src/lib.rs"]);
    let (removed, added) = changed_lines(&checked_in().join("src/lib.rs"), &out.join("src/lib.rs"));
    assert_eq!(removed.len(), added.len());
    assert!(
        removed.iter().all(|l| l.contains("1.22.65"))
            && added.iter().all(|l| l.contains("1.22.66")),
        "{removed:?} {added:?}"
    );
    assert!(added
        .iter()
        .any(|l| l.contains("pub const SPEC_VERSION: &str = \"1.22.66\";")));
    let (removed, added) = changed_lines(&checked_in().join("Cargo.toml"), &out.join("Cargo.toml"));
    assert_eq!(
        removed,
        ["version = \"1.22.65\"", "spec-version = \"1.22.65\""]
    );
    assert_eq!(
        added,
        ["version = \"1.22.66\"", "spec-version = \"1.22.66\""]
    );
}

#[test]
fn an_optional_member_added_mid_model_adds_only_its_own_lines() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = ory_spec();
    let properties = spec["components"]["schemas"]["jsonWebKey"]["properties"]
        .as_object_mut()
        .unwrap();
    let entries: Vec<(String, serde_json::Value)> =
        std::mem::take(properties).into_iter().collect();
    for (name, value) in entries {
        let after_e = name == "e";
        properties.insert(name, value);
        if after_e {
            properties.insert(
                "ext".to_owned(),
                serde_json::json!({"type": "boolean", "description": "Whether the key is extractable."}),
            );
        }
    }
    let modified = write_spec(dir.path(), &spec);
    let out = dir.path().join("client");
    copy_checked_in(&out);
    let output = xtask(&["regen", "--spec", &modified, "--out", out.to_str().unwrap()]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        differing_files(&out),
        ["Cargo.toml", "src/models/json_web_key.rs"]
    );
    let file = "src/models/json_web_key.rs";
    let (removed, added) = changed_lines(&checked_in().join(file), &out.join(file));
    assert_eq!(removed, Vec::<String>::new(), "nothing else changed");
    let added: Vec<&str> = added.iter().map(|l| l.trim()).collect();
    assert_eq!(
        added,
        [
            "/// Whether the key is extractable.",
            "pub ext: Option<bool>,",
            "ext: None,",
            "/// Sets `ext`.",
            "pub fn with_ext(mut self, value: impl Into<bool>) -> Self {",
            "self.ext = Some(value.into());",
            "self",
            "}",
            "\"ext\" => ext,",
            "debug.field(\"ext\", &self.ext);",
        ]
    );
    // A compatible change: the next minor version, and nothing else in the manifest.
    let (removed, added) = changed_lines(&checked_in().join("Cargo.toml"), &out.join("Cargo.toml"));
    assert_eq!(
        (removed, added),
        (
            vec!["version = \"1.22.65\"".to_owned()],
            vec!["version = \"1.23.0\"".to_owned()]
        )
    );
}
