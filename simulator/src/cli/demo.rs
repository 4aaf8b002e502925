//! `ctsim demo`: the README's main job. Installs our provider for Terraform, applies
//! examples/trail-basic on the embedded simulator with the real terraform binary, then
//! shows what the simulator now holds and what it recorded.

use std::fs;
use std::path::Path;
use std::process::{ExitCode, Stdio};

use anyhow::{Context, Result, bail};

use super::render;
use super::terraform;

/// The example applied by the demo, embedded so the demo runs from any directory.
const TRAIL_BASIC: &str = include_str!("../../../examples/trail-basic/main.tf");

pub fn run(state_dir: &Path) -> Result<ExitCode> {
    let state_dir = terraform::absolute(state_dir)?;
    fs::create_dir_all(&state_dir).with_context(|| format!("creating {}", state_dir.display()))?;
    step("Installing the ctsim provider as hashicorp/aws (offline filesystem mirror)");
    let provider = terraform::provider_executable()?;
    let install = terraform::setup(&state_dir, &provider, &[])?;
    println!("  CLI configuration: {}", install.cli_config.display());

    let work = state_dir.join("demo").join("trail-basic");
    fs::create_dir_all(&work)?;
    fs::write(work.join("main.tf"), TRAIL_BASIC)?;
    // The lock file pins the mirror's checksums, which change whenever the provider is rebuilt.
    let _ = fs::remove_file(work.join(".terraform.lock.hcl"));

    step(&format!("terraform init ({})", work.display()));
    let init = terraform::terraform_command(&work, &install, &state_dir)?
        .args(["init", "-no-color"])
        .stdin(Stdio::null())
        .output()
        .context("running terraform init")?;
    if !init.status.success() {
        eprintln!(
            "{}{}",
            String::from_utf8_lossy(&init.stdout),
            String::from_utf8_lossy(&init.stderr)
        );
        bail!("terraform init failed");
    }
    println!("  provider hashicorp/aws installed from the ctsim mirror");

    step("terraform apply");
    let status = terraform::terraform_command(&work, &install, &state_dir)?
        .args(["apply", "-auto-approve", "-no-color"])
        .stdin(Stdio::null())
        .status()
        .context("running terraform apply")?;
    if !status.success() {
        bail!("terraform apply failed");
    }

    let sim = crate::Simulator::open(&state_dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    step("Trails in the simulator (ctsim trails)");
    print!("{}", render::trails(&sim, false)?);
    step("Recorded CloudTrail events, newest first (ctsim events)");
    print!(
        "{}",
        render::events(
            &sim,
            &render::EventsArgs {
                max: 15,
                ..Default::default()
            }
        )?
    );
    let exe = std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "ctsim".into());
    println!("\nState folder: {}", state_dir.display());
    println!(
        "Next: {exe} --home {} events --json --max 1",
        state_dir.display()
    );
    println!("      {exe} --home {} trails", state_dir.display());
    Ok(ExitCode::SUCCESS)
}

fn step(text: &str) {
    println!("\n==> {text}");
}
