pub const EVENT_SOURCE: &str = "organizations.amazonaws.com";
pub fn dispatch(
    _e: &super::Env<'_>,
    _c: &crate::context::CallerContext,
    op: &str,
    _r: &serde_json::Value,
) -> Result<serde_json::Value, crate::error::AwsError> {
    Err(crate::error::AwsError::unknown_operation(
        "organizations",
        op,
    ))
}
pub fn is_read_only(_o: &str) -> bool {
    false
}
