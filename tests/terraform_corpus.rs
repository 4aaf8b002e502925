//! The compatibility corpus: public Terraform that sets up CloudTrail, vendored unchanged in
//! tests/corpus (each fixture with its licence and upstream commit, see its README). Each
//! fixture is laid out as a user would run it (registry module sources pointed at the
//! vendored copies), then initialised offline, applied, re-planned empty and destroyed with
//! the real terraform binary.
//!
//! A fixture that needs types the provider does not serve yet cannot pass `terraform
//! validate`; its test then proves exactly that gap (the missing types, no more and no
//! fewer), so the test fails as soon as the gap closes and the fixture must run in full.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ctsim_e2e::{TfWorkspace, combined, workspace_root};
use serde_json::Value as Json;

fn corpus_dir() -> PathBuf {
    workspace_root().join("tests").join("corpus")
}

fn fixture(name: &str) -> Json {
    let path = corpus_dir().join(name).join("fixture.json");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The resource and data source types the provider serves, from `terraform providers
/// schema -json` (asked once per test process).
fn served() -> &'static (BTreeSet<String>, BTreeSet<String>) {
    static SERVED: OnceLock<(BTreeSet<String>, BTreeSet<String>)> = OnceLock::new();
    SERVED.get_or_init(|| {
        let ws = TfWorkspace::new(&[("main.tf", "provider \"aws\" {}\n")]);
        ws.init();
        let text = ws.ok(&["providers", "schema", "-json"]);
        let json: Json = serde_json::from_str(&text).expect("providers schema JSON");
        let aws = json["provider_schemas"]
            .as_object()
            .and_then(|m| m.values().next())
            .cloned()
            .unwrap_or_default();
        let names = |key: &str| -> BTreeSet<String> {
            aws[key]
                .as_object()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default()
        };
        (names("resource_schemas"), names("data_source_schemas"))
    })
}

