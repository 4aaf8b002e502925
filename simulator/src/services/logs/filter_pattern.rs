//! CloudWatch Logs filter patterns.
