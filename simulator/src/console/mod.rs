//! The console: a local CloudTrail console served by `ctsim serve` under `/console`
//! (event history, trails, Insights, Lake, compliance), plain server-rendered HTML with a
//! little JavaScript, its assets embedded in the binary.
//!
//! It reads the simulator through the service functions without being recorded, as the
//! command line's operator views do (`ctsim events`, `ctsim trails`): looking does not change
//! what there is to see. The two actions that change state, running and cancelling a Lake
//! query, go through the facade like any client's call (and are recorded), and only as a
//! POST carrying the console's CSRF token ([`security`]).
//!
//! One file per page; [`html`] holds the one escaping function every value goes through.

pub mod compliance;
pub mod events;
pub mod html;
pub mod insights;
pub mod lake;
pub mod security;
pub mod trails;

#[cfg(test)]
mod tests;

use crate::error::AwsError;
use crate::server::sigv4::query_pairs;
use crate::server::{Incoming, Reply};
use crate::simulator::Simulator;

const CSS: &str = include_str!("assets/console.css");
const JS: &str = include_str!("assets/console.js");

/// The path prefix the console is served under.
pub const PREFIX: &str = "/console";

/// Whether a request is for the console rather than an AWS protocol: a path under
/// `/console` and nothing that signs it for AWS (no `Authorization` header, no presigned
/// query, no `X-Amz-Target`). A signed request for a bucket named `console` still reaches
/// S3 and its SigV4 checks; an unsigned one would have been refused there anyway.
pub fn is_console_request(req: &Incoming) -> bool {
    let under = req.raw_path == PREFIX || req.raw_path.starts_with("/console/");
    under
        && req.header("authorization").is_none()
        && req.header("x-amz-target").is_none()
        && !req.raw_query.contains("X-Amz-Credential")
        && !req.raw_query.contains("X-Amz-Signature")
}

/// A page's answer before it becomes a [`Reply`].
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// A whole page: the layout around `body`.
    Page {
        title: String,
        nav: html::Nav,
        body: String,
    },
    /// 303 See Other (after a POST).
    Redirect(String),
    /// A file to download or a fragment for the page's script.
    Raw {
        content_type: &'static str,
        body: Vec<u8>,
        filename: Option<String>,
    },
}

impl Answer {
    pub fn page(title: impl Into<String>, nav: html::Nav, body: String) -> Answer {
        Answer::Page {
            title: title.into(),
            nav,
            body,
        }
    }
}

/// A failure shown to the user as an HTML page with its status code.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub status: u16,
    pub message: String,
}

impl Failure {
    pub fn new(status: u16, message: impl Into<String>) -> Failure {
        Failure {
            status,
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Failure {
        Failure::new(404, message)
    }

    pub fn bad_request(message: impl Into<String>) -> Failure {
        Failure::new(400, message)
    }
}

impl From<AwsError> for Failure {
    fn from(e: AwsError) -> Failure {
        let status = if (400..600).contains(&e.http_status) {
            e.http_status
        } else {
            500
        };
        Failure::new(status, format!("{}: {}", e.code, e.message))
    }
}

pub type Outcome = Result<Answer, Failure>;

/// The request as pages see it: the path below `/console`, the decoded query and form.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub form: Vec<(String, String)>,
}

impl Request {
    /// A query parameter ("" when absent).
    pub fn get(&self, key: &str) -> &str {
        lookup(&self.query, key)
    }

    /// A form field ("" when absent).
    pub fn field(&self, key: &str) -> &str {
        lookup(&self.form, key)
    }

    /// A request for `path` with the query `params` (tests and the bench).
    pub fn get_of(path: &str, params: &[(&str, &str)]) -> Request {
        Request {
            method: "GET".into(),
            path: path.into(),
            query: params
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            form: Vec::new(),
        }
    }
}

fn lookup<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
}

/// The console of one server process: its CSRF token.
pub struct Console {
    token: String,
}

impl Default for Console {
    fn default() -> Self {
        Console::new()
    }
}

impl Console {
    pub fn new() -> Console {
        Console {
            token: security::new_token(),
        }
    }

