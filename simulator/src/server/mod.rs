//! `ctsim serve`: the AWS wire protocols over HTTP, so the AWS CLI, boto3, the SDKs and the
//! provider's HTTP mode reach the simulator. Every request is verified with SigV4
//! ([`sigv4`], [`auth`], [`credentials`]), turned into `(service, operation, JSON)` by its
//! protocol ([`json11`], [`query`], [`s3`]) and sent through the facade ([`Simulator::invoke_many`], group commit: [`batch`]),
//! the single recording point; the response is written back in the protocol's shape.
//!
//! The HTTP layer (hyper on tokio) reads the body up to a size limit, runs the synchronous
//! protocol handler on the blocking pool, logs one access line per request
//! (target `ctsim::access`) and shuts down gracefully: on SIGINT/SIGTERM it stops
//! accepting and lets in-flight requests finish.

pub mod auth;
pub mod batch;
pub mod credentials;
pub mod json11;
pub mod operations;
pub mod query;
pub mod s3;
pub mod sigv4;
pub mod xml;

use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming as HyperBody;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;

use crate::error::AwsError;
use crate::simulator::Simulator;
use credentials::Credentials;

/// The default port: LocalStack's, so endpoint URLs written for it work unchanged.
pub const DEFAULT_PORT: u16 = 4566;
pub const DEFAULT_BIND: &str = "127.0.0.1";
/// Request bodies larger than this are refused (413) unless `--max-body-bytes` says more.
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024 * 1024;
/// Request heads (request line and headers) larger than this are refused in the
/// protocol's shape unless `--max-header-bytes` says more. AWS's own limits are smaller
/// (S3: 8 KiB of headers); SDK requests, session tokens included, stay under 8 KiB.
pub const DEFAULT_MAX_HEADER_BYTES: usize = 64 * 1024;
/// Headers per request; past this (or past hyper's buffer, sized from the header limit)
/// hyper answers 431 itself, before a protocol is known.
pub const MAX_HEADERS: usize = 500;
/// hyper's default read buffer (8 KiB + 100 lines of 4 KiB).
const HYPER_DEFAULT_BUF: usize = 8192 + 4096 * 100;
/// How long a client may take to send a request's headers and body.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// How long shutdown waits for in-flight requests.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Limits and timeouts.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_body_bytes: usize,
    pub max_header_bytes: usize,
    pub request_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_header_bytes: DEFAULT_MAX_HEADER_BYTES,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
        }
    }
}

/// The wire protocols.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// AWS JSON 1.1, and 1.0 for CloudWatch (`X-Amz-Target`).
    Json,
    /// The query protocol (`Action=...`), XML responses.
    Query,
    /// S3's REST-XML.
    S3,
}

/// Everything a protocol handler needs: the simulator and the known credentials.
pub struct Server {
    pub sim: Arc<Simulator>,
    batcher: batch::Batcher,
    pub credentials: Credentials,
    pub limits: Limits,
    request_seq: AtomicU64,
    request_seed: String,
    /// The browser console under `/console` (its CSRF token lives as long as the server).
    pub console: crate::console::Console,
}

/// A request with its body read.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub method: String,
    pub raw_path: String,
    pub raw_query: String,
    /// Header names as sent (lower-case with HTTP/1 in hyper), values as UTF-8 (lossy).
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    pub peer: IpAddr,
}

impl Incoming {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A response before it becomes HTTP.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub request_id: String,
    /// For the access log: the operation, when known.
    pub operation: String,
}

