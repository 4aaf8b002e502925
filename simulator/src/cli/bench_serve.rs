//! `ctsim bench serve`: signed DescribeTrails (5 trails) and LookupEvents against `ctsim
//! serve` running in this process (with its background loop and WAL checkpoints, as the
//! command runs it), under wrk (`-t2 -c32` by default; a built-in hyper load generator when
//! wrk is not installed). Measured in the same run: the floor, the same load against a
//! trivial hyper handler (fixed 200, no signature, no store); the facade alone, in-process;
//! and with `--moto`, moto_server (from PyPI, in the bench's own venv) under the same load.
//! With `--background`, DescribeTrails once more while serve's background work (delivery,
//! Lake ingestion, Insights) has as much to do as the requests give it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;
use serde_json::json;

use super::bench_support::{aws, cpu_seconds, create_log_bucket, ratio, temp_simulator};
use crate::server::batch::WaitCounts;
use crate::server::{self, Limits, Server, credentials::Credentials, sigv4};

#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// Seconds of load per phase.
    #[arg(long, default_value_t = 5)]
    pub seconds: u64,
    /// Keep-alive connections.
    #[arg(long, default_value_t = 32)]
    pub connections: usize,
    /// Load-generator threads (the server gets the same number of worker threads).
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
    /// The load generator: wrk (when it is on PATH) or the built-in one.
    #[arg(long, value_enum, default_value_t = LoadGenerator::Auto)]
    pub load: LoadGenerator,
    /// Also measure moto_server under the same load (installed from PyPI into --venv).
    #[arg(long)]
    pub moto: bool,
    /// The Python venv holding moto_server (created when missing).
    #[arg(long, env = "CTSIM_BENCH_VENV", default_value = "target/bench-venv")]
    pub venv: PathBuf,
    /// Also measure DescribeTrails while the background work `ctsim serve` does is kept
    /// busy: a trail delivers every call (the clock moves a minute every 200 ms, so 5-minute
    /// windows close), a Lake event data store ingests every management event, Insights
    /// counts the trail's calls, and the WAL is checkpointed.
    #[arg(long)]
    pub background: bool,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadGenerator {
    Auto,
    Wrk,
    Builtin,
}

/// What one phase measured.
struct Phase {
    requests: u64,
    failures: u64,
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    /// Against ctsim: how long the calls waited for their commit, server side.
    commit_waits: Option<WaitCounts>,
}

impl Phase {
    fn line(&self, name: &str) -> String {
        let mut line = format!(
            "{name:<28} {:>10.0} req/s   p50 {:>6.2} ms   p99 {:>6.2} ms   ({} requests, {} failed)",
            self.rps, self.p50_ms, self.p99_ms, self.requests, self.failures
        );
        if let Some(w) = &self.commit_waits {
            line.push_str(&format!(
                "\n  server side, waiting for the commit: p50 {:.1} ms, p99 {:.1} ms, p99.9 {:.1} ms",
                w.quantile_ms(0.50),
                w.quantile_ms(0.99),
                w.quantile_ms(0.999)
            ));
        }
        line
    }
}

/// [`load`] against ctsim's server, with how long its calls waited for their commit.
fn load_served(
    server: &Server,
    addr: SocketAddr,
    request: Signed,
    args: &Args,
    wrk: bool,
) -> Result<Phase> {
    let before = server.commit_waits();
    let mut phase = load(addr, request, args, wrk)?;
    phase.commit_waits = Some(server.commit_waits().since(&before));
    Ok(phase)
}

/// The latency at quantile `p` of sorted microsecond latencies, in milliseconds.
fn quantile_ms(sorted_us: &[u32], p: f64) -> f64 {
    if sorted_us.is_empty() {
        return 0.0;
    }
    let i = ((sorted_us.len() as f64 - 1.0) * p).round() as usize;
    sorted_us[i.min(sorted_us.len() - 1)] as f64 / 1000.0
}

