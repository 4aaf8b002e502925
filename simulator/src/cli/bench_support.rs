//! Pieces every `ctsim bench ...` subcommand shares: a simulator in a temporary state folder
//! at a fixed start time, a log bucket CloudTrail may write to, medians and ratios, and the
//! process's CPU time and peak memory.

use std::time::Duration;

use anyhow::{Result, anyhow};
use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;
use tempfile::TempDir;

use crate::Simulator;
use crate::context::CallerContext;

/// The benches' error conversion for simulator calls.
pub fn aws(e: crate::AwsError) -> anyhow::Error {
    anyhow!("{}: {}", e.code, e.message)
}

/// A simulator over a fresh temporary state folder. The folder must outlive the simulator,
/// so it is returned alongside (drop order: declare the folder first).
pub fn temp_simulator() -> Result<(TempDir, Simulator)> {
    let tmp = tempfile::tempdir()?;
    let sim = Simulator::open(tmp.path()).map_err(aws)?;
    Ok((tmp, sim))
}

/// [`temp_simulator`] with its clock set to 2026-01-01T00:00:00Z, returned too.
pub fn temp_simulator_at_start() -> Result<(TempDir, Simulator, DateTime<Utc>)> {
    let (tmp, sim) = temp_simulator()?;
    let t0 = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .ok_or_else(|| anyhow!("bad start"))?;
    sim.set_time(t0).map_err(aws)?;
    Ok((tmp, sim, t0))
}

/// Creates `bucket` with the bucket policy the CloudTrail guide documents. With
/// `any_prefix`, the policy's `AWSLogs/` resource is widened to `*` so trails with any
/// S3 key prefix may write.
pub fn create_log_bucket(
    sim: &Simulator,
    ctx: &CallerContext,
    bucket: &str,
    any_prefix: bool,
) -> Result<()> {
    let mut policy = crate::policy::documented_bucket_policy(bucket, None, &ctx.account_id);
    if any_prefix {
        policy = policy.replace("AWSLogs/", "*");
    }
    sim.invoke(ctx, "s3", "CreateBucket", json!({"Bucket": bucket}))
        .map_err(aws)?;
    sim.invoke(
        ctx,
        "s3",
        "PutBucketPolicy",
        json!({"Bucket": bucket, "Policy": policy}),
    )
    .map_err(aws)?;
    Ok(())
}

/// The median of some timings (zero when there are none).
pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// `a / b`, guarding against a zero denominator.
pub fn ratio(a: f64, b: f64) -> f64 {
    a / b.max(1e-9)
}

/// `a / b` for two timings.
pub fn time_ratio(a: Duration, b: Duration) -> f64 {
    ratio(a.as_secs_f64(), b.as_secs_f64())
}

/// CPU time (user + system, every thread) this process has used so far, in seconds: on a
/// shared machine it shows how much of the wall time was spent waiting for a core.
pub fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    // Linux reports clock ticks; USER_HZ is 100 on every Linux ABI Rust targets.
    Some((utime + stime) / 100.0)
}

/// Peak resident memory of this process so far (VmHWM), in MiB.
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_picks_the_middle_and_copes_with_nothing() {
        let ms = Duration::from_millis;
        assert_eq!(median(vec![ms(5), ms(1), ms(3)]), ms(3));
        assert_eq!(median(vec![ms(4), ms(1)]), ms(4));
        assert_eq!(median(Vec::new()), Duration::ZERO);
    }

    #[test]
    fn ratios_do_not_divide_by_zero() {
        assert_eq!(ratio(6.0, 3.0), 2.0);
        assert!(ratio(1.0, 0.0).is_finite());
        let s = Duration::from_secs;
        assert_eq!(time_ratio(s(3), s(2)), 1.5);
    }

    fn prefixed_trail(any_prefix: bool) -> Result<()> {
        let (_tmp, sim, _t0) = temp_simulator_at_start()?;
        let ctx = sim.default_caller("us-east-1");
        create_log_bucket(&sim, &ctx, "bench-logs", any_prefix)?;
        let trail = json!({"Name": "prefixed", "S3BucketName": "bench-logs", "S3KeyPrefix": "p"});
        sim.invoke(&ctx, "cloudtrail", "CreateTrail", trail)
            .map_err(aws)?;
        Ok(())
    }

    #[test]
    fn only_the_widened_log_bucket_takes_a_trail_with_a_prefix() {
        prefixed_trail(true).unwrap(); // the widened policy admits the prefix
        let refused = prefixed_trail(false).unwrap_err().to_string();
        assert!(
            refused.starts_with("InsufficientS3BucketPolicyException"),
            "{refused}"
        );
    }
}
