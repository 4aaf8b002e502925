//! The event data plane: pure functions that decide where a recorded CloudTrail event goes.

pub mod digest;
pub mod selectors;
pub mod validate;

use crate::error::AwsError;
use crate::services::Env;

/// Does the delivery work that has come due at `env.now` (digest files).
pub fn run_due(env: &Env<'_>) -> Result<(), AwsError> {
    digest::deliver_digests_due(env)?;
    Ok(())
}
