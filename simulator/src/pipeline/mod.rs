//! The event data plane: pure functions that decide where a recorded CloudTrail event goes,
//! and the clock-driven work that delivers it.

pub mod alarms;
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
}

/// Runs every piece of pipeline work that has come due at `env.now`: log files first, then
/// the digests that cover them. Called in one write transaction whenever the simulator
/// opens, the clock moves or records are appended, and periodically by a [`DueWorkLoop`]
/// under a long-running process. Then Lake ingestion and Insights detection.
pub fn run_due(env: &Env<'_>) -> Result<DueReport, AwsError> {
    let delivery = delivery::deliver_due(env)?;
    let digests = digest::deliver_digests_due(env)?;
    let lake = lake::ingest_due(env)?;
    let insights = insights::detect_due(env)?;
    // After delivery: the events just delivered to CloudWatch Logs are in the metrics.
    let alarms = alarms::evaluate_due(env)?;
    // After Insights: their events go to EventBridge too.
    let eventbridge = eventbridge::deliver_due(env)?;
    Ok(DueReport {
        delivery,
        digests,
        lake,
        insights,
        alarms,
        eventbridge,
    })
}
