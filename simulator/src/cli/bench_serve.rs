//! `ctsim bench serve`: a load generator (hyper client, N threads, C keep-alive connections)
//! against `ctsim serve` running in this process: signed DescribeTrails with 5 trails, then
//! signed LookupEvents. The floor is the same load against a trivial hyper handler (fixed
//! 200 answer, no signature, no store) measured in the same run, so the ratio shows what
//! ctsim's protocol, SigV4 verification and recording cost on top of HTTP itself.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;
use serde_json::json;

use super::bench_support::{aws, create_log_bucket, ratio, temp_simulator};
use crate::server::{self, Limits, Server, credentials::Credentials, json11, sigv4};

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
}

/// What one phase measured.
struct Phase {
    requests: u64,
    failures: u64,
    elapsed: Duration,
    /// Sorted latencies, microseconds.
    latencies: Vec<u32>,
}

impl Phase {
    fn rps(&self) -> f64 {
        ratio(self.requests as f64, self.elapsed.as_secs_f64())
    }
    fn pct(&self, p: f64) -> f64 {
        if self.latencies.is_empty() {
            return 0.0;
        }
        let i = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        self.latencies[i.min(self.latencies.len() - 1)] as f64 / 1000.0
    }
    fn line(&self, name: &str) -> String {
        format!(
            "{name:<28} {:>10.0} req/s   p50 {:>6.2} ms   p99 {:>6.2} ms   ({} requests, {} failed)",
            self.rps(),
            self.pct(0.50),
            self.pct(0.99),
            self.requests,
            self.failures
        )
    }
}

/// Headers and body of one signed JSON 1.1 call, signed once (valid for 15 minutes).
fn signed_call(addr: SocketAddr, operation: &str, body: &str) -> (Vec<(String, String)>, Bytes) {
    let host = addr.to_string();
    let mut headers = vec![
        ("host".to_string(), host),
        ("content-type".to_string(), json11::CONTENT_TYPE.to_string()),
        (
            "x-amz-target".to_string(),
            format!("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.{operation}"),
        ),
        ("user-agent".to_string(), "ctsim-bench/1".to_string()),
    ];
    let added = sigv4::sign(
        "POST",
        "/",
        "",
        &headers,
        body.as_bytes(),
        "test",
        "test",
        None,
        "us-east-1",
        "cloudtrail",
        chrono::Utc::now(),
    );
    headers.extend(added);
    (headers, Bytes::copy_from_slice(body.as_bytes()))
}

/// Runs `connections` keep-alive connections for `seconds`, each sending the request
/// over and over, on a runtime of `threads` threads.
fn load(addr: SocketAddr, request: (Vec<(String, String)>, Bytes), args: &Args) -> Result<Phase> {
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
            elapsed,
            latencies,
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

pub fn run(args: &Args) -> Result<ExitCode> {
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
    let mut calls = 0u64;
    while began.elapsed() < Duration::from_secs(args.seconds.clamp(1, 2)) {
        sim.invoke(&ctx, "cloudtrail", "DescribeTrails", json!({}))
            .map_err(aws)?;
        calls += 1;
    }
    let in_process = calls as f64 / began.elapsed().as_secs_f64();
    let creds = Credentials::load(None, &ctx.account_id, "ctsim").map_err(anyhow::Error::msg)?;
    let server = Arc::new(Server::new(Arc::new(sim), creds, Limits::default()));

    println!(
        "ctsim bench serve: {} threads, {} connections, {} s per phase (loopback, this process)",
        args.threads, args.connections, args.seconds
    );
    let (faddr, fthread, fstop) = spawn_server(args.threads, trivial)?;
    let floor = load(faddr, signed_call(faddr, "DescribeTrails", "{}"), args)?;
    drop(fstop);
    let _ = fthread.join();
    println!("{}", floor.line("floor (trivial hyper 200)"));
    println!(
        "{:<28} {in_process:>10.0} calls/s (Simulator::invoke, one thread, recorded)",
        "in-process DescribeTrails"
    );

    let s = server.clone();
    let (addr, thread, stop) = spawn_server(args.threads, move |l, stop| async move {
        let _ = server::serve(l, s, async {
            let _ = stop.await;
        })
        .await;
    })?;
    let describe = load(addr, signed_call(addr, "DescribeTrails", "{}"), args)?;
    println!("{}", describe.line("DescribeTrails (5 trails)"));
    let lookup = load(
        addr,
        signed_call(addr, "LookupEvents", r#"{"MaxResults":10}"#),
        args,
    )?;
    println!("{}", lookup.line("LookupEvents (10 newest)"));
    drop(stop);
    let _ = thread.join();
    println!(
        "ratio DescribeTrails / floor: {:.3}   LookupEvents / floor: {:.3}",
        ratio(describe.rps(), floor.rps()),
        ratio(lookup.rps(), floor.rps())
    );
    if describe.failures + lookup.failures > 0 {
        anyhow::bail!("some requests failed");
    }
    Ok(ExitCode::SUCCESS)
}
