//! aws_s3_bucket_server_side_encryption_configuration: a bucket's default encryption
//! (PutBucketEncryption / GetBucketEncryption / DeleteBucketEncryption).

use serde_json::{Value as Json, json};
use tfplugin6::value::Value;

use super::s3_common::{
    BucketConfig, BucketId, OpError, S3, bucket_config_schema, call, first, json_bool, json_items,
    json_str,
};
use crate::schema::{Schema, Validator};
use crate::values::{ValueExt, object};

pub const SSE_ALGORITHMS: &[&str] = &["AES256", "aws:kms", "aws:kms:dsse"];

pub struct ServerSideEncryption {
    schema: Schema,
}

impl Default for ServerSideEncryption {
    fn default() -> Self {
        Self::new()
    }
}

impl ServerSideEncryption {
    pub fn new() -> Self {
        ServerSideEncryption {
            schema: bucket_config_schema(
                "aws_s3_bucket_server_side_encryption_configuration",
                true,
            )
            // enum.Validate[types.ServerSideEncryption]()
            .attr(
                "rule.apply_server_side_encryption_by_default.sse_algorithm",
                |a| a.validate(Validator::OneOf(SSE_ALGORITHMS)),
            ),
        }
    }
}

pub fn expand(id: &BucketId, planned: &Value) -> Json {
    let rules: Vec<Json> = planned
        .attr("rule")
        .items()
        .iter()
        .map(|r| {
            let mut rule = json!({});
            if let Some(d) = first(r.attr("apply_server_side_encryption_by_default")) {
                let mut by_default = json!({"SSEAlgorithm": d.attr("sse_algorithm").str_opt()});
                if let Some(k) = d
                    .attr("kms_master_key_id")
                    .str_opt()
                    .filter(|s| !s.is_empty())
                {
                    by_default["KMSMasterKeyID"] = json!(k);
                }
                rule["ApplyServerSideEncryptionByDefault"] = by_default;
            }
            if let Some(b) = r.attr("bucket_key_enabled").bool_opt() {
                rule["BucketKeyEnabled"] = json!(b);
            }
            rule
        })
        .collect();
    let mut req = id.request();
    req["ServerSideEncryptionConfiguration"] = json!({"Rules": rules});
    req
}

pub fn flatten(out: &Json) -> Value {
    Value::Set(
        json_items(&out["ServerSideEncryptionConfiguration"]["Rules"])
            .iter()
            .map(|r| {
                let d = &r["ApplyServerSideEncryptionByDefault"];
                let by_default = if d.is_object() {
                    vec![object([
                        ("kms_master_key_id", json_str(&d["KMSMasterKeyID"])),
                        ("sse_algorithm", json_str(&d["SSEAlgorithm"])),
                    ])]
                } else {
                    vec![]
                };
                object([
                    (
                        "apply_server_side_encryption_by_default",
                        Value::List(by_default),
                    ),
                    ("bucket_key_enabled", json_bool(&r["BucketKeyEnabled"])),
                ])
            })
            .collect(),
    )
}

impl BucketConfig for ServerSideEncryption {
    fn type_name(&self) -> &'static str {
        "aws_s3_bucket_server_side_encryption_configuration"
    }
    fn what(&self) -> &'static str {
        "S3 Bucket Server-side Encryption Configuration"
    }
    fn schema(&self) -> &Schema {
        &self.schema
    }
    fn gone_codes(&self) -> &'static [&'static str] {
        &["ServerSideEncryptionConfigurationNotFoundError"]
    }
    fn put(
        &self,
        ctx: &super::Ctx,
        region: &str,
        id: &BucketId,
        _prior: &Value,
        planned: &Value,
    ) -> Result<(), OpError> {
        call(ctx, region, S3, "PutBucketEncryption", expand(id, planned)).map(|_| ())
    }
    fn get(
        &self,
        ctx: &super::Ctx,
        region: &str,
        id: &BucketId,
        _state: &Value,
    ) -> Result<Option<super::s3_common::Fields>, OpError> {
        let out = call(ctx, region, S3, "GetBucketEncryption", id.request())?;
        let rule = flatten(&out);
        if rule.items().is_empty() {
            return Ok(None);
        }
        Ok(Some(vec![("rule", rule)]))
    }
    fn remove(
        &self,
        ctx: &super::Ctx,
        region: &str,
        id: &BucketId,
        _state: &Value,
    ) -> Result<(), OpError> {
        call(ctx, region, S3, "DeleteBucketEncryption", id.request()).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::string;

    fn kms_rule() -> Value {
        object([
            (
                "apply_server_side_encryption_by_default",
                Value::List(vec![object([
                    ("kms_master_key_id", string("alias/k")),
                    ("sse_algorithm", string("aws:kms")),
                ])]),
            ),
            ("bucket_key_enabled", Value::Bool(true)),
        ])
    }

    #[test]
    fn schema_rule_is_a_required_set() {
        let r = ServerSideEncryption::new();
        let rule = r.schema.block.block("rule").unwrap();
        assert_eq!(rule.nesting, crate::schema::Nesting::Set);
        assert_eq!(rule.min_items, 1);
        assert!(r.schema.block.attribute("expected_bucket_owner").is_some());
    }

    #[test]
    fn request_translation() {
        let planned = object([("rule", Value::Set(vec![kms_rule()]))]);
        let id = BucketId::parse("b").unwrap();
        assert_eq!(
            expand(&id, &planned),
            json!({"Bucket": "b", "ServerSideEncryptionConfiguration": {"Rules": [{
                "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/k"},
                "BucketKeyEnabled": true}]}})
        );
    }

    #[test]
    fn response_flattening() {
        let out = json!({"ServerSideEncryptionConfiguration": {"Rules": [{
            "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/k"},
            "BucketKeyEnabled": true}]}});
        assert_eq!(flatten(&out), Value::Set(vec![kms_rule()]));
    }
}
