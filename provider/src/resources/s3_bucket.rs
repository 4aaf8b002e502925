//! aws_s3_bucket: an S3 bucket with the hashicorp/aws v6 schema. The bucket's other
//! configurations have their own resources (aws_s3_bucket_policy, _versioning, ...); the
//! deprecated inline arguments for them stay in the schema so configurations load, and the
//! ones ctsim does not drive from here are rejected at validation with the resource to use.
//!
//! Generated names (`bucket_prefix`, or neither `bucket` nor `bucket_prefix`) are
//! `PREFIX + 26 digits` like hashicorp/aws's `id.PrefixedUniqueId`, but deterministic: the
//! digits are an FNV-1a hash of (region, prefix, attempt) plus the attempt number, and the
//! attempt goes up while S3 says the name is taken.

use std::collections::BTreeMap;

use serde_json::{Value as Json, json};
use tfplugin6::value::Value;

use super::policy_json;
use super::s3_bucket_policy::{json_diag, suppress_equivalent_policy};
use super::s3_common::{
    OpError, S3, call, conflict_problem, import_region, json_items, own_tags, tag_list,
    tags_from_list,
};
use super::{Ctx, Resource};
use crate::diagnostics::{Diag, Diags};
use crate::plan::attr_path;
use crate::schema::{Attribute, Schema, Validator};
use crate::values::{
    ValueExt, object, opt_string, semantically_equal, set_attr, string, string_map,
};

const WHAT: &str = "S3 Bucket";
/// `id.UniqueIDSuffixLength`.
pub const UNIQUE_SUFFIX_LEN: usize = 26;

pub struct Bucket {
    schema: Schema,
}

impl Default for Bucket {
    fn default() -> Self {
        Self::new()
    }
}

impl Bucket {
    pub fn new() -> Self {
        Bucket { schema: schema() }
    }
}

/// Deprecated inline blocks and the resource that replaces each.
const DEPRECATED_BLOCKS: [(&str, &str); 9] = [
    ("cors_rule", "aws_s3_bucket_cors_configuration"),
    ("grant", "aws_s3_bucket_acl"),
    ("lifecycle_rule", "aws_s3_bucket_lifecycle_configuration"),
    ("logging", "aws_s3_bucket_logging"),
    (
        "object_lock_configuration",
        "aws_s3_bucket_object_lock_configuration",
    ),
    (
        "replication_configuration",
        "aws_s3_bucket_replication_configuration",
    ),
    (
        "server_side_encryption_configuration",
        "aws_s3_bucket_server_side_encryption_configuration",
    ),
    ("versioning", "aws_s3_bucket_versioning"),
    ("website", "aws_s3_bucket_website_configuration"),
];

fn schema() -> Schema {
    Schema::resource("aws_s3_bucket")
        // validation.StringLenBetween(0, 63), ForceNew
        .attr("bucket", |a| {
            a.force_new().validate(Validator::LenBetween(0, 63))
        })
        // validation.StringLenBetween(0, 63-id.UniqueIDSuffixLength), ForceNew
        .attr("bucket_prefix", |a| {
            a.force_new()
                .validate(Validator::LenBetween(0, 63 - UNIQUE_SUFFIX_LEN))
        })
        .attr("force_destroy", |a| a.default(Value::Bool(false)))
        .attr("object_lock_enabled", Attribute::force_new)
        // enum.Validate[types.BucketAccelerateStatus]()
        .attr("acceleration_status", |a| {
            a.validate(Validator::OneOf(&["Enabled", "Suspended"]))
        })
        // enum.Validate[types.BucketCannedACL]()
        .attr("acl", |a| {
            a.validate(Validator::OneOf(super::s3_bucket_acl::CANNED_ACLS))
        })
        // enum.Validate[types.Payer]()
        .attr("request_payer", |a| {
            a.validate(Validator::OneOf(&["Requester", "BucketOwner"]))
        })
        .nested("grant", |b| b.conflicts_with(&["acl"]))
}

/// The partition of a region.
pub fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

fn dns_suffix(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    }
}

