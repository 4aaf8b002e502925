//! Installing our provider for Terraform, offline: a filesystem mirror that serves
//! `registry.terraform.io/hashicorp/aws` from the built provider binary, and a CLI
//! configuration file that points Terraform at it. (`dev_overrides` would break
//! `terraform init` offline, so a mirror it is.)

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// Versions the mirror offers, so the usual constraints on hashicorp/aws (">= 4.0",
/// "~> 5.0", "~> 6.0", ">= 5.40, < 7") all find a match. More can be added with
/// `ctsim terraform setup --provider-version X.Y.Z`.
pub const MIRROR_VERSIONS: &[&str] = &["6.99.0", "5.99.0", "4.99.0", "3.99.0"];

pub const PROVIDER_BINARY: &str = "terraform-provider-aws";

/// Terraform's name for this machine's platform, e.g. linux_amd64.
pub fn platform() -> String {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        other => other,
    };
    format!("{}_{arch}", std::env::consts::OS)
}

/// Finds the provider binary: `CTSIM_PROVIDER_BINARY` if set, else next to the running ctsim
/// (both are built into the same target folder). In a source checkout it first builds the
/// provider with cargo, whose own progress is shown: minutes the first time, a single
/// "Finished" line when the binary is up to date.
pub fn find_or_build_provider() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("CTSIM_PROVIDER_BINARY") {
        return Ok(PathBuf::from(path));
    }
    let exe = std::env::current_exe().context("locating the ctsim executable")?;
    let dir = exe
        .parent()
        .context("ctsim executable has no parent folder")?;
    let candidate = dir.join(PROVIDER_BINARY);
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf);
    let in_checkout = workspace
        .as_ref()
        .is_some_and(|w| w.join("provider/Cargo.toml").exists())
        && dir
            .ancestors()
            .any(|a| a.file_name().is_some_and(|n| n == "target"));
    if in_checkout {
        // Always (re)build in a checkout so the mirror never serves a stale provider;
        // cargo makes this a no-op when nothing changed.
        let release = dir.file_name().is_some_and(|n| n == "release");
        let args = provider_build_args(release);
        eprintln!(
            "Building {PROVIDER_BINARY}, the Terraform provider the mirror serves as hashicorp/aws \
             (cargo {}; the first build takes a few minutes):",
            args.join(" ")
        );
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut cmd = Command::new(cargo);
        cmd.args(&args);
        if let Some(ws) = &workspace {
            cmd.current_dir(ws);
        }
        let status = cmd
            .status()
            .context("running cargo to build the provider")?;
        if !status.success() {
            bail!("building {PROVIDER_BINARY} failed");
        }
    }
    if candidate.exists() {
        Ok(candidate)
    } else {
        bail!(
            "cannot find {PROVIDER_BINARY} next to {}; build it with `cargo build -p {PROVIDER_BINARY}` or set CTSIM_PROVIDER_BINARY",
            exe.display()
        )
    }
}

/// The arguments of the cargo command that builds the provider for ctsim's own profile.
/// Not quiet: cargo's progress goes to the terminal.
fn provider_build_args(release: bool) -> Vec<&'static str> {
    let mut args = vec!["build", "-p", PROVIDER_BINARY];
    if release {
        args.push("--release");
    }
    args
}

/// What `setup` wrote.
pub struct Installation {
    pub cli_config: PathBuf,
    pub mirror: PathBuf,
}

/// Writes the mirror and the CLI configuration under `<state_dir>/terraform/`.
pub fn setup(state_dir: &Path, provider: &Path, extra_versions: &[String]) -> Result<Installation> {
    let base = absolute(&state_dir.join("terraform"))?;
    let mirror = base.join("mirror");
    let provider = absolute(provider)?;
    let platform = platform();
    let versions = MIRROR_VERSIONS
        .iter()
        .map(|v| v.to_string())
        .chain(extra_versions.iter().cloned());
    for version in versions {
        let dir = mirror
            .join("registry.terraform.io/hashicorp/aws")
            .join(&version)
            .join(&platform);
        fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let link = dir.join(format!("{PROVIDER_BINARY}_v{version}"));
        let _ = fs::remove_file(&link);
        link_or_copy(&provider, &link)?;
    }
    let cli_config = base.join("terraformrc");
    let text = format!(
        "# Written by `ctsim terraform setup`: installs ctsim's provider as hashicorp/aws.\n\
         provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"registry.terraform.io/hashicorp/aws\"]\n  }}\n  direct {{\n    exclude = [\"registry.terraform.io/hashicorp/aws\"]\n  }}\n}}\n",
        mirror.display()
    );
    write_atomically(&cli_config, text.as_bytes())?;
    Ok(Installation { cli_config, mirror })
}

fn link_or_copy(from: &Path, to: &Path) -> Result<()> {
    #[cfg(unix)]
    if std::os::unix::fs::symlink(from, to).is_ok() {
        return Ok(());
    }
    fs::copy(from, to)
        .with_context(|| format!("copying {} to {}", from.display(), to.display()))?;
    Ok(())
}

pub fn absolute(path: &Path) -> Result<PathBuf> {
    if path.is_absolute() {
        Ok(path.to_path_buf())
    } else {
        Ok(std::env::current_dir()
            .context("reading the working directory")?
            .join(path))
    }
}

pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    fs::rename(&tmp, path).with_context(|| format!("renaming to {}", path.display()))?;
    Ok(())
}

/// The terraform executable: $TERRAFORM, else `terraform` on PATH.
pub fn terraform_binary() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("TERRAFORM") {
        return Ok(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join("terraform"))
        .find(|p| p.is_file())
        .context("terraform is not installed (looked for `terraform` on PATH and $TERRAFORM); install Terraform >= 1.5")
}

/// A Command for terraform in `dir`, wired to our CLI configuration and state folder.
pub fn terraform_command(dir: &Path, install: &Installation, state_dir: &Path) -> Result<Command> {
    let mut cmd = Command::new(terraform_binary()?);
    cmd.current_dir(dir)
        .env("TF_CLI_CONFIG_FILE", &install.cli_config)
        .env("CTSIM_HOME", absolute(state_dir)?)
        .env("TF_IN_AUTOMATION", "1")
        .env("TF_INPUT", "0")
        .env("CHECKPOINT_DISABLE", "1");
    Ok(cmd)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setup_writes_a_mirror_for_every_version_and_a_cli_config() {
        let tmp = tempfile::tempdir().unwrap();
        let provider = tmp.path().join("provider-bin");
        fs::write(&provider, b"#!/bin/sh\n").unwrap();
        let install = setup(
            &tmp.path().join("state"),
            &provider,
            &["5.31.0".to_string()],
        )
        .unwrap();
        for v in MIRROR_VERSIONS.iter().copied().chain(["5.31.0"]) {
            let bin = install
                .mirror
                .join(format!(
                    "registry.terraform.io/hashicorp/aws/{v}/{}",
                    platform()
                ))
                .join(format!("terraform-provider-aws_v{v}"));
            assert!(bin.exists(), "{} missing", bin.display());
        }
        let text = fs::read_to_string(&install.cli_config).unwrap();
        assert!(text.contains("filesystem_mirror"));
        assert!(text.contains(&install.mirror.display().to_string()));
        assert!(text.contains("exclude = [\"registry.terraform.io/hashicorp/aws\"]"));
    }

    #[test]
    fn provider_build_shows_cargo_progress() {
        assert_eq!(
            provider_build_args(false),
            ["build", "-p", "terraform-provider-aws"]
        );
        assert_eq!(
            provider_build_args(true),
            ["build", "-p", "terraform-provider-aws", "--release"]
        );
    }
}
