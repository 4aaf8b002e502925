//! Group commit: request handlers hand their calls to one thread that runs whatever has
//! queued up (up to [`MAX_BATCH`]) in one write transaction ([`Simulator::invoke_many`]),
//! so concurrent requests share a commit instead of queueing on the store lock one by one.
//! The async handlers (the JSON protocols, handled on the runtime's workers without a hop
//! through the blocking pool) wait for their call's answer, which comes after the commit,
//! on a oneshot; handlers on the blocking pool call the facade, which shares commits itself.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use crate::error::AwsError;
use crate::simulator::{BatchCall, Invocation, Simulator};

/// Most calls in one transaction (bounds how long the write lock is held).
pub const MAX_BATCH: usize = 64;

struct Job {
    call: BatchCall,
    reply: tokio::sync::oneshot::Sender<Invocation>,
}

fn lost() -> Invocation {
    Invocation {
        result: Err(AwsError::service_unavailable(
            "The simulator's commit thread is not running.",
        )),
        request_id: None,
        event_id: None,
    }
}

/// The queue in front of the simulator.
pub struct Batcher {
    tx: Sender<Job>,
    waits: CommitWaits,
}

/// Resolution of [`CommitWaits`].
const WAIT_STEP_US: u64 = 100;
/// Waits of this many steps or more share the last bucket (100 ms).
const WAIT_STEPS: usize = 1_000;

/// How long calls waited for their commit, from queueing to answer, in 0.1 ms steps: the
/// part of a request's latency that the store decides (its lock, the batches before it),
/// apart from the HTTP work and the scheduling of the client's threads.
pub struct CommitWaits {
    buckets: Vec<AtomicU64>,
}

impl CommitWaits {
    fn new() -> CommitWaits {
        CommitWaits {
            buckets: (0..=WAIT_STEPS).map(|_| AtomicU64::new(0)).collect(),
        }
    }

    fn record(&self, waited: Duration) {
        let step = usize::try_from(waited.as_micros() / u128::from(WAIT_STEP_US))
            .unwrap_or(WAIT_STEPS)
            .min(WAIT_STEPS);
        self.buckets[step].fetch_add(1, Ordering::Relaxed);
    }

    /// The counts so far; the difference of two tells about the calls in between.
    pub fn counts(&self) -> WaitCounts {
        WaitCounts(
            self.buckets
                .iter()
                .map(|b| b.load(Ordering::Relaxed))
                .collect(),
        )
    }
}

/// A snapshot of [`CommitWaits`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitCounts(Vec<u64>);

impl WaitCounts {
    /// The calls counted in `self` and not in `earlier`.
    pub fn since(&self, earlier: &WaitCounts) -> WaitCounts {
        WaitCounts(
            self.0
                .iter()
                .zip(earlier.0.iter().chain(std::iter::repeat(&0)))
                .map(|(now, then)| now.saturating_sub(*then))
                .collect(),
        )
    }

    pub fn calls(&self) -> u64 {
        self.0.iter().sum()
    }

    /// The wait at quantile `q` (0..=1), in milliseconds: the upper end of its 0.1 ms step
    /// (100 ms and more read as 100 ms). 0 when no call was counted.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        let calls = self.calls();
        if calls == 0 {
            return 0.0;
        }
        let rank = ((calls as f64 * q).ceil() as u64).clamp(1, calls);
        let mut seen = 0;
        for (step, n) in self.0.iter().enumerate() {
            seen += n;
            if seen >= rank {
                return ((step as u64 + 1).min(WAIT_STEPS as u64) * WAIT_STEP_US) as f64 / 1000.0;
            }
        }
        (WAIT_STEPS as u64 * WAIT_STEP_US) as f64 / 1000.0
    }
}

impl Batcher {
    /// Starts the committing thread; it ends when the batcher is dropped.
    pub fn start(sim: Arc<Simulator>) -> Batcher {
        let (tx, rx) = channel::<Job>();
        std::thread::Builder::new()
            .name("ctsim-commit".into())
            .spawn(move || run(&sim, &rx))
            .map(|_| ())
            .unwrap_or_else(|e| tracing::error!("cannot start the commit thread: {e}"));
        Batcher {
            tx,
            waits: CommitWaits::new(),
        }
    }

    /// How long the calls so far waited for their commit.
    pub fn waits(&self) -> WaitCounts {
        self.waits.counts()
    }

    /// Queues the call without blocking and resolves once its batch has committed.
    pub async fn invoke(&self, call: BatchCall) -> Invocation {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job = Job { call, reply };
        let queued = Instant::now();
        if self.tx.send(job).is_err() {
            return lost();
        }
        let answered = answer.await.unwrap_or_else(|_| lost());
        self.waits.record(queued.elapsed());
        answered
    }
}

fn run(sim: &Simulator, rx: &Receiver<Job>) {
    while let Ok(first) = rx.recv() {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(j) => jobs.push(j),
                Err(_) => break,
            }
        }
        let (calls, replies): (
            Vec<BatchCall>,
            Vec<tokio::sync::oneshot::Sender<Invocation>>,
        ) = jobs.into_iter().map(|j| (j.call, j.reply)).unzip();
        let results = sim.invoke_many(&calls);
        for (reply, result) in replies.into_iter().zip(results) {
            // The handler may have gone (client disconnected); its call still happened.
            let _ = reply.send(result);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_read_the_upper_end_of_the_step_and_differences_count_the_calls_between() {
        let waits = CommitWaits::new();
        assert_eq!(waits.counts().quantile_ms(0.99), 0.0);
        for _ in 0..98 {
            waits.record(Duration::from_micros(250));
        }
        let before = waits.counts();
        waits.record(Duration::from_millis(12));
        waits.record(Duration::from_secs(3));
        let all = waits.counts();
        assert_eq!(all.calls(), 100);
        assert_eq!(all.quantile_ms(0.5), 0.3);
        assert_eq!(all.quantile_ms(0.99), 12.1);
        assert_eq!(all.quantile_ms(1.0), 100.0);
        let late = all.since(&before);
        assert_eq!(late.calls(), 2);
        assert_eq!(late.quantile_ms(0.5), 12.1);
    }
}
