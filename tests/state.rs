//! Helpers for the reliability tests (faults, crashes, concurrency): the real `ctsim`
//! binary on a state folder, a trail that delivers, and what a state folder holds.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::binaries;

pub const ACCOUNT: &str = "123456789012";
pub const BUCKET: &str = "audit-logs";
pub const TRAIL: &str = "audit";
pub const START: &str = "2026-01-01T00:00:00Z";

/// `ctsim ARGS` on `state` with extra environment variables.
pub fn ctsim_env(state: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(binaries().join("ctsim"))
        .args(args)
        .env("CTSIM_HOME", state)
        .env_remove("CTSIM_FAULT_DB_MAX_PAGES")
        .env_remove("CTSIM_FAULT_FILES_FULL_AFTER_BYTES")
        .envs(env.iter().copied())
        .output()
        .expect("running ctsim")
}

pub fn ctsim(state: &Path, args: &[&str]) -> Output {
    ctsim_env(state, args, &[])
}

/// `ctsim ARGS`, which must succeed; its stdout.
pub fn ctsim_ok(state: &Path, args: &[&str]) -> String {
    let out = ctsim(state, args);
    assert!(
        out.status.success(),
        "ctsim {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The trail's ARN.
pub fn trail_arn() -> String {
    format!("arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/{TRAIL}")
}

/// A state folder whose clock is fixed at [`START`], with a log bucket and a logging,
/// multi-region trail with log file validation (set up in-process, as a Terraform apply
/// would).
pub fn state_with_trail(state: &Path) {
    let sim = ctsim::Simulator::open(state).expect("open the state folder");
    let t0 = chrono::DateTime::parse_from_rfc3339(START)
        .expect("start instant")
        .with_timezone(&chrono::Utc);
    sim.set_time(t0).expect("set the clock");
    let ctx = ctsim::CallerContext::new(ACCOUNT, "us-east-1");
    let trail = ctsim::testing::LoggingTrail {
        bucket: BUCKET,
        trail: TRAIL,
        multi_region: true,
        log_file_validation: true,
        insights: false,
    };
    trail
        .create(&sim, &ctx)
        .unwrap_or_else(|e| panic!("the logging trail: {e}"));
}

/// Every file below `root` (relative paths), with its size.
pub fn files_under(root: &Path) -> BTreeMap<PathBuf, u64> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if let (Ok(rel), Ok(meta)) = (p.strip_prefix(root), entry.metadata()) {
                out.insert(rel.to_path_buf(), meta.len());
            }
        }
    }
    out
}

/// The delivered CloudTrail log files (not digests) in the bucket's folder: each must be a
/// complete gzip of a `{"Records": [...]}` document (a torn file fails here). Returns the
/// eventIDs of every record, in file order.
/// Real log files to ingest: a folder with a logging trail generates `count` records
/// (`seed`, 20 a second) and delivers them. Returns the trail's log folder and the number
/// of records delivered into it.
pub fn delivered_logs(state: &Path, count: u32, seed: u32) -> (PathBuf, u64) {
    state_with_trail(state);
    let (count, seed) = (count.to_string(), seed.to_string());
    ctsim_ok(
        state,
        &[
            "generate", "--count", &count, "--seed", &seed, "--rate", "20",
        ],
    );
    ctsim_ok(state, &["clock", "advance", "1h"]);
    let records = delivered_event_ids(state).len() as u64;
    let logs = state
        .join("s3")
        .join(BUCKET)
        .join(format!("AWSLogs/{ACCOUNT}/CloudTrail"));
    (logs, records)
}

pub fn delivered_event_ids(state: &Path) -> Vec<String> {
    let bucket = state.join("s3").join(BUCKET);
    let mut ids = Vec::new();
    for (rel, _) in files_under(&bucket) {
        let name = rel.to_string_lossy();
        if !name.contains("/CloudTrail/") || !name.ends_with(".json.gz") {
            continue;
        }
        let bytes = std::fs::read(bucket.join(&rel)).expect("read a delivered file");
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .unwrap_or_else(|e| panic!("{name} is not a complete gzip file: {e}"));
        let doc: serde_json::Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{name} is not a complete JSON document: {e}"));
        for r in doc["Records"].as_array().expect("Records") {
            ids.push(r["eventID"].as_str().expect("eventID").to_string());
        }
    }
    ids
}

/// How many events the state folder's history holds, and how many distinct eventIDs.
pub fn event_counts(state: &Path) -> (u64, u64) {
    let conn = rusqlite::Connection::open(state.join("ctsim.db")).expect("open ctsim.db");
    conn.busy_timeout(std::time::Duration::from_secs(30))
        .expect("busy timeout");
    conn.query_row(
        "SELECT COUNT(*), COUNT(DISTINCT event_id) FROM events",
        [],
        |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
    )
    .expect("count events")
}

/// stdout and stderr of a finished command.
pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A small deterministic random number generator (splitmix64): kill times come from a
/// seed, so a failing run can be repeated.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A whole number in `lo..hi`.
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo).max(1)
    }
}

/// SQLite's own checks of `ctsim.db`: the file is whole and its foreign keys hold.
pub fn assert_database_consistent(state: &Path) {
    let conn = rusqlite::Connection::open(state.join("ctsim.db")).expect("open ctsim.db");
    conn.busy_timeout(std::time::Duration::from_secs(30))
        .expect("busy timeout");
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    assert_eq!(integrity, "ok", "{}", state.display());
    let mut fk = conn
        .prepare("PRAGMA foreign_key_check")
        .expect("foreign_key_check");
    let broken = fk.query_map([], |_| Ok(())).expect("rows").count();
    assert_eq!(broken, 0, "foreign keys broken in {}", state.display());
}

/// SIGKILL to a process and everything in its process group (a child started with
/// `process_group(0)`), then reaps it.
pub fn kill_group(child: &mut std::process::Child) {
    let pid = child.id();
    let _ = Command::new("kill")
        .args(["-s", "KILL", "--", &format!("-{pid}")])
        .status();
    let _ = child.kill();
    let _ = child.wait();
}
