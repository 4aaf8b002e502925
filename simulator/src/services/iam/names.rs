//! IAM name, path, description, tag and policy document rules, with IAM's error codes
//! (`ValidationError`, `MalformedPolicyDocument`, `LimitExceeded`, `InvalidInput`).

use serde_json::Value;

use super::model::Tag;
use crate::error::AwsError;
use crate::services::constraint_message;

pub const MAX_TAGS: usize = 50;
/// Size quotas (characters, whitespace included) of policy documents.
pub const TRUST_POLICY_MAX: usize = 2048;
pub const INLINE_ROLE_POLICY_MAX: usize = 10240;
pub const MANAGED_POLICY_MAX: usize = 6144;

pub fn validation(message: String) -> AwsError {
    AwsError::client("ValidationError", message)
}

pub fn malformed(message: &str) -> AwsError {
    AwsError::client("MalformedPolicyDocument", message)
}

fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)
}

/// Role, user, group and policy names: `[\w+=,.@-]+` of 1..=`max` characters.
pub fn validate_name(value: &str, member: &str, max: usize) -> Result<(), AwsError> {
    let n = value.chars().count();
    if n == 0 {
        return Err(validation(constraint_message(
            value,
            member,
            "Member must have length greater than or equal to 1",
        )));
    }
    if n > max {
        return Err(validation(constraint_message(
            value,
            member,
            &format!("Member must have length less than or equal to {max}"),
        )));
    }
    if !value.chars().all(name_char) {
        return Err(validation(constraint_message(
            value,
            member,
            "Member must satisfy regular expression pattern: [\\w+=,.@-]+",
        )));
    }
    Ok(())
}

/// `/` or `/segments/` of printable ASCII, 1-512 characters.
pub fn validate_path(path: &str, member: &str) -> Result<(), AwsError> {
    let ok = !path.is_empty()
        && path.len() <= 512
        && path.starts_with('/')
        && path.ends_with('/')
        && path.chars().all(|c| ('\u{21}'..='\u{7e}').contains(&c));
    if ok {
        Ok(())
    } else {
        Err(validation(constraint_message(
            path,
            member,
            "Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)",
        )))
    }
}

pub fn validate_description(d: &str, member: &str) -> Result<(), AwsError> {
    if d.chars().count() > 1000 {
        return Err(validation(constraint_message(
            d,
            member,
            "Member must have length less than or equal to 1000",
        )));
    }
    let ok = d.chars().all(|c| {
        matches!(c, '\t' | '\n' | '\r')
            || ('\u{20}'..='\u{7e}').contains(&c)
            || ('\u{a1}'..='\u{ff}').contains(&c)
    });
    if ok {
        Ok(())
    } else {
        Err(validation(constraint_message(
            d,
            member,
            "Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*",
        )))
    }
}

pub fn validate_max_session_duration(secs: i64) -> Result<(), AwsError> {
    if secs < 3600 {
        return Err(validation(constraint_message(
            &secs.to_string(),
            "maxSessionDuration",
            "Member must have value greater than or equal to 3600",
        )));
    }
    if secs > 43200 {
        return Err(validation(constraint_message(
            &secs.to_string(),
            "maxSessionDuration",
            "Member must have value less than or equal to 43200",
        )));
    }
    Ok(())
}

fn tag_char(c: char) -> bool {
    c.is_alphanumeric() || (c.is_whitespace() && !c.is_control()) || "_.:/=+-@".contains(c)
}

