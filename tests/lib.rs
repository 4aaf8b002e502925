//! Shared harness for the end-to-end tests: builds the ctsim executable (which is also the
//! provider) once, gives each test its own state folder and Terraform working directory, and
//! runs the real terraform binary against them.

pub mod browser;
pub mod state;
pub mod wire;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate lives inside the workspace")
        .to_path_buf()
}

/// Builds the `ctsim` executable, which is also the provider (once per test process), and
/// returns the folder holding it.
pub fn binaries() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .current_dir(workspace_root())
            .args([
                "build",
                "--quiet",
                "-p",
                "terraform-provider-aws",
                "--bin",
                "ctsim",
            ])
            .status()
            .expect("running cargo build for the e2e tests");
        assert!(
            status.success(),
            "cargo build of the ctsim executable failed"
        );
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace_root().join("target"));
        target.join("debug")
    })
}

/// The real terraform binary; the end-to-end tests never run without it.
pub fn terraform_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("TERRAFORM") {
        return PathBuf::from(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join("terraform"))
        .chain([PathBuf::from("/usr/local/bin/terraform")])
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "terraform is required for the end-to-end tests and was not found on PATH or at \
                 /usr/local/bin/terraform; install Terraform >= 1.5 (or set TERRAFORM=/path/to/terraform)"
            )
        })
}

/// One isolated Terraform working directory with its own ctsim state folder.
pub struct TfWorkspace {
    _tmp: tempfile::TempDir,
    pub dir: PathBuf,
    pub state: PathBuf,
    pub cli_config: PathBuf,
    /// Extra environment for terraform (e.g. AWS_REGION for a root with no provider block).
    pub env: Vec<(String, String)>,
}

impl TfWorkspace {
    /// A workspace holding the given .tf files.
    pub fn new(files: &[(&str, &str)]) -> Self {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().join("work");
        let state = tmp.path().join("state");
        fs::create_dir_all(&dir).expect("work dir");
        for (name, text) in files {
            fs::write(dir.join(name), text).expect("writing .tf");
        }
        let out = Command::new(binaries().join("ctsim"))
            .args(["terraform", "setup", "--print-path"])
            .env("CTSIM_HOME", &state)
            // The mirror links to the ctsim executable itself.
            .env_remove("CTSIM_PROVIDER_BINARY")
            .output()
            .expect("running ctsim terraform setup");
        assert!(
            out.status.success(),
            "ctsim terraform setup failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let cli_config = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim().to_string());
        TfWorkspace {
            _tmp: tmp,
            dir,
            state,
            cli_config,
            env: Vec::new(),
        }
    }

    /// A workspace holding a copy of one of the examples/ folders (modules included).
    pub fn example(name: &str) -> Self {
        let ws = Self::new(&[]);
        copy_tree(&workspace_root().join("examples").join(name), &ws.dir);
        ws
    }

    /// The same workspace, with terraform run in another folder (a root module inside it).
    pub fn at(self, dir: &Path) -> Self {
        TfWorkspace {
            dir: dir.to_path_buf(),
            ..self
        }
    }

    pub fn write(&self, name: &str, text: &str) {
        fs::write(self.dir.join(name), text).expect("writing .tf");
    }

    pub fn terraform(&self, args: &[&str]) -> Output {
        self.terraform_in(&self.dir, args)
    }

    /// Runs terraform in another folder on this workspace's state folder and CLI config.
    pub fn terraform_in(&self, dir: &Path, args: &[&str]) -> Output {
        self.terraform_command(dir, args)
            .output()
            .expect("running terraform")
    }

    /// The terraform command [`TfWorkspace::terraform_in`] runs, to start it yourself.
    pub fn terraform_command(&self, dir: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(terraform_binary());
        cmd.current_dir(dir)
            .args(args)
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("TF_CLI_CONFIG_FILE", &self.cli_config)
            .env("CTSIM_HOME", &self.state)
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0")
            .env("CHECKPOINT_DISABLE", "1")
            .env("NO_COLOR", "1");
        cmd
    }

    /// Runs terraform and panics with its output unless it succeeds.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.terraform(args);
        let text = combined(&out);
        assert!(out.status.success(), "terraform {args:?} failed:\n{text}");
        text
    }

    pub fn init(&self) -> String {
        self.ok(&["init", "-no-color"])
    }

    pub fn apply(&self) -> String {
        self.ok(&["apply", "-auto-approve", "-no-color"])
    }

    /// `terraform plan -detailed-exitcode`: (exit code, output); 0 = no changes, 2 = changes.
    pub fn plan(&self) -> (i32, String) {
        let out = self.terraform(&["plan", "-detailed-exitcode", "-no-color"]);
        (out.status.code().unwrap_or(-1), combined(&out))
    }

    /// Asserts the plan is empty, as it must be after every apply.
    pub fn assert_no_changes(&self) {
        let (code, text) = self.plan();
        assert_eq!(code, 0, "expected an empty plan, got:\n{text}");
    }

    pub fn state_json(&self) -> serde_json::Value {
        let text = self.ok(&["show", "-json"]);
        serde_json::from_str(&text).expect("terraform show -json output")
    }

    /// Runs the ctsim command on this workspace's state folder.
    pub fn ctsim(&self, args: &[&str]) -> Output {
        Command::new(binaries().join("ctsim"))
            .args(args)
            .env("CTSIM_HOME", &self.state)
            .output()
            .expect("running ctsim")
    }

    pub fn simulator(&self) -> ctsim::Simulator {
        ctsim::Simulator::open(&self.state).expect("opening the state folder")
    }
}

pub fn combined(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The attribute values of a resource in `terraform show -json` output.
pub fn resource_values<'a>(
    state: &'a serde_json::Value,
    address: &str,
) -> Option<&'a serde_json::Value> {
    state["values"]["root_module"]["resources"]
        .as_array()?
        .iter()
        .find(|r| r["address"] == address)
        .map(|r| &r["values"])
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("creating folder");
    for entry in fs::read_dir(from).expect("reading example folder") {
        let path = entry.expect("dir entry").path();
        let Some(name) = path.file_name() else {
            continue;
        };
        if name == ".terraform" || name == ".terraform.lock.hcl" || name == "terraform.tfstate" {
            continue;
        }
        if path.is_dir() {
            copy_tree(&path, &to.join(name));
        } else {
            fs::copy(&path, to.join(name)).expect("copying example file");
        }
    }
}
