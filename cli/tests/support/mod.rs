//! Test support: a Python virtual environment with the real AWS clients, and
//! a `stepwise serve` process on a free port.

#![allow(dead_code)] // each test binary uses part of it

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The workspace root.
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The `bin` directory of a virtualenv holding awscli and boto3, created
/// under `target/py-clients` on first use (the test setup installs what it
/// needs; nothing is assumed installed but python3). A lock file keeps
/// parallel test binaries from building it twice; a marker says it is done.
pub fn python_clients() -> PathBuf {
    let venv = workspace().join("target/py-clients");
    let ready = venv.join(".ready");
    let lock = workspace().join("target/py-clients.lock");
    loop {
        if ready.exists() {
            return venv.join("bin");
        }
        if std::fs::OpenOptions::new().write(true).create_new(true).open(&lock).is_ok() {
            let _ = std::fs::remove_dir_all(&venv);
            let made = Command::new("python3").args(["-m", "venv"]).arg(&venv).status().is_ok_and(|s| s.success())
                && Command::new(venv.join("bin/pip"))
                    .args(["install", "-q", "awscli", "boto3"])
                    .status()
                    .is_ok_and(|s| s.success());
            if made {
                std::fs::write(&ready, b"").expect("marker written");
            }
            let _ = std::fs::remove_file(&lock);
            assert!(made, "creating the awscli/boto3 virtualenv failed");
        } else {
            // A lock left by a killed run would block forever: after ten
            // minutes it is stale.
            let age = std::fs::metadata(&lock).and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
            if age.is_some_and(|a| a.as_secs() > 600) {
                let _ = std::fs::remove_file(&lock);
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    }
}

/// A running `stepwise serve`, killed on drop.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
}

impl Server {
    /// Starts `stepwise serve --in-memory --port 0` plus `args`.
    pub fn start(args: &[&str]) -> Server {
        Server::start_with(&[&["--in-memory"], args].concat())
    }

    /// Starts `stepwise serve --port 0` plus `args`.
    pub fn start_with(args: &[&str]) -> Server {
        Server::start_with_env(args, &[])
    }

    /// Starts `stepwise serve --port 0` plus `args`, with `env` added to
    /// its environment.
    pub fn start_with_env(args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_stepwise"))
            .args(["serve", "--port", "0"])
            .args(args)
            .envs(env.iter().copied())
            .stderr(Stdio::piped())
            .spawn()
            .expect("stepwise serve starts");
        let stderr = child.stderr.take().expect("piped");
        let mut line = String::new();
        BufReader::new(stderr).read_line(&mut line).expect("serve prints its address");
        let endpoint = line.split_whitespace().find(|w| w.starts_with("http://")).expect("address line").to_owned();
        Server { child, endpoint }
    }
}

impl Server {
    /// Calls an API action with a JSON body; returns the status and JSON answer.
    pub fn call(&self, action: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        let response = ureq::post(&self.endpoint)
            .set("X-Amz-Target", &format!("AWSStepFunctions.{action}"))
            .set("Content-Type", "application/x-amz-json-1.0")
            .send_string(&body.to_string());
        let (status, text) = match response {
            Ok(r) => (r.status(), r.into_string().unwrap_or_default()),
            Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap_or_default()),
            Err(e) => panic!("{action}: {e}"),
        };
        (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::Null))
    }

    /// Kills the server at once (SIGKILL on Unix), as a crash would.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Environment for AWS clients pointed at a local endpoint with dummy
/// credentials (nothing here may reach AWS).
pub fn client_env(cmd: &mut Command, bin: &Path) {
    cmd.env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("PATH", format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default()));
}