/// Keys 1-128, values 0-256 characters of `[\p{L}\p{Z}\p{N}_.:/=+\-@]`; no `aws:` keys;
/// no key twice in one request.
pub fn validate_tags(tags: &[Tag]) -> Result<(), AwsError> {
    let mut seen = std::collections::BTreeSet::new();
    for t in tags {
        let n = t.key.chars().count();
        if n == 0 || n > 128 || !t.key.chars().all(tag_char) {
            return Err(validation(constraint_message(
                &t.key,
                "tags.member.key",
                "Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+",
            )));
        }
        if t.value.chars().count() > 256 || !t.value.chars().all(tag_char) {
            return Err(validation(constraint_message(
                &t.value,
                "tags.member.value",
                "Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*",
            )));
        }
        if t.key.to_ascii_lowercase().starts_with("aws:") {
            return Err(AwsError::client(
                "InvalidInput",
                format!(
                    "User is not authorized to use the reserved tag key prefix 'aws:' in {}.",
                    t.key
                ),
            ));
        }
        if !seen.insert(t.key.to_ascii_lowercase()) {
            return Err(AwsError::client(
                "InvalidInput",
                format!(
                    "Duplicate tag keys found. Please note that Tag keys are case insensitive: {}",
                    t.key
                ),
            ));
        }
    }
    Ok(())
}

/// Which policy a document is: a trust policy (must name principals) or an identity policy
/// (must not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    Trust,
    Identity,
}

/// Checks a policy document's grammar: JSON object, a valid `Version` when present, and
/// statements with `Effect`, actions, and principals/resources as the kind requires.
pub fn validate_policy_document(
    doc: &str,
    kind: PolicyKind,
    max_len: usize,
) -> Result<(), AwsError> {
    if doc.chars().count() > max_len {
        let quota = match kind {
            PolicyKind::Trust => "ACLSizePerRole",
            PolicyKind::Identity => "PolicySize",
        };
        return Err(AwsError::client(
            "LimitExceeded",
            format!("Cannot exceed quota for {quota}: {max_len}"),
        ));
    }
    let v: Value =
        serde_json::from_str(doc).map_err(|_| malformed("This policy contains invalid Json"))?;
    let Some(obj) = v.as_object() else {
        return Err(malformed("Syntax errors in policy."));
    };
    if let Some(ver) = obj.get("Version")
        && ver.as_str() != Some("2012-10-17")
        && ver.as_str() != Some("2008-10-17")
    {
        return Err(malformed("The policy must contain a valid version string"));
    }
    let statements: Vec<&Value> = match obj.get("Statement") {
        Some(Value::Array(a)) if !a.is_empty() => a.iter().collect(),
        Some(s @ Value::Object(_)) => vec![s],
        _ => return Err(malformed("Syntax errors in policy.")),
    };
    for st in statements {
        let Some(s) = st.as_object() else {
            return Err(malformed("Syntax errors in policy."));
        };
        match s.get("Effect").and_then(Value::as_str) {
            Some("Allow") | Some("Deny") => {}
            _ => return Err(malformed("Syntax errors in policy.")),
        }
        if !s.contains_key("Action") && !s.contains_key("NotAction") {
            return Err(malformed("Policy statement must contain actions."));
        }
        let has_principal = s.contains_key("Principal") || s.contains_key("NotPrincipal");
        match kind {
            PolicyKind::Trust => {
                if !has_principal {
                    return Err(malformed("Missing required field Principal"));
                }
                if s.contains_key("Resource") || s.contains_key("NotResource") {
                    return Err(malformed("Has prohibited field Resource"));
                }
            }
            PolicyKind::Identity => {
                if has_principal {
                    return Err(malformed("Policy document should not specify a principal."));
                }
                if !s.contains_key("Resource") && !s.contains_key("NotResource") {
                    return Err(malformed("Policy statement must contain resources."));
                }
            }
        }
    }
    Ok(())
}

/// A managed policy ARN: `arn:aws:iam::<account|aws>:policy<path><name>`; returns
/// (account or "aws", path, name).
pub fn parse_policy_arn(arn: &str) -> Result<(String, String, String), AwsError> {
    let invalid = || AwsError::client("InvalidInput", format!("ARN {arn} is not valid."));
    let rest = arn.strip_prefix("arn:").ok_or_else(invalid)?;
    let parts: Vec<&str> = rest.splitn(5, ':').collect();
    if parts.len() != 5 || !parts[0].starts_with("aws") || parts[1] != "iam" || !parts[2].is_empty()
    {
        return Err(invalid());
    }
    let account = parts[3];
    if account != "aws" && (account.len() != 12 || !account.chars().all(|c| c.is_ascii_digit())) {
        return Err(invalid());
    }
    let res = parts[4].strip_prefix("policy/").ok_or_else(invalid)?;
    let (path, name) = match res.rfind('/') {
        Some(i) => (format!("/{}", &res[..=i]), &res[i + 1..]),
        None => ("/".to_string(), res),
    };
    if name.is_empty() {
        return Err(invalid());
    }
    Ok((account.to_string(), path, name.to_string()))
}

