//! aws_s3_bucket_logging: server access logging of a bucket (PutBucketLogging /
//! GetBucketLogging). Destroying sends an empty BucketLoggingStatus, which turns it off.

use serde_json::{Value as Json, json};
use tfplugin6::value::Value;

use super::s3_common::{
    BucketConfig, BucketId, OpError, S3, bucket_config_schema, call, expand_grantee, first,
    flatten_grantee, json_items, json_str, tune_grantee,
};
use crate::diagnostics::{Diag, Diags};
use crate::schema::{Schema, Validator};
use crate::values::{ValueExt, object};

pub const LOG_PERMISSIONS: &[&str] = &["FULL_CONTROL", "READ", "WRITE"];
pub const PARTITION_DATE_SOURCES: &[&str] = &["EventTime", "DeliveryTime"];

pub struct BucketLogging {
    schema: Schema,
}

impl Default for BucketLogging {
    fn default() -> Self {
        Self::new()
    }
}

impl BucketLogging {
    pub fn new() -> Self {
        let schema = bucket_config_schema("aws_s3_bucket_logging", true)
            // enum.Validate[types.BucketLogsPermission]()
            .attr("target_grant.permission", |a| {
                a.validate(Validator::OneOf(LOG_PERMISSIONS))
            })
            // enum.Validate[types.PartitionDateSource]()
            .attr(
                "target_object_key_format.partitioned_prefix.partition_date_source",
                |a| a.validate(Validator::OneOf(PARTITION_DATE_SOURCES)),
            )
            .nested("target_object_key_format.partitioned_prefix", |b| {
                b.conflicts_with(&["simple_prefix"])
            })
            .nested("target_object_key_format.simple_prefix", |b| {
                b.conflicts_with(&["partitioned_prefix"])
            });
        BucketLogging {
            schema: tune_grantee(schema, "target_grant.grantee"),
        }
    }
}

pub fn expand(id: &BucketId, planned: &Value) -> Json {
    let mut enabled = json!({
        "TargetBucket": planned.attr("target_bucket").str_opt(),
        "TargetPrefix": planned.attr("target_prefix").str_opt().unwrap_or(""),
    });
    let grants: Vec<Json> = planned
        .attr("target_grant")
        .items()
        .iter()
        .map(|g| {
            let mut out = json!({"Permission": g.attr("permission").str_opt()});
            if let Some(grantee) = first(g.attr("grantee")) {
                out["Grantee"] = expand_grantee(grantee);
            }
            out
        })
        .collect();
    if !grants.is_empty() {
        enabled["TargetGrants"] = json!(grants);
    }
    if let Some(f) = first(planned.attr("target_object_key_format")) {
        if let Some(p) = first(f.attr("partitioned_prefix")) {
            enabled["TargetObjectKeyFormat"] = json!({"PartitionedPrefix": {
                "PartitionDateSource": p.attr("partition_date_source").str_opt()}});
        } else if first(f.attr("simple_prefix")).is_some() {
            enabled["TargetObjectKeyFormat"] = json!({"SimplePrefix": {}});
        }
    }
    let mut req = id.request();
    req["BucketLoggingStatus"] = json!({"LoggingEnabled": enabled});
    req
}

/// The resource's attributes from LoggingEnabled; None when logging is off.
pub fn flatten(out: &Json) -> Option<Vec<(&'static str, Value)>> {
    let e = &out["LoggingEnabled"];
    if !e.is_object() {
        return None;
    }
    let grants: Vec<Value> = json_items(&e["TargetGrants"])
        .iter()
        .map(|g| {
            object([
                ("grantee", Value::List(vec![flatten_grantee(&g["Grantee"])])),
                ("permission", json_str(&g["Permission"])),
            ])
        })
        .collect();
    let format = &e["TargetObjectKeyFormat"];
    let key_format = if format.is_object() {
        let partitioned = if format["PartitionedPrefix"].is_object() {
            vec![object([(
                "partition_date_source",
                json_str(&format["PartitionedPrefix"]["PartitionDateSource"]),
            )])]
        } else {
            vec![]
        };
        let simple = if format["SimplePrefix"].is_object() {
            vec![object([])]
        } else {
            vec![]
        };
        vec![object([
            ("partitioned_prefix", Value::List(partitioned)),
            ("simple_prefix", Value::List(simple)),
        ])]
    } else {
        vec![]
    };
    Some(vec![
        ("target_bucket", json_str(&e["TargetBucket"])),
        (
            "target_prefix",
            Value::String(e["TargetPrefix"].as_str().unwrap_or("").to_string()),
        ),
        ("target_grant", Value::Set(grants)),
        ("target_object_key_format", Value::List(key_format)),
    ])
}

