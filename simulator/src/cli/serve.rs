//! `ctsim serve`: run the AWS wire protocols on a port until SIGINT/SIGTERM.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::pipeline;
use crate::server::{self, Limits, Server, credentials::Credentials};
use crate::settings;

#[derive(clap::Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address to listen on. Loopback by default: ctsim has no real authentication story
    /// beyond the keys it is given.
    #[arg(long, default_value = server::DEFAULT_BIND)]
    pub bind: IpAddr,
    /// Port to listen on (0: any free port, printed at start).
    #[arg(long, default_value_t = server::DEFAULT_PORT)]
    pub port: u16,
    /// Credentials file (default: credentials.json in the state folder, if present).
    #[arg(long)]
    pub credentials: Option<PathBuf>,
    /// Largest request body accepted (bytes); larger ones get 413.
    #[arg(long, default_value_t = server::DEFAULT_MAX_BODY_BYTES)]
    pub max_body_bytes: usize,
    /// Largest request head (request line and headers, bytes); larger ones are refused in
    /// the protocol's error shape.
    #[arg(long, default_value_t = server::DEFAULT_MAX_HEADER_BYTES)]
    pub max_header_bytes: usize,
    /// Seconds a client may take to send a request.
    #[arg(long, default_value_t = server::DEFAULT_REQUEST_TIMEOUT.as_secs())]
    pub request_timeout: u64,
    /// Worker threads for the HTTP runtime (default: the number of cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// How often clock-driven work (log files, digests, Lake ingestion, Insights) is run
    /// while serving, e.g. 10s; `0s` turns the background loop off.
    #[arg(long, default_value = "10s", value_parser = crate::cli::parse_duration)]
    pub deliver_every: chrono::Duration,
}

pub fn run(state_dir: &std::path::Path, args: &ServeArgs) -> Result<ExitCode> {
    run_with(state_dir, args, false)
}

/// `ctsim console`: serve, then open the console in a browser when there is a display
/// (else print its URL).
pub fn console(state_dir: &std::path::Path, args: &ServeArgs) -> Result<ExitCode> {
    run_with(state_dir, args, true)
}

fn run_with(state_dir: &std::path::Path, args: &ServeArgs, open_console: bool) -> Result<ExitCode> {
    init_tracing();
    let sim = crate::Simulator::open(state_dir)
        .map_err(|e| anyhow::anyhow!("opening {}: {e}", state_dir.display()))?;
    let account = sim
        .setting(settings::DEFAULT_ACCOUNT_ID)
        .ok()
        .flatten()
        .unwrap_or_else(|| crate::context::DEFAULT_ACCOUNT_ID.into());
    let user = sim
        .setting(settings::DEFAULT_USER_NAME)
        .ok()
        .flatten()
        .unwrap_or_else(|| crate::context::DEFAULT_USER_NAME.into());
    let file = args
        .credentials
        .clone()
        .unwrap_or_else(|| Credentials::default_file(state_dir));
    if args.credentials.is_some() && !file.exists() {
        anyhow::bail!("credentials file {} does not exist", file.display());
    }
    let credentials =
        Credentials::load(Some(&file), &account, &user).map_err(anyhow::Error::msg)?;
    let limits = Limits {
        max_body_bytes: args.max_body_bytes,
        max_header_bytes: args.max_header_bytes.max(1024),
        request_timeout: Duration::from_secs(args.request_timeout.max(1)),
    };
    let sim = Arc::new(sim);
    // Calls are answered while passes run: short, spaced-out passes, so that no call waits
    // long.
    pipeline::bound_passes_for_serving();
    // Deliver as time passes, as CloudTrail does, without waiting for the next request.
    let due_work = args
        .deliver_every
        .to_std()
        .ok()
        .filter(|every| !every.is_zero())
        .map(|every| pipeline::spawn_due_work_loop(Arc::clone(&sim), every));
    let server = Arc::new(Server::new(sim, credentials, limits));
    let mut rt = tokio::runtime::Builder::new_multi_thread();
    rt.enable_all();
    if let Some(n) = args.threads {
        rt.worker_threads(n.max(1));
    }
    let rt = rt.build().context("starting the async runtime")?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind((args.bind, args.port))
            .await
            .with_context(|| format!("listening on {}:{}", args.bind, args.port))?;
        let addr = listener.local_addr()?;
        // The first stdout line is for scripts and tests waiting for the port. Write errors are
        // ignored: whoever started us may have closed our stdout.
        // The warning comes first: whoever waits for the listening line has seen it.
        if let Some(warning) = exposure_warning(addr.ip()) {
            eprintln!("{warning}");
        }
        say(&format!("ctsim serve listening on http://{addr}"));
        say(&format!(
            "state {}; credentials test/test -> account {account}, user {user}",
            state_dir.display()
        ));
        let console_url = format!("http://{addr}{}", crate::console::PREFIX);
        if open_console && open_browser(&console_url) {
            say(&format!("console opened in the browser: {console_url}"));
        } else {
            say(&format!("console: {console_url}"));
        }
        server::serve(listener, server, server::shutdown_signal())
            .await
            .context("serving")?;
        Ok::<_, anyhow::Error>(())
    })?;
    if let Some(due_work) = due_work {
        due_work.stop();
    }
    say("ctsim serve stopped");
    Ok(ExitCode::SUCCESS)
}

