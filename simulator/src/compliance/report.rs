//! Check reports for people (text, coloured on a terminal) and machines (JSON, SARIF 2.1.0
//! for code scanning, JUnit XML for CI test views). Every rendering is deterministic.

use std::fmt::Write;

use serde_json::{Value, json};

use super::rules::{Rule, Severity, Status};
use super::{Report, ReportedFinding};

/// Output formats of `ctsim check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Junit,
}

pub fn render(report: &Report, format: Format, color: bool) -> String {
    match format {
        Format::Text => text(report, color),
        Format::Json => pretty(&json_value(report)),
        Format::Sarif => pretty(&sarif(report)),
        Format::Junit => junit(report),
    }
}

fn pretty(v: &Value) -> String {
    // A Value always serialises.
    serde_json::to_string_pretty(v).unwrap_or_default() + "\n"
}

pub fn sources_text(rule: &Rule) -> String {
    if rule.sources.is_empty() {
        return "ctsim".to_string();
    }
    rule.sources
        .iter()
        .map(|s| match s.pack {
            "cis" => format!(
                "CIS {} {}",
                s.standard.rsplit(' ').next().unwrap_or_default(),
                s.id
            ),
            _ => s.id.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn paint(s: &str, code: &str, color: bool) -> String {
    if color {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

fn status_code(s: Status) -> &'static str {
    match s {
        Status::Pass => "32",
        Status::Fail => "31;1",
        Status::NotApplicable => "2",
        Status::NeedsRuntime => "33",
    }
}

pub fn text(report: &Report, color: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "ctsim check: {}", report.input);
    let _ = writeln!(out);
    for r in &report.results {
        let label = format!("{:<14}", r.status.as_str());
        let _ = writeln!(
            out,
            "{} {} [{}] {}",
            paint(&label, status_code(r.status), color),
            r.rule.id,
            r.rule.severity.as_str(),
            r.rule.title
        );
        let _ = writeln!(out, "{:15}controls: {}", "", sources_text(r.rule));
        for f in &r.findings {
            let where_ = if f.finding.location.is_empty() {
                f.finding.resource.clone()
            } else {
                format!("{} ({})", f.finding.resource, f.finding.location)
            };
            let _ = writeln!(
                out,
                "{:15}{} {}: {}",
                "",
                f.finding.status.as_str(),
                where_,
                f.finding.reason
            );
            if let Some(s) = &f.suppressed {
                let _ = writeln!(out, "{:17}suppressed: {s}", "");
            }
        }
        if r.status == Status::Fail {
            let _ = writeln!(out, "{:15}fix: {}", "", r.rule.remediation);
        }
    }
    if !report.unresolved.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "Unresolved before apply ({}):",
            report.unresolved.len()
        );
        for u in &report.unresolved {
            let _ = writeln!(out, "  {} {}: {}", u.at, u.expr, u.reason);
        }
    }
    let suppressed: usize = report
        .results
        .iter()
        .map(|r| r.findings.iter().filter(|f| f.suppressed.is_some()).count())
        .sum();
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{} passed, {} failed, {} need runtime facts, {} not applicable{}",
        report.count(Status::Pass),
        report.count(Status::Fail),
        report.count(Status::NeedsRuntime),
        report.count(Status::NotApplicable),
        if suppressed > 0 {
            format!(" ({suppressed} findings suppressed)")
        } else {
            String::new()
        }
    );
    out
}

pub fn rule_json(rule: &Rule) -> Value {
    json!({
        "id": rule.id,
        "title": rule.title,
        "severity": rule.severity.as_str(),
        "sources": rule.sources.iter().map(|s| json!({"standard": s.standard, "id": s.id})).collect::<Vec<_>>(),
        "reads": rule.reads,
        "remediation": rule.remediation,
    })
}

pub fn json_value(report: &Report) -> Value {
    json!({
        "input": report.input,
        "summary": {
            "pass": report.count(Status::Pass),
            "fail": report.count(Status::Fail),
            "needs_runtime": report.count(Status::NeedsRuntime),
            "not_applicable": report.count(Status::NotApplicable),
        },
        "results": report.results.iter().map(|r| json!({
            "rule": rule_json(r.rule),
            "status": r.status,
            "findings": r.findings,
        })).collect::<Vec<_>>(),
        "unresolved": report.unresolved,
    })
}

