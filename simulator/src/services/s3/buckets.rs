//! Buckets: the stored bucket document, access checks (owner, region), CreateBucket,
//! DeleteBucket, HeadBucket, ListBuckets, GetBucketLocation, and the `bucket` helper.
//!
//! Bucket names are one namespace across all accounts and regions, so a bucket document is
//! stored with account "" and region "" and carries its owner and region in its body.

use serde::{Deserialize, Serialize};

use super::acl::{self, canned_policy};
use super::errors::*;
use super::files;
use super::model::*;
use super::names;
use crate::clock;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::Env;
use crate::store::DocKey;

pub const SERVICE: &str = "s3";
pub const BUCKET_KIND: &str = "bucket";

/// Object ownership of new buckets since April 2023 (ACLs disabled).
pub const DEFAULT_OBJECT_OWNERSHIP: &str = "BucketOwnerEnforced";
pub const OBJECT_OWNERSHIPS: &[&str] = &[
    "BucketOwnerEnforced",
    "BucketOwnerPreferred",
    "ObjectWriter",
];

/// Everything S3 keeps about a bucket (objects are separate documents).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BucketDoc {
    pub name: String,
    pub owner_account_id: String,
    pub region: String,
    /// As given at creation (`EU` stays `EU`); `None` for us-east-1.
    pub location_constraint: Option<String>,
    pub creation_ms: i64,
    pub policy: Option<String>,
    pub public_access_block: Option<PublicAccessBlockConfiguration>,
    pub versioning: Option<VersioningConfiguration>,
    /// `None` means the SSE-S3 default.
    pub encryption: Option<ServerSideEncryptionConfiguration>,
    pub lifecycle: Option<GetBucketLifecycleConfigurationResponse>,
    /// `None` after DeleteBucketOwnershipControls (ACLs enabled, object writer owns).
    pub object_ownership: Option<String>,
    pub acl: AccessControlPolicy,
    pub logging: Option<LoggingEnabled>,
    pub object_lock_enabled: bool,
}

impl BucketDoc {
    pub fn arn(&self) -> String {
        bucket_arn(&self.name)
    }

    /// Whether ACLs are disabled (object ownership `BucketOwnerEnforced`).
    pub fn acls_disabled(&self) -> bool {
        self.object_ownership.as_deref() == Some("BucketOwnerEnforced")
    }

    pub fn encryption_or_default(&self) -> ServerSideEncryptionConfiguration {
        self.encryption
            .clone()
            .unwrap_or_else(ServerSideEncryptionConfiguration::sse_s3_default)
    }
}

pub fn bucket_arn(name: &str) -> String {
    format!("arn:aws:s3:::{name}")
}

fn doc_key(name: &str) -> DocKey<'_> {
    DocKey {
        service: SERVICE,
        kind: BUCKET_KIND,
        account_id: "",
        region: "",
        id: name,
    }
}

/// The stored bucket, whoever owns it.
pub fn load(env: &Env<'_>, name: &str) -> Result<Option<BucketDoc>, AwsError> {
    match env.db.document(&doc_key(name))? {
        None => Ok(None),
        Some(v) => serde_json::from_value(v)
            .map(Some)
            .map_err(|e| AwsError::internal(format!("corrupt bucket document {name}: {e}"))),
    }
}

pub fn save(env: &Env<'_>, doc: &BucketDoc) -> Result<(), AwsError> {
    let body = serde_json::to_value(doc)
        .map_err(|e| AwsError::internal(format!("cannot serialise bucket: {e}")))?;
    env.db
        .put_document(&doc_key(&doc.name), &body, clock::to_millis(env.now))?;
    Ok(())
}

/// Every bucket of every account, ordered by name.
pub fn all(env: &Env<'_>) -> Result<Vec<BucketDoc>, AwsError> {
    env.db
        .documents(SERVICE, BUCKET_KIND, Some(""), Some(""))?
        .into_iter()
        .map(|d| {
            serde_json::from_value(d.body)
                .map_err(|e| AwsError::internal(format!("corrupt bucket document {}: {e}", d.id)))
        })
        .collect()
}

/// The bucket a call addresses, checked as S3 does: it exists, the call went to its
/// region's endpoint, and the caller's account owns it (resource policies granting other
/// accounts are not evaluated).
pub fn owned(env: &Env<'_>, ctx: &CallerContext, name: &str) -> Result<BucketDoc, AwsError> {
    let doc = load(env, name)?.ok_or_else(no_such_bucket)?;
    if doc.region != ctx.region {
        return Err(permanent_redirect(name, &doc.region));
    }
    if doc.owner_account_id != ctx.account_id {
        return Err(access_denied());
    }
    Ok(doc)
}

/// A 64-hex-digit canonical user id derived from the account.
pub fn canonical_user_id(account_id: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(
        format!("s3-canonical-user:{account_id}").as_bytes(),
    ))
}