/// The warning printed when `--bind` names an address other machines can reach.
pub fn exposure_warning(ip: IpAddr) -> Option<String> {
    (!ip.is_loopback()).then(|| {
        format!(
            "warning: ctsim serve is listening on {ip}, which is not a loopback address: \
             anyone who can reach it and knows an access key (test/test by default) can read \
             and change this state folder. Use --bind 127.0.0.1 (the default) unless other \
             machines must reach it."
        )
    })
}

/// Opens `url` with xdg-open when a display is there (DISPLAY or WAYLAND_DISPLAY set and
/// xdg-open on PATH). Returns whether it was started.
fn open_browser(url: &str) -> bool {
    let display = ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()));
    if !display {
        return false;
    }
    std::process::Command::new("xdg-open")
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|mut child| {
            // Reap xdg-open when it exits (it returns once the browser has the URL).
            std::thread::spawn(move || {
                let _ = child.wait();
            });
        })
        .is_ok()
}

fn say(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// Access and server logs on stderr; `RUST_LOG` overrides the default `info` with a level,
/// levels per target, or both (`warn`, `ctsim=debug,hyper=warn`). A `Targets` filter
/// rather than an `EnvFilter`: the same directives less span and regex matching, which no
/// one needs here and which compiled the regex engine into every build.
fn init_tracing() {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::prelude::*;
    let filter = std::env::var("RUST_LOG")
        .ok()
        .filter(|directives| !directives.trim().is_empty())
        .and_then(|directives| directives.parse::<Targets>().ok())
        .unwrap_or_else(|| Targets::new().with_default(LevelFilter::INFO));
    let _ = tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_ansi(false),
        )
        .with(filter)
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        serve: ServeArgs,
    }

    #[test]
    fn serve_listens_on_loopback_unless_told_otherwise() {
        let args = Cli::try_parse_from(["serve"])
            .expect("defaults parse")
            .serve;
        assert!(args.bind.is_loopback(), "{}", args.bind);
        assert_eq!(exposure_warning(args.bind), None);
        let v6 = Cli::try_parse_from(["serve", "--bind", "::1"]).expect("::1 parses");
        assert_eq!(exposure_warning(v6.serve.bind), None);
    }

    #[test]
    fn serve_warns_when_bound_beyond_loopback() {
        for addr in ["0.0.0.0", "::", "192.168.1.10"] {
            let args = Cli::try_parse_from(["serve", "--bind", addr]).expect("address parses");
            let warning = exposure_warning(args.serve.bind).expect("a warning");
            assert!(warning.contains("not a loopback address"), "{warning}");
            assert!(warning.contains("--bind 127.0.0.1"), "{warning}");
        }
    }
}
