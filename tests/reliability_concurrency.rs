//! Several processes on one state folder at once: four `terraform apply`s (embedded
//! provider), `ctsim serve` under a stream of signed writes, `ctsim deliver --follow`, and
//! `ctsim clock advance` moving the clock under them. No "database is locked" (nor any
//! other store error) reaches a user, and the recorded events match the calls made.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use ctsim::server::sigv4::{JsonCall, sign_json_call};
use ctsim_e2e::state::*;
use ctsim_e2e::{TfWorkspace, binaries, combined};

const PER_APPLY: usize = 25;

fn config(i: usize) -> String {
    format!(
        r#"
provider "aws" {{
  region = "us-east-1"
}}

resource "aws_s3_bucket" "b" {{
  count  = {PER_APPLY}
  bucket = "concurrent-{i}-${{count.index}}"
}}

resource "aws_sns_topic" "t" {{
  count = {PER_APPLY}
  name  = "concurrent-{i}-${{count.index}}"
}}
"#
    )
}

/// One signed JSON 1.1 call (CloudWatch Logs CreateLogGroup) over a fresh connection;
/// returns the HTTP status line and the body.
fn create_log_group(port: u16, name: &str) -> (String, String) {
    let body = format!(r#"{{"logGroupName":"{name}"}}"#);
    let host = format!("127.0.0.1:{port}");
    let call = JsonCall::local(&host, "logs", "Logs_20140328.CreateLogGroup");
    let headers = sign_json_call(&call, body.as_bytes(), chrono::Utc::now());
    let mut req = "POST / HTTP/1.1\r\nconnection: close\r\n".to_string();
    for (k, v) in &headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str(&format!("content-length: {}\r\n\r\n{body}", body.len()));
    let mut conn = TcpStream::connect(&host).expect("connect to ctsim serve");
    conn.set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    conn.write_all(req.as_bytes()).expect("send");
    let mut out = String::new();
    conn.read_to_string(&mut out).expect("read the answer");
    let status = out.lines().next().unwrap_or_default().to_string();
    let body = out.split("\r\n\r\n").nth(1).unwrap_or_default().to_string();
    (status, body)
}

fn start_serve(state: &Path) -> (Child, u16) {
    let mut child = Command::new(binaries().join("ctsim"))
        .args(["serve", "--port", "0", "--deliver-every", "1s"])
        .env("CTSIM_HOME", state)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting ctsim serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut reader = BufReader::new(stdout);
    let mut line = String::new();
    reader.read_line(&mut line).expect("the listening line");
    std::thread::spawn(move || {
        let mut sink = String::new();
        while reader.read_line(&mut sink).map(|n| n > 0).unwrap_or(false) {
            sink.clear();
        }
    });
    let port = line
        .trim()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"));
    (child, port)
}

/// SIGTERM, then the process's stderr.
fn stop(mut child: Child) -> String {
    let _ = Command::new("kill")
        .args(["-s", "TERM", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut err);
    }
    err
}

fn count(state: &Path, sql: &str) -> u64 {
    let conn = rusqlite::Connection::open(state.join("ctsim.db")).expect("open ctsim.db");
    conn.busy_timeout(Duration::from_secs(30)).expect("busy");
    conn.query_row(sql, [], |r| r.get::<_, i64>(0))
        .expect("count") as u64
}

const LOCK_WORDS: [&str; 5] = [
    "database is locked",
    "is busy",
    "ServiceUnavailable",
    "InternalFailure",
    "panicked",
];

fn assert_no_store_error(who: &str, text: &str) {
    for w in LOCK_WORDS {
        assert!(!text.contains(w), "{who} reported {w:?}:\n{text}");
    }
}

#[test]
fn applies_serve_load_and_delivery_on_one_state_folder_lose_nothing_and_never_report_a_lock() {
    let began = Instant::now();
    let workspaces: Vec<TfWorkspace> = (0..4)
        .map(|i| TfWorkspace::new(&[("main.tf", &config(i))]))
        .collect();
    let state = workspaces[0].state.clone();
    state_with_trail(&state);
    let workspaces: Vec<TfWorkspace> = workspaces
        .into_iter()
        .map(|mut ws| {
            ws.state = state.clone();
            ws
        })
        .collect();
    for ws in &workspaces {
        ws.init();
    }

    let (serve, port) = start_serve(&state);
    let follow = Command::new(binaries().join("ctsim"))
        .args(["deliver", "--follow", "--every", "1s"])
        .env("CTSIM_HOME", &state)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting ctsim deliver --follow");

    let done = Arc::new(AtomicBool::new(false));
    // Load on serve: writes from three client threads until the applies are done.
    let load: Vec<_> = (0..3)
        .map(|t| {
            let done = done.clone();
            std::thread::spawn(move || {
                let mut made = 0u64;
                let mut failures = Vec::new();
                while !done.load(Ordering::Relaxed) || made < 20 {
                    let (status, body) = create_log_group(port, &format!("/load/{t}/{made}"));
                    if !status.contains(" 200 ") {
                        failures.push(format!("{status} {body}"));
                    }
                    made += 1;
                }
                (made, failures)
            })
        })
        .collect();
    // The clock moves under everyone: delivery has windows to close.
    let clock_state = state.clone();
    let clock_done = done.clone();
    let clock = std::thread::spawn(move || {
        let mut outputs = Vec::new();
        while !clock_done.load(Ordering::Relaxed) {
            let out = Command::new(binaries().join("ctsim"))
                .args(["clock", "advance", "1m"])
                .env("CTSIM_HOME", &clock_state)
                .output()
                .expect("ctsim clock advance");
            outputs.push((out.status.success(), combined(&out)));
            std::thread::sleep(Duration::from_millis(300));
        }
        outputs
    });
    let applies: Vec<_> = workspaces
        .iter()
        .map(|ws| {
            ws.terraform_command(
                &ws.dir,
                &["apply", "-auto-approve", "-no-color", "-lock=false"],
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting terraform apply")
        })
        .collect();
    let applied: Vec<_> = applies
        .into_iter()
        .map(|c| c.wait_with_output().expect("terraform apply"))
        .collect();
    done.store(true, Ordering::Relaxed);

    let mut calls = 0;
    for h in load {
        let (made, failures) = h.join().expect("load thread");
        assert!(
            failures.is_empty(),
            "serve answered with errors: {failures:?}"
        );
        calls += made;
    }
    for (ok, text) in clock.join().expect("clock thread") {
        assert_no_store_error("ctsim clock advance", &text);
        assert!(ok, "ctsim clock advance failed: {text}");
    }
    for (i, out) in applied.iter().enumerate() {
        let text = combined(out);
        assert_no_store_error(&format!("terraform apply {i}"), &text);
        assert!(out.status.success(), "terraform apply {i} failed:\n{text}");
    }
    let follow_err = stop(follow);
    assert_no_store_error("ctsim deliver --follow", &follow_err);
    assert!(!follow_err.contains("pass failed"), "{follow_err}");
    let serve_err = stop(serve);
    assert_no_store_error("ctsim serve", &serve_err);

    // Every call made is one event, and every resource exists once.
    let ok = "json_extract(record, '$.errorCode') IS NULL";
    assert_eq!(
        count(
            &state,
            &format!("SELECT COUNT(*) FROM events WHERE event_name = 'CreateLogGroup' AND {ok}")
        ),
        calls
    );
    assert_eq!(
        count(
            &state,
            &format!("SELECT COUNT(*) FROM events WHERE event_name = 'CreateBucket' AND {ok}")
        ),
        (4 * PER_APPLY + 1) as u64, // + the trail's log bucket
    );
    assert_eq!(
        count(
            &state,
            &format!("SELECT COUNT(*) FROM events WHERE event_name = 'CreateTopic' AND {ok}")
        ),
        (4 * PER_APPLY) as u64,
    );
    let (events, distinct) = event_counts(&state);
    assert_eq!(events, distinct);
    assert_database_consistent(&state);
    for ws in &workspaces {
        ws.assert_no_changes();
    }
    // Delivery kept up and stayed exactly-once while all of this ran.
    ctsim_ok(&state, &["deliver"]);
    let ids = delivered_event_ids(&state);
    let unique: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "an event was delivered twice");
    assert!(!ids.is_empty());
    eprintln!(
        "{calls} serve calls, {} applies, {} events, {} delivered records in {:?}",
        workspaces.len(),
        events,
        ids.len(),
        began.elapsed()
    );
}