impl Reply {
    pub fn new(status: u16, request_id: &str) -> Reply {
        Reply {
            status,
            headers: vec![("x-amzn-requestid".into(), request_id.to_string())],
            body: Vec::new(),
            request_id: request_id.to_string(),
            operation: String::new(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn body(mut self, body: Vec<u8>) -> Reply {
        self.body = body;
        self
    }

    pub fn operation(mut self, op: &str) -> Reply {
        self.operation = op.to_string();
        self
    }
}

impl Server {
    pub fn new(sim: Arc<Simulator>, credentials: Credentials, limits: Limits) -> Server {
        let request_seed = format!(
            "serve:{}:{}",
            std::process::id(),
            chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
        );
        Server {
            batcher: batch::Batcher::start(sim.clone()),
            sim,
            credentials,
            limits,
            request_seq: AtomicU64::new(0),
            request_seed,
            console: crate::console::Console::new(),
        }
    }

    /// Runs one call (recorded like any call) from a handler on the blocking pool.
    pub fn invoke(
        &self,
        ctx: crate::context::CallerContext,
        service: &str,
        operation: &str,
        request: serde_json::Value,
    ) -> crate::simulator::Invocation {
        // The facade shares commits between concurrent blocking callers by itself.
        self.sim.invoke_detailed(&ctx, service, operation, request)
    }

    /// How long the calls the JSON protocols queued so far waited for their commit.
    pub fn commit_waits(&self) -> batch::WaitCounts {
        self.batcher.waits()
    }

    /// A request id for answers given before the simulator recorded anything (failed
    /// authentication, malformed requests).
    pub fn fresh_request_id(&self) -> String {
        let n = self.request_seq.fetch_add(1, Ordering::Relaxed);
        crate::ids::uuid_from(&self.request_seed, "http-request", n)
    }

    /// Which protocol a request speaks, from its headers and query.
    pub fn protocol_of(req: &Incoming) -> Protocol {
        if req.header("x-amz-target").is_some() {
            return Protocol::Json;
        }
        if query::is_query_request(req) {
            return Protocol::Query;
        }
        Protocol::S3
    }

    /// Handles one request (synchronously: it may wait on the store).
    pub fn handle(&self, req: &Incoming) -> Reply {
        match Self::protocol_of(req) {
            Protocol::Json => {
                let target = req.header("x-amz-target").unwrap_or_default().to_string();
                json11::handle(self, req, &target)
            }
            Protocol::Query => query::handle(self, req),
            Protocol::S3 => s3::handle(self, req),
        }
    }

    /// An error reply in the shape of `protocol`.
    pub fn error_reply(&self, protocol: Protocol, err: &AwsError, head: bool) -> Reply {
        let id = self.fresh_request_id();
        match protocol {
            Protocol::Json => json11::error_reply(err, &id),
            Protocol::Query => query::error_reply(err, &id, "iam"),
            Protocol::S3 => s3::error_reply(err, &id, None, head),
        }
    }
}

/// The request body, gunzipped when `Content-Encoding: gzip` says it is compressed (at
/// most `limit` bytes once inflated).
pub(crate) fn body_of(
    req: &Incoming,
    limit: usize,
) -> Result<std::borrow::Cow<'_, [u8]>, AwsError> {
    let gzip = req
        .header("content-encoding")
        .is_some_and(|e| e.split(',').any(|p| p.trim().eq_ignore_ascii_case("gzip")));
    if !gzip {
        return Ok(std::borrow::Cow::Borrowed(&req.body[..]));
    }
    let mut out = Vec::new();
    let decoder = flate2::read::GzDecoder::new(&req.body[..]);
    std::io::Read::read_to_end(
        &mut std::io::Read::take(decoder, limit as u64 + 1),
        &mut out,
    )
    .map_err(|e| AwsError::serialization(format!("Malformed gzip body: {e}")))?;
    if out.len() > limit {
        return Err(AwsError::new(
            "RequestEntityTooLarge",
            format!("Request body must be at most {limit} bytes"),
            413,
        ));
    }
    Ok(std::borrow::Cow::Owned(out))
}

fn to_response(reply: Reply) -> Response<Full<Bytes>> {
    let mut builder = Response::builder().status(reply.status);
    for (k, v) in &reply.headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    if !reply
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-length"))
    {
        builder = builder.header("content-length", reply.body.len());
    }
    builder
        .body(Full::new(Bytes::from(reply.body)))
        .unwrap_or_else(|_| {
            // Only reachable with a header value that is not valid HTTP; answer plainly.
            let mut r = Response::new(Full::new(Bytes::from_static(b"invalid response header")));
            *r.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
            r
        })
}

/// Reads a request (within the limits), handles it on the blocking pool and logs it.
async fn serve_one(
    server: Arc<Server>,
    peer: SocketAddr,
    req: Request<HyperBody>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let mut incoming = Incoming {
        method: parts.method.as_str().to_string(),
        raw_path: parts.uri.path().to_string(),
        raw_query: parts.uri.query().unwrap_or_default().to_string(),
        headers,
        body: Bytes::new(),
        peer: peer.ip(),
    };
    if crate::console::is_console_request(&incoming) {
        let reply = serve_console(&server, incoming.clone(), body).await;
        log_access(&incoming, &reply, started, peer);
        return Ok(to_response(reply));
    }
    let protocol = Server::protocol_of(&incoming);
    let head = incoming.method == "HEAD";
    let limit = server.limits.max_body_bytes;
    let declared_too_big = incoming
        .header("content-length")
        .and_then(|l| l.parse::<u64>().ok())
        .is_some_and(|l| l > limit as u64);
    let head_bytes = head_size(&incoming);
    let reply = if head_bytes > server.limits.max_header_bytes {
        server.error_reply(
            protocol,
            &head_too_large(protocol, server.limits.max_header_bytes),
            head,
        )
    } else if declared_too_big {
        server.error_reply(protocol, &too_large(protocol, limit), head)
    } else {
        let read = tokio::time::timeout(
            server.limits.request_timeout,
            Limited::new(body, limit).collect(),
        )
        .await;
        match read {
            Err(_) => server.error_reply(
                protocol,
                &AwsError::new(
                    "RequestTimeout",
                    "Your socket connection to the server was not read from or written to within the timeout period.",
                    400,
                ),
                head,
            ),
            Ok(Err(e)) if e.downcast_ref::<http_body_util::LengthLimitError>().is_some() => {
                server.error_reply(protocol, &too_large(protocol, limit), head)
            }
            Ok(Err(e)) => server.error_reply(
                protocol,
                &AwsError::client("IncompleteBody", format!("could not read the request body: {e}")),
                head,
            ),
            Ok(Ok(collected)) => {
                incoming.body = collected.to_bytes();
                if protocol == Protocol::Json && !uses_session_credentials(&incoming) {
                    // Verified and parsed here; only the simulator's work waits for a commit.
                    handle_json(&server, &incoming).await
                } else {
                let s = server.clone();
                let req = incoming.clone();
                match tokio::task::spawn_blocking(move || s.handle(&req)).await {
                    Ok(r) => r,
                    Err(e) => server.error_reply(
                        protocol,
                        &AwsError::internal(format!("request handler failed: {e}")),
                        head,
                    ),
                }
                }
            }
        }
    };
    log_access(&incoming, &reply, started, peer);
    Ok(to_response(reply))
}

/// One access-log line (target `ctsim::access`).
fn log_access(incoming: &Incoming, reply: &Reply, started: Instant, peer: SocketAddr) {
    let target = incoming
        .header("x-amz-target")
        .unwrap_or(&incoming.raw_path)
        .to_string();
    tracing::info!(
        target: "ctsim::access",
        method = %incoming.method,
        path = %target,
        operation = %reply.operation,
        status = reply.status,
        latency_us = started.elapsed().as_micros() as u64,
        request_id = %reply.request_id,
        peer = %peer,
        "request"
    );
}

/// Largest form the console accepts (a Lake statement is at most 10 000 characters).
const CONSOLE_MAX_BODY: usize = 256 * 1024;

/// A console request: its (small) form read, then the page built on the blocking pool,
/// since pages read the store.
async fn serve_console(server: &Arc<Server>, mut incoming: Incoming, body: HyperBody) -> Reply {
    let read = tokio::time::timeout(
        server.limits.request_timeout,
        Limited::new(body, CONSOLE_MAX_BODY).collect(),
    )
    .await;
    let now = crate::clock::iso_seconds(chrono::Utc::now());
    match read {
        Ok(Ok(collected)) => incoming.body = collected.to_bytes(),
        Ok(Err(_)) => {
            let f = crate::console::Failure::new(413, "The form is too large.");
            return crate::console::reply_failure(&f, &now);
        }
        Err(_) => {
            let f = crate::console::Failure::new(408, "The request took too long to send.");
            return crate::console::reply_failure(&f, &now);
        }
    }
    let s = server.clone();
    match tokio::task::spawn_blocking(move || s.console.handle(&s.sim, &incoming)).await {
        Ok(r) => r,
        Err(e) => crate::console::reply_failure(
            &crate::console::Failure::new(500, format!("the console page failed: {e}")),
            &now,
        ),
    }
}

/// A JSON-protocol request handled without leaving the runtime's worker: authentication
/// and parsing are CPU work, and the call itself is queued for the commit thread.
async fn handle_json(server: &Server, req: &Incoming) -> Reply {
    let target = req.header("x-amz-target").unwrap_or_default();
    match json11::prepare(server, req, target) {
        Ok(p) => {
            let call = crate::simulator::BatchCall {
                ctx: p.ctx,
                service: p.service.to_string(),
                operation: p.operation.clone(),
                request: p.request,
            };
            let inv = server.batcher.invoke(call).await;
            json11::finish(server, p.service, &p.operation, inv)
        }
        Err(reply) => reply,
    }
}

/// Temporary credentials (`ASIA...`) are looked up in the store, which may wait on the
/// commit thread: such requests take the blocking path.
fn uses_session_credentials(req: &Incoming) -> bool {
    req.header("authorization")
        .is_some_and(|a| a.contains("Credential=ASIA"))
        || req.raw_query.contains("Credential=ASIA")
}

/// The size of a request's head as sent: the request line and every header line.
pub fn head_size(req: &Incoming) -> usize {
    let line = req.method.len() + req.raw_path.len() + req.raw_query.len() + 12;
    line + req
        .headers
        .iter()
        .map(|(k, v)| k.len() + v.len() + 4)
        .sum::<usize>()
}

/// The error for a request head past the limit: S3's `RequestHeaderSectionTooLarge` (400),
/// and the same code with HTTP's 431 on the other protocols, which AWS documents no code for.
fn head_too_large(protocol: Protocol, limit: usize) -> AwsError {
    let message =
        format!("Your request header section exceeds the maximum allowed size ({limit} bytes).");
    let status = if protocol == Protocol::S3 { 400 } else { 431 };
    AwsError::new("RequestHeaderSectionTooLarge", message, status)
}

fn too_large(protocol: Protocol, limit: usize) -> AwsError {
    match protocol {
        Protocol::S3 => AwsError::new(
            "EntityTooLarge",
            format!("Your proposed upload exceeds the maximum allowed size ({limit} bytes)"),
            413,
        ),
        _ => AwsError::new(
            "RequestEntityTooLarge",
            format!("Request body must be at most {limit} bytes"),
            413,
        ),
    }
}

/// Accepts connections on `listener` until `shutdown` resolves, then waits (up to
/// [`SHUTDOWN_GRACE`]) for the requests in flight.
pub async fn serve(
    listener: TcpListener,
    server: Arc<Server>,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(server.limits.request_timeout)
        // Room for a head past the limit, so that it gets the protocol's answer.
        .max_buf_size(
            server
                .limits
                .max_header_bytes
                .saturating_mul(2)
                .max(HYPER_DEFAULT_BUF),
        )
        .max_headers(MAX_HEADERS)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(a) => a,
                    Err(e) => {
                        // Out of file descriptors and the like: back off, keep serving.
                        tracing::warn!("accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let s = server.clone();
                let svc = hyper::service::service_fn(move |req| serve_one(s.clone(), peer, req));
                let conn = http.serve_connection(TokioIo::new(stream), svc);
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    if let Err(e) = conn.await {
                        tracing::debug!("connection from {peer} ended: {e}");
                    }
                });
            }
            _ = &mut shutdown => break,
        }
    }
    drop(listener);
    tracing::info!("shutting down: waiting for in-flight requests");
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("some connections were still open after {SHUTDOWN_GRACE:?}");
    }
    Ok(())
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

#[cfg(test)]
mod fuzz_tests;
#[cfg(test)]
mod security_tests;
#[cfg(test)]
mod tests;
