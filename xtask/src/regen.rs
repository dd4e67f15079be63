//! `cargo xtask regen`: one function decides what happens to each generated file (equal: nothing;
//! different: written, or reported in `--check` mode), so unchanged files keep their mtime.

use crate::{ory, root};
use generator::{generate_loaded, Files, Generated, RenderOptions};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const OUT_DIR: &str = "generated-client";
const SPEC_DIR: &str = "spec";

struct Options {
    check: bool,
    spec: Option<PathBuf>,
    /// Where the crate goes, when not `generated-client/` (the spec in `spec/` is then left alone).
    out: Option<PathBuf>,
    /// Where to write the API change report as Markdown.
    report: Option<PathBuf>,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        check: false,
        spec: None,
        out: None,
        report: None,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => options.check = true,
            "--spec" => {
                let path = args.next().ok_or("--spec needs a path")?;
                options.spec = Some(PathBuf::from(path));
            }
            "--report" => {
                let path = args.next().ok_or("--report needs a file")?;
                options.report = Some(PathBuf::from(path));
            }
            "--out" => {
                let path = args.next().ok_or("--out needs a directory")?;
                options.out = Some(PathBuf::from(path));
            }
            other => return Err(format!("unknown argument `{other}`\n{}", crate::USAGE)),
        }
    }
    Ok(options)
}

/// The one spec file in `spec/`.
pub fn checked_in_spec(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join(SPEC_DIR);
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml")
            )
        })
        .collect();
    specs.sort();
    match specs.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(format!("no spec (.json/.yaml) in {}", dir.display())),
        many => Err(format!(
            "{} holds {} specs; it must hold exactly one",
            dir.display(),
            many.len()
        )),
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    let options = parse(args)?;
    let root = root();
    let spec_path = match &options.spec {
        Some(path) => path.clone(),
        None => checked_in_spec(&root)?,
    };
    let text = std::fs::read_to_string(&spec_path)
        .map_err(|e| format!("cannot read {}: {e}", spec_path.display()))?;
    let file_name = spec_path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("{} has no file name", spec_path.display()))?
        .to_owned();
    let out = options.out.clone().unwrap_or_else(|| root.join(OUT_DIR));
    // A new `--out` folder carries on from the checked-in crate's versions.
    let recorded = match ory::Versions::recorded(&out)? {
        Some(versions) => Some(versions),
        None => ory::Versions::recorded(&root.join(OUT_DIR))?,
    };
    let in_spec = |e: generator::Error| format!("{}: {e}", spec_path.display());
    let spec = generator::load::load_str(&text).map_err(in_spec)?;
    let spec_version = ory::spec_version(&spec.api.info.version, &file_name, recorded.as_ref());

    if options.check {
        let versions = recorded.unwrap_or_else(|| ory::Versions::first(&spec_version));
        let generated = generate_files(spec, &versions).map_err(in_spec)?;
        return check(&out, &generated.files, &fix_command(&options));
    }
    // The change report compares the spec checked in (before a `--spec` replaces it) with this one.
    let previous = checked_in_spec(&root)
        .ok()
        .and_then(|path| std::fs::read_to_string(path).ok())
        .unwrap_or_else(|| text.clone());
    // The same text is the same API: no need to analyse it again.
    let report = if previous == text {
        generator::diff::Report::default()
    } else {
        let previous = analyse(&previous, "previous")?;
        let new = analyse(&text, "new")?;
        generator::diff::diff(&previous.api, &new.api)
    };
    let versions = match recorded {
        Some(recorded) => recorded.next(&report, previous != text, &spec_version)?,
        None => ory::Versions::first(&spec_version),
    };
    let generated = generate_files(spec, &versions).map_err(in_spec)?;
    let mut markdown = report.to_markdown();
    markdown.push_str(&versions.reason);
    print!("{markdown}");
    if let Some(path) = &options.report {
        std::fs::write(path, &markdown)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    if options.spec.is_some() && options.out.is_none() {
        replace_spec(&root, &spec_path, &text)?;
    }
    write(&out, &generated.files)
}

fn analyse(text: &str, which: &str) -> Result<generator::Analysis, String> {
    generator::analyse_text(text, &ory::config()).map_err(|e| format!("the {which} spec: {e}"))
}

/// What changed for Rust callers between two versions of the spec.
pub fn api_changes(old: &str, new: &str) -> Result<generator::diff::Report, String> {
    let (old, new) = (analyse(old, "previous")?, analyse(new, "new")?);
    Ok(generator::diff::diff(&old.api, &new.api))
}

/// `cargo xtask diff OLD NEW`: the change report between two spec files; writes nothing.
pub fn diff_command(args: &[String]) -> Result<(), String> {
    let [old, new] = args else {
        return Err(format!(
            "`cargo xtask diff` takes two spec files\n{}",
            crate::USAGE
        ));
    };
    let read = |path: &String| {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))
    };
    let report = api_changes(&read(old)?, &read(new)?)?;
    print!("{}", report.to_markdown());
    Ok(())
}