/// Copies the fixture into the workspace and writes its root, returning the folder to run
/// terraform in.
fn lay_out(ws: &TfWorkspace, name: &str, fx: &Json) -> PathBuf {
    copy_tree(&corpus_dir().join(name), &ws.dir);
    let dir = if fx["kind"] == "root" {
        let dir = ws.dir.join("src");
        if let Some(vars) = fx["tfvars"].as_str() {
            fs::write(dir.join("terraform.tfvars"), vars).expect("writing tfvars");
        }
        if let Some(extra) = fx["root_override_tf"].as_str() {
            fs::write(dir.join("ctsim_override.tf"), extra).expect("writing override");
        }
        dir
    } else {
        let root = fx["root_tf"].as_str().unwrap_or_default();
        fs::write(ws.dir.join("main.tf"), root).expect("writing main.tf");
        ws.dir.clone()
    };
    let mapping: Vec<(String, String)> = fx["registry_modules"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default();
    if !mapping.is_empty() {
        for file in tf_files(&ws.dir) {
            point_sources_at_vendored_copies(&file, &ws.dir, &mapping);
        }
    }
    dir
}

/// Rewrites `source = "<registry address>"` of module blocks to the vendored copy (a path
/// relative to the file) and drops their `version`, which Terraform refuses on a local path.
fn point_sources_at_vendored_copies(file: &Path, root: &Path, mapping: &[(String, String)]) {
    let text = fs::read_to_string(file).expect("reading .tf");
    let mut out = Vec::new();
    let mut in_module: Option<(usize, bool)> = None; // (brace depth, source rewritten)
    let mut changed = false;
    for line in text.split('\n') {
        let trimmed = line.trim_start();
        if in_module.is_none() && trimmed.starts_with("module ") && trimmed.ends_with('{') {
            in_module = Some((0, false));
        }
        let mut keep = line.to_string();
        if let Some((depth, rewritten)) = in_module.as_mut() {
            if *depth == 1 && trimmed.starts_with("source") {
                let value = trimmed
                    .split_once('=')
                    .map(|(_, v)| v.trim().trim_matches('"'))
                    .unwrap_or_default();
                if let Some((_, local)) = mapping.iter().find(|(k, _)| k == value) {
                    let target = root.join(local);
                    let rel = relative(file.parent().unwrap_or(root), &target);
                    let indent = &line[..line.len() - trimmed.len()];
                    keep = format!("{indent}source = \"{rel}\"");
                    *rewritten = true;
                    changed = true;
                }
            } else if *depth == 1 && *rewritten && trimmed.starts_with("version") {
                keep = String::new();
            }
            *depth += line.matches('{').count();
            *depth = depth.saturating_sub(line.matches('}').count());
            if *depth == 0 {
                in_module = None;
            }
        }
        out.push(keep);
    }
    // A `version` line can come before `source`: a second pass drops it too.
    if changed {
        let text = out.join("\n");
        fs::write(file, drop_versions_of_local_modules(&text)).expect("writing .tf");
    }
}

fn drop_versions_of_local_modules(text: &str) -> String {
    let mut out = String::new();
    for block in split_module_blocks(text) {
        if block.starts_with("module ") && block.contains("source = \".") {
            let kept: Vec<&str> = block
                .split('\n')
                .filter(|l| !l.trim_start().starts_with("version "))
                .filter(|l| !l.trim_start().starts_with("version="))
                .collect();
            out.push_str(&kept.join("\n"));
        } else {
            out.push_str(block);
        }
    }
    out
}

/// Splits text into top-level pieces: each `module "x" {` block whole, the rest between.
fn split_module_blocks(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    let bytes = text.as_bytes();
    while pos < bytes.len() {
        let at_line_start = pos == 0 || bytes[pos - 1] == b'\n';
        if at_line_start && text[pos..].starts_with("module ") {
            pieces.push(&text[start..pos]);
            let mut depth = 0usize;
            let mut end = pos;
            for (i, c) in text[pos..].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            end = pos + i + 1;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            if end == pos {
                end = text.len();
            }
            pieces.push(&text[pos..end]);
            start = end;
            pos = end;
        } else {
            pos += 1;
        }
    }
    pieces.push(&text[start..]);
    pieces
}

fn relative(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    let rel = parts.join("/");
    if rel.starts_with('.') {
        rel
    } else {
        format!("./{rel}")
    }
}

fn tf_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).expect("reading folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(tf_files(&path));
        } else if path.extension().is_some_and(|e| e == "tf") {
            out.push(path);
        }
    }
    out
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("creating folder");
    for entry in fs::read_dir(from).expect("reading fixture").flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            fs::copy(&path, &target).expect("copying fixture file");
        }
    }
}

/// What the fixture needs that the provider does not serve (types) or that cannot be
/// installed offline (other providers).
fn gaps(fx: &Json) -> BTreeSet<String> {
    let (resources, data) = served();
    let list = |v: &Json| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut out = BTreeSet::new();
    for r in list(&fx["types"]["resources"]) {
        if !resources.contains(&r) {
            out.insert(r);
        }
    }
    for d in list(&fx["types"]["data_sources"]) {
        if !data.contains(&d) {
            out.insert(format!("data.{d}"));
        }
    }
    for p in list(&fx["providers"]) {
        if p != "hashicorp/aws" {
            out.insert(format!("provider {p}"));
        }
    }
    out
}

/// At most this many fixtures run at once: each is a terraform apply of dozens of
/// resources, and the machine has two cores.
const AT_ONCE: usize = 3;

/// A slot among [`AT_ONCE`]; freed when dropped.
struct Slot;

static SLOTS: (std::sync::Mutex<usize>, std::sync::Condvar) =
    (std::sync::Mutex::new(0), std::sync::Condvar::new());

impl Slot {
    fn take() -> Slot {
        let (lock, freed) = &SLOTS;
        let mut busy = lock.lock().unwrap_or_else(|e| e.into_inner());
        while *busy >= AT_ONCE {
            busy = freed.wait(busy).unwrap_or_else(|e| e.into_inner());
        }
        *busy += 1;
        Slot
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let (lock, freed) = &SLOTS;
        let mut busy = lock.lock().unwrap_or_else(|e| e.into_inner());
        *busy = busy.saturating_sub(1);
        freed.notify_one();
    }
}

