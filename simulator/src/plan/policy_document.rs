//! `data "aws_iam_policy_document"` rendered to the IAM policy JSON it produces, so that a
//! bucket policy written with it can be judged before apply. Values that are unknown stay
//! unknown markers inside the document; a fully known document is the JSON string, as the
//! data source's `json` attribute is.

use serde_json::{Map, Value, json};

use super::contains_unknown;

/// One value or a list, as IAM prints single-element lists (`"Action": "s3:PutObject"`).
fn one_or_many(v: &Value) -> Value {
    match v {
        Value::Array(a) if a.len() == 1 => a[0].clone(),
        other => other.clone(),
    }
}

fn principals(blocks: &Value) -> Option<Value> {
    let list = blocks.as_array()?;
    if list.is_empty() {
        return None;
    }
    // `type = "*"` with identifiers ["*"] is the anonymous principal "*".
    if list.iter().any(|p| {
        p.get("type").and_then(Value::as_str) == Some("*")
            && p.get("identifiers")
                .and_then(Value::as_array)
                .is_some_and(|ids| ids.iter().any(|i| i.as_str() == Some("*")))
    }) {
        return Some(Value::String("*".into()));
    }
    let mut m = Map::new();
    for p in list {
        let ty = match p.get("type") {
            Some(Value::String(t)) => t.clone(),
            Some(other) => return Some(other.clone()),
            None => continue,
        };
        let ids = p.get("identifiers").cloned().unwrap_or(Value::Null);
        match m.get_mut(&ty) {
            Some(Value::Array(existing)) => {
                if let Value::Array(more) = ids {
                    existing.extend(more);
                }
            }
            _ => {
                m.insert(ty, ids);
            }
        }
    }
    Some(Value::Object(
        m.into_iter().map(|(k, v)| (k, one_or_many(&v))).collect(),
    ))
}

fn conditions(blocks: &Value) -> Option<Value> {
    let list = blocks.as_array()?;
    if list.is_empty() {
        return None;
    }
    let mut m: Map<String, Value> = Map::new();
    for c in list {
        let test = c
            .get("test")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string();
        let var = c
            .get("variable")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string();
        let values = one_or_many(c.get("values").unwrap_or(&Value::Null));
        let entry = m.entry(test).or_insert_with(|| json!({}));
        if let Value::Object(o) = entry {
            o.insert(var, values);
        }
    }
    Some(Value::Object(m))
}

/// The policy document for the data source's evaluated attributes.
pub fn render(attrs: &Value) -> Value {
    let mut statements = Vec::new();
    for st in attrs
        .get("statement")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let mut out = Map::new();
        if let Some(sid) = st.get("sid") {
            out.insert("Sid".into(), sid.clone());
        }
        out.insert(
            "Effect".into(),
            st.get("effect").cloned().unwrap_or_else(|| json!("Allow")),
        );
        for (from, to) in [
            ("actions", "Action"),
            ("not_actions", "NotAction"),
            ("resources", "Resource"),
            ("not_resources", "NotResource"),
        ] {
            if let Some(v) = st.get(from) {
                out.insert(to.into(), one_or_many(v));
            }
        }
        if let Some(p) = st.get("principals").and_then(principals) {
            out.insert("Principal".into(), p);
        }
        if let Some(p) = st.get("not_principals").and_then(principals) {
            out.insert("NotPrincipal".into(), p);
        }
        if let Some(c) = st.get("condition").and_then(conditions) {
            out.insert("Condition".into(), c);
        }
        statements.push(Value::Object(out));
    }
    let doc = json!({
        "Version": attrs.get("version").cloned().unwrap_or_else(|| json!("2012-10-17")),
        "Statement": statements,
    });
    if contains_unknown(&doc) {
        doc
    } else {
        Value::String(doc.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anonymous_principal_renders_as_star() {
        let attrs = json!({"statement": [{
            "actions": ["s3:GetObject"],
            "resources": ["arn:aws:s3:::b/*"],
            "principals": [{"type": "*", "identifiers": ["*"]}],
        }]});
        let Value::String(s) = render(&attrs) else {
            panic!("a known document renders as a string")
        };
        let doc: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(doc["Statement"][0]["Principal"], json!("*"));
        assert_eq!(doc["Statement"][0]["Effect"], json!("Allow"));
        assert_eq!(doc["Statement"][0]["Action"], json!("s3:GetObject"));
    }

    #[test]
    fn unknown_resources_keep_the_document_structured() {
        let attrs = json!({"statement": [{
            "actions": ["s3:PutObject"],
            "resources": [crate::plan::unknown("aws_s3_bucket.b.arn", "main.tf:3", None)],
            "principals": [{"type": "Service", "identifiers": ["cloudtrail.amazonaws.com"]}],
            "condition": [{"test": "StringEquals", "variable": "s3:x-amz-acl", "values": ["bucket-owner-full-control"]}],
        }]});
        let doc = render(&attrs);
        assert!(doc.is_object());
        assert_eq!(
            doc["Statement"][0]["Principal"],
            json!({"Service": "cloudtrail.amazonaws.com"})
        );
        assert_eq!(
            doc["Statement"][0]["Condition"]["StringEquals"]["s3:x-amz-acl"],
            json!("bucket-owner-full-control")
        );
    }
}
