//! Real peers for the contract and differential tests: Stoplight Prism and the official JS and
//! Python Ory clients. They are installed on first use, at the versions pinned in `tests/peers/`,
//! into the workspace's ignored `.tools/` folder; servers listen on 127.0.0.1 and stop when dropped.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Tests of one binary run in parallel: one installs, the others wait for it.
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
    ensure_installed(&dir, &files, "npm", |dir| {
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(dir))
    });
    dir.join("node_modules")
}

/// The Python interpreter of a virtual environment holding the `ory-client` package.
pub fn python() -> PathBuf {
    let dir = tools().join("py");
    ensure_installed(&dir, &["requirements.txt"], "pip", |dir| {
        run(Command::new("python3")
            .args(["-m", "venv", "--clear"])
            .arg(dir))?;
        run(Command::new(dir.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .arg("-r")
            .arg(manifests().join("requirements.txt")))
    });
    dir.join("bin/python")
}

/// Installs into `dir` unless the manifests there are the pinned ones and a previous install
/// finished (its marker holds the manifests it installed).
fn ensure_installed(
    dir: &Path,
    manifest_files: &[&str],
    tool: &str,
    install: impl Fn(&Path) -> Result<(), String>,
) {
    let _guard = INSTALLING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let pinned: String = manifest_files
        .iter()
        .map(|name| read(&manifests().join(name)))
        .collect();
    let marker = dir.join(".installed");
    if std::fs::read_to_string(&marker).ok().as_deref() == Some(pinned.as_str()) {
        return;
    }
    std::fs::create_dir_all(dir).expect("the tools folder can be created");
    for name in manifest_files {
        std::fs::copy(manifests().join(name), dir.join(name)).expect("the manifest copies");
    }
    eprintln!("installing the pinned {tool} peers into {}", dir.display());
    if let Err(e) = install(dir) {
        panic!(
            "installing the {tool} peers into {} failed: {e}",
            dir.display()
        );
    }
    std::fs::write(&marker, pinned).expect("the install marker is written");
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
    /// Starts `command` (told to listen on `port` of 127.0.0.1) and waits until the port accepts
    /// connections; its output goes to `log`.
    pub fn start(mut command: Command, port: u16, log: PathBuf) -> Server {
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
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + Duration::from_secs(90);
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!(
                    "{command:?} exited ({status}) before listening:\n{}",
                    server.log()
                );
            }
            if Instant::now() > deadline {
                panic!(
                    "{command:?} did not listen on {addr} in 90 s:\n{}",
                    server.log()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        server
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

/// Prism mocking `spec`, on 127.0.0.1; `extra` adds options (`-d --seed 3` for dynamic answers).
pub fn prism(spec: &Path, extra: &[&str], log_name: &str) -> Server {
    let bin = node_modules().join(".bin/prism");
    let port = free_port();
    let mut command = Command::new(bin);
    command
        .args(["mock", "--host", "127.0.0.1", "--port"])
        .arg(port.to_string())
        .args(extra)
        .arg(spec);
    Server::start(
        command,
        port,
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(log_name),
    )
}