/// Headers and body of one signed JSON 1.1 call, signed once (valid for 15 minutes).
fn signed_call(addr: SocketAddr, operation: &str, body: &str) -> (Vec<(String, String)>, Bytes) {
    let host = addr.to_string();
    let target = format!("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.{operation}");
    let call = sigv4::JsonCall {
        user_agent: Some("ctsim-bench/1"),
        ..sigv4::JsonCall::local(&host, "cloudtrail", &target)
    };
    let headers = sigv4::sign_json_call(&call, body.as_bytes(), chrono::Utc::now());
    (headers, Bytes::copy_from_slice(body.as_bytes()))
}

/// One signed request, sent over and over.
type Signed = (Vec<(String, String)>, Bytes);

/// Loads `addr` with `request` using the chosen generator.
fn load(addr: SocketAddr, request: Signed, args: &Args, wrk: bool) -> Result<Phase> {
    if wrk {
        load_wrk(addr, &request, args)
    } else {
        load_builtin(addr, request, args)
    }
}

/// wrk with a Lua script that sends the signed request (a SigV4 signature stays valid for
/// 15 minutes and may be replayed, as with AWS).
fn load_wrk(addr: SocketAddr, request: &Signed, args: &Args) -> Result<Phase> {
    let dir = tempfile::tempdir()?;
    let script = dir.path().join("request.lua");
    let lua_string = |s: &str| format!("{s:?}");
    let mut lua = String::from("wrk.method = \"POST\"\n");
    lua.push_str(&format!(
        "wrk.body = {}\n",
        lua_string(&String::from_utf8_lossy(&request.1))
    ));
    for (k, v) in &request.0 {
        // wrk adds its own `Host` unless the script sets that exact name; two would break
        // the signature.
        let name = if k.eq_ignore_ascii_case("host") {
            "Host"
        } else {
            k
        };
        lua.push_str(&format!(
            "wrk.headers[{}] = {}\n",
            lua_string(name),
            lua_string(v)
        ));
    }
    std::fs::write(&script, lua)?;
    let out = Command::new("wrk")
        .arg(format!("-t{}", args.threads.max(1)))
        .arg(format!("-c{}", args.connections.max(1)))
        .arg(format!("-d{}s", args.seconds.max(1)))
        .arg("--latency")
        .arg("-s")
        .arg(&script)
        .arg(format!("http://{addr}/"))
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| anyhow!("running wrk: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        anyhow::bail!("wrk failed: {text}");
    }
    parse_wrk(&text).ok_or_else(|| anyhow!("cannot read wrk's report:\n{text}"))
}

