//! The `ctsim` executable's command line: exit codes and machine-readable output of
//! `check` and `coverage`, run as a process (the library behind them is tested in
//! simulator/tests/check.rs, whose fixtures these reuse).

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../simulator/tests/fixtures/check")
}

fn ctsim(args: &[&str]) -> std::process::Output {
    let home = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_ctsim"))
        .args(args)
        .env("CTSIM_HOME", home.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn exit_codes_say_pass_fail_or_usage_error() {
    let dir = fixtures();
    // Passing every CIS rule takes the section 4 monitoring chain too.
    let ok = ctsim(&[
        "check",
        dir.join("monitoring").to_str().unwrap(),
        "--rules",
        "cis",
    ]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    let fail = ctsim(&[
        "check",
        "--plan",
        dir.join("no-kms/plan.json").to_str().unwrap(),
    ]);
    assert_eq!(fail.status.code(), Some(1));
    let missing = ctsim(&["check", "--plan", dir.join("nope.json").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2));
    let bad_rule = ctsim(&[
        "check",
        dir.join("compliant").to_str().unwrap(),
        "--rules",
        "nope",
    ]);
    assert_eq!(bad_rule.status.code(), Some(2));
    let text = String::from_utf8_lossy(&fail.stdout);
    assert!(!text.contains('\x1b'), "no colour when not a terminal");
}

#[test]
fn live_checks_and_coverage_through_the_command() {
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_ctsim"))
            .args(args)
            .env("CTSIM_HOME", home.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    // A fresh simulator has no trail: nothing records management events.
    let out = run(&[
        "check",
        "--live",
        "--rules",
        "CloudTrail.1",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["results"][0]["status"], "FAIL");
    assert_eq!(json["input"], "live simulator");
    let cov = run(&[
        "coverage",
        fixtures().join("compliant").to_str().unwrap(),
        "--event-source",
        "s3.amazonaws.com",
        "--event-name",
        "GetObject",
        "--resource-arn",
        "arn:aws:s3:::x/y",
        "--read-only",
        "true",
        "--json",
    ]);
    assert_eq!(cov.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&cov.stdout).unwrap();
    assert_eq!(json["captured_by"][0]["captured"], true);
    assert_eq!(run(&["coverage", "--live"]).status.code(), Some(2));
}
