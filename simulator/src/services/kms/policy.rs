//! A small evaluator of key policies for service principals: enough to decide whether a
//! service (CloudWatch Logs, CloudTrail) may use a key. Conditions are not evaluated.

use serde_json::Value;

/// `*` and `?` wildcards, case-insensitive (IAM action names are case-insensitive).
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_ascii_lowercase().chars().collect();
    let t: Vec<char> = text.to_ascii_lowercase().chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0usize, 0usize, None::<usize>, 0usize);
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
    p[pi..].iter().all(|c| *c == '*')
}

fn strings(v: Option<&Value>) -> Vec<&str> {
    match v {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn names_service(principal: Option<&Value>, service: &str) -> bool {
    match principal {
        Some(Value::String(s)) => s == "*",
        Some(Value::Object(m)) => {
            strings(m.get("AWS")).contains(&"*")
                || strings(m.get("Service"))
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case(service))
        }
        _ => false,
    }
}

fn statement_matches(st: &Value, service: &str, action: &str) -> bool {
    names_service(st.get("Principal"), service)
        && strings(st.get("Action"))
            .iter()
            .any(|a| wildcard_match(a, action))
}

/// Whether the policy allows `service` (e.g. `logs.us-east-1.amazonaws.com`) to perform
/// `action` (e.g. `kms:GenerateDataKey`): some Allow statement matches and no Deny does.
/// A policy that is not valid JSON allows nothing.
pub fn policy_allows_service(policy: &str, service: &str, action: &str) -> bool {
    let Ok(doc) = serde_json::from_str::<Value>(policy) else {
        return false;
    };
    let statements: Vec<&Value> = match doc.get("Statement") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        _ => return false,
    };
    let effect = |st: &Value| {
        st.get("Effect")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let matching: Vec<&Value> = statements
        .into_iter()
        .filter(|st| statement_matches(st, service, action))
        .collect();
    matching.iter().any(|st| effect(st) == "Allow")
        && !matching.iter().any(|st| effect(st) == "Deny")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_like_iam() {
        for (p, t, want) in [
            ("kms:*", "kms:Encrypt", true),
            ("kms:GenerateDataKey*", "kms:GenerateDataKey", true),
            (
                "kms:GenerateDataKey*",
                "kms:GenerateDataKeyWithoutPlaintext",
                true,
            ),
            ("kms:Encrypt*", "kms:Decrypt", false),
            ("KMS:encrypt", "kms:Encrypt", true),
            ("*", "anything", true),
            ("kms:?ncrypt", "kms:Encrypt", true),
        ] {
            assert_eq!(wildcard_match(p, t), want, "{p} {t}");
        }
    }

    #[test]
    fn service_principal_must_be_allowed_and_not_denied() {
        let allow = r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":["logs.us-east-1.amazonaws.com"]},"Action":["kms:Encrypt*","kms:GenerateDataKey*"],"Resource":"*"}]}"#;
        assert!(policy_allows_service(
            allow,
            "logs.us-east-1.amazonaws.com",
            "kms:GenerateDataKey"
        ));
        assert!(!policy_allows_service(
            allow,
            "cloudtrail.amazonaws.com",
            "kms:GenerateDataKey"
        ));
        let root_only = super::super::default_key_policy("123456789012");
        assert!(!policy_allows_service(
            &root_only,
            "logs.us-east-1.amazonaws.com",
            "kms:Encrypt"
        ));
        let denied = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*"},{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"kms:Encrypt"}]}"#;
        assert!(!policy_allows_service(
            denied,
            "logs.us-east-1.amazonaws.com",
            "kms:Encrypt"
        ));
        assert!(policy_allows_service(
            denied,
            "logs.us-east-1.amazonaws.com",
            "kms:Decrypt"
        ));
        assert!(!policy_allows_service("nope", "x", "kms:Encrypt"));
    }
}
