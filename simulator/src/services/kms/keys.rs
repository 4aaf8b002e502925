//! Keys: create, describe, list, enable/disable, policies, rotation, deletion, description.

use chrono::Duration;
use serde_json::Value;

use super::model::*;
use super::refs::{KeyRef, key_arn, parse_key_ref};
use super::{SERVICE, tags};
use crate::clock;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::{Env, constraint_message, next_uuid};
use crate::store::DocKey;

pub const DEFAULT_POLICY_NAME: &str = "default";
pub const DEFAULT_ROTATION_DAYS: i64 = 365;

pub const STATE_ENABLED: &str = "Enabled";
pub const STATE_DISABLED: &str = "Disabled";
pub const STATE_PENDING_DELETION: &str = "PendingDeletion";

pub(crate) fn validation(message: String) -> AwsError {
    AwsError::client("ValidationException", message)
}

fn key_not_found(arn: &str) -> AwsError {
    AwsError::client("NotFoundException", format!("Key '{arn}' does not exist"))
}

fn alias_not_found(arn: &str) -> AwsError {
    AwsError::client("NotFoundException", format!("Alias '{arn}' is not found."))
}

fn invalid_state(arn: &str, what: &str) -> AwsError {
    AwsError::client("KMSInvalidStateException", format!("{arn} is {what}."))
}

/// The default key policy AWS attaches when CreateKey names none: the account's root has
/// `kms:*` on the key, which delegates access control to IAM policies.
pub fn default_key_policy(account: &str) -> String {
    let doc = serde_json::json!({
        "Version": "2012-10-17",
        "Id": "key-default-1",
        "Statement": [{
            "Sid": "Enable IAM User Permissions",
            "Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{account}:root")},
            "Action": "kms:*",
            "Resource": "*"
        }]
    });
    // Serialising a `Value` cannot fail.
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// Checks a key policy: JSON, an object with a `Statement`, at most 32 KB.
pub fn validate_policy(policy: &str) -> Result<(), AwsError> {
    let malformed = |why: &str| AwsError::client("MalformedPolicyDocumentException", why);
    if policy.is_empty() || policy.len() > 32768 {
        return Err(validation(constraint_message(
            "***",
            "policy",
            "Member must have length less than or equal to 32768",
        )));
    }
    let v: Value = serde_json::from_str(policy)
        .map_err(|_| malformed("The policy document is not valid JSON."))?;
    let Some(obj) = v.as_object() else {
        return Err(malformed("The policy document must be a JSON object."));
    };
    match obj.get("Statement") {
        Some(Value::Array(a)) if !a.is_empty() => Ok(()),
        Some(Value::Object(_)) => Ok(()),
        _ => Err(malformed(
            "The policy document must contain at least one Statement.",
        )),
    }
}

fn doc_key<'a>(account: &'a str, region: &'a str, key_id: &'a str) -> DocKey<'a> {
    DocKey {
        service: SERVICE,
        kind: "key",
        account_id: account,
        region,
        id: key_id,
    }
}

pub(crate) fn alias_key<'a>(account: &'a str, region: &'a str, name: &'a str) -> DocKey<'a> {
    DocKey {
        service: SERVICE,
        kind: "alias",
        account_id: account,
        region,
        id: name,
    }
}

pub(crate) fn save_key(env: &Env<'_>, key: &StoredKey) -> Result<(), AwsError> {
    let m = &key.key_metadata;
    let region = region_of_arn(&m.arn);
    let body = serde_json::to_value(key)
        .map_err(|e| AwsError::internal(format!("cannot store key: {e}")))?;
    env.db.put_document(
        &doc_key(&m.aws_account_id, region, &m.key_id),
        &body,
        clock::to_millis(env.now),
    )?;
    Ok(())
}

fn region_of_arn(arn: &str) -> &str {
    arn.split(':').nth(3).unwrap_or_default()
}

