//! AWS STS: GetCallerIdentity and AssumeRole (deterministic temporary credentials; the
//! sessions are kept so their access keys map back to `AssumedRole` principals).
//!
//! Helpers for other parts of the simulator (no recording): [`session`],
//! [`caller_for_access_key`], [`role_id_for`].

pub mod assume;
pub mod identity;
pub mod model;

use serde_json::Value;

use super::{Env, EventResource, parse_request, to_response};
use crate::context::CallerContext;
use crate::error::AwsError;

pub use assume::{SessionInfo, assume_role, caller_for_access_key, role_id_for, session};
pub use identity::get_caller_identity;

pub const EVENT_SOURCE: &str = "sts.amazonaws.com";

/// The operations this simulator implements.
pub const OPERATIONS: &[&str] = &["AssumeRole", "GetCallerIdentity"];

/// Runs one STS operation on a JSON request.
pub fn dispatch(
    env: &Env<'_>,
    ctx: &CallerContext,
    operation: &str,
    req: &Value,
) -> Result<Value, AwsError> {
    macro_rules! op {
        ($f:path) => {
            to_response(&$f(env, ctx, parse_request(req)?)?)
        };
    }
    match operation {
        "AssumeRole" => op!(assume_role),
        "GetCallerIdentity" => op!(get_caller_identity),
        _ => Err(AwsError::unknown_operation("sts", operation)),
    }
}

/// CloudTrail records both STS calls as read-only.
pub fn is_read_only(operation: &str) -> bool {
    matches!(operation, "AssumeRole" | "GetCallerIdentity")
        || ["Get", "Decode"].iter().any(|p| operation.starts_with(p))
}

/// AssumeRole names the role.
pub fn resources(operation: &str, req: &Value, _ctx: &CallerContext) -> Vec<EventResource> {
    if operation != "AssumeRole" {
        return Vec::new();
    }
    let Some(arn) = req.get("RoleArn").and_then(Value::as_str) else {
        return Vec::new();
    };
    let Some((account, _)) = assume::parse_role_arn(arn) else {
        return Vec::new();
    };
    vec![EventResource {
        resource_type: "AWS::IAM::Role".to_string(),
        resource_name: arn.to_string(),
        arn: Some(arn.to_string()),
        account_id: Some(account),
    }]
}

#[cfg(test)]
mod tests;
