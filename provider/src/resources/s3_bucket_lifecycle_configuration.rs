//! aws_s3_bucket_lifecycle_configuration: a bucket's lifecycle rules
//! (PutBucketLifecycleConfiguration / GetBucketLifecycleConfiguration /
//! DeleteBucketLifecycle). The schema is hashicorp/aws's plugin-framework one (state version
//! 1, `id` computed only, `expected_bucket_owner` and many nested numbers optional+computed).
//! Members S3 does not return read back as null, so they never show as changes.

use serde_json::{Value as Json, json};
use tfplugin6::value::Value;

use super::s3_common::{
    BucketConfig, BucketId, OpError, S3, bucket_config_schema, call, first, int_at_least_problem,
    int_of, json_bool, json_items, json_num, json_str, tag_list, tags_from_list,
};
use crate::diagnostics::{Diag, Diags};
use crate::schema::{Schema, Validator};
use crate::values::{ValueExt, object, string, string_map};

pub const RULE_STATUS: &[&str] = &["Enabled", "Disabled"];
pub const TRANSITION_STORAGE_CLASSES: &[&str] = &[
    "GLACIER",
    "STANDARD_IA",
    "ONEZONE_IA",
    "INTELLIGENT_TIERING",
    "DEEP_ARCHIVE",
    "GLACIER_IR",
];
pub const MINIMUM_OBJECT_SIZES: &[&str] = &["varies_by_storage_class", "all_storage_classes_128K"];
/// What S3 applies when no TransitionDefaultMinimumObjectSize is sent.
pub const DEFAULT_MINIMUM_OBJECT_SIZE: &str = "all_storage_classes_128K";

pub struct LifecycleConfiguration {
    schema: Schema,
}

impl Default for LifecycleConfiguration {
    fn default() -> Self {
        Self::new()
    }
}

impl LifecycleConfiguration {
    pub fn new() -> Self {
        let storage_classes = [
            "rule.noncurrent_version_transition.storage_class",
            "rule.transition.storage_class",
        ];
        LifecycleConfiguration {
            schema: bucket_config_schema("aws_s3_bucket_lifecycle_configuration", true)
                // enum.Validate[types.TransitionDefaultMinimumObjectSize]()
                .attr("transition_default_minimum_object_size", |a| {
                    a.validate(Validator::OneOf(MINIMUM_OBJECT_SIZES))
                })
                // validation.StringLenBetween(1, 255)
                .attr("rule.id", |a| a.validate(Validator::LenBetween(1, 255)))
                // validation.StringInSlice(lifecycleRuleStatus_Values(), false)
                .attr("rule.status", |a| a.validate(Validator::OneOf(RULE_STATUS)))
                // enum.Validate[types.TransitionStorageClass]()
                .attrs(&storage_classes, |a| {
                    a.validate(Validator::OneOf(TRANSITION_STORAGE_CLASSES))
                }),
        }
    }
}

fn put_num(out: &mut Json, key: &str, v: &Value) {
    if let Some(n) = int_of(v) {
        out[key] = json!(n);
    }
}

fn expand_filter(f: &Value) -> Json {
    let mut out = json!({});
    if let Some(a) = first(f.attr("and")) {
        let mut and = json!({});
        if let Some(p) = a.attr("prefix").str_opt() {
            and["Prefix"] = json!(p);
        }
        for (tf, aws) in [
            ("object_size_greater_than", "ObjectSizeGreaterThan"),
            ("object_size_less_than", "ObjectSizeLessThan"),
        ] {
            if int_of(a.attr(tf)).is_some_and(|n| n > 0) {
                put_num(&mut and, aws, a.attr(tf));
            }
        }
        let tags = a.attr("tags").string_map();
        if !tags.is_empty() {
            and["Tags"] = tag_list(&tags);
        }
        out["And"] = and;
        return out;
    }
    if let Some(t) = first(f.attr("tag")) {
        out["Tag"] = json!({"Key": t.attr("key").str_opt(), "Value": t.attr("value").str_opt()});
        return out;
    }
    if let Some(n) = int_of(f.attr("object_size_greater_than")).filter(|n| *n > 0) {
        out["ObjectSizeGreaterThan"] = json!(n);
        return out;
    }
    if let Some(n) = int_of(f.attr("object_size_less_than")).filter(|n| *n > 0) {
        out["ObjectSizeLessThan"] = json!(n);
        return out;
    }
    if let Some(p) = f.attr("prefix").str_opt() {
        out["Prefix"] = json!(p);
    }
    out
}

