//! `ctsim generate` (synthetic traffic) and `ctsim ingest` (real CloudTrail log files).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use indicatif::{ProgressBar, ProgressStyle};

use crate::Simulator;
use crate::clock::Clock;
use crate::generate::{self, Generator, Profile};

#[derive(clap::Args)]
pub struct GenerateArgs {
    /// Seed: the same seed and start give byte-identical records.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Events per simulated second, or per minute with a `/m` suffix (e.g. 10, 600/m).
    #[arg(long, default_value = "10")]
    pub rate: String,
    /// Length of the simulated window, e.g. 1h, 30m, 7d.
    #[arg(long, conflicts_with = "count")]
    pub duration: Option<String>,
    /// Number of records (instead of --duration).
    #[arg(long)]
    pub count: Option<u64>,
    /// First instant (RFC 3339). Default: the simulator clock when fixed (the clock then
    /// moves to the window's end); with a real clock, the window ends now.
    #[arg(long)]
    pub start: Option<String>,
    /// Regions, comma-separated (default: us-east-1,us-west-2,eu-west-1,eu-central-1,ap-southeast-2).
    #[arg(long, value_delimiter = ',')]
    pub regions: Vec<String>,
    /// Fraction of calls that fail with AccessDenied / Client.UnauthorizedOperation.
    #[arg(long, default_value_t = 0.05)]
    pub error_rate: f64,
    /// Fraction of records that are data events.
    #[arg(long, default_value_t = 0.35)]
    pub data_rate: f64,
    /// A burst of one API on top of the traffic, for Insights to detect (repeatable):
    /// "SOURCE:NAME@START/DURATION xN [region=R] [error=CODE]" = N calls a minute, e.g.
    /// "ec2.amazonaws.com:RunInstances@2026-01-08T10:00Z/15m x40".
    #[arg(long)]
    pub spike: Vec<String>,
}

#[derive(clap::Args)]
pub struct IngestArgs {
    /// CloudTrail log files ({"Records": [...]}, gzip or not) or directories.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

/// `10` -> 10/s, `600/m` -> 10/s, `5/s` -> 5/s.
pub fn parse_rate(text: &str) -> Result<f64> {
    let (n, per) = match text.split_once('/') {
        Some((n, "s")) => (n, 1.0),
        Some((n, "m")) => (n, 60.0),
        Some(_) => anyhow::bail!("{text:?}: rate unit must be /s or /m"),
        None => (text, 1.0),
    };
    let n: f64 = n
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite() && *v > 0.0)
        .with_context(|| format!("{text:?} is not a positive rate like 10 or 600/m"))?;
    Ok(n / per)
}

fn bar(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let b = ProgressBar::new(len);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} records ({per_sec}, eta {eta})")
    {
        b.set_style(style);
    }
    b
}

pub fn generate(sim: &Simulator, args: &GenerateArgs) -> Result<ExitCode> {
    let aws = |e: crate::AwsError| anyhow!("{}: {}", e.code, e.message);
    let rate = parse_rate(&args.rate)?;
    let count = match (&args.count, &args.duration) {
        (Some(c), _) => *c,
        (None, Some(d)) => {
            let d = super::parse_duration(d)?;
            (d.num_milliseconds() as f64 * rate / 1000.0).round() as u64
        }
        (None, None) => anyhow::bail!("give --duration (e.g. 1h) or --count"),
    };
    let clock = sim.clock().map_err(aws)?;
    let window = chrono::Duration::milliseconds((count as f64 * 1000.0 / rate).ceil() as i64);
    let start = match &args.start {
        Some(s) => chrono::DateTime::parse_from_rfc3339(s)
            .with_context(|| format!("{s:?} is not an RFC 3339 instant"))?
            .with_timezone(&chrono::Utc),
        None => match clock {
            Clock::Fixed(t) => t,
            Clock::Real => clock.now() - window,
        },
    };
    let mut profile = Profile::new(
        args.seed,
        start,
        count,
        generate::accounts(sim).map_err(aws)?,
    );
    profile.rate_per_sec = rate;
    profile.error_rate = args.error_rate;
    profile.data_event_rate = args.data_rate;
    if !args.regions.is_empty() {
        profile.regions = args.regions.clone();
    }
    profile.validate().map_err(|m| anyhow!(m))?;
    let spikes = args
        .spike
        .iter()
        .map(|s| generate::spike::Spike::parse(s).map_err(|m| anyhow!(m)))
        .collect::<Result<Vec<_>>>()?;
    // validate() guarantees at least one account and one region.
    let (spike_account, spike_region) = (profile.accounts[0].clone(), profile.regions[0].clone());
    let spike_count: u64 = spikes.iter().map(|s| s.len()).sum();
    let spike_note = if spike_count == 0 {
        String::new()
    } else {
        format!(" + {spike_count} spike records")
    };
    let end = spikes
        .iter()
        .map(|s| s.end())
        .fold(profile.end(), |a, b| a.max(b));
    let accounts = profile.accounts.len();
    let generator = Generator::new(profile).map_err(aws)?;
    let progress = bar(count);
    let began = std::time::Instant::now();
    let mut stats = sim
        .append_events_with(generator, |n| progress.set_position(n))
        .map_err(aws)?;
    if spike_count > 0 {
        let records = spikes
            .iter()
            .flat_map(|s| s.events(args.seed, &spike_account, &spike_region));
        let more = sim.append_events_with(records, |_| {}).map_err(aws)?;
        stats.stored += more.stored;
        stats.duplicates += more.duplicates;
    }
    progress.finish_and_clear();
    let secs = began.elapsed().as_secs_f64();
    if let Clock::Fixed(t) = clock
        && end > t
    {
        sim.set_time(end).map_err(aws)?;
    }
    println!(
        "generated {count} records{spike_note} ({} stored, {} already present) for {accounts} account(s), {} .. {}, in {secs:.2}s ({:.0} records/s)",
        stats.stored,
        stats.duplicates,
        crate::clock::iso_seconds(start),
        crate::clock::iso_seconds(end),
        count as f64 / secs.max(1e-9),
    );
    Ok(ExitCode::SUCCESS)
}

pub fn ingest(sim: &Simulator, args: &IngestArgs) -> Result<ExitCode> {
    let (files, _) = generate::ingest::log_files(&args.paths);
    let progress = bar(files.len() as u64);
    let report = generate::ingest::ingest(sim, &args.paths, |_| progress.inc(1))
        .map_err(|e| anyhow!("{}: {}", e.code, e.message))?;
    progress.finish_and_clear();
    for (path, why) in &report.bad_files {
        eprintln!("ctsim: skipped {}: {why}", path.display());
    }
    println!(
        "read {} records from {} file(s): {} stored, {} duplicates, {} rejected, {} file(s) skipped",
        report.read,
        report.files,
        report.stored,
        report.duplicates,
        report.rejected,
        report.bad_files.len()
    );
    // Good files are stored either way; a skipped file still makes the run fail for scripts.
    Ok(if report.bad_files.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_parse_per_second_and_per_minute() {
        assert_eq!(parse_rate("10").unwrap(), 10.0);
        assert_eq!(parse_rate("600/m").unwrap(), 10.0);
        assert_eq!(parse_rate("5/s").unwrap(), 5.0);
        assert!(parse_rate("0").is_err());
        assert!(parse_rate("x").is_err());
        assert!(parse_rate("5/h").is_err());
    }
}
