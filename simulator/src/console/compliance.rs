//! Compliance: what `ctsim check --live` decides (every rule of the catalogue on the live
//! state, `crate::compliance`), with each rule's controls and remediation, and the
//! CloudWatch alarms of every account and region with their states.

use std::fmt::Write;

use super::html::{self, esc};
use super::{Answer, Failure, Outcome};
use crate::Simulator;
use crate::compliance::report::sources_text;
use crate::compliance::{self, Model, Status, Suppressions};
use crate::services::cloudwatch::alarms;

fn status_class(s: Status) -> &'static str {
    match s {
        Status::Pass => "ok",
        Status::Fail => "bad",
        Status::NeedsRuntime => "warn",
        Status::NotApplicable => "muted",
    }
}

pub fn page(sim: &Simulator) -> Outcome {
    let config = crate::plan::live::load(sim)
        .map_err(|e| Failure::new(500, format!("Cannot read the live state: {e}")))?;
    let report = compliance::check(
        &Model::build(&config),
        &compliance::RULES.iter().collect::<Vec<_>>(),
        &Suppressions::default(),
    );
    let mut body = String::new();
    let _ = write!(
        body,
        "<p class=\"summary\"><span class=\"bad\">{} FAIL</span> · <span class=\"ok\">{} PASS</span> · \
         <span class=\"warn\">{} NEEDS_RUNTIME</span> · <span class=\"muted\">{} NOT_APPLICABLE</span> \
         — the same rules as <code>ctsim check --live</code></p>",
        report.count(Status::Fail),
        report.count(Status::Pass),
        report.count(Status::NeedsRuntime),
        report.count(Status::NotApplicable),
    );
    // Failures first, then the rest in catalogue order.
    let mut results: Vec<_> = report.results.iter().collect();
    results.sort_by_key(|r| match r.status {
        Status::Fail => 0,
        Status::NeedsRuntime => 1,
        Status::Pass => 2,
        Status::NotApplicable => 3,
    });
    let rows: Vec<Vec<String>> = results
        .iter()
        .map(|r| {
            let mut findings = String::new();
            for f in &r.findings {
                let _ = write!(
                    findings,
                    "<div><span class=\"{}\">{}</span> <code>{}</code> {}</div>",
                    status_class(f.finding.status),
                    esc(f.finding.status.as_str()),
                    esc(&f.finding.resource),
                    esc(&f.finding.reason)
                );
            }
            let remediation = if r.status == Status::Fail || r.status == Status::NeedsRuntime {
                esc(r.rule.remediation)
            } else {
                String::new()
            };
            vec![
                format!(
                    "<span class=\"{}\">{}</span>",
                    status_class(r.status),
                    esc(r.status.as_str())
                ),
                esc(r.rule.severity.as_str()),
                format!("<code>{}</code>", esc(r.rule.id)),
                esc(&sources_text(r.rule)),
                esc(r.rule.title),
                findings,
                remediation,
            ]
        })
        .collect();
    body.push_str(&html::table(
        "findings",
        &[
            "Status",
            "Severity",
            "Rule",
            "Controls",
            "Title",
            "Findings",
            "Remediation",
        ],
        &rows,
    ));
    body.push_str("<h2>CloudWatch alarms</h2>");
    let list = sim.read_unrecorded(|env| alarms::all(env, None, None))?;
    if list.is_empty() {
        body.push_str("<p class=\"empty\">No CloudWatch alarms.</p>");
    } else {
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|(account, region, d)| {
                let a = &d.alarm;
                let class = match a.state_value.as_str() {
                    "ALARM" => "bad",
                    "OK" => "ok",
                    _ => "warn",
                };
                let metric = match (&a.namespace, &a.metric_name) {
                    (Some(ns), Some(m)) => format!("{ns}/{m}"),
                    _ => "(metric math)".into(),
                };
                vec![
                    format!("<span class=\"{class}\">{}</span>", esc(&a.state_value)),
                    esc(&a.alarm_name),
                    esc(account),
                    esc(region),
                    esc(&metric),
                    esc(&html::when(Some(a.state_updated_timestamp))),
                    esc(&a.state_reason),
                ]
            })
            .collect();
        body.push_str(&html::table(
            "alarms",
            &[
                "State", "Alarm", "Account", "Region", "Metric", "Since", "Reason",
            ],
            &rows,
        ));
    }
    Ok(Answer::page("Compliance", html::Nav::Compliance, body))
}