pub fn create_bucket(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: CreateBucketRequest,
) -> Result<CreateBucketResponse, AwsError> {
    names::validate_bucket_name(&req.bucket)?;
    let constraint = req
        .create_bucket_configuration
        .as_ref()
        .and_then(|c| c.location_constraint.clone())
        .filter(|c| !c.is_empty());
    let region = names::creation_region(&ctx.region, constraint.as_deref())?;
    let location = if region == "us-east-1" {
        format!("/{}", req.bucket)
    } else {
        format!("http://{}.s3.amazonaws.com/", req.bucket)
    };
    if let Some(existing) = load(env, &req.bucket)? {
        if existing.owner_account_id != ctx.account_id {
            return Err(AwsError::new(
                "BucketAlreadyExists",
                "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
                409,
            ));
        }
        // us-east-1 keeps its legacy answer: re-creating your own bucket succeeds.
        if existing.region == "us-east-1" && region == "us-east-1" {
            return Ok(CreateBucketResponse {
                location: Some(location),
            });
        }
        return Err(AwsError::new(
            "BucketAlreadyOwnedByYou",
            "Your previous request to create the named bucket succeeded and you already own it.",
            409,
        ));
    }
    let ownership = req
        .object_ownership
        .clone()
        .unwrap_or_else(|| DEFAULT_OBJECT_OWNERSHIP.to_string());
    if !OBJECT_OWNERSHIPS.contains(&ownership.as_str()) {
        return Err(invalid_argument(format!(
            "Invalid x-amz-object-ownership header: {ownership}"
        )));
    }
    let owner_id = canonical_user_id(&ctx.account_id);
    let acl_policy = match req.acl.as_deref() {
        None => canned_policy("private", &owner_id)?,
        Some(canned) => {
            let p = canned_policy(canned, &owner_id)?;
            if ownership == "BucketOwnerEnforced" && !acl::is_owner_only(&p, &owner_id) {
                return Err(acl::invalid_acl_with_ownership());
            }
            // New buckets block public access, so a public canned ACL cannot be applied.
            if acl::acl_is_public(&p) {
                return Err(AwsError::client(
                    "InvalidBucketAclWithBlockPublicAccessError",
                    "Bucket cannot have public ACLs set with BlockPublicAccess enabled",
                ));
            }
            p
        }
    };
    let object_lock = req.object_lock_enabled_for_bucket.unwrap_or(false);
    let doc = BucketDoc {
        name: req.bucket.clone(),
        owner_account_id: ctx.account_id.clone(),
        region: region.to_string(),
        location_constraint: constraint,
        creation_ms: clock::to_millis(env.now),
        policy: None,
        public_access_block: Some(PublicAccessBlockConfiguration::all_blocked()),
        // Object Lock requires (and turns on) versioning.
        versioning: object_lock.then(|| VersioningConfiguration {
            status: Some("Enabled".into()),
            mfa_delete: None,
        }),
        encryption: None,
        lifecycle: None,
        object_ownership: Some(ownership),
        acl: acl_policy,
        logging: None,
        object_lock_enabled: object_lock,
    };
    save(env, &doc)?;
    Ok(CreateBucketResponse {
        location: Some(location),
    })
}

pub fn delete_bucket(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: BucketRequest,
) -> Result<Empty, AwsError> {
    let doc = owned(env, ctx, &req.bucket)?;
    if !super::objects::stored_objects(env, &doc.name)?.is_empty() {
        return Err(AwsError::new(
            "BucketNotEmpty",
            "The bucket you tried to delete is not empty",
            409,
        ));
    }
    env.db.delete_document(&doc_key(&doc.name))?;
    for (k, _) in env.db.tags(&doc.arn())? {
        env.db.remove_tag(&doc.arn(), &k)?;
    }
    files::remove_bucket_dir(env.state_dir, &doc.name)?;
    Ok(Empty {})
}

/// HeadBucket. Errors carry no body, so they surface as `NotFound`, `Forbidden` or
/// `MovedPermanently`, as SDKs report them.
pub fn head_bucket(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: BucketRequest,
) -> Result<HeadBucketResponse, AwsError> {
    let doc = owned(env, ctx, &req.bucket).map_err(head_error)?;
    Ok(HeadBucketResponse {
        bucket_region: Some(doc.region),
        access_point_alias: Some(false),
    })
}

