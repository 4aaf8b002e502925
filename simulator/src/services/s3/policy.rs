//! Bucket policies: validation as S3 does it (`MalformedPolicy`), whether a policy is
//! public, and PutBucketPolicy / GetBucketPolicy / DeleteBucketPolicy.

use serde_json::Value;

use super::buckets::{owned, save};
use super::errors::*;
use super::model::*;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::Env;

/// S3's limit on a bucket policy document.
pub const MAX_POLICY_BYTES: usize = 20 * 1024;

/// Condition keys that tie a statement to fixed principals, accounts, networks or sources,
/// which makes a wildcard-principal statement non-public (AWS's "public" definition).
const RESTRICTING_CONDITION_KEYS: &[&str] = &[
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceip",
    "aws:userid",
    "s3:dataaccesspointaccount",
    "s3:dataaccesspointarn",
];

/// `*` and `?` wildcard matching, as IAM resource and action patterns use it.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// A member given as one string or a list of strings.
fn strings(v: &Value) -> Option<Vec<&str>> {
    match v {
        Value::String(s) => Some(vec![s.as_str()]),
        Value::Array(a) => a.iter().map(Value::as_str).collect(),
        _ => None,
    }
}

fn statements(doc: &Value) -> Result<Vec<&serde_json::Map<String, Value>>, AwsError> {
    let st = doc
        .get("Statement")
        .ok_or_else(|| malformed_policy("Missing required field Statement"))?;
    let list: Vec<&Value> = match st {
        Value::Array(a) => a.iter().collect(),
        Value::Object(_) => vec![st],
        _ => return Err(malformed_policy("Statement is not well formed")),
    };
    if list.is_empty() {
        return Err(malformed_policy("Missing required field Statement"));
    }
    list.into_iter()
        .map(|s| {
            s.as_object()
                .ok_or_else(|| malformed_policy("Statement is not well formed"))
        })
        .collect()
}

fn valid_principal(p: &Value) -> bool {
    match p {
        Value::String(s) => s == "*",
        Value::Object(m) => {
            !m.is_empty()
                && m.iter().all(|(k, v)| {
                    matches!(
                        k.as_str(),
                        "AWS" | "Service" | "Federated" | "CanonicalUser"
                    ) && strings(v)
                        .is_some_and(|l| !l.is_empty() && l.iter().all(|s| !s.is_empty()))
                })
        }
        _ => false,
    }
}

/// Checks a bucket policy for `bucket` and returns the parsed document.
pub fn validate_bucket_policy(bucket: &str, text: &str) -> Result<Value, AwsError> {
    if text.len() > MAX_POLICY_BYTES {
        return Err(malformed_policy(
            "Policy exceeds the maximum allowed document size.",
        ));
    }
    let doc: Value = match serde_json::from_str(text) {
        Ok(v @ Value::Object(_)) => v,
        _ => {
            return Err(malformed_policy(
                "Policies must be valid JSON and the first byte must be '{'",
            ));
        }
    };
    if let Some(v) = doc.get("Version")
        && !matches!(v.as_str(), Some("2012-10-17" | "2008-10-17"))
    {
        return Err(malformed_policy("Invalid policy version"));
    }
    for st in statements(&doc)? {
        match st.get("Effect").and_then(Value::as_str) {
            None => return Err(malformed_policy("Missing required field Effect")),
            Some("Allow" | "Deny") => {}
            Some(other) => return Err(malformed_policy(format!("Invalid effect: {other}"))),
        }
        let principal = st
            .get("Principal")
            .or_else(|| st.get("NotPrincipal"))
            .ok_or_else(|| malformed_policy("Missing required field Principal"))?;
        if !valid_principal(principal) {
            return Err(malformed_policy("Invalid principal in policy"));
        }
        let actions = st
            .get("Action")
            .or_else(|| st.get("NotAction"))
            .ok_or_else(|| malformed_policy("Missing required field Action"))?;
        let actions =
            strings(actions).ok_or_else(|| malformed_policy("Policy has invalid action"))?;
        if actions.is_empty()
            || !actions
                .iter()
                .all(|a| *a == "*" || a.to_ascii_lowercase().starts_with("s3:") && a.len() > 3)
        {
            return Err(malformed_policy("Policy has invalid action"));
        }
        let resources = st
            .get("Resource")
            .or_else(|| st.get("NotResource"))
            .ok_or_else(|| malformed_policy("Missing required field Resource"))?;
        let resources =
            strings(resources).ok_or_else(|| malformed_policy("Policy has invalid resource"))?;
        if resources.is_empty() || !resources.iter().all(|r| resource_in_bucket(r, bucket)) {
            return Err(malformed_policy("Policy has invalid resource"));
        }
        if let Some(c) = st.get("Condition")
            && !c.is_object()
        {
            return Err(malformed_policy("Invalid Condition block"));
        }
    }
    Ok(doc)
}

