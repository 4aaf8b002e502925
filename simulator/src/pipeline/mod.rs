//! The event data plane: pure functions that decide where a recorded CloudTrail event goes.

pub mod selectors;
