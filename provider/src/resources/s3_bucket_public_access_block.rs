//! aws_s3_bucket_public_access_block: the four public-access switches of one bucket
//! (PutPublicAccessBlock / GetPublicAccessBlock / DeletePublicAccessBlock). ID: the bucket.

use serde_json::{Value as Json, json};
use tfplugin6::value::Value;

use super::s3_common::{BucketConfig, BucketId, OpError, S3, bucket_config_schema, call};
use crate::schema::Schema;
use crate::values::ValueExt;

/// (Terraform attribute, PublicAccessBlockConfiguration member).
pub const SWITCHES: [(&str, &str); 4] = [
    ("block_public_acls", "BlockPublicAcls"),
    ("block_public_policy", "BlockPublicPolicy"),
    ("ignore_public_acls", "IgnorePublicAcls"),
    ("restrict_public_buckets", "RestrictPublicBuckets"),
];

pub struct PublicAccessBlock {
    schema: Schema,
}

impl Default for PublicAccessBlock {
    fn default() -> Self {
        Self::new()
    }
}

impl PublicAccessBlock {
    pub fn new() -> Self {
        let switches: Vec<&str> = SWITCHES.iter().map(|(tf, _)| *tf).collect();
        PublicAccessBlock {
            schema: bucket_config_schema("aws_s3_bucket_public_access_block", false)
                .attrs(&switches, |a| a.default(Value::Bool(false))),
        }
    }
}

/// The PutPublicAccessBlock request for a planned value.
pub fn expand(bucket: &str, planned: &Value) -> Json {
    let mut config = json!({});
    for (tf, aws) in SWITCHES {
        config[aws] = json!(planned.attr(tf).bool_opt().unwrap_or(false));
    }
    json!({"Bucket": bucket, "PublicAccessBlockConfiguration": config})
}

pub fn flatten(out: &Json) -> Vec<(&'static str, Value)> {
    let config = &out["PublicAccessBlockConfiguration"];
    SWITCHES
        .iter()
        .map(|(tf, aws)| (*tf, Value::Bool(config[*aws].as_bool().unwrap_or(false))))
        .collect()
}

impl BucketConfig for PublicAccessBlock {
    fn type_name(&self) -> &'static str {
        "aws_s3_bucket_public_access_block"
    }
    fn what(&self) -> &'static str {
        "S3 Bucket Public Access Block"
    }
    fn schema(&self) -> &Schema {
        &self.schema
    }
    fn gone_codes(&self) -> &'static [&'static str] {
        &["NoSuchPublicAccessBlockConfiguration"]
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
            "PutPublicAccessBlock",
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
            "GetPublicAccessBlock",
            json!({"Bucket": id.bucket}),
        )?;
        if out["PublicAccessBlockConfiguration"].is_null() {
            return Ok(None);
        }
        Ok(Some(flatten(&out)))
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
            "DeletePublicAccessBlock",
            json!({"Bucket": id.bucket}),
        )
        .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::{object, string};

    #[test]
    fn schema_has_the_hashicorp_aws_attributes_with_false_defaults() {
        let r = PublicAccessBlock::new();
        for (tf, _) in SWITCHES {
            let a = r.schema.block.attribute(tf).expect(tf);
            assert_eq!(a.default, Some(Value::Bool(false)));
        }
        assert!(r.schema.block.attribute("bucket").unwrap().force_new);
    }

    #[test]
    fn request_carries_all_four_switches() {
        let planned = object([
            ("bucket", string("b")),
            ("block_public_acls", Value::Bool(true)),
            ("block_public_policy", Value::Bool(false)),
            ("ignore_public_acls", Value::Bool(true)),
            ("restrict_public_buckets", Value::Null),
        ]);
        assert_eq!(
            expand("b", &planned),
            json!({"Bucket": "b", "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": true, "BlockPublicPolicy": false,
                "IgnorePublicAcls": true, "RestrictPublicBuckets": false}})
        );
    }

    #[test]
    fn imported_state_reads_back_every_switch() {
        use crate::resources::Resource;
        use crate::resources::s3_common::{BucketConfigResource, testing::FakeClient};
        let client = FakeClient::new(vec![(
            "GetPublicAccessBlock",
            Ok(json!({"PublicAccessBlockConfiguration": {
                "BlockPublicAcls": false, "BlockPublicPolicy": true,
                "IgnorePublicAcls": false, "RestrictPublicBuckets": false}})),
        )]);
        let r = BucketConfigResource(PublicAccessBlock::new());
        let imported = r.import(&client.ctx(), "b").unwrap();
        let read = r.read(&client.ctx(), &imported).unwrap().unwrap();
        // The switches default to false, so false must be in state, not null.
        assert_eq!(read.attr("block_public_acls"), &Value::Bool(false));
        assert_eq!(read.attr("block_public_policy"), &Value::Bool(true));
        assert_eq!(read.attr("restrict_public_buckets"), &Value::Bool(false));
    }

    #[test]
    fn response_flattens_missing_members_to_false() {
        let out = json!({"PublicAccessBlockConfiguration": {"BlockPublicAcls": true}});
        let f = flatten(&out);
        assert_eq!(f[0], ("block_public_acls", Value::Bool(true)));
        assert_eq!(f[3], ("restrict_public_buckets", Value::Bool(false)));
    }
}
