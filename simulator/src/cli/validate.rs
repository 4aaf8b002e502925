//! `ctsim validate-logs`: `aws cloudtrail validate-logs` against the simulated bucket.

use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use chrono::{DateTime, Utc};

use crate::Simulator;
use crate::pipeline;

#[derive(clap::Args)]
pub struct ValidateArgs {
    /// The ARN of the trail whose log files to validate.
    #[arg(long)]
    pub trail_arn: String,
    /// Validate from this instant (RFC 3339). Default: the beginning.
    #[arg(long)]
    pub start_time: Option<String>,
    /// Validate up to this instant (RFC 3339). Default: the simulator's now.
    #[arg(long)]
    pub end_time: Option<String>,
    /// Print every file checked, not only invalid ones.
    #[arg(long)]
    pub verbose: bool,
}

fn instant(s: &str) -> Result<DateTime<Utc>> {
    Ok(DateTime::parse_from_rfc3339(s)
        .with_context(|| format!("{s:?} is not an RFC 3339 instant"))?
        .with_timezone(&Utc))
}

/// Runs the work that has come due (so the latest hours have digests), then validates.
/// Fails (non-zero exit) when any file is invalid.
pub fn run(sim: &Simulator, args: &ValidateArgs) -> Result<ExitCode> {
    let start = match &args.start_time {
        Some(s) => instant(s)?,
        None => DateTime::UNIX_EPOCH,
    };
    let end = match &args.end_time {
        Some(s) => instant(s)?,
        None => sim.now(),
    };
    pipeline::run_due_passes(sim).map_err(|e| anyhow!("{e}"))?;
    let report = sim
        .run_unrecorded(|env| pipeline::validate::validate_logs(env, &args.trail_arn, start, end))
        .map_err(|e| anyhow!("{e}"))?;
    print!("{}", report.render(args.verbose));
    Ok(if report.all_valid() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::digest::tests::{BUCKET, TRAIL_ARN, ctx, three_hours};

    fn args(verbose: bool) -> ValidateArgs {
        ValidateArgs {
            trail_arn: TRAIL_ARN.into(),
            start_time: Some("2024-01-01T00:00:00Z".into()),
            end_time: None,
            verbose,
        }
    }

    #[test]
    fn exit_code_is_failure_only_when_something_is_invalid() {
        let (_dir, sim, logs) = three_hours();
        assert_eq!(run(&sim, &args(true)).unwrap(), ExitCode::SUCCESS); // test
        sim.invoke(
            &ctx(&sim),
            "s3",
            "DeleteObject",
            serde_json::json!({"Bucket": BUCKET, "Key": logs[1]}),
        )
        .unwrap(); // test setup
        assert_eq!(run(&sim, &args(false)).unwrap(), ExitCode::FAILURE); // test
    }

    #[test]
    fn bad_instants_and_unknown_trails_are_errors() {
        let (_dir, sim, _logs) = three_hours();
        let mut a = args(false);
        a.start_time = Some("yesterday".into());
        assert!(run(&sim, &a).unwrap_err().to_string().contains("RFC 3339"));
        let mut a = args(false);
        a.trail_arn = "arn:aws:cloudtrail:us-east-1:123456789012:trail/none".into();
        assert!(
            run(&sim, &a)
                .unwrap_err()
                .to_string()
                .contains("Unknown trail")
        );
    }
}
