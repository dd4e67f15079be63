//! Real peers for the contract and differential tests: Stoplight Prism and the official JS and
//! Python Ory clients. They are installed on first use, at the versions pinned in `tests/peers/`,
//! into the workspace's ignored `.tools/` folder; servers listen on 127.0.0.1 and stop when dropped.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Tests of one binary run in parallel: one installs, the others wait for it. (Other processes
/// wait on the lock file `ensure_installed` takes.)
static INSTALLING: Mutex<()> = Mutex::new(());

pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .expect("the client crate sits in the workspace")
        .to_owned()
}

/// The pinned manifests: `package.json` + `package-lock.json` (npm), `requirements.txt` (pip).
pub fn manifests() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers")
}

fn tools() -> PathBuf {
    workspace_root().join(".tools")
}

/// `node_modules` holding Prism and `@ory/client`, installed by `npm ci` from the lock file.
pub fn node_modules() -> PathBuf {
    let dir = tools().join("node");
    let files = ["package.json", "package-lock.json"];
    ensure_installed(&dir, &files, ["node", "--version"], |dir| {
        // No install scripts: the one in the lock file only reports telemetry over the network.
        run(Command::new("npm")
            .args([
                "ci",
                "--ignore-scripts",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
            ])
            .current_dir(dir))
    });
    dir.join("node_modules")
}

/// The Python interpreter of a virtual environment holding the `ory-client` package.
pub fn python() -> PathBuf {
    let dir = tools().join("py");
    ensure_installed(
        &dir,
        &["requirements.txt"],
        ["python3", "--version"],
        |dir| {
            run(Command::new("python3")
                .args(["-m", "venv", "--clear"])
                .arg(dir))?;
            // Every package is pinned in the file: nothing else may come along.
            run(Command::new(dir.join("bin/pip"))
                .args([
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "--no-deps",
                ])
                .arg("-r")
                .arg(manifests().join("requirements.txt")))
        },
    );
    dir.join("bin/python")
}

/// Installs into `dir` unless a finished install there was made from the same pinned manifests
/// with the same interpreter (its marker, beside `dir`, holds both).
fn ensure_installed(
    dir: &Path,
    manifest_files: &[&str],
    interpreter_version: [&str; 2],
    install: impl Fn(&Path) -> Result<(), String>,
) {
    let _in_process = INSTALLING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let [interpreter, version_flag] = interpreter_version;
    let version = Command::new(interpreter)
        .arg(version_flag)
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
        .unwrap_or_else(|e| panic!("`{interpreter}` is needed by this test: {e}"));
    let pinned: String = std::iter::once(version)
        .chain(
            manifest_files
                .iter()
                .map(|name| read(&manifests().join(name))),
        )
        .collect();
    let marker = dir.with_extension("installed");
    let is_current = || std::fs::read_to_string(&marker).ok().as_deref() == Some(pinned.as_str());
    if is_current() {
        return;
    }
    if let Some(parent) = dir.parent() {
        std::fs::create_dir_all(parent).expect("the tools folder can be created");
    }
    let _across_processes = LockFile::acquire(&dir.with_extension("lock"));
    if is_current() {
        return;
    }
    let _ = std::fs::remove_file(&marker);
    std::fs::create_dir_all(dir).expect("the tools folder can be created");
    for name in manifest_files {
        std::fs::copy(manifests().join(name), dir.join(name)).expect("the manifest copies");
    }
    eprintln!("installing the pinned peers into {}", dir.display());
    if let Err(e) = install(dir) {
        panic!("installing the peers into {} failed: {e}", dir.display());
    }
    std::fs::write(&marker, pinned).expect("the install marker is written");
}

/// A lock between processes: the file exists, holding the holder's process id, until dropped.
/// A lock left by a process that no longer runs is taken over.
struct LockFile(PathBuf);

impl LockFile {
    fn acquire(path: &Path) -> LockFile {
        let deadline = Instant::now() + Duration::from_secs(600);
        loop {
            let created = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path);
            match created {
                Ok(mut file) => {
                    use std::io::Write;
                    write!(file, "{}", std::process::id()).expect("the lock file is written");
                    return LockFile(path.to_owned());
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => panic!("cannot create the lock file {}: {e}", path.display()),
            }
            let holder = std::fs::read_to_string(path).unwrap_or_default();
            let holder = holder.trim();
            let holder_runs = !holder.is_empty() && Path::new("/proc").join(holder).exists();
            if !holder_runs {
                let _ = std::fs::remove_file(path);
                continue;
            }
            assert!(
                Instant::now() < deadline,
                "{} has been held by process {holder} for 10 minutes",
                path.display()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for LockFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn run(command: &mut Command) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|e| format!("cannot start {command:?}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{command:?} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// A port nobody listens on right now, on 127.0.0.1.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free port on 127.0.0.1")
}

/// A server process of the tests: killed when dropped.
pub struct Server {
    child: Child,
    pub url: String,
    log: PathBuf,
}

impl Server {
    /// Starts `command`, told to listen on `port` of 127.0.0.1, and waits until it prints
    /// `ready`, which names the port (a process that took the port meanwhile is not mistaken for
    /// it). Its output goes to `log`. `None`: it exited first (the port was taken, say).
    fn start(mut command: Command, port: u16, log: PathBuf, ready: &str) -> Option<Server> {
        let out = std::fs::File::create(&log).expect("the server log can be created");
        let err = out.try_clone().expect("the log handle clones");
        let child = command
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
        let mut server = Server {
            child,
            url: format!("http://127.0.0.1:{port}"),
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(90);
        while !server.log().contains(ready) {
            if let Ok(Some(status)) = server.child.try_wait() {
                eprintln!(
                    "{command:?} exited ({status}) before listening:\n{}",
                    server.log()
                );
                return None;
            }
            if Instant::now() > deadline {
                panic!(
                    "{command:?} did not print {ready:?} in 90 s:\n{}",
                    server.log()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Some(server)
    }

    /// What the server printed so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Prism mocking `spec` on 127.0.0.1, in one process (no forked server to outlive the child);
/// `extra` adds options (`--dynamic --seed 3`). A port taken meanwhile is retried with another.
pub fn prism(spec: &Path, extra: &[String], log: PathBuf) -> Server {
    let bin = node_modules().join(".bin/prism");
    for _ in 0..3 {
        let port = free_port();
        let mut command = Command::new(&bin);
        command
            .args([
                "mock",
                "--multiprocess=false",
                "--host",
                "127.0.0.1",
                "--port",
            ])
            .arg(port.to_string())
            .args(extra)
            .arg(spec);
        let ready = format!("Prism is listening on http://127.0.0.1:{port}");
        if let Some(server) = Server::start(command, port, log.clone(), &ready) {
            return server;
        }
    }
    panic!(
        "Prism did not start in three attempts; see {}",
        log.display()
    );
}
