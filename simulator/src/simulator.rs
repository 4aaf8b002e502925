//! The facade every client uses (the provider in-process, the HTTP server, the CLI): open a
//! state folder, invoke operations with AWS JSON 1.1 bodies, control the clock and settings.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::clock::Clock;
use crate::context::{CallerContext, Principal};
use crate::error::{AwsError, StoreError};
use crate::events::{self, ApiCall};
use crate::services::{self, Env, EventResource};
use crate::settings;
use crate::store::{Db, NewEvent, Store};

/// Environment variable naming the state folder.
pub const HOME_ENV: &str = "CTSIM_HOME";
/// The state folder when `CTSIM_HOME` is not set, relative to the working directory.
pub const DEFAULT_STATE_DIR: &str = ".ctsim";

/// One simulated AWS: a state folder and its SQLite store. `Send + Sync`.
pub struct Simulator {
    state_dir: PathBuf,
    store: parking_lot::Mutex<Store>,
    /// Calls waiting for the store: whoever holds it next runs them all in one transaction.
    waiting: Mutex<Vec<Arc<Waiting>>>,
}

/// A call queued for group commit and, once run, its answer.
struct Waiting {
    call: BatchCall,
    answer: Mutex<Option<Invocation>>,
}

impl Waiting {
    fn take_answer(&self) -> Option<Invocation> {
        self.answer.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

/// The full outcome of a call: the response or error, and the ids it was recorded under.
#[derive(Debug, Clone)]
pub struct Invocation {
    pub result: Result<Value, AwsError>,
    /// `None` when the call could not be recorded (unknown service, store failure).
    pub request_id: Option<String>,
    pub event_id: Option<String>,
}

impl Simulator {
    /// Opens the state folder (creating it if needed) and migrates its database.
    pub fn open(state_dir: impl AsRef<Path>) -> Result<Simulator, AwsError> {
        let sim = Self::open_deferred(state_dir)?;
        sim.run_due_work()?;
        Ok(sim)
    }

    /// Like [`Simulator::open`] without running the work that has come due: for a caller
    /// that runs it itself and reports what was delivered (`ctsim deliver`).
    pub fn open_deferred(state_dir: impl AsRef<Path>) -> Result<Simulator, AwsError> {
        let state_dir = state_dir.as_ref().to_path_buf();
        let store = Store::open(&state_dir).map_err(|e| match e {
            StoreError::Io(io) => AwsError::internal(format!(
                "cannot create state folder {}: {io}",
                state_dir.display()
            )),
            other => other.into(),
        })?;
        // Partial temporary files of a process killed mid-write (never visible as objects).
        services::s3::files::sweep_stale_temporaries(
            &state_dir,
            services::s3::files::STALE_TEMPORARY,
        );
        Ok(Simulator {
            state_dir,
            store: parking_lot::Mutex::new(store),
            waiting: Mutex::new(Vec::new()),
        })
    }

    /// Does the clock-driven work that has come due (log delivery), unrecorded, in bounded
    /// write transactions until none is left ([`crate::pipeline::run_due_passes`]). Cheap
    /// when nothing is due.
    pub fn run_due_work(&self) -> Result<(), AwsError> {
        self.deliver_due().map(|_| ())
    }

    /// [`Simulator::run_due_work`], returning what was delivered (`ctsim deliver`, the
    /// background [`crate::pipeline::DueWorkLoop`]).
    pub fn deliver_due(&self) -> Result<crate::pipeline::DueReport, AwsError> {
        let report = crate::pipeline::run_due_passes(self)?;
        self.push_sns_http_deliveries()?;
        Ok(report)
    }

    /// Makes the HTTP POSTs of SNS deliveries waiting for them, outside any transaction
    /// (see [`services::sns::http_push`]); returns how many were made.
    pub fn push_sns_http_deliveries(&self) -> Result<usize, AwsError> {
        let claimed = self.run_unrecorded(services::sns::deliveries::claim_pending_http)?;
        if claimed.is_empty() {
            return Ok(0);
        }
        let outcomes: Vec<String> = claimed.iter().map(services::sns::http_push::post).collect();
        self.run_unrecorded(|env| {
            for (d, status) in claimed.iter().zip(&outcomes) {
                services::sns::deliveries::settle(env, d, status)?;
            }
            Ok(())
        })?;
        Ok(claimed.len())
    }

    /// After a call that stored a delivery waiting for its POST, makes it now. A failure
    /// here does not change the call's answer; the next due-work pass retries the claim.
    fn push_noted_http_deliveries(&self) {
        if services::sns::http_push::take_noted()
            && let Err(e) = self.push_sns_http_deliveries()
        {
            tracing::warn!("SNS HTTP delivery failed: {e}");
        }
    }

    /// For a long-running process: this simulator's commits stop checkpointing the WAL, and
    /// the returned [`crate::store::Checkpointer`] is to be run from a background thread.
    pub fn checkpoint_in_background(&self) -> Result<crate::store::Checkpointer, AwsError> {
        let cp = crate::store::Checkpointer::open(&self.state_dir)?;
        self.lock().leave_checkpoints_to_background()?;
        Ok(cp)
    }

    /// Completes a background checkpoint: copies the frames committed while it ran, with this
    /// process's commits held back meanwhile. A checkpoint that runs alongside commits never
    /// catches up with them, and SQLite starts the WAL over only once it has, so under
    /// sustained load the WAL would grow without bound (a gigabyte in ten seconds of serve).
    /// Returns what the pass did and how long the commits were held back (from when the
    /// store was taken, so not counting the wait for it).
    pub fn catch_up_checkpoint(
        &self,
        cp: &crate::store::Checkpointer,
    ) -> Result<(crate::store::Checkpointed, std::time::Duration), AwsError> {
        let _no_commits = self.lock();
        let began = std::time::Instant::now();
        let done = cp.run()?;
        Ok((done, began.elapsed()))
    }

    /// Opens `$CTSIM_HOME`, or `./.ctsim`.
    pub fn open_default() -> Result<Simulator, AwsError> {
        Self::open(Self::default_state_dir())
    }

    pub fn default_state_dir() -> PathBuf {
        match std::env::var_os(HOME_ENV) {
            Some(d) if !d.is_empty() => PathBuf::from(d),
            _ => PathBuf::from(DEFAULT_STATE_DIR),
        }
    }

    pub fn state_dir(&self) -> &Path {
        &self.state_dir
    }

    fn lock(&self) -> parking_lot::MutexGuard<'_, Store> {
        // No poisoning: a panic while holding the lock cannot leave a transaction
        // half-applied (SQLite rolls back on drop), so the store is safe to reuse.
        self.store.lock()
    }

    /// The default caller (IAM user of the default account) in `region`.
    pub fn default_caller(&self, region: &str) -> CallerContext {
        let (account, user) = self
            .lock()
            .read(|db| -> Result<_, StoreError> {
                Ok((
                    settings::get(db, settings::DEFAULT_ACCOUNT_ID)?,
                    settings::get(db, settings::DEFAULT_USER_NAME)?,
                ))
            })
            .unwrap_or_else(|_| {
                (
                    crate::context::DEFAULT_ACCOUNT_ID.into(),
                    crate::context::DEFAULT_USER_NAME.into(),
                )
            });
        let principal = Principal::iam_user(&account, &user);
        CallerContext::new(account, region).with_principal(principal)
    }

    /// Runs one operation on an AWS JSON 1.1 request body and returns the response body.
    /// Every call to a known service is recorded as a CloudTrail event, failures included.
    pub fn invoke(
        &self,
        ctx: &CallerContext,
        service: &str,
        operation: &str,
        request: Value,
    ) -> Result<Value, AwsError> {
        self.invoke_detailed(ctx, service, operation, request)
            .result
    }

    /// Like [`Simulator::invoke`], also returning the request and event ids.
    ///
    /// Concurrent callers share commits (group commit, for every entry point): a call
    /// queues, then waits for the store; whoever gets the store runs every queued call in
    /// one transaction ([`Simulator::invoke_many`]'s rules), so a caller may find its call
    /// already answered when its turn comes.
    pub fn invoke_detailed(
        &self,
        ctx: &CallerContext,
        service: &str,
        operation: &str,
        request: Value,
    ) -> Invocation {
        let mine = Arc::new(Waiting {
            call: BatchCall {
                ctx: ctx.clone(),
                service: service.to_string(),
                operation: operation.to_string(),
                request,
            },
            answer: Mutex::new(None),
        });
        self.queue().push(Arc::clone(&mine));
        let invocation = {
            let mut store = self.lock();
            match mine.take_answer() {
                Some(done) => done,
                None => {
                    let batch = std::mem::take(&mut *self.queue());
                    let calls: Vec<&BatchCall> = batch.iter().map(|w| &w.call).collect();
                    let answers = self.invoke_many_in(&mut store, &calls);
                    for (w, a) in batch.iter().zip(answers) {
                        *w.answer.lock().unwrap_or_else(|e| e.into_inner()) = Some(a);
                    }
                    mine.take_answer().unwrap_or_else(|| Invocation {
                        result: Err(AwsError::internal("the call was not run")),
                        request_id: None,
                        event_id: None,
                    })
                }
            }
        };
        self.push_noted_http_deliveries();
        invocation
    }

    fn queue(&self) -> MutexGuard<'_, Vec<Arc<Waiting>>> {
        // A plain list: a poisoned lock still holds a meaningful value.
        self.waiting.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// One call in a transaction of its own (a failure is recorded in a second one).
    fn invoke_alone(&self, store: &mut Store, call: &BatchCall) -> Invocation {
        let (ctx, service, operation, request) = (
            &call.ctx,
            call.service.as_str(),
            call.operation.as_str(),
            &call.request,
        );
        let facts = match CallFacts::of(ctx, service, operation, request) {
            Ok(f) => f,
            Err(unknown) => return unknown,
        };
        let ctx = &*facts.ctx;

        // The operation and its record commit together; a failure rolls back everything.
        let attempt = store.write(
            |db| -> Result<(Value, Option<events::Recorded>), AwsError> {
                let now = db.clock()?.now();
                let env = Env {
                    db,
                    now,
                    state_dir: &self.state_dir,
                };
                let response = services::dispatch(&env, ctx, service, operation, request)?;
                if !facts.recorded {
                    return Ok((response, None));
                }
                let rec = events::record_call(db, &facts.api_call(request, Ok(&response), now))?;
                Ok((response, Some(rec)))
            },
        );
        match attempt {
            Ok((response, rec)) => Invocation {
                result: Ok(response),
                request_id: rec.as_ref().map(|r| r.request_id.clone()),
                event_id: rec.map(|r| r.event_id),
            },
            Err(err) if !facts.recorded => Invocation {
                result: Err(err),
                request_id: None,
                event_id: None,
            },
            Err(err) => {
                // Record the failure in its own transaction.
                let recorded = store.write(|db| -> Result<events::Recorded, StoreError> {
                    let now = db.clock()?.now();
                    events::record_call(db, &facts.api_call(request, Err(&err), now))
                });
                let (request_id, event_id) = match recorded {
                    Ok(r) => (Some(r.request_id), Some(r.event_id)),
                    Err(_) => (None, None),
                };
                Invocation {
                    result: Err(err),
                    request_id,
                    event_id,
                }
            }
        }
    }

    /// Runs several calls in one write transaction (one commit for all: the server's group
    /// commit), in order, each seeing the effects of those before it. A failed call is
    /// recorded as a failure exactly as [`Simulator::invoke_detailed`] would do, and must
    /// undo only its own changes: when it wrote nothing (nearly always: calls check before
    /// they write) only its in-memory effects are undone; otherwise the batch is rolled
    /// back and every call runs alone, as it also does if the shared commit fails.
    pub fn invoke_many(&self, calls: &[BatchCall]) -> Vec<Invocation> {
        let calls: Vec<&BatchCall> = calls.iter().collect();
        let answers = self.invoke_many_in(&mut self.lock(), &calls);
        self.push_noted_http_deliveries();
        answers
    }

    /// [`Simulator::invoke_many`] with the store in hand.
    fn invoke_many_in(&self, store: &mut Store, calls: &[&BatchCall]) -> Vec<Invocation> {
        if let [call] = calls {
            return vec![self.invoke_alone(store, call)];
        }
        let attempt = store.write(|db| -> Result<Vec<Invocation>, StoreError> {
            let mut out = Vec::with_capacity(calls.len());
            for c in calls {
                match self.invoke_in(db, c)? {
                    Some(inv) => out.push(inv),
                    None => return Err(StoreError::Corrupt("retry the batch call by call".into())),
                }
            }
            Ok(out)
        });
        match attempt {
            Ok(v) => v,
            Err(_) => calls.iter().map(|c| self.invoke_alone(store, c)).collect(),
        }
    }

    /// One call of a batch, inside the batch's transaction; `None` when it failed after
    /// writing, so that the batch must be run again call by call.
    fn invoke_in(&self, db: Db<'_>, call: &BatchCall) -> Result<Option<Invocation>, StoreError> {
        let (service, operation) = (call.service.as_str(), call.operation.as_str());
        let facts = match CallFacts::of(&call.ctx, service, operation, &call.request) {
            Ok(f) => f,
            Err(unknown) => return Ok(Some(unknown)),
        };
        let ctx = &*facts.ctx;
        let now = db.clock()?.now();
        let env = Env {
            db,
            now,
            state_dir: &self.state_dir,
        };
        let mark = db.mark_call();
        let attempt = (|| -> Result<(Value, Option<events::Recorded>), AwsError> {
            let response = services::dispatch(&env, ctx, service, operation, &call.request)?;
            if !facts.recorded {
                return Ok((response, None));
            }
            let rec = events::record_call(db, &facts.api_call(&call.request, Ok(&response), now))?;
            Ok((response, Some(rec)))
        })();
        match attempt {
            Ok((response, rec)) => {
                db.keep_call(mark);
                Ok(Some(Invocation {
                    result: Ok(response),
                    request_id: rec.as_ref().map(|r| r.request_id.clone()),
                    event_id: rec.map(|r| r.event_id),
                }))
            }
            Err(_) if !db.undo_call(mark) => Ok(None),
            Err(err) if !facts.recorded => Ok(Some(Invocation {
                result: Err(err),
                request_id: None,
                event_id: None,
            })),
            Err(err) => {
                let rec = events::record_call(db, &facts.api_call(&call.request, Err(&err), now))?;
                Ok(Some(Invocation {
                    result: Err(err),
                    request_id: Some(rec.request_id),
                    event_id: Some(rec.event_id),
                }))
            }
        }
    }

    /// Typed convenience over [`Simulator::invoke`]: serialises the request and deserialises
    /// the response (e.g. `CreateTrailRequest` -> `CreateTrailResponse`). Recorded as usual.
    pub fn call<Q: Serialize, R: DeserializeOwned>(
        &self,
        ctx: &CallerContext,
        service: &str,
        operation: &str,
        request: &Q,
    ) -> Result<R, AwsError> {
        let body =
            serde_json::to_value(request).map_err(|e| AwsError::serialization(e.to_string()))?;
        let out = self.invoke(ctx, service, operation, body)?;
        serde_json::from_value(out)
            .map_err(|e| AwsError::internal(format!("unexpected response shape: {e}")))
    }

    /// Runs typed service functions directly in one transaction, without recording.
    pub fn run_unrecorded<T>(
        &self,
        f: impl FnOnce(&Env<'_>) -> Result<T, AwsError>,
    ) -> Result<T, AwsError> {
        self.run_unrecorded_in(&mut self.lock(), f)
    }

    fn run_unrecorded_in<T>(
        &self,
        store: &mut Store,
        f: impl FnOnce(&Env<'_>) -> Result<T, AwsError>,
    ) -> Result<T, AwsError> {
        store.write(|db| {
            let now = db.clock()?.now();
            f(&Env {
                db,
                now,
                state_dir: &self.state_dir,
            })
        })
    }

    /// [`Simulator::run_unrecorded`] for one pass of background work among others: the store
    /// goes to a caller that waited for it during the pass, if any, before the next pass can
    /// take it. (A thread that gives a lock up and takes it again at once usually gets it
    /// back before the threads it woke, so back-to-back passes would otherwise keep callers
    /// waiting for the whole backlog.)
    pub(crate) fn run_pass<T>(
        &self,
        f: impl FnOnce(&Env<'_>) -> Result<T, AwsError>,
    ) -> Result<T, AwsError> {
        let mut store = self.lock();
        let done = self.run_unrecorded_in(&mut store, f);
        parking_lot::MutexGuard::unlock_fair(store);
        done
    }

    /// Runs typed service functions over one consistent snapshot, read-only and without
    /// recording (the operator views: the CLI's listings, the console).
    pub fn read_unrecorded<T>(
        &self,
        f: impl FnOnce(&Env<'_>) -> Result<T, AwsError>,
    ) -> Result<T, AwsError> {
        self.read(|db| {
            let now = db.clock()?.now();
            f(&Env {
                db,
                now,
                state_dir: &self.state_dir,
            })
        })
    }

    /// The region operator views start from: the `default.region` setting, else us-east-1.
    pub fn default_region(&self) -> String {
        self.setting(settings::DEFAULT_REGION)
            .ok()
            .flatten()
            .unwrap_or_else(|| crate::context::DEFAULT_REGION.to_string())
    }

    /// Every trail of the default account, each described in its home region, with its
    /// status, unrecorded.
    pub fn trails_with_status(
        &self,
    ) -> Result<
        Vec<(
            services::cloudtrail::model::Trail,
            services::cloudtrail::model::GetTrailStatusResponse,
        )>,
        AwsError,
    > {
        use services::cloudtrail::{self, model};
        let region = self.default_region();
        let ctx = self.default_caller(&region);
        let listed =
            self.read_unrecorded(|env| cloudtrail::list_trails(env, &ctx, Default::default()))?;
        let mut out = Vec::new();
        for info in listed.trails {
            let home = info.home_region.unwrap_or_else(|| region.clone());
            let ctx = self.default_caller(&home);
            let arn = info.trail_arn.unwrap_or_default();
            let (described, status) = self.read_unrecorded(|env| {
                let described = cloudtrail::describe_trails(
                    env,
                    &ctx,
                    model::DescribeTrailsRequest {
                        trail_name_list: Some(vec![arn.clone()]),
                        include_shadow_trails: Some(false),
                    },
                )?;
                let status = cloudtrail::get_trail_status(
                    env,
                    &ctx,
                    model::GetTrailStatusRequest { name: arn.clone() },
                )?;
                Ok((described, status))
            })?;
            if let Some(trail) = described.trail_list.into_iter().next() {
                out.push((trail, status));
            }
        }
        Ok(out)
    }

    /// Read access to the store (one consistent snapshot).
    pub fn read<T>(&self, f: impl FnOnce(Db<'_>) -> Result<T, AwsError>) -> Result<T, AwsError> {
        self.lock().read(f)
    }

    // ---- clock ----

    pub fn clock(&self) -> Result<Clock, AwsError> {
        self.read(|db| Ok(db.clock()?))
    }

    /// The simulator's current time (real time if the clock cannot be read).
    pub fn now(&self) -> DateTime<Utc> {
        self.clock().unwrap_or_default().now()
    }

    /// Fixes the clock at `t`.
    pub fn set_time(&self, t: DateTime<Utc>) -> Result<(), AwsError> {
        self.lock()
            .write(|db| Ok::<_, AwsError>(db.set_clock(Clock::Fixed(t))?))?;
        self.run_due_work()
    }

    /// Moves the clock forward (a real clock becomes fixed at now + `by`). Returns the new now.
    pub fn advance_time(&self, by: chrono::Duration) -> Result<DateTime<Utc>, AwsError> {
        if by < chrono::Duration::zero() {
            return Err(AwsError::client(
                "InvalidParameterException",
                "The clock can only be advanced forward.",
            ));
        }
        let now = self.lock().write(|db| {
            let c = db.clock()?.advanced(by);
            db.set_clock(c)?;
            Ok::<_, AwsError>(c.now())
        })?;
        self.run_due_work()?;
        Ok(now)
    }

    /// Returns the clock to real time.
    pub fn use_real_time(&self) -> Result<(), AwsError> {
        self.lock()
            .write(|db| Ok::<_, AwsError>(db.set_clock(Clock::Real)?))
    }

    // ---- settings ----

    /// The effective value of a known setting (its default when unset); `None` if unknown.
    pub fn setting(&self, key: &str) -> Result<Option<String>, AwsError> {
        if settings::default_of(key).is_none() {
            return Ok(None);
        }
        self.read(|db| Ok(Some(settings::get(db, key)?)))
    }

    /// Sets a known setting after validating its value.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), AwsError> {
        settings::validate(key, value)?;
        self.lock()
            .write(|db| Ok::<_, AwsError>(db.set_setting(key, value)?))
    }

    /// Returns a setting to its default.
    pub fn reset_setting(&self, key: &str) -> Result<(), AwsError> {
        self.lock()
            .write(|db| Ok::<_, AwsError>(db.remove_setting(key)?))
    }

    /// Every known setting with its effective value.
    pub fn settings(&self) -> Result<Vec<(String, String)>, AwsError> {
        self.read(|db| {
            settings::KNOWN
                .iter()
                .map(|(k, _, _)| Ok((k.to_string(), settings::get(db, k)?)))
                .collect()
        })
    }

    // ---- events ----

    /// Appends ready-made CloudTrail records (generated traffic, ingested log files) to the
    /// event history, 10 000 per transaction. Records whose eventID is already stored are
    /// skipped. Returns how many were stored. A record without the required fields fails the
    /// call (earlier batches stay committed).
    pub fn append_records<I>(&self, records: I) -> Result<usize, AwsError>
    where
        I: IntoIterator<Item = Value>,
        I::IntoIter: Send,
    {
        Ok(self.append_records_with(records, |_| {})?.stored)
    }

    /// [`Simulator::append_records`] reporting progress (records handled so far) after each
    /// batch, and counting duplicates. The records are turned into rows (serialised once) on
    /// a second thread while the previous batch is written, at most two batches ahead.
    pub fn append_records_with<I>(
        &self,
        records: I,
        progress: impl FnMut(u64),
    ) -> Result<AppendStats, AwsError>
    where
        I: IntoIterator<Item = Value>,
        I::IntoIter: Send,
    {
        let rows = records.into_iter().map(|r| {
            events::new_event_from_record(&r)
                .map_err(|m| AwsError::client("InvalidEventRecord", format!("invalid record: {m}")))
        });
        self.append_rows(rows, progress)
    }

    /// Appends events already in their stored form (record text and lookup columns, as
    /// [`crate::generate::Generator`] makes them), like [`Simulator::append_records`].
    pub fn append_events<I>(&self, events: I) -> Result<usize, AwsError>
    where
        I: IntoIterator<Item = NewEvent>,
        I::IntoIter: Send,
    {
        Ok(self.append_events_with(events, |_| {})?.stored)
    }

    /// [`Simulator::append_events`] reporting progress and counting duplicates, like
    /// [`Simulator::append_records_with`].
    pub fn append_events_with<I>(
        &self,
        events: I,
        progress: impl FnMut(u64),
    ) -> Result<AppendStats, AwsError>
    where
        I: IntoIterator<Item = NewEvent>,
        I::IntoIter: Send,
    {
        self.append_rows(events.into_iter().map(Ok), progress)
    }

    /// Appends rows made on a second thread while the previous batch is written, at most
    /// two batches ahead; the first failed row ends the append (earlier batches stay
    /// committed). Then runs the work that has come due.
    fn append_rows<I>(
        &self,
        rows: I,
        mut progress: impl FnMut(u64),
    ) -> Result<AppendStats, AwsError>
    where
        I: Iterator<Item = Result<NewEvent, AwsError>> + Send,
    {
        const BATCH: usize = 10_000;
        let mut stats = AppendStats::default();
        std::thread::scope(|scope| -> Result<(), AwsError> {
            let (tx, rx) = std::sync::mpsc::sync_channel(2);
            scope.spawn(move || {
                let mut rows = rows;
                loop {
                    let batch: Result<Vec<NewEvent>, AwsError> =
                        rows.by_ref().take(BATCH).collect();
                    // Stop at the end, at a failed row, or when the writer has given up
                    // (receiver dropped).
                    if batch.as_ref().is_ok_and(Vec::is_empty) {
                        return;
                    }
                    let failed = batch.is_err();
                    if tx.send(batch).is_err() || failed {
                        return;
                    }
                }
            });
            for batch in rx {
                let batch = batch?;
                let stored = self.lock().write(|db| {
                    let mut n = 0;
                    for e in &batch {
                        n += db.insert_event_if_new(e)? as usize;
                    }
                    Ok::<_, AwsError>(n)
                })?;
                stats.stored += stored;
                stats.duplicates += batch.len() - stored;
                progress((stats.stored + stats.duplicates) as u64);
            }
            Ok(())
        })?;
        self.run_due_work()?;
        Ok(stats)
    }

    /// Every recorded event record, oldest first.
    pub fn event_records(&self) -> Result<Vec<Value>, AwsError> {
        self.read(|db| {
            db.all_event_records()?
                .iter()
                .map(|s| serde_json::from_str(s).map_err(|e| AwsError::from(StoreError::from(e))))
                .collect()
        })
    }
}

/// One call of [`Simulator::invoke_many`].
#[derive(Debug, Clone)]
pub struct BatchCall {
    pub ctx: CallerContext,
    pub service: String,
    pub operation: String,
    pub request: Value,
}

/// What [`Simulator::append_records_with`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AppendStats {
    pub stored: usize,
    /// Records skipped because their eventID was already stored.
    pub duplicates: usize,
}

/// What recording a call needs besides its outcome and time, worked out before it runs.
struct CallFacts<'a> {
    /// The caller, moved to us-east-1 for the global services (IAM, Organizations), which run
    /// and are recorded there.
    ctx: Cow<'a, CallerContext>,
    event_source: Cow<'static, str>,
    operation: Cow<'a, str>,
    read_only: bool,
    resources: Vec<EventResource>,
    /// What is recorded as requestParameters when it is not the request itself (the generic
    /// tier records the AWS call a Terraform operation stands for).
    request_parameters: Option<Value>,
    /// False for a generic operation that stands for no AWS call: it runs unrecorded.
    recorded: bool,
}

impl<'a> CallFacts<'a> {
    /// The facts of a call, or the answer to a call of an unknown service (not recorded).
    fn of(
        ctx: &'a CallerContext,
        service: &str,
        operation: &'a str,
        request: &Value,
    ) -> Result<Self, Invocation> {
        if service == services::generic::SERVICE {
            return Self::of_generic(ctx, operation, request);
        }
        let Some(event_source) = services::event_source(service) else {
            return Err(Invocation {
                result: Err(AwsError::unknown_operation(service, operation)),
                request_id: None,
                event_id: None,
            });
        };
        let ctx = match services::recorded_region(service) {
            Some(r) if ctx.region != r => Cow::Owned(ctx.clone().with_region(r)),
            _ => Cow::Borrowed(ctx),
        };
        let read_only = services::is_read_only(service, operation);
        let resources = services::resources(service, operation, request, &ctx);
        Ok(CallFacts {
            ctx,
            event_source: Cow::Borrowed(event_source),
            operation: Cow::Borrowed(operation),
            read_only,
            resources,
            request_parameters: None,
            recorded: true,
        })
    }

    /// A generic-tier call is recorded as the AWS operation it stands for.
    fn of_generic(
        ctx: &'a CallerContext,
        operation: &'a str,
        request: &Value,
    ) -> Result<Self, Invocation> {
        let Some(rec) = services::generic::recorded_as(operation, request, ctx) else {
            return Err(Invocation {
                result: Err(AwsError::unknown_operation(
                    services::generic::SERVICE,
                    operation,
                )),
                request_id: None,
                event_id: None,
            });
        };
        let ctx = match rec.region {
            Some(r) if ctx.region != r => Cow::Owned(ctx.clone().with_region(r)),
            _ => Cow::Borrowed(ctx),
        };
        Ok(CallFacts {
            ctx,
            event_source: Cow::Owned(rec.event_source),
            operation: Cow::Owned(rec.event_name),
            read_only: rec.read_only,
            resources: rec.resources,
            request_parameters: Some(rec.request_parameters),
            recorded: rec.recorded,
        })
    }

    fn api_call<'b>(
        &'b self,
        request: &'b Value,
        outcome: Result<&'b Value, &'b AwsError>,
        time: DateTime<Utc>,
    ) -> ApiCall<'b> {
        ApiCall {
            ctx: &self.ctx,
            event_source: &self.event_source,
            operation: &self.operation,
            request: self.request_parameters.as_ref().unwrap_or(request),
            outcome,
            read_only: self.read_only,
            resources: self.resources.clone(),
            time,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn simulator_is_send_and_sync() {
        assert_send_sync::<Simulator>();
    }

    #[test]
    fn a_batch_commits_together_and_a_failed_call_undoes_only_itself() {
        let dir = tempfile::tempdir().unwrap();
        let sim = Simulator::open(dir.path()).unwrap();
        let ctx = sim.default_caller("us-east-1");
        let call = |op: &str, req: Value| BatchCall {
            ctx: ctx.clone(),
            service: "logs".into(),
            operation: op.into(),
            request: req,
        };
        let out = sim.invoke_many(&[
            call("CreateLogGroup", serde_json::json!({"logGroupName": "a"})),
            // Fails: the group exists (created by the call before it, same transaction).
            call("CreateLogGroup", serde_json::json!({"logGroupName": "a"})),
            call("CreateLogGroup", serde_json::json!({"logGroupName": "b"})),
            call("NoSuchOperation", serde_json::json!({})),
        ]);
        assert!(out[0].result.is_ok());
        assert_eq!(
            out[1].result.as_ref().unwrap_err().code,
            "ResourceAlreadyExistsException"
        );
        assert!(out[2].result.is_ok());
        assert!(out[3].result.is_err());
        let names: Vec<String> = sim
            .event_records()
            .unwrap()
            .iter()
            .map(|r| format!("{}:{}", r["eventName"], r["errorCode"]))
            .collect();
        assert_eq!(
            names,
            [
                "\"CreateLogGroup\":null",
                "\"CreateLogGroup\":\"ResourceAlreadyExistsException\"",
                "\"CreateLogGroup\":null",
                "\"NoSuchOperation\":\"UnknownOperationException\""
            ]
        );
        let groups = sim
            .invoke(&ctx, "logs", "DescribeLogGroups", serde_json::json!({}))
            .unwrap();
        assert_eq!(groups["logGroups"].as_array().map(Vec::len), Some(2));
    }

    #[test]
    fn concurrent_callers_share_commits_and_every_call_is_recorded_once() {
        let dir = tempfile::tempdir().unwrap(); // test setup
        let sim = Simulator::open(dir.path()).unwrap(); // test setup
        let ctx = sim.default_caller("us-east-1");
        let ids: Vec<String> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..8)
                .map(|t| {
                    let (sim, ctx) = (&sim, &ctx);
                    scope.spawn(move || {
                        (0..25)
                            .map(|i| {
                                let name = format!("/g/{t}/{i}");
                                let inv = sim.invoke_detailed(
                                    ctx,
                                    "logs",
                                    "CreateLogGroup",
                                    serde_json::json!({"logGroupName": name}),
                                );
                                assert!(inv.result.is_ok(), "{:?}", inv.result);
                                inv.event_id.unwrap() // recorded
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().unwrap())
                .collect()
        });
        let unique: std::collections::BTreeSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), 200);
        assert_eq!(sim.event_records().unwrap().len(), 200);
    }
}