/// Loads a stored key by account, region and key id. A key whose deletion date has passed
/// is deleted now (with its aliases and tags) and reported as absent.
pub(crate) fn load_key_by_id(
    env: &Env<'_>,
    account: &str,
    region: &str,
    key_id: &str,
) -> Result<Option<StoredKey>, AwsError> {
    let Some(v) = env.db.document(&doc_key(account, region, key_id))? else {
        return Ok(None);
    };
    let key: StoredKey = serde_json::from_value(v)
        .map_err(|e| AwsError::internal(format!("corrupt stored key {key_id}: {e}")))?;
    if key.key_metadata.key_state == STATE_PENDING_DELETION
        && let Some(d) = key.key_metadata.deletion_date
        && clock::to_epoch_seconds(env.now) >= d
    {
        purge_key(env, account, region, &key)?;
        return Ok(None);
    }
    Ok(Some(key))
}

fn purge_key(env: &Env<'_>, account: &str, region: &str, key: &StoredKey) -> Result<(), AwsError> {
    let id = &key.key_metadata.key_id;
    env.db.delete_document(&doc_key(account, region, id))?;
    for d in env
        .db
        .documents(SERVICE, "alias", Some(account), Some(region))?
    {
        if d.body.get("TargetKeyId").and_then(Value::as_str) == Some(id.as_str()) {
            env.db.delete_document(&alias_key(account, region, &d.id))?;
        }
    }
    for (k, _) in env.db.tags(&key.key_metadata.arn)? {
        env.db.remove_tag(&key.key_metadata.arn, &k)?;
    }
    Ok(())
}