/// Whether a resource pattern names this bucket or objects in it.
fn resource_in_bucket(resource: &str, bucket: &str) -> bool {
    if resource == "*" {
        return true;
    }
    let Some(rest) = resource.strip_prefix("arn:aws:s3:::") else {
        return false;
    };
    let bucket_part = rest.split('/').next().unwrap_or_default();
    if wildcard_match(bucket_part, bucket) {
        return true;
    }
    // A wildcard may span the `/` (`arn:aws:s3:::log*` covers `logs/...`): compare the
    // literal text before the first wildcard with `bucket/`.
    let literal_end = rest.find(['*', '?']).unwrap_or(rest.len());
    let literal = &rest[..literal_end];
    let with_slash = format!("{bucket}/");
    literal_end < rest.len()
        && (with_slash.starts_with(literal) || literal.starts_with(&with_slash))
}

/// Whether a policy allows anonymous access: an `Allow` statement whose principal is `*`
/// (or that uses `NotPrincipal`) without a condition that pins principals or sources.
pub fn policy_is_public(text: &str) -> bool {
    let Ok(doc) = serde_json::from_str::<Value>(text) else {
        return false;
    };
    let Ok(list) = statements(&doc) else {
        return false;
    };
    list.into_iter().any(|st| {
        if st.get("Effect").and_then(Value::as_str) != Some("Allow") {
            return false;
        }
        let wildcard = match (st.get("Principal"), st.get("NotPrincipal")) {
            (_, Some(_)) => true,
            (Some(Value::String(s)), _) => s == "*",
            (Some(Value::Object(m)), _) => m
                .get("AWS")
                .and_then(strings)
                .is_some_and(|l| l.contains(&"*")),
            _ => false,
        };
        if !wildcard {
            return false;
        }
        let restricted = st
            .get("Condition")
            .and_then(Value::as_object)
            .is_some_and(|ops| {
                ops.values().filter_map(Value::as_object).any(|keys| {
                    keys.keys().any(|k| {
                        RESTRICTING_CONDITION_KEYS.contains(&k.to_ascii_lowercase().as_str())
                    })
                })
            });
        !restricted
    })
}

pub fn put_bucket_policy(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PutBucketPolicyRequest,
) -> Result<Empty, AwsError> {
    let mut doc = owned(env, ctx, &req.bucket)?;
    validate_bucket_policy(&doc.name, &req.policy)?;
    let blocks = doc
        .public_access_block
        .as_ref()
        .and_then(|p| p.block_public_policy)
        .unwrap_or(false);
    if blocks && policy_is_public(&req.policy) {
        return Err(access_denied());
    }
    doc.policy = Some(req.policy);
    save(env, &doc)?;
    Ok(Empty {})
}

pub fn get_bucket_policy(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: BucketRequest,
) -> Result<GetBucketPolicyResponse, AwsError> {
    let doc = owned(env, ctx, &req.bucket)?;
    let policy = doc
        .policy
        .ok_or_else(|| not_found("NoSuchBucketPolicy", "The bucket policy does not exist"))?;
    Ok(GetBucketPolicyResponse { policy })
}

pub fn delete_bucket_policy(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: BucketRequest,
) -> Result<Empty, AwsError> {
    let mut doc = owned(env, ctx, &req.bucket)?;
    doc.policy = None;
    save(env, &doc)?;
    Ok(Empty {})
}

#[cfg(test)]
mod tests {
    use super::*;

