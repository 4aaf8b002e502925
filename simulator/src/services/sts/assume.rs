//! AssumeRole: validation as STS does it, deterministic temporary credentials, and the
//! issued sessions (kept as documents so an access key id can be turned back into the
//! `AssumedRole` principal that used it).
//!
//! The role's existence and trust policy are not checked here (IAM is another module);
//! its unique id is derived from its ARN by [`role_id_for`].

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::Duration;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::model::*;
use crate::clock;
use crate::context::{CallerContext, Principal};
use crate::error::AwsError;
use crate::ids;
use crate::services::Env;
use crate::settings;
use crate::store::DocKey;

pub const SERVICE: &str = "sts";
pub const SESSION_KIND: &str = "session";
pub const DEFAULT_DURATION: i64 = 3600;
pub const MIN_DURATION: i64 = 900;
pub const MAX_DURATION: i64 = 43_200;
/// Sessions assumed with role-session credentials (role chaining) last at most an hour.
pub const CHAINED_MAX_DURATION: i64 = 3600;
/// The packed (compressed) size limit of session policies and tags, approximated on the
/// plain text.
const PACKED_POLICY_BUDGET: usize = 2048;

fn validation(message: impl Into<String>) -> AwsError {
    AwsError::client("ValidationError", message)
}

fn length_error(value: &str, member: &str, op: &str, bound: usize) -> AwsError {
    validation(format!(
        "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must have length {op} {bound}"
    ))
}

fn check_length(value: &str, member: &str, min: usize, max: usize) -> Result<(), AwsError> {
    let n = value.chars().count();
    if n < min {
        return Err(length_error(value, member, "greater than or equal to", min));
    }
    if n > max {
        return Err(length_error(value, member, "less than or equal to", max));
    }
    Ok(())
}

/// `[\w+=,.@-]*`, the pattern of role session names and source identities.
fn session_name_chars(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
}

/// A role ARN `arn:aws:iam::ACCOUNT:role/[PATH/]NAME` -> (account, name).
pub fn parse_role_arn(arn: &str) -> Option<(String, String)> {
    let rest = arn.strip_prefix("arn:")?;
    let mut parts = rest.splitn(5, ':');
    let partition = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let account = parts.next()?;
    let resource = parts.next()?;
    if !partition.starts_with("aws")
        || service != "iam"
        || !region.is_empty()
        || account.len() != 12
        || !account.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let path_and_name = resource.strip_prefix("role/")?;
    let name = path_and_name.rsplit('/').next()?;
    if name.is_empty() || name.len() > 64 {
        return None;
    }
    Some((account.to_string(), name.to_string()))
}

/// The role's unique id (`AROA` + 17 characters), derived from its ARN.
pub fn role_id_for(role_arn: &str) -> String {
    format!(
        "AROA{}",
        ids::token_from(&format!("role-id:{role_arn}"), 17)
    )
}

/// A session as STS issued it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SessionInfo {
    pub access_key_id: String,
    pub role_arn: String,
    pub role_id: String,
    pub role_session_name: String,
    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    pub arn: String,
    pub account_id: String,
    /// ISO-8601 seconds (`sessionContext.attributes.creationDate`).
    pub creation_date: String,
    pub expiration_ms: i64,
    pub source_identity: Option<String>,
    /// The ARN of the principal that called AssumeRole.
    pub assumed_by: String,
    /// The session's secret and token, so that `ctsim serve` can verify requests signed
    /// with these temporary credentials.
    pub secret_access_key: String,
    pub session_token: String,
}

impl SessionInfo {
    /// The principal that uses this session's credentials (`userIdentity` type
    /// `AssumedRole` with its `sessionContext`).
    pub fn principal(&self) -> Principal {
        Principal::assumed_role(
            &self.role_arn,
            &self.role_id,
            &self.role_session_name,
            &self.access_key_id,
            &self.creation_date,
        )
    }

