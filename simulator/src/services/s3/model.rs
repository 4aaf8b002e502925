//! S3 request and response shapes as JSON, with the member names of the AWS SDK shapes
//! (PascalCase; `ACL`, `SSEKMSKeyId`, `KMSMasterKeyID`, `MFADelete`, `ID`, `URI`).
//! Timestamps are epoch seconds (`f64`). Blob members (`Body`) are base64 strings.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

/// A request timestamp: epoch seconds, or an RFC 3339 string for convenience.
pub fn de_timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Ts {
        Secs(f64),
        Text(String),
    }
    match Option::<Ts>::deserialize(d)? {
        None => Ok(None),
        Some(Ts::Secs(s)) => Ok(Some(s)),
        Some(Ts::Text(t)) => chrono::DateTime::parse_from_rfc3339(&t)
            .map(|dt| Some(dt.timestamp_millis() as f64 / 1000.0))
            .map_err(|_| serde::de::Error::custom(format!("invalid timestamp {t}"))),
    }
}

shape! {
    /// An empty response (AWS answers 200/204 with no body).
    pub struct Empty {}
}

shape! {
    /// A request that names only the bucket.
    pub struct BucketRequest {
        pub bucket: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub expected_bucket_owner: Option<String>,
    }
}

// ---- buckets ----

shape! {
    pub struct CreateBucketConfiguration {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub location_constraint: Option<String>,
    }
}

shape! {
    pub struct CreateBucketRequest {
        pub bucket: String,
        #[serde(rename = "ACL", skip_serializing_if = "Option::is_none")]
        pub acl: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub create_bucket_configuration: Option<CreateBucketConfiguration>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub object_lock_enabled_for_bucket: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub object_ownership: Option<String>,
    }
}

shape! {
    pub struct CreateBucketResponse {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub location: Option<String>,
    }
}

shape! {
    pub struct HeadBucketResponse {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub bucket_region: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub access_point_alias: Option<bool>,
    }
}

shape! {
    pub struct ListBucketsRequest {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub max_buckets: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub continuation_token: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub prefix: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub bucket_region: Option<String>,
    }
}

shape! {
    pub struct Bucket {
        pub name: String,
        pub creation_date: f64,
        pub bucket_region: String,
    }
}

shape! {
    /// A canonical user. `DisplayName` is no longer returned by AWS.
    pub struct Owner {
        #[serde(rename = "ID", skip_serializing_if = "Option::is_none")]
        pub id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub display_name: Option<String>,
    }
}

shape! {
    pub struct ListBucketsResponse {
        #[serde(default)]
        pub buckets: Vec<Bucket>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub owner: Option<Owner>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub continuation_token: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub prefix: Option<String>,
    }
}

/// GetBucketLocation: `LocationConstraint` is `null` for us-east-1, as the AWS CLI shows it.
#[derive(Serialize, Deserialize, Debug, Clone, Default, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct GetBucketLocationResponse {
    pub location_constraint: Option<String>,
}

// ---- policy ----

shape! {
    pub struct PutBucketPolicyRequest {
        pub bucket: String,
        pub policy: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub confirm_remove_self_bucket_access: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub expected_bucket_owner: Option<String>,
    }
}

shape! {
    pub struct GetBucketPolicyResponse {
        pub policy: String,
    }
}

// ---- public access block ----

shape! {
    pub struct PublicAccessBlockConfiguration {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub block_public_acls: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub ignore_public_acls: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub block_public_policy: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub restrict_public_buckets: Option<bool>,
    }
}

impl PublicAccessBlockConfiguration {
    /// All four settings on: what new buckets get since April 2023.
    pub fn all_blocked() -> Self {
        PublicAccessBlockConfiguration {
            block_public_acls: Some(true),
            ignore_public_acls: Some(true),
            block_public_policy: Some(true),
            restrict_public_buckets: Some(true),
        }
    }

    /// Absent settings are `false`, as AWS stores them.
    pub fn normalized(&self) -> Self {
        PublicAccessBlockConfiguration {
            block_public_acls: Some(self.block_public_acls.unwrap_or(false)),
            ignore_public_acls: Some(self.ignore_public_acls.unwrap_or(false)),
            block_public_policy: Some(self.block_public_policy.unwrap_or(false)),
            restrict_public_buckets: Some(self.restrict_public_buckets.unwrap_or(false)),
        }
    }
}

