//! IAM policy documents compared the way hashicorp/aws compares them
//! (`verify.SuppressEquivalentPolicyDiffs` / `PolicyToSet`, built on awspolicyequivalence):
//! two documents are the same policy when they differ only in whitespace, key order, the order
//! of statements or of values in a set-like element, a single value versus a one-element
//! array, `"*"` versus `{"AWS": "*"}` as a principal, an account ID versus its root ARN, or
//! scalar condition values written as strings or not. Any resource holding a policy (S3, SNS,
//! IAM, KMS...) uses [`policy_to_set`] on read so the user's spelling stays in state.

use serde_json::{Map, Value as Json};

/// Parses a JSON text; the error is the parser's message.
pub fn parse(text: &str) -> Result<Json, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// `validation.StringIsJSON` in the SDK's words, for ValidateResourceConfig.
pub fn json_problem(attr: &str, text: &str) -> Option<String> {
    parse(text)
        .err()
        .map(|e| format!("\"{attr}\" contains an invalid JSON: {e}"))
}

/// `structure.NormalizeJsonString`: compact JSON with object keys sorted; the text unchanged
/// when it does not parse.
pub fn normalize(text: &str) -> String {
    match parse(text) {
        Ok(v) => sorted(&v).to_string(),
        Err(_) => text.to_string(),
    }
}

/// True when both texts parse to the same JSON value regardless of key order and whitespace
/// (the equivalence hashicorp/aws applies to non-policy JSON such as SNS delivery policies).
pub fn json_equivalent(a: &str, b: &str) -> bool {
    match (parse(a), parse(b)) {
        (Ok(x), Ok(y)) => sorted(&x) == sorted(&y),
        _ => a == b,
    }
}

/// True when both texts are the same IAM policy (see the module comment); texts that do not
/// parse are equivalent only when identical.
pub fn equivalent(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    match (parse(a), parse(b)) {
        (Ok(x), Ok(y)) => canonical_policy(&x) == canonical_policy(&y),
        _ => false,
    }
}

/// The value to store for a policy read back from AWS: the configured/prior text when it is
/// equivalent (no diff, the user's spelling kept), else the remote text normalized.
pub fn policy_to_set(prior: Option<&str>, remote: &str) -> String {
    match prior {
        Some(p) if !p.is_empty() && equivalent(p, remote) => p.to_string(),
        _ => normalize(remote),
    }
}

/// Like [`policy_to_set`] for plain JSON documents.
pub fn json_to_set(prior: Option<&str>, remote: &str) -> String {
    match prior {
        Some(p) if !p.is_empty() && json_equivalent(p, remote) => p.to_string(),
        _ => normalize(remote),
    }
}

use crate::data_sources::iam_policy_document::sort_keys as sorted;

/// A scalar as the string IAM evaluates it against.
fn scalar_string(v: &Json) -> Json {
    match v {
        Json::Bool(b) => Json::String(b.to_string()),
        Json::Number(n) => Json::String(n.to_string()),
        other => sorted(other),
    }
}

/// A value that may be one item or an array of them, as a sorted, de-duplicated array.
fn string_set(v: &Json, map: impl Fn(&Json) -> Json) -> Json {
    let items: Vec<Json> = match v {
        Json::Array(a) => a.iter().map(&map).collect(),
        other => vec![map(other)],
    };
    let mut texts: Vec<(String, Json)> = items.into_iter().map(|j| (j.to_string(), j)).collect();
    texts.sort_by(|a, b| a.0.cmp(&b.0));
    texts.dedup_by(|a, b| a.0 == b.0);
    Json::Array(texts.into_iter().map(|(_, j)| j).collect())
}

fn aws_principal(v: &Json) -> Json {
    match v.as_str() {
        Some(s) if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) => {
            Json::String(format!("arn:aws:iam::{s}:root"))
        }
        _ => scalar_string(v),
    }
}

fn canonical_principal(v: &Json) -> Json {
    match v {
        Json::String(s) if s == "*" => {
            let mut m = Map::new();
            m.insert("AWS".into(), Json::Array(vec![Json::String("*".into())]));
            Json::Object(m)
        }
        Json::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            Json::Object(
                keys.into_iter()
                    .map(|k| {
                        let value = if k == "AWS" {
                            string_set(&m[k], aws_principal)
                        } else {
                            string_set(&m[k], scalar_string)
                        };
                        (k.clone(), value)
                    })
                    .collect(),
            )
        }
        other => sorted(other),
    }
}

fn canonical_condition(v: &Json) -> Json {
    let Json::Object(ops) = v else {
        return sorted(v);
    };
    let mut op_keys: Vec<&String> = ops.keys().collect();
    op_keys.sort();
    Json::Object(
        op_keys
            .into_iter()
            .map(|op| {
                let inner = match &ops[op] {
                    Json::Object(keys) => {
                        let mut ks: Vec<&String> = keys.keys().collect();
                        ks.sort();
                        Json::Object(
                            ks.into_iter()
                                .map(|k| (k.clone(), string_set(&keys[k], scalar_string)))
                                .collect(),
                        )
                    }
                    other => sorted(other),
                };
                (op.clone(), inner)
            })
            .collect(),
    )
}