    const CT_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[
        {"Sid":"AWSCloudTrailAclCheck","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
         "Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::logs"},
        {"Sid":"AWSCloudTrailWrite","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
         "Action":"s3:PutObject","Resource":"arn:aws:s3:::logs/AWSLogs/123456789012/*",
         "Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}]}"#;

    #[test]
    fn policy_validation_table() {
        let st = |body: &str| format!(r#"{{"Version":"2012-10-17","Statement":[{body}]}}"#);
        let good = r#""Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::logs/*""#;
        let cases: Vec<(String, Option<&str>)> = vec![
            (CT_POLICY.to_string(), None),
            (st(&format!("{{{good}}}")), None),
            (
                "not json".into(),
                Some("Policies must be valid JSON and the first byte must be '{'"),
            ),
            (
                "[1]".into(),
                Some("Policies must be valid JSON and the first byte must be '{'"),
            ),
            (
                r#"{"Version":"2012-10-17"}"#.into(),
                Some("Missing required field Statement"),
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[]}"#.into(),
                Some("Missing required field Statement"),
            ),
            (
                r#"{"Version":"2001-01-01","Statement":[]}"#.into(),
                Some("Invalid policy version"),
            ),
            (
                st(r#"{"Principal":"*","Action":"s3:*","Resource":"*"}"#),
                Some("Missing required field Effect"),
            ),
            (
                st(r#"{"Effect":"Maybe","Principal":"*","Action":"s3:*","Resource":"*"}"#),
                Some("Invalid effect: Maybe"),
            ),
            (
                st(r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#),
                Some("Missing required field Principal"),
            ),
            (
                st(
                    r#"{"Effect":"Allow","Principal":{"Bogus":"x"},"Action":"s3:*","Resource":"*"}"#,
                ),
                Some("Invalid principal in policy"),
            ),
            (
                st(r#"{"Effect":"Allow","Principal":"*","Resource":"*"}"#),
                Some("Missing required field Action"),
            ),
            (
                st(
                    r#"{"Effect":"Allow","Principal":"*","Action":"ec2:RunInstances","Resource":"*"}"#,
                ),
                Some("Policy has invalid action"),
            ),
            (
                st(r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}"#),
                Some("Missing required field Resource"),
            ),
            (
                st(
                    r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other/*"}"#,
                ),
                Some("Policy has invalid resource"),
            ),
            (
                st(
                    r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::lo*/*"}"#,
                ),
                None,
            ),
        ];
        for (text, want) in cases {
            let got = validate_bucket_policy("logs", &text).err();
            match (got, want) {
                (None, None) => {}
                (Some(e), Some(m)) => {
                    assert_eq!(e.code, "MalformedPolicy", "{text}");
                    assert_eq!(e.message, m, "{text}");
                }
                (g, w) => panic!("{text}: got {g:?}, want {w:?}"),
            }
        }
        let big = format!(
            r#"{{"Statement":[],"Pad":"{}"}}"#,
            "x".repeat(MAX_POLICY_BYTES)
        );
        assert_eq!(
            validate_bucket_policy("logs", &big).unwrap_err().code,
            "MalformedPolicy"
        );
    }

    #[test]
    fn public_policy_detection_table() {
        let st = |body: &str| format!(r#"{{"Statement":[{body}]}}"#);
        let cases = [
            (CT_POLICY.to_string(), false),
            (
                st(r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}"#),
                true,
            ),
            (
                st(
                    r#"{"Effect":"Allow","Principal":{"AWS":["*"]},"Action":"s3:GetObject","Resource":"*"}"#,
                ),
                true,
            ),
            (
                st(r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}"#),
                false,
            ),
            (
                st(
                    r#"{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::1:root"},"Action":"s3:*","Resource":"*"}"#,
                ),
                true,
            ),
            (
                st(
                    r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}}"#,
                ),
                false,
            ),
            (
                st(
                    r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}"#,
                ),
                true,
            ),
            (
                st(
                    r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:root"},"Action":"s3:*","Resource":"*"}"#,
                ),
                false,
            ),
        ];
        for (text, public) in cases {
            assert_eq!(policy_is_public(&text), public, "{text}");
        }
    }

    #[test]
    fn wildcards_match_like_iam() {
        assert!(wildcard_match("a*c", "abbbc"));
        assert!(wildcard_match("a?c", "abc"));
        assert!(wildcard_match("*", ""));
        assert!(!wildcard_match("a*d", "abc"));
        assert!(wildcard_match("logs", "logs"));
    }
}
