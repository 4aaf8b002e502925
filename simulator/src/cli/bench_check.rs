//! `ctsim bench check`: `ctsim check` on a generated directory of N trail configurations
//! (trail, bucket, public access block, access logging, policy document, KMS key, count and
//! for_each) against merely parsing the same files with hcl-rs, measured in the same run.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};

use super::bench_support::{median, time_ratio};
use crate::compliance::{self, Model, Suppressions, report};
use crate::plan;

pub struct Args {
    pub trails: usize,
    pub rounds: usize,
}

/// One trail configuration; `i` varies names and which settings are on.
fn trail_file(i: usize) -> String {
    let multi = i.is_multiple_of(2);
    let kms = i.is_multiple_of(3);
    format!(
        r#"
variable "name_{i}" {{
  default = "trail-{i}"
}}

locals {{
  bucket_{i} = "${{var.name_{i}}}-logs"
}}

resource "aws_s3_bucket" "logs_{i}" {{
  bucket = local.bucket_{i}
}}

resource "aws_s3_bucket_public_access_block" "logs_{i}" {{
  bucket                  = aws_s3_bucket.logs_{i}.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = {restrict}
}}

resource "aws_s3_bucket_logging" "logs_{i}" {{
  count         = {logging}
  bucket        = aws_s3_bucket.logs_{i}.id
  target_bucket = "access-logs"
  target_prefix = "${{var.name_{i}}}/"
}}

data "aws_iam_policy_document" "logs_{i}" {{
  statement {{
    sid       = "AWSCloudTrailWrite"
    actions   = ["s3:PutObject"]
    resources = ["${{aws_s3_bucket.logs_{i}.arn}}/AWSLogs/*"]
    principals {{
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }}
    condition {{
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }}
  }}
}}

resource "aws_s3_bucket_policy" "logs_{i}" {{
  bucket = aws_s3_bucket.logs_{i}.id
  policy = data.aws_iam_policy_document.logs_{i}.json
}}

resource "aws_kms_key" "trail_{i}" {{
  description = "trail {i}"
}}

resource "aws_s3_bucket" "watched_{i}" {{
  for_each = toset(["a", "b", "c"])
  bucket   = "watched-{i}-${{each.key}}"
}}

resource "aws_cloudtrail" "trail_{i}" {{
  name                       = var.name_{i}
  s3_bucket_name             = aws_s3_bucket.logs_{i}.id
  is_multi_region_trail      = {multi}
  enable_log_file_validation = true
  kms_key_id                 = {kms}

  event_selector {{
    read_write_type           = "All"
    include_management_events = true

    data_resource {{
      type   = "AWS::S3::Object"
      values = [for b in aws_s3_bucket.watched_{i} : "${{b.arn}}/"]
    }}
  }}

  tags = {{
    Team = "t{i}"
  }}
}}
"#,
        restrict = !i.is_multiple_of(5),
        logging = if i.is_multiple_of(4) { 0 } else { 1 },
        kms = if kms {
            format!("aws_kms_key.trail_{i}.arn")
        } else {
            "null".to_string()
        },
    )
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let trails = args.trails.max(1);
    let rounds = args.rounds.max(1);
    let dir = tempfile::tempdir().context("temporary directory")?;
    write_dir(dir.path(), trails)?;
    let rules: Vec<_> = compliance::RULES.iter().collect();

    let mut parse = Vec::new();
    let mut check = Vec::new();
    let mut load = Vec::new();
    let mut failed = 0;
    for _ in 0..rounds {
        // Floor: read and parse every file with hcl-rs, nothing else.
        let t = Instant::now();
        for i in 0..trails {
            let text = std::fs::read_to_string(dir.path().join(format!("trail_{i:03}.tf")))?;
            let body: hcl::Body = hcl::parse(&text).context("parsing")?;
            std::hint::black_box(body);
        }
        parse.push(t.elapsed());

        // ctsim check: load (parse + evaluate), build the model, run every rule, render.
        let t = Instant::now();
        let config = plan::hcl::load_dir(dir.path()).map_err(|e| anyhow::anyhow!("{e}"))?;
        let loaded = t.elapsed();
        let rep = compliance::check(&Model::build(&config), &rules, &Suppressions::default());
        let text = report::text(&rep, false);
        std::hint::black_box(text);
        check.push(t.elapsed());
        load.push(loaded);
        failed = rep.count(compliance::Status::Fail);
    }
    let (p, c, l) = (median(parse), median(check), median(load));
    let ratio = time_ratio(c, p);
    println!("ctsim bench check: {trails} trail configurations, {rounds} rounds (medians)");
    println!(
        "  parse only (hcl-rs, floor): {:>9.2} ms",
        p.as_secs_f64() * 1e3
    );
    println!(
        "  ctsim check (all rules):    {:>9.2} ms  ({failed} rules failing)",
        c.as_secs_f64() * 1e3
    );
    println!(
        "    of which load (parse + evaluate): {:>6.2} ms",
        l.as_secs_f64() * 1e3
    );
    println!("  ratio check / parse:        {ratio:>9.2}x  (target <= 2x)");
    Ok(ExitCode::SUCCESS)
}

fn write_dir(dir: &Path, trails: usize) -> Result<()> {
    std::fs::write(
        dir.join("provider.tf"),
        "provider \"aws\" {\n  region = \"us-east-1\"\n}\n",
    )?;
    for i in 0..trails {
        std::fs::write(dir.join(format!("trail_{i:03}.tf")), trail_file(i))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_configurations_load_with_every_trail_and_their_links() {
        let dir = tempfile::tempdir().unwrap();
        write_dir(dir.path(), 4).unwrap();
        let config = plan::hcl::load_dir(dir.path()).unwrap();
        let model = Model::build(&config);
        assert_eq!(model.trails.len(), 4);
        assert!(model.trails.iter().all(|t| t.bucket.is_some()));
        assert!(
            config.unresolved.is_empty()
                || config
                    .unresolved
                    .iter()
                    .all(|u| u.reason.contains("applied"))
        );
    }
}