/// `arn:aws:iam::<account>:<kind><path><name>` (path is `/` or `/a/b/`).
pub fn entity_arn(account: &str, kind: &str, path: &str, name: &str) -> String {
    format!("arn:aws:iam::{account}:{kind}{path}{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_rules_table() {
        for (name, ok) in [
            ("CloudTrail_CloudWatchLogs_Role", true),
            ("a+b=c,d.e@f-g", true),
            ("", false),
            ("has space", false),
            ("slash/no", false),
            (&"r".repeat(64), true),
            (&"r".repeat(65), false),
        ] {
            assert_eq!(validate_name(name, "roleName", 64).is_ok(), ok, "{name}");
        }
        let e = validate_name("bad name", "roleName", 64).unwrap_err();
        assert_eq!(e.code, "ValidationError");
        assert_eq!(
            e.message,
            "1 validation error detected: Value 'bad name' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"
        );
    }

    #[test]
    fn path_rules_table() {
        for (p, ok) in [
            ("/", true),
            ("/service-role/", true),
            ("/a/b/", true),
            ("a/", false),
            ("/a", false),
            ("", false),
            ("/a b/", false),
        ] {
            assert_eq!(validate_path(p, "path").is_ok(), ok, "{p}");
        }
    }

    #[test]
    fn policy_document_rules_table() {
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        let identity = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:PutLogEvents","Resource":"*"}]}"#;
        assert!(validate_policy_document(trust, PolicyKind::Trust, 2048).is_ok());
        assert!(validate_policy_document(identity, PolicyKind::Identity, 6144).is_ok());
        for (doc, kind, msg) in [
            (
                "{",
                PolicyKind::Identity,
                "This policy contains invalid Json",
            ),
            ("[]", PolicyKind::Identity, "Syntax errors in policy."),
            (
                r#"{"Version":"2020-01-01","Statement":[]}"#,
                PolicyKind::Identity,
                "The policy must contain a valid version string",
            ),
            (
                r#"{"Statement":[{"Effect":"Maybe","Action":"*","Resource":"*"}]}"#,
                PolicyKind::Identity,
                "Syntax errors in policy.",
            ),
            (
                trust,
                PolicyKind::Identity,
                "Policy document should not specify a principal.",
            ),
            (
                identity,
                PolicyKind::Trust,
                "Missing required field Principal",
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Action":"*"}}"#,
                PolicyKind::Identity,
                "Policy statement must contain resources.",
            ),
        ] {
            let e = validate_policy_document(doc, kind, 6144).unwrap_err();
            assert_eq!(
                (e.code.as_str(), e.message.as_str()),
                ("MalformedPolicyDocument", msg),
                "{doc}"
            );
        }
        let e = validate_policy_document(identity, PolicyKind::Identity, 10).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("LimitExceeded", "Cannot exceed quota for PolicySize: 10")
        );
    }

    #[test]
    fn policy_arns_parse_with_paths() {
        assert_eq!(
            parse_policy_arn("arn:aws:iam::aws:policy/service-role/AWSConfigRole").ok(),
            Some((
                "aws".into(),
                "/service-role/".into(),
                "AWSConfigRole".into()
            ))
        );
        assert_eq!(
            parse_policy_arn("arn:aws:iam::123456789012:policy/p").ok(),
            Some(("123456789012".into(), "/".into(), "p".into()))
        );
        assert_eq!(
            parse_policy_arn("arn:aws:iam::123:policy/p")
                .unwrap_err()
                .code,
            "InvalidInput"
        );
        assert_eq!(
            parse_policy_arn("arn:aws:iam::aws:role/x")
                .unwrap_err()
                .code,
            "InvalidInput"
        );
    }
}
