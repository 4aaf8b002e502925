//! Harness for the console's browser tests: Debian's chromium, headless, dumping the DOM
//! after the page's JavaScript ran and taking screenshots under
//! `target/console-screenshots/`.
//!
//! Chromium is `$CTSIM_CHROMIUM`, else `chromium` (or `chromium-browser`) on PATH; `.ci/run`
//! installs it. Without it the tests fail and say how to install it (they never skip).

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use crate::workspace_root;

/// The chromium executable; panics with the installation command when there is none.
pub fn chromium() -> PathBuf {
    static FOUND: OnceLock<PathBuf> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let candidates: Vec<PathBuf> = match std::env::var_os("CTSIM_CHROMIUM") {
                Some(p) => vec![PathBuf::from(p)],
                None => vec!["chromium".into(), "chromium-browser".into()],
            };
            candidates
                .into_iter()
                .find(|c| {
                    Command::new(c)
                        .arg("--version")
                        .output()
                        .is_ok_and(|o| o.status.success())
                })
                .unwrap_or_else(|| {
                    panic!(
                        "the console's browser tests need Debian's chromium (or CTSIM_CHROMIUM \
                         naming a Chromium executable). Install it with:\n  apt-get update && \
                         apt-get install -y chromium\n(.ci/run does this when it is missing)"
                    )
                })
        })
        .clone()
}

/// A headless chromium command with a profile folder of its own (so parallel tests never
/// share one), removed when the returned folder is dropped.
fn headless() -> (Command, tempfile::TempDir) {
    let profile = tempfile::tempdir().expect("temp dir");
    let mut c = Command::new(chromium());
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--hide-scrollbars",
    ]);
    c.arg(format!("--user-data-dir={}", profile.path().display()));
    (c, profile)
}

/// The DOM of `url` after its scripts ran for `budget_ms` of virtual time.
pub fn dump_dom(url: &str, budget_ms: u32) -> String {
    let (mut chromium, _profile) = headless();
    let out = chromium
        .arg(format!("--virtual-time-budget={budget_ms}"))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .expect("running chromium");
    assert!(
        out.status.success(),
        "chromium --dump-dom {url} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Screenshots `url` (1400x900) to `target/console-screenshots/NAME.png`; returns the path.
pub fn screenshot(url: &str, name: &str) -> PathBuf {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
        .join("console-screenshots");
    std::fs::create_dir_all(&dir).expect("creating the screenshot folder");
    let path = dir.join(format!("{name}.png"));
    let (mut chromium, _profile) = headless();
    let out = chromium
        .arg("--virtual-time-budget=2000")
        .arg("--window-size=1400,900")
        .arg(format!("--screenshot={}", path.display()))
        .arg(url)
        .output()
        .expect("running chromium");
    assert!(
        out.status.success() && path.is_file(),
        "chromium --screenshot {url} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    path
}
