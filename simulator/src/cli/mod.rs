//! The `ctsim` command line: the demo, event history, trails, the Terraform installation,
//! the clock and the simulator settings.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use crate::Simulator;

mod alarms;
mod bench;
mod bench_check;
mod bench_console;
mod bench_delivery;
mod bench_filters;
mod bench_insights;
mod bench_lake;
mod bench_schema;
mod bench_serve;
mod bench_support;
mod check;
mod deliver;
mod demo;
mod generate;
mod lake;
mod logs;
mod render;
mod serve;
mod sns;
pub mod terraform;
mod validate;

#[derive(Parser)]
#[command(
    name = "ctsim",
    version,
    about = "A local, offline, deterministic AWS CloudTrail"
)]
struct Cli {
    /// State folder (default: $CTSIM_HOME, else .ctsim in the working directory).
    #[arg(long, global = true, env = "CTSIM_HOME")]
    home: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply examples/trail-basic with the real terraform against the embedded simulator,
    /// then show the trails and the recorded events.
    Demo,
    /// Event history (LookupEvents): newest first, the last 90 days.
    Events(render::EventsArgs),
    /// The trails in the simulator, every region.
    Trails {
        #[arg(long)]
        json: bool,
    },
    /// Install our provider as hashicorp/aws for Terraform (filesystem mirror + CLI config).
    #[command(subcommand)]
    Terraform(TerraformCommand),
    /// The simulator clock: real time, or a fixed instant you set and advance.
    #[command(subcommand)]
    Clock(ClockCommand),
    /// Simulator settings such as service quotas (e.g. quota.trails_per_region).
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Generate realistic CloudTrail traffic (deterministic for a seed) into the history.
    Generate(generate::GenerateArgs),
    /// Ingest CloudTrail log files ({"Records": [...]}, .json or .json.gz, or directories).
    Ingest(generate::IngestArgs),
    /// Delivered CloudTrail log files: `logs list`, `logs print KEY`.
    #[command(subcommand)]
    Logs(logs::LogsCommand),
    /// CloudWatch alarms and their states (every account and region); `--history NAME`.
    Alarms(alarms::AlarmsArgs),
    /// SNS deliveries to subscriptions: `sns deliveries [--topic ARN] [--body]`.
    #[command(subcommand)]
    Sns(sns::SnsCommand),
    /// Benchmarks (not tests): times and ratios against a floor measured in the same run.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Validate a trail's log files against its digest files (aws cloudtrail validate-logs).
    ValidateLogs(validate::ValidateArgs),
    /// Serve the AWS wire protocols (AWS CLI, boto3, SDKs, provider HTTP mode) on a port,
    /// and the browser console at /console.
    Serve(serve::ServeArgs),
    /// Serve (as `ctsim serve`) and open the console in the browser when there is a
    /// display; else print its URL.
    Console(serve::ServeArgs),
    /// CloudTrail Lake: event data stores and Lake SQL queries.
    #[command(subcommand)]
    Lake(lake::LakeCommand),
    /// Deliver what has come due (log files, digests, CloudWatch Logs, SNS) and print it;
    /// `--follow` keeps delivering as time passes until Ctrl-C.
    Deliver(deliver::DeliverArgs),
    /// Compliance checks (CIS section 3, Security Hub CloudTrail controls) on a directory of
    /// .tf files, a `terraform show -json` plan or state, or the live simulator.
    /// Exit code 0: no failure; 1: a rule failed; 2: usage or input error.
    Check(check::CheckArgs),
    /// Which trails and event data stores capture an event; or what a trail captures.
    Coverage(check::CoverageArgs),
    /// Rule, event-capture and attribute changes between two inputs (DIR, plan JSON, `live`).
    Diff(check::DiffArgs),
    /// A normalised, stable rendering of a plan for snapshot tests.
    Snapshot(check::SnapshotArgs),
}