/// Resolves a reference (id, key ARN, alias name or alias ARN) to a stored key, in the
/// caller's account and region unless an ARN names others. `cross_account` allows a key of
/// another account named by ARN (DescribeKey does; key management operations do not).
pub(crate) fn find_key(
    env: &Env<'_>,
    account: &str,
    region: &str,
    given: &str,
) -> Result<StoredKey, AwsError> {
    match parse_key_ref(given)? {
        KeyRef::Key {
            account: a,
            region: r,
            key_id,
        } => {
            let a = a.unwrap_or_else(|| account.to_string());
            let r = r.unwrap_or_else(|| region.to_string());
            load_key_by_id(env, &a, &r, &key_id)?
                .ok_or_else(|| key_not_found(&key_arn(&r, &a, &key_id)))
        }
        KeyRef::Alias {
            account: a,
            region: r,
            name,
        } => {
            let a = a.unwrap_or_else(|| account.to_string());
            let r = r.unwrap_or_else(|| region.to_string());
            let arn = super::refs::alias_arn(&r, &a, &name);
            let alias = env
                .db
                .document(&alias_key(&a, &r, &name))?
                .ok_or_else(|| alias_not_found(&arn))?;
            let target = alias
                .get("TargetKeyId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            load_key_by_id(env, &a, &r, &target)?.ok_or_else(|| alias_not_found(&arn))
        }
    }
}

/// [`find_key`] for the caller. Unless `cross_account`, a key of another account or region
/// is reported as not found (as KMS does for operations that are not cross-account).
pub(crate) fn caller_key(
    env: &Env<'_>,
    ctx: &CallerContext,
    given: &str,
    cross_account: bool,
) -> Result<StoredKey, AwsError> {
    let key = find_key(env, &ctx.account_id, &ctx.region, given)?;
    let m = &key.key_metadata;
    let foreign = m.aws_account_id != ctx.account_id || region_of_arn(&m.arn) != ctx.region;
    if foreign && (!cross_account || region_of_arn(&m.arn) != ctx.region) {
        return Err(key_not_found(&m.arn));
    }
    Ok(key)
}

/// A key the caller may change: fails with `KMSInvalidStateException` while it is pending
/// deletion.
fn changeable_key(env: &Env<'_>, ctx: &CallerContext, given: &str) -> Result<StoredKey, AwsError> {
    let key = caller_key(env, ctx, given, false)?;
    if key.key_metadata.key_state == STATE_PENDING_DELETION {
        return Err(invalid_state(&key.key_metadata.arn, "pending deletion"));
    }
    Ok(key)
}

/// (encryption, signing, MAC, key agreement) algorithms of a spec/usage pair, or an error
/// when the pair is not valid.
type Algorithms = (
    Option<Vec<String>>,
    Option<Vec<String>>,
    Option<Vec<String>>,
    Option<Vec<String>>,
);

fn algorithms(spec: &str, usage: &str) -> Result<Algorithms, AwsError> {
    let v = |xs: &[&str]| Some(xs.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let incompatible = || {
        validation(format!(
            "KeyUsage {usage} is not compatible with KeySpec {spec}"
        ))
    };
    let rsa_sign = [
        "RSASSA_PKCS1_V1_5_SHA_256",
        "RSASSA_PKCS1_V1_5_SHA_384",
        "RSASSA_PKCS1_V1_5_SHA_512",
        "RSASSA_PSS_SHA_256",
        "RSASSA_PSS_SHA_384",
        "RSASSA_PSS_SHA_512",
    ];
    Ok(match (spec, usage) {
        ("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT") => (v(&["SYMMETRIC_DEFAULT"]), None, None, None),
        ("RSA_2048" | "RSA_3072" | "RSA_4096", "ENCRYPT_DECRYPT") => (
            v(&["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"]),
            None,
            None,
            None,
        ),
        ("RSA_2048" | "RSA_3072" | "RSA_4096", "SIGN_VERIFY") => (None, v(&rsa_sign), None, None),
        ("ECC_NIST_P256" | "ECC_SECG_P256K1", "SIGN_VERIFY") => {
            (None, v(&["ECDSA_SHA_256"]), None, None)
        }
        ("ECC_NIST_P384", "SIGN_VERIFY") => (None, v(&["ECDSA_SHA_384"]), None, None),
        ("ECC_NIST_P521", "SIGN_VERIFY") => (None, v(&["ECDSA_SHA_512"]), None, None),
        ("ECC_NIST_P256" | "ECC_NIST_P384" | "ECC_NIST_P521", "KEY_AGREEMENT") => {
            (None, None, None, v(&["ECDH"]))
        }
        ("HMAC_224", "GENERATE_VERIFY_MAC") => (None, None, v(&["HMAC_SHA_224"]), None),
        ("HMAC_256", "GENERATE_VERIFY_MAC") => (None, None, v(&["HMAC_SHA_256"]), None),
        ("HMAC_384", "GENERATE_VERIFY_MAC") => (None, None, v(&["HMAC_SHA_384"]), None),
        ("HMAC_512", "GENERATE_VERIFY_MAC") => (None, None, v(&["HMAC_SHA_512"]), None),
        ("SM2", "ENCRYPT_DECRYPT") => (v(&["SM2PKE"]), None, None, None),
        ("SM2", "SIGN_VERIFY") => (None, v(&["SM2DSA"]), None, None),
        _ => return Err(incompatible()),
    })
}

const KEY_SPECS: &[&str] = &[
    "RSA_2048",
    "RSA_3072",
    "RSA_4096",
    "ECC_NIST_P256",
    "ECC_NIST_P384",
    "ECC_NIST_P521",
    "ECC_SECG_P256K1",
    "SYMMETRIC_DEFAULT",
    "HMAC_224",
    "HMAC_256",
    "HMAC_384",
    "HMAC_512",
    "SM2",
];
const KEY_USAGES: &[&str] = &[
    "SIGN_VERIFY",
    "ENCRYPT_DECRYPT",
    "GENERATE_VERIFY_MAC",
    "KEY_AGREEMENT",
];
const ORIGINS: &[&str] = &["AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"];

fn check_enum(value: &str, member: &str, allowed: &[&str]) -> Result<(), AwsError> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(validation(constraint_message(
            value,
            member,
            &format!(
                "Member must satisfy enum value set: [{}]",
                allowed.join(", ")
            ),
        )))
    }
}

