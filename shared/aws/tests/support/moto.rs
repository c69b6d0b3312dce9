//! A local moto server (<https://docs.getmoto.org/en/latest/docs/server_mode.html>)
//! speaking the DynamoDB, SQS and EventBridge wire protocols on 127.0.0.1.
//!
//! Finding it: `$MOTO_SERVER` (a `moto_server` executable, run as it is),
//! else a Python that imports moto (`python3` on `PATH`, else a virtualenv
//! under `<target>/moto-venv`, created with `python3 -m venv` and
//! `pip install "moto[server]"` the first time, PyPI only) running
//! `moto_serial.py`: moto's server with its DynamoDB requests serialized,
//! since moto does not isolate concurrent transactions as DynamoDB does (the
//! script says more). It starts on a free port, is waited for until it
//! answers, and is killed when the last test holding it drops it.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

/// A running moto server.
pub struct Moto {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub endpoint: String,
}

/// The server shared by the tests of one binary that run at the same time.
static SHARED: Mutex<Weak<Moto>> = Mutex::new(Weak::new());

impl Moto {
    /// The running shared server, started if none is.
    pub fn shared() -> Arc<Moto> {
        let mut shared = SHARED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(moto) = shared.upgrade() {
            return moto;
        }
        let moto = Arc::new(Moto::start());
        *shared = Arc::downgrade(&moto);
        moto
    }

    /// Starts a server of its own on a free port and waits until it answers.
    pub fn start() -> Moto {
        let mut command = server_command();
        let port = free_port();
        command.args(["-H", "127.0.0.1", "-p", &port.to_string()]);
        command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
        let child = command.spawn().unwrap_or_else(|e| panic!("starting moto ({command:?}): {e}"));
        let mut moto = Moto { child, endpoint: format!("http://127.0.0.1:{port}") };
        moto.wait_until_answering(SocketAddr::from((Ipv4Addr::LOCALHOST, port)));
        moto
    }

    fn wait_until_answering(&mut self, addr: SocketAddr) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("moto exited before answering: {status}");
            }
            if answers(addr) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("moto did not answer on {addr} within 60 s");
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether an HTTP server answers a GET of moto's dashboard API.
fn answers(addr: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(500)) else { return false };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request = "GET /moto-api/data.json HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.")
}

fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("binding a free port on 127.0.0.1");
    listener.local_addr().expect("a bound listener has an address").port()
}

/// How to run moto: an executable given or on PATH, else the virtualenv's
/// Python with `-m moto.server`.
fn server_command() -> Command {
    if let Some(path) = std::env::var_os("MOTO_SERVER").filter(|p| !p.is_empty()) {
        return Command::new(path);
    }
    let python = on_path("python3").filter(|p| imports_moto(p)).unwrap_or_else(venv_python);
    let mut command = Command::new(python);
    command.args(["-c", include_str!("moto_serial.py")]);
    command
}

/// Whether `python` can import moto's server.
fn imports_moto(python: &Path) -> bool {
    Command::new(python)
        .args(["-c", "import moto.server, moto.dynamodb.responses"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|candidate| {
        // A pyenv shim for a version without moto exits with an error; ask it.
        candidate.is_file()
            && Command::new(candidate)
                .arg("--help")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
    })
}

/// `<target>/moto-venv/bin/python` with moto installed, installing it first
/// if needed. Built in a scratch directory and renamed into place, so
/// test binaries racing to install it never see half an install.
fn venv_python() -> PathBuf {
    let venv = target_dir().join("moto-venv");
    let python = venv.join("bin").join("python");
    if python.exists() {
        return python;
    }
    let scratch = target_dir().join(format!("moto-venv.{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    run(Command::new("python3").args(["-m", "venv"]).arg(&scratch));
    run(Command::new(scratch.join("bin").join("pip")).args(["install", "--quiet", "moto[server]>=5.1,<6"]));
    if std::fs::rename(&scratch, &venv).is_err() {
        // Another test binary finished first; use its virtualenv.
        let _ = std::fs::remove_dir_all(&scratch);
    }
    python
}

fn run(command: &mut Command) {
    let status = command.status().unwrap_or_else(|e| panic!("running {command:?}: {e}"));
    assert!(status.success(), "{command:?} failed: {status}");
}

/// The cargo target directory: the test binary is `<target>/<profile>/deps/<name>`.
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary knows its path");
    exe.ancestors().nth(3).map(Path::to_path_buf).expect("the test binary lives in <target>/<profile>/deps")
}
