//! Group commit: request handlers hand their calls to one thread that runs whatever has
//! queued up (up to [`MAX_BATCH`]) in one write transaction ([`Simulator::invoke_many`]),
//! so concurrent requests share a commit instead of queueing on the store lock one by one.
//! The async handlers (the JSON protocols, handled on the runtime's workers without a hop
//! through the blocking pool) wait for their call's answer, which comes after the commit,
//! on a oneshot; handlers on the blocking pool call the facade, which shares commits itself.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

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
        Batcher { tx }
    }

    /// Queues the call without blocking and resolves once its batch has committed.
    pub async fn invoke(&self, call: BatchCall) -> Invocation {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job = Job { call, reply };
        if self.tx.send(job).is_err() {
            return lost();
        }
        answer.await.unwrap_or_else(|_| lost())
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