impl BucketConfig for BucketLogging {
    fn type_name(&self) -> &'static str {
        "aws_s3_bucket_logging"
    }
    fn what(&self) -> &'static str {
        "S3 Bucket Logging"
    }
    fn schema(&self) -> &Schema {
        &self.schema
    }
    fn validate(&self, config: &Value) -> Diags {
        let mut diags = Vec::new();
        if let Some(f) = first(config.attr("target_object_key_format"))
            && f.attr("partitioned_prefix").is_null_or_empty()
            && f.attr("simple_prefix").is_null_or_empty()
        {
            diags.push(Diag::error("Invalid combination of arguments").detail(
                "\"target_object_key_format\": one of `partitioned_prefix,simple_prefix` must be specified",
            ));
        }
        diags
    }
    fn gone_codes(&self) -> &'static [&'static str] {
        &[]
    }
    fn put(
        &self,
        ctx: &super::Ctx,
        region: &str,
        id: &BucketId,
        _prior: &Value,
        planned: &Value,
    ) -> Result<(), OpError> {
        call(ctx, region, S3, "PutBucketLogging", expand(id, planned)).map(|_| ())
    }
    fn get(
        &self,
        ctx: &super::Ctx,
        region: &str,
        id: &BucketId,
        _state: &Value,
    ) -> Result<Option<super::s3_common::Fields>, OpError> {
        let out = call(ctx, region, S3, "GetBucketLogging", id.request())?;
        Ok(flatten(&out))
    }
    fn remove(
        &self,
        ctx: &super::Ctx,
        region: &str,
        id: &BucketId,
        _state: &Value,
    ) -> Result<(), OpError> {
        let mut req = id.request();
        req["BucketLoggingStatus"] = json!({});
        call(ctx, region, S3, "PutBucketLogging", req).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::string;

    #[test]
    fn schema_has_the_hashicorp_aws_attributes() {
        let r = BucketLogging::new();
        for a in [
            "id",
            "bucket",
            "expected_bucket_owner",
            "target_bucket",
            "target_prefix",
            "region",
        ] {
            assert!(r.schema.block.attribute(a).is_some(), "{a}");
        }
        assert!(r.schema.block.block("target_grant").is_some());
        assert!(r.schema.block.block("target_object_key_format").is_some());
    }

    #[test]
    fn request_translation_and_flattening() {
        let planned = object([
            ("target_bucket", string("logs")),
            ("target_prefix", string("log/")),
            ("target_grant", Value::Set(vec![])),
            (
                "target_object_key_format",
                Value::List(vec![object([
                    (
                        "partitioned_prefix",
                        Value::List(vec![object([(
                            "partition_date_source",
                            string("EventTime"),
                        )])]),
                    ),
                    ("simple_prefix", Value::List(vec![])),
                ])]),
            ),
        ]);
        let id = BucketId::parse("b").unwrap();
        let req = expand(&id, &planned);
        assert_eq!(
            req,
            json!({"Bucket": "b", "BucketLoggingStatus": {"LoggingEnabled": {
                "TargetBucket": "logs", "TargetPrefix": "log/",
                "TargetObjectKeyFormat": {"PartitionedPrefix": {"PartitionDateSource": "EventTime"}}}}})
        );
        let fields = flatten(&req["BucketLoggingStatus"]).unwrap();
        for (k, v) in fields {
            assert_eq!(&v, planned.attr(k), "{k}");
        }
    }

    #[test]
    fn logging_off_reads_as_gone() {
        assert!(flatten(&json!({})).is_none());
    }
}
