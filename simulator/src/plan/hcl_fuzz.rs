//! Fuzz targets for configurations (`fuzz_*`, see docs/reliability.md): mutated example
//! `.tf` files, generated expressions and `terraform show -json` documents load or fail
//! with a LoadError, never a panic; what loads is checked, rendered and diffed; values that
//! grow through references, huge counts and deep reference chains stop within the budget.

use std::path::Path;

use proptest::prelude::*;

use crate::compliance::{self, Suppressions, report};
use crate::fuzz::{check, mutated_json, mutated_text, nasty_string};
use crate::plan::{Config, diff, planjson, snapshot};

const EXAMPLES: &[&str] = &[
    include_str!("../../../examples/trail-basic/main.tf"),
    include_str!("../../../examples/cis-monitoring/main.tf"),
    include_str!("../../../examples/data-events-trail/main.tf"),
    include_str!("../../../examples/org-trail/main.tf"),
    include_str!("../../../examples/lake-event-data-store/main.tf"),
    include_str!("../../../examples/insights-trail/main.tf"),
];

const PLANS: &[&str] = &[
    include_str!("../../tests/fixtures/examples/trail-basic.plan.json"),
    include_str!("../../tests/fixtures/examples/insights-trail.plan.json"),
    include_str!("../../tests/fixtures/examples/lake-event-data-store.plan.json"),
];

/// An HCL expression using the evaluator's functions, operators, `for` and templates.
fn expression() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        nasty_string().prop_map(|s| format!("{:?}", s)),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| format!("{f:?}")),
        prop::sample::select(vec![
            "true",
            "null",
            "var.name",
            "local.a",
            "local.b",
            "each.key",
            "count.index",
            "aws_s3_bucket.b.arn",
            "aws_s3_bucket.b[0].id",
            "data.aws_caller_identity.c.account_id",
            "module.m.out",
            "path.module",
            "var.list[*]",
            "local.a.x.y",
            "\"${var.name}-x\"",
            "\"%{ if true }x%{ endif }\"",
            "1e400",
            "-0",
        ])
        .prop_map(str::to_string),
    ];
    leaf.prop_recursive(4, 24, 4, |e| {
        let f = prop::sample::select(vec![
            "lower",
            "upper",
            "tostring",
            "tonumber",
            "tobool",
            "tolist",
            "toset",
            "tomap",
            "jsondecode",
            "jsonencode",
            "format",
            "join",
            "split",
            "replace",
            "trimprefix",
            "trimsuffix",
            "trimspace",
            "concat",
            "flatten",
            "distinct",
            "compact",
            "length",
            "element",
            "contains",
            "keys",
            "values",
            "merge",
            "lookup",
            "coalesce",
            "coalescelist",
            "min",
            "max",
            "try",
            "can",
            "nosuch",
        ]);
        let op = prop::sample::select(vec![
            "+", "-", "*", "/", "%", "==", "!=", "<", ">", "&&", "||",
        ]);
        prop_oneof![
            (f, prop::collection::vec(e.clone(), 0..4))
                .prop_map(|(f, a)| format!("{f}({})", a.join(", "))),
            (e.clone(), op, e.clone()).prop_map(|(a, o, b)| format!("{a} {o} {b}")),
            (e.clone(), e.clone(), e.clone()).prop_map(|(c, a, b)| format!("{c} ? {a} : {b}")),
            prop::collection::vec(e.clone(), 0..4).prop_map(|l| format!("[{}]", l.join(", "))),
            prop::collection::vec(("[a-z]{1,4}", e.clone()), 0..3).prop_map(|kv| {
                let kv: Vec<String> = kv.into_iter().map(|(k, v)| format!("{k} = {v}")).collect();
                format!("{{ {} }}", kv.join(", "))
            }),
            (e.clone(), e.clone()).prop_map(|(c, v)| format!("[for x in {c} : {v}]")),
            (e.clone(), e.clone()).prop_map(|(c, v)| format!("{{ for k, x in {c} : k => {v} }}")),
            (e.clone(), e.clone()).prop_map(|(a, i)| format!("{a}[{i}]")),
            e.clone().prop_map(|a| format!("!{a}")),
            e.prop_map(|a| format!("\"x-${{{a}}}\"")),
        ]
    })
}