#[derive(Subcommand)]
enum BenchCommand {
    /// terraform apply and a no-change plan of N aws_cloudtrail vs N terraform_data.
    Terraform {
        #[arg(long, default_value_t = 200)]
        count: usize,
        /// No-change plans to run; the median is reported.
        #[arg(long, default_value_t = 3)]
        plans: usize,
    },
    /// `ctsim check` of N generated trail configurations vs parsing them with hcl-rs.
    Check {
        #[arg(long, default_value_t = 50)]
        trails: usize,
        #[arg(long, default_value_t = 15)]
        rounds: usize,
    },
    /// generate -> record -> match 5 trails -> delivered gzip files, vs serialise+gzip only.
    Delivery {
        #[arg(long, default_value_t = 200_000)]
        events: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Load on `ctsim serve` (signed DescribeTrails, LookupEvents) vs a trivial hyper handler.
    Serve(bench_serve::Args),
    /// GetProviderSchema (every hashicorp/aws schema) in fresh provider processes, vs
    /// decompressing and parsing the embedded dump.
    Schema {
        #[arg(long, default_value_t = 7)]
        processes: usize,
    },
    /// Lake ingestion (events/s) and Lake SQL vs hand-written SQLite queries.
    Lake {
        #[arg(long, default_value_t = 5_000_000)]
        events: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
    /// The 15 CIS metric filters over delivered events vs parsing each record's JSON once.
    Filters {
        #[arg(long, default_value_t = 1_000_000)]
        events: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
    /// Console event-history page loads over a large history (server time), vs the same
    /// LookupEvents page without rendering.
    Console {
        #[arg(long, default_value_t = 1_000_000)]
        events: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Loads of each page; the median is reported.
        #[arg(long, default_value_t = 15)]
        runs: usize,
    },
    /// Insights detection over days of traffic with a spike, vs one SQL GROUP BY.
    Insights {
        #[arg(long, default_value_t = 8)]
        days: u64,
        /// Generated events per second.
        #[arg(long, default_value_t = 2.0)]
        rate: f64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Subcommand)]
enum TerraformCommand {
    /// Write the provider mirror and the CLI configuration; prints how to use them.
    Setup {
        /// Also offer these hashicorp/aws versions (for exact version pins).
        #[arg(long = "provider-version")]
        versions: Vec<String>,
        /// Print only the CLI configuration path (for scripts).
        #[arg(long)]
        print_path: bool,
    },
    /// Run terraform with the CLI configuration set, e.g. `ctsim terraform run -- plan`.
    Run {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

#[derive(Subcommand)]
enum ClockCommand {
    /// Print the current simulated time.
    Show,
    /// Fix the clock at an RFC 3339 instant, e.g. 2026-01-01T00:00:00Z.
    Set { instant: String },
    /// Move a fixed clock forward, e.g. 90s, 15m, 1h, 7d.
    Advance { by: String },
    /// Go back to real time.
    Real,
}

#[derive(Subcommand)]
enum SettingsCommand {
    /// Show every setting.
    List,
    /// Set one setting.
    Set { key: String, value: String },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let dir = state_dir(&cli.home);
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            let text = format!("{e:#}");
            // A problem with the state folder says which folder and what to do first.
            let about_state = text.contains("sqlite") || text.contains(&*dir.to_string_lossy());
            match crate::error::StateProblem::of(&text).filter(|_| about_state) {
                Some(problem) => eprintln!(
                    "ctsim: {}
  ({text})",
                    problem.advice(&dir)
                ),
                None => eprintln!("ctsim: {text}"),
            }
            ExitCode::FAILURE
        }
    }
}

fn state_dir(cli_home: &Option<PathBuf>) -> PathBuf {
    cli_home.clone().unwrap_or_else(|| PathBuf::from(".ctsim"))
}

fn open(home: &Option<PathBuf>) -> Result<Simulator> {
    let dir = state_dir(home);
    Simulator::open(&dir).map_err(|e| anyhow::anyhow!("opening {}: {e}", dir.display()))
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Demo => demo::run(&state_dir(&cli.home)),
        Command::Bench(BenchCommand::Terraform { count, plans }) => {
            bench::run(&bench::BenchArgs { count, plans })
        }
        Command::Bench(BenchCommand::Check { trails, rounds }) => {
            bench_check::run(&bench_check::Args { trails, rounds })
        }
        Command::Bench(BenchCommand::Delivery { events, seed }) => {
            bench_delivery::run(&bench_delivery::Args { events, seed })
        }
        Command::Bench(BenchCommand::Serve(args)) => bench_serve::run(&args),
        Command::Bench(BenchCommand::Schema { processes }) => {
            bench_schema::run(&bench_schema::Args { processes })
        }
        Command::Bench(BenchCommand::Lake { events, seed, runs }) => {
            bench_lake::run(&bench_lake::Args { events, seed, runs })
        }
        Command::Bench(BenchCommand::Filters { events, seed, runs }) => {
            bench_filters::run(&bench_filters::Args { events, seed, runs })
        }
        Command::Bench(BenchCommand::Console { events, seed, runs }) => {
            bench_console::run(&bench_console::Args { events, seed, runs })
        }
        Command::Bench(BenchCommand::Insights { days, rate, seed }) => {
            bench_insights::run(&bench_insights::Args { days, rate, seed })
        }
        Command::Events(args) => {
            let sim = open(&cli.home)?;
            print!("{}", render::events(&sim, &args)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate(args) => generate::generate(&open(&cli.home)?, &args),
        Command::Ingest(args) => generate::ingest(&open(&cli.home)?, &args),
        Command::Logs(cmd) => {
            print!("{}", logs::run(&open(&cli.home)?, cmd)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Alarms(args) => {
            print!("{}", alarms::run(&open(&cli.home)?, &args)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Sns(cmd) => {
            print!("{}", sns::run(&open(&cli.home)?, cmd)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::ValidateLogs(args) => validate::run(&open(&cli.home)?, &args),
        Command::Serve(args) => serve::run(&state_dir(&cli.home), &args),
        Command::Console(args) => serve::console(&state_dir(&cli.home), &args),
        Command::Lake(cmd) => {
            print!("{}", lake::run(&open(&cli.home)?, cmd)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Deliver(args) => deliver::run(&state_dir(&cli.home), &args),
        Command::Check(args) => check::run_check(&args, &cli.home),
        Command::Coverage(args) => check::run_coverage(&args, &cli.home),
        Command::Diff(args) => check::run_diff(&args, &cli.home),
        Command::Snapshot(args) => check::run_snapshot(&args, &cli.home),
        Command::Trails { json } => {
            let sim = open(&cli.home)?;
            print!("{}", render::trails(&sim, json)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Terraform(TerraformCommand::Setup {
            versions,
            print_path,
        }) => {
            let dir = state_dir(&cli.home);
            let provider = terraform::provider_executable()?;
            let install = terraform::setup(&dir, &provider, &versions)?;
            if print_path {
                println!("{}", install.cli_config.display());
            } else {
                println!("Provider mirror: {}", install.mirror.display());
                println!(
                    "Use it with:\n  export TF_CLI_CONFIG_FILE={}",
                    install.cli_config.display()
                );
                println!(
                    "  export CTSIM_HOME={}",
                    terraform::absolute(&dir)?.display()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Terraform(TerraformCommand::Run { args }) => {
            let dir = state_dir(&cli.home);
            let provider = terraform::provider_executable()?;
            let install = terraform::setup(&dir, &provider, &[])?;
            let cwd = std::env::current_dir()?;
            let status = terraform::terraform_command(&cwd, &install, &dir)?
                .args(&args)
                .status()
                .context("running terraform")?;
            Ok(ExitCode::from(
                status.code().unwrap_or(1).clamp(0, 255) as u8
            ))
        }
        Command::Clock(cmd) => {
            let sim = open(&cli.home)?;
            clock(&sim, cmd)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Settings(cmd) => {
            let sim = open(&cli.home)?;
            match cmd {
                SettingsCommand::List => {
                    for (k, v) in sim.settings().map_err(|e| anyhow::anyhow!("{e}"))? {
                        println!("{k} = {v}");
                    }
                }
                SettingsCommand::Set { key, value } => {
                    sim.set_setting(&key, &value)
                        .map_err(|e| anyhow::anyhow!("{e}"))?;
                    println!("{key} = {value}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn clock(sim: &Simulator, cmd: ClockCommand) -> Result<()> {
    match cmd {
        ClockCommand::Show => {}
        ClockCommand::Set { instant } => {
            let at = chrono::DateTime::parse_from_rfc3339(&instant)
                .with_context(|| format!("{instant:?} is not an RFC 3339 instant"))?
                .with_timezone(&chrono::Utc);
            sim.set_time(at).map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        ClockCommand::Advance { by } => {
            let by = parse_duration(&by)?;
            sim.advance_time(by).map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        ClockCommand::Real => sim.use_real_time().map_err(|e| anyhow::anyhow!("{e}"))?,
    }
    println!(
        "{}",
        sim.now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );
    Ok(())
}

/// Parses durations such as 90s, 15m, 1h, 7d (or a combination: 1h30m).
pub fn parse_duration(text: &str) -> Result<chrono::Duration> {
    let mut total = chrono::Duration::zero();
    let mut digits = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let n: i64 = digits
            .parse()
            .with_context(|| format!("{text:?} is not a duration like 90s, 15m, 1h, 7d"))?;
        digits.clear();
        total += match c {
            's' => chrono::Duration::seconds(n),
            'm' => chrono::Duration::minutes(n),
            'h' => chrono::Duration::hours(n),
            'd' => chrono::Duration::days(n),
            _ => anyhow::bail!("{text:?}: unknown unit {c:?} (use s, m, h or d)"),
        };
    }
    anyhow::ensure!(
        digits.is_empty() && !text.is_empty(),
        "{text:?} is not a duration like 90s, 15m, 1h, 7d"
    );
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(
            parse_duration("90s").unwrap(),
            chrono::Duration::seconds(90)
        );
        assert_eq!(
            parse_duration("1h30m").unwrap(),
            chrono::Duration::minutes(90)
        );
        assert_eq!(parse_duration("7d").unwrap(), chrono::Duration::days(7));
        assert!(parse_duration("10").is_err());
        assert!(parse_duration("1w").is_err());
        assert!(parse_duration("").is_err());
    }
}