shape! {
    pub struct PutPublicAccessBlockRequest {
        pub bucket: String,
        pub public_access_block_configuration: PublicAccessBlockConfiguration,
    }
}

shape! {
    pub struct GetPublicAccessBlockResponse {
        pub public_access_block_configuration: PublicAccessBlockConfiguration,
    }
}

// ---- versioning ----

shape! {
    pub struct VersioningConfiguration {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub status: Option<String>,
        #[serde(rename = "MFADelete", skip_serializing_if = "Option::is_none")]
        pub mfa_delete: Option<String>,
    }
}

shape! {
    pub struct PutBucketVersioningRequest {
        pub bucket: String,
        pub versioning_configuration: VersioningConfiguration,
        /// `"SERIAL TOKEN"`, required to change MFA delete.
        #[serde(rename = "MFA", skip_serializing_if = "Option::is_none")]
        pub mfa: Option<String>,
    }
}

pub type GetBucketVersioningResponse = VersioningConfiguration;

// ---- object lock ----

shape! {
    pub struct ObjectLockConfiguration {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub object_lock_enabled: Option<String>,
    }
}

shape! {
    pub struct GetObjectLockConfigurationResponse {
        pub object_lock_configuration: ObjectLockConfiguration,
    }
}

// ---- encryption ----

shape! {
    pub struct ServerSideEncryptionByDefault {
        #[serde(rename = "SSEAlgorithm")]
        pub sse_algorithm: String,
        #[serde(rename = "KMSMasterKeyID", skip_serializing_if = "Option::is_none")]
        pub kms_master_key_id: Option<String>,
    }
}

shape! {
    pub struct ServerSideEncryptionRule {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub apply_server_side_encryption_by_default: Option<ServerSideEncryptionByDefault>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub bucket_key_enabled: Option<bool>,
    }
}

shape! {
    pub struct ServerSideEncryptionConfiguration {
        #[serde(default)]
        pub rules: Vec<ServerSideEncryptionRule>,
    }
}

impl ServerSideEncryptionConfiguration {
    /// SSE-S3 (`AES256`), the default of every bucket since January 2023.
    pub fn sse_s3_default() -> Self {
        ServerSideEncryptionConfiguration {
            rules: vec![ServerSideEncryptionRule {
                apply_server_side_encryption_by_default: Some(ServerSideEncryptionByDefault {
                    sse_algorithm: "AES256".into(),
                    kms_master_key_id: None,
                }),
                bucket_key_enabled: Some(false),
            }],
        }
    }
}

shape! {
    pub struct PutBucketEncryptionRequest {
        pub bucket: String,
        pub server_side_encryption_configuration: ServerSideEncryptionConfiguration,
    }
}

shape! {
    pub struct GetBucketEncryptionResponse {
        pub server_side_encryption_configuration: ServerSideEncryptionConfiguration,
    }
}

// ---- lifecycle ----

shape! {
    pub struct Tag {
        pub key: String,
        #[serde(default)]
        pub value: String,
    }
}

shape! {
    pub struct LifecycleRuleAndOperator {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub prefix: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub tags: Option<Vec<Tag>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub object_size_greater_than: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub object_size_less_than: Option<i64>,
    }
}

shape! {
    pub struct LifecycleRuleFilter {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub prefix: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub tag: Option<Tag>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub object_size_greater_than: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub object_size_less_than: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub and: Option<LifecycleRuleAndOperator>,
    }
}

shape! {
    pub struct LifecycleExpiration {
        #[serde(default, deserialize_with = "de_timestamp", skip_serializing_if = "Option::is_none")]
        pub date: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub days: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub expired_object_delete_marker: Option<bool>,
    }
}

shape! {
    pub struct Transition {
        #[serde(default, deserialize_with = "de_timestamp", skip_serializing_if = "Option::is_none")]
        pub date: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub days: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub storage_class: Option<String>,
    }
}

shape! {
    pub struct NoncurrentVersionExpiration {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub noncurrent_days: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub newer_noncurrent_versions: Option<i64>,
    }
}

shape! {
    pub struct NoncurrentVersionTransition {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub noncurrent_days: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub storage_class: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub newer_noncurrent_versions: Option<i64>,
    }
}

