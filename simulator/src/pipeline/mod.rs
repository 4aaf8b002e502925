//! The event data plane: pure functions that decide where a recorded CloudTrail event goes,
//! and the clock-driven work that delivers it.

pub mod alarms;
pub mod delivered;
pub mod delivery;
pub mod digest;
pub mod eventbridge;
pub mod insights;
pub mod lake;
pub mod lake_sql;
pub mod selectors;
pub mod validate;
pub mod worker;

use crate::error::AwsError;
use crate::services::Env;

pub use worker::{DueWorkLoop, spawn_due_work_loop, spawn_due_work_loop_with};

/// Events a pass reads from the event log per job (delivery, Lake ingestion, Insights
/// counting, EventBridge) before it stops and leaves the rest to the next pass. A pass runs
/// in one write transaction under the store's lock: bounding it bounds how long API calls
/// wait behind a backlog (about 0.1 s of work on the development machine) and the memory a
/// pass holds, whatever the backlog.
pub const PASS_EVENTS: u32 = 10_000;

/// [`PASS_EVENTS`] in a process that answers API calls while passes run (`ctsim serve`):
/// a pass of 10,000 events held calls back 50-100 ms, one of 500 about 4 ms, one of this
/// many under 2 ms. The backlog drains at the same rate, in more passes (and log files of
/// at most this many records each).
pub const SERVING_PASS_EVENTS: u32 = 200;

/// Set by [`bound_passes_for_serving`]: this process answers API calls while passes run.
static SERVING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn serving() -> bool {
    SERVING.load(std::sync::atomic::Ordering::Relaxed)
}

/// The events a pass reads per job in this process: [`PASS_EVENTS`], or
/// [`SERVING_PASS_EVENTS`] once [`bound_passes_for_serving`] has been called.
pub fn pass_events() -> u32 {
    if serving() {
        SERVING_PASS_EVENTS
    } else {
        PASS_EVENTS
    }
}

/// Makes this process's passes short and spaced out, for a process whose API calls must
/// not wait behind them: while a backlog drains, [`run_due_passes`] waits after each pass
/// as long as the pass took, so the calls have the store (and the CPU) at least half of
/// the time. Process-wide: it is a property of what the process is for.
pub fn bound_passes_for_serving() {
    SERVING.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// What one [`run_due`] pass did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct DueReport {
    /// Log files written and destinations that refused delivery.
    pub delivery: delivery::DeliveryReport,
    /// How many digest files were written.
    pub digests: usize,
    /// Events ingested into (and expired from) CloudTrail Lake event data stores.
    pub lake: lake::IngestReport,
    /// Insights records produced and their files.
    pub insights: insights::InsightsReport,
    /// CloudWatch alarm notifications published to SNS.
    pub alarms: alarms::AlarmReport,
    /// CloudTrail events put on EventBridge default buses and the rule targets invoked.
    pub eventbridge: eventbridge::EventBridgeReport,
    /// Some job stopped at its bound with work left: another pass has work now.
    #[serde(skip)]
    pub more: bool,
}

impl DueReport {
    /// Nothing was delivered and no destination refused delivery.
    pub fn is_empty(&self) -> bool {
        self.delivery.files.is_empty()
            && self.delivery.errors.is_empty()
            && self.digests == 0
            && self.insights.files.is_empty()
            && self.insights.errors.is_empty()
            && self.lake.ingested + self.lake.expired + self.lake.purged == 0
            && self.alarms.is_empty()
            && self.eventbridge.is_empty()
    }

    /// Adds what a later pass did.
    pub fn absorb(&mut self, next: DueReport) {
        self.delivery.files.extend(next.delivery.files);
        self.delivery.errors.extend(next.delivery.errors);
        self.digests += next.digests;
        self.lake.ingested += next.lake.ingested;
        self.lake.expired += next.lake.expired;
        self.lake.purged += next.lake.purged;
        self.insights.records.extend(next.insights.records);
        self.insights.files.extend(next.insights.files);
        self.insights.errors.extend(next.insights.errors);
        self.alarms.notified.extend(next.alarms.notified);
        self.alarms.failed.extend(next.alarms.failed);
        let (eb, more_eb) = (&mut self.eventbridge, next.eventbridge);
        eb.events += more_eb.events;
        eb.matched += more_eb.matched;
        eb.invocations += more_eb.invocations;
        eb.failed.extend(more_eb.failed);
        eb.more = more_eb.more;
        self.delivery.more = next.delivery.more;
        self.lake.more = next.lake.more;
        self.insights.more = next.insights.more;
        self.more = next.more;
    }
}

/// Runs every piece of pipeline work that has come due at `env.now`: log files first, then
/// the digests that cover them. Called in one write transaction whenever the simulator
/// opens, the clock moves or records are appended, and periodically by a [`DueWorkLoop`]
/// under a long-running process. Then Lake ingestion and Insights detection.
///
/// Each job does a bounded amount of work ([`PASS_EVENTS`] events, a day of Insights
/// minutes, a day of digests, [`crate::services::cloudwatch::evaluate::MAX_STEPS`] alarm
/// periods) and keeps its exactly-once cursor where it stopped; [`DueReport::more`] says
/// whether another pass has work. [`run_due_passes`] runs passes until none has.
pub fn run_due(env: &Env<'_>) -> Result<DueReport, AwsError> {
    let delivery = delivery::deliver_due(env)?;
    let (digests, more_digests) = digest::deliver_digests_due(env)?;
    let lake = lake::ingest_due(env)?;
    let insights = insights::detect_due(env)?;
    // After delivery: the events just delivered to CloudWatch Logs are in the metrics.
    let alarms = alarms::evaluate_due(env)?;
    // After Insights: their events go to EventBridge too.
    let eventbridge = eventbridge::deliver_due(env)?;
    let more = delivery.more
        || more_digests
        || lake.more
        || insights.more
        || eventbridge.more
        || crate::services::cloudwatch::evaluation_pending(env)?;
    Ok(DueReport {
        delivery,
        digests,
        lake,
        insights,
        alarms,
        eventbridge,
        more,
    })
}

/// Runs [`run_due`] passes on `sim`, each in its own write transaction, until no job has
/// work left; returns what they did together. After each pass the store goes to a caller
/// that waited for it ([`crate::Simulator::run_pass`]), so API calls are served while a
/// backlog drains; in a serving process the next pass also waits as long as the last one
/// took ([`bound_passes_for_serving`]).
pub fn run_due_passes(sim: &crate::Simulator) -> Result<DueReport, AwsError> {
    let timed_pass = || {
        let began = std::time::Instant::now();
        sim.run_pass(run_due)
            .map(|report| (report, began.elapsed()))
    };
    let (mut report, mut took) = timed_pass()?;
    while report.more {
        if serving() {
            std::thread::sleep(took);
        }
        let (next, next_took) = timed_pass()?;
        took = next_took;
        report.absorb(next);
    }
    Ok(report)
}
