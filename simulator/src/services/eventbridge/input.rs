//! What a target receives: the event itself, a constant `Input`, the part of the event an
//! `InputPath` selects, or an `InputTransformer`'s template filled from the event, as the
//! EventBridge user guide ("Amazon EventBridge input transformation") describes them.
//!
//! Paths are the JSONPath subset EventBridge evaluates: `$`, dot notation (names may hold
//! dashes, underscores and slashes), array indices, bracketed quoted names and `*`.

use serde_json::{Map, Value};

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
    Wildcard,
}

/// A parsed path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    steps: Vec<Step>,
}

impl Path {
    /// Parses a path; `None` when EventBridge would reject it.
    pub fn parse(text: &str) -> Option<Path> {
        let bytes = text.as_bytes();
        if bytes.first() != Some(&b'$') {
            return None;
        }
        let mut steps = Vec::new();
        let mut i = 1;
        while i < bytes.len() {
            match bytes[i] {
                b'.' => {
                    let start = i + 1;
                    let mut end = start;
                    while end < bytes.len() && !matches!(bytes[end], b'.' | b'[') {
                        end += 1;
                    }
                    let name = text.get(start..end)?;
                    if name.is_empty() || name.contains([' ', ']', '\'', '"']) {
                        return None;
                    }
                    steps.push(if name == "*" {
                        Step::Wildcard
                    } else {
                        Step::Key(name.to_string())
                    });
                    i = end;
                }
                b'[' => {
                    let close = text.get(i..)?.find(']')? + i;
                    let inner = text.get(i + 1..close)?;
                    steps.push(if inner == "*" {
                        Step::Wildcard
                    } else if let Some(quoted) = inner
                        .strip_prefix('\'')
                        .and_then(|s| s.strip_suffix('\''))
                        .or_else(|| inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')))
                    {
                        Step::Key(quoted.to_string())
                    } else if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()) {
                        Step::Index(inner.parse().ok()?)
                    } else {
                        return None;
                    });
                    i = close + 1;
                }
                _ => return None,
            }
        }
        Some(Path { steps })
    }

    fn has_wildcard(&self) -> bool {
        self.steps.contains(&Step::Wildcard)
    }

    /// The value at the path; a path with `*` gives the array of everything it reaches.
    /// `None` when nothing is there.
    pub fn select(&self, root: &Value) -> Option<Value> {
        let mut found = Vec::new();
        collect(root, &self.steps, &mut found);
        if self.has_wildcard() {
            return Some(Value::Array(found.into_iter().cloned().collect()));
        }
        found.into_iter().next().cloned()
    }
}

fn collect<'v>(v: &'v Value, steps: &[Step], out: &mut Vec<&'v Value>) {
    let Some((step, rest)) = steps.split_first() else {
        out.push(v);
        return;
    };
    match (step, v) {
        (Step::Key(k), Value::Object(m)) => {
            if let Some(next) = m.get(k) {
                collect(next, rest, out);
            }
        }
        (Step::Index(i), Value::Array(a)) => {
            if let Some(next) = a.get(*i) {
                collect(next, rest, out);
            }
        }
        (Step::Wildcard, Value::Object(m)) => m.values().for_each(|x| collect(x, rest, out)),
        (Step::Wildcard, Value::Array(a)) => a.iter().for_each(|x| collect(x, rest, out)),
        _ => {}
    }
}

/// What a rule needs to know to fill the predefined variables.
pub struct RuleFacts<'a> {
    pub rule_arn: &'a str,
    pub rule_name: &'a str,
    /// ISO 8601, when EventBridge received the event.
    pub ingestion_time: &'a str,
}

/// The predefined variables of an input template (`aws.events.*`).
fn predefined(name: &str, event: &Value, facts: &RuleFacts<'_>) -> Option<Value> {
    match name {
        "aws.events.rule-arn" => Some(Value::String(facts.rule_arn.to_string())),
        "aws.events.rule-name" => Some(Value::String(facts.rule_name.to_string())),
        "aws.events.event.ingestion-time" => Some(Value::String(facts.ingestion_time.to_string())),
        "aws.events.event.json" => Some(event.clone()),
        "aws.events.event" => {
            let mut without_detail: Map<String, Value> = event.as_object().cloned()?;
            without_detail.remove("detail");
            Some(Value::Object(without_detail))
        }
        _ => None,
    }
}

