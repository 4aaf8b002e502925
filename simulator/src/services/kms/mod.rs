//! The KMS service (regional): customer managed keys, key policies, rotation, scheduled
//! deletion, aliases and tags. No cryptography: keys are metadata only.

pub mod aliases;
pub mod keys;
pub mod model;
pub mod policy;
pub mod refs;
pub mod tags;

use serde_json::Value;

use super::{Env, EventResource, parse_request, to_compact_response};
use crate::context::CallerContext;
use crate::error::AwsError;

pub use aliases::{create_alias, delete_alias, list_aliases, update_alias};
pub use keys::{
    cancel_key_deletion, create_key, default_key_policy, describe_key, disable_key,
    disable_key_rotation, enable_key, enable_key_rotation, get_key_policy, get_key_rotation_status,
    list_key_policies, list_keys, put_key_policy, schedule_key_deletion, update_key_description,
};
pub use policy::policy_allows_service;
pub use tags::{list_resource_tags, tag_resource, untag_resource};

pub const EVENT_SOURCE: &str = "kms.amazonaws.com";
pub(crate) const SERVICE: &str = "kms";

/// The operations this simulator implements.
pub const OPERATIONS: &[&str] = &[
    "CancelKeyDeletion",
    "CreateAlias",
    "CreateKey",
    "DeleteAlias",
    "DescribeKey",
    "DisableKey",
    "DisableKeyRotation",
    "EnableKey",
    "EnableKeyRotation",
    "GetKeyPolicy",
    "GetKeyRotationStatus",
    "ListAliases",
    "ListKeyPolicies",
    "ListKeys",
    "ListResourceTags",
    "PutKeyPolicy",
    "ScheduleKeyDeletion",
    "TagResource",
    "UntagResource",
    "UpdateAlias",
    "UpdateKeyDescription",
];

/// Runs one KMS operation on a JSON request.
pub fn dispatch(
    env: &Env<'_>,
    ctx: &CallerContext,
    operation: &str,
    req: &Value,
) -> Result<Value, AwsError> {
    macro_rules! op {
        ($f:path) => {
            to_compact_response(&$f(env, ctx, parse_request(req)?)?)
        };
    }
    match operation {
        "CancelKeyDeletion" => op!(cancel_key_deletion),
        "CreateAlias" => op!(create_alias),
        "CreateKey" => op!(create_key),
        "DeleteAlias" => op!(delete_alias),
        "DescribeKey" => op!(describe_key),
        "DisableKey" => op!(disable_key),
        "DisableKeyRotation" => op!(disable_key_rotation),
        "EnableKey" => op!(enable_key),
        "EnableKeyRotation" => op!(enable_key_rotation),
        "GetKeyPolicy" => op!(get_key_policy),
        "GetKeyRotationStatus" => op!(get_key_rotation_status),
        "ListAliases" => op!(list_aliases),
        "ListKeyPolicies" => op!(list_key_policies),
        "ListKeys" => op!(list_keys),
        "ListResourceTags" => op!(list_resource_tags),
        "PutKeyPolicy" => op!(put_key_policy),
        "ScheduleKeyDeletion" => op!(schedule_key_deletion),
        "TagResource" => op!(tag_resource),
        "UntagResource" => op!(untag_resource),
        "UpdateAlias" => op!(update_alias),
        "UpdateKeyDescription" => op!(update_key_description),
        _ => Err(AwsError::unknown_operation(SERVICE, operation)),
    }
}

/// KMS's read-only operations.
pub fn is_read_only(operation: &str) -> bool {
    ["Get", "Describe", "List"]
        .iter()
        .any(|p| operation.starts_with(p))
}

/// The key a request names by id or key ARN (`AWS::KMS::Key`). Aliases are not resolved
/// here (no store access); CreateKey's key only exists in the response.
pub fn resources(operation: &str, req: &Value, ctx: &CallerContext) -> Vec<EventResource> {
    let member = match operation {
        "CreateAlias" | "UpdateAlias" => "TargetKeyId",
        "CreateKey" | "ListKeys" | "ListAliases" | "DeleteAlias" => return Vec::new(),
        _ => "KeyId",
    };
    let Some(given) = req.get(member).and_then(Value::as_str) else {
        return Vec::new();
    };
    match refs::parse_key_ref(given) {
        Ok(refs::KeyRef::Key {
            account,
            region,
            key_id,
        }) => {
            let account = account.unwrap_or_else(|| ctx.account_id.clone());
            let region = region.unwrap_or_else(|| ctx.region.clone());
            vec![EventResource {
                resource_type: "AWS::KMS::Key".to_string(),
                resource_name: given.to_string(),
                arn: Some(refs::key_arn(&region, &account, &key_id)),
                account_id: Some(account),
            }]
        }
        _ => Vec::new(),
    }
}

/// What other services (CloudTrail's checks) need to know about a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInfo {
    pub key_id: String,
    pub arn: String,
    pub account: String,
    pub region: String,
    /// The key policy document (JSON text).
    pub policy: String,
    /// `Enabled`, `Disabled` or `PendingDeletion`.
    pub state: String,
}

/// Resolves a key reference (key id, key ARN, `alias/x` or alias ARN) as seen from
/// `account`/`region`. `Ok(None)` when no such key or alias exists; `Err` only for a
/// malformed reference or a store failure.
pub fn resolve_key(
    env: &Env<'_>,
    account: &str,
    region: &str,
    key_ref: &str,
) -> Result<Option<KeyInfo>, AwsError> {
    match keys::find_key(env, account, region, key_ref) {
        Ok(k) => {
            let m = k.key_metadata;
            let region = m.arn.split(':').nth(3).unwrap_or_default().to_string();
            Ok(Some(KeyInfo {
                key_id: m.key_id,
                arn: m.arn,
                account: m.aws_account_id,
                region,
                policy: k.policy,
                state: m.key_state,
            }))
        }
        Err(e) if e.code == "NotFoundException" => {
            // "Invalid keyId" is a malformed reference, not an absent key.
            if e.message.starts_with("Invalid keyId") {
                Err(e)
            } else {
                Ok(None)
            }
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests;
