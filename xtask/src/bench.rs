//! `cargo xtask bench [--write]`: regeneration speed, compile time, code size and per-call cost,
//! ours and the incumbent's side by side, measured in one run on this machine. It reports figures
//! and ratios; it never fails on a slow result. `--write` puts the table into `BENCHMARKS.md`.
//!
//! The incumbent is OpenAPI Generator 7.26.0 (its Rust generator, from PyPI, run on the same spec)
//! and the official `ory-client` crate 1.22.65 from crates.io, which that generator produced.

use crate::regen::checked_in_spec;
use crate::root;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const OPENAPI_GENERATOR: &str = "openapi-generator-cli==7.26.0";
const INCUMBENT_CRATE: &str = "=1.22.65";
/// Timed runs of each of our regenerations; the median is reported. A run takes a fifth of a
/// second and single runs vary by half on this machine, so the median of many.
const REGEN_RUNS: usize = 15;
const INCUMBENT_GENERATOR_RUNS: usize = 3;
/// The name of the directories the regeneration runs write into, under `target/bench`.
const OUTPUTS_PREFIX: &str = "regen-outputs-";
const MARK_START: &str = "<!-- bench:start -->";
const MARK_END: &str = "<!-- bench:end -->";

pub fn run(args: &[String]) -> Result<(), String> {
    let write = match args {
        [] => false,
        [flag] if flag == "--write" => true,
        _ => {
            return Err(format!(
                "`cargo xtask bench` takes only --write\n{}",
                crate::USAGE
            ))
        }
    };
    let root = root();
    let work = root.join("target/bench");
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let spec = checked_in_spec(&root)?;

    let mut rows = Vec::new();
    regeneration(&root, &work, &spec, &mut rows)?;
    compile_times(&root, &work, &mut rows)?;
    per_call(&root, &mut rows)?;

    let report = format!("{}\n\n{}\n", environment(&root), table(&rows));
    println!("\n{report}");
    if write {
        write_benchmarks_md(&root, &report)?;
    }
    Ok(())
}

/// One line of the results table.
struct Row {
    measure: String,
    ours: String,
    theirs: String,
    ratio: String,
    target: String,
}

fn row(measure: &str, ours: String, theirs: String, ratio: String, target: &str) -> Row {
    Row {
        measure: measure.to_owned(),
        ours,
        theirs,
        ratio,
        target: target.to_owned(),
    }
}

fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| measure | ours | incumbent | ratio (ours / incumbent) | target |\n|---|---|---|---|---|\n",
    );
    for r in rows {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            r.measure, r.ours, r.theirs, r.ratio, r.target
        ));
    }
    out
}

