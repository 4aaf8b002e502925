//! A small XML writer for the query protocol and S3 responses (escaping, elements, the JSON
//! -> XML rendering of response shapes), and a reader for the few small XML request bodies
//! S3 takes (`CreateBucketConfiguration`).

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;

/// Escapes text and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// Un-escapes the five predefined entities and numeric references.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let Some(end) = tail.find(';') else {
            out.push_str(tail);
            return out;
        };
        let ent = &tail[1..end];
        let decoded = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => ent
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `<name>escaped text</name>`.
pub fn element(out: &mut String, name: &str, text: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    out.push_str(&escape(text));
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// ISO 8601 with milliseconds, as S3 and the query services write timestamps.
pub fn timestamp(epoch_seconds: f64) -> String {
    let ms = (epoch_seconds * 1000.0).round() as i64;
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// How a JSON response is turned into XML for one service.
pub struct Rules<'a> {
    /// Members that are maps (`<entry><key/><value/></entry>`).
    pub maps: &'a [&'a str],
    /// Numeric members that are timestamps.
    pub is_timestamp: fn(&str) -> bool,
    /// Members whose text is URL-encoded (IAM policy documents).
    pub url_encoded: &'a [&'a str],
}

/// Renders the members of a JSON object as XML children.
pub fn render_members(out: &mut String, v: &Value, rules: &Rules<'_>) {
    if let Value::Object(m) = v {
        for (k, v) in m {
            render_member(out, k, v, rules);
        }
    }
}

fn render_member(out: &mut String, name: &str, v: &Value, rules: &Rules<'_>) {
    match v {
        Value::Null => {}
        Value::Array(items) => {
            out.push_str(&format!("<{name}>"));
            for item in items {
                render_member(out, "member", item, rules);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::Object(m) if rules.maps.contains(&name) => {
            out.push_str(&format!("<{name}>"));
            for (k, v) in m {
                out.push_str("<entry>");
                element(out, "key", k);
                out.push_str("<value>");
                match v {
                    Value::String(s) => out.push_str(&escape(s)),
                    other => render_members(out, other, rules),
                }
                out.push_str("</value></entry>");
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::Object(_) => {
            out.push_str(&format!("<{name}>"));
            render_members(out, v, rules);
            out.push_str(&format!("</{name}>"));
        }
        Value::String(s) if rules.url_encoded.contains(&name) => {
            element(out, name, &super::sigv4::uri_encode(s, false));
        }
        Value::String(s) => element(out, name, s),
        Value::Bool(b) => element(out, name, if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let text = match n.as_f64() {
                Some(f) if (rules.is_timestamp)(name) => timestamp(f),
                _ if n.is_i64() || n.is_u64() => n.to_string(),
                Some(f) if f.fract() == 0.0 && f.abs() < 9e15 => format!("{}", f as i64),
                _ => n.to_string(),
            };
            element(out, name, &text);
        }
    }
}

/// The text of the first `<name>…</name>` in `xml` (namespaces prefixes and attributes
/// ignored), un-escaped. Enough for the one-field request bodies S3 takes.
pub fn first_text(xml: &str, name: &str) -> Option<String> {
    let mut from = 0;
    while let Some(i) = xml[from..].find('<') {
        let start = from + i + 1;
        let tag_end = start + xml[start..].find('>')?;
        let tag = &xml[start..tag_end];
        let tag_name = tag.split_whitespace().next().unwrap_or("");
        let local = tag_name.rsplit(':').next().unwrap_or(tag_name);
        if local == name && !tag.ends_with('/') {
            let body_start = tag_end + 1;
            let close = xml[body_start..].find("</")?;
            return Some(unescape(xml[body_start..body_start + close].trim()));
        }
        from = tag_end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn never(_: &str) -> bool {
        false
    }

    #[test]
    fn escapes_and_unescapes() {
        assert_eq!(escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
        assert_eq!(
            unescape("a&lt;b&gt;&amp;&#65;&#x42;&bogus;"),
            "a<b>&AB&bogus;"
        );
        assert_eq!(unescape("&"), "&");
    }

    #[test]
    fn renders_lists_maps_and_timestamps() {
        let rules = Rules {
            maps: &["Attributes"],
            is_timestamp: |n| n.ends_with("Date"),
            url_encoded: &[],
        };
        let mut out = String::new();
        render_members(
            &mut out,
            &json!({"Tags": [{"Key": "a", "Value": "<b>"}], "Attributes": {"k": "v"},
                     "CreateDate": 1704067200.0, "Count": 3.0, "Ok": true, "Gone": null}),
            &rules,
        );
        assert_eq!(
            out,
            "<Tags><member><Key>a</Key><Value>&lt;b&gt;</Value></member></Tags>\
             <Attributes><entry><key>k</key><value>v</value></entry></Attributes>\
             <CreateDate>2024-01-01T00:00:00.000Z</CreateDate><Count>3</Count><Ok>true</Ok>"
        );
        let plain = Rules {
            maps: &[],
            is_timestamp: never,
            url_encoded: &["Doc"],
        };
        let mut out = String::new();
        render_members(&mut out, &json!({"Doc": "{\"a\": 1}"}), &plain);
        assert_eq!(out, "<Doc>%7B%22a%22%3A%201%7D</Doc>");
    }

    #[test]
    fn finds_text_of_simple_bodies() {
        let body = r#"<?xml version="1.0"?><CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>"#;
        assert_eq!(
            first_text(body, "LocationConstraint").as_deref(),
            Some("eu-west-1")
        );
        assert_eq!(first_text(body, "Missing"), None);
        assert_eq!(first_text("<a><b>", "b"), None);
        assert_eq!(first_text("<<<>", "b"), None);
    }
}