shape! {
    pub struct AbortIncompleteMultipartUpload {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub days_after_initiation: Option<i64>,
    }
}

shape! {
    pub struct LifecycleRule {
        #[serde(rename = "ID", skip_serializing_if = "Option::is_none")]
        pub id: Option<String>,
        pub status: String,
        /// Deprecated top-level prefix (pre-`Filter` rules).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub prefix: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub filter: Option<LifecycleRuleFilter>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub expiration: Option<LifecycleExpiration>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub transitions: Option<Vec<Transition>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub noncurrent_version_expiration: Option<NoncurrentVersionExpiration>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub noncurrent_version_transitions: Option<Vec<NoncurrentVersionTransition>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub abort_incomplete_multipart_upload: Option<AbortIncompleteMultipartUpload>,
    }
}

shape! {
    pub struct BucketLifecycleConfiguration {
        #[serde(default)]
        pub rules: Vec<LifecycleRule>,
    }
}

shape! {
    pub struct PutBucketLifecycleConfigurationRequest {
        pub bucket: String,
        pub lifecycle_configuration: BucketLifecycleConfiguration,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub transition_default_minimum_object_size: Option<String>,
    }
}

shape! {
    pub struct PutBucketLifecycleConfigurationResponse {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub transition_default_minimum_object_size: Option<String>,
    }
}

shape! {
    pub struct GetBucketLifecycleConfigurationResponse {
        #[serde(default)]
        pub rules: Vec<LifecycleRule>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub transition_default_minimum_object_size: Option<String>,
    }
}

// ---- ownership controls ----

shape! {
    pub struct OwnershipControlsRule {
        pub object_ownership: String,
    }
}

shape! {
    pub struct OwnershipControls {
        #[serde(default)]
        pub rules: Vec<OwnershipControlsRule>,
    }
}

shape! {
    pub struct PutBucketOwnershipControlsRequest {
        pub bucket: String,
        pub ownership_controls: OwnershipControls,
    }
}

shape! {
    pub struct GetBucketOwnershipControlsResponse {
        pub ownership_controls: OwnershipControls,
    }
}

// ---- ACL ----

shape! {
    pub struct Grantee {
        /// `CanonicalUser`, `AmazonCustomerByEmail` or `Group`.
        pub r#type: String,
        #[serde(rename = "ID", skip_serializing_if = "Option::is_none")]
        pub id: Option<String>,
        #[serde(rename = "URI", skip_serializing_if = "Option::is_none")]
        pub uri: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub display_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub email_address: Option<String>,
    }
}

shape! {
    pub struct Grant {
        pub grantee: Grantee,
        pub permission: String,
    }
}

shape! {
    pub struct AccessControlPolicy {
        #[serde(default)]
        pub grants: Vec<Grant>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub owner: Option<Owner>,
    }
}

shape! {
    pub struct PutBucketAclRequest {
        pub bucket: String,
        #[serde(rename = "ACL", skip_serializing_if = "Option::is_none")]
        pub acl: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub access_control_policy: Option<AccessControlPolicy>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub grant_full_control: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub grant_read: Option<String>,
        #[serde(rename = "GrantReadACP", skip_serializing_if = "Option::is_none")]
        pub grant_read_acp: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub grant_write: Option<String>,
        #[serde(rename = "GrantWriteACP", skip_serializing_if = "Option::is_none")]
        pub grant_write_acp: Option<String>,
    }
}

shape! {
    pub struct GetBucketAclResponse {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub owner: Option<Owner>,
        #[serde(default)]
        pub grants: Vec<Grant>,
    }
}

// ---- logging ----

shape! {
    pub struct TargetGrant {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub grantee: Option<Grantee>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub permission: Option<String>,
    }
}

shape! {
    pub struct LoggingEnabled {
        pub target_bucket: String,
        #[serde(default)]
        pub target_prefix: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub target_grants: Option<Vec<TargetGrant>>,
        /// `{SimplePrefix: {}}` or `{PartitionedPrefix: {PartitionDateSource}}`, kept as given.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub target_object_key_format: Option<serde_json::Value>,
    }
}

shape! {
    pub struct BucketLoggingStatus {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub logging_enabled: Option<LoggingEnabled>,
    }
}

