use std::path::Path;

use serde_json::json;

use super::*;
use crate::plan::{describe_unknown, unknown_ref};

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let p = dir.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(p, text).unwrap();
    }
}

fn load(files: &[(&str, &str)]) -> Config {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), files);
    load_dir(dir.path()).unwrap()
}

fn attrs<'a>(c: &'a Config, address: &str) -> &'a Value {
    &c.resources
        .iter()
        .find(|r| r.address == address)
        .unwrap_or_else(|| {
            panic!(
                "no {address} in {:?}",
                c.resources.iter().map(|r| &r.address).collect::<Vec<_>>()
            )
        })
        .attrs
}

#[test]
fn variables_locals_and_functions_resolve() {
    let c = load(&[(
        "main.tf",
        r#"
variable "name" {
  default = "audit"
}
locals {
  bucket = "${var.name}-logs"
  upper  = upper(local.bucket)
  joined = join("/", [var.name, "x"])
  n      = 2 * 3 + 1
  pick   = var.name == "audit" ? "yes" : "no"
}
resource "aws_s3_bucket" "b" {
  bucket = local.bucket
  tags = merge({ A = local.upper }, { B = local.joined, N = tostring(local.n), P = local.pick })
}
"#,
    )]);
    let b = attrs(&c, "aws_s3_bucket.b");
    assert_eq!(b["bucket"], "audit-logs");
    assert_eq!(
        b["tags"],
        json!({"A": "AUDIT-LOGS", "B": "audit/x", "N": "7", "P": "yes"})
    );
    assert!(c.unresolved.is_empty(), "{:?}", c.unresolved);
}

#[test]
fn tfvars_override_defaults() {
    let c = load(&[
        (
            "main.tf",
            "variable \"n\" {\n  default = \"a\"\n}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = var.n\n}\n",
        ),
        ("terraform.tfvars", "n = \"from-tfvars\"\n"),
    ]);
    assert_eq!(attrs(&c, "aws_s3_bucket.b")["bucket"], "from-tfvars");
}

#[test]
fn a_variable_without_value_is_unresolved_with_its_location_not_guessed() {
    let c = load(&[(
        "main.tf",
        "variable \"bucket\" {}\n\nresource \"aws_cloudtrail\" \"t\" {\n  name           = \"t\"\n  s3_bucket_name = var.bucket\n}\n",
    )]);
    let v = &attrs(&c, "aws_cloudtrail.t")["s3_bucket_name"];
    assert!(is_unknown(v));
    assert_eq!(describe_unknown(v), "var.bucket (main.tf:5)");
    assert_eq!(c.unresolved.len(), 1);
    assert_eq!(c.unresolved[0].at, "main.tf:5");
    assert!(
        c.unresolved[0].reason.contains("var.bucket has no value"),
        "{:?}",
        c.unresolved
    );
}

#[test]
fn references_to_computed_attributes_keep_the_resource_they_name() {
    let c = load(&[(
        "main.tf",
        r#"
data "aws_caller_identity" "me" {}
resource "aws_s3_bucket" "logs" {
  bucket = "logs-${data.aws_caller_identity.me.account_id}"
}
resource "aws_kms_key" "k" {}
resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = aws_s3_bucket.logs.id
  kms_key_id     = aws_kms_key.k.arn
}
"#,
    )]);
    let t = attrs(&c, "aws_cloudtrail.t");
    assert_eq!(
        unknown_ref(&t["s3_bucket_name"]),
        Some("aws_s3_bucket.logs")
    );
    assert_eq!(unknown_ref(&t["kms_key_id"]), Some("aws_kms_key.k"));
}