/// A configuration built from generated expressions in the places a configuration has them.
fn configuration() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(expression(), 1..4),
        expression(),
        expression(),
        prop::option::of(expression()),
        prop::option::of(expression()),
    )
        .prop_map(|(locals, attr, tags, count, for_each)| {
            let locals: Vec<String> = locals
                .iter()
                .enumerate()
                .map(|(i, e)| format!("  {} = {e}", ["a", "b", "c", "d"][i % 4]))
                .collect();
            let meta = match (count, for_each) {
                (Some(c), _) => format!("  count = {c}\n"),
                (None, Some(f)) => format!("  for_each = {f}\n"),
                _ => String::new(),
            };
            format!(
                "variable \"name\" {{\n  default = \"audit\"\n}}\nvariable \"list\" {{\n  default = [\"a\", \"b\"]\n}}\n\
                 locals {{\n{}\n}}\n\
                 resource \"aws_s3_bucket\" \"b\" {{\n{meta}  bucket = {attr}\n  tags = {tags}\n}}\n\
                 resource \"aws_cloudtrail\" \"t\" {{\n  name = \"t\"\n  s3_bucket_name = aws_s3_bucket.b.id\n  \
                 event_selector {{\n    read_write_type = local.a\n  }}\n  \
                 dynamic \"advanced_event_selector\" {{\n    for_each = local.b\n    content {{\n      name = advanced_event_selector.value\n    }}\n  }}\n}}\n\
                 data \"aws_iam_policy_document\" \"p\" {{\n  statement {{\n    actions = [local.c]\n    resources = [local.d]\n  }}\n}}\n\
                 output \"o\" {{\n  value = local.a\n}}\n",
                locals.join("\n")
            )
        })
}

fn hcl_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => mutated_text(EXAMPLES.iter().map(|s| s.to_string()).collect()),
        3 => configuration(),
        1 => configuration().prop_flat_map(|c| mutated_text(vec![c])),
    ]
}

/// Loads `text` as `main.tf` of `dir`; then everything a loaded configuration goes
/// through: the compliance rules, the reports, the snapshot and a diff with itself.
fn load_and_use(dir: &Path, text: &str) -> Result<(), TestCaseError> {
    std::fs::write(dir.join("main.tf"), text).unwrap();
    let Ok(config) = super::load_dir(dir) else {
        return Ok(());
    };
    use_config(&config);
    Ok(())
}

fn use_config(config: &Config) {
    let rules = compliance::select(&["all".to_string()]).unwrap();
    let model = compliance::model::Model::build(config);
    let rep = compliance::check(&model, &rules, &Suppressions::default());
    for format in [
        report::Format::Text,
        report::Format::Json,
        report::Format::Sarif,
        report::Format::Junit,
    ] {
        let _ = report::render(&rep, format, false);
    }
    let _ = snapshot::render(config);
    let _ = diff::diff(config, config, "a", "b", &rules);
}

#[test]
fn fuzz_hcl_configurations_load_or_fail_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    check(file!(), "hcl", 128, hcl_text(), |text| {
        load_and_use(dir.path(), &text)
    });
}

#[test]
fn fuzz_plan_json_loads_or_fails_cleanly() {
    let seeds: Vec<serde_json::Value> = PLANS
        .iter()
        .map(|p| serde_json::from_str(p).unwrap())
        .collect();
    check(file!(), "plan json", 128, mutated_json(seeds), |doc| {
        if let Ok(config) = planjson::from_value(&doc, Path::new("plan.json")) {
            use_config(&config);
        }
        Ok(())
    });
}

/// Loads `text` on a 2 MiB stack (the size of a test thread and of most worker threads).
fn load_small_stack(text: String) -> Result<usize, String> {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("main.tf"), text).unwrap();
            super::load_dir(dir.path())
                .map(|c| c.resources.len())
                .map_err(|e| e.to_string())
        })
        .unwrap()
        .join()
        .unwrap()
}

