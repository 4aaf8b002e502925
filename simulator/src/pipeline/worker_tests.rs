//! The background delivery loop: it delivers what comes due with no other trigger, survives
//! failed passes, and stops promptly.

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::*;
use crate::clock::{self, Clock};
use crate::pipeline::delivery::STATE_KIND;
use crate::store::{DocKey, Store};
use crate::{CallerContext, Simulator};

const ME: &str = "123456789012";
const TRAIL_ARN: &str = "arn:aws:cloudtrail:us-east-1:123456789012:trail/audit";
/// How long a test waits for the loop before failing (a liveness bound, not a measurement).
const PATIENCE: Duration = Duration::from_secs(60);

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc) // test input
}

fn ok(sim: &Simulator, op_service: &str, op: &str, req: Value) -> Value {
    let ctx = CallerContext::new(ME, "us-east-1");
    sim.invoke(&ctx, op_service, op, req)
        .unwrap_or_else(|e| panic!("{op_service} {op}: {e}"))
}

/// A logging trail "audit" into bucket "logs", with a few calls recorded in the window
/// 00:00-00:05 (still open at 00:02).
fn logging_trail(dir: &Path) -> Simulator {
    let sim = Simulator::open(dir).unwrap(); // test setup
    sim.set_time(at("2026-01-01T00:01:00Z")).unwrap(); // test setup
    ok(&sim, "s3", "CreateBucket", json!({"Bucket": "logs"}));
    let policy = crate::policy::documented_bucket_policy("logs", None, ME);
    ok(
        &sim,
        "s3",
        "PutBucketPolicy",
        json!({"Bucket": "logs", "Policy": policy}),
    );
    ok(
        &sim,
        "cloudtrail",
        "CreateTrail",
        json!({"Name": "audit", "S3BucketName": "logs"}),
    );
    ok(&sim, "cloudtrail", "StartLogging", json!({"Name": "audit"}));
    sim.set_time(at("2026-01-01T00:02:00Z")).unwrap(); // test setup
    ok(&sim, "s3", "ListBuckets", json!({}));
    sim
}

/// Moves the shared clock the way a process that only writes would: straight in the store,
/// without running any due work itself.
fn move_clock_only(dir: &Path, to: DateTime<Utc>) {
    let mut store = Store::open(dir).unwrap(); // test setup
    store.write(|db| db.set_clock(Clock::Fixed(to))).unwrap(); // test setup
}

fn delivered_keys(sim: &Simulator) -> Vec<String> {
    sim.run_unrecorded(|env| crate::services::s3::objects::list_objects(env, "logs", ""))
        .unwrap() // test read
        .into_iter()
        .map(|o| o.key)
        .collect()
}

/// Waits for the observer to report a pass that delivered a file.
fn wait_for_files(rx: &mpsc::Receiver<PassResult>) -> DueReport {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(Ok(report)) if !report.delivery.files.is_empty() => return report,
            Ok(_) => continue,
            Err(e) => panic!("the loop delivered nothing: {e}"),
        }
    }
}

#[test]
fn the_loop_delivers_a_closed_window_with_no_other_trigger() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let writer = logging_trail(dir.path());
    let reader = Arc::new(Simulator::open(dir.path()).unwrap()); // a second handle
    let (tx, rx) = mpsc::channel();
    let worker = spawn_due_work_loop_with(reader, Duration::from_millis(20), move |r| {
        let _ = tx.send(r.clone());
    });
    // Passes run while the window is open: nothing is delivered.
    let first = rx.recv_timeout(PATIENCE).expect("a first pass");
    assert!(first.expect("the pass succeeds").is_empty());
    assert!(delivered_keys(&writer).is_empty());

    move_clock_only(dir.path(), at("2026-01-01T00:06:00Z"));
    let report = wait_for_files(&rx);
    assert_eq!(report.delivery.files.len(), 1);
    let file = &report.delivery.files[0];
    assert_eq!(file.trail_arn, TRAIL_ARN);
    assert!(
        file.key
            .contains("123456789012_CloudTrail_us-east-1_20260101T0005Z_"),
        "{}",
        file.key
    );
    // The other handle sees the file: the loop wrote it into the shared state folder.
    assert_eq!(delivered_keys(&writer), vec![file.key.clone()]);
    // Exactly once: later passes deliver nothing more for that window.
    let passes = worker.passes();
    while worker.passes() < passes + 3 {
        let _ = rx.recv_timeout(PATIENCE).expect("more passes");
    }
    assert_eq!(delivered_keys(&writer).len(), 1);
    worker.stop();
}

