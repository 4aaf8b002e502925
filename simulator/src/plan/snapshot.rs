//! A stable, normalised rendering of a configuration (usually a plan) for snapshot tests:
//! resources sorted by address, attributes flattened to sorted `path = value` lines, unknown
//! values marked `(known after apply)`, and volatile values (ids, ARNs with account ids,
//! timestamps, UUIDs) redacted so that the same configuration renders the same bytes on
//! every machine and every run.

use std::fmt::Write;

use serde_json::Value;

use super::{Config, Mode, as_unknown};

/// Attributes whose values change from run to run.
const VOLATILE_KEYS: &[&str] = &[
    "id",
    "arn",
    "key_id",
    "owner_id",
    "unique_id",
    "etag",
    "version_id",
    "creation_date",
    "create_date",
    "created_timestamp",
    "updated_timestamp",
    "hosted_zone_id",
];

fn volatile_key(k: &str) -> bool {
    VOLATILE_KEYS.contains(&k) || k.ends_with("_time") || k.ends_with("_timestamp")
}

/// Replaces 12-digit account ids and UUIDs inside a string.
pub fn redact_text(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        // UUID: 8-4-4-4-12 hex digits.
        if i + 36 <= chars.len() && is_uuid(&chars[i..i + 36]) {
            out.push_str("<uuid>");
            i += 36;
            continue;
        }
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_alphanumeric()) {
            let run = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            let end = i + run;
            if run == 12 && (end == chars.len() || !chars[end].is_ascii_alphanumeric()) {
                out.push_str("<account>");
                i = end;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

fn is_uuid(c: &[char]) -> bool {
    c.iter().enumerate().all(|(i, ch)| match i {
        8 | 13 | 18 | 23 => *ch == '-',
        _ => ch.is_ascii_hexdigit(),
    })
}

/// Attributes and blocks the provider's schemas declare as sets: rendered in a canonical order.
const SET_KEYS: &[&str] = &["field_selector", "exclude_management_event_sources"];

fn flatten(v: &Value, path: &str, out: &mut Vec<(String, String)>) {
    if as_unknown(v).is_some() {
        out.push((path.to_string(), "(known after apply)".into()));
        return;
    }
    match v {
        Value::Object(o) => {
            if o.is_empty() {
                out.push((path.to_string(), "{}".into()));
            }
            for (k, x) in o {
                if k.starts_with('$') {
                    continue;
                }
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if volatile_key(k) && !x.is_null() {
                    out.push((p, "(redacted)".into()));
                    continue;
                }
                if let Value::Array(items) = x
                    && SET_KEYS.contains(&k.as_str())
                {
                    // A set has no order: HCL keeps the written one, a plan Terraform's.
                    let mut items = items.clone();
                    items.sort_by_cached_key(|item| {
                        // By the rendering itself: `$` metadata (source lines) does not count.
                        let mut lines = Vec::new();
                        flatten(item, "", &mut lines);
                        lines.retain(|(_, v)| v != "null");
                        lines.sort();
                        lines
                    });
                    flatten(&Value::Array(items), &p, out);
                    continue;
                }
                flatten(x, &p, out);
            }
        }
        Value::Array(a) => {
            if a.is_empty() {
                out.push((path.to_string(), "[]".into()));
            }
            for (i, x) in a.iter().enumerate() {
                flatten(x, &format!("{path}[{i}]"), out);
            }
        }
        Value::String(s) => {
            // Embedded JSON documents (policies) are rendered canonically: keys sorted.
            let shown = match serde_json::from_str::<Value>(s) {
                Ok(doc @ (Value::Object(_) | Value::Array(_))) => doc.to_string(),
                _ => s.clone(),
            };
            out.push((path.to_string(), format!("{:?}", redact_text(&shown))));
        }
        other => out.push((path.to_string(), other.to_string())),
    }
}

/// The normalised attribute lines of one resource.
pub fn resource_lines(attrs: &Value) -> Vec<String> {
    let mut lines = Vec::new();
    flatten(attrs, "", &mut lines);
    lines.retain(|(_, v)| v != "null");
    lines.sort();
    lines
        .into_iter()
        .map(|(p, v)| format!("{p} = {v}"))
        .collect()
}

/// The whole rendering: managed resources only (data sources are inputs, not changes).
pub fn render(config: &Config) -> String {
    let mut out = String::new();
    let mut resources: Vec<_> = config
        .resources
        .iter()
        .filter(|r| r.mode == Mode::Managed)
        .collect();
    resources.sort_by(|a, b| a.address.cmp(&b.address));
    for r in resources {
        let _ = writeln!(out, "resource {}", redact_text(&r.address));
        for l in resource_lines(&r.attrs) {
            let _ = writeln!(out, "  {l}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids_and_uuids_are_redacted_but_other_numbers_stay() {
        assert_eq!(
            redact_text(
                "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
            ),
            "arn:aws:kms:us-east-1:<account>:key/<uuid>"
        );
        assert_eq!(
            redact_text("retention 365 and 1234567890123"),
            "retention 365 and 1234567890123"
        );
    }

    #[test]
    fn unknowns_are_marked_and_volatile_keys_redacted() {
        let attrs = serde_json::json!({
            "name": "t",
            "arn": "arn:aws:cloudtrail:us-east-1:123456789012:trail/t",
            "home_region": crate::plan::unknown("x", "plan", None),
            "tags": {},
        });
        assert_eq!(
            resource_lines(&attrs),
            vec![
                "arn = (redacted)",
                "home_region = (known after apply)",
                "name = \"t\"",
                "tags = {}",
            ]
        );
    }

    #[test]
    fn sets_render_in_one_order_whatever_the_input_order() {
        let a = serde_json::json!({"advanced_event_selector": [{"field_selector": [
            {"field": "eventCategory", "equals": ["Data"]},
            {"field": "resources.type", "equals": ["AWS::S3::Object"]},
        ]}]});
        let b = serde_json::json!({"advanced_event_selector": [{"field_selector": [
            {"field": "resources.type", "equals": ["AWS::S3::Object"]},
            {"field": "eventCategory", "equals": ["Data"]},
        ]}]});
        assert_eq!(resource_lines(&a), resource_lines(&b));
        // Lists keep their order.
        let c = serde_json::json!({"advanced_event_selector": [{"name": "b"}, {"name": "a"}]});
        assert_eq!(
            resource_lines(&c),
            vec![
                "advanced_event_selector[0].name = \"b\"",
                "advanced_event_selector[1].name = \"a\"",
            ]
        );
    }
}
