//! Continuous delivery under a long-running process: a background thread that runs
//! [`super::run_due`] every few seconds, so log files, digests, CloudWatch Logs events and SNS
//! notifications arrive as (real or simulated) time passes, with no other trigger.
//!
//! The embedded mode needs no loop (work that has come due is done whenever a state folder
//! opens, the clock moves or records are appended); a process that stays up (`ctsim serve`,
//! `ctsim deliver --follow`) starts one:
//!
//! ```no_run
//! # use std::{sync::Arc, time::Duration};
//! let sim = Arc::new(ctsim::Simulator::open(".ctsim")?);
//! let worker = ctsim::pipeline::spawn_due_work_loop(sim, Duration::from_secs(10));
//! // ... serve requests ...
//! worker.stop(); // wakes the thread and joins it
//! # Ok::<(), ctsim::AwsError>(())
//! ```
//!
//! A failed pass (the database busy beyond its timeout, an unreadable document, the state
//! folder gone) is logged with `tracing` and handed to the observer; the loop keeps going and
//! the next pass retries. Exactly-once delivery does not depend on the loop: every pass runs in
//! one write transaction, so two processes looping on one state folder never deliver twice.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use super::DueReport;
use crate::Simulator;
use crate::error::AwsError;

/// How often the loop's second thread checkpoints the WAL (see [`crate::store::Checkpointer`]).
pub const CHECKPOINT_EVERY: Duration = Duration::from_millis(200);

/// At most this many passes alongside the commits before a catch-up under the lock (each
/// pass copies what the commits wrote during the one before; under `ctsim bench serve` one
/// is enough).
const CHASE_PASSES: usize = 4;

/// The shortest interval between passes (a zero interval would spin).
pub const MIN_INTERVAL: Duration = Duration::from_millis(10);

/// What one pass of the loop produced, as handed to an observer.
pub type PassResult = Result<DueReport, AwsError>;

/// A running background delivery loop. [`DueWorkLoop::stop`] (or dropping it) wakes the thread
/// and waits for the pass in progress, if any, to finish.
pub struct DueWorkLoop {
    shared: Arc<Shared>,
    handle: Option<JoinHandle<()>>,
    checkpoints: Option<JoinHandle<()>>,
}

struct Shared {
    stop: Mutex<bool>,
    wake: Condvar,
    passes: AtomicU64,
    failures: AtomicU64,
    catch_ups: AtomicU64,
    longest_hold_us: AtomicU64,
}

/// Starts a thread that runs the work that has come due on `sim` now and then every `every`
/// (at least [`MIN_INTERVAL`]). Results are logged with `tracing`.
pub fn spawn_due_work_loop(sim: Arc<Simulator>, every: Duration) -> DueWorkLoop {
    spawn_due_work_loop_with(sim, every, |_| {})
}

/// [`spawn_due_work_loop`] that also hands every pass's result to `observer` (on the loop's
/// thread), e.g. to print what was delivered.
pub fn spawn_due_work_loop_with<F>(sim: Arc<Simulator>, every: Duration, observer: F) -> DueWorkLoop
where
    F: FnMut(&PassResult) + Send + 'static,
{
    let every = every.max(MIN_INTERVAL);
    let shared = Arc::new(Shared {
        stop: Mutex::new(false),
        wake: Condvar::new(),
        passes: AtomicU64::new(0),
        failures: AtomicU64::new(0),
        catch_ups: AtomicU64::new(0),
        longest_hold_us: AtomicU64::new(0),
    });
    let checkpoints = spawn_checkpoints(&sim, &shared);
    let thread_shared = Arc::clone(&shared);
    let spawned = std::thread::Builder::new()
        .name("ctsim-due-work".into())
        .spawn(move || run_loop(&sim, every, &thread_shared, observer));
    let handle = match spawned {
        Ok(h) => Some(h),
        Err(e) => {
            // Without a thread there is no continuous delivery; the embedded triggers remain.
            tracing::error!("cannot start the delivery loop: {e}");
            None
        }
    };
    DueWorkLoop {
        shared,
        handle,
        checkpoints,
    }
}