fn run(name: &str) {
    let _slot = Slot::take();
    let fx = fixture(name);
    let ws = TfWorkspace::new(&[]);
    let dir = lay_out(&ws, name, &fx);
    let mut ws = ws.at(&dir);
    if let Some(env) = fx["env"].as_object() {
        ws.env = env
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
            .collect();
    }
    let missing = gaps(&fx);
    if !missing.is_empty() {
        assert_gap_is_exactly(&ws, &missing);
        return;
    }
    if let Some(pre) = fx["preexisting_tf"].as_str() {
        // What the configuration expects to exist already, created first on the same
        // simulator (as the account it would run in has it).
        let pre_dir = ws.dir.join("..").join("ctsim-preexisting");
        fs::create_dir_all(&pre_dir).expect("preexisting folder");
        fs::write(pre_dir.join("main.tf"), pre).expect("writing preexisting main.tf");
        for args in [
            &["init", "-no-color"][..],
            &["apply", "-auto-approve", "-no-color"][..],
        ] {
            let out = ws.terraform_in(&pre_dir, args);
            assert!(
                out.status.success(),
                "{name}: preexisting {args:?}:\n{}",
                combined(&out)
            );
        }
    }
    ws.init();
    if let Some(error) = fx["expect_apply_error"]["error"].as_str() {
        // A module bug AWS refuses: the simulator must refuse it the same way, and what
        // was created must still destroy.
        let mut out = ws.terraform(&["apply", "-auto-approve", "-no-color"]);
        let mut text = combined(&out);
        // A race the module also has may stop the first apply before it.
        if !text.contains(error) && lost_a_race(&text, &fx) {
            out = ws.terraform(&["apply", "-auto-approve", "-no-color"]);
            text = combined(&out);
        }
        assert!(
            !out.status.success() && text.contains(error),
            "{name}: apply should fail with {error}:\n{text}"
        );
        ws.ok(&["destroy", "-auto-approve", "-no-color"]);
        return;
    }
    apply(&ws, name, &fx);
    assert_replan(&ws, name, &fx);
    let destroy = ws.terraform(&["destroy", "-auto-approve", "-no-color"]);
    let text = combined(&destroy);
    if fx["destroy_refused_by"].as_str() == Some("prevent_destroy") {
        assert!(
            !destroy.status.success() && text.contains("prevent_destroy"),
            "{name}: destroy should stop at prevent_destroy:\n{text}"
        );
    } else {
        assert!(destroy.status.success(), "{name}: destroy failed:\n{text}");
    }
}

/// The errors CloudTrail gives a trail created in parallel with the bucket, topic or key
/// policy it needs (hashicorp/aws does not retry them): a module whose trail does not depend
/// on the policy races as it does on AWS, and a user applies again.
const DESTINATION_RACES: &[&str] = &[
    "InsufficientS3BucketPolicyException",
    "InsufficientSnsTopicPolicyException",
    "InsufficientEncryptionPolicyException",
];

/// Whether a failed apply lost a race (the fixture's `apply_race`, or a destination race).
fn lost_a_race(text: &str, fx: &Json) -> bool {
    fx["apply_race"]["error"]
        .as_str()
        .into_iter()
        .chain(DESTINATION_RACES.iter().copied())
        .any(|e| text.contains(e))
}

/// Applies; a first apply that lost a race AWS has too gets the second apply a user would
/// run (fixture.json `apply_race` documents the races seen).
fn apply(ws: &TfWorkspace, name: &str, fx: &Json) {
    let first = ws.terraform(&["apply", "-auto-approve", "-no-color"]);
    if first.status.success() {
        return;
    }
    let text = combined(&first);
    assert!(lost_a_race(&text, fx), "{name}: apply failed:\n{text}");
    eprintln!("{name}: the first apply lost the race AWS has too:\n{text}");
    ws.apply();
}

