//! `ctsim bench schema`: GetProviderSchema of the provider (about 2,300 hashicorp/aws
//! schemas built from the embedded dump and encoded), in fresh provider processes, against
//! the floor each process measures: decompressing and parsing the same dump as plain JSON.
//! The processes are this executable started as the provider (`ctsim provider bench-schema`),
//! so a release ctsim measures the release provider.

use std::process::{Command, ExitCode};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use super::bench_support::{median, time_ratio};
use super::terraform;

pub struct Args {
    pub processes: usize,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let exe = std::env::current_exe().context("locating the ctsim executable")?;
    let (mut cold, mut warm, mut floor) = (Vec::new(), Vec::new(), Vec::new());
    let mut last = Value::Null;
    for _ in 0..args.processes.max(1) {
        let out = Command::new(&exe)
            .args([terraform::PROVIDER_SUBCOMMAND, "bench-schema"])
            .output()
            .with_context(|| format!("running {}", exe.display()))?;
        if !out.status.success() {
            bail!(
                "{} {} bench-schema: {}",
                exe.display(),
                terraform::PROVIDER_SUBCOMMAND,
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let line: Value = serde_json::from_slice(&out.stdout).context("bench-schema output")?;
        let ms = |k: &str| Duration::from_secs_f64(line[k].as_f64().unwrap_or_default() / 1e3);
        cold.push(ms("cold_ms"));
        warm.push(ms("warm_ms"));
        floor.push(ms("floor_ms"));
        last = line;
    }
    let (cold, warm, floor) = (median(cold), median(warm), median(floor));
    println!(
        "GetProviderSchema: {} types, {} bytes encoded, median of {} processes",
        last["types"], last["bytes"], args.processes
    );
    println!(
        "  first answer of a process (what terraform waits for): {:>8.1} ms",
        ms(cold)
    );
    println!(
        "  a second answer in the same process:                 {:>8.1} ms",
        ms(warm)
    );
    println!(
        "  floor (decompress + parse the dump as JSON):         {:>8.1} ms",
        ms(floor)
    );
    println!(
        "  ratio first answer / floor: {:.2}x (target: first answer <= 50 ms)",
        time_ratio(cold, floor)
    );
    Ok(ExitCode::SUCCESS)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