fn expand_rule(r: &Value) -> Json {
    let mut out = json!({"ID": r.attr("id").str_opt(), "Status": r.attr("status").str_opt()});
    if let Some(a) = first(r.attr("abort_incomplete_multipart_upload")) {
        let mut abort = json!({});
        put_num(
            &mut abort,
            "DaysAfterInitiation",
            a.attr("days_after_initiation"),
        );
        out["AbortIncompleteMultipartUpload"] = abort;
    }
    if let Some(e) = first(r.attr("expiration")) {
        let mut exp = json!({});
        if let Some(d) = e.attr("date").str_opt().filter(|s| !s.is_empty()) {
            exp["Date"] = json!(d);
        }
        if int_of(e.attr("days")).is_some_and(|n| n > 0) {
            put_num(&mut exp, "Days", e.attr("days"));
        }
        if e.attr("expired_object_delete_marker").bool_opt() == Some(true) {
            exp["ExpiredObjectDeleteMarker"] = json!(true);
        } else if exp.get("Date").is_none() && exp.get("Days").is_none() {
            // An expiration block with neither date nor days: hashicorp/aws sends the
            // marker's value (false when unset), which S3 accepts as "no expiration".
            exp["ExpiredObjectDeleteMarker"] = json!(false);
        }
        out["Expiration"] = exp;
    }
    match first(r.attr("filter")) {
        Some(f) => out["Filter"] = expand_filter(f),
        None => match r.attr("prefix").str_opt() {
            Some(p) => out["Prefix"] = json!(p),
            // Neither: S3 wants a filter; an empty one applies the rule to every object.
            None => out["Filter"] = json!({}),
        },
    }
    if let Some(n) = first(r.attr("noncurrent_version_expiration")) {
        let mut nve = json!({});
        put_num(&mut nve, "NoncurrentDays", n.attr("noncurrent_days"));
        put_num(
            &mut nve,
            "NewerNoncurrentVersions",
            n.attr("newer_noncurrent_versions"),
        );
        out["NoncurrentVersionExpiration"] = nve;
    }
    let nvt: Vec<Json> = r
        .attr("noncurrent_version_transition")
        .items()
        .iter()
        .map(|t| {
            let mut o = json!({"StorageClass": t.attr("storage_class").str_opt()});
            put_num(&mut o, "NoncurrentDays", t.attr("noncurrent_days"));
            put_num(
                &mut o,
                "NewerNoncurrentVersions",
                t.attr("newer_noncurrent_versions"),
            );
            o
        })
        .collect();
    if !nvt.is_empty() {
        out["NoncurrentVersionTransitions"] = json!(nvt);
    }
    let transitions: Vec<Json> = r
        .attr("transition")
        .items()
        .iter()
        .map(|t| {
            let mut o = json!({"StorageClass": t.attr("storage_class").str_opt()});
            if let Some(d) = t.attr("date").str_opt().filter(|s| !s.is_empty()) {
                o["Date"] = json!(d);
            } else {
                // Days 0 is meaningful for a transition (move at once).
                put_num(&mut o, "Days", t.attr("days"));
            }
            o
        })
        .collect();
    if !transitions.is_empty() {
        out["Transitions"] = json!(transitions);
    }
    out
}

/// The PutBucketLifecycleConfiguration request for a planned value.
pub fn expand(id: &BucketId, planned: &Value) -> Json {
    let rules: Vec<Json> = planned
        .attr("rule")
        .items()
        .iter()
        .map(expand_rule)
        .collect();
    let mut req = id.request();
    req["LifecycleConfiguration"] = json!({"Rules": rules});
    if let Some(s) = planned
        .attr("transition_default_minimum_object_size")
        .str_opt()
        .filter(|s| !s.is_empty())
    {
        req["TransitionDefaultMinimumObjectSize"] = json!(s);
    }
    req
}

/// A lifecycle date: RFC 3339 text as sent, or epoch seconds as the JSON protocols return
/// timestamps.
fn json_date(v: &Json) -> Value {
    match v {
        Json::Number(n) => n
            .as_f64()
            .and_then(ctsim::clock::from_epoch_seconds)
            .map(|t| string(ctsim::clock::iso_seconds(t)))
            .unwrap_or(Value::Null),
        other => json_str(other),
    }
}