fn canonical_statement(v: &Json) -> Json {
    let Json::Object(m) = v else {
        return sorted(v);
    };
    let mut out = Map::new();
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort();
    for k in keys {
        let value = &m[k];
        let canon = match k.as_str() {
            "Sid" if value.as_str() == Some("") => continue,
            "Action" | "NotAction" | "Resource" | "NotResource" => string_set(value, scalar_string),
            "Principal" | "NotPrincipal" => canonical_principal(value),
            "Condition" => canonical_condition(value),
            _ => sorted(value),
        };
        out.insert(k.clone(), canon);
    }
    Json::Object(out)
}

fn canonical_policy(v: &Json) -> Json {
    let Json::Object(m) = v else {
        return sorted(v);
    };
    let mut out = Map::new();
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort();
    for k in keys {
        let value = &m[k];
        let canon = if k == "Statement" {
            string_set(value, canonical_statement)
        } else {
            sorted(value)
        };
        out.insert(k.clone(), canon);
    }
    Json::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;

    #[test]
    fn policy_equivalence_table() {
        let cases: &[(&str, &str, bool)] = &[
            // whitespace and key order
            (
                BASE,
                r#"{
                  "Statement": [{
                    "Resource": "arn:aws:s3:::b/*", "Action": "s3:GetObject",
                    "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                    "Effect": "Allow", "Sid": "A"
                  }],
                  "Version": "2012-10-17"
                }"#,
                true,
            ),
            // single string vs one-element array
            (
                BASE,
                r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:root"]},"Action":["s3:GetObject"],"Resource":["arn:aws:s3:::b/*"]}]}"#,
                true,
            ),
            // Statement as a single object
            (
                BASE,
                r#"{"Version":"2012-10-17","Statement":{"Sid":"A","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#,
                true,
            ),
            // account ID vs root ARN
            (
                BASE,
                r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#,
                true,
            ),
            // a different action is a different policy
            (
                BASE,
                r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}]}"#,
                false,
            ),
            // a different effect too
            (BASE, &BASE.replace("Allow", "Deny"), false),
            // action order inside an array does not matter
            (
                r#"{"Statement":[{"Effect":"Allow","Action":["a:B","a:A"],"Resource":"*"}]}"#,
                r#"{"Statement":[{"Effect":"Allow","Action":["a:A","a:B"],"Resource":"*"}]}"#,
                true,
            ),
            // "*" principal forms
            (
                r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"a:A","Resource":"*"}]}"#,
                r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"a:A","Resource":"*"}]}"#,
                true,
            ),
            // condition values: bool vs string, single vs array
            (
                r#"{"Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":false}}}]}"#,
                r#"{"Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":["false"]}}}]}"#,
                true,
            ),
            // statement order does not matter
            (
                r#"{"Statement":[{"Effect":"Allow","Action":"a:A","Resource":"*"},{"Effect":"Deny","Action":"a:B","Resource":"*"}]}"#,
                r#"{"Statement":[{"Effect":"Deny","Action":"a:B","Resource":"*"},{"Effect":"Allow","Action":"a:A","Resource":"*"}]}"#,
                true,
            ),
            // empty Sid is no Sid
            (
                r#"{"Statement":[{"Sid":"","Effect":"Allow","Action":"a:A","Resource":"*"}]}"#,
                r#"{"Statement":[{"Effect":"Allow","Action":"a:A","Resource":"*"}]}"#,
                true,
            ),
            // a different version is different
            (
                r#"{"Version":"2012-10-17","Statement":[]}"#,
                r#"{"Version":"2008-10-17","Statement":[]}"#,
                false,
            ),
            // unparsable text is only equal to itself
            ("{not json", "{not json", true),
            ("{not json", "{}", false),
        ];
        for (i, (a, b, want)) in cases.iter().enumerate() {
            assert_eq!(equivalent(a, b), *want, "case {i}: {a} vs {b}");
            assert_eq!(equivalent(b, a), *want, "case {i} reversed");
        }
    }

    #[test]
    fn policy_to_set_keeps_the_configured_text_when_equivalent() {
        let configured = "{ \"Version\": \"2012-10-17\", \"Statement\": [] }";
        let remote = r#"{"Statement":[],"Version":"2012-10-17"}"#;
        assert_eq!(policy_to_set(Some(configured), remote), configured);
    }

    #[test]
    fn policy_to_set_normalizes_a_changed_remote_policy() {
        let remote = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny"}]}"#;
        assert_eq!(
            policy_to_set(Some(r#"{"Statement":[]}"#), remote),
            r#"{"Statement":[{"Effect":"Deny"}],"Version":"2012-10-17"}"#
        );
        assert_eq!(
            policy_to_set(None, remote),
            r#"{"Statement":[{"Effect":"Deny"}],"Version":"2012-10-17"}"#
        );
    }

    #[test]
    fn invalid_json_is_reported_with_the_attribute_name() {
        assert!(json_problem("policy", "{").unwrap().contains("\"policy\""));
        assert!(json_problem("policy", "{}").is_none());
    }

    #[test]
    fn plain_json_equivalence_ignores_key_order_only() {
        assert!(json_equivalent(
            r#"{"a":1,"b":[1,2]}"#,
            r#"{"b":[1,2],"a":1}"#
        ));
        assert!(!json_equivalent(r#"{"b":[1,2]}"#, r#"{"b":[2,1]}"#));
    }
}