pub fn create_key(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: CreateKeyRequest,
) -> Result<KeyMetadataResponse, AwsError> {
    if req.key_spec.is_some() && req.customer_master_key_spec.is_some() {
        return Err(validation(
            "You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated."
                .to_string(),
        ));
    }
    let spec = req
        .key_spec
        .or(req.customer_master_key_spec)
        .unwrap_or_else(|| "SYMMETRIC_DEFAULT".to_string());
    check_enum(&spec, "keySpec", KEY_SPECS)?;
    let usage = match req.key_usage {
        Some(u) => {
            check_enum(&u, "keyUsage", KEY_USAGES)?;
            u
        }
        None if spec == "SYMMETRIC_DEFAULT" => "ENCRYPT_DECRYPT".to_string(),
        None => {
            return Err(validation(
                "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys."
                    .to_string(),
            ));
        }
    };
    let (enc, sign, mac, agree) = algorithms(&spec, &usage)?;
    let origin = req.origin.unwrap_or_else(|| "AWS_KMS".to_string());
    check_enum(&origin, "origin", ORIGINS)?;
    if origin != "AWS_KMS" {
        return Err(AwsError::client(
            "UnsupportedOperationException",
            format!("The simulator only creates keys with Origin AWS_KMS, not {origin}."),
        ));
    }
    let description = req.description.unwrap_or_default();
    if description.chars().count() > 8192 {
        return Err(validation(constraint_message(
            &description,
            "description",
            "Member must have length less than or equal to 8192",
        )));
    }
    let policy = match req.policy {
        Some(p) => {
            validate_policy(&p)?;
            p
        }
        None => default_key_policy(&ctx.account_id),
    };
    let tag_list = req.tags.unwrap_or_default();
    tags::validate_tags(&tag_list)?;
    let multi_region = req.multi_region.unwrap_or(false);
    let uuid = next_uuid(env, "kms-key")?;
    let key_id = if multi_region {
        format!("mrk-{}", uuid.replace('-', ""))
    } else {
        uuid
    };
    let arn = key_arn(&ctx.region, &ctx.account_id, &key_id);
    let multi_region_configuration = multi_region.then(|| {
        serde_json::json!({
            "MultiRegionKeyType": "PRIMARY",
            "PrimaryKey": {"Arn": arn, "Region": ctx.region},
            "ReplicaKeys": []
        })
    });
    let metadata = KeyMetadata {
        aws_account_id: ctx.account_id.clone(),
        key_id,
        arn: arn.clone(),
        creation_date: clock::to_epoch_seconds(env.now),
        enabled: true,
        description,
        key_usage: usage,
        key_state: STATE_ENABLED.to_string(),
        deletion_date: None,
        origin,
        key_manager: "CUSTOMER".to_string(),
        customer_master_key_spec: spec.clone(),
        key_spec: spec,
        encryption_algorithms: enc,
        signing_algorithms: sign,
        mac_algorithms: mac,
        key_agreement_algorithms: agree,
        multi_region,
        multi_region_configuration,
        pending_deletion_window_in_days: None,
    };
    let key = StoredKey {
        key_metadata: metadata.clone(),
        policy,
        rotation_enabled: false,
        rotation_period_in_days: None,
        next_rotation_date: None,
    };
    save_key(env, &key)?;
    for t in &tag_list {
        env.db.put_tag(&arn, &t.tag_key, Some(&t.tag_value))?;
    }
    Ok(KeyMetadataResponse {
        key_metadata: metadata,
    })
}

pub fn describe_key(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: KeyIdRequest,
) -> Result<KeyMetadataResponse, AwsError> {
    let key = caller_key(env, ctx, &req.key_id, true)?;
    Ok(KeyMetadataResponse {
        key_metadata: key.key_metadata,
    })
}