fn flatten_filter(f: &Json) -> Value {
    let and = if f["And"].is_object() {
        let a = &f["And"];
        let tags = tags_from_list(&a["Tags"]);
        vec![object([
            (
                "object_size_greater_than",
                json_num(&a["ObjectSizeGreaterThan"]),
            ),
            ("object_size_less_than", json_num(&a["ObjectSizeLessThan"])),
            ("prefix", json_str(&a["Prefix"])),
            (
                "tags",
                if tags.is_empty() {
                    Value::Null
                } else {
                    string_map(&tags)
                },
            ),
        ])]
    } else {
        vec![]
    };
    let tag = if f["Tag"].is_object() {
        vec![object([
            ("key", json_str(&f["Tag"]["Key"])),
            (
                "value",
                Value::String(f["Tag"]["Value"].as_str().unwrap_or("").to_string()),
            ),
        ])]
    } else {
        vec![]
    };
    object([
        ("and", Value::List(and)),
        (
            "object_size_greater_than",
            json_num(&f["ObjectSizeGreaterThan"]),
        ),
        ("object_size_less_than", json_num(&f["ObjectSizeLessThan"])),
        ("prefix", json_str(&f["Prefix"])),
        ("tag", Value::List(tag)),
    ])
}

fn is_empty_filter(f: &Json) -> bool {
    f.as_object()
        .is_none_or(|m| m.iter().all(|(_, v)| v.is_null() || v.as_str() == Some("")))
}

fn flatten_rule(r: &Json, prior: &Value) -> Value {
    let one = |v: Value| Value::List(vec![v]);
    let abort = if r["AbortIncompleteMultipartUpload"].is_object() {
        one(object([(
            "days_after_initiation",
            json_num(&r["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"]),
        )]))
    } else {
        Value::List(vec![])
    };
    let expiration = if r["Expiration"].is_object() {
        let e = &r["Expiration"];
        one(object([
            ("date", json_date(&e["Date"])),
            ("days", json_num(&e["Days"])),
            (
                "expired_object_delete_marker",
                json_bool(&e["ExpiredObjectDeleteMarker"]),
            ),
        ]))
    } else {
        Value::List(vec![])
    };
    // An empty filter sent for a rule configured without one reads back as no filter.
    let filter = if r["Filter"].is_object()
        && !(is_empty_filter(&r["Filter"])
            && prior.attr("filter").is_null_or_empty()
            && !matches!(prior, Value::Null))
    {
        one(flatten_filter(&r["Filter"]))
    } else {
        Value::List(vec![])
    };
    let nve = if r["NoncurrentVersionExpiration"].is_object() {
        let n = &r["NoncurrentVersionExpiration"];
        one(object([
            (
                "newer_noncurrent_versions",
                json_num(&n["NewerNoncurrentVersions"]),
            ),
            ("noncurrent_days", json_num(&n["NoncurrentDays"])),
        ]))
    } else {
        Value::List(vec![])
    };
    let nvt = Value::Set(
        json_items(&r["NoncurrentVersionTransitions"])
            .iter()
            .map(|t| {
                object([
                    (
                        "newer_noncurrent_versions",
                        json_num(&t["NewerNoncurrentVersions"]),
                    ),
                    ("noncurrent_days", json_num(&t["NoncurrentDays"])),
                    ("storage_class", json_str(&t["StorageClass"])),
                ])
            })
            .collect(),
    );
    let transitions = Value::Set(
        json_items(&r["Transitions"])
            .iter()
            .map(|t| {
                object([
                    ("date", json_date(&t["Date"])),
                    ("days", json_num(&t["Days"])),
                    ("storage_class", json_str(&t["StorageClass"])),
                ])
            })
            .collect(),
    );
    object([
        ("abort_incomplete_multipart_upload", abort),
        ("expiration", expiration),
        ("filter", filter),
        ("id", json_str(&r["ID"])),
        ("noncurrent_version_expiration", nve),
        ("noncurrent_version_transition", nvt),
        ("prefix", json_str(&r["Prefix"])),
        ("status", json_str(&r["Status"])),
        ("transition", transitions),
    ])
}

