//! `ctsim bench terraform`: `terraform apply` and a no-change `terraform plan` of N
//! aws_cloudtrail against the same count of built-in `terraform_data` (the floor), measured
//! in the same run with the same terraform binary. Prints times and ratios.

use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::bench_support::time_ratio;
use super::terraform::{self, Installation};

pub struct BenchArgs {
    pub count: usize,
    pub plans: usize,
}

fn trail_config(count: usize) -> String {
    format!(
        r#"provider "aws" {{
  region = "us-east-1"
}}

data "aws_caller_identity" "current" {{}}

resource "aws_s3_bucket" "bench" {{
  bucket = "bench-trails-${{data.aws_caller_identity.current.account_id}}"
}}

resource "aws_s3_bucket_policy" "bench" {{
  bucket = aws_s3_bucket.bench.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Effect    = "Allow"
        Principal = {{ Service = "cloudtrail.amazonaws.com" }}
        Action    = "s3:GetBucketAcl"
        Resource  = aws_s3_bucket.bench.arn
      }},
      {{
        Effect    = "Allow"
        Principal = {{ Service = "cloudtrail.amazonaws.com" }}
        Action    = "s3:PutObject"
        Resource  = "${{aws_s3_bucket.bench.arn}}/AWSLogs/*"
        Condition = {{ StringEquals = {{ "s3:x-amz-acl" = "bucket-owner-full-control" }} }}
      }},
    ]
  }})
}}

resource "aws_cloudtrail" "bench" {{
  count          = {count}
  depends_on     = [aws_s3_bucket_policy.bench]
  name           = "bench-trail-${{count.index}}"
  s3_bucket_name = aws_s3_bucket.bench.id
  tags = {{
    Index = tostring(count.index)
  }}
}}
"#
    )
}

fn floor_config(count: usize) -> String {
    format!(
        r#"resource "terraform_data" "bench" {{
  count = {count}
  input = {{
    name  = "bench-trail-${{count.index}}"
    index = tostring(count.index)
  }}
}}
"#
    )
}

fn timed(mut cmd: Command, what: &str, ok_codes: &[i32]) -> Result<Duration> {
    let start = Instant::now();
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("running {what}"))?;
    let elapsed = start.elapsed();
    let code = out.status.code().unwrap_or(-1);
    if !ok_codes.contains(&code) {
        bail!(
            "{what} exited with {code}:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(elapsed)
}

struct Measured {
    apply: Duration,
    plan: Duration,
}

fn measure(dir: &Path, install: &Installation, state: &Path, plans: usize) -> Result<Measured> {
    let tf = |args: &[&str]| -> Result<Command> {
        let mut c = terraform::terraform_command(dir, install, state)?;
        c.args(args);
        Ok(c)
    };
    timed(tf(&["init", "-no-color"])?, "terraform init", &[0])?;
    let apply = timed(
        tf(&["apply", "-auto-approve", "-no-color"])?,
        "terraform apply",
        &[0],
    )?;
    let mut runs = Vec::new();
    for _ in 0..plans.max(1) {
        // -detailed-exitcode: 0 means no changes, which is what we expect here.
        runs.push(timed(
            tf(&["plan", "-detailed-exitcode", "-no-color"])?,
            "terraform plan (no changes)",
            &[0],
        )?);
    }
    runs.sort();
    Ok(Measured {
        apply,
        plan: runs[runs.len() / 2],
    })
}

pub fn run(args: &BenchArgs) -> Result<ExitCode> {
    let tmp = tempfile::tempdir().context("creating a temporary folder")?;
    let state = tmp.path().join("state");
    let provider = terraform::provider_executable()?;
    let install = terraform::setup(&state, &provider, &[])?;
    let sim = crate::Simulator::open(&state).map_err(|e| anyhow::anyhow!("{e}"))?;
    // AWS allows 5 trails per region; the benchmark raises the simulator's quota.
    sim.set_setting("quota.trails_per_region", &args.count.to_string())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    drop(sim);

    let floor_dir = tmp.path().join("floor");
    let ours_dir = tmp.path().join("ours");
    std::fs::create_dir_all(&floor_dir)?;
    std::fs::create_dir_all(&ours_dir)?;
    std::fs::write(floor_dir.join("main.tf"), floor_config(args.count))?;
    std::fs::write(ours_dir.join("main.tf"), trail_config(args.count))?;

    println!(
        "ctsim bench terraform: {} resources, median of {} no-change plans",
        args.count, args.plans
    );
    let floor = measure(&floor_dir, &install, &state, args.plans)?;
    let ours = measure(&ours_dir, &install, &state, args.plans)?;
    println!(
        "{:<28} {:>12} {:>12} {:>8}",
        "", "terraform_data", "aws_cloudtrail", "ratio"
    );
    println!(
        "{:<28} {:>11.2}s {:>11.2}s {:>8.2}",
        format!("apply ({})", args.count),
        floor.apply.as_secs_f64(),
        ours.apply.as_secs_f64(),
        time_ratio(ours.apply, floor.apply)
    );
    println!(
        "{:<28} {:>11.2}s {:>11.2}s {:>8.2}",
        "plan, no changes",
        floor.plan.as_secs_f64(),
        ours.plan.as_secs_f64(),
        time_ratio(ours.plan, floor.plan)
    );
    Ok(ExitCode::SUCCESS)
}