    /// A caller context acting with this session in `region`.
    pub fn caller(&self, region: &str) -> CallerContext {
        CallerContext::new(self.account_id.clone(), region).with_principal(self.principal())
    }
}

/// Derived, deterministic secret material for session number `n`.
fn secret_material(seed: &str, n: u64, what: &str, len: usize) -> String {
    let mut out = String::new();
    let mut round = 0u32;
    while out.len() < len {
        let d = Sha256::new()
            .chain_update(seed.as_bytes())
            .chain_update(what.as_bytes())
            .chain_update(n.to_be_bytes())
            .chain_update(round.to_be_bytes())
            .finalize();
        out.push_str(B64.encode(d).trim_end_matches('='));
        round += 1;
    }
    out.truncate(len);
    out
}

fn check_request(ctx: &CallerContext, req: &AssumeRoleRequest) -> Result<i64, AwsError> {
    check_length(&req.role_arn, "roleArn", 20, 2048)?;
    check_length(&req.role_session_name, "roleSessionName", 2, 64)?;
    if !session_name_chars(&req.role_session_name) {
        return Err(validation(format!(
            "1 validation error detected: Value '{}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
            req.role_session_name
        )));
    }
    if parse_role_arn(&req.role_arn).is_none() {
        return Err(validation(format!("{} is invalid", req.role_arn)));
    }
    let duration = req.duration_seconds.unwrap_or(DEFAULT_DURATION);
    if duration < MIN_DURATION {
        return Err(validation(format!(
            "1 validation error detected: Value '{duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to {MIN_DURATION}"
        )));
    }
    if duration > MAX_DURATION {
        return Err(validation(format!(
            "1 validation error detected: Value '{duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to {MAX_DURATION}"
        )));
    }
    if ctx.principal.identity_type == "AssumedRole" && duration > CHAINED_MAX_DURATION {
        return Err(validation(
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
        ));
    }
    if let Some(x) = &req.external_id {
        check_length(x, "externalId", 2, 1224)?;
    }
    if let Some(s) = &req.source_identity {
        check_length(s, "sourceIdentity", 2, 64)?;
        if s.to_ascii_lowercase().starts_with("aws:") || !session_name_chars(s) {
            return Err(validation(format!(
                "1 validation error detected: Value '{s}' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"
            )));
        }
    }
    if let Some(p) = &req.policy_arns
        && p.len() > 10
    {
        return Err(validation(
            "1 validation error detected: Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10",
        ));
    }
    if let Some(tags) = &req.tags {
        if tags.len() > 50 {
            return Err(validation(
                "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50",
            ));
        }
        for t in tags {
            check_length(&t.key, "tags.member.key", 1, 128)?;
            check_length(&t.value, "tags.member.value", 0, 256)?;
        }
    }
    if req.serial_number.is_some()
        && req
            .token_code
            .as_deref()
            .is_none_or(|c| c.len() != 6 || !c.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(AwsError::new(
            "AccessDenied",
            "MultiFactorAuthentication failed, unable to validate MFA code.",
            403,
        ));
    }
    if ctx.principal.identity_type == "Root" {
        return Err(AwsError::new(
            "AccessDenied",
            "Roles may not be assumed by root accounts.",
            403,
        ));
    }
    Ok(duration)
}

/// The packed size of session policies and tags as a percentage of the allowance.
fn packed_policy_size(req: &AssumeRoleRequest) -> Result<Option<i64>, AwsError> {
    if req.policy.is_none() && req.policy_arns.is_none() && req.tags.is_none() {
        return Ok(None);
    }
    let mut used = 0usize;
    if let Some(p) = &req.policy {
        match serde_json::from_str::<serde_json::Value>(p) {
            Ok(serde_json::Value::Object(_)) => {}
            _ => {
                return Err(AwsError::client(
                    "MalformedPolicyDocument",
                    "The policy is not in the valid JSON format.",
                ));
            }
        }
        used += p.split_whitespace().map(str::len).sum::<usize>();
    }
    used += req.policy_arns.iter().flatten().count() * 64;
    used += req
        .tags
        .iter()
        .flatten()
        .map(|t| t.key.len() + t.value.len() + 4)
        .sum::<usize>();
    let percent = (used * 100).div_ceil(PACKED_POLICY_BUDGET) as i64;
    if percent > 100 {
        return Err(AwsError::client(
            "PackedPolicyTooLarge",
            format!(
                "Packed policy consumes {percent}% of allotted space, please use smaller policy."
            ),
        ));
    }
    Ok(Some(percent))
}