/// The resource's `rule` and `transition_default_minimum_object_size` from
/// GetBucketLifecycleConfiguration, with `state` telling which rules had no filter.
pub fn flatten(out: &Json, state: &Value) -> Vec<(&'static str, Value)> {
    let prior_rules = state.attr("rule").items();
    let rules: Vec<Value> = json_items(&out["Rules"])
        .iter()
        .enumerate()
        .map(|(i, r)| flatten_rule(r, prior_rules.get(i).unwrap_or(&Value::Null)))
        .collect();
    let min_size = out["TransitionDefaultMinimumObjectSize"]
        .as_str()
        .filter(|s| !s.is_empty())
        .unwrap_or(DEFAULT_MINIMUM_OBJECT_SIZE);
    vec![
        ("rule", Value::List(rules)),
        ("transition_default_minimum_object_size", string(min_size)),
    ]
}

impl BucketConfig for LifecycleConfiguration {
    fn type_name(&self) -> &'static str {
        "aws_s3_bucket_lifecycle_configuration"
    }
    fn what(&self) -> &'static str {
        "S3 Bucket Lifecycle Configuration"
    }
    fn schema(&self) -> &Schema {
        &self.schema
    }
    fn validate(&self, config: &Value) -> Diags {
        let mut diags = Vec::new();
        let rules = config.attr("rule");
        if !rules.is_unknown() && rules.items().is_empty() {
            diags.push(
                Diag::error("Invalid Block")
                    .detail("Attribute rule must contain at least 1 elements, got: 0"),
            );
        }
        for r in rules.items() {
            for e in r.attr("expiration").items() {
                diags.extend(int_at_least_problem("days", e.attr("days"), 0));
            }
            for n in r.attr("noncurrent_version_expiration").items() {
                diags.extend(int_at_least_problem(
                    "noncurrent_days",
                    n.attr("noncurrent_days"),
                    1,
                ));
                diags.extend(int_at_least_problem(
                    "newer_noncurrent_versions",
                    n.attr("newer_noncurrent_versions"),
                    1,
                ));
            }
            for t in r.attr("transition").items() {
                diags.extend(int_at_least_problem("days", t.attr("days"), 0));
                if !matches!(t.attr("date"), Value::Null) && !matches!(t.attr("days"), Value::Null)
                {
                    diags.push(Diag::error("Invalid Attribute Combination").detail(
                        "Attribute \"rule[*].transition[*].days\" cannot be specified when \"rule[*].transition[*].date\" is specified",
                    ));
                }
            }
        }
        diags
    }
    fn gone_codes(&self) -> &'static [&'static str] {
        &["NoSuchLifecycleConfiguration"]
    }
    fn put(
        &self,
        ctx: &super::Ctx,
        region: &str,
        id: &BucketId,
        _prior: &Value,
        planned: &Value,
    ) -> Result<(), OpError> {
        call(
            ctx,
            region,
            S3,
            "PutBucketLifecycleConfiguration",
            expand(id, planned),
        )
        .map(|_| ())
    }
    fn get(
        &self,
        ctx: &super::Ctx,
        region: &str,
        id: &BucketId,
        state: &Value,
    ) -> Result<Option<super::s3_common::Fields>, OpError> {
        let out = call(
            ctx,
            region,
            S3,
            "GetBucketLifecycleConfiguration",
            id.request(),
        )?;
        if json_items(&out["Rules"]).is_empty() {
            return Ok(None);
        }
        Ok(Some(flatten(&out, state)))
    }
    fn remove(
        &self,
        ctx: &super::Ctx,
        region: &str,
        id: &BucketId,
        _state: &Value,
    ) -> Result<(), OpError> {
        call(ctx, region, S3, "DeleteBucketLifecycle", id.request()).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::Resource;
    use crate::resources::s3_common::BucketConfigResource;
    use crate::resources::s3_common::testing::FakeClient;

    fn rule_with_filter_and_expiration() -> Value {
        object([
            ("abort_incomplete_multipart_upload", Value::List(vec![])),
            (
                "expiration",
                Value::List(vec![object([
                    ("date", Value::Null),
                    ("days", Value::Number(90.0)),
                    ("expired_object_delete_marker", Value::Unknown),
                ])]),
            ),
            (
                "filter",
                Value::List(vec![object([
                    ("and", Value::List(vec![])),
                    ("object_size_greater_than", Value::Unknown),
                    ("object_size_less_than", Value::Unknown),
                    ("prefix", string("logs/")),
                    ("tag", Value::List(vec![])),
                ])]),
            ),
            ("id", string("expire-logs")),
            ("noncurrent_version_expiration", Value::List(vec![])),
            ("noncurrent_version_transition", Value::Set(vec![])),
            ("prefix", Value::Unknown),
            ("status", string("Enabled")),
            (
                "transition",
                Value::Set(vec![object([
                    ("date", Value::Null),
                    ("days", Value::Number(30.0)),
                    ("storage_class", string("STANDARD_IA")),
                ])]),
            ),
        ])
    }

    #[test]
    fn schema_follows_the_framework_resource() {
        let r = LifecycleConfiguration::new();
        assert_eq!(r.schema.version, 1);
        let id = r.schema.block.attribute("id").unwrap();
        assert!(id.computed && !id.optional);
        let owner = r.schema.block.attribute("expected_bucket_owner").unwrap();
        assert!(owner.optional && owner.computed && owner.force_new);
        assert!(
            r.schema
                .block
                .attribute("transition_default_minimum_object_size")
                .is_some()
        );
        let rule = &r.schema.block.block("rule").unwrap().block;
        for b in [
            "abort_incomplete_multipart_upload",
            "expiration",
            "filter",
            "noncurrent_version_expiration",
            "noncurrent_version_transition",
            "transition",
        ] {
            assert!(rule.block(b).is_some(), "{b}");
        }
    }

    #[test]
    fn request_translation() {
        let planned = object([("rule", Value::List(vec![rule_with_filter_and_expiration()]))]);
        let id = BucketId::parse("b").unwrap();
        assert_eq!(
            expand(&id, &planned),
            json!({"Bucket": "b", "LifecycleConfiguration": {"Rules": [{
                "ID": "expire-logs", "Status": "Enabled",
                "Expiration": {"Days": 90},
                "Filter": {"Prefix": "logs/"},
                "Transitions": [{"StorageClass": "STANDARD_IA", "Days": 30}]}]}})
        );
    }

    #[test]
    fn create_reads_back_known_values_for_every_computed_member() {
        let planned = object([
            ("bucket", string("b")),
            ("expected_bucket_owner", Value::Unknown),
            ("id", Value::Unknown),
            ("region", string("us-east-1")),
            ("rule", Value::List(vec![rule_with_filter_and_expiration()])),
            ("transition_default_minimum_object_size", Value::Unknown),
        ]);
        let id = BucketId::parse("b").unwrap();
        let sent = expand(&id, &planned);
        let client = FakeClient::new(vec![(
            "GetBucketLifecycleConfiguration",
            Ok(sent["LifecycleConfiguration"].clone()),
        )]);
        let r = BucketConfigResource(LifecycleConfiguration::new());
        let state = r.create(&client.ctx(), &planned).unwrap();
        use crate::values::ValueExt as _;
        assert!(state.is_wholly_known(), "{state:?}");
        assert_eq!(
            state
                .attr("transition_default_minimum_object_size")
                .str_opt(),
            Some(DEFAULT_MINIMUM_OBJECT_SIZE)
        );
        let rule = &state.attr("rule").items()[0];
        assert_eq!(
            rule.attr("expiration").items()[0].attr("days"),
            &Value::Number(90.0)
        );
        assert_eq!(
            rule.attr("filter").items()[0].attr("prefix").str_opt(),
            Some("logs/")
        );
    }

    #[test]
    fn rule_without_filter_sends_an_empty_filter_and_reads_none() {
        let mut rule = rule_with_filter_and_expiration();
        crate::values::set_attr(&mut rule, "filter", Value::List(vec![]));
        crate::values::set_attr(&mut rule, "prefix", Value::Null);
        let sent = expand_rule(&rule);
        assert_eq!(sent["Filter"], json!({}));
        let read = flatten_rule(&sent, &rule);
        assert!(read.attr("filter").items().is_empty());
    }

    #[test]
    fn epoch_dates_read_back_as_rfc3339() {
        assert_eq!(
            json_date(&json!(1704067200.0)),
            string("2024-01-01T00:00:00Z")
        );
        assert_eq!(
            json_date(&json!("2024-01-01T00:00:00Z")),
            string("2024-01-01T00:00:00Z")
        );
    }
}
