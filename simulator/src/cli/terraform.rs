//! Installing our provider for Terraform, offline: a filesystem mirror that serves
//! `registry.terraform.io/hashicorp/aws` from the ctsim executable (which is also the
//! provider, see [`started_as_provider`]), and a CLI configuration file that points
//! Terraform at it. (`dev_overrides` would break
//! `terraform init` offline, so a mirror it is.)

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// Versions the mirror offers, so the usual constraints on hashicorp/aws (">= 4.0",
/// "~> 5.0", "~> 6.0", ">= 5.40, < 7") all find a match. More can be added with
/// `ctsim terraform setup --provider-version X.Y.Z`.
pub const MIRROR_VERSIONS: &[&str] = &["6.99.0", "5.99.0", "4.99.0", "3.99.0"];

/// The provider's executable name, as Terraform knows it. The mirror's entries are named
/// `terraform-provider-aws_v<VERSION>` and link to the ctsim executable, which serves the
/// plugin protocol when started under a file name that begins with this (see
/// [`started_as_provider`]).
pub const PROVIDER_BINARY: &str = "terraform-provider-aws";

/// The hidden first argument that makes the ctsim executable the provider whatever its file
/// name (`ctsim provider`, `ctsim provider bench-schema`). Not a clap subcommand: the
/// executable's `main` dispatches on it before the command line is parsed.
pub const PROVIDER_SUBCOMMAND: &str = "provider";

/// Whether the executable was started as the provider: by Terraform through the mirror
/// (argv[0]'s file name begins with `terraform-provider-aws`), or as `ctsim provider ...`.
/// Returns the provider's own arguments (empty when Terraform starts it; `bench-schema` for
/// `ctsim bench schema`), or `None` for the ctsim command line.
pub fn started_as_provider(args: &[std::ffi::OsString]) -> Option<&[std::ffi::OsString]> {
    let (argv0, rest) = args.split_first()?;
    let name = Path::new(argv0).file_name().and_then(|n| n.to_str());
    if name.is_some_and(|n| n.starts_with(PROVIDER_BINARY)) {
        return Some(rest);
    }
    match rest.split_first() {
        Some((first, provider_args)) if first == PROVIDER_SUBCOMMAND => Some(provider_args),
        _ => None,
    }
}

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

/// The executable the mirror links to: `CTSIM_PROVIDER_BINARY` if set (e.g. a release build
/// used from a debug ctsim), else the running ctsim executable itself, which is also the
/// provider. One executable means one `cargo build` makes everything the demo and the
/// tests run, with no second build of the provider and no stale copy to serve.
pub fn provider_executable() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("CTSIM_PROVIDER_BINARY") {
        let path = PathBuf::from(path);
        if !path.is_file() {
            bail!(
                "CTSIM_PROVIDER_BINARY names {}, which is not a file",
                path.display()
            );
        }
        return Ok(path);
    }
    std::env::current_exe().context("locating the ctsim executable")
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
    fn started_as_provider_by_file_name_or_hidden_argument() {
        let args = |a: &[&str]| a.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        let terraform = args(&[
            ".terraform/providers/registry.terraform.io/hashicorp/aws/6.99.0/linux_amd64/terraform-provider-aws_v6.99.0",
        ]);
        assert_eq!(started_as_provider(&terraform), Some(&[][..]));
        let bench = args(&["/bin/ctsim", "provider", "bench-schema"]);
        assert_eq!(
            started_as_provider(&bench),
            Some(&args(&["bench-schema"])[..])
        );
        assert_eq!(started_as_provider(&args(&["ctsim", "demo"])), None);
        assert_eq!(started_as_provider(&args(&["ctsim"])), None);
        assert_eq!(
            started_as_provider(&args(&["ctsim", "--home", "provider"])),
            None
        );
        assert_eq!(started_as_provider(&[]), None);
    }
}