fn seconds(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{:.0} ms", d.as_secs_f64() * 1e3)
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// `ours / theirs`, and how many times faster that is.
fn speedup(ours: Duration, theirs: Duration) -> String {
    let ratio = ours.as_secs_f64() / theirs.as_secs_f64();
    format!("{ratio:.3} ({:.0}× faster)", 1.0 / ratio)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

/// Runs a command to completion, failing with its output when it fails.
fn run_quiet(command: &mut Command) -> Result<String, String> {
    let output = command
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{command:?} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn timed(command: &mut Command) -> Result<Duration, String> {
    let start = Instant::now();
    run_quiet(command)?;
    Ok(start.elapsed())
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

fn step(what: &str) {
    println!("==> {what}");
}

fn regeneration(root: &Path, work: &Path, spec: &Path, rows: &mut Vec<Row>) -> Result<(), String> {
    step("building the generator (release)");
    run_quiet(
        cargo()
            .args(["build", "--release", "-p", "xtask"])
            .current_dir(root),
    )?;
    let release_xtask = root.join("target/release/xtask");
    let outputs = fresh_output_dir(work)?;
    step(&format!("our regeneration, release, {REGEN_RUNS} runs"));
    let mut ours = Vec::new();
    for run in 0..REGEN_RUNS {
        let out = outputs.join(format!("ours-{run}"));
        ours.push(timed(
            Command::new(&release_xtask)
                .arg("regen")
                .arg("--out")
                .arg(&out)
                .current_dir(root),
        )?);
    }
    let ours = median(ours);
    step(&format!(
        "our generation alone (release, `regen --check`: nothing written), {REGEN_RUNS} runs"
    ));
    let mut generation = Vec::new();
    for _ in 0..REGEN_RUNS {
        generation.push(timed(
            Command::new(&release_xtask)
                .args(["regen", "--check"])
                .current_dir(root),
        )?);
    }
    let generation = median(generation);

    step(&format!(
        "`cargo xtask regen` as users run it, {REGEN_RUNS} runs"
    ));
    run_quiet(cargo().args(["xtask", "regen"]).current_dir(root))?;
    let mut as_users_run = Vec::new();
    for _ in 0..REGEN_RUNS {
        as_users_run.push(timed(cargo().args(["xtask", "regen"]).current_dir(root))?);
    }
    let as_users_run = median(as_users_run);

    step(&format!(
        "installing {OPENAPI_GENERATOR} into .tools/bench-py"
    ));
    let generator = install_openapi_generator(root)?;
    step(&format!(
        "OpenAPI Generator, {INCUMBENT_GENERATOR_RUNS} runs"
    ));
    let mut theirs = Vec::new();
    let incumbent_out = |run: usize| outputs.join(format!("openapi-generator-{run}"));
    for run in 0..INCUMBENT_GENERATOR_RUNS {
        theirs.push(timed(
            Command::new(&generator)
                .args(["generate", "-g", "rust", "--skip-validate-spec", "-i"])
                .arg(spec)
                .arg("-o")
                .arg(incumbent_out(run))
                .arg("--additional-properties=packageName=ory-client,packageVersion=1.22.65"),
        )?);
    }
    let theirs = median(theirs);

    rows.push(row(
        "regeneration of the full spec into an empty directory (release build, median)",
        seconds(ours),
        format!("{} (OpenAPI Generator 7.26.0)", seconds(theirs)),
        speedup(ours, theirs),
        "≥ 40× faster",
    ));
    rows.push(row(
        "the same, nothing written (`regen --check`: generate and compare; median)",
        seconds(generation),
        seconds(theirs),
        speedup(generation, theirs),
        "",
    ));
    rows.push(row(
        "`cargo xtask regen` as users run it (dev profile, built, nothing to write; median)",
        seconds(as_users_run),
        "".to_owned(),
        "".to_owned(),
        "< 1 s",
    ));
    let ours_lines = rust_lines(&root.join("generated-client/src"))?;
    let theirs_lines = rust_lines(&incumbent_out(0).join("src"))?;
    remove_output_dirs(work)?;
    rows.push(row(
        "lines of generated Rust (`src/`)",
        thousands(ours_lines),
        thousands(theirs_lines),
        format!("{:.2}", ours_lines as f64 / theirs_lines as f64),
        "(reported)",
    ));
    Ok(())
}

/// A new directory for the regeneration runs' outputs, each run writing into a directory of its
/// own that did not exist before. Not one directory emptied before each run: on this machine's ext4
/// (no journal), creating a file where many were just deleted costs about 1 ms, as the inode
/// allocator steps over inodes freed in the last minute, and that made writing the same 600 files
/// take 0.05 s or 0.5 s, for either generator. For the same reason the outputs are removed only
/// once every run is done (`remove_output_dirs`).
fn fresh_output_dir(work: &Path) -> Result<PathBuf, String> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_nanos());
    let dir = work.join(format!("{OUTPUTS_PREFIX}{}-{stamp}", std::process::id()));
    // `create_dir`, not `create_dir_all`: it fails rather than reuse a directory that exists.
    std::fs::create_dir(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

/// Removes the regeneration outputs of this bench and of any earlier one that stopped half-way.
fn remove_output_dirs(work: &Path) -> Result<(), String> {
    let outputs: Vec<PathBuf> = std::fs::read_dir(work)
        .map_err(|e| format!("cannot read {}: {e}", work.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with(OUTPUTS_PREFIX))
        })
        .collect();
    for dir in outputs {
        std::fs::remove_dir_all(&dir)
            .map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
    }
    Ok(())
}

/// The `openapi-generator-cli` launcher of a virtual environment in `.tools/bench-py`.
fn install_openapi_generator(root: &Path) -> Result<PathBuf, String> {
    let venv = root.join(".tools/bench-py");
    let launcher = venv.join("bin/openapi-generator-cli");
    if !launcher.exists() {
        run_quiet(
            Command::new("python3")
                .args(["-m", "venv", "--clear"])
                .arg(&venv),
        )?;
        run_quiet(Command::new(venv.join("bin/pip")).args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            OPENAPI_GENERATOR,
        ]))?;
    }
    Ok(launcher)
}

fn rust_lines(dir: &Path) -> Result<usize, String> {
    let sources: Vec<PathBuf> = crate::files_under([dir.to_owned()])
        .into_iter()
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .collect();
    if sources.is_empty() {
        return Err(format!("no Rust files under {}", dir.display()));
    }
    let mut lines = 0;
    for path in sources {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        lines += text.lines().count();
    }
    Ok(lines)
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A throwaway crate depending on one `ory-client`, in its own workspace with cargo's default
/// profiles, so both clients build under the same settings. Incremental compilation is off: cargo
/// would use it for our client (a path dependency) and not for the incumbent (from crates.io), and
/// a clean incremental build is slower; users who take either crate from a registry or from git
/// build it without.
fn bench_crate(
    work: &Path,
    name: &str,
    dependency: &str,
    lib_source: &str,
) -> Result<PathBuf, String> {
    let dir = work.join(name);
    std::fs::create_dir_all(dir.join("src"))
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let manifest = format!(
        "[package]\nname = \"bench-{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nory-client = {dependency}\n\n[workspace]\n\n[profile.dev]\nincremental = false\n"
    );
    let write = |path: PathBuf, text: &str| {
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write(dir.join("Cargo.toml"), &manifest)?;
    write(dir.join("src/lib.rs"), lib_source)?;
    Ok(dir)
}

/// Clean builds of each crate, alternating between ours and the incumbent; medians are reported
/// (one build varies by a tenth or more on this machine).
const COMPILE_RUNS: usize = 3;

/// `cargo ARGS` on the bench crate in `dir`, with its own target directory and profile.
fn bench_cargo(dir: &Path, target: &Path, release: bool, args: &[&str]) -> Command {
    let mut command = cargo();
    command
        .args(args)
        .args(release.then_some("--release"))
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target);
    command
}

/// Builds everything once, so that timed builds find the dependencies built.
fn prebuild(dir: &Path, target: &Path, release: bool) -> Result<(), String> {
    run_quiet(&mut bench_cargo(dir, target, release, &["build"])).map(|_| ())
}

/// Clean build time of `ory-client`: the crate cleaned, then `cargo BUILD` (the crate alone, or
/// with the bench crate that depends on it).
fn clean_build_time(
    dir: &Path,
    target: &Path,
    release: bool,
    build: &[&str],
) -> Result<Duration, String> {
    run_quiet(&mut bench_cargo(
        dir,
        target,
        release,
        &["clean", "-p", "ory-client"],
    ))?;
    timed(&mut bench_cargo(dir, target, release, build))
}

/// Medians of `COMPILE_RUNS` clean builds (`cargo BUILD`), ours and the incumbent's alternating,
/// each side a bench crate and its target directory: `(ours, theirs)`.
fn alternating_medians(
    ours: (&Path, &Path),
    theirs: (&Path, &Path),
    release: bool,
    build: &[&str],
    label: &str,
) -> Result<(Duration, Duration), String> {
    prebuild(ours.0, ours.1, release)?;
    prebuild(theirs.0, theirs.1, release)?;
    let (mut ours_times, mut theirs_times) = (Vec::new(), Vec::new());
    for run in 1..=COMPILE_RUNS {
        step(&format!(
            "{label}, run {run} of {COMPILE_RUNS}: ours, then the incumbent"
        ));
        ours_times.push(clean_build_time(ours.0, ours.1, release, build)?);
        theirs_times.push(clean_build_time(theirs.0, theirs.1, release, build)?);
    }
    Ok((median(ours_times), median(theirs_times)))
}

const CRATE_ALONE: &[&str] = &["build", "-p", "ory-client"];
const WITH_CALLER: &[&str] = &["build"];

fn compile_times(root: &Path, work: &Path, rows: &mut Vec<Row>) -> Result<(), String> {
    let client = root.join("generated-client");
    let path_dep =
        |features: &str| format!("{{ path = {:?}{features} }}", client.display().to_string());
    let incumbent_dep = format!("{INCUMBENT_CRATE:?}");
    let reexport = "pub use ory_client;\n";
    let ours = bench_crate(work, "ours", &path_dep(""), reexport)?;
    let ours_jwk = bench_crate(
        work,
        "ours-jwk",
        &path_dep(", default-features = false, features = [\"jwk\"]"),
        reexport,
    )?;
    let incumbent = bench_crate(work, "incumbent", &incumbent_dep, reexport)?;
    let ours_caller = bench_crate(
        work,
        "ours-caller",
        &path_dep(""),
        include_str!("../bench-callers/ours.rs"),
    )?;
    let incumbent_caller = bench_crate(
        work,
        "incumbent-caller",
        &incumbent_dep,
        include_str!("../bench-callers/incumbent.rs"),
    )?;
    let (ours_target, incumbent_target) = (work.join("target-ours"), work.join("target-incumbent"));

    let mut measured = Vec::new();
    for release in [false, true] {
        let profile = if release { "release" } else { "debug" };
        step(&format!(
            "compile, {profile}: dependencies of ours and of crates.io ory-client 1.22.65"
        ));
        let (ours_time, theirs_time) = alternating_medians(
            (&ours, &ours_target),
            (&incumbent, &incumbent_target),
            release,
            CRATE_ALONE,
            &format!("compile, {profile}"),
        )?;
        measured.push((profile, ours_time, theirs_time));
    }
    step("compile, debug: ours with only the jwk feature");
    prebuild(&ours_jwk, &ours_target, false)?;
    let jwk_time = median(
        (0..COMPILE_RUNS)
            .map(|_| clean_build_time(&ours_jwk, &ours_target, false, CRATE_ALONE))
            .collect::<Result<_, _>>()?,
    );

    // The operations' code is generated where they are called (they are `#[inline]`), so the
    // crate-alone figure leaves out what a service pays for the operations it uses: this measures
    // the client together with a crate calling the seven JWK operations.
    let (caller_ours, caller_theirs) = alternating_medians(
        (&ours_caller, &ours_target),
        (&incumbent_caller, &incumbent_target),
        true,
        WITH_CALLER,
        "compile, release: each client with a caller of the seven jwk operations",
    )?;

    for (profile, ours_time, theirs_time) in &measured {
        rows.push(row(
            &format!(
                "clean {profile} build of `ory-client` alone (dependencies prebuilt; median of {COMPILE_RUNS})"
            ),
            seconds(*ours_time),
            seconds(*theirs_time),
            format!("{:.2}", ours_time.as_secs_f64() / theirs_time.as_secs_f64()),
            if *profile == "debug" {
                "≤ 0.5"
            } else {
                "≤ 0.5 (the full-crate target)"
            },
        ));
    }
    let debug_theirs = measured[0].2;
    rows.push(row(
        "clean debug build, ours with `--no-default-features --features jwk`",
        seconds(jwk_time),
        seconds(debug_theirs),
        format!("{:.2}", jwk_time.as_secs_f64() / debug_theirs.as_secs_f64()),
        "≤ 0.1",
    ));
    rows.push(row(
        &format!(
            "clean release build of `ory-client` and a crate calling the 7 JWK operations \
             (median of {COMPILE_RUNS})"
        ),
        seconds(caller_ours),
        seconds(caller_theirs),
        format!(
            "{:.2}",
            caller_ours.as_secs_f64() / caller_theirs.as_secs_f64()
        ),
        "(reported)",
    ));
    Ok(())
}

fn per_call(root: &Path, rows: &mut Vec<Row>) -> Result<(), String> {
    step("per-call overhead and decode (ory-bench, release)");
    let output = run_quiet(
        cargo()
            .args(["run", "--quiet", "--release", "-p", "ory-bench"])
            .current_dir(root),
    )?;
    let value = |key: &str| -> Result<f64, String> {
        output
            .lines()
            .find_map(|line| line.strip_prefix(key)?.strip_prefix('='))
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("ory-bench printed no `{key}`:\n{output}"))
    };
    rows.push(row(
        &format!(
            "`get_json_web_key_set`, {} calls on 127.0.0.1 (per call)",
            value("calls")?
        ),
        format!("{:.1} µs", value("call_ours_us")?),
        format!("{:.1} µs (by hand with reqwest)", value("call_hand_us")?),
        format!("{:.3}", value("call_ratio")?),
        "≤ 1.05",
    ));
    rows.push(row(
        &format!(
            "a page of {} identities ({} KB) through the client (median)",
            value("identities")?,
            (value("identities_bytes")? / 1024.0).round()
        ),
        format!("{:.2} ms", value("decode_client_ms")?),
        format!(
            "{:.2} ms (by hand: reqwest + `serde_json::from_slice`)",
            value("decode_hand_ms")?
        ),
        format!("{:.3}", value("decode_ratio_hand")?),
        "≤ 1.10",
    ));
    rows.push(row(
        "the same page through the client vs `serde_json::from_slice` alone (no HTTP)",
        format!("{:.2} ms", value("decode_client_ms")?),
        format!("{:.2} ms", value("decode_serde_ms")?),
        format!("{:.3}", value("decode_ratio_serde")?),
        "(reported)",
    ));
    Ok(())
}

fn environment(root: &Path) -> String {
    // The first line a command prints, on stdout or (as `java -version` does) on stderr.
    let first_line = |command: &mut Command| match command.output() {
        Ok(out) => {
            let text = [out.stdout, out.stderr].concat();
            String::from_utf8_lossy(&text)
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_owned()
        }
        Err(e) => format!("({e})"),
    };
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines().find_map(|l| {
                l.strip_prefix("model name")?
                    .split(':')
                    .nth(1)
                    .map(|s| s.trim().to_owned())
            })
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!(
        "Measured on {} by `cargo xtask bench` (commit {}): {cores} cores ({cpu}), {}, {}, {}.",
        first_line(Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"])),
        first_line(
            Command::new("git")
                .args(["rev-parse", "--short", "HEAD"])
                .current_dir(root)
        ),
        first_line(Command::new("rustc").arg("--version")),
        first_line(Command::new("uname").args(["-sr"])),
        first_line(Command::new("java").arg("-version")),
    )
}

fn write_benchmarks_md(root: &Path, report: &str) -> Result<(), String> {
    let path = root.join("BENCHMARKS.md");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let (Some(start), Some(end)) = (text.find(MARK_START), text.find(MARK_END)) else {
        return Err(format!(
            "{} has no {MARK_START} … {MARK_END} block",
            path.display()
        ));
    };
    let updated = format!("{}{MARK_START}\n{report}{}", &text[..start], &text[end..]);
    std::fs::write(&path, updated).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("wrote the figures into {}", path.display());
    Ok(())
}