/// Reads requests, failures, requests/s and the 50th/99th percentiles from wrk's report.
fn parse_wrk(text: &str) -> Option<Phase> {
    let field = |prefix: &str| {
        text.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(prefix))
            .map(str::trim)
    };
    let rps: f64 = field("Requests/sec:")?.parse().ok()?;
    let requests: u64 = text
        .lines()
        .find(|l| l.contains("requests in"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let failures: u64 = field("Non-2xx or 3xx responses:")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
        + field("Socket errors:").map_or(0, |_| 1);
    let p50_ms = duration_ms(field("50%")?)?;
    let p99_ms = duration_ms(field("99%")?)?;
    Some(Phase {
        requests,
        failures,
        rps,
        p50_ms,
        p99_ms,
        commit_waits: None,
    })
}

/// wrk's durations: `812.00us`, `1.23ms`, `2.01s`, `1.50m`.
fn duration_ms(s: &str) -> Option<f64> {
    let split = s.find(|c: char| c.is_ascii_alphabetic())?;
    let (n, unit) = s.split_at(split);
    let n: f64 = n.parse().ok()?;
    Some(match unit {
        "us" => n / 1000.0,
        "ms" => n,
        "s" => n * 1000.0,
        "m" => n * 60_000.0,
        _ => return None,
    })
}

/// Runs `connections` keep-alive connections for `seconds`, each sending the request
/// over and over, on a runtime of `threads` threads.
fn load_builtin(addr: SocketAddr, request: Signed, args: &Args) -> Result<Phase> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.threads.max(1))
        .enable_all()
        .build()?;
    let request = Arc::new(request);
    let duration = Duration::from_secs(args.seconds.max(1));
    rt.block_on(async move {
        let started = Instant::now();
        let deadline = started + duration;
        let mut tasks = Vec::new();
        for _ in 0..args.connections.max(1) {
            let request = request.clone();
            tasks.push(tokio::spawn(async move {
                let mut lat: Vec<u32> = Vec::with_capacity(1 << 16);
                let mut failures = 0u64;
                let stream = tokio::net::TcpStream::connect(addr).await?;
                stream.set_nodelay(true)?;
                let (mut sender, conn) =
                    hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
                tokio::spawn(conn);
                while Instant::now() < deadline {
                    let mut b = Request::builder().method("POST").uri("/");
                    for (k, v) in &request.0 {
                        b = b.header(k.as_str(), v.as_str());
                    }
                    let req = b.body(Full::new(request.1.clone()))?;
                    let t = Instant::now();
                    let resp = sender.send_request(req).await?;
                    let ok = resp.status().is_success();
                    resp.into_body().collect().await?;
                    lat.push(t.elapsed().as_micros().min(u32::MAX as u128) as u32);
                    if !ok {
                        failures += 1;
                    }
                }
                Ok::<_, anyhow::Error>((lat, failures))
            }));
        }
        let mut latencies = Vec::new();
        let mut failures = 0;
        for t in tasks {
            let (l, f) = t.await??;
            latencies.extend(l);
            failures += f;
        }
        let elapsed = started.elapsed();
        latencies.sort_unstable();
        Ok(Phase {
            requests: latencies.len() as u64,
            failures,
            rps: ratio(latencies.len() as f64, elapsed.as_secs_f64()),
            p50_ms: quantile_ms(&latencies, 0.50),
            p99_ms: quantile_ms(&latencies, 0.99),
            commit_waits: None,
        })
    })
}

/// A server on its own runtime (`threads` workers) until the returned sender is dropped.
fn spawn_server<F, Fut>(
    threads: usize,
    serve: F,
) -> Result<(
    SocketAddr,
    std::thread::JoinHandle<()>,
    tokio::sync::oneshot::Sender<()>,
)>
where
    F: FnOnce(tokio::net::TcpListener, tokio::sync::oneshot::Receiver<()>) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()>,
{
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel();
    let handle = std::thread::spawn(move || {
        let rt = match tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads.max(1))
            .enable_all()
            .build()
        {
            Ok(rt) => rt,
            Err(e) => {
                let _ = addr_tx.send(Err(e.to_string()));
                return;
            }
        };
        rt.block_on(async move {
            match tokio::net::TcpListener::bind("127.0.0.1:0").await {
                Ok(l) => {
                    let _ = addr_tx.send(l.local_addr().map_err(|e| e.to_string()));
                    serve(l, stop_rx).await;
                }
                Err(e) => {
                    let _ = addr_tx.send(Err(e.to_string()));
                }
            }
        });
    });
    let addr = addr_rx
        .recv()
        .map_err(|_| anyhow!("server thread ended early"))?
        .map_err(|e| anyhow!("server: {e}"))?;
    Ok((addr, handle, stop_tx))
}

/// The floor: hyper answering a fixed JSON body.
async fn trivial(listener: tokio::net::TcpListener, mut stop: tokio::sync::oneshot::Receiver<()>) {
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                tokio::spawn(async move {
                    let svc = hyper::service::service_fn(|_req| async {
                        Ok::<_, std::convert::Infallible>(hyper::Response::new(Full::new(
                            Bytes::from_static(b"{\"trailList\":[]}"),
                        )))
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), svc)
                        .await;
                });
            }
            _ = &mut stop => return,
        }
    }
}

