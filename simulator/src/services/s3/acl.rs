//! Access control: bucket ACLs (canned and explicit grants), object ownership controls,
//! the public access block, and whether a bucket is public.

use super::buckets::{self, BucketDoc, OBJECT_OWNERSHIPS, canonical_user_id, owned, save};
use super::errors::*;
use super::model::*;
use super::policy;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::Env;

pub const ALL_USERS: &str = "http://acs.amazonaws.com/groups/global/AllUsers";
pub const AUTHENTICATED_USERS: &str = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
pub const LOG_DELIVERY: &str = "http://acs.amazonaws.com/groups/s3/LogDelivery";
const PERMISSIONS: &[&str] = &["FULL_CONTROL", "WRITE", "WRITE_ACP", "READ", "READ_ACP"];

pub const CANNED_ACLS: &[&str] = &[
    "private",
    "public-read",
    "public-read-write",
    "authenticated-read",
    "aws-exec-read",
    "bucket-owner-read",
    "bucket-owner-full-control",
    "log-delivery-write",
];

fn user(id: &str) -> Grantee {
    Grantee {
        r#type: "CanonicalUser".into(),
        id: Some(id.to_string()),
        ..Default::default()
    }
}

fn group(uri: &str) -> Grantee {
    Grantee {
        r#type: "Group".into(),
        uri: Some(uri.to_string()),
        ..Default::default()
    }
}

fn grant(grantee: Grantee, permission: &str) -> Grant {
    Grant {
        grantee,
        permission: permission.to_string(),
    }
}

/// The grants a canned ACL stands for on a bucket owned by `owner_id`.
pub fn canned_policy(canned: &str, owner_id: &str) -> Result<AccessControlPolicy, AwsError> {
    let mut grants = vec![grant(user(owner_id), "FULL_CONTROL")];
    match canned {
        "private" | "bucket-owner-read" | "bucket-owner-full-control" => {}
        "public-read" => grants.push(grant(group(ALL_USERS), "READ")),
        "public-read-write" => {
            grants.push(grant(group(ALL_USERS), "READ"));
            grants.push(grant(group(ALL_USERS), "WRITE"));
        }
        "authenticated-read" => grants.push(grant(group(AUTHENTICATED_USERS), "READ")),
        // EC2 reads AMI bundles; modelled as the EC2 canonical user.
        "aws-exec-read" => {
            grants.push(grant(user(&canonical_user_id("aws-exec-read:ec2")), "READ"))
        }
        "log-delivery-write" => {
            grants.push(grant(group(LOG_DELIVERY), "WRITE"));
            grants.push(grant(group(LOG_DELIVERY), "READ_ACP"));
        }
        other => {
            return Err(invalid_argument(format!(
                "The canned ACL {other} is not valid."
            )));
        }
    }
    Ok(AccessControlPolicy {
        grants,
        owner: Some(Owner {
            id: Some(owner_id.to_string()),
            display_name: None,
        }),
    })
}

/// True when every grant goes to the owner (what BucketOwnerEnforced allows).
pub fn is_owner_only(p: &AccessControlPolicy, owner_id: &str) -> bool {
    p.grants
        .iter()
        .all(|g| g.grantee.r#type == "CanonicalUser" && g.grantee.id.as_deref() == Some(owner_id))
}

/// True when a grant goes to everyone or to every authenticated AWS user.
pub fn acl_is_public(p: &AccessControlPolicy) -> bool {
    p.grants.iter().any(|g| {
        matches!(
            g.grantee.uri.as_deref(),
            Some(ALL_USERS) | Some(AUTHENTICATED_USERS)
        )
    })
}

pub fn invalid_acl_with_ownership() -> AwsError {
    AwsError::client(
        "InvalidBucketAclWithObjectOwnership",
        "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
    )
}

fn acl_not_supported() -> AwsError {
    AwsError::client(
        "AccessControlListNotSupported",
        "The bucket does not allow ACLs",
    )
}

fn pab(doc: &BucketDoc) -> PublicAccessBlockConfiguration {
    doc.public_access_block
        .clone()
        .unwrap_or_default()
        .normalized()
}

fn validate_grants(p: &AccessControlPolicy) -> Result<(), AwsError> {
    for g in &p.grants {
        if !PERMISSIONS.contains(&g.permission.as_str()) {
            return Err(AwsError::client(
                "MalformedACLError",
                "The XML you provided was not well-formed or did not validate against our published schema",
            ));
        }
        match g.grantee.r#type.as_str() {
            "CanonicalUser" if g.grantee.id.as_deref().is_some_and(|i| !i.is_empty()) => {}
            "CanonicalUser" => return Err(invalid_argument("Invalid id")),
            "Group" => match g.grantee.uri.as_deref() {
                Some(ALL_USERS | AUTHENTICATED_USERS | LOG_DELIVERY) => {}
                _ => return Err(invalid_argument("Invalid group uri")),
            },
            "AmazonCustomerByEmail" => {
                return Err(AwsError::client(
                    "UnresolvableGrantByEmailAddress",
                    "The e-mail address you provided does not match any account on record.",
                ));
            }
            _ => {
                return Err(AwsError::client(
                    "MalformedACLError",
                    "The XML you provided was not well-formed or did not validate against our published schema",
                ));
            }
        }
    }
    Ok(())
}

