//! TestEventPattern: whether an event matches a pattern, with the pattern compiled and the
//! event checked as PutRule and PutEvents would.

use serde_json::Value;

use super::errors::validation;
use super::model::{TestEventPatternRequest, TestEventPatternResponse};
use super::rules::compile_pattern;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::Env;

/// The envelope fields the API reference calls mandatory in `Event`.
const MANDATORY: [&str; 7] = [
    "id",
    "account",
    "source",
    "time",
    "region",
    "resources",
    "detail-type",
];

/// Whether `Event` is an event EventBridge would accept: a JSON object with every mandatory
/// field, the text ones strings, `resources` an array of strings and `time` a timestamp.
fn event_ok(event: &Value) -> bool {
    let Some(m) = event.as_object() else {
        return false;
    };
    MANDATORY.iter().all(|k| match (k, m.get(*k)) {
        (_, None) => false,
        (&"resources", Some(Value::Array(items))) => items.iter().all(Value::is_string),
        (&"resources", Some(_)) => false,
        (&"time", Some(Value::String(t))) => chrono::DateTime::parse_from_rfc3339(t).is_ok(),
        (_, Some(v)) => v.is_string(),
    })
}

pub fn test_event_pattern(
    _env: &Env<'_>,
    _ctx: &CallerContext,
    req: TestEventPatternRequest,
) -> Result<TestEventPatternResponse, AwsError> {
    let pattern = compile_pattern(&req.event_pattern)?;
    let event: Value = match serde_json::from_str(&req.event) {
        Ok(v) if event_ok(&v) => v,
        _ => return Err(validation("Parameter Event is not valid.")),
    };
    Ok(TestEventPatternResponse {
        result: pattern.matches(&event),
    })
}