/// The Route 53 hosted zone ID of S3 (website) endpoints in a region, as hashicorp/aws
/// publishes them (`hostedZoneIDsMap`).
pub fn hosted_zone_id(region: &str) -> Option<&'static str> {
    Some(match region {
        "af-south-1" => "Z83WF9RJE8B12",
        "ap-east-1" => "ZNB98KWMFR0R6",
        "ap-northeast-1" => "Z2M4EHUR26P7ZW",
        "ap-northeast-2" => "Z3W03O7B5YMIYP",
        "ap-northeast-3" => "Z2YQB5RD63NC85",
        "ap-south-1" => "Z11RGJOFQNVJUP",
        "ap-south-2" => "Z02976202B4EZMXIPMXF7",
        "ap-southeast-1" => "Z3O0J2DXBE1FTB",
        "ap-southeast-2" => "Z1WCIGYICN2BYD",
        "ap-southeast-3" => "Z01613992JD795ZI93075",
        "ap-southeast-4" => "Z0312387243XT5FE14WFO",
        "ca-central-1" => "Z1QDHH18159H29",
        "ca-west-1" => "Z03565811Z33SLEZTHOUL",
        "cn-north-1" => "Z5CN8UMXT92WN",
        "cn-northwest-1" => "Z282HJ1KT0DH03",
        "eu-central-1" => "Z21DNDUVLTQW6Q",
        "eu-central-2" => "Z030506016YDQGETNASS",
        "eu-north-1" => "Z3BAZG2TWCNX0D",
        "eu-south-1" => "Z30OZKI7KPW7MI",
        "eu-south-2" => "Z0081959F7139GRJC19J",
        "eu-west-1" => "Z1BKCTXD74EZPE",
        "eu-west-2" => "Z3GKZC51ZF0DB4",
        "eu-west-3" => "Z3R1K369G5AVDG",
        "il-central-1" => "Z09640613K4A3MN55U7GU",
        "me-central-1" => "Z06143092I8HRXZRUZROF",
        "me-south-1" => "Z1MPMWCPA7YB62",
        "sa-east-1" => "Z7KQH4QJS55SO",
        "us-east-1" => "Z3AQBSTGFYJSTF",
        "us-east-2" => "Z2O1EMRO9K5GLX",
        "us-gov-east-1" => "Z2NIFVYYW2VKV1",
        "us-gov-west-1" => "Z31GFT0UA1I2HV",
        "us-west-1" => "Z2F56UZL2M1ACD",
        "us-west-2" => "Z3BJ6K6RIION7M",
        _ => return None,
    })
}

/// `PREFIX` + 26 deterministic digits (see the module comment).
pub fn generated_name(prefix: &str, region: &str, attempt: u32) -> String {
    let mut hash: u64 = 0xcbf29ce484222325;
    for b in region
        .bytes()
        .chain([0])
        .chain(prefix.bytes())
        .chain([0])
        .chain(attempt.to_le_bytes())
    {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x100000001b3);
    }
    format!("{prefix}{hash:020}{:06}", attempt % 1_000_000)
}

/// `create.NamePrefixFromName`: the part before a trailing 26-digit unique suffix.
pub fn name_prefix_from_name(name: &str) -> Option<&str> {
    let cut = name.len().checked_sub(UNIQUE_SUFFIX_LEN)?;
    let (prefix, digits) = (name.get(..cut)?, name.get(cut..)?);
    digits.bytes().all(|b| b.is_ascii_digit()).then_some(prefix)
}

/// The region S3 reports for GetBucketLocation's LocationConstraint.
pub fn location_region(constraint: &Json) -> String {
    match constraint.as_str() {
        None | Some("") => "us-east-1".to_string(),
        Some("EU") => "eu-west-1".to_string(),
        Some(r) => r.to_string(),
    }
}

/// The CreateBucket request.
pub fn create_request(name: &str, region: &str, object_lock: bool) -> Json {
    let mut req = json!({"Bucket": name});
    if region != "us-east-1" {
        req["CreateBucketConfiguration"] = json!({"LocationConstraint": region});
    }
    if object_lock {
        req["ObjectLockEnabledForBucket"] = json!(true);
    }
    req
}

/// hashicorp/aws `validBucketName`: the provider's own check before CreateBucket. Outside
/// us-east-1 names must be DNS-compliant; in us-east-1 only the legacy rules apply and S3
/// itself answers `InvalidBucketName` for the rest.
pub fn valid_bucket_name(value: &str, region: &str) -> Result<(), String> {
    if region != "us-east-1" {
        if !(3..=63).contains(&value.len()) {
            return Err(format!("{value:?} must contain from 3 to 63 characters"));
        }
        if !value
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase() || b == b'-' || b == b'.')
        {
            return Err(format!(
                "only lowercase alphanumeric characters and hyphens allowed in {value:?}"
            ));
        }
        let labels: Vec<&str> = value.split('.').collect();
        if labels.len() == 4
            && labels
                .iter()
                .all(|l| (1..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(format!("{value:?} must not be formatted as an IP address"));
        }
        if value.starts_with('.') {
            return Err(format!("{value:?} cannot start with a period"));
        }
        if value.ends_with('.') {
            return Err(format!("{value:?} cannot end with a period"));
        }
        if value.contains("..") {
            return Err(format!("{value:?} can be only one period between labels"));
        }
    } else {
        if value.len() > 255 {
            return Err(format!("{value:?} must contain less than 256 characters"));
        }
        if !value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        {
            return Err(format!(
                "only alphanumeric characters, hyphens, periods, and underscores allowed in {value:?}"
            ));
        }
    }
    Ok(())
}

