//! Crash consistency with real processes: `ctsim generate`, delivery and `terraform apply`
//! are killed with SIGKILL at points drawn from a seeded generator (the seed is printed;
//! `CTSIM_CRASH_SEED=N` repeats a run), a bounded number of times. After each kill the
//! state folder opens, SQLite finds it whole, and no delivered file is torn; after the
//! interrupted work is run again, the outcome equals that of a run never interrupted.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use ctsim_e2e::state::*;
use ctsim_e2e::{TfWorkspace, binaries, combined};

fn rng(test: &str) -> Rng {
    let seed = std::env::var("CTSIM_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261204);
    eprintln!("{test}: kill times from seed {seed} (CTSIM_CRASH_SEED)");
    Rng::new(seed)
}

fn spawn_ctsim(state: &Path, args: &[&str]) -> std::process::Child {
    Command::new(binaries().join("ctsim"))
        .args(args)
        .env("CTSIM_HOME", state)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting ctsim")
}

/// Runs `ctsim ARGS` and kills it after `ms` milliseconds (if it is still running).
/// Returns whether it finished by itself.
fn run_and_kill(state: &Path, args: &[&str], ms: u64) -> bool {
    let mut child = spawn_ctsim(state, args);
    let deadline = std::time::Instant::now() + Duration::from_millis(ms);
    while std::time::Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
    false
}

/// Runs `ctsim ARGS` to completion and returns how long it took.
fn timed_ok(state: &Path, args: &[&str]) -> Duration {
    let began = std::time::Instant::now();
    ctsim_ok(state, args);
    began.elapsed()
}

/// A kill point, in milliseconds, within an uninterrupted run's duration (5-95% of it), so
/// that it falls inside the work whatever the speed of the machine and the build.
fn kill_point(rng: &mut Rng, uninterrupted: Duration) -> u64 {
    let ms = u64::try_from(uninterrupted.as_millis()).unwrap_or(u64::MAX);
    rng.between(ms / 20, ms - ms / 20).max(5)
}

/// Runs `args` on a fresh state folder (set up by `prepare`) and kills it at seeded points
/// within `took`, up to `rounds` times, until a run finishes by itself. After each run the
/// folder is whole, holds no event twice and has lost none it held before. Returns the
/// folder. A run that finishes before any kill means that this machine ran it faster than
/// the control run that set the window (another test was busy beside that one): the
/// attempt starts over on a new folder with the window halved, up to four times.
fn kill_until_finished(
    rng: &mut Rng,
    args: &[&str],
    mut took: Duration,
    rounds: usize,
    prepare: impl Fn(&Path),
) -> (tempfile::TempDir, std::path::PathBuf) {
    for _ in 0..4 {
        let tmp = tempfile::tempdir().expect("temp dir");
        let state = tmp.path().join("state");
        prepare(&state);
        let mut committed = 0;
        let mut kills = 0;
        for _ in 0..rounds {
            let finished = run_and_kill(&state, args, kill_point(rng, took));
            assert_database_consistent(&state);
            let (count, distinct) = event_counts(&state);
            assert_eq!(count, distinct, "a duplicate event after a kill");
            assert!(
                count >= committed,
                "events were lost: {count} < {committed}"
            );
            committed = count;
            if finished {
                break;
            }
            kills += 1;
        }
        if kills > 0 {
            return (tmp, state);
        }
        took /= 2;
    }
    panic!("no run was interrupted: the kill window is too late even halved four times");
}

const GENERATE: [&str; 9] = [
    "generate", "--count", "40000", "--seed", "7", "--rate", "20", "--start", START,
];

#[test]
fn sigkill_during_generate_keeps_what_was_committed_and_a_rerun_resumes_without_duplicates() {
    let mut rng = rng("generate");
    let control_tmp = tempfile::tempdir().expect("temp dir");
    let control = control_tmp.path().join("state");
    ctsim_ok(&control, &["clock", "set", START]);
    let took = timed_ok(&control, &GENERATE);
    let (_tmp, state) = kill_until_finished(&mut rng, &GENERATE, took, 8, |state| {
        ctsim_ok(state, &["clock", "set", START]);
    });
    let out = ctsim_ok(&state, &GENERATE);
    assert!(out.contains("generated 40000 records"), "{out}");
    assert_eq!(event_counts(&state), (40000, 40000));
    assert_database_consistent(&state);
}

#[test]
fn sigkill_during_ingest_keeps_what_was_committed_and_a_rerun_resumes_without_duplicates() {
    let mut rng = rng("ingest");
    // Real log files to ingest: those a trail delivered for generated traffic.
    let source = tempfile::tempdir().expect("temp dir");
    let src_state = source.path().join("state");
    let (logs, records) = delivered_logs(&src_state, 20000, 5);
    assert!(records > 5000, "{records}");
    let logs = logs.to_string_lossy();

    let control_tmp = tempfile::tempdir().expect("temp dir");
    let control = control_tmp.path().join("state");
    ctsim_ok(&control, &["clock", "set", START]);
    let took = timed_ok(&control, &["ingest", &logs]);
    let ingest = ["ingest", &*logs];
    let (_tmp, state) = kill_until_finished(&mut rng, &ingest, took, 6, |state| {
        ctsim_ok(state, &["clock", "set", START]);
    });
    ctsim_ok(&state, &["ingest", &logs]);
    assert_eq!(event_counts(&state), (records, records));
}

/// The delivered event IDs of a folder where generation and delivery ran without a kill,
/// against one where both were killed again and again, then finished.
#[test]
fn sigkill_during_delivery_leaves_no_torn_file_and_each_event_is_delivered_once() {
    let mut rng = rng("delivery");
    let generate = [
        "generate", "--count", "20000", "--seed", "3", "--rate", "5", "--start", START,
    ];
    let end = ["clock", "set", "2026-01-01T03:00:00Z"];

    let control_tmp = tempfile::tempdir().expect("temp dir");
    let control = control_tmp.path().join("state");
    state_with_trail(&control);
    let took = [timed_ok(&control, &generate), timed_ok(&control, &end)];
    let mut want = delivered_event_ids(&control);
    assert!(want.len() > 1000, "{}", want.len());

    let tmp = tempfile::tempdir().expect("temp dir");
    let state = tmp.path().join("state");
    state_with_trail(&state);
    let mut kills = 0;
    for (args, took, rounds) in [(&generate[..], took[0], 3), (&end[..], took[1], 5)] {
        for _ in 0..rounds {
            if !run_and_kill(&state, args, kill_point(&mut rng, took)) {
                kills += 1;
            }
            assert_database_consistent(&state);
            // Reading every visible log file fails on a torn one.
            let ids = delivered_event_ids(&state);
            let distinct: std::collections::BTreeSet<_> = ids.iter().collect();
            assert_eq!(distinct.len(), ids.len(), "an event was delivered twice");
            let tmp_files = files_under(&state.join("s3").join(".tmp"));
            assert!(
                tmp_files
                    .keys()
                    .all(|p| !p.to_string_lossy().ends_with(".json.gz")),
                "{tmp_files:?}"
            );
        }
        ctsim_ok(&state, args);
    }
    assert!(kills > 0, "no run was interrupted");
    ctsim_ok(&state, &["deliver"]);
    let mut got = delivered_event_ids(&state);
    got.sort();
    want.sort();
    assert_eq!(got.len(), want.len(), "delivered record counts differ");
    assert_eq!(got, want);
    let arn = trail_arn();
    let validated = ctsim_ok(&state, &["validate-logs", "--trail-arn", &arn]);
    assert!(!validated.contains("INVALID"), "{validated}");
}

const MANY_RESOURCES: &str = r#"
provider "aws" {
  region = "us-east-1"
}

resource "aws_s3_bucket" "logs" {
  count  = 15
  bucket = "crash-logs-${count.index}"
}

resource "aws_cloudwatch_log_group" "g" {
  count = 15
  name  = "crash-group-${count.index}"
}

resource "aws_sns_topic" "t" {
  count = 15
  name  = "crash-topic-${count.index}"
}
"#;

/// terraform (and the provider it started) killed during apply: the state folder opens,
/// SQLite finds it whole, the command line reads it, and a later apply gets AWS's answers
/// (never a store error).
#[test]
fn sigkill_during_terraform_apply_leaves_a_state_folder_that_opens_and_is_consistent() {
    let mut rng = rng("apply");
    let ws = TfWorkspace::new(&[("main.tf", MANY_RESOURCES)]);
    ws.init();
    for round in 0..4 {
        let mut child = ws
            .terraform_command(
                &ws.dir,
                &["apply", "-auto-approve", "-no-color", "-lock=false"],
            )
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("starting terraform");
        std::thread::sleep(Duration::from_millis(rng.between(300, 4000)));
        kill_group(&mut child);
        assert_database_consistent(&ws.state);
        for args in [&["trails"][..], &["events", "--max", "5"]] {
            let out = ws.ctsim(args);
            assert!(
                out.status.success(),
                "round {round}: ctsim {args:?}: {}",
                combined(&out)
            );
        }
        let (count, distinct) = event_counts(&ws.state);
        assert_eq!(count, distinct, "round {round}");
    }
    // Terraform may have lost track of what it created (its state was not saved): a new
    // apply then meets AWS's errors for existing resources, never a store failure.
    let out = ws.terraform(&["apply", "-auto-approve", "-no-color", "-lock=false"]);
    let text = combined(&out);
    for bad in ["database", "sqlite", "InternalFailure", "panicked"] {
        assert!(!text.contains(bad), "{bad}: {text}");
    }
    assert_database_consistent(&ws.state);
}
