pub const EVENT_SOURCE: &str = "sns.amazonaws.com";
use super::{Env, EventResource};
use crate::context::CallerContext;
use crate::error::AwsError;
use serde_json::Value;
pub fn dispatch(
    _env: &Env<'_>,
    _ctx: &CallerContext,
    operation: &str,
    _req: &Value,
) -> Result<Value, AwsError> {
    Err(AwsError::unknown_operation("sns", operation))
}
pub fn is_read_only(_operation: &str) -> bool {
    false
}
pub fn resources(_operation: &str, _req: &Value, _ctx: &CallerContext) -> Vec<EventResource> {
    Vec::new()
}