/// The thread that keeps the WAL short, so that no request waits for a checkpoint. If it
/// cannot be set up, commits keep checkpointing as usual. Each pass copies what it can
/// alongside the commits. Under sustained load it never catches up with them (SQLite starts
/// the WAL over only once a checkpoint has), so once the WAL has outgrown
/// [`crate::store::Checkpointed::outgrown`] it chases the commits with more passes, syncs the
/// database file, and then copies the last frames with this process's commits held back
/// (2-5 ms under `ctsim bench serve`).
fn spawn_checkpoints(sim: &Arc<Simulator>, shared: &Arc<Shared>) -> Option<JoinHandle<()>> {
    let cp = match sim.checkpoint_in_background() {
        Ok(cp) => cp,
        Err(e) => {
            tracing::warn!("WAL checkpoints stay on the request path: {e}");
            return None;
        }
    };
    let shared = Arc::clone(shared);
    let sim = Arc::clone(sim);
    let handle = std::thread::Builder::new()
        .name("ctsim-checkpoint".into())
        .spawn(move || {
            loop {
                let stop = wait(&shared, CHECKPOINT_EVERY);
                match cp.run() {
                    Ok(done) if done.outgrown() => {
                        // More passes alongside the commits, each copying what came during the
                        // one before, so that the pass under the lock has only the last
                        // milliseconds' frames left to copy.
                        let mut last = done;
                        for _ in 0..CHASE_PASSES {
                            match cp.run() {
                                Ok(done) => {
                                    let enough = done.nearly_caught_up(&last);
                                    last = done;
                                    if enough {
                                        break;
                                    }
                                }
                                Err(_) => break,
                            }
                        }
                        if let Err(e) = cp.sync_database_file() {
                            tracing::debug!("WAL checkpoint: {e}");
                        }
                        match sim.catch_up_checkpoint(&cp) {
                            Ok((done, held)) => {
                                shared.catch_ups.fetch_add(1, Ordering::Relaxed);
                                let held_us = u64::try_from(held.as_micros()).unwrap_or(u64::MAX);
                                shared.longest_hold_us.fetch_max(held_us, Ordering::Relaxed);
                                tracing::debug!(
                                    "WAL caught up at {} frames, commits held back {held:?}",
                                    done.wal_frames
                                );
                            }
                            Err(e) => tracing::debug!("WAL checkpoint: {e}"),
                        }
                    }
                    Ok(_) => {}
                    Err(e) => tracing::debug!("WAL checkpoint: {e}"),
                }
                if stop {
                    return;
                }
            }
        })
        .map_err(|e| tracing::error!("cannot start the checkpoint thread: {e}"))
        .ok()?;
    Some(handle)
}

fn run_loop<F: FnMut(&PassResult)>(
    sim: &Simulator,
    every: Duration,
    shared: &Shared,
    mut observer: F,
) {
    loop {
        if stopped(shared) {
            return;
        }
        // A bug must not end continuous delivery silently: a panicking pass is reported
        // like a failed one (the store rolls the transaction back).
        let result = catch_unwind(AssertUnwindSafe(|| sim.deliver_due())).unwrap_or_else(|_| {
            Err(AwsError::internal(
                "a delivery pass panicked; it was rolled back",
            ))
        });
        shared.passes.fetch_add(1, Ordering::Relaxed);
        match &result {
            Ok(report) => {
                for f in &report.delivery.files {
                    tracing::info!(
                        trail = %f.trail_arn,
                        "delivered s3://{}/{} ({} records)",
                        f.bucket,
                        f.key,
                        f.records
                    );
                }
                for (trail, code) in &report.delivery.errors {
                    tracing::warn!(trail = %trail, "delivery refused: {code}");
                }
            }
            Err(e) => {
                shared.failures.fetch_add(1, Ordering::Relaxed);
                tracing::warn!("delivery pass failed, retrying in {every:?}: {e}");
            }
        }
        if catch_unwind(AssertUnwindSafe(|| observer(&result))).is_err() {
            tracing::error!("the delivery loop's observer panicked");
        }
        if wait(shared, every) {
            return;
        }
    }
}

fn lock(shared: &Shared) -> std::sync::MutexGuard<'_, bool> {
    // The flag is a plain bool: a poisoned lock still holds a meaningful value.
    shared.stop.lock().unwrap_or_else(|e| e.into_inner())
}

fn stopped(shared: &Shared) -> bool {
    *lock(shared)
}

/// Sleeps `every` unless stopped first; true when the loop must end.
fn wait(shared: &Shared, every: Duration) -> bool {
    let guard = lock(shared);
    let (guard, _) = shared
        .wake
        .wait_timeout_while(guard, every, |stop| !*stop)
        .unwrap_or_else(|e| e.into_inner());
    *guard
}

impl DueWorkLoop {
    /// Passes run so far (successful or not).
    pub fn passes(&self) -> u64 {
        self.shared.passes.load(Ordering::Relaxed)
    }

    /// Passes that failed so far.
    pub fn failures(&self) -> u64 {
        self.shared.failures.load(Ordering::Relaxed)
    }

    /// How many checkpoints held commits back to catch up with an outgrown WAL, and the
    /// longest such hold.
    pub fn wal_catch_ups(&self) -> (u64, Duration) {
        (
            self.shared.catch_ups.load(Ordering::Relaxed),
            Duration::from_micros(self.shared.longest_hold_us.load(Ordering::Relaxed)),
        )
    }

    /// Whether the loop's thread is running (false if it could not be started).
    pub fn is_running(&self) -> bool {
        self.handle.as_ref().is_some_and(|h| !h.is_finished())
    }

    /// Stops the loop: wakes the thread, lets a pass in progress finish, joins it.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        *lock(&self.shared) = true;
        self.shared.wake.notify_all();
        if let Some(h) = self.handle.take()
            && h.join().is_err()
        {
            tracing::error!("the delivery loop's thread panicked");
        }
        if let Some(h) = self.checkpoints.take()
            && h.join().is_err()
        {
            tracing::error!("the checkpoint thread panicked");
        }
    }
}

impl Drop for DueWorkLoop {
    fn drop(&mut self) {
        self.shutdown();
    }
}

#[cfg(test)]
#[path = "worker_tests.rs"]
mod tests;
