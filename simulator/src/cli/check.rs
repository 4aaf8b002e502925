//! `ctsim check`, `ctsim coverage`, `ctsim diff` and `ctsim snapshot`: compliance and
//! coverage answers about a directory of .tf files, a `terraform show -json` plan or state,
//! or the live simulator.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::compliance::coverage::{EventQuery, describe_trail, render_who, who_captures};
use crate::compliance::report::{self, Format};
use crate::compliance::{self, Model, Suppressions};
use crate::plan::{self, Config, InputSpec};

/// The default suppressions file, looked up in the checked directory, then the working one.
pub const SUPPRESSIONS_FILE: &str = ".ctsim-check.toml";

/// Exit code for usage and input errors.
pub const USAGE: u8 = 2;

#[derive(Args, Debug, Clone, Default)]
pub struct InputArgs {
    /// A directory of .tf files (default: the working directory).
    pub dir: Option<PathBuf>,
    /// A `terraform show -json` plan or state file instead of a directory.
    #[arg(long, conflicts_with_all = ["dir", "live"])]
    pub plan: Option<PathBuf>,
    /// The live simulator state (includes runtime facts: IsLogging, deliveries).
    #[arg(long, conflicts_with = "dir")]
    pub live: bool,
}

#[derive(Args, Debug, Clone)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Packs (cis, securityhub, ctsim, all) or rule/control ids, comma separated.
    #[arg(long, value_delimiter = ',')]
    pub rules: Vec<String>,
    /// Suppressions file (default: .ctsim-check.toml in the directory checked, else here).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Print the rule catalogue instead of checking (text, json, or markdown with --markdown).
    #[arg(long)]
    pub list_rules: bool,
    /// With --list-rules: the docs/checks.md page.
    #[arg(long, requires = "list_rules")]
    pub markdown: bool,
}

#[derive(Args, Debug, Clone)]
pub struct CoverageArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Describe what this trail captures (name or Terraform address).
    #[arg(long)]
    pub trail: Option<String>,
    #[arg(long)]
    pub event_name: Option<String>,
    /// e.g. s3.amazonaws.com
    #[arg(long)]
    pub event_source: Option<String>,
    #[arg(long)]
    pub resource_arn: Option<String>,
    /// e.g. AWS::S3::Object (default: from the ARN)
    #[arg(long)]
    pub resource_type: Option<String>,
    #[arg(long)]
    pub account: Option<String>,
    #[arg(long)]
    pub region: Option<String>,
    #[arg(long)]
    pub read_only: Option<bool>,
    /// Management or Data (default: Data when a data resource ARN is given).
    #[arg(long)]
    pub category: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug, Clone)]
pub struct DiffArgs {
    /// A directory, a plan/state JSON file, or `live`.
    pub a: String,
    /// A directory, a plan/state JSON file, or `live`.
    pub b: String,
    #[arg(long, value_delimiter = ',')]
    pub rules: Vec<String>,
}

#[derive(Args, Debug, Clone)]
pub struct SnapshotArgs {
    /// A plan/state JSON file, a directory, or `live`.
    pub input: String,
}

fn usage(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("ctsim: {msg}");
    ExitCode::from(USAGE)
}

fn load(spec: &InputSpec, home: &Option<PathBuf>) -> Result<Config, String> {
    match spec {
        InputSpec::Dir(d) => plan::hcl::load_dir(d).map_err(|e| e.to_string()),
        InputSpec::Plan(p) => plan::planjson::load_file(p).map_err(|e| e.to_string()),
        InputSpec::Live => {
            let sim = super::open(home).map_err(|e| format!("{e:#}"))?;
            plan::live::load(&sim).map_err(|e| e.to_string())
        }
    }
}

fn spec_of(input: &InputArgs) -> InputSpec {
    if input.live {
        InputSpec::Live
    } else if let Some(p) = &input.plan {
        InputSpec::Plan(p.clone())
    } else {
        InputSpec::Dir(input.dir.clone().unwrap_or_else(|| PathBuf::from(".")))
    }
}

fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

fn suppressions(args: &CheckArgs, spec: &InputSpec) -> Result<Suppressions, String> {
    if let Some(p) = &args.config {
        return Suppressions::load(p);
    }
    let mut candidates = Vec::new();
    if let InputSpec::Dir(d) = spec {
        candidates.push(d.join(SUPPRESSIONS_FILE));
    }
    candidates.push(Path::new(SUPPRESSIONS_FILE).to_path_buf());
    match candidates.into_iter().find(|p| p.is_file()) {
        Some(p) => Suppressions::load(&p),
        None => Ok(Suppressions::default()),
    }
}

