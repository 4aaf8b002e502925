//! The EventBridge envelope of a CloudTrail event.