pub fn put_bucket_acl(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PutBucketAclRequest,
) -> Result<Empty, AwsError> {
    let mut doc = owned(env, ctx, &req.bucket)?;
    let owner_id = canonical_user_id(&doc.owner_account_id);
    let grant_headers = [
        &req.grant_full_control,
        &req.grant_read,
        &req.grant_read_acp,
        &req.grant_write,
        &req.grant_write_acp,
    ];
    if grant_headers.iter().any(|h| h.is_some()) {
        return Err(AwsError::new(
            "NotImplemented",
            "A header you provided implies functionality that is not implemented",
            501,
        ));
    }
    let policy = match (&req.acl, &req.access_control_policy) {
        (Some(_), Some(_)) => {
            return Err(AwsError::client(
                "UnexpectedContent",
                "This request does not support content",
            ));
        }
        (None, None) => {
            return Err(AwsError::client(
                "MissingSecurityHeader",
                "Your request was missing a required header",
            ));
        }
        (Some(canned), None) => canned_policy(canned, &owner_id)?,
        (None, Some(p)) => {
            validate_grants(p)?;
            AccessControlPolicy {
                grants: p.grants.clone(),
                owner: Some(Owner {
                    id: Some(owner_id.clone()),
                    display_name: None,
                }),
            }
        }
    };
    if doc.acls_disabled() && !is_owner_only(&policy, &owner_id) {
        return Err(acl_not_supported());
    }
    if acl_is_public(&policy) && pab(&doc).block_public_acls == Some(true) {
        return Err(access_denied());
    }
    doc.acl = policy;
    save(env, &doc)?;
    Ok(Empty {})
}

pub fn get_bucket_acl(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: BucketRequest,
) -> Result<GetBucketAclResponse, AwsError> {
    let doc = owned(env, ctx, &req.bucket)?;
    Ok(GetBucketAclResponse {
        owner: Some(Owner {
            id: Some(canonical_user_id(&doc.owner_account_id)),
            display_name: None,
        }),
        grants: doc.acl.grants,
    })
}

// ---- ownership controls ----

pub fn put_bucket_ownership_controls(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PutBucketOwnershipControlsRequest,
) -> Result<Empty, AwsError> {
    let mut doc = owned(env, ctx, &req.bucket)?;
    let [rule] = req.ownership_controls.rules.as_slice() else {
        return Err(malformed_xml());
    };
    if !OBJECT_OWNERSHIPS.contains(&rule.object_ownership.as_str()) {
        return Err(malformed_xml());
    }
    let owner_id = canonical_user_id(&doc.owner_account_id);
    if rule.object_ownership == "BucketOwnerEnforced" && !is_owner_only(&doc.acl, &owner_id) {
        return Err(invalid_acl_with_ownership());
    }
    doc.object_ownership = Some(rule.object_ownership.clone());
    save(env, &doc)?;
    Ok(Empty {})
}

pub fn get_bucket_ownership_controls(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: BucketRequest,
) -> Result<GetBucketOwnershipControlsResponse, AwsError> {
    let doc = owned(env, ctx, &req.bucket)?;
    let ownership = doc.object_ownership.ok_or_else(|| {
        not_found(
            "OwnershipControlsNotFoundError",
            "The bucket ownership controls were not found",
        )
    })?;
    Ok(GetBucketOwnershipControlsResponse {
        ownership_controls: OwnershipControls {
            rules: vec![OwnershipControlsRule {
                object_ownership: ownership,
            }],
        },
    })
}

pub fn delete_bucket_ownership_controls(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: BucketRequest,
) -> Result<Empty, AwsError> {
    let mut doc = owned(env, ctx, &req.bucket)?;
    doc.object_ownership = None;
    save(env, &doc)?;
    Ok(Empty {})
}

// ---- public access block ----

pub fn put_public_access_block(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PutPublicAccessBlockRequest,
) -> Result<Empty, AwsError> {
    let mut doc = owned(env, ctx, &req.bucket)?;
    doc.public_access_block = Some(req.public_access_block_configuration.normalized());
    save(env, &doc)?;
    Ok(Empty {})
}

pub fn get_public_access_block(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: BucketRequest,
) -> Result<GetPublicAccessBlockResponse, AwsError> {
    let doc = owned(env, ctx, &req.bucket)?;
    let cfg = doc.public_access_block.ok_or_else(|| {
        not_found(
            "NoSuchPublicAccessBlockConfiguration",
            "The public access block configuration was not found",
        )
    })?;
    Ok(GetPublicAccessBlockResponse {
        public_access_block_configuration: cfg.normalized(),
    })
}

pub fn delete_public_access_block(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: BucketRequest,
) -> Result<Empty, AwsError> {
    let mut doc = owned(env, ctx, &req.bucket)?;
    doc.public_access_block = None;
    save(env, &doc)?;
    Ok(Empty {})
}

/// Whether a bucket is public: its policy grants anonymous access (unless
/// `RestrictPublicBuckets`), or its ACL grants AllUsers/AuthenticatedUsers (unless ACLs are
/// disabled or `IgnorePublicAcls`). Only the bucket-level public access block is modelled.
pub fn doc_is_public(doc: &BucketDoc) -> bool {
    let block = pab(doc);
    let policy_public = doc.policy.as_deref().is_some_and(policy::policy_is_public)
        && block.restrict_public_buckets != Some(true);
    let acl_public =
        acl_is_public(&doc.acl) && !doc.acls_disabled() && block.ignore_public_acls != Some(true);
    policy_public || acl_public
}

/// Whether the bucket named `name` is public (see [`doc_is_public`]); `None` if it does
/// not exist.
pub fn is_public(env: &Env<'_>, name: &str) -> Result<Option<bool>, AwsError> {
    Ok(buckets::load(env, name)?.map(|d| doc_is_public(&d)))
}