fn s3_diag(e: &OpError, context: String) -> Diag {
    e.diag(&context, "S3")
}

impl Bucket {
    fn put_tags(
        &self,
        ctx: &Ctx,
        region: &str,
        bucket: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), Diag> {
        let result = if tags.is_empty() {
            call(
                ctx,
                region,
                S3,
                "DeleteBucketTagging",
                json!({"Bucket": bucket}),
            )
        } else {
            call(
                ctx,
                region,
                S3,
                "PutBucketTagging",
                json!({"Bucket": bucket, "Tagging": {"TagSet": tag_list(tags)}}),
            )
        };
        result
            .map(|_| ())
            .map_err(|e| s3_diag(&e, format!("setting {WHAT} ({bucket}) tags")))
    }

    /// Deletes every object (and object version) so the bucket can be deleted.
    fn empty_bucket(&self, ctx: &Ctx, region: &str, bucket: &str) -> Result<(), Diag> {
        let context = || format!("emptying {WHAT} ({bucket})");
        let mut token: Option<String> = None;
        loop {
            let mut req = json!({"Bucket": bucket});
            if let Some(t) = &token {
                req["ContinuationToken"] = json!(t);
            }
            let listed =
                call(ctx, region, S3, "ListObjectsV2", req).map_err(|e| s3_diag(&e, context()))?;
            for obj in json_items(&listed["Contents"]) {
                if let Some(key) = obj["Key"].as_str() {
                    call(
                        ctx,
                        region,
                        S3,
                        "DeleteObject",
                        json!({"Bucket": bucket, "Key": key}),
                    )
                    .map_err(|e| s3_diag(&e, context()))?;
                }
            }
            token = listed["NextContinuationToken"]
                .as_str()
                .filter(|_| listed["IsTruncated"].as_bool() == Some(true))
                .map(str::to_string);
            if token.is_none() {
                return Ok(());
            }
        }
    }

    /// Deletes remaining object versions and delete markers (versioned buckets).
    fn delete_versions(&self, ctx: &Ctx, region: &str, bucket: &str) -> Result<(), Diag> {
        let context = || format!("emptying {WHAT} ({bucket}) versions");
        for _ in 0..1000 {
            let listed = call(
                ctx,
                region,
                S3,
                "ListObjectVersions",
                json!({"Bucket": bucket}),
            )
            .map_err(|e| s3_diag(&e, context()))?;
            let items: Vec<&Json> = json_items(&listed["Versions"])
                .iter()
                .chain(json_items(&listed["DeleteMarkers"]))
                .collect();
            if items.is_empty() {
                return Ok(());
            }
            for v in items {
                let mut req = json!({"Bucket": bucket, "Key": v["Key"]});
                if let Some(id) = v["VersionId"].as_str() {
                    req["VersionId"] = json!(id);
                }
                call(ctx, region, S3, "DeleteObject", req).map_err(|e| s3_diag(&e, context()))?;
            }
        }
        Ok(())
    }

    fn read_after_write(&self, ctx: &Ctx, state: &Value) -> Result<Value, (Option<Value>, Diags)> {
        match self.read(ctx, state) {
            Ok(Some(v)) => Ok(v),
            Ok(None) => Err((
                None,
                vec![Diag::error(format!(
                    "reading {WHAT} ({}): not found after write",
                    state.attr("bucket").str_opt().unwrap_or_default()
                ))],
            )),
            Err(d) => Err((Some(state.clone()), d)),
        }
    }
}