shape! {
    pub struct PutBucketLoggingRequest {
        pub bucket: String,
        pub bucket_logging_status: BucketLoggingStatus,
    }
}

pub type GetBucketLoggingResponse = BucketLoggingStatus;

// ---- tagging ----

shape! {
    pub struct Tagging {
        #[serde(default)]
        pub tag_set: Vec<Tag>,
    }
}

shape! {
    pub struct PutBucketTaggingRequest {
        pub bucket: String,
        pub tagging: Tagging,
    }
}

pub type GetBucketTaggingResponse = Tagging;

// ---- objects ----

shape! {
    /// PutObject. `Body` is base64 (the AWS JSON blob form); `BodyText` is a ctsim extension
    /// taking the body as UTF-8 text. At most one of them; neither is an empty object.
    pub struct PutObjectRequest {
        pub bucket: String,
        pub key: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub body: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub body_text: Option<String>,
        #[serde(rename = "ACL", skip_serializing_if = "Option::is_none")]
        pub acl: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cache_control: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub content_disposition: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub content_encoding: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub content_language: Option<String>,
        #[serde(rename = "ContentMD5", skip_serializing_if = "Option::is_none")]
        pub content_md5: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub content_type: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub metadata: Option<BTreeMap<String, String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub server_side_encryption: Option<String>,
        #[serde(rename = "SSEKMSKeyId", skip_serializing_if = "Option::is_none")]
        pub ssekms_key_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub bucket_key_enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub storage_class: Option<String>,
        /// URL-query encoded tags (`k1=v1&k2=v2`), kept as given.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub tagging: Option<String>,
    }
}

shape! {
    pub struct PutObjectResponse {
        #[serde(rename = "ETag", skip_serializing_if = "Option::is_none")]
        pub etag: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub server_side_encryption: Option<String>,
        #[serde(rename = "SSEKMSKeyId", skip_serializing_if = "Option::is_none")]
        pub ssekms_key_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub bucket_key_enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub size: Option<i64>,
    }
}

shape! {
    pub struct GetObjectRequest {
        pub bucket: String,
        pub key: String,
        /// `bytes=FIRST-LAST`, `bytes=FIRST-` or `bytes=-SUFFIX`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub range: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub if_match: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub if_none_match: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub version_id: Option<String>,
    }
}

pub type HeadObjectRequest = GetObjectRequest;

shape! {
    /// GetObject and HeadObject (`Body`, base64, only for GetObject).
    pub struct GetObjectResponse {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub body: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub accept_ranges: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub content_length: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub content_range: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub content_type: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub content_encoding: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub content_disposition: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub content_language: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cache_control: Option<String>,
        #[serde(rename = "ETag", skip_serializing_if = "Option::is_none")]
        pub etag: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub last_modified: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub metadata: Option<BTreeMap<String, String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub server_side_encryption: Option<String>,
        #[serde(rename = "SSEKMSKeyId", skip_serializing_if = "Option::is_none")]
        pub ssekms_key_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub bucket_key_enabled: Option<bool>,
        /// Absent for STANDARD, as AWS omits the header.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub storage_class: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub tag_count: Option<i64>,
    }
}

shape! {
    pub struct DeleteObjectRequest {
        pub bucket: String,
        pub key: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub version_id: Option<String>,
    }
}

shape! {
    pub struct ListObjectsV2Request {
        pub bucket: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub prefix: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub delimiter: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub max_keys: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub continuation_token: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub start_after: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub fetch_owner: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub encoding_type: Option<String>,
    }
}

shape! {
    pub struct Object {
        pub key: String,
        pub last_modified: f64,
        #[serde(rename = "ETag")]
        pub etag: String,
        pub size: i64,
        pub storage_class: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub owner: Option<Owner>,
    }
}

shape! {
    pub struct CommonPrefix {
        pub prefix: String,
    }
}

shape! {
    pub struct ListObjectsV2Response {
        pub is_truncated: bool,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub contents: Vec<Object>,
        pub name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub prefix: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub delimiter: Option<String>,
        pub max_keys: i64,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub common_prefixes: Vec<CommonPrefix>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub encoding_type: Option<String>,
        pub key_count: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub continuation_token: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub next_continuation_token: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub start_after: Option<String>,
    }
}
