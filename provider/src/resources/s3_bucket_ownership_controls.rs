//! aws_s3_bucket_ownership_controls: a bucket's object ownership rule
//! (PutBucketOwnershipControls / GetBucketOwnershipControls / DeleteBucketOwnershipControls).

use serde_json::{Value as Json, json};
use tfplugin6::value::Value;

use super::s3_common::{
    BucketConfig, BucketId, OpError, S3, bucket_config_schema, call, first, json_items, json_str,
};
use crate::schema::{Schema, Validator};
use crate::values::{ValueExt, object};

pub const OBJECT_OWNERSHIP: &[&str] = &[
    "BucketOwnerPreferred",
    "ObjectWriter",
    "BucketOwnerEnforced",
];

pub struct OwnershipControls {
    schema: Schema,
}

impl Default for OwnershipControls {
    fn default() -> Self {
        Self::new()
    }
}

impl OwnershipControls {
    pub fn new() -> Self {
        OwnershipControls {
            schema: bucket_config_schema("aws_s3_bucket_ownership_controls", false)
                // enum.Validate[types.ObjectOwnership]()
                .attr("rule.object_ownership", |a| {
                    a.validate(Validator::OneOf(OBJECT_OWNERSHIP))
                }),
        }
    }
}

pub fn expand(bucket: &str, planned: &Value) -> Json {
    let rules: Vec<Json> = planned
        .attr("rule")
        .items()
        .iter()
        .map(|r| json!({"ObjectOwnership": r.attr("object_ownership").str_opt()}))
        .collect();
    json!({"Bucket": bucket, "OwnershipControls": {"Rules": rules}})
}

pub fn flatten(out: &Json) -> Value {
    Value::List(
        json_items(&out["OwnershipControls"]["Rules"])
            .iter()
            .map(|r| object([("object_ownership", json_str(&r["ObjectOwnership"]))]))
            .collect(),
    )
}

impl BucketConfig for OwnershipControls {
    fn type_name(&self) -> &'static str {
        "aws_s3_bucket_ownership_controls"
    }
    fn what(&self) -> &'static str {
        "S3 Bucket Ownership Controls"
    }
    fn schema(&self) -> &Schema {
        &self.schema
    }
    fn gone_codes(&self) -> &'static [&'static str] {
        &["OwnershipControlsNotFoundError"]
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
            "PutBucketOwnershipControls",
            expand(&id.bucket, planned),
        )
        .map(|_| ())
    }
    fn get(
        &self,
        ctx: &super::Ctx,
        region: &str,
        id: &BucketId,
        _state: &Value,
    ) -> Result<Option<super::s3_common::Fields>, OpError> {
        let out = call(
            ctx,
            region,
            S3,
            "GetBucketOwnershipControls",
            json!({"Bucket": id.bucket}),
        )?;
        let rule = flatten(&out);
        if first(&rule).is_none() {
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
        call(
            ctx,
            region,
            S3,
            "DeleteBucketOwnershipControls",
            json!({"Bucket": id.bucket}),
        )
        .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::string;

    #[test]
    fn schema_has_one_required_rule() {
        let r = OwnershipControls::new();
        let rule = r.schema.block.block("rule").expect("rule");
        assert_eq!((rule.min_items, rule.max_items), (1, 1));
        assert!(rule.block.attribute("object_ownership").unwrap().required);
    }

    #[test]
    fn request_and_response_round_trip() {
        let planned = object([(
            "rule",
            Value::List(vec![object([(
                "object_ownership",
                string("BucketOwnerEnforced"),
            )])]),
        )]);
        let req = expand("b", &planned);
        assert_eq!(
            req,
            json!({"Bucket": "b", "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}})
        );
        let out = json!({"OwnershipControls": req["OwnershipControls"].clone()});
        assert_eq!(flatten(&out), planned.attr("rule").clone());
    }
}
