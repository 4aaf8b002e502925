//! Amazon S3: buckets (global namespace, owner account and region), their configuration
//! (policy, public access block, versioning, encryption, lifecycle, ownership controls,
//! ACL, logging, tags) and objects whose bodies are real files under the state folder.
//!
//! Helpers for other parts of the simulator (no recording, no caller checks):
//! [`bucket`], [`buckets`], [`is_public`], [`put_object_internal`], [`object`],
//! [`object_bytes`], [`list_objects`].

pub mod acl;
pub mod buckets;
pub mod config;
pub mod errors;
pub mod files;
pub mod model;
pub mod names;
pub mod objects;
pub mod policy;

use serde_json::Value;

use super::{Env, EventResource, parse_request, to_response};
use crate::context::CallerContext;
use crate::error::AwsError;

pub use acl::{
    delete_bucket_ownership_controls, delete_public_access_block, get_bucket_acl,
    get_bucket_ownership_controls, get_public_access_block, is_public, put_bucket_acl,
    put_bucket_ownership_controls, put_public_access_block,
};
pub use buckets::{
    BucketInfo, bucket, bucket_arn, buckets, canonical_user_id, create_bucket, delete_bucket,
    get_bucket_location, head_bucket, list_buckets,
};
pub use config::{
    delete_bucket_encryption, delete_bucket_lifecycle, delete_bucket_tagging,
    get_bucket_encryption, get_bucket_lifecycle_configuration, get_bucket_logging,
    get_bucket_tagging, get_bucket_versioning, get_object_lock_configuration,
    put_bucket_encryption, put_bucket_lifecycle_configuration, put_bucket_logging,
    put_bucket_tagging, put_bucket_versioning,
};
pub use objects::{
    ObjectInfo, delete_object, get_object, head_object, list_objects, list_objects_v2, object,
    object_bytes, put_object, put_object_internal,
};
pub use policy::{delete_bucket_policy, get_bucket_policy, put_bucket_policy};

pub const EVENT_SOURCE: &str = "s3.amazonaws.com";

/// The operations this simulator implements.
pub const OPERATIONS: &[&str] = &[
    "CreateBucket",
    "DeleteBucket",
    "DeleteBucketEncryption",
    "DeleteBucketLifecycle",
    "DeleteBucketOwnershipControls",
    "DeleteBucketPolicy",
    "DeleteBucketTagging",
    "DeleteObject",
    "DeletePublicAccessBlock",
    "GetBucketAcl",
    "GetBucketEncryption",
    "GetBucketLifecycleConfiguration",
    "GetBucketLocation",
    "GetBucketLogging",
    "GetBucketOwnershipControls",
    "GetBucketPolicy",
    "GetBucketTagging",
    "GetBucketVersioning",
    "GetObject",
    "GetObjectLockConfiguration",
    "GetPublicAccessBlock",
    "HeadBucket",
    "HeadObject",
    "ListBuckets",
    "ListObjectsV2",
    "PutBucketAcl",
    "PutBucketEncryption",
    "PutBucketLifecycleConfiguration",
    "PutBucketLogging",
    "PutBucketOwnershipControls",
    "PutBucketPolicy",
    "PutBucketTagging",
    "PutBucketVersioning",
    "PutObject",
    "PutPublicAccessBlock",
];

/// Runs one S3 operation on a JSON request.
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
        "CreateBucket" => op!(create_bucket),
        "DeleteBucket" => op!(delete_bucket),
        "DeleteBucketEncryption" => op!(delete_bucket_encryption),
        "DeleteBucketLifecycle" => op!(delete_bucket_lifecycle),
        "DeleteBucketOwnershipControls" => op!(delete_bucket_ownership_controls),
        "DeleteBucketPolicy" => op!(delete_bucket_policy),
        "DeleteBucketTagging" => op!(delete_bucket_tagging),
        "DeleteObject" => op!(delete_object),
        "DeletePublicAccessBlock" => op!(delete_public_access_block),
        "GetBucketAcl" => op!(get_bucket_acl),
        "GetBucketEncryption" => op!(get_bucket_encryption),
        "GetBucketLifecycleConfiguration" => op!(get_bucket_lifecycle_configuration),
        "GetBucketLocation" => op!(get_bucket_location),
        "GetBucketLogging" => op!(get_bucket_logging),
        "GetBucketOwnershipControls" => op!(get_bucket_ownership_controls),
        "GetBucketPolicy" => op!(get_bucket_policy),
        "GetBucketTagging" => op!(get_bucket_tagging),
        "GetBucketVersioning" => op!(get_bucket_versioning),
        "GetObject" => op!(get_object),
        "GetObjectLockConfiguration" => op!(get_object_lock_configuration),
        "GetPublicAccessBlock" => op!(get_public_access_block),
        "HeadBucket" => op!(head_bucket),
        "HeadObject" => op!(head_object),
        "ListBuckets" => op!(list_buckets),
        "ListObjectsV2" => op!(list_objects_v2),
        "PutBucketAcl" => op!(put_bucket_acl),
        "PutBucketEncryption" => op!(put_bucket_encryption),
        "PutBucketLifecycleConfiguration" => op!(put_bucket_lifecycle_configuration),
        "PutBucketLogging" => op!(put_bucket_logging),
        "PutBucketOwnershipControls" => op!(put_bucket_ownership_controls),
        "PutBucketPolicy" => op!(put_bucket_policy),
        "PutBucketTagging" => op!(put_bucket_tagging),
        "PutBucketVersioning" => op!(put_bucket_versioning),
        "PutObject" => op!(put_object),
        "PutPublicAccessBlock" => op!(put_public_access_block),
        _ => Err(AwsError::unknown_operation("s3", operation)),
    }
}

/// S3's read-only operations.
pub fn is_read_only(operation: &str) -> bool {
    ["Get", "Head", "List"]
        .iter()
        .any(|p| operation.starts_with(p))
}

/// The bucket (and object) a request names, as CloudTrail lists them for S3.
pub fn resources(operation: &str, req: &Value, _ctx: &CallerContext) -> Vec<EventResource> {
    let Some(bucket) = req.get("Bucket").and_then(Value::as_str) else {
        return Vec::new();
    };
    if bucket.is_empty() || operation == "ListBuckets" {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Some(key) = req.get("Key").and_then(Value::as_str)
        && !key.is_empty()
    {
        out.push(EventResource {
            resource_type: "AWS::S3::Object".to_string(),
            resource_name: format!("{bucket}/{key}"),
            arn: Some(format!("arn:aws:s3:::{bucket}/{key}")),
            account_id: None,
        });
    }
    out.push(EventResource {
        resource_type: "AWS::S3::Bucket".to_string(),
        resource_name: bucket.to_string(),
        arn: Some(bucket_arn(bucket)),
        account_id: None,
    });
    out
}

#[cfg(test)]
mod tests;
