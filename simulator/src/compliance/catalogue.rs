//! docs/checks.md, generated from [`RULES`]: a test keeps the page and the code in step.

use std::fmt::Write;

use super::report::sources_text;
use super::rules::RULES;

/// The rule catalogue page.
pub fn markdown() -> String {
    let mut out = String::new();
    out.push_str("# Compliance rules\n\n");
    out.push_str(
        "<!-- Generated from simulator/src/compliance/rules.rs by `ctsim check --list-rules --markdown`; \
a test fails when this page and the rules differ. -->\n\n",
    );
    out.push_str(
        "`ctsim check` runs these rules on a directory of `.tf` files, a `terraform show -json` plan or \
state, or the live simulator (`--live`). Each result is PASS, FAIL (with the resource and the reason), \
NOT_APPLICABLE, or NEEDS_RUNTIME when the decision depends on a value known only after apply or on a \
runtime fact (is the trail logging, did the last delivery succeed) that only `--live` supplies.\n\n",
    );
    out.push_str(
        "Packs: `cis` (CIS AWS Foundations Benchmark sections 3 and 4, numbered as in v1.4.0, with the \
v1.2.0 and v3.0.0 numbers), `securityhub` (AWS Security Hub controls CloudTrail.1 to CloudTrail.10, the \
S3 object-level logging controls S3.22 and S3.23, and CloudWatch.1 to CloudWatch.14), `ctsim` (runtime \
checks of our own). Security Hub has no control CloudTrail.8: AWS leaves that number unused. Select \
with `--rules cis`, `--rules securityhub`, `--rules CloudTrail.2,CT-TAGGED` or `--rules cis:3.4`; a \
`cis:` number is v1.4.0's where v1.4.0 has it (`cis:3.10` is object-level write logging, not v1.2.0's \
security group alarm), else the version that has it (`cis:3.14`, v1.2.0).\n\n",
    );
    out.push_str(
        "The `CT-ALARM-*` rules (CIS section 4, CloudWatch.1-14) follow the chain from a multi-Region, \
logging trail to its CloudWatch Logs group, a metric filter on the group, an alarm on the filter's metric \
(same name and namespace), an SNS topic in the alarm's `alarm_actions` and a subscription to the topic. \
A filter is judged by running the control's canonical CloudTrail records (full records, kept in \
`simulator/src/compliance/monitoring/events/`) through the CloudWatch Logs filter pattern engine: it must \
match every one, and for 4.1-4.3 none of the look-alikes the alarm must stay quiet on, so a pattern worded \
differently from CIS's passes when it catches the same events and one that misses an event fails naming \
it. Live, a subscription pending confirmation does not count.\n\n",
    );
    out.push_str("| Rule | Severity | Controls | Title |\n|---|---|---|---|\n");
    for r in RULES {
        let _ = writeln!(
            out,
            "| [{}](#{}) | {} | {} | {} |",
            r.id,
            r.id.to_ascii_lowercase(),
            r.severity.as_str(),
            sources_text(r),
            r.title
        );
    }
    for r in RULES {
        let _ = writeln!(out, "\n## {}\n", r.id);
        let _ = writeln!(out, "**{}**\n", r.title);
        let _ = writeln!(out, "- Severity: {}", r.severity.as_str());
        if r.sources.is_empty() {
            let _ = writeln!(out, "- Controls: none (a ctsim runtime check)");
        } else {
            let _ = writeln!(
                out,
                "- Controls: {}",
                r.sources
                    .iter()
                    .map(|s| format!("{} {}", s.standard, s.id))
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }
        let _ = writeln!(out, "- Reads: {}", r.reads);
        let _ = writeln!(out, "- Remediation: {}", r.remediation);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_checks_md_is_the_generated_catalogue() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/checks.md");
        let on_disk = std::fs::read_to_string(path).unwrap_or_default();
        if std::env::var_os("CTSIM_REGENERATE_DOCS").is_some() {
            std::fs::write(path, markdown()).unwrap();
            return;
        }
        assert!(
            on_disk == markdown(),
            "docs/checks.md is out of date: run CTSIM_REGENERATE_DOCS=1 cargo test -p ctsim docs_checks_md"
        );
    }

    #[test]
    fn rule_ids_are_unique_and_every_rule_has_remediation() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
        assert!(
            RULES
                .iter()
                .all(|r| !r.remediation.is_empty() && !r.reads.is_empty())
        );
    }

    #[test]
    fn every_security_hub_cloudtrail_control_is_answered() {
        for id in [
            "CloudTrail.1",
            "CloudTrail.2",
            "CloudTrail.3",
            "CloudTrail.4",
            "CloudTrail.5",
            "CloudTrail.6",
            "CloudTrail.7",
            "CloudTrail.9",
            "CloudTrail.10",
        ] {
            assert!(RULES.iter().any(|r| r.named_by(id)), "{id} has no rule");
        }
    }
}
