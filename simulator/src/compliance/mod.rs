//! Compliance checks: the resource model ([`model`]), the rule catalogue ([`rules`]), rule
//! selection, suppressions with a mandatory reason ([`Suppressions`]), and reports in text,
//! JSON, SARIF 2.1.0 and JUnit ([`report`]). Coverage questions ([`coverage`]) use the same
//! model and the one selector evaluator.

use std::path::Path;

use serde::{Deserialize, Serialize};

pub mod catalogue;
pub mod coverage;
pub mod model;
pub mod monitoring;
pub mod report;
pub mod rules;

pub use model::Model;
pub use rules::{Finding, RULES, Rule, Severity, Status};

use crate::plan::Unresolved;

/// Which rules to run: packs (`cis`, `securityhub`, `ctsim`, `all`) or ids (`CT-TAGGED`,
/// `CloudTrail.1`, `cis:3.1`).
pub fn select(spec: &[String]) -> Result<Vec<&'static Rule>, String> {
    if spec.is_empty() {
        return Ok(RULES.iter().collect());
    }
    let mut out: Vec<&'static Rule> = Vec::new();
    for s in spec.iter().flat_map(|s| s.split(',')).map(str::trim) {
        if s.is_empty() {
            continue;
        }
        let matched: Vec<&'static Rule> = match s.to_ascii_lowercase().as_str() {
            "all" => RULES.iter().collect(),
            p @ ("cis" | "securityhub" | "ctsim") => {
                RULES.iter().filter(|r| r.in_pack(p)).collect()
            }
            _ => rules::named(s),
        };
        if matched.is_empty() {
            return Err(format!(
                "--rules {s:?} names no rule (packs: cis, securityhub, ctsim, all; or a rule id such as CT-TAGGED, or a control id such as CloudTrail.1 or cis:3.1)"
            ));
        }
        for r in matched {
            if !out.iter().any(|x| x.id == r.id) {
                out.push(r);
            }
        }
    }
    // Catalogue order, whatever order they were named in.
    out.sort_by_key(|r| RULES.iter().position(|x| x.id == r.id));
    Ok(out)
}

/// One suppression from `.ctsim-check.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Suppression {
    /// A rule id or a control id (`CT-KMS-ENCRYPTION`, `CloudTrail.2`).
    pub rule: String,
    /// A Terraform address; absent means every resource.
    #[serde(default)]
    pub resource: Option<String>,
    /// Why: mandatory, shown in every report.
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Suppressions {
    #[serde(default)]
    pub suppress: Vec<Suppression>,
}

impl Suppressions {
    pub fn parse(text: &str, origin: &str) -> Result<Suppressions, String> {
        let s: Suppressions = toml::from_str(text).map_err(|e| format!("{origin}: {e}"))?;
        for (i, x) in s.suppress.iter().enumerate() {
            if x.reason.trim().is_empty() {
                return Err(format!(
                    "{origin}: suppression {} ({}) has an empty reason: every suppression must say why",
                    i + 1,
                    x.rule
                ));
            }
            if !RULES.iter().any(|r| r.named_by(&x.rule)) {
                return Err(format!(
                    "{origin}: suppression {} names no rule: {:?}",
                    i + 1,
                    x.rule
                ));
            }
        }
        Ok(s)
    }

    pub fn load(path: &Path) -> Result<Suppressions, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Suppressions::parse(&text, &path.display().to_string())
    }

    fn reason_for(&self, rule: &Rule, resource: &str) -> Option<String> {
        self.suppress
            .iter()
            .find(|s| {
                rules::named(&s.rule).iter().any(|r| r.id == rule.id)
                    && s.resource.as_deref().is_none_or(|r| r == resource)
            })
            .map(|s| s.reason.clone())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportedFinding {
    #[serde(flatten)]
    pub finding: Finding,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleResult {
    #[serde(serialize_with = "rule_id")]
    pub rule: &'static Rule,
    pub status: Status,
    pub findings: Vec<ReportedFinding>,
}

fn rule_id<S: serde::Serializer>(r: &&'static Rule, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(r.id)
}

/// Every selected rule's result for one input.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub input: String,
    pub results: Vec<RuleResult>,
    pub unresolved: Vec<Unresolved>,
}

impl Report {
    /// Whether any unsuppressed finding failed (exit code 1).
    pub fn failed(&self) -> bool {
        self.results.iter().any(|r| r.status == Status::Fail)
    }

    pub fn count(&self, s: Status) -> usize {
        self.results.iter().filter(|r| r.status == s).count()
    }
}

/// The rule's status from its unsuppressed findings: any FAIL, else any NEEDS_RUNTIME,
/// else any PASS, else NOT_APPLICABLE.
fn aggregate(findings: &[ReportedFinding]) -> Status {
    let live: Vec<Status> = findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .map(|f| f.finding.status)
        .collect();
    [Status::Fail, Status::NeedsRuntime, Status::Pass]
        .into_iter()
        .find(|s| live.contains(s))
        .unwrap_or(Status::NotApplicable)
}

/// Runs `rules` on `model`.
pub fn check(model: &Model, rules: &[&'static Rule], suppressions: &Suppressions) -> Report {
    let results = rules
        .iter()
        .map(|rule| {
            let mut findings: Vec<ReportedFinding> = (rule.check)(model)
                .into_iter()
                .map(|f| ReportedFinding {
                    suppressed: suppressions.reason_for(rule, &f.resource),
                    finding: f,
                })
                .collect();
            findings.sort_by(|a, b| a.finding.resource.cmp(&b.finding.resource));
            RuleResult {
                rule,
                status: aggregate(&findings),
                findings,
            }
        })
        .collect();
    Report {
        input: model.origin.describe(),
        results,
        unresolved: model.unresolved.clone(),
    }
}