impl Resource for Bucket {
    fn type_name(&self) -> &'static str {
        "aws_s3_bucket"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn validate(&self, config: &Value) -> Diags {
        let mut diags: Diags = conflict_problem(config, "bucket", "bucket_prefix")
            .into_iter()
            .collect();
        for (name, replacement) in DEPRECATED_BLOCKS {
            if !config.attr(name).is_null_or_empty() {
                diags.push(
                    Diag::error(format!("Unsupported argument \"{name}\""))
                        .detail(format!(
                            "The deprecated inline \"{name}\" block is not supported by this provider; use the {replacement} resource instead."
                        ))
                        .at(attr_path(name)),
                );
            }
        }
        for (name, replacement) in [
            (
                "acceleration_status",
                "aws_s3_bucket_accelerate_configuration",
            ),
            (
                "request_payer",
                "aws_s3_bucket_request_payment_configuration",
            ),
        ] {
            if !matches!(config.attr(name), Value::Null) {
                diags.push(
                    Diag::error(format!("Unsupported argument \"{name}\""))
                        .detail(format!(
                            "The deprecated \"{name}\" argument is not supported by this provider; use the {replacement} resource instead."
                        ))
                        .at(attr_path(name)),
                );
            }
        }
        diags.extend(json_diag(config, "policy"));
        diags
    }

    fn modify_plan(&self, _ctx: &Ctx, prior: &Value, planned: &mut Value) {
        if !matches!(prior, Value::Null) {
            suppress_equivalent_policy(prior, planned, "policy");
        }
    }

    fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, (Option<Value>, Diags)> {
        let region = ctx.region_of(planned);
        let object_lock = planned.attr("object_lock_enabled").bool_opt() == Some(true);
        let explicit = planned
            .attr("bucket")
            .str_opt()
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        let prefix = planned
            .attr("bucket_prefix")
            .str_opt()
            .unwrap_or("terraform-")
            .to_string();
        let mut attempt = 0u32;
        let name = loop {
            let name = explicit
                .clone()
                .unwrap_or_else(|| generated_name(&prefix, &region, attempt));
            if let Err(why) = valid_bucket_name(&name, &region) {
                return Err((
                    None,
                    vec![Diag::error(format!(
                        "validating {WHAT} ({name}) name: {why}"
                    ))],
                ));
            }
            // In us-east-1 CreateBucket answers success for a bucket you already own, so
            // hashicorp/aws looks first and refuses to adopt it.
            if region == "us-east-1"
                && call(ctx, &region, S3, "HeadBucket", json!({"Bucket": name})).is_ok()
            {
                if explicit.is_none() && attempt < 100 {
                    attempt += 1;
                    continue;
                }
                return Err((
                    None,
                    vec![Diag::error(format!(
                        "creating {WHAT} ({name}): BucketAlreadyExists"
                    ))],
                ));
            }
            match call(
                ctx,
                &region,
                S3,
                "CreateBucket",
                create_request(&name, &region, object_lock),
            ) {
                Ok(_) => break name,
                Err(e)
                    if explicit.is_none()
                        && attempt < 100
                        && e.is(&["BucketAlreadyExists", "BucketAlreadyOwnedByYou"]) =>
                {
                    attempt += 1;
                }
                Err(e) => {
                    return Err((None, vec![s3_diag(&e, format!("creating {WHAT} ({name})"))]));
                }
            }
        };
        let mut created = planned.clone();
        set_attr(&mut created, "bucket", string(name.clone()));
        set_attr(&mut created, "id", string(name.clone()));
        set_attr(&mut created, "region", string(region.clone()));
        if matches!(planned.attr("bucket_prefix"), Value::Unknown) {
            set_attr(&mut created, "bucket_prefix", Value::Null);
        }

        let mut errors: Diags = Vec::new();
        let tags = planned.attr("tags_all").string_map();
        if !tags.is_empty()
            && let Err(d) = self.put_tags(ctx, &region, &name, &tags)
        {
            errors.push(d);
        }
        if let Some(acl) = planned.attr("acl").str_opt()
            && let Err(e) = call(
                ctx,
                &region,
                S3,
                "PutBucketAcl",
                json!({"Bucket": name, "ACL": acl}),
            )
        {
            errors.push(s3_diag(&e, format!("putting {WHAT} ({name}) ACL")));
        }
        if let Some(policy) = planned.attr("policy").str_opt().filter(|s| !s.is_empty())
            && let Err(e) = call(
                ctx,
                &region,
                S3,
                "PutBucketPolicy",
                json!({"Bucket": name, "Policy": policy}),
            )
        {
            errors.push(s3_diag(&e, format!("putting {WHAT} ({name}) policy")));
        }
        let state = self.read_after_write(ctx, &created)?;
        if errors.is_empty() {
            Ok(state)
        } else {
            Err((Some(state), errors))
        }
    }

