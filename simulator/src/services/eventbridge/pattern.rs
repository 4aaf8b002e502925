//! EventBridge event patterns.