#[test]
fn a_failed_pass_is_reported_and_the_next_pass_recovers() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let writer = logging_trail(dir.path());
    // An unreadable delivery cursor makes every pass fail until it is removed.
    let state = DocKey {
        service: "cloudtrail",
        kind: STATE_KIND,
        account_id: ME,
        region: "us-east-1",
        id: TRAIL_ARN,
    };
    let now_ms = clock::to_millis(writer.now());
    writer
        .run_unrecorded(|env| Ok(env.db.put_document(&state, &json!(42), now_ms)?))
        .unwrap(); // test setup
    move_clock_only(dir.path(), at("2026-01-01T00:06:00Z"));

    let reader = Arc::new(Simulator::open_deferred(dir.path()).unwrap()); // test setup
    let (tx, rx) = mpsc::channel();
    let worker = spawn_due_work_loop_with(reader, Duration::from_millis(20), move |r| {
        let _ = tx.send(r.clone());
    });
    let failed = rx.recv_timeout(PATIENCE).expect("a first pass");
    assert!(failed.is_err(), "{failed:?}");
    while worker.failures() < 2 {
        let _ = rx.recv_timeout(PATIENCE).expect("more passes");
    }
    assert!(worker.is_running(), "a failed pass does not end the loop");

    writer
        .run_unrecorded(|env| Ok(env.db.delete_document(&state)?))
        .unwrap(); // the fix
    let report = wait_for_files(&rx);
    assert_eq!(report.delivery.files.len(), 1);
    worker.stop();
}

#[test]
fn stop_returns_without_waiting_for_the_next_pass() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = Arc::new(Simulator::open(dir.path()).unwrap()); // test setup
    let every = Duration::from_secs(3600);
    let (tx, rx) = mpsc::channel();
    let worker = spawn_due_work_loop_with(sim, every, move |r| {
        let _ = tx.send(r.is_ok());
    });
    assert_eq!(
        rx.recv_timeout(PATIENCE),
        Ok(true),
        "the first pass runs at once"
    );
    assert!(worker.is_running());
    let asked = Instant::now();
    worker.stop();
    // Liveness, not speed: stopping must not sit out the hour-long interval.
    assert!(asked.elapsed() < every);
    assert!(
        rx.recv().is_err(),
        "the observer was dropped with the thread"
    );
}

#[test]
fn dropping_the_handle_stops_the_loop() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = Arc::new(Simulator::open(dir.path()).unwrap()); // test setup
    let (tx, rx) = mpsc::channel::<()>();
    let worker = spawn_due_work_loop_with(Arc::clone(&sim), Duration::from_millis(10), move |_| {
        let _ = tx.send(());
    });
    rx.recv_timeout(PATIENCE).expect("a first pass");
    drop(worker);
    // The thread (and with it the observer's sender) is gone once drop returns.
    while rx.try_recv().is_ok() {}
    assert!(rx.recv().is_err());
    assert_eq!(Arc::strong_count(&sim), 1, "the loop released its handle");
}

#[test]
fn a_caught_up_checkpoint_is_complete_while_another_thread_commits_and_the_wal_starts_over() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = Arc::new(Simulator::open(dir.path()).unwrap()); // test setup
    let cp = sim.checkpoint_in_background().unwrap(); // test setup
    let writer = {
        let sim = Arc::clone(&sim);
        std::thread::spawn(move || {
            for _ in 0..300 {
                ok(&sim, "s3", "ListBuckets", json!({}));
            }
        })
    };
    let mut most_frames = 0;
    while !writer.is_finished() {
        cp.run().unwrap(); // alongside the commits: may stay behind them
        let (done, _) = sim.catch_up_checkpoint(&cp).unwrap();
        assert_eq!(done.copied_frames, done.wal_frames, "{done:?}");
        most_frames = most_frames.max(done.wal_frames);
    }
    writer.join().unwrap();
    let (done, _) = sim.catch_up_checkpoint(&cp).unwrap();
    assert_eq!(done.copied_frames, done.wal_frames);
    let before = done.wal_frames.max(most_frames);
    // The WAL was complete: the next commit writes from its start again.
    ok(&sim, "s3", "ListBuckets", json!({}));
    let after = cp.run().unwrap();
    assert!(
        after.wal_frames < before,
        "{after:?} after a WAL of {before} frames"
    );
}