/// A local that doubles the one before it: 2^64 bytes by the last one unless the budget
/// stops it (found: memory exhausted).
#[test]
fn values_doubling_through_locals_stop_with_a_clear_error() {
    let mut text = String::from("locals {\n  a0 = \"xxxxxxxx\"\n");
    for i in 1..64 {
        text.push_str(&format!(
            "  a{i} = \"${{local.a{}}}${{local.a{}}}\"\n",
            i - 1,
            i - 1
        ));
    }
    text.push_str("}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = local.a63\n}\n");
    let err = load_small_stack(text).unwrap_err();
    assert!(
        err.contains("evaluation stopped") && err.contains("steps"),
        "{err}"
    );
    // Lists that double, and objects that hold two copies of the one before.
    let mut text = String::from("locals {\n  l0 = [1, 2]\n  o0 = { a = 1 }\n");
    for i in 1..64 {
        text.push_str(&format!(
            "  l{i} = concat(local.l{p}, local.l{p})\n  o{i} = {{ x = local.o{p}, y = local.o{p} }}\n",
            p = i - 1
        ));
    }
    text.push_str("}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = length(local.l63) + length(local.o63)\n}\n");
    let err = load_small_stack(text).unwrap_err();
    assert!(err.contains("evaluation stopped"), "{err}");
}

/// `count` of a billion instances is refused before any is made (found: the instance list
/// exhausted memory).
#[test]
fn huge_counts_stop_with_a_clear_error() {
    let text = "resource \"aws_s3_bucket\" \"b\" {\n  count = 1000000000000\n  bucket = \"x\"\n}\n";
    let err = load_small_stack(text.to_string()).unwrap_err();
    assert!(err.contains("main.tf:2") && err.contains("steps"), "{err}");
    // A count of a few thousand is fine.
    let text =
        "resource \"aws_s3_bucket\" \"b\" {\n  count = 3000\n  bucket = \"x-${count.index}\"\n}\n";
    assert_eq!(load_small_stack(text.to_string()), Ok(3000));
}

/// A chain of locals each naming the next recurses once per link (found: 20,000 links
/// overflowed the stack).
#[test]
fn deep_reference_chains_stop_with_a_clear_error() {
    let mut text = String::from("locals {\n");
    for i in 0..20_000 {
        text.push_str(&format!("  a{i} = local.a{}\n", i + 1));
    }
    text.push_str(
        "  a20000 = \"end\"\n}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = local.a0\n}\n",
    );
    let err = load_small_stack(text).unwrap_err();
    assert!(err.contains("nest more than"), "{err}");
    // Values nested deeper and deeper through references.
    let mut text = String::from("locals {\n  v0 = 1\n");
    for i in 1..400 {
        text.push_str(&format!("  v{i} = [[local.v{}]]\n", i - 1));
    }
    text.push_str("}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = local.v399\n}\n");
    let err = load_small_stack(text).unwrap_err();
    assert!(err.contains("nest"), "{err}");
    // A chain within the limit evaluates.
    let mut text = String::from("locals {\n");
    for i in 0..100 {
        text.push_str(&format!("  a{i} = local.a{}\n", i + 1));
    }
    text.push_str(
        "  a100 = \"end\"\n}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = local.a0\n}\n",
    );
    assert_eq!(load_small_stack(text), Ok(1));
}

/// The deepest expressions the HCL parser accepts evaluate on a small stack.
#[test]
fn expressions_at_the_parsers_nesting_limit_evaluate() {
    for (open, close) in [("[", "]"), ("(", ")"), ("upper(", ")"), ("{a = ", "}")] {
        for depth in [60, 200] {
            let text = format!(
                "resource \"aws_s3_bucket\" \"b\" {{\n  bucket = {}\"x\"{}\n}}\n",
                open.repeat(depth),
                close.repeat(depth)
            );
            // Either loaded or refused by the parser; never a crash.
            let _ = load_small_stack(text);
        }
    }
    let chain = format!(
        "resource \"aws_s3_bucket\" \"b\" {{\n  bucket = 1{}\n}}\n",
        " + 1".repeat(5000)
    );
    let _ = load_small_stack(chain);
}

/// Every real configuration the repository holds (the examples and the vendored corpus of
/// public modules) evaluates well within the limits.
#[test]
fn real_configurations_evaluate_within_the_limits() {
    fn dirs_with_tf(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut has_tf = false;
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs_with_tf(&p, out);
            } else if p.extension().is_some_and(|x| x == "tf") {
                has_tf = true;
            }
        }
        if has_tf {
            out.push(dir.to_path_buf());
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut dirs = Vec::new();
    dirs_with_tf(&root.join("examples"), &mut dirs);
    dirs_with_tf(&root.join("tests/corpus"), &mut dirs);
    assert!(dirs.len() > 20, "{} configurations", dirs.len());
    for d in dirs {
        if let Err(e) = super::load_dir(&d) {
            let e = e.to_string();
            assert!(!e.contains("evaluation stopped"), "{e}");
        }
    }
}