pub fn list_keys(
    env: &Env<'_>,
    ctx: &CallerContext,
    _req: ListKeysRequest,
) -> Result<ListKeysResponse, AwsError> {
    let mut keys = Vec::new();
    for d in env
        .db
        .documents(SERVICE, "key", Some(&ctx.account_id), Some(&ctx.region))?
    {
        // Loading purges keys whose deletion date has passed.
        if let Some(k) = load_key_by_id(env, &ctx.account_id, &ctx.region, &d.id)? {
            keys.push(KeyListEntry {
                key_id: k.key_metadata.key_id,
                key_arn: k.key_metadata.arn,
            });
        }
    }
    Ok(ListKeysResponse {
        keys,
        truncated: false,
    })
}

pub fn enable_key(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: KeyIdRequest,
) -> Result<EmptyResponse, AwsError> {
    let mut key = changeable_key(env, ctx, &req.key_id)?;
    key.key_metadata.enabled = true;
    key.key_metadata.key_state = STATE_ENABLED.to_string();
    save_key(env, &key)?;
    Ok(EmptyResponse {})
}

pub fn disable_key(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: KeyIdRequest,
) -> Result<EmptyResponse, AwsError> {
    let mut key = changeable_key(env, ctx, &req.key_id)?;
    key.key_metadata.enabled = false;
    key.key_metadata.key_state = STATE_DISABLED.to_string();
    save_key(env, &key)?;
    Ok(EmptyResponse {})
}

fn check_policy_name(name: Option<&str>) -> Result<(), AwsError> {
    match name {
        None | Some(DEFAULT_POLICY_NAME) => Ok(()),
        Some(other) => Err(AwsError::client(
            "NotFoundException",
            format!("No such policy exists: {other}"),
        )),
    }
}

pub fn get_key_policy(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: GetKeyPolicyRequest,
) -> Result<GetKeyPolicyResponse, AwsError> {
    let key = caller_key(env, ctx, &req.key_id, false)?;
    check_policy_name(req.policy_name.as_deref())?;
    Ok(GetKeyPolicyResponse {
        policy: key.policy,
        policy_name: DEFAULT_POLICY_NAME.to_string(),
    })
}

pub fn put_key_policy(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PutKeyPolicyRequest,
) -> Result<EmptyResponse, AwsError> {
    let mut key = changeable_key(env, ctx, &req.key_id)?;
    check_policy_name(req.policy_name.as_deref())?;
    validate_policy(&req.policy)?;
    key.policy = req.policy;
    save_key(env, &key)?;
    Ok(EmptyResponse {})
}

pub fn list_key_policies(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: KeyIdRequest,
) -> Result<ListKeyPoliciesResponse, AwsError> {
    caller_key(env, ctx, &req.key_id, false)?;
    Ok(ListKeyPoliciesResponse {
        policy_names: vec![DEFAULT_POLICY_NAME.to_string()],
        truncated: false,
    })
}

/// Rotation is for enabled symmetric encryption keys only.
fn rotatable_key(env: &Env<'_>, ctx: &CallerContext, given: &str) -> Result<StoredKey, AwsError> {
    let key = changeable_key(env, ctx, given)?;
    let m = &key.key_metadata;
    if m.key_state == STATE_DISABLED {
        return Err(invalid_state(&m.arn, "disabled"));
    }
    if m.key_spec != "SYMMETRIC_DEFAULT" {
        return Err(AwsError::client(
            "UnsupportedOperationException",
            format!(
                "{} key rotation is not supported for keys with KeySpec {}.",
                m.arn, m.key_spec
            ),
        ));
    }
    Ok(key)
}

