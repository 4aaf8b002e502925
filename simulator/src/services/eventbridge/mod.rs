//! Amazon EventBridge (regional): rules with event patterns, their targets, and the
//! CloudTrail events that reach the default event bus.

pub mod envelope;
pub mod pattern;
