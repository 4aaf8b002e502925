//! Group commit: request handlers hand their calls to one thread that runs whatever has
//! queued up (up to [`MAX_BATCH`]) in one write transaction ([`Simulator::invoke_many`]),
//! so concurrent requests share a commit instead of queueing on the store lock one by one.
//! A handler waits for its own call's answer, which comes after the commit: a synchronous
//! handler on a channel, an async one (the JSON protocols, handled on the runtime's workers
//! without a hop through the blocking pool) on a oneshot.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};

use serde_json::Value;

use crate::context::CallerContext;
use crate::error::AwsError;
use crate::simulator::{BatchCall, Invocation, Simulator};

/// Most calls in one transaction (bounds how long the write lock is held).
pub const MAX_BATCH: usize = 64;

struct Job {
    call: BatchCall,
    reply: ReplyTo,
}

enum ReplyTo {
    Blocking(SyncSender<Invocation>),
    Async(tokio::sync::oneshot::Sender<Invocation>),
}

impl ReplyTo {
    fn send(self, inv: Invocation) {
        // The handler may have gone (client disconnected); its call still happened.
        match self {
            ReplyTo::Blocking(tx) => {
                let _ = tx.send(inv);
            }
            ReplyTo::Async(tx) => {
                let _ = tx.send(inv);
            }
        }
    }
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

    /// Runs one call (in some batch) and returns its outcome.
    pub fn invoke(
        &self,
        ctx: CallerContext,
        service: &str,
        operation: &str,
        request: Value,
    ) -> Invocation {
        let (reply, answer) = sync_channel(1);
        let job = Job {
            call: BatchCall {
                ctx,
                service: service.to_string(),
                operation: operation.to_string(),
                request,
            },
            reply: ReplyTo::Blocking(reply),
        };
        if self.tx.send(job).is_err() {
            return lost();
        }
        answer.recv().unwrap_or_else(|_| lost())
    }

    /// [`Batcher::invoke`] for async handlers: queues the call without blocking and
    /// resolves once its batch has committed.
    pub async fn invoke_async(&self, call: BatchCall) -> Invocation {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job = Job {
            call,
            reply: ReplyTo::Async(reply),
        };
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
        let (calls, replies): (Vec<BatchCall>, Vec<ReplyTo>) =
            jobs.into_iter().map(|j| (j.call, j.reply)).unzip();
        let results = sim.invoke_many(&calls);
        for (reply, result) in replies.into_iter().zip(results) {
            reply.send(result);
        }
    }
}
