//! aws_s3_bucket_policy: a bucket's policy document (PutBucketPolicy / GetBucketPolicy /
//! DeleteBucketPolicy). The ID is the bucket name; the policy is compared as an IAM policy
//! so an equivalent document read back keeps the configured text.

use serde_json::json;
use tfplugin6::value::Value;

use super::policy_json;
use super::s3_common::{BucketConfig, BucketId, OpError, S3, bucket_config_schema, call};
use crate::diagnostics::{Diag, Diags};
use crate::plan::attr_path;
use crate::schema::Schema;
use crate::values::{ValueExt, set_attr, string};

pub struct BucketPolicy {
    schema: Schema,
}

impl Default for BucketPolicy {
    fn default() -> Self {
        Self::new()
    }
}

impl BucketPolicy {
    pub fn new() -> Self {
        // hashicorp/aws: bucket is Required+ForceNew without a length validator here.
        BucketPolicy {
            schema: bucket_config_schema("aws_s3_bucket_policy", false),
        }
    }
}

/// Keeps the prior policy text in the plan when the new one is the same policy
/// (`SuppressEquivalentPolicyDiffs`).
pub fn suppress_equivalent_policy(prior: &Value, planned: &mut Value, attr: &str) {
    if let (Some(old), Some(new)) = (prior.attr(attr).str_opt(), planned.attr(attr).str_opt())
        && old != new
        && policy_json::equivalent(old, new)
    {
        let old = old.to_string();
        set_attr(planned, attr, string(old));
    }
}

/// `validation.StringIsJSON` for one attribute.
pub fn json_diag(config: &Value, attr: &str) -> Option<Diag> {
    let text = config.attr(attr).str_opt()?;
    policy_json::json_problem(attr, text).map(|m| Diag::error(m).at(attr_path(attr)))
}

impl BucketConfig for BucketPolicy {
    fn type_name(&self) -> &'static str {
        "aws_s3_bucket_policy"
    }
    fn what(&self) -> &'static str {
        "S3 Bucket Policy"
    }
    fn schema(&self) -> &Schema {
        &self.schema
    }
    fn validate(&self, config: &Value) -> Diags {
        json_diag(config, "policy").into_iter().collect()
    }
    fn modify_plan(&self, prior: &Value, planned: &mut Value) {
        suppress_equivalent_policy(prior, planned, "policy");
    }
    fn gone_codes(&self) -> &'static [&'static str] {
        &["NoSuchBucketPolicy"]
    }
    fn put(
        &self,
        ctx: &super::Ctx,
        region: &str,
        id: &BucketId,
        _prior: &Value,
        planned: &Value,
    ) -> Result<(), OpError> {
        let policy = planned.attr("policy").str_opt().unwrap_or_default();
        call(
            ctx,
            region,
            S3,
            "PutBucketPolicy",
            json!({"Bucket": id.bucket, "Policy": policy}),
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
            "GetBucketPolicy",
            json!({"Bucket": id.bucket}),
        )?;
        let Some(remote) = out["Policy"].as_str().filter(|s| !s.is_empty()) else {
            return Ok(None);
        };
        let policy = policy_json::policy_to_set(state.attr("policy").str_opt(), remote);
        Ok(Some(vec![("policy", string(policy))]))
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
            "DeleteBucketPolicy",
            json!({"Bucket": id.bucket}),
        )
        .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::Resource;
    use crate::resources::s3_common::BucketConfigResource;
    use crate::resources::s3_common::testing::FakeClient;
    use crate::values::object;

    const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;

    #[test]
    fn schema_has_the_hashicorp_aws_attributes() {
        let r = BucketPolicy::new();
        for a in ["id", "bucket", "policy", "region"] {
            assert!(r.schema.block.attribute(a).is_some(), "{a}");
        }
        assert!(r.schema.block.attribute("bucket").unwrap().force_new);
        assert!(r.schema.block.attribute("policy").unwrap().required);
    }

    #[test]
    fn create_puts_the_policy_and_keeps_the_configured_text() {
        let spaced = POLICY.replace(',', ", ");
        let client = FakeClient::new(vec![("GetBucketPolicy", Ok(json!({"Policy": POLICY})))]);
        let r = BucketConfigResource(BucketPolicy::new());
        let planned = object([
            ("bucket", string("b")),
            ("policy", string(spaced.clone())),
            ("id", Value::Unknown),
            ("region", string("us-east-1")),
        ]);
        let state = r.create(&client.ctx(), &planned).expect("create");
        assert_eq!(
            client.requests("PutBucketPolicy"),
            vec![json!({"Bucket": "b", "Policy": spaced})]
        );
        assert_eq!(state.attr("policy").str_opt(), Some(spaced.as_str()));
        assert_eq!(state.attr("id").str_opt(), Some("b"));
    }

    #[test]
    fn missing_policy_reads_as_gone() {
        let client = FakeClient::new(vec![(
            "GetBucketPolicy",
            Err(("NoSuchBucketPolicy", "The bucket policy does not exist")),
        )]);
        let r = BucketConfigResource(BucketPolicy::new());
        let state = object([("bucket", string("b")), ("id", string("b"))]);
        assert_eq!(r.read(&client.ctx(), &state).unwrap(), None);
    }

    #[test]
    fn equivalent_policy_edit_plans_no_change() {
        let prior = object([("policy", string(POLICY))]);
        let mut planned = object([("policy", string(POLICY.replace(",\"", ", \"")))]);
        suppress_equivalent_policy(&prior, &mut planned, "policy");
        assert_eq!(planned.attr("policy").str_opt(), Some(POLICY));
    }

    #[test]
    fn invalid_json_policy_is_rejected() {
        let r = BucketPolicy::new();
        let config = object([("policy", string("{"))]);
        assert_eq!(r.validate(&config).len(), 1);
    }
}