pub fn run_check(args: &CheckArgs, home: &Option<PathBuf>) -> Result<ExitCode> {
    if args.list_rules {
        let out = if args.markdown {
            compliance::catalogue::markdown()
        } else if args.format == Format::Json {
            serde_json::to_string_pretty(
                &compliance::RULES
                    .iter()
                    .map(report::rule_json)
                    .collect::<Vec<_>>(),
            )? + "\n"
        } else {
            compliance::RULES
                .iter()
                .map(|r| {
                    format!(
                        "{:<26} {:<8} {} ({})\n",
                        r.id,
                        r.severity.as_str(),
                        r.title,
                        report::sources_text(r)
                    )
                })
                .collect()
        };
        print!("{out}");
        return Ok(ExitCode::SUCCESS);
    }
    let rules = match compliance::select(&args.rules) {
        Ok(r) => r,
        Err(e) => return Ok(usage(e)),
    };
    let spec = spec_of(&args.input);
    let supp = match suppressions(args, &spec) {
        Ok(s) => s,
        Err(e) => return Ok(usage(e)),
    };
    let config = match load(&spec, home) {
        Ok(c) => c,
        Err(e) => return Ok(usage(e)),
    };
    let report = compliance::check(&Model::build(&config), &rules, &supp);
    print!("{}", report::render(&report, args.format, use_color()));
    Ok(if report.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn run_coverage(args: &CoverageArgs, home: &Option<PathBuf>) -> Result<ExitCode> {
    let config = match load(&spec_of(&args.input), home) {
        Ok(c) => c,
        Err(e) => return Ok(usage(e)),
    };
    let model = Model::build(&config);
    if let Some(t) = &args.trail {
        let found = model.trails.iter().find(|x| {
            &x.address == t || x.name.known() == Some(t) || x.address.ends_with(&format!(".{t}"))
        });
        return Ok(match found {
            Some(trail) => {
                print!("{}", describe_trail(trail));
                ExitCode::SUCCESS
            }
            None => usage(format!("no trail named {t:?} in the input")),
        });
    }
    let q = EventQuery {
        event_name: args.event_name.clone(),
        event_source: args.event_source.clone(),
        resource_arn: args.resource_arn.clone(),
        resource_type: args.resource_type.clone(),
        account: args.account.clone(),
        region: args.region.clone(),
        read_only: args.read_only,
        category: args.category.clone(),
    };
    if q == EventQuery::default() {
        // A plan and no question: every call the plan causes, and who captures it.
        if let Some(path) = &args.input.plan {
            use anyhow::Context as _;
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            let plan: serde_json::Value = serde_json::from_str(&text).with_context(|| {
                format!("{} is not terraform show -json output", path.display())
            })?;
            let answered: Vec<_> = compliance::coverage::planned_calls(&plan)
                .into_iter()
                .map(|c| {
                    let q = EventQuery {
                        event_name: Some(c.event_name.clone()),
                        event_source: Some(c.event_source.clone()),
                        read_only: Some(false),
                        category: Some("Management".to_string()),
                        ..EventQuery::default()
                    };
                    let lines = who_captures(&model, &q);
                    (c, lines)
                })
                .collect();
            if args.json {
                let items: Vec<_> = answered
                    .iter()
                    .map(|(c, l)| serde_json::json!({"call": c, "captured_by": l}))
                    .collect();
                println!("{}", serde_json::to_string_pretty(&items)?);
            } else {
                print!("{}", compliance::coverage::render_plan_coverage(&answered));
            }
            return Ok(ExitCode::SUCCESS);
        }
        return Ok(usage(
            "say which event (--event-name, --event-source, --resource-arn, ...) or --trail NAME",
        ));
    }
    let lines = who_captures(&model, &q);
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({"event": q.record(), "captured_by": lines})
            )?
        );
    } else {
        print!("{}", render_who(&q, &lines));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run_diff(args: &DiffArgs, home: &Option<PathBuf>) -> Result<ExitCode> {
    let rules = match compliance::select(&args.rules) {
        Ok(r) => r,
        Err(e) => return Ok(usage(e)),
    };
    let (a, b) = match (
        load(&InputSpec::parse(&args.a), home),
        load(&InputSpec::parse(&args.b), home),
    ) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return Ok(usage(e)),
    };
    print!("{}", plan::diff::diff(&a, &b, &args.a, &args.b, &rules));
    Ok(ExitCode::SUCCESS)
}

pub fn run_snapshot(args: &SnapshotArgs, home: &Option<PathBuf>) -> Result<ExitCode> {
    match load(&InputSpec::parse(&args.input), home) {
        Ok(c) => {
            print!("{}", plan::snapshot::render(&c));
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Ok(usage(e)),
    }
}