pub fn assume_role(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: AssumeRoleRequest,
) -> Result<AssumeRoleResponse, AwsError> {
    let duration = check_request(ctx, &req)?;
    let packed = packed_policy_size(&req)?;
    // Checked by check_request.
    let (account, role_name) = parse_role_arn(&req.role_arn)
        .ok_or_else(|| validation(format!("{} is invalid", req.role_arn)))?;
    let seed = settings::get(env.db, settings::ID_SEED)?;
    let n = env.db.next_counter("sts-session")?;
    let access_key_id = format!(
        "ASIA{}",
        ids::token_from(&format!("{seed}:sts-access-key:{n}"), 16)
    );
    let secret = secret_material(&seed, n, "secret", 40);
    let token = format!(
        "IQoJb3JpZ2luX2VjE{}",
        secret_material(&seed, n, "token", 400)
    );
    let expiration = env.now + Duration::seconds(duration);
    let role_id = role_id_for(&req.role_arn);
    let session = SessionInfo {
        access_key_id: access_key_id.clone(),
        role_arn: req.role_arn.clone(),
        role_id: role_id.clone(),
        role_session_name: req.role_session_name.clone(),
        arn: format!(
            "arn:aws:sts::{account}:assumed-role/{role_name}/{}",
            req.role_session_name
        ),
        account_id: account.clone(),
        creation_date: clock::iso_seconds(env.now),
        expiration_ms: clock::to_millis(expiration),
        source_identity: req.source_identity.clone(),
        assumed_by: ctx.principal.arn.clone(),
        secret_access_key: secret.clone(),
        session_token: token.clone(),
    };
    let body = serde_json::to_value(&session)
        .map_err(|e| AwsError::internal(format!("cannot serialise session: {e}")))?;
    env.db.put_document(
        &DocKey {
            service: SERVICE,
            kind: SESSION_KIND,
            account_id: &account,
            region: "",
            id: &access_key_id,
        },
        &body,
        clock::to_millis(env.now),
    )?;
    Ok(AssumeRoleResponse {
        credentials: Credentials {
            access_key_id,
            secret_access_key: secret,
            session_token: token,
            expiration: clock::to_epoch_seconds(expiration),
        },
        assumed_role_user: AssumedRoleUser {
            assumed_role_id: format!("{role_id}:{}", req.role_session_name),
            arn: session.arn,
        },
        packed_policy_size: packed,
        source_identity: req.source_identity,
    })
}

// ---- helpers for other parts of the simulator (no recording) ----

/// The session issued with `access_key_id`, expired or not.
pub fn session(env: &Env<'_>, access_key_id: &str) -> Result<Option<SessionInfo>, AwsError> {
    let found = env
        .db
        .documents(SERVICE, SESSION_KIND, None, Some(""))?
        .into_iter()
        .find(|d| d.id == access_key_id);
    match found {
        None => Ok(None),
        Some(d) => serde_json::from_value(d.body)
            .map(Some)
            .map_err(|e| AwsError::internal(format!("corrupt session document: {e}"))),
    }
}

/// The caller acting with an access key id from AssumeRole in `region`, or `None` when the
/// key is unknown or its session has expired.
pub fn caller_for_access_key(
    env: &Env<'_>,
    access_key_id: &str,
    region: &str,
) -> Result<Option<CallerContext>, AwsError> {
    Ok(session(env, access_key_id)?
        .filter(|s| s.expiration_ms > clock::to_millis(env.now))
        .map(|s| s.caller(region)))
}
