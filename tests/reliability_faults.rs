//! Faults at the store and file layers, through the real `ctsim` binary: a full disk while
//! appending events and while delivering log files, a read-only state folder, a damaged or
//! truncated `ctsim.db`, and a folder from a newer ctsim. Each one exits non-zero with a
//! message that names the state folder and says what to do, and loses nothing that was
//! answered before it.
//!
//! Also here: `ctsim serve`'s default binding, seen from the binary.
//!
//! The full disk is injected (`ctsim::faults`, docs/reliability.md): the database cannot
//! grow past a page count, or object files fail with ENOSPC after a byte budget.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

use ctsim_e2e::binaries;
use ctsim_e2e::state::*;

fn fresh() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let state = tmp.path().join("state");
    (tmp, state)
}

fn assert_advice(out: &std::process::Output, state: &Path, what: &str) {
    let all = text(out);
    assert!(!out.status.success(), "expected a failure: {all}");
    assert!(
        all.contains(&*state.to_string_lossy()),
        "names the folder: {all}"
    );
    assert!(all.contains(what), "says {what:?}: {all}");
    assert!(!all.contains("panicked"), "{all}");
}

fn page_count(state: &Path) -> u64 {
    let conn = rusqlite::Connection::open(state.join("ctsim.db")).expect("open");
    conn.query_row("PRAGMA page_count", [], |r| r.get::<_, i64>(0))
        .expect("page_count") as u64
}

#[test]
fn disk_full_while_generating_fails_clearly_and_a_rerun_completes_without_duplicates() {
    let (_tmp, state) = fresh();
    ctsim_ok(&state, &["clock", "set", START]);
    ctsim_ok(&state, &["generate", "--count", "3000", "--seed", "1"]);
    assert_eq!(event_counts(&state), (3000, 3000));

    // Room for a few hundred more pages: the first batch of 10,000 does not fit.
    let pages = (page_count(&state) + 200).to_string();
    let full = ctsim_env(
        &state,
        &[
            "generate", "--count", "30000", "--seed", "2", "--start", START,
        ],
        &[("CTSIM_FAULT_DB_MAX_PAGES", &pages)],
    );
    assert_advice(&full, &state, "is full. Free some space");
    let (kept, distinct) = event_counts(&state);
    assert!((3000..33000).contains(&kept), "{kept}");
    assert_eq!(kept, distinct);

    let again = ctsim_ok(
        &state,
        &[
            "generate", "--count", "30000", "--seed", "2", "--start", START,
        ],
    );
    assert!(again.contains("generated 30000 records"), "{again}");
    assert_eq!(event_counts(&state), (33000, 33000));
}

/// Ingest of real log files into a folder whose database fills up part way: a clear error,
/// every stored event whole and once, and a re-run that stores the rest without duplicates.
#[test]
fn disk_full_while_ingesting_fails_clearly_and_a_rerun_completes_without_duplicates() {
    let (_src, source) = fresh();
    let (logs, records) = delivered_logs(&source, 8000, 4);
    assert!(records > 4000, "{records}");
    let logs = logs.to_string_lossy();

    let (_tmp, state) = fresh();
    ctsim_ok(&state, &["clock", "set", START]);
    ctsim_ok(&state, &["generate", "--count", "500", "--seed", "1"]);
    let before = event_counts(&state);
    // Room for a few pages more: not for all the records.
    let pages = (page_count(&state) + 40).to_string();
    let full = ctsim_env(
        &state,
        &["ingest", &logs],
        &[("CTSIM_FAULT_DB_MAX_PAGES", &pages)],
    );
    assert_advice(&full, &state, "is full. Free some space");
    let (kept, distinct) = event_counts(&state);
    assert_eq!(kept, distinct, "an event was stored twice");
    assert!(
        (before.0..before.0 + records).contains(&kept),
        "{kept} of {} + {records}",
        before.0
    );

    ctsim_ok(&state, &["ingest", &logs]);
    assert_eq!(
        event_counts(&state),
        (before.0 + records, before.0 + records),
        "the re-run stored the rest once"
    );
}

/// Runs the same traffic on two folders, one with object writes failing after a few
/// files (generate delivers the windows its traffic closed), then finishes delivery on
/// both: the same records are delivered exactly once.
#[test]
fn disk_full_while_delivering_leaves_no_partial_file_and_each_event_is_delivered_once() {
    let (_a, control) = fresh();
    let (_b, faulty) = fresh();
    let generate = ["generate", "--count", "3000", "--seed", "3", "--rate", "2"];
    for state in [&control, &faulty] {
        state_with_trail(state);
    }
    ctsim_ok(&control, &generate);
    let full = ctsim_env(
        &faulty,
        &generate,
        &[("CTSIM_FAULT_FILES_FULL_AFTER_BYTES", "100000")],
    );
    assert_advice(&full, &faulty, "is full. Free some space");
    // The events were appended before delivery ran: they are kept.
    assert_eq!(event_counts(&faulty), event_counts(&control));
    // What is visible is whole: every log file there is a complete gzip JSON document.
    let partial = delivered_event_ids(&faulty);
    let leftovers: Vec<_> = files_under(&faulty.join("s3").join(".tmp"))
        .into_keys()
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");

    let retried = ctsim_ok(&faulty, &["deliver"]);
    ctsim_ok(&faulty, &["clock", "advance", "2h"]);
    ctsim_ok(&control, &["clock", "advance", "2h"]);
    assert!(retried.contains("delivered s3://"), "{retried}");
    let mut got = delivered_event_ids(&faulty);
    let mut want = delivered_event_ids(&control);
    assert!(!want.is_empty());
    assert!(
        partial.len() < want.len(),
        "the fault stopped delivery part way"
    );
    got.sort();
    want.sort();
    let distinct: std::collections::BTreeSet<_> = got.iter().collect();
    assert_eq!(distinct.len(), got.len(), "an event was delivered twice");
    assert_eq!(got, want);
    let arn = trail_arn();
    let validated = ctsim_ok(&faulty, &["validate-logs", "--trail-arn", &arn]);
    assert!(!validated.contains("INVALID"), "{validated}");
}