/// Whether wrk can be run.
fn wrk_available() -> bool {
    Command::new("wrk")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let wrk = match args.load {
        LoadGenerator::Wrk => {
            if !wrk_available() {
                anyhow::bail!("wrk is not installed (Debian: apt-get install wrk)");
            }
            true
        }
        LoadGenerator::Builtin => false,
        LoadGenerator::Auto => wrk_available(),
    };
    let (_tmp, sim) = temp_simulator()?;
    let ctx = sim.default_caller("us-east-1");
    create_log_bucket(&sim, &ctx, "bench-logs", true)?;
    for i in 0..5 {
        sim.invoke(
            &ctx,
            "cloudtrail",
            "CreateTrail",
            json!({"Name": format!("bench-{i}"), "S3BucketName": "bench-logs"}),
        )
        .map_err(aws)?;
    }
    // The simulator alone: DescribeTrails through the facade, one thread, no HTTP.
    let began = Instant::now();
    let cpu_before = cpu_seconds();
    let mut calls = 0u64;
    while began.elapsed() < Duration::from_secs(args.seconds.clamp(1, 2)) {
        sim.invoke(&ctx, "cloudtrail", "DescribeTrails", json!({}))
            .map_err(aws)?;
        calls += 1;
    }
    let in_process = calls as f64 / began.elapsed().as_secs_f64();
    let cpu_per_call_us = match (cpu_before, cpu_seconds()) {
        (Some(a), Some(b)) => format!("{:.0} us CPU per call", (b - a) * 1e6 / calls as f64),
        _ => String::new(),
    };
    let creds = Credentials::load(None, &ctx.account_id, "ctsim").map_err(anyhow::Error::msg)?;
    let server_state_dir = sim.state_dir().to_path_buf();
    let sim = Arc::new(sim);
    // As `ctsim serve` runs it: short passes, the background loop, and WAL checkpoints on
    // their thread.
    crate::pipeline::bound_passes_for_serving();
    let due_work = crate::pipeline::spawn_due_work_loop(sim.clone(), Duration::from_secs(10));
    let server = Arc::new(Server::new(sim.clone(), creds, Limits::default()));

    println!(
        "ctsim bench serve: {}, {} threads, {} connections, {} s per phase (loopback)",
        if wrk {
            "wrk"
        } else {
            "built-in load generator"
        },
        args.threads,
        args.connections,
        args.seconds
    );
    let (faddr, fthread, fstop) = spawn_server(args.threads, trivial)?;
    let floor = load(faddr, signed_call(faddr, "DescribeTrails", "{}"), args, wrk)?;
    drop(fstop);
    let _ = fthread.join();
    println!("{}", floor.line("floor (trivial hyper 200)"));
    println!(
        "{:<28} {in_process:>10.0} calls/s  (Simulator::invoke, one thread, recorded; {cpu_per_call_us})",
        "in-process DescribeTrails"
    );

    let s = server.clone();
    let (addr, thread, stop) = spawn_server(args.threads, move |l, stop| async move {
        let _ = server::serve(l, s, async {
            let _ = stop.await;
        })
        .await;
    })?;
    let describe = load_served(
        &server,
        addr,
        signed_call(addr, "DescribeTrails", "{}"),
        args,
        wrk,
    )?;
    println!("{}", describe.line("DescribeTrails (5 trails)"));
    let lookup = load_served(
        &server,
        addr,
        signed_call(addr, "LookupEvents", r#"{"MaxResults":10}"#),
        args,
        wrk,
    )?;
    println!("{}", lookup.line("LookupEvents (10 newest)"));
    let busy = if args.background {
        let (phase, work) = with_background_work(&sim, &ctx, || {
            load_served(
                &server,
                addr,
                signed_call(addr, "DescribeTrails", "{}"),
                args,
                wrk,
            )
        })?;
        println!("{}", phase.line("DescribeTrails, background"));
        println!("  background work meanwhile: {work}");
        Some(phase)
    } else {
        None
    };
    drop(stop);
    let _ = thread.join();
    let (catch_ups, longest_hold) = due_work.wal_catch_ups();
    due_work.stop();
    let wal_mib = std::fs::metadata(server_state_dir.join("ctsim.db-wal"))
        .map_or(0.0, |m| m.len() as f64 / (1024.0 * 1024.0));
    println!(
        "WAL: caught up {catch_ups} times (commits held back at most {:.1} ms); {wal_mib:.0} MiB on disk at the end",
        longest_hold.as_secs_f64() * 1e3
    );
    println!(
        "ratio DescribeTrails / floor: {:.3}   LookupEvents / floor: {:.3}",
        ratio(describe.rps, floor.rps),
        ratio(lookup.rps, floor.rps)
    );
    let mut failures =
        describe.failures + lookup.failures + busy.as_ref().map_or(0, |b| b.failures);
    if args.moto {
        let moto = measure_moto(args, wrk)?;
        println!("{}", moto.line("moto_server DescribeTrails"));
        println!(
            "ratio ctsim / moto_server (DescribeTrails): {:.1}x",
            ratio(describe.rps, moto.rps)
        );
        failures += moto.failures;
    }
    let met = describe.rps >= 25_000.0 && describe.p99_ms < 10.0;
    if let Some(busy) = &busy {
        println!(
            "target with background work (DescribeTrails p99 < 10 ms): {}",
            if busy.p99_ms < 10.0 { "met" } else { "not met" }
        );
    }
    println!(
        "target (DescribeTrails >= 25000 req/s, p99 < 10 ms): {}",
        if met { "met" } else { "not met" }
    );
    if failures > 0 {
        anyhow::bail!("some requests failed");
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `measure` while the background jobs have work: one trail logging (every call is a
/// management event it delivers), a Lake event data store for every management event,
/// Insights on that trail, and a thread moving the fixed clock a minute
/// every 200 ms (each move runs the work that came due, as `ctsim clock advance` from
/// another process makes the background loop do). Returns what `measure` returned and a
/// summary of the work done meanwhile.
fn with_background_work<T>(
    sim: &Arc<crate::Simulator>,
    ctx: &crate::CallerContext,
    measure: impl FnOnce() -> Result<T>,
) -> Result<(T, String)> {
    let fs = json!({"Field": "eventCategory", "Equals": ["Management"]});
    let created = sim
        .invoke(
            ctx,
            "cloudtrail",
            "CreateEventDataStore",
            json!({"Name": "bench-lake", "AdvancedEventSelectors": [
                {"Name": "management", "FieldSelectors": [fs]}
            ]}),
        )
        .map_err(aws)?;
    let eds_arn = created["EventDataStoreArn"]
        .as_str()
        .ok_or_else(|| anyhow!("no event data store ARN"))?
        .to_string();
    sim.invoke(
        ctx,
        "cloudtrail",
        "StartLogging",
        json!({"Name": "bench-0"}),
    )
    .map_err(aws)?;
    sim.invoke(
        ctx,
        "cloudtrail",
        "PutInsightSelectors",
        json!({"TrailName": "bench-0", "InsightSelectors": [{"InsightType": "ApiCallRateInsight"}]}),
    )
    .map_err(aws)?;
    let lake_events = |sim: &crate::Simulator| {
        sim.read(|db| Ok(db.eds_by_arn(&eds_arn)?.map_or(0, |e| e.events)))
            .map_err(aws)
    };
    let files_before = delivered_files(sim)?;
    let lake_before = lake_events(sim)?;
    sim.set_time(sim.now()).map_err(aws)?;
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mover = {
        let (sim, stop) = (sim.clone(), stop.clone());
        std::thread::spawn(move || -> Result<(u32, Duration)> {
            let (mut moves, mut longest) = (0u32, Duration::ZERO);
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(200));
                let began = Instant::now();
                sim.advance_time(chrono::Duration::minutes(1))
                    .map_err(aws)?;
                longest = longest.max(began.elapsed());
                moves += 1;
            }
            Ok((moves, longest))
        })
    };
    let measured = measure();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (moves, longest) = mover
        .join()
        .map_err(|_| anyhow!("the clock thread panicked"))??;
    let measured = measured?;
    let files = delivered_files(sim)?.saturating_sub(files_before);
    let ingested = lake_events(sim)? - lake_before;
    Ok((
        measured,
        format!(
            "{moves} clock moves (the longest, with the work it made due, {:.0} ms); \
             {files} log files delivered; {ingested} events ingested into Lake",
            longest.as_secs_f64() * 1e3
        ),
    ))
}

/// Log and Insights files delivered so far.
fn delivered_files(sim: &crate::Simulator) -> Result<usize> {
    sim.read_unrecorded(|env| crate::pipeline::delivered::list(env, None))
        .map(|files| files.len())
        .map_err(aws)
}

/// moto_server with a bucket and 5 trails, under the same DescribeTrails load.
fn measure_moto(args: &Args, wrk: bool) -> Result<Phase> {
    let python = moto_venv(&args.venv)?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let mut child = Command::new(args.venv.join("bin/moto_server"))
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| anyhow!("starting moto_server: {e}"))?;
    let measured = (|| {
        let up = Instant::now();
        while std::net::TcpStream::connect(addr).is_err() {
            if up.elapsed() > Duration::from_secs(60) {
                anyhow::bail!("moto_server did not start listening on {addr}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let setup = format!(
            "import boto3\n\
             c = dict(endpoint_url='http://{addr}', region_name='us-east-1', \
             aws_access_key_id='test', aws_secret_access_key='test')\n\
             boto3.client('s3', **c).create_bucket(Bucket='bench-logs')\n\
             ct = boto3.client('cloudtrail', **c)\n\
             for i in range(5): ct.create_trail(Name=f'bench-{{i}}', S3BucketName='bench-logs')\n\
             assert len(ct.describe_trails()['trailList']) == 5\n"
        );
        let status = Command::new(&python).arg("-c").arg(setup).status()?;
        if !status.success() {
            anyhow::bail!("creating the trails in moto_server failed");
        }
        load(addr, signed_call(addr, "DescribeTrails", "{}"), args, wrk)
    })();
    let _ = child.kill();
    let _ = child.wait();
    measured
}

/// The venv's python, after installing `moto[server]` into it if needed.
fn moto_venv(venv: &Path) -> Result<PathBuf> {
    let python = venv.join("bin/python");
    if venv.join("bin/moto_server").exists() {
        return Ok(python);
    }
    eprintln!("installing moto[server] into {} (once)", venv.display());
    let made = Command::new("python3")
        .arg("-m")
        .arg("venv")
        .arg(venv)
        .status()?;
    if !made.success() {
        anyhow::bail!("python3 -m venv {} failed", venv.display());
    }
    let installed = Command::new(venv.join("bin/pip"))
        .args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "moto[server]",
        ])
        .status()?;
    if !installed.success() {
        anyhow::bail!("pip install moto[server] failed");
    }
    Ok(python)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_wrk_report() {
        let report = "Running 5s test @ http://127.0.0.1:4566/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.20ms  600.00us  20.00ms   90.00%
  Latency Distribution
     50%  812.00us
     75%    1.20ms
     90%    2.00ms
     99%   12.50ms
  125000 requests in 5.00s, 30.00MB read
  Non-2xx or 3xx responses: 3
Requests/sec:  24999.50
Transfer/sec:      6.00MB
";
        let p = parse_wrk(report).unwrap(); // a complete report
        assert_eq!((p.requests, p.failures), (125_000, 3));
        assert!((p.rps - 24_999.5).abs() < 1e-6);
        assert!((p.p50_ms - 0.812).abs() < 1e-9 && (p.p99_ms - 12.5).abs() < 1e-9);
        assert_eq!(duration_ms("1.50m"), Some(90_000.0));
        assert!(parse_wrk("garbage").is_none());
    }
}