#[test]
fn known_bucket_names_give_known_ids_and_arns() {
    let c = load(&[(
        "main.tf",
        "provider \"aws\" {\n  region = \"cn-north-1\"\n}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\nresource \"aws_s3_bucket_policy\" \"p\" {\n  bucket = aws_s3_bucket.b.id\n  policy = jsonencode({ Resource = aws_s3_bucket.b.arn })\n}\n",
    )]);
    let p = attrs(&c, "aws_s3_bucket_policy.p");
    assert_eq!(p["bucket"], "x");
    assert_eq!(p["policy"], r#"{"Resource":"arn:aws-cn:s3:::x"}"#);
    assert_eq!(c.region.as_deref(), Some("cn-north-1"));
}

#[test]
fn count_and_for_each_make_instances() {
    let c = load(&[(
        "main.tf",
        r#"
variable "names" {
  default = ["b", "a"]
}
resource "aws_s3_bucket" "each" {
  for_each = toset(var.names)
  bucket   = "bucket-${each.key}"
}
resource "aws_s3_bucket" "counted" {
  count  = 2
  bucket = "c-${count.index}"
}
resource "aws_cloudtrail" "t" {
  name = "t"
  s3_bucket_name = aws_s3_bucket.counted[1].bucket
  tags = { for k, b in aws_s3_bucket.each : k => b.bucket }
}
"#,
    )]);
    assert_eq!(attrs(&c, "aws_s3_bucket.each[\"a\"]")["bucket"], "bucket-a");
    assert_eq!(attrs(&c, "aws_s3_bucket.counted[1]")["bucket"], "c-1");
    let t = attrs(&c, "aws_cloudtrail.t");
    assert_eq!(t["s3_bucket_name"], "c-1");
    assert_eq!(t["tags"], json!({"a": "bucket-a", "b": "bucket-b"}));
}

#[test]
fn an_unresolvable_for_each_is_reported_and_the_resource_kept_once() {
    let c = load(&[(
        "main.tf",
        "variable \"names\" {}\nresource \"aws_cloudtrail\" \"t\" {\n  for_each       = var.names\n  name           = each.key\n  s3_bucket_name = \"b\"\n}\n",
    )]);
    assert!(
        c.resources
            .iter()
            .any(|r| r.address == "aws_cloudtrail.t[?]")
    );
    assert!(
        c.unresolved
            .iter()
            .any(|u| u.reason.contains("for_each cannot be resolved")),
        "{:?}",
        c.unresolved
    );
}

#[test]
fn dynamic_blocks_expand() {
    let c = load(&[(
        "main.tf",
        r#"
variable "buckets" {
  default = ["a", "b"]
}
resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = "x"
  dynamic "event_selector" {
    for_each = var.buckets
    content {
      read_write_type = "All"
      data_resource {
        type   = "AWS::S3::Object"
        values = ["arn:aws:s3:::${event_selector.value}/"]
      }
    }
  }
}
"#,
    )]);
    let sel = &attrs(&c, "aws_cloudtrail.t")["event_selector"];
    assert_eq!(sel.as_array().map(Vec::len), Some(2));
    assert_eq!(sel[1]["data_resource"][0]["values"][0], "arn:aws:s3:::b/");
}

#[test]
fn local_modules_are_loaded_with_their_inputs_and_outputs() {
    let c = load(&[
        (
            "main.tf",
            "module \"m\" {\n  source = \"./mod\"\n  name   = \"from-root\"\n}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = module.m.bucket\n}\n",
        ),
        (
            "mod/main.tf",
            "variable \"name\" {}\nresource \"aws_cloudtrail\" \"t\" {\n  name           = var.name\n  s3_bucket_name = \"x\"\n}\noutput \"bucket\" {\n  value = \"${var.name}-bucket\"\n}\n",
        ),
    ]);
    assert_eq!(attrs(&c, "module.m.aws_cloudtrail.t")["name"], "from-root");
    assert_eq!(attrs(&c, "aws_s3_bucket.b")["bucket"], "from-root-bucket");
    let t = c
        .resources
        .iter()
        .find(|r| r.address == "module.m.aws_cloudtrail.t")
        .unwrap();
    assert_eq!(t.location, "mod/main.tf:2");
}

#[test]
fn a_remote_module_is_reported_not_guessed() {
    let c = load(&[(
        "main.tf",
        "module \"r\" {\n  source = \"terraform-aws-modules/cloudtrail/aws\"\n}\n",
    )]);
    assert!(c.resources.is_empty());
    assert!(
        c.unresolved
            .iter()
            .any(|u| u.reason.contains("not a local path"))
    );
}

#[test]
fn self_referencing_locals_do_not_loop() {
    let c = load(&[(
        "main.tf",
        "locals {\n  a = local.b\n  b = local.a\n}\nresource \"aws_s3_bucket\" \"x\" {\n  bucket = local.a\n}\n",
    )]);
    assert!(is_unknown(&attrs(&c, "aws_s3_bucket.x")["bucket"]));
}

#[test]
fn bad_syntax_and_empty_directories_are_input_errors() {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        load_dir(dir.path())
            .unwrap_err()
            .to_string()
            .contains("no .tf files")
    );
    write(dir.path(), &[("main.tf", "resource \"a\" {\n  x = \n")]);
    assert!(matches!(
        load_dir(dir.path()),
        Err(LoadError::Syntax { .. })
    ));
    assert!(load_dir(&dir.path().join("missing")).is_err());
}

#[test]
fn policy_documents_render_from_their_blocks() {
    let c = load(&[(
        "main.tf",
        r#"
data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
resource "aws_s3_bucket_policy" "p" {
  bucket = "b"
  policy = data.aws_iam_policy_document.p.json
}
"#,
    )]);
    let policy = attrs(&c, "aws_s3_bucket_policy.p")["policy"]
        .as_str()
        .unwrap()
        .to_string();
    let doc: Value = serde_json::from_str(&policy).unwrap();
    assert_eq!(doc["Statement"][0]["Principal"], "*");
}

#[test]
fn provider_default_tags_reach_tags_all() {
    let c = load(&[(
        "main.tf",
        "provider \"aws\" {\n  default_tags {\n    tags = { Owner = \"sec\", Team = \"x\" }\n  }\n}\nresource \"aws_cloudtrail\" \"t\" {\n  name = \"t\"\n  s3_bucket_name = \"b\"\n  tags = { Team = \"audit\" }\n}\n",
    )]);
    assert_eq!(
        attrs(&c, "aws_cloudtrail.t")["tags_all"],
        json!({"Owner": "sec", "Team": "audit"})
    );
}