fn db_bytes(state: &Path) -> Vec<u8> {
    std::fs::read(state.join("ctsim.db")).expect("read ctsim.db")
}

/// A finished state folder: 500 events, checkpointed into ctsim.db by the last close.
fn state_with_events() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, state) = fresh();
    ctsim_ok(&state, &["clock", "set", START]);
    ctsim_ok(&state, &["generate", "--count", "500"]);
    (tmp, state)
}

#[test]
fn a_read_only_state_folder_is_refused_clearly_and_left_unchanged() {
    let (tmp, state) = state_with_events();
    let before = db_bytes(&state);
    let mode = |p: &Path, m: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).expect("chmod");
    };
    mode(tmp.path(), 0o755);
    mode(&state, 0o555);
    for f in files_under(&state).into_keys() {
        mode(&state.join(f), 0o444);
    }
    // Root writes through file modes: run ctsim as an unprivileged user then, from a copy
    // in the (world-readable) temporary folder, since the build's folder may not be.
    let root = std::fs::metadata(&state).expect("metadata").uid() == 0;
    let exe = tmp.path().join("ctsim");
    std::fs::copy(binaries().join("ctsim"), &exe).expect("copy the ctsim binary");
    mode(&exe, 0o755);
    let run = |args: &[&str]| {
        let mut cmd = Command::new(&exe);
        cmd.args(args).env("CTSIM_HOME", &state);
        if root {
            cmd.uid(65534).gid(65534);
        }
        cmd.output().expect("running ctsim")
    };
    let out = run(&["generate", "--count", "10"]);
    assert_advice(&out, &state, "cannot be written");
    assert!(text(&out).contains("writable"), "{}", text(&out));
    mode(&state, 0o755);
    for f in files_under(&state).into_keys() {
        mode(&state.join(f), 0o644);
    }
    assert_eq!(db_bytes(&state), before, "ctsim.db changed");
    assert_eq!(event_counts(&state), (500, 500));
}

#[test]
fn a_damaged_database_is_refused_clearly_and_left_unchanged() {
    let (_tmp, state) = state_with_events();
    let mut bytes = db_bytes(&state);
    bytes[..16].copy_from_slice(b"not a database!!");
    std::fs::write(state.join("ctsim.db"), &bytes).expect("damage");
    for args in [
        &["events", "--max", "1"][..],
        &["generate", "--count", "10"],
    ] {
        let out = ctsim(&state, args);
        assert_advice(&out, &state, "is damaged or is not a ctsim database");
        assert!(text(&out).contains("Restore ctsim.db"), "{}", text(&out));
    }
    assert_eq!(db_bytes(&state), bytes, "ctsim.db changed");
}

#[test]
fn a_truncated_database_is_refused_clearly_and_left_unchanged() {
    let (_tmp, state) = state_with_events();
    let bytes = db_bytes(&state);
    let cut = &bytes[..bytes.len() / 3];
    std::fs::write(state.join("ctsim.db"), cut).expect("truncate");
    let out = ctsim(&state, &["events", "--max", "1000"]);
    assert_advice(&out, &state, "is damaged or is not a ctsim database");
    assert_eq!(db_bytes(&state), cut, "ctsim.db changed");
}

#[test]
fn a_state_folder_from_a_newer_ctsim_is_refused_clearly_and_left_unchanged() {
    let (_tmp, state) = state_with_events();
    {
        let conn = rusqlite::Connection::open(state.join("ctsim.db")).expect("open");
        conn.execute_batch("PRAGMA user_version = 999")
            .expect("set version");
    }
    let before = db_bytes(&state);
    for args in [
        &["events", "--max", "1"][..],
        &["generate", "--count", "10"],
        &["deliver"],
    ] {
        let out = ctsim(&state, args);
        assert_advice(&out, &state, "was written by a newer ctsim");
    }
    assert_eq!(db_bytes(&state), before, "ctsim.db changed");
    let conn = rusqlite::Connection::open(state.join("ctsim.db")).expect("open");
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(v, 999);
}

/// `ctsim serve` itself: loopback by default, and a warning on stderr when bound to an
/// address other machines can reach.
#[test]
fn serve_binds_loopback_by_default_and_warns_on_stderr_otherwise() {
    use std::io::{BufRead, BufReader, Read};
    let (_tmp, state) = fresh();
    for (extra, warns) in [(&[][..], false), (&["--bind", "0.0.0.0"][..], true)] {
        let mut child = Command::new(binaries().join("ctsim"))
            .args(["serve", "--port", "0", "--deliver-every", "0s"])
            .args(extra)
            .env("CTSIM_HOME", &state)
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("starting ctsim serve");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut first)
            .expect("the listening line");
        let _ = child.kill();
        let _ = child.wait();
        let mut err = String::new();
        let _ = child
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut err);
        if warns {
            assert!(first.contains("http://0.0.0.0:"), "{first}");
            assert!(
                err.contains("warning: ctsim serve is listening on 0.0.0.0"),
                "{err}"
            );
        } else {
            assert!(first.contains("http://127.0.0.1:"), "{first}");
            assert!(!err.contains("warning"), "{err}");
        }
    }
}