    /// A console with a known token (tests).
    pub fn with_token(token: &str) -> Console {
        Console {
            token: token.to_string(),
        }
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    /// Answers one HTTP request under `/console`.
    pub fn handle(&self, sim: &Simulator, req: &Incoming) -> Reply {
        if let Err(f) = security::check_host(req) {
            return reply_failure(&f, &sim_now(sim));
        }
        let path = req.raw_path[PREFIX.len()..].to_string();
        let mut request = Request {
            method: req.method.clone(),
            path: if path.is_empty() { "/".into() } else { path },
            query: query_pairs(&req.raw_query),
            form: Vec::new(),
        };
        if req.method == "POST" {
            if let Err(f) = security::check_post(req, &self.token) {
                return reply_failure(&f, &sim_now(sim));
            }
            request.form = query_pairs(&String::from_utf8_lossy(&req.body));
            if let Err(f) = security::check_token(request.field("csrf"), &self.token) {
                return reply_failure(&f, &sim_now(sim));
            }
        }
        match request.path.as_str() {
            "/assets/console.css" => return asset("text/css; charset=utf-8", CSS),
            "/assets/console.js" => return asset("text/javascript; charset=utf-8", JS),
            _ => {}
        }
        let outcome = self.route(sim, &request);
        let now = sim_now(sim);
        match outcome {
            Ok(answer) => reply_answer(answer, &now),
            Err(f) => reply_failure(&f, &now),
        }
    }

    /// The page for a request (no HTTP): what tests and the bench call.
    pub fn route(&self, sim: &Simulator, req: &Request) -> Outcome {
        let get = req.method == "GET" || req.method == "HEAD";
        let post = req.method == "POST";
        match req.path.as_str() {
            "/" | "" if get => Ok(Answer::Redirect("/console/events".into())),
            "/events" if get => events::page(sim, req),
            "/events/head" if get => events::head(sim, req),
            "/trails" if get => trails::list(sim),
            "/trails/detail" if get => trails::detail(sim, req),
            "/trails/file" if get => trails::file(sim, req),
            "/trails/validate" if get => trails::validate(sim, req),
            "/insights" if get => insights::page(sim, req),
            "/lake" if get => lake::page(sim, req, &self.token),
            "/lake/csv" if get => lake::csv(sim, req),
            "/lake/run" if post => lake::run(sim, req),
            "/lake/cancel" if post => lake::cancel(sim, req),
            "/compliance" if get => compliance::page(sim),
            "/" | "" | "/events" | "/events/head" | "/trails" | "/trails/detail"
            | "/trails/file" | "/trails/validate" | "/insights" | "/lake" | "/lake/csv"
            | "/compliance" => Err(Failure::new(405, "This page is read with GET.")),
            "/lake/run" | "/lake/cancel" => Err(Failure::new(
                405,
                "This action changes state: it takes a POST from the console's form.",
            )),
            other => Err(Failure::not_found(format!(
                "There is no console page {}{other}.",
                PREFIX
            ))),
        }
    }
}

fn sim_now(sim: &Simulator) -> String {
    crate::clock::iso_seconds(sim.now())
}

/// Headers every console answer carries: no caching, no framing, no sniffing, and a policy
/// that allows only our own script and stylesheet (no inline script can run even if some
/// markup slipped through).
fn secure(reply: Reply) -> Reply {
    reply
        .header(
            "content-security-policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
             connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        )
        .header("x-content-type-options", "nosniff")
        .header("x-frame-options", "DENY")
        .header("referrer-policy", "no-referrer")
        .header("cache-control", "no-store")
}

fn bare(status: u16) -> Reply {
    Reply {
        status,
        headers: Vec::new(),
        body: Vec::new(),
        request_id: String::new(),
        operation: "console".into(),
    }
}

fn asset(content_type: &str, text: &str) -> Reply {
    secure(bare(200))
        .header("content-type", content_type)
        .body(text.as_bytes().to_vec())
}

fn reply_answer(answer: Answer, now: &str) -> Reply {
    match answer {
        Answer::Page { title, nav, body } => secure(bare(200))
            .header("content-type", "text/html; charset=utf-8")
            .body(html::page(&title, nav, now, &body).into_bytes()),
        Answer::Redirect(to) => secure(bare(303)).header("location", &to),
        Answer::Raw {
            content_type,
            body,
            filename,
        } => {
            let mut r = secure(bare(200)).header("content-type", content_type);
            if let Some(name) = filename {
                let safe: String = name
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                    .collect();
                r = r.header(
                    "content-disposition",
                    &format!("attachment; filename=\"{safe}\""),
                );
            }
            r.body(body)
        }
    }
}

/// An error page: the status, what went wrong (escaped) and a way back.
pub fn reply_failure(f: &Failure, now: &str) -> Reply {
    let title = match f.status {
        400 => "Bad request",
        403 => "Forbidden",
        404 => "Not found",
        405 => "Method not allowed",
        s if s >= 500 => "Something went wrong",
        _ => "Request failed",
    };
    let body = format!(
        "<p class=\"error\">{}</p><p><a href=\"/console/events\">Back to the event history</a></p>",
        html::esc(&f.message)
    );
    let mut r = secure(bare(f.status))
        .header("content-type", "text/html; charset=utf-8")
        .body(html::page(title, html::Nav::None, now, &body).into_bytes());
    if f.status == 405 {
        r = r.header("allow", "GET, POST");
    }
    r
}
