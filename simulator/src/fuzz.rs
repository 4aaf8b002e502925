//! Support for the fuzz and property tests that sit beside each parser of untrusted input
//! (every such test is named `fuzz_...`; docs/reliability.md lists them).
//!
//! A target is a proptest strategy and a property. [`check`] runs it with a small case
//! count by default, so that `cargo test` stays quick, and reads two variables for long runs:
//!
//! - `CTSIM_FUZZ_CASES=N`: N cases per target (per round, with `CTSIM_FUZZ_SECONDS`);
//! - `CTSIM_FUZZ_SECONDS=S`: keep running rounds of fresh random cases until S seconds
//!   have passed, then print the count of cases run;
//! - `CTSIM_FUZZ_TRACE=1`: print each case before running it (a stack overflow aborts
//!   the process before proptest can shrink or report the input).
//!
//! A failing case is shrunk to a minimal input, reported, and its seed saved under
//! `proptest-regressions/` beside the test's source file, so the next run replays it
//! first; every finding also gets an explicit unit test with the minimized input.
//!
//! The strategies here make inputs that are near-valid, not only random: JSON trees with
//! the strings parsers trip on, and mutations of valid documents ([`mutated_json`]) so that
//! a parser gets past its first check and into the deep paths.

use std::fmt::Debug;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestError, TestRunner};
use serde_json::Value;