    fn read(&self, ctx: &Ctx, state: &Value) -> Result<Option<Value>, Diags> {
        let region = ctx.region_of(state);
        let name = state
            .attr("bucket")
            .str_opt()
            .or_else(|| state.attr("id").str_opt())
            .unwrap_or_default()
            .to_string();
        let gone = ["NoSuchBucket", "NotFound"];
        let head = match call(ctx, &region, S3, "HeadBucket", json!({"Bucket": name})) {
            Ok(h) => h,
            Err(e) if e.is(&gone) => return Ok(None),
            Err(e) => return Err(vec![s3_diag(&e, format!("reading {WHAT} ({name})"))]),
        };
        let bucket_region = match head["BucketRegion"].as_str().filter(|s| !s.is_empty()) {
            Some(r) => r.to_string(),
            None => match call(
                ctx,
                &region,
                S3,
                "GetBucketLocation",
                json!({"Bucket": name}),
            ) {
                Ok(loc) => location_region(&loc["LocationConstraint"]),
                Err(e) if e.is(&gone) => return Ok(None),
                Err(e) => {
                    return Err(vec![s3_diag(
                        &e,
                        format!("reading {WHAT} ({name}) location"),
                    )]);
                }
            },
        };
        let all_tags = match call(
            ctx,
            &region,
            S3,
            "GetBucketTagging",
            json!({"Bucket": name}),
        ) {
            Ok(t) => tags_from_list(&t["TagSet"]),
            Err(e) if e.is(&["NoSuchTagSet"]) => BTreeMap::new(),
            Err(e) if e.is(&gone) => return Ok(None),
            Err(e) => {
                return Err(vec![s3_diag(
                    &e,
                    format!("listing tags for {WHAT} ({name})"),
                )]);
            }
        };
        let policy = match call(ctx, &region, S3, "GetBucketPolicy", json!({"Bucket": name})) {
            Ok(p) => p["Policy"]
                .as_str()
                .filter(|s| !s.is_empty())
                .map(|remote| policy_json::policy_to_set(state.attr("policy").str_opt(), remote)),
            Err(e) if e.is(&["NoSuchBucketPolicy"]) => None,
            Err(e) if e.is(&gone) => return Ok(None),
            Err(e) => return Err(vec![s3_diag(&e, format!("reading {WHAT} ({name}) policy"))]),
        };
        // Object Lock is readable only through its configuration; a bucket without one (or a
        // simulator without the operation) reads as not enabled.
        let object_lock = call(
            ctx,
            &region,
            S3,
            "GetObjectLockConfiguration",
            json!({"Bucket": name}),
        )
        .ok()
        .is_some_and(|o| o["ObjectLockConfiguration"]["ObjectLockEnabled"] == "Enabled");

        let part = partition(&bucket_region);
        let suffix = dns_suffix(&bucket_region);
        let empty_blocks = DEPRECATED_BLOCKS.iter().map(|(b, _)| {
            let empty = if *b == "grant" {
                Value::Set(vec![])
            } else {
                Value::List(vec![])
            };
            (*b, empty)
        });
        let mut out = object([
            ("id", string(name.clone())),
            ("arn", string(format!("arn:{part}:s3:::{name}"))),
            ("bucket", string(name.clone())),
            // Like hashicorp/aws, from the name: an imported generated name keeps its prefix.
            ("bucket_prefix", opt_string(name_prefix_from_name(&name))),
            ("bucket_domain_name", string(format!("{name}.s3.{suffix}"))),
            ("bucket_region", string(bucket_region.clone())),
            (
                "bucket_regional_domain_name",
                string(format!("{name}.s3.{bucket_region}.{suffix}")),
            ),
            ("hosted_zone_id", opt_string(hosted_zone_id(&bucket_region))),
            (
                "force_destroy",
                Value::Bool(state.attr("force_destroy").bool_opt().unwrap_or(false)),
            ),
            ("object_lock_enabled", Value::Bool(object_lock)),
            ("acceleration_status", Value::Null),
            ("acl", state.attr("acl").clone()),
            ("policy", opt_string(policy)),
            ("request_payer", string("BucketOwner")),
            ("website_domain", Value::Null),
            ("website_endpoint", Value::Null),
            ("region", string(region)),
            ("tags", own_tags(&all_tags, ctx, state.attr("tags"))),
            ("tags_all", string_map(&all_tags)),
        ]);
        if matches!(out.attr("bucket_prefix"), Value::Unknown) {
            set_attr(&mut out, "bucket_prefix", Value::Null);
        }
        if matches!(out.attr("acl"), Value::Unknown) {
            set_attr(&mut out, "acl", Value::Null);
        }
        for (k, v) in empty_blocks {
            set_attr(&mut out, k, v);
        }
        Ok(Some(out))
    }

    fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, (Option<Value>, Diags)> {
        let region = ctx.region_of(prior);
        let name = prior
            .attr("bucket")
            .str_opt()
            .unwrap_or_default()
            .to_string();
        let mut errors: Diags = Vec::new();
        if !semantically_equal(prior.attr("tags_all"), planned.attr("tags_all"))
            && let Err(d) =
                self.put_tags(ctx, &region, &name, &planned.attr("tags_all").string_map())
        {
            errors.push(d);
        }
        if let Some(acl) = planned.attr("acl").str_opt()
            && prior.attr("acl").str_opt() != Some(acl)
            && let Err(e) = call(
                ctx,
                &region,
                S3,
                "PutBucketAcl",
                json!({"Bucket": name, "ACL": acl}),
            )
        {
            errors.push(s3_diag(&e, format!("putting {WHAT} ({name}) ACL")));
        }
        if let Some(policy) = planned.attr("policy").str_opt().filter(|s| !s.is_empty())
            && !prior
                .attr("policy")
                .str_opt()
                .is_some_and(|p| policy_json::equivalent(p, policy))
            && let Err(e) = call(
                ctx,
                &region,
                S3,
                "PutBucketPolicy",
                json!({"Bucket": name, "Policy": policy}),
            )
        {
            errors.push(s3_diag(&e, format!("putting {WHAT} ({name}) policy")));
        }
        let mut next = planned.clone();
        set_attr(&mut next, "bucket", string(name));
        let state = self.read_after_write(ctx, &next)?;
        if errors.is_empty() {
            Ok(state)
        } else {
            Err((Some(state), errors))
        }
    }

    fn delete(&self, ctx: &Ctx, state: &Value) -> Result<(), Diags> {
        let region = ctx.region_of(state);
        let name = state
            .attr("bucket")
            .str_opt()
            .unwrap_or_default()
            .to_string();
        let force = state.attr("force_destroy").bool_opt() == Some(true);
        let delete = || call(ctx, &region, S3, "DeleteBucket", json!({"Bucket": name}));
        let context = || format!("deleting {WHAT} ({name})");
        match delete() {
            Ok(_) => Ok(()),
            Err(e) if e.is(&["NoSuchBucket"]) => Ok(()),
            Err(e) if e.is(&["BucketNotEmpty"]) && force => {
                self.empty_bucket(ctx, &region, &name)
                    .map_err(|d| vec![d])?;
                match delete() {
                    Ok(_) => Ok(()),
                    Err(e) if e.is(&["NoSuchBucket"]) => Ok(()),
                    Err(e) if e.is(&["BucketNotEmpty"]) => {
                        self.delete_versions(ctx, &region, &name)
                            .map_err(|d| vec![d])?;
                        delete()
                            .map(|_| ())
                            .map_err(|e| vec![s3_diag(&e, context())])
                    }
                    Err(e) => Err(vec![s3_diag(&e, context())]),
                }
            }
            Err(e) => Err(vec![s3_diag(&e, context())]),
        }
    }

    fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, Diags> {
        let (name, region) = import_region(ctx, id);
        if name.is_empty() {
            return Err(vec![Diag::error("import ID must be the bucket name")]);
        }
        Ok(object([
            ("id", string(name.clone())),
            ("bucket", string(name)),
            ("force_destroy", Value::Bool(false)),
            ("region", string(region)),
        ]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::s3_common::testing::FakeClient;

    #[test]
    fn schema_has_the_hashicorp_aws_attributes() {
        let s = schema();
        let table: &[(&str, bool, bool, bool)] = &[
            // name, optional, computed, force_new
            ("id", true, true, false),
            ("bucket", true, true, true),
            ("bucket_prefix", true, true, true),
            ("arn", false, true, false),
            ("bucket_domain_name", false, true, false),
            ("bucket_region", false, true, false),
            ("bucket_regional_domain_name", false, true, false),
            ("hosted_zone_id", false, true, false),
            ("force_destroy", true, false, false),
            ("object_lock_enabled", true, true, true),
            ("acceleration_status", true, true, false),
            ("acl", true, true, false),
            ("policy", true, true, false),
            ("request_payer", true, true, false),
            ("website_domain", false, true, false),
            ("website_endpoint", false, true, false),
            ("region", true, true, true),
            ("tags", true, false, false),
            ("tags_all", true, true, false),
        ];
        for (name, optional, computed, force_new) in table {
            let a = s
                .block
                .attribute(name)
                .unwrap_or_else(|| panic!("missing {name}"));
            assert_eq!(
                (a.optional, a.computed, a.force_new),
                (*optional, *computed, *force_new),
                "{name}"
            );
        }
        assert_eq!(
            s.block.attribute("force_destroy").unwrap().default,
            Some(Value::Bool(false))
        );
        for (b, _) in DEPRECATED_BLOCKS {
            assert!(s.block.block(b).is_some(), "block {b}");
        }
    }

    #[test]
    fn generated_names_are_deterministic_and_26_digits_long() {
        let a = generated_name("terraform-", "us-east-1", 0);
        assert_eq!(a, generated_name("terraform-", "us-east-1", 0));
        assert_ne!(a, generated_name("terraform-", "us-east-1", 1));
        assert_ne!(a, generated_name("terraform-", "eu-west-1", 0));
        let digits = a.strip_prefix("terraform-").unwrap();
        assert_eq!(digits.len(), UNIQUE_SUFFIX_LEN);
        assert!(digits.bytes().all(|b| b.is_ascii_digit()));
    }

    #[test]
    fn create_request_names_the_region_outside_us_east_1() {
        assert_eq!(
            create_request("b", "us-east-1", false),
            json!({"Bucket": "b"})
        );
        assert_eq!(
            create_request("b", "eu-west-1", true),
            json!({"Bucket": "b", "CreateBucketConfiguration": {"LocationConstraint": "eu-west-1"},
                   "ObjectLockEnabledForBucket": true})
        );
    }

    #[test]
    fn location_constraints_map_to_regions() {
        assert_eq!(location_region(&Json::Null), "us-east-1");
        assert_eq!(location_region(&json!("")), "us-east-1");
        assert_eq!(location_region(&json!("EU")), "eu-west-1");
        assert_eq!(location_region(&json!("ap-south-1")), "ap-south-1");
    }

    #[test]
    fn read_flattens_the_bucket() {
        let client = FakeClient::new(vec![
            (
                "GetBucketLocation",
                Ok(json!({"LocationConstraint": "eu-west-1"})),
            ),
            (
                "GetBucketTagging",
                Ok(json!({"TagSet": [{"Key": "Env", "Value": "dev"}]})),
            ),
            (
                "GetBucketPolicy",
                Err(("NoSuchBucketPolicy", "The bucket policy does not exist")),
            ),
            (
                "GetObjectLockConfiguration",
                Err(("ObjectLockConfigurationNotFoundError", "none")),
            ),
        ]);
        let state = object([("bucket", string("b")), ("region", string("eu-west-1"))]);
        let read = Bucket::new().read(&client.ctx(), &state).unwrap().unwrap();
        assert_eq!(read.attr("arn").str_opt(), Some("arn:aws:s3:::b"));
        assert_eq!(read.attr("bucket_region").str_opt(), Some("eu-west-1"));
        assert_eq!(
            read.attr("hosted_zone_id").str_opt(),
            Some("Z1BKCTXD74EZPE")
        );
        assert_eq!(
            read.attr("bucket_domain_name").str_opt(),
            Some("b.s3.amazonaws.com")
        );
        assert_eq!(
            read.attr("bucket_regional_domain_name").str_opt(),
            Some("b.s3.eu-west-1.amazonaws.com")
        );
        assert_eq!(read.attr("object_lock_enabled"), &Value::Bool(false));
        assert_eq!(read.attr("policy"), &Value::Null);
        assert_eq!(
            read.attr("tags")
                .string_map()
                .get("Env")
                .map(String::as_str),
            Some("dev")
        );
    }

    #[test]
    fn missing_bucket_reads_as_gone() {
        let client = FakeClient::new(vec![("HeadBucket", Err(("NoSuchBucket", "gone")))]);
        let state = object([("bucket", string("b"))]);
        assert_eq!(Bucket::new().read(&client.ctx(), &state).unwrap(), None);
    }

    #[test]
    fn force_destroy_empties_the_bucket_first() {
        let client = FakeClient::new(vec![
            ("DeleteBucket", Err(("BucketNotEmpty", "not empty"))),
            (
                "ListObjectsV2",
                Ok(json!({"Contents": [{"Key": "a"}, {"Key": "b/c"}], "IsTruncated": false})),
            ),
        ]);
        let state = object([
            ("bucket", string("b")),
            ("force_destroy", Value::Bool(true)),
        ]);
        Bucket::new().delete(&client.ctx(), &state).unwrap();
        assert_eq!(
            client.ops(),
            vec![
                "DeleteBucket",
                "ListObjectsV2",
                "DeleteObject",
                "DeleteObject",
                "DeleteBucket"
            ]
        );
        assert_eq!(
            client.requests("DeleteObject")[1],
            json!({"Bucket": "b", "Key": "b/c"})
        );
    }

    #[test]
    fn non_empty_bucket_without_force_destroy_is_an_error() {
        let client = FakeClient::new(vec![("DeleteBucket", Err(("BucketNotEmpty", "not empty")))]);
        let state = object([
            ("bucket", string("b")),
            ("force_destroy", Value::Bool(false)),
        ]);
        let err = Bucket::new().delete(&client.ctx(), &state).unwrap_err();
        assert!(err[0].summary.contains("BucketNotEmpty"), "{err:?}");
    }

    #[test]
    fn generated_name_retries_when_taken() {
        let client = FakeClient::new(vec![
            ("HeadBucket", Err(("NotFound", "Not Found"))),
            ("HeadBucket", Err(("NotFound", "Not Found"))),
            ("CreateBucket", Err(("BucketAlreadyExists", "taken"))),
        ]);
        let planned = object([
            ("bucket", Value::Unknown),
            ("bucket_prefix", string("logs-")),
            ("region", string("us-east-1")),
            ("tags_all", Value::Map(Default::default())),
        ]);
        let state = Bucket::new().create(&client.ctx(), &planned).unwrap();
        let creates = client.requests("CreateBucket");
        assert_eq!(creates.len(), 2);
        assert_eq!(
            state.attr("bucket").str_opt(),
            Some(generated_name("logs-", "us-east-1", 1).as_str())
        );
    }

    #[test]
    fn generated_names_give_back_their_prefix() {
        let name = generated_name("logs-", "eu-west-1", 3);
        assert_eq!(name_prefix_from_name(&name), Some("logs-"));
        assert_eq!(name_prefix_from_name("ctsim-e2e-main"), None);
        assert_eq!(
            name_prefix_from_name("terraform-abcdefghijklmnopqrstuvwxyz"),
            None
        );
    }

    #[test]
    fn us_east_1_refuses_to_adopt_a_bucket_you_already_own() {
        // HeadBucket answers (the fake's default `{}`): the bucket exists.
        let client = FakeClient::new(vec![]);
        let planned = object([
            ("bucket", string("mine")),
            ("region", string("us-east-1")),
            ("tags_all", Value::Map(Default::default())),
        ]);
        let (_, diags) = Bucket::new().create(&client.ctx(), &planned).unwrap_err();
        assert_eq!(
            diags[0].summary,
            "creating S3 Bucket (mine): BucketAlreadyExists"
        );
        assert!(client.requests("CreateBucket").is_empty());
    }

    #[test]
    fn bucket_names_are_checked_like_hashicorp_aws() {
        assert!(valid_bucket_name("my-bucket.logs", "eu-west-1").is_ok());
        assert!(valid_bucket_name("My_Bucket", "us-east-1").is_ok());
        let too_short = valid_bucket_name("ab", "eu-west-1").unwrap_err();
        assert!(too_short.contains("from 3 to 63 characters"), "{too_short}");
        let upper = valid_bucket_name("My_Bucket", "eu-west-1").unwrap_err();
        assert!(upper.contains("only lowercase alphanumeric"), "{upper}");
        let ip = valid_bucket_name("192.168.5.4", "eu-west-1").unwrap_err();
        assert!(ip.contains("IP address"), "{ip}");
        assert!(valid_bucket_name("a..b", "eu-west-1").is_err());
        assert!(valid_bucket_name("bad name", "us-east-1").is_err());
    }

    #[test]
    fn invalid_names_fail_before_any_call() {
        let client = FakeClient::new(vec![]);
        let planned = object([
            ("bucket", string("Bad_Name")),
            ("region", string("eu-west-1")),
            ("tags_all", Value::Map(Default::default())),
        ]);
        let (_, diags) = Bucket::new().create(&client.ctx(), &planned).unwrap_err();
        assert!(
            diags[0]
                .summary
                .starts_with("validating S3 Bucket (Bad_Name) name: only lowercase"),
            "{diags:?}"
        );
        assert!(client.ops().is_empty());
    }

    #[test]
    fn deprecated_inline_blocks_are_rejected_with_the_replacement() {
        let config = object([(
            "versioning",
            Value::List(vec![object([("enabled", Value::Bool(true))])]),
        )]);
        let diags = Bucket::new().validate(&config);
        assert_eq!(diags.len(), 1);
        assert!(diags[0].detail.contains("aws_s3_bucket_versioning"));
    }
}
