//! The event data plane: pure functions that decide where a recorded CloudTrail event goes,
//! and the clock-driven work that delivers it.

pub mod delivery;
pub mod digest;
pub mod lake;
pub mod lake_sql;
pub mod selectors;
pub mod validate;

use crate::error::AwsError;
use crate::services::Env;

/// Runs every piece of pipeline work that has come due at `env.now`: log files first, then
/// the digests that cover them. Called in one write transaction whenever the simulator
/// opens, the clock moves or records are appended.
pub fn run_due(env: &Env<'_>) -> Result<(), AwsError> {
    delivery::deliver_due(env)?;
    digest::deliver_digests_due(env)?;
    lake::ingest_due(env)?;
    Ok(())
}