/// Cases per round: `CTSIM_FUZZ_CASES`, else the target's default.
fn cases(default_cases: u32) -> u32 {
    std::env::var("CTSIM_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(default_cases)
}

fn seconds() -> Option<Duration> {
    std::env::var("CTSIM_FUZZ_SECONDS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map(Duration::from_secs)
}

/// Runs one target: `property` over values of `strategy`. `source_file` is `file!()` of
/// the caller (where the regressions file goes).
pub fn check<S>(
    source_file: &'static str,
    name: &str,
    default_cases: u32,
    strategy: S,
    property: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S: Strategy,
    S::Value: Debug,
{
    let per_round = cases(default_cases);
    let budget = seconds();
    // Each case printed before it runs: a stack overflow aborts without shrinking.
    let trace = std::env::var_os("CTSIM_FUZZ_TRACE").is_some();
    let started = Instant::now();
    let mut total: u64 = 0;
    loop {
        let config = Config {
            cases: per_round,
            failure_persistence: Some(Box::new(FileFailurePersistence::SourceParallel(
                "proptest-regressions",
            ))),
            source_file: Some(source_file),
            ..Config::default()
        };
        let mut runner = TestRunner::new(config);
        let traced = |v: S::Value| {
            if trace {
                eprintln!("fuzz {name} case: {v:?}");
            }
            property(v)
        };
        match runner.run(&strategy, traced) {
            Ok(()) => {}
            Err(TestError::Fail(why, input)) => {
                panic!("{name}: {why}\nminimal failing input: {input:#?}")
            }
            Err(TestError::Abort(why)) => panic!("{name}: aborted: {why}"),
        }
        total += u64::from(per_round);
        match budget {
            Some(b) if started.elapsed() < b => continue,
            _ => break,
        }
    }
    if budget.is_some() || std::env::var_os("CTSIM_FUZZ_CASES").is_some() {
        eprintln!(
            "fuzz {name}: {total} cases in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
}

/// Strings that parsers trip on: empty, wildcards, escapes, multi-byte characters at the
/// edges, NUL, numbers and dates as text, and long runs.
pub fn nasty_string() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "\\PC{0,12}",
        2 => "[a-zA-Z0-9:/*?._-]{0,24}",
        1 => Just(String::new()),
        1 => prop::sample::select(vec![
            "*", "?", "${*}", "${aws:username}", "${", "%", "%zz", "%2", "%C3%28", "\u{0}",
            "é", "€", "𝄞", "\u{feff}", "a\u{301}", "..", "../..", "/", "//", "\\", "\"",
            "'", "&", "&#x110000;", "&#", "<", "]]>", "\r\n", "true", "false", "null",
            "-0", "1e999", "NaN", "9223372036854775808", "-9223372036854775809",
            "0x10", "2024-02-30T00:00:00Z", "+262143-12-31T23:59:59Z", "1970-01-01",
            "arn:aws:s3:::b/*", "arn:aws:iam::123456789012:root", "arn:", "arn:aws",
            "123456789012", "us-east-1", "AWS::S3::Object", "s3.amazonaws.com",
            "cloudtrail.amazonaws.com", "IfExists", "ForAnyValue:", "é:é", "10.0.0.0/33",
            "::1/129", "0.0.0.0/0",
        ])
        .prop_map(str::to_string),
        1 => (prop::sample::select(vec!["a", "é", "*", "%", "{", "[", "\\", " "]), 1usize..5000)
            .prop_map(|(s, n)| s.repeat(n)),
    ]
}

/// Any JSON value up to a few levels deep, with [`nasty_string`] strings and keys.
pub fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        nasty_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((nasty_string(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// One edit of a JSON document.
#[derive(Debug, Clone)]
pub enum Edit {
    /// Replace the node with any value.
    Replace(Value),
    /// Remove the node from its parent.
    Remove,
    /// Add a member (objects) or an element (arrays).
    Add(String, Value),
    /// Wrap the node in an array.
    WrapInArray,
    /// Turn a string into the same string repeated (huge values).
    Repeat(usize),
    /// Replace the node with its JSON text (type confusion).
    Stringify,
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => any_json().prop_map(Edit::Replace),
        2 => Just(Edit::Remove),
        2 => (nasty_string(), any_json()).prop_map(|(k, v)| Edit::Add(k, v)),
        1 => Just(Edit::WrapInArray),
        1 => (2usize..2000).prop_map(Edit::Repeat),
        1 => Just(Edit::Stringify),
    ]
}

/// Counts the nodes of a tree (pre-order).
fn count(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count).sum(),
        Value::Object(m) => m.values().map(count).sum(),
        _ => 0,
    }
}

/// Applies `e` to the `n`th node (pre-order) of `v`; node 0 is the root.
fn apply(v: &mut Value, n: usize, e: &Edit) {
    fn walk(v: &mut Value, n: &mut usize, e: &Edit) -> bool {
        // A child that is the target of a removal is removed from its container.
        match v {
            Value::Array(items) => {
                let mut i = 0;
                while i < items.len() {
                    if *n == 1 && matches!(e, Edit::Remove) {
                        items.remove(i);
                        return true;
                    }
                    *n -= 1;
                    if *n == 0 {
                        edit_node(&mut items[i], e);
                        return true;
                    }
                    if walk(&mut items[i], n, e) {
                        return true;
                    }
                    i += 1;
                }
                false
            }
            Value::Object(m) => {
                let keys: Vec<String> = m.keys().cloned().collect();
                for k in keys {
                    if *n == 1 && matches!(e, Edit::Remove) {
                        m.remove(&k);
                        return true;
                    }
                    *n -= 1;
                    let Some(child) = m.get_mut(&k) else { continue };
                    if *n == 0 {
                        edit_node(child, e);
                        return true;
                    }
                    if walk(child, n, e) {
                        return true;
                    }
                }
                false
            }
            _ => false,
        }
    }
    if n == 0 {
        edit_node(v, e);
        return;
    }
    let mut n = n;
    walk(v, &mut n, e);
}

fn edit_node(v: &mut Value, e: &Edit) {
    match e {
        Edit::Replace(x) => *v = x.clone(),
        Edit::Remove => *v = Value::Null,
        Edit::Add(k, x) => match v {
            Value::Object(m) => {
                m.insert(k.clone(), x.clone());
            }
            Value::Array(a) => a.push(x.clone()),
            other => *other = Value::Array(vec![other.clone(), x.clone()]),
        },
        Edit::WrapInArray => *v = Value::Array(vec![v.clone()]),
        Edit::Repeat(n) => {
            if let Value::String(s) = v {
                *s = s.repeat(*n).chars().take(100_000).collect();
            } else {
                *v = Value::String("x".repeat(*n));
            }
        }
        Edit::Stringify => *v = Value::String(v.to_string()),
    }
}

/// One of `seeds`, edited zero to four times at random nodes: documents that are valid
/// but for a few places.
pub fn mutated_json(seeds: Vec<Value>) -> impl Strategy<Value = Value> {
    (
        prop::sample::select(seeds),
        prop::collection::vec((any::<prop::sample::Index>(), edit()), 0..5),
    )
        .prop_map(|(mut doc, edits)| {
            for (at, e) in edits {
                let n = at.index(count(&doc));
                apply(&mut doc, n, &e);
            }
            doc
        })
}

/// One edit of a text.
#[derive(Debug, Clone)]
pub enum TextEdit {
    Insert(prop::sample::Index, String),
    Delete(prop::sample::Index, usize),
    Truncate(prop::sample::Index),
    /// Repeat a slice of the text in place.
    Duplicate(prop::sample::Index, usize, usize),
}

fn text_edit() -> impl Strategy<Value = TextEdit> {
    prop_oneof![
        3 => (any::<prop::sample::Index>(), nasty_string()).prop_map(|(i, s)| TextEdit::Insert(i, s)),
        2 => (any::<prop::sample::Index>(), 1usize..16).prop_map(|(i, n)| TextEdit::Delete(i, n)),
        1 => any::<prop::sample::Index>().prop_map(TextEdit::Truncate),
        1 => (any::<prop::sample::Index>(), 1usize..32, 2usize..200)
            .prop_map(|(i, n, k)| TextEdit::Duplicate(i, n, k)),
    ]
}

/// Applies a text edit at character positions (never inside a character).
pub fn apply_text(s: &str, e: &TextEdit) -> String {
    let chars: Vec<char> = s.chars().collect();
    let at = |i: &prop::sample::Index| i.index(chars.len() + 1);
    let text = |c: &[char]| c.iter().collect::<String>();
    match e {
        TextEdit::Insert(i, ins) => {
            let i = at(i);
            format!("{}{ins}{}", text(&chars[..i]), text(&chars[i..]))
        }
        TextEdit::Delete(i, n) => {
            let i = at(i);
            let j = (i + n).min(chars.len());
            format!("{}{}", text(&chars[..i]), text(&chars[j..]))
        }
        TextEdit::Truncate(i) => text(&chars[..at(i)]),
        TextEdit::Duplicate(i, n, k) => {
            let i = at(i);
            let j = (i + n).min(chars.len());
            format!(
                "{}{}{}",
                text(&chars[..i]),
                text(&chars[i..j]).repeat(*k),
                text(&chars[j..])
            )
        }
    }
}

/// One of `seeds`, edited zero to four times as text.
pub fn mutated_text(seeds: Vec<String>) -> impl Strategy<Value = String> {
    (
        prop::sample::select(seeds),
        prop::collection::vec(text_edit(), 0..5),
    )
        .prop_map(|(mut s, edits)| {
            for e in &edits {
                s = apply_text(&s, e);
            }
            s
        })
}

/// `[[[...]]]` nested `depth` deep, as text.
pub fn nested_arrays(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

/// A JSON object nested `depth` deep (`{"a":{"a":...}}`), built without recursion.
pub fn nested_objects_text(depth: usize) -> String {
    format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn edits_reach_every_node() {
        let doc = json!({"a": [1, {"b": 2}], "c": "x"});
        assert_eq!(count(&doc), 6);
        for n in 0..6 {
            let mut d = doc.clone();
            apply(&mut d, n, &Edit::Replace(json!("R")));
            assert!(d.to_string().contains("\"R\""), "node {n}: {d}");
        }
        let mut d = doc.clone();
        apply(&mut d, 1, &Edit::Remove);
        assert_eq!(d, json!({"c": "x"}));
    }
}