pub fn enable_key_rotation(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: EnableKeyRotationRequest,
) -> Result<EmptyResponse, AwsError> {
    let period = req.rotation_period_in_days.unwrap_or(DEFAULT_ROTATION_DAYS);
    if period < 90 {
        return Err(validation(constraint_message(
            &period.to_string(),
            "rotationPeriodInDays",
            "Member must have value greater than or equal to 90",
        )));
    }
    if period > 2560 {
        return Err(validation(constraint_message(
            &period.to_string(),
            "rotationPeriodInDays",
            "Member must have value less than or equal to 2560",
        )));
    }
    let mut key = rotatable_key(env, ctx, &req.key_id)?;
    key.rotation_enabled = true;
    key.rotation_period_in_days = Some(period);
    key.next_rotation_date = Some(clock::to_epoch_seconds(env.now + Duration::days(period)));
    save_key(env, &key)?;
    Ok(EmptyResponse {})
}

pub fn disable_key_rotation(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: KeyIdRequest,
) -> Result<EmptyResponse, AwsError> {
    let mut key = rotatable_key(env, ctx, &req.key_id)?;
    key.rotation_enabled = false;
    key.next_rotation_date = None;
    save_key(env, &key)?;
    Ok(EmptyResponse {})
}

pub fn get_key_rotation_status(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: KeyIdRequest,
) -> Result<GetKeyRotationStatusResponse, AwsError> {
    let key = caller_key(env, ctx, &req.key_id, true)?;
    let enabled = key.rotation_enabled;
    Ok(GetKeyRotationStatusResponse {
        key_rotation_enabled: enabled,
        key_id: key.key_metadata.arn,
        rotation_period_in_days: if enabled {
            key.rotation_period_in_days
        } else {
            None
        },
        next_rotation_date: if enabled {
            key.next_rotation_date
        } else {
            None
        },
    })
}

pub fn schedule_key_deletion(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ScheduleKeyDeletionRequest,
) -> Result<ScheduleKeyDeletionResponse, AwsError> {
    let days = req.pending_window_in_days.unwrap_or(30);
    if !(7..=30).contains(&days) {
        let c = if days < 7 {
            "Member must have value greater than or equal to 7"
        } else {
            "Member must have value less than or equal to 30"
        };
        return Err(validation(constraint_message(
            &days.to_string(),
            "pendingWindowInDays",
            c,
        )));
    }
    let mut key = changeable_key(env, ctx, &req.key_id)?;
    let deletion = clock::to_epoch_seconds(env.now + Duration::days(days));
    let m = &mut key.key_metadata;
    m.enabled = false;
    m.key_state = STATE_PENDING_DELETION.to_string();
    m.deletion_date = Some(deletion);
    m.pending_deletion_window_in_days = Some(days);
    let arn = m.arn.clone();
    save_key(env, &key)?;
    Ok(ScheduleKeyDeletionResponse {
        key_id: arn,
        deletion_date: deletion,
        key_state: STATE_PENDING_DELETION.to_string(),
        pending_window_in_days: days,
    })
}

/// Cancelling leaves the key `Disabled`, as AWS does.
pub fn cancel_key_deletion(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: KeyIdRequest,
) -> Result<CancelKeyDeletionResponse, AwsError> {
    let mut key = caller_key(env, ctx, &req.key_id, false)?;
    let m = &mut key.key_metadata;
    if m.key_state != STATE_PENDING_DELETION {
        return Err(invalid_state(&m.arn, "not pending deletion"));
    }
    m.key_state = STATE_DISABLED.to_string();
    m.enabled = false;
    m.deletion_date = None;
    m.pending_deletion_window_in_days = None;
    let arn = m.arn.clone();
    save_key(env, &key)?;
    Ok(CancelKeyDeletionResponse { key_id: arn })
}

pub fn update_key_description(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: UpdateKeyDescriptionRequest,
) -> Result<EmptyResponse, AwsError> {
    if req.description.chars().count() > 8192 {
        return Err(validation(constraint_message(
            &req.description,
            "description",
            "Member must have length less than or equal to 8192",
        )));
    }
    let mut key = changeable_key(env, ctx, &req.key_id)?;
    key.key_metadata.description = req.description;
    save_key(env, &key)?;
    Ok(EmptyResponse {})
}