fn sarif_level(sev: Severity) -> &'static str {
    match sev {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// GitHub code scanning reads `security-severity` (0-10) for security alerts.
fn security_severity(sev: Severity) -> &'static str {
    match sev {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

/// `main.tf:12` -> (`main.tf`, Some(12)).
fn split_location(loc: &str) -> (String, Option<u64>) {
    match loc.rsplit_once(':') {
        Some((file, line)) => match line.parse::<u64>() {
            Ok(n) if n > 0 => (file.to_string(), Some(n)),
            _ => (loc.to_string(), None),
        },
        None => (loc.to_string(), None),
    }
}

fn sarif_result(rule_index: usize, r: &Rule, f: &ReportedFinding, base: &str) -> Value {
    let (file, line) = split_location(&f.finding.location);
    let mut result = json!({
        "ruleId": r.id,
        "ruleIndex": rule_index,
        "kind": if f.finding.status == Status::Fail { "fail" } else { "review" },
        "level": if f.finding.status == Status::Fail { sarif_level(r.severity) } else { "none" },
        "message": {"text": format!("{}: {}", r.title, f.finding.reason)},
        "locations": [{
            "logicalLocations": [{"fullyQualifiedName": f.finding.resource, "kind": "resource"}],
        }],
        "partialFingerprints": {"ctsimFinding/v1": format!("{}|{}", r.id, f.finding.resource)},
    });
    if !file.is_empty() && file != "live" {
        let uri = if base.is_empty() {
            file
        } else {
            format!("{}/{file}", base.trim_end_matches('/'))
        };
        let mut phys = json!({"artifactLocation": {"uri": uri}});
        if let Some(n) = line {
            phys["region"] = json!({"startLine": n});
        }
        result["locations"][0]["physicalLocation"] = phys;
    }
    if let Some(reason) = &f.suppressed {
        result["suppressions"] = json!([{"kind": "external", "justification": reason}]);
    }
    result
}

/// The directory an HCL input was read from, for artifact URIs.
fn base_dir(report: &Report) -> String {
    report
        .input
        .strip_prefix("HCL ")
        .map(str::to_string)
        .unwrap_or_default()
}

pub fn sarif(report: &Report) -> Value {
    let rules: Vec<Value> = report
        .results
        .iter()
        .map(|r| {
            let rule = r.rule;
            json!({
                "id": rule.id,
                "name": rule.id.replace('-', ""),
                "shortDescription": {"text": rule.title},
                "fullDescription": {"text": format!("{} Controls: {}. Reads: {}.", rule.title, sources_text(rule), rule.reads)},
                "help": {"text": rule.remediation},
                "defaultConfiguration": {"level": sarif_level(rule.severity)},
                "properties": {
                    "tags": ["security", "cloudtrail"],
                    "security-severity": security_severity(rule.severity),
                    "controls": rule.sources.iter().map(|s| format!("{} {}", s.standard, s.id)).collect::<Vec<_>>(),
                },
            })
        })
        .collect();
    let base = base_dir(report);
    let results: Vec<Value> = report
        .results
        .iter()
        .enumerate()
        .flat_map(|(i, r)| {
            let base = base.clone();
            r.findings
                .iter()
                .filter(|f| matches!(f.finding.status, Status::Fail | Status::NeedsRuntime))
                .map(move |f| sarif_result(i, r.rule, f, &base))
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "ctsim",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "automationDetails": {"id": "ctsim-check/"},
            "results": results,
        }],
    })
}

fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 forbids most control characters.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// One test case per finding; FAIL is a failure, the rest (NEEDS_RUNTIME, NOT_APPLICABLE,
/// suppressed) are skipped with the reason.
pub fn junit(report: &Report) -> String {
    let cases: Vec<(&Rule, &ReportedFinding)> = report
        .results
        .iter()
        .flat_map(|r| r.findings.iter().map(move |f| (r.rule, f)))
        .collect();
    let failures = cases
        .iter()
        .filter(|(_, f)| f.finding.status == Status::Fail && f.suppressed.is_none())
        .count();
    let skipped = cases
        .iter()
        .filter(|(_, f)| {
            f.finding.status != Status::Pass && f.finding.status != Status::Fail
                || f.suppressed.is_some()
        })
        .count();
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"ctsim check\" tests=\"{}\" failures=\"{failures}\" skipped=\"{skipped}\">",
        cases.len()
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" skipped=\"{skipped}\">",
        xml(&report.input),
        cases.len()
    );
    for (rule, f) in cases {
        let _ = write!(
            out,
            "    <testcase classname=\"{}\" name=\"{}\"",
            xml(rule.id),
            xml(&f.finding.resource)
        );
        let body = match (&f.suppressed, f.finding.status) {
            (Some(why), _) => Some(format!("<skipped message=\"suppressed: {}\"/>", xml(why))),
            (None, Status::Pass) => None,
            (None, Status::Fail) => Some(format!(
                "<failure type=\"{}\" message=\"{}\">{}&#10;fix: {}</failure>",
                rule.severity.as_str(),
                xml(&f.finding.reason),
                xml(&format!("{} ({})", rule.title, f.finding.location)),
                xml(rule.remediation)
            )),
            (None, s) => Some(format!(
                "<skipped message=\"{}: {}\"/>",
                s.as_str(),
                xml(&f.finding.reason)
            )),
        };
        match body {
            Some(b) => {
                let _ = writeln!(out, ">\n      {b}\n    </testcase>");
            }
            None => out.push_str("/>\n"),
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}
