//! Harness for the wire-protocol tests: `ctsim serve` on a free port, and the real AWS CLI
//! and boto3 from a Python virtual environment.
//!
//! The venv is `$CTSIM_WIRE_VENV`, else `target/wire-venv` in the workspace; `.ci/run`
//! creates it (`python3 -m venv target/wire-venv && target/wire-venv/bin/pip install awscli
//! boto3`), and the first test that needs it creates it when it is missing. If that fails
//! the tests fail (never skip) and say how to create it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;

use crate::{binaries, workspace_root};

/// The venv holding `aws` and boto3; created on first use when it is missing, so that
/// `cargo test --workspace` works on a fresh machine (pip needs PyPI).
pub fn venv() -> PathBuf {
    static READY: OnceLock<PathBuf> = OnceLock::new();
    READY
        .get_or_init(|| {
            let dir = std::env::var_os("CTSIM_WIRE_VENV")
                .map(PathBuf::from)
                .unwrap_or_else(|| workspace_root().join("target").join("wire-venv"));
            if !has_clients(&dir) {
                create_venv(&dir);
            }
            assert!(
                has_clients(&dir),
                "the wire-protocol tests need the AWS CLI and boto3 in a Python venv at {} (or \
                 set CTSIM_WIRE_VENV), and creating it failed. Create it with:\n  python3 -m venv \
                 {0} && {0}/bin/pip install awscli boto3\n(on Debian `apt-get install \
                 python3-venv` may be needed first)",
                dir.display()
            );
            dir
        })
        .clone()
}

fn has_clients(dir: &Path) -> bool {
    let python = dir.join("bin").join("python");
    dir.join("bin").join("aws").is_file()
        && python.is_file()
        && Command::new(&python)
            .args(["-c", "import boto3"])
            .output()
            .is_ok_and(|o| o.status.success())
}

/// `python3 -m venv DIR && DIR/bin/pip install awscli boto3`, reporting failures on stderr
/// (the caller's assertion says what to do).
fn create_venv(dir: &Path) {
    eprintln!(
        "creating {} with the AWS CLI and boto3 (pip)",
        dir.display()
    );
    let _ = std::fs::remove_dir_all(dir);
    let run = |cmd: &mut Command| match cmd.output() {
        Ok(out) if out.status.success() => true,
        Ok(out) => {
            eprintln!("{}", String::from_utf8_lossy(&out.stderr));
            false
        }
        Err(e) => {
            eprintln!("{e}");
            false
        }
    };
    let _ = run(Command::new("python3").arg("-m").arg("venv").arg(dir))
        && run(Command::new(dir.join("bin").join("pip")).args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "awscli",
            "boto3",
        ]));
}

/// A running `ctsim serve` on its own state folder; stopped (SIGTERM) on drop.
pub struct Served {
    child: Child,
    pub url: String,
    pub state: PathBuf,
    _tmp: Option<tempfile::TempDir>,
}

impl Served {
    /// Starts a server on a fresh state folder.
    pub fn start() -> Served {
        let tmp = tempfile::tempdir().expect("temp dir");
        let state = tmp.path().join("state");
        let mut s = Self::start_on(&state);
        s._tmp = Some(tmp);
        s
    }

    /// Starts a server on an existing state folder.
    pub fn start_on(state: &Path) -> Served {
        let mut child = Command::new(binaries().join("ctsim"))
            .args(["serve", "--port", "0"])
            .env("CTSIM_HOME", state)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("starting ctsim serve");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        reader
            .read_line(&mut line)
            .expect("reading the listening line");
        // Keep draining stdout so the server never writes into a closed pipe.
        std::thread::spawn(move || {
            let mut sink = String::new();
            while reader.read_line(&mut sink).map(|n| n > 0).unwrap_or(false) {
                sink.clear();
            }
        });
        let url = line
            .trim()
            .strip_prefix("ctsim serve listening on ")
            .unwrap_or_else(|| panic!("unexpected first line from ctsim serve: {line:?}"))
            .to_string();
        Served {
            child,
            url,
            state: state.to_path_buf(),
            _tmp: None,
        }
    }

    pub fn port(&self) -> u16 {
        self.url
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("port in url")
    }

    /// The AWS CLI against this server with the given access key and secret.
    pub fn aws_as(&self, key: &str, secret: &str, args: &[&str]) -> Output {
        let venv = venv();
        Command::new(venv.join("bin").join("aws"))
            .arg("--endpoint-url")
            .arg(&self.url)
            .args(args)
            .envs(client_env(key, secret))
            .output()
            .expect("running aws")
    }

    pub fn aws(&self, args: &[&str]) -> Output {
        self.aws_as("test", "test", args)
    }

    /// Runs `aws` and returns its JSON output, panicking with stderr on failure.
    pub fn aws_json(&self, args: &[&str]) -> serde_json::Value {
        let out = self.aws(args);
        assert!(
            out.status.success(),
            "aws {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        if text.trim().is_empty() {
            return serde_json::Value::Null;
        }
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("aws {args:?}: {e}: {text}"))
    }

    /// Runs a Python script (with boto3) given `ENDPOINT` in its environment.
    pub fn python(&self, script: &str) -> Output {
        let venv = venv();
        Command::new(venv.join("bin").join("python"))
            .args(["-c", script])
            .env("ENDPOINT", &self.url)
            .envs(client_env("test", "test"))
            .output()
            .expect("running python")
    }

    /// `ctsim` on this server's state folder (another process on the same state).
    pub fn ctsim(&self, args: &[&str]) -> Output {
        Command::new(binaries().join("ctsim"))
            .args(args)
            .env("CTSIM_HOME", &self.state)
            .output()
            .expect("running ctsim")
    }
}

fn client_env(key: &str, secret: &str) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ACCESS_KEY_ID", key.to_string()),
        ("AWS_SECRET_ACCESS_KEY", secret.to_string()),
        ("AWS_DEFAULT_REGION", "us-east-1".to_string()),
        ("AWS_REGION", "us-east-1".to_string()),
        ("AWS_CONFIG_FILE", "/dev/null".to_string()),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null".to_string()),
        ("AWS_EC2_METADATA_DISABLED", "true".to_string()),
        ("AWS_PAGER", String::new()),
    ]
}

impl Drop for Served {
    fn drop(&mut self) {
        // SIGTERM, so the graceful shutdown path runs; then reap.
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let _ = self.child.wait();
    }
}

/// The error code the AWS CLI printed (`An error occurred (Code) when calling ...`).
pub fn error_code(out: &Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr);
    err.split("An error occurred (")
        .nth(1)
        .and_then(|r| r.split(')').next())
        .unwrap_or_else(|| panic!("no AWS error in output: {err}"))
        .to_string()
}
