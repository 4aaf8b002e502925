//! CloudTrail Insights end to end: a trail with insight selectors applied by the real
//! terraform binary, eight days of generated traffic with a spike, and the Insights events
//! seen through the ctsim command (event history and delivered files).

use ctsim_e2e::{TfWorkspace, combined};

fn ctsim_ok(ws: &TfWorkspace, args: &[&str]) -> String {
    let out = ws.ctsim(args);
    let text = combined(&out);
    assert!(out.status.success(), "ctsim {args:?} failed:\n{text}");
    text
}

#[test]
fn insights_trail_detects_a_generated_spike() {
    let ws = TfWorkspace::example("insights-trail");
    ctsim_ok(&ws, &["clock", "set", "2026-01-01T00:00:00Z"]);
    ws.init();
    ws.apply();
    ws.assert_no_changes();

    ctsim_ok(
        &ws,
        &[
            "generate",
            "--duration",
            "8d",
            "--rate",
            "2/m",
            "--regions",
            "us-east-1",
            "--spike",
            "ec2.amazonaws.com:RunInstances@2026-01-08T10:00Z/15m x40",
        ],
    );
    let events = ctsim_ok(&ws, &["events", "--insights", "--region", "us-east-1"]);
    let lines: Vec<&str> = events
        .lines()
        .filter(|l| l.contains("RunInstances"))
        .collect();
    assert_eq!(lines.len(), 2, "{events}");
    assert!(lines[0].contains("End ApiCallRateInsight"), "{events}");
    assert!(lines[1].contains("Start ApiCallRateInsight"), "{events}");
    assert!(lines[1].contains("2026-01-08T10:00:00Z"), "{events}");
    let logs = ctsim_ok(&ws, &["logs", "list"]);
    assert!(
        logs.lines()
            .any(|l| l.contains("/CloudTrail-Insight/us-east-1/2026/01/09/")),
        "{logs}"
    );

    // Eight days of traffic and Insights change nothing Terraform manages.
    ws.assert_no_changes();
    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
}