/// Fills an input template. A placeholder `<name>` names an `InputPathsMap` key or a
/// predefined variable; anything else in angle brackets stays as written. Inside a JSON
/// string a value goes in as its text (objects and arrays lose their inner quotes);
/// outside one, strings gain quotes and everything else goes in as JSON. As in AWS, values
/// are not escaped, and a path that selects nothing leaves its placeholder empty inside a
/// string and `null` outside.
pub fn render_template(
    template: &str,
    paths: &[(String, Path)],
    event: &Value,
    facts: &RuleFacts<'_>,
) -> String {
    let lookup = |name: &str| -> Option<Option<Value>> {
        if let Some((_, p)) = paths.iter().find(|(k, _)| k == name) {
            return Some(p.select(event));
        }
        predefined(name, event, facts).map(Some)
    };
    let mut out = String::with_capacity(template.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut rest = template;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(close) = rest.find('>')
            && let Some(value) = lookup(&rest[1..close])
        {
            out.push_str(&placeholder_text(value.as_ref(), in_string));
            rest = &rest[close + 1..];
            escaped = false;
            continue;
        }
        if in_string && escaped {
            escaped = false;
        } else if in_string && c == '\\' {
            escaped = true;
        } else if c == '"' {
            in_string = !in_string;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn placeholder_text(value: Option<&Value>, in_string: bool) -> String {
    match (value, in_string) {
        (None | Some(Value::Null), true) => String::new(),
        (None, false) => "null".to_string(),
        (Some(Value::String(s)), true) => s.clone(),
        (Some(Value::String(s)), false) => format!("\"{s}\""),
        (Some(v @ (Value::Object(_) | Value::Array(_))), true) => v.to_string().replace('"', ""),
        (Some(v), _) => v.to_string(),
    }
}

/// The text a target receives for an event, per the target's `Input`, `InputPath` or
/// `InputTransformer` (the whole event as JSON without any of them).
pub fn target_input(target: &Value, event: &Value, facts: &RuleFacts<'_>) -> String {
    if let Some(input) = target.get("Input").and_then(Value::as_str) {
        return input.to_string();
    }
    if let Some(path) = target.get("InputPath").and_then(Value::as_str) {
        return match Path::parse(path).and_then(|p| p.select(event)) {
            Some(v) => v.to_string(),
            None => "null".to_string(),
        };
    }
    if let Some(t) = target.get("InputTransformer") {
        let template = t
            .get("InputTemplate")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let paths: Vec<(String, Path)> = t
            .get("InputPathsMap")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), Path::parse(v.as_str()?)?)))
                    .collect()
            })
            .unwrap_or_default();
        return render_template(template, &paths, event, facts);
    }
    event.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ec2_event() -> Value {
        json!({
            "version": "0",
            "id": "7bf73129-1428-4cd3-a780-95db273d1602",
            "detail-type": "EC2 Instance State-change Notification",
            "source": "aws.ec2",
            "account": "123456789012",
            "time": "2015-11-11T21:29:54Z",
            "region": "us-east-1",
            "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789"],
            "detail": {"instance-id": "i-0123456789", "state": "RUNNING", "count": 3,
                       "tags": {"a": "b"}}
        })
    }

    const FACTS: RuleFacts<'static> = RuleFacts {
        rule_arn: "arn:aws:events:us-east-1:123456789012:rule/r",
        rule_name: "r",
        ingestion_time: "2015-11-11T21:29:55Z",
    };

    fn paths(pairs: &[(&str, &str)]) -> Vec<(String, Path)> {
        pairs
            .iter()
            .map(|(k, p)| {
                let Some(path) = Path::parse(p) else {
                    panic!("{p} parses")
                };
                (k.to_string(), path)
            })
            .collect()
    }

    #[test]
    fn paths_select_with_dots_indices_brackets_and_wildcards() {
        let e = ec2_event();
        let sel = |p: &str| Path::parse(p).and_then(|p| p.select(&e));
        assert_eq!(sel("$"), Some(e.clone()));
        assert_eq!(sel("$.detail.instance-id"), Some(json!("i-0123456789")));
        assert_eq!(sel("$.detail-type"), Some(e["detail-type"].clone()));
        assert_eq!(sel("$.resources[0]"), Some(e["resources"][0].clone()));
        assert_eq!(sel("$['detail']['state']"), Some(json!("RUNNING")));
        assert_eq!(sel("$.detail.tags.*"), Some(json!(["b"])));
        assert_eq!(sel("$.detail.missing"), None);
        assert_eq!(sel("$.resources[5]"), None);
        for bad in ["", "detail", "$.", "$..x", "$[x]", "$.a b", "$[", "$x"] {
            assert_eq!(Path::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn string_templates_follow_the_user_guide_examples() {
        let e = ec2_event();
        let p = paths(&[
            ("instance", "$.detail.instance-id"),
            ("state", "$.detail.state"),
        ]);
        assert_eq!(
            render_template("\"<instance> is in state <state>\"", &p, &e, &FACTS),
            "\"i-0123456789 is in state RUNNING\""
        );
        assert_eq!(
            render_template("\"<instance> is in state \\\"<state>\\\"\"", &p, &e, &FACTS),
            "\"i-0123456789 is in state \\\"RUNNING\\\"\""
        );
        // Outside quotes a string value gains its own.
        assert_eq!(
            render_template("<instance> is in state <state>", &p, &e, &FACTS),
            "\"i-0123456789\" is in state \"RUNNING\""
        );
    }

    #[test]
    fn json_templates_quote_strings_and_keep_json_values() {
        let e = ec2_event();
        let p = paths(&[
            ("instance", "$.detail.instance-id"),
            ("state", "$.detail.state"),
            ("count", "$.detail.count"),
            ("detail", "$.detail.tags"),
            ("gone", "$.detail.nothing"),
        ]);
        let out = render_template(
            r#"{"instance": <instance>, "state": "<state>", "n": <count>, "d": <detail>, "s": "Detail is <detail>", "g": <gone>, "h": "<gone>"}"#,
            &p,
            &e,
            &FACTS,
        );
        assert_eq!(
            out,
            r#"{"instance": "i-0123456789", "state": "RUNNING", "n": 3, "d": {"a":"b"}, "s": "Detail is {a:b}", "g": null, "h": ""}"#
        );
        assert!(serde_json::from_str::<Value>(&out).is_ok());
    }

    #[test]
    fn predefined_variables_and_unknown_placeholders() {
        let e = ec2_event();
        let out = render_template(
            r#"{"rule": <aws.events.rule-name>, "arn": "<aws.events.rule-arn>", "at": <aws.events.event.ingestion-time>, "e": <aws.events.event>, "x": "<nope> & <"}"#,
            &[],
            &e,
            &FACTS,
        );
        let Ok(v) = serde_json::from_str::<Value>(&out) else {
            panic!("{out} is JSON")
        };
        assert_eq!(v["rule"], "r");
        assert_eq!(v["arn"], FACTS.rule_arn);
        assert_eq!(v["at"], "2015-11-11T21:29:55Z");
        assert_eq!(v["e"]["source"], "aws.ec2");
        assert!(v["e"].get("detail").is_none());
        assert_eq!(v["x"], "<nope> & <");
        let full = render_template("<aws.events.event.json>", &[], &e, &FACTS);
        assert_eq!(serde_json::from_str::<Value>(&full).ok(), Some(e));
    }

    #[test]
    fn target_input_picks_input_path_or_transformer() {
        let e = ec2_event();
        assert_eq!(target_input(&json!({}), &e, &FACTS), e.to_string());
        assert_eq!(
            target_input(&json!({"Input": "{\"k\": 1}"}), &e, &FACTS),
            "{\"k\": 1}"
        );
        assert_eq!(
            target_input(&json!({"InputPath": "$.detail.state"}), &e, &FACTS),
            "\"RUNNING\""
        );
        assert_eq!(
            target_input(&json!({"InputPath": "$.nothing"}), &e, &FACTS),
            "null"
        );
        assert_eq!(
            target_input(
                &json!({"InputTransformer": {"InputPathsMap": {"s": "$.detail.state"},
                    "InputTemplate": "\"state: <s>\""}}),
                &e,
                &FACTS
            ),
            "\"state: RUNNING\""
        );
    }
}
