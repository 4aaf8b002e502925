//! Conformance tables for the two pattern languages, built from the examples in AWS's
//! documentation: CloudWatch Logs filter patterns (tests/conformance/filter_patterns.json)
//! and EventBridge event patterns, which SNS filter policies share
//! (tests/conformance/event_patterns.json).
//!
//! Each row names its pattern, its input (a log event message, or an event / the message
//! attributes as JSON), what AWS documents (`true`, `false` or `"error"` for a pattern that
//! is refused) and the page and section it comes from; a row that departs from the page's
//! literal wording says why in `note`. Every row is run and all failures are reported
//! together.

use std::fmt::Write as _;
use std::path::Path;

use ctsim::services::eventbridge::pattern::EventPattern;
use ctsim::services::logs::filter_pattern::FilterPattern;
use serde_json::Value;

/// Each table must keep at least this many rows.
const MIN_ROWS: usize = 50;

/// What a row expects, or what a pattern did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Match,
    NoMatch,
    Error,
}

impl Outcome {
    fn from_bool(matched: bool) -> Self {
        if matched { Self::Match } else { Self::NoMatch }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Match => "true",
            Self::NoMatch => "false",
            Self::Error => "error",
        }
    }
}

/// What running a row gave: the outcome, and for a refused pattern the reason.
struct Got {
    outcome: Outcome,
    reason: Option<String>,
}

impl Got {
    fn matched(matched: bool) -> Self {
        Got {
            outcome: Outcome::from_bool(matched),
            reason: None,
        }
    }

    fn refused(reason: String) -> Self {
        Got {
            outcome: Outcome::Error,
            reason: Some(reason),
        }
    }
}

struct Row {
    index: usize,
    source: String,
    /// The pattern text as given to `compile`.
    pattern: String,
    input: Value,
    expect: Outcome,
}

fn load(name: &str) -> Vec<Row> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/conformance")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rows: Vec<Value> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    rows.into_iter()
        .enumerate()
        .map(|(index, row)| parse_row(name, index, &row))
        .collect()
}

fn parse_row(table: &str, index: usize, row: &Value) -> Row {
    let field = |key: &str| {
        row.get(key)
            .unwrap_or_else(|| panic!("{table} row {index}: no \"{key}\""))
    };
    let source = field("source")
        .as_str()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| panic!("{table} row {index}: \"source\" must be a non-empty string"))
        .to_string();
    // A pattern written as a string is used as is (which keeps duplicate keys); any other
    // JSON value is serialised.
    let pattern = match field("pattern") {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let expect = match field("expect") {
        Value::Bool(true) => Outcome::Match,
        Value::Bool(false) => Outcome::NoMatch,
        Value::String(s) if s == "error" => Outcome::Error,
        other => {
            panic!("{table} row {index}: \"expect\" must be true, false or \"error\", not {other}")
        }
    };
    if let Some(note) = row.get("note") {
        assert!(
            note.as_str().is_some_and(|s| !s.trim().is_empty()),
            "{table} row {index}: \"note\" must be a non-empty string"
        );
    }
    Row {
        index,
        source,
        pattern,
        input: field("input").clone(),
        expect,
    }
}

fn filter_pattern_outcome(row: &Row) -> Result<Got, String> {
    let Value::String(message) = &row.input else {
        return Err("input must be a string (a log event message)".to_string());
    };
    let pattern = match FilterPattern::compile(&row.pattern) {
        Ok(pattern) => pattern,
        Err(e) => return Ok(Got::refused(e.message())),
    };
    let matched = pattern.matches(message);
    // TestMetricFilter must agree with matching.
    let tested = !pattern.test_messages(&[message.as_str()]).is_empty();
    if tested != matched {
        return Err(format!(
            "matches() says {matched} but test_messages() says {tested}"
        ));
    }
    Ok(Got::matched(matched))
}

fn event_pattern_outcome(row: &Row) -> Result<Got, String> {
    Ok(match EventPattern::compile(&row.pattern) {
        Ok(pattern) => Got::matched(pattern.matches(&row.input)),
        Err(e) => Got::refused(e.message()),
    })
}

/// Runs every row and returns one paragraph per failing row.
fn failures(rows: &[Row], run: fn(&Row) -> Result<Got, String>) -> Vec<String> {
    let mut out = Vec::new();
    for row in rows {
        let got = match run(row) {
            Ok(got) if got.outcome == row.expect => continue,
            Ok(Got {
                outcome,
                reason: Some(reason),
            }) => format!("{} ({reason})", outcome.name()),
            Ok(Got {
                outcome,
                reason: None,
            }) => outcome.name().to_string(),
            Err(problem) => format!("(bad row or inconsistent result: {problem})"),
        };
        let input = match &row.input {
            Value::String(s) => format!("{s:?}"),
            other => other.to_string(),
        };
        let mut text = String::new();
        let _ = write!(
            text,
            "  row {}\n    pattern:  {}\n    input:    {}\n    expected: {}\n    got:      {}\n    source:   {}",
            row.index,
            row.pattern,
            input,
            row.expect.name(),
            got,
            row.source
        );
        out.push(text);
    }
    out
}

fn check_table(name: &str, run: fn(&Row) -> Result<Got, String>) {
    let rows = load(name);
    assert!(
        rows.len() >= MIN_ROWS,
        "{name} has {} rows; it must keep at least {MIN_ROWS}",
        rows.len()
    );
    let failed = failures(&rows, run);
    assert!(
        failed.is_empty(),
        "{} of {} rows of {name} disagree with the documentation:\n{}",
        failed.len(),
        rows.len(),
        failed.join("\n")
    );
}

#[test]
fn filter_patterns_follow_the_cloudwatch_logs_guide() {
    check_table("filter_patterns.json", filter_pattern_outcome);
}

#[test]
fn event_patterns_follow_the_eventbridge_and_sns_guides() {
    check_table("event_patterns.json", event_pattern_outcome);
}