/// ListBuckets: the caller's buckets in every region, by name.
pub fn list_buckets(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ListBucketsRequest,
) -> Result<ListBucketsResponse, AwsError> {
    let max = match req.max_buckets {
        None => 10_000,
        Some(n) if (1..=10_000).contains(&n) => n as usize,
        Some(_) => {
            return Err(invalid_argument(
                "Argument max-buckets must be between 1 and 10000",
            ));
        }
    };
    let after = match &req.continuation_token {
        None => None,
        Some(t) => Some(
            decode_token(t)
                .ok_or_else(|| invalid_argument("The continuation token provided is incorrect"))?,
        ),
    };
    let mut mine: Vec<BucketDoc> = all(env)?
        .into_iter()
        .filter(|b| b.owner_account_id == ctx.account_id)
        .filter(|b| req.prefix.as_deref().is_none_or(|p| b.name.starts_with(p)))
        .filter(|b| req.bucket_region.as_deref().is_none_or(|r| b.region == r))
        .filter(|b| after.as_deref().is_none_or(|a| b.name.as_str() > a))
        .collect();
    let truncated = mine.len() > max;
    mine.truncate(max);
    let token = if truncated {
        mine.last().map(|b| encode_token(&b.name))
    } else {
        None
    };
    Ok(ListBucketsResponse {
        buckets: mine
            .into_iter()
            .map(|b| Bucket {
                creation_date: clock::to_epoch_seconds(clock::from_millis(b.creation_ms)),
                bucket_region: b.region,
                name: b.name,
            })
            .collect(),
        owner: Some(Owner {
            id: Some(canonical_user_id(&ctx.account_id)),
            display_name: None,
        }),
        continuation_token: token,
        prefix: req.prefix,
    })
}

/// GetBucketLocation answers from any region's endpoint (it is how clients find a bucket).
pub fn get_bucket_location(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: BucketRequest,
) -> Result<GetBucketLocationResponse, AwsError> {
    let doc = load(env, &req.bucket)?.ok_or_else(no_such_bucket)?;
    if doc.owner_account_id != ctx.account_id {
        return Err(access_denied());
    }
    Ok(GetBucketLocationResponse {
        location_constraint: doc.location_constraint,
    })
}

/// An opaque continuation token carrying the last name or key returned.
pub fn encode_token(marker: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(format!("ctsim1:{marker}"))
}

pub fn decode_token(token: &str) -> Option<String> {
    use base64::Engine;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(token)
        .ok()?;
    String::from_utf8(raw)
        .ok()?
        .strip_prefix("ctsim1:")
        .map(String::from)
}

// ---- helpers for other parts of the simulator (no recording, no caller checks) ----

/// What other services need to know about a bucket.
#[derive(Debug, Clone, PartialEq)]
pub struct BucketInfo {
    pub name: String,
    pub arn: String,
    pub owner_account_id: String,
    pub region: String,
    pub creation_date: chrono::DateTime<chrono::Utc>,
    /// The bucket policy document as stored.
    pub policy: Option<String>,
    /// `None` when the bucket has no public access block configuration.
    pub public_access_block: Option<PublicAccessBlockConfiguration>,
    /// `Enabled`, `Suspended`, or `None` if versioning was never configured.
    pub versioning_status: Option<String>,
    pub mfa_delete: bool,
    /// The default encryption (`AES256`, `aws:kms`, `aws:kms:dsse`) and its KMS key.
    pub sse_algorithm: String,
    pub kms_master_key_id: Option<String>,
    pub bucket_key_enabled: bool,
    /// `None` when ownership controls were deleted.
    pub object_ownership: Option<String>,
    pub logging: Option<LoggingEnabled>,
    pub object_lock_enabled: bool,
    pub acl: AccessControlPolicy,
}

impl From<BucketDoc> for BucketInfo {
    fn from(d: BucketDoc) -> Self {
        let enc = d.encryption_or_default();
        let rule = enc.rules.first();
        let default = rule.and_then(|r| r.apply_server_side_encryption_by_default.clone());
        BucketInfo {
            arn: d.arn(),
            creation_date: clock::from_millis(d.creation_ms),
            versioning_status: d.versioning.as_ref().and_then(|v| v.status.clone()),
            mfa_delete: d.versioning.as_ref().and_then(|v| v.mfa_delete.as_deref())
                == Some("Enabled"),
            sse_algorithm: default
                .as_ref()
                .map(|d| d.sse_algorithm.clone())
                .unwrap_or_else(|| "AES256".into()),
            kms_master_key_id: default.and_then(|d| d.kms_master_key_id),
            bucket_key_enabled: rule.and_then(|r| r.bucket_key_enabled).unwrap_or(false),
            name: d.name,
            owner_account_id: d.owner_account_id,
            region: d.region,
            policy: d.policy,
            public_access_block: d.public_access_block,
            object_ownership: d.object_ownership,
            logging: d.logging,
            object_lock_enabled: d.object_lock_enabled,
            acl: d.acl,
        }
    }
}

/// The bucket named `name` in the global namespace, whoever owns it.
pub fn bucket(env: &Env<'_>, name: &str) -> Result<Option<BucketInfo>, AwsError> {
    Ok(load(env, name)?.map(BucketInfo::from))
}

/// Every bucket (all accounts), by name.
pub fn buckets(env: &Env<'_>) -> Result<Vec<BucketInfo>, AwsError> {
    Ok(all(env)?.into_iter().map(BucketInfo::from).collect())
}
