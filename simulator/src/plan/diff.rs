//! `ctsim diff A B`: what changes between two inputs (two plans, HCL and a plan, live state
//! and a plan): rule statuses, the event classes that stop or start being captured (judged
//! by the one selector evaluator), and a normalised attribute diff (similar). Deterministic:
//! the same inputs always render the same bytes.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::Config;
use super::snapshot;
use crate::compliance::coverage::{EventQuery, who_captures};
use crate::compliance::report::sources_text;
use crate::compliance::{Model, Rule, Status, Suppressions, check};

/// The event classes a diff compares, with the question that probes each.
fn event_classes(a: &Model, b: &Model) -> Vec<(String, EventQuery)> {
    let mut out = vec![
        (
            "management events, write".to_string(),
            EventQuery {
                event_source: Some("ec2.amazonaws.com".into()),
                event_name: Some("RunInstances".into()),
                read_only: Some(false),
                ..Default::default()
            },
        ),
        (
            "management events, read".to_string(),
            EventQuery {
                event_source: Some("ec2.amazonaws.com".into()),
                event_name: Some("DescribeInstances".into()),
                read_only: Some(true),
                ..Default::default()
            },
        ),
        (
            "AWS KMS management events".to_string(),
            EventQuery {
                event_source: Some("kms.amazonaws.com".into()),
                event_name: Some("Decrypt".into()),
                read_only: Some(true),
                ..Default::default()
            },
        ),
        (
            "Lambda invocations (every function)".to_string(),
            EventQuery {
                event_source: Some("lambda.amazonaws.com".into()),
                event_name: Some("Invoke".into()),
                resource_arn: Some(
                    "arn:aws:lambda:us-east-1:111122223333:function:any-function".into(),
                ),
                read_only: Some(false),
                ..Default::default()
            },
        ),
    ];
    let mut buckets = BTreeSet::new();
    buckets.insert("any-bucket-of-the-account".to_string());
    for m in [a, b] {
        for bk in &m.buckets {
            if let Some(n) = bk.name.known() {
                buckets.insert(n.clone());
            }
        }
    }
    for bucket in buckets {
        for (what, name, ro) in [("writes", "PutObject", false), ("reads", "GetObject", true)] {
            out.push((
                format!("S3 object {what} in bucket {bucket}"),
                EventQuery {
                    event_source: Some("s3.amazonaws.com".into()),
                    event_name: Some(name.into()),
                    resource_arn: Some(format!("arn:aws:s3:::{bucket}/any/key")),
                    read_only: Some(ro),
                    ..Default::default()
                },
            ));
        }
    }
    out
}

fn capturers(m: &Model, q: &EventQuery) -> BTreeSet<String> {
    who_captures(m, q)
        .into_iter()
        .filter(|l| l.captured == Some(true))
        .map(|l| format!("{} {}", l.kind, l.name))
        .collect()
}

/// The diff report. `a_name` / `b_name` label the two sides.
pub fn diff(a: &Config, b: &Config, a_name: &str, b_name: &str, rules: &[&'static Rule]) -> String {
    let (ma, mb) = (Model::build(a), Model::build(b));
    let none = Suppressions::default();
    let (ra, rb) = (check(&ma, rules, &none), check(&mb, rules, &none));
    let mut out = String::new();
    let _ = writeln!(out, "--- A: {a_name}");
    let _ = writeln!(out, "+++ B: {b_name}");

    let _ = writeln!(out, "\nRule status changes:");
    let mut any = false;
    for (x, y) in ra.results.iter().zip(&rb.results) {
        if x.status != y.status {
            any = true;
            let _ = writeln!(
                out,
                "  {} ({}): {} -> {}",
                x.rule.id,
                sources_text(x.rule),
                x.status.as_str(),
                y.status.as_str()
            );
            if y.status == Status::Fail {
                for f in y
                    .findings
                    .iter()
                    .filter(|f| f.finding.status == Status::Fail)
                {
                    let _ = writeln!(out, "    {}: {}", f.finding.resource, f.finding.reason);
                }
            }
        }
    }
    if !any {
        let _ = writeln!(out, "  none");
    }

    let _ = writeln!(out, "\nEvent capture changes:");
    let mut any = false;
    for (label, q) in event_classes(&ma, &mb) {
        let (ca, cb) = (capturers(&ma, &q), capturers(&mb, &q));
        if ca == cb {
            continue;
        }
        any = true;
        for gone in ca.difference(&cb) {
            let _ = writeln!(out, "  - {label}: no longer captured by {gone}");
        }
        for new in cb.difference(&ca) {
            let _ = writeln!(out, "  + {label}: now captured by {new}");
        }
        if cb.is_empty() {
            let _ = writeln!(out, "    ! {label}: captured by nothing in B");
        }
    }
    if !any {
        let _ = writeln!(out, "  none");
    }

    let _ = writeln!(out, "\nAttribute changes:");
    let (sa, sb) = (snapshot::render(a), snapshot::render(b));
    if sa == sb {
        let _ = writeln!(out, "  none");
    } else {
        let text = similar::TextDiff::from_lines(&sa, &sb);
        let _ = write!(
            out,
            "{}",
            text.unified_diff().context_radius(2).header("A", "B")
        );
    }
    out
}