/// Generates the Ory client from the loaded spec: its files, and the analysis they came from.
pub fn generate_files(
    spec: generator::load::LoadedSpec,
    versions: &ory::Versions,
) -> Result<Generated, generator::Error> {
    let options = RenderOptions {
        crate_name: ory::CRATE_NAME.to_owned(),
        crate_version: versions.crate_version.to_string(),
        spec_version: versions.spec_version.clone(),
        preamble: "@generated by `cargo xtask regen`; do not edit by hand.".to_owned(),
        tags: ory::emitted_tags(),
        example: Some(ory::CRATE_EXAMPLE.to_owned()),
        contract_calls: true,
    };
    let generated = generate_loaded(spec, &ory::config(), &options)?;
    for note in generated.analysis.notes() {
        eprintln!("{note}");
    }
    Ok(generated)
}

/// Puts the spec in `spec/` under the one name it keeps across updates, so that a pull request
/// shows the spec's own diff.
fn replace_spec(root: &Path, source: &Path, text: &str) -> Result<(), String> {
    let extension = source
        .extension()
        .and_then(|e| e.to_str())
        .filter(|e| matches!(*e, "yaml" | "yml"))
        .unwrap_or("json");
    let target = root
        .join(SPEC_DIR)
        .join(format!("{}.{extension}", ory::SPEC_NAME));
    if let Ok(old) = checked_in_spec(root) {
        if old != target {
            std::fs::remove_file(&old)
                .map_err(|e| format!("cannot remove {}: {e}", old.display()))?;
            println!(
                "removed {}",
                old.strip_prefix(root).unwrap_or(&old).display()
            );
        }
    }
    if source != target {
        std::fs::write(&target, text)
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        println!(
            "spec: {}",
            target.strip_prefix(root).unwrap_or(&target).display()
        );
    }
    Ok(())
}

/// Files regen owns in the output crate: `Cargo.toml`, everything under `src/`, and the generated
/// test modules (the hand-written tests around them are not its own).
fn owned_files(out: &Path) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    if out.join("Cargo.toml").is_file() {
        found.insert("Cargo.toml".to_owned());
    }
    let dirs = [out.join("src"), out.join(generator::GENERATED_TESTS_DIR)];
    for path in crate::files_under(dirs) {
        if let Ok(relative) = path.strip_prefix(out) {
            found.insert(relative.to_string_lossy().replace('\\', "/"));
        }
    }
    found
}

enum Change {
    Missing,
    Stale,
    Extra,
}

fn changes(out: &Path, files: &Files) -> Vec<(String, Change)> {
    // Only files already there are read: writing into a new directory opens nothing twice.
    let existing = owned_files(out);
    let mut changes = Vec::new();
    for (path, text) in files {
        if !existing.contains(path) {
            changes.push((path.clone(), Change::Missing));
        } else if std::fs::read_to_string(out.join(path)).ok().as_ref() != Some(text) {
            changes.push((path.clone(), Change::Stale));
        }
    }
    let extra = existing
        .into_iter()
        .filter(|path| !files.contains_key(path));
    changes.extend(extra.map(|path| (path, Change::Extra)));
    changes
}

/// The command that brings the checked directory up to date.
fn fix_command(options: &Options) -> String {
    let mut command = "cargo xtask regen".to_owned();
    if let Some(spec) = &options.spec {
        command.push_str(&format!(" --spec {}", spec.display()));
    }
    if let Some(out) = &options.out {
        command.push_str(&format!(" --out {}", out.display()));
    }
    command
}

fn check(out: &Path, files: &Files, fix: &str) -> Result<(), String> {
    let shown = out.display();
    let changes = changes(out, files);
    if changes.is_empty() {
        println!("{shown} is up to date ({} generated files)", files.len());
        return Ok(());
    }
    let mut message = format!("{shown} is not what the generator produces:\n");
    for (path, change) in &changes {
        let what = match change {
            Change::Missing => "missing",
            Change::Stale => "stale",
            Change::Extra => "extra (not generated)",
        };
        message.push_str(&format!("  {what}: {path}\n"));
    }
    message.push_str(&format!("run `{fix}` to update it"));
    Err(message)
}

fn write(out: &Path, files: &Files) -> Result<(), String> {
    use std::io::Write;
    let shown = out.display();
    let changes = changes(out, files);
    // One line per file, sent in a few writes rather than one each.
    let mut log = std::io::BufWriter::new(std::io::stdout().lock());
    let mut made_dirs = BTreeSet::new();
    for (path, change) in &changes {
        let full = out.join(path);
        let line = match change {
            Change::Missing | Change::Stale => {
                if let Some(parent) = full.parent().filter(|dir| !made_dirs.contains(*dir)) {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
                    made_dirs.insert(parent.to_path_buf());
                }
                std::fs::write(&full, &files[path])
                    .map_err(|e| format!("cannot write {}: {e}", full.display()))?;
                format!("wrote {shown}/{path}")
            }
            Change::Extra => {
                std::fs::remove_file(&full)
                    .map_err(|e| format!("cannot remove {}: {e}", full.display()))?;
                format!("removed {shown}/{path}")
            }
        };
        writeln!(log, "{line}").map_err(|e| format!("cannot print: {e}"))?;
    }
    if changes.is_empty() {
        writeln!(log, "{shown} is up to date; nothing written")
            .map_err(|e| format!("cannot print: {e}"))?;
    }
    log.flush().map_err(|e| format!("cannot print: {e}"))
}