/// The re-plan after apply is empty, except where hashicorp/aws itself re-plans a change
/// forever (fixture.json `perpetual_diff`: the addresses, and why): then exactly those
/// resources, and nothing else, show an update.
fn assert_replan(ws: &TfWorkspace, name: &str, fx: &Json) {
    let expected: BTreeSet<String> = fx["perpetual_diff"]["addresses"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if expected.is_empty() {
        ws.assert_no_changes();
        return;
    }
    ws.ok(&["plan", "-no-color", "-out", "replan.tfplan"]);
    let plan: Json =
        serde_json::from_str(&ws.ok(&["show", "-json", "replan.tfplan"])).expect("plan JSON");
    let changed: BTreeSet<String> = plan["resource_changes"]
        .as_array()
        .map(|rs| {
            rs.iter()
                .filter(|r| r["change"]["actions"] != serde_json::json!(["no-op"]))
                .filter(|r| r["change"]["actions"] != serde_json::json!(["read"]))
                .filter_map(|r| r["address"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(changed, expected, "{name}: re-plan after apply");
}

/// Terraform stops on the missing types (or cannot install the other providers).
fn assert_gap_is_exactly(ws: &TfWorkspace, missing: &BTreeSet<String>) {
    let providers: Vec<&String> = missing
        .iter()
        .filter(|m| m.starts_with("provider "))
        .collect();
    let init = ws.terraform(&["init", "-no-color"]);
    let text = combined(&init);
    if !providers.is_empty() {
        assert!(!init.status.success(), "init should fail offline:\n{text}");
        for p in providers {
            let source = p.trim_start_matches("provider ");
            assert!(
                text.contains(source),
                "init output should name {source}:\n{text}"
            );
        }
        return;
    }
    assert!(init.status.success(), "init failed:\n{text}");
    let validate = ws.terraform(&["validate", "-no-color"]);
    let text = combined(&validate);
    assert!(
        !validate.status.success(),
        "validate passed: the gap {missing:?} has closed; run this fixture in full"
    );
    let mut reported = BTreeSet::new();
    // `The provider hashicorp/aws does not support resource type "aws_x".`, wrapped.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for rest in flat.split("does not support ").skip(1) {
        {
            let is_data = rest.starts_with("data source");
            if let Some(ty) = rest.split('"').nth(1) {
                reported.insert(if is_data {
                    format!("data.{ty}")
                } else {
                    ty.to_string()
                });
            }
        }
    }
    // Terraform skips what depends on an invalid block, so it may name fewer types than
    // the fixture uses; it must name no type the provider serves.
    assert!(
        !reported.is_empty(),
        "validate failed for another reason:\n{text}"
    );
    assert!(
        reported.is_subset(missing),
        "validate refused served types {:?}:\n{text}",
        reported.difference(missing).collect::<Vec<_>>()
    );
}

macro_rules! corpus {
    ($($test:ident => $fixture:literal,)*) => {
        $(
            #[test]
            fn $test() {
                run($fixture);
            }
        )*

        /// Every fixture folder has a test, and every test a folder.
        #[test]
        fn every_fixture_has_a_test() {
            let mut listed = vec![$($fixture),*];
            listed.sort();
            let mut found: Vec<String> = fs::read_dir(corpus_dir())
                .expect("reading tests/corpus")
                .flatten()
                .filter(|e| e.path().join("fixture.json").is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            found.sort();
            assert_eq!(found, listed);
        }
    };
}

corpus! {
    boldlink_cloudtrail => "boldlink-cloudtrail",
    cloudposse_cloudtrail => "cloudposse-cloudtrail",
    defenseunicorns_cloudtrail => "defenseunicorns-cloudtrail",
    expel_cloudtrail => "expel-cloudtrail",
    goldrock_security_home_region => "goldrock-security-home-region",
    jameswoolfenden_cloudtrail => "jameswoolfenden-cloudtrail",
    lincolnloop_org_trail => "lincolnloop-org-trail",
    nozaq_cloudtrail_baseline => "nozaq-cloudtrail-baseline",
    plus3it_tardigrade_cloudtrail => "plus3it-tardigrade-cloudtrail",
    quinovas_cloudtrail => "quinovas-cloudtrail",
    rhythmictech_cloudtrail_logging => "rhythmictech-cloudtrail-logging",
    stratusgrid_cloudtrail => "stratusgrid-cloudtrail",
    tedilabs_lake_event_data_store => "tedilabs-lake-event-data-store",
    tfstack_cloudtrail => "tfstack-cloudtrail",
    thinkstack_cloudtrail => "thinkstack-cloudtrail",
    trussworks_cloudtrail => "trussworks-cloudtrail",
}
