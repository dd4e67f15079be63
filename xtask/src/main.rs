//! Project tasks: `cargo xtask regen [--check] [--spec PATH] [--out DIR]` and `cargo xtask test`.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod bench;
mod features;
mod generate;
mod hostile;
mod ory;
mod regen;
mod semver;
mod specs;
mod test;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage:
  cargo xtask regen [--check] [--spec PATH] [--out DIR] [--report FILE]
      regenerate generated-client/ from the spec in spec/ (or from PATH, which then replaces it),
      printing the API change report (--report also writes it as Markdown);
      --check writes nothing and fails when the crate is not what the generator produces;
      --out generates into DIR instead (the spec in spec/ is then left alone)
  cargo xtask diff OLD NEW
      the API change report between two spec files, each change marked breaking or compatible
  cargo xtask generate --spec FILE --out DIR [--crate-name NAME]
      write a standalone client crate for any OpenAPI 3.0.x document (JSON or YAML)
  cargo xtask specs [NAME...]
      generate every fixture spec (xtask/tests/fixtures/specs) into target/spec-crates and build it
  cargo xtask hostile
      generate specs with hostile text in every string position: each is refused naming its JSON
      pointer, or its crate builds warning-free with the text inert
  cargo xtask semver
      apply kinds of spec change to a small spec; the change report must label each Rust change
      as cargo-semver-checks (installed into .tools/ on first use) does
  cargo xtask features [FEATURE...]
      build the client with each API-group feature alone (and none), warnings denied
  cargo xtask test
      every check: formatting, freshness, clippy, rustdoc, all tests, real peers, fixture spec crates
  cargo xtask bench [--write]
      regeneration speed, compile time, code size and per-call cost, ours and the incumbent's, in
      one run (about 20 minutes); --write puts the figures into BENCHMARKS.md";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("regen") => regen::run(&args[1..]),
        Some("test") => test::run(&args[1..]),
        Some("diff") => regen::diff_command(&args[1..]),
        Some("generate") => generate::run(&args[1..]),
        Some("specs") => specs::run(&args[1..]),
        Some("features") => features::run(&args[1..]),
        Some("hostile") => hostile::run(&args[1..]),
        Some("semver") => semver::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits inside the workspace")
        .to_path_buf()
}

/// Every file under `dirs`, at any depth; a folder that cannot be read (or does not exist) adds
/// nothing.
pub fn files_under(dirs: impl IntoIterator<Item = PathBuf>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack: Vec<PathBuf> = dirs.into_iter().collect();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for path in entries.flatten().map(|entry| entry.path()) {
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}
