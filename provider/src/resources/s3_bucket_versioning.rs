//! aws_s3_bucket_versioning: a bucket's versioning state (PutBucketVersioning /
//! GetBucketVersioning). "Disabled" is the state of a bucket never versioned: creating with
//! it sends nothing, and destroying a versioned bucket's resource suspends versioning, since
//! S3 cannot turn versioning off again.

use serde_json::{Value as Json, json};
use tfplugin6::value::Value;

use super::s3_common::{
    BucketConfig, BucketId, OpError, S3, bucket_config_schema, call, first, json_str,
};
use crate::schema::{Schema, Validator};
use crate::values::{ValueExt, object, string};

pub const STATUS: &[&str] = &["Enabled", "Suspended", "Disabled"];
pub const MFA_DELETE: &[&str] = &["Enabled", "Disabled"];

pub struct Versioning {
    schema: Schema,
}

impl Default for Versioning {
    fn default() -> Self {
        Self::new()
    }
}

impl Versioning {
    pub fn new() -> Self {
        Versioning {
            schema: bucket_config_schema("aws_s3_bucket_versioning", true)
                // enum.Validate[types.MFADelete]()
                .attr("versioning_configuration.mfa_delete", |a| {
                    a.validate(Validator::OneOf(MFA_DELETE))
                })
                // enum.Validate[types.BucketVersioningStatus]()
                .attr("versioning_configuration.status", |a| {
                    a.validate(Validator::OneOf(STATUS))
                }),
        }
    }
}

fn status_of(v: &Value) -> &str {
    first(v.attr("versioning_configuration"))
        .and_then(|c| c.attr("status").str_opt())
        .unwrap_or("Disabled")
}

/// The PutBucketVersioning request; `status` overrides the planned status (delete).
pub fn expand(id: &BucketId, planned: &Value, status: &str) -> Json {
    let mut config = json!({"Status": status});
    if let Some(m) =
        first(planned.attr("versioning_configuration")).and_then(|c| c.attr("mfa_delete").str_opt())
    {
        config["MFADelete"] = json!(m);
    }
    let mut req = id.request();
    req["VersioningConfiguration"] = config;
    if let Some(mfa) = planned.attr("mfa").str_opt().filter(|s| !s.is_empty()) {
        req["MFA"] = json!(mfa);
    }
    req
}

/// `versioning_configuration` from GetBucketVersioning: no Status means never versioned.
pub fn flatten(out: &Json) -> Value {
    let status = out["Status"]
        .as_str()
        .filter(|s| !s.is_empty())
        .unwrap_or("Disabled");
    Value::List(vec![object([
        ("mfa_delete", json_str(&out["MFADelete"])),
        ("status", string(status)),
    ])])
}

impl BucketConfig for Versioning {
    fn type_name(&self) -> &'static str {
        "aws_s3_bucket_versioning"
    }
    fn what(&self) -> &'static str {
        "S3 Bucket Versioning"
    }
    fn schema(&self) -> &Schema {
        &self.schema
    }
    fn gone_codes(&self) -> &'static [&'static str] {
        &[]
    }
    fn put(
        &self,
        ctx: &super::Ctx,
        region: &str,
        id: &BucketId,
        prior: &Value,
        planned: &Value,
    ) -> Result<(), OpError> {
        let mut status = status_of(planned);
        if status == "Disabled" {
            if matches!(prior, Value::Null) {
                return Ok(());
            }
            // S3 has no way back to never-versioned; Suspended is the closest.
            status = "Suspended";
        }
        call(
            ctx,
            region,
            S3,
            "PutBucketVersioning",
            expand(id, planned, status),
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
        let out = call(ctx, region, S3, "GetBucketVersioning", id.request())?;
        Ok(Some(vec![("versioning_configuration", flatten(&out))]))
    }
    fn remove(
        &self,
        ctx: &super::Ctx,
        region: &str,
        id: &BucketId,
        state: &Value,
    ) -> Result<(), OpError> {
        if status_of(state) == "Disabled" {
            return Ok(());
        }
        call(
            ctx,
            region,
            S3,
            "PutBucketVersioning",
            expand(id, state, "Suspended"),
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

    fn planned(status: &str) -> Value {
        object([
            ("bucket", string("b")),
            ("expected_bucket_owner", Value::Null),
            ("mfa", Value::Null),
            ("region", string("us-east-1")),
            (
                "versioning_configuration",
                Value::List(vec![object([
                    ("mfa_delete", Value::Unknown),
                    ("status", string(status)),
                ])]),
            ),
        ])
    }

    #[test]
    fn schema_has_the_hashicorp_aws_attributes() {
        let r = Versioning::new();
        for a in ["id", "bucket", "expected_bucket_owner", "mfa", "region"] {
            assert!(r.schema.block.attribute(a).is_some(), "{a}");
        }
        let vc = r.schema.block.block("versioning_configuration").unwrap();
        assert!(vc.block.attribute("mfa_delete").unwrap().computed);
        assert!(vc.block.attribute("status").unwrap().required);
    }

    #[test]
    fn enabling_sends_the_status_and_reads_it_back() {
        let client = FakeClient::new(vec![(
            "GetBucketVersioning",
            Ok(json!({"Status": "Enabled"})),
        )]);
        let r = BucketConfigResource(Versioning::new());
        let state = r.create(&client.ctx(), &planned("Enabled")).unwrap();
        assert_eq!(
            client.requests("PutBucketVersioning"),
            vec![json!({"Bucket": "b", "VersioningConfiguration": {"Status": "Enabled"}})]
        );
        let vc = &state.attr("versioning_configuration").items()[0];
        assert_eq!(vc.attr("status").str_opt(), Some("Enabled"));
        assert_eq!(vc.attr("mfa_delete"), &Value::Null);
    }

    #[test]
    fn disabled_at_create_sends_nothing_and_reads_as_disabled() {
        let client = FakeClient::new(vec![]);
        let r = BucketConfigResource(Versioning::new());
        let state = r.create(&client.ctx(), &planned("Disabled")).unwrap();
        assert!(client.requests("PutBucketVersioning").is_empty());
        let vc = &state.attr("versioning_configuration").items()[0];
        assert_eq!(vc.attr("status").str_opt(), Some("Disabled"));
    }

    #[test]
    fn destroy_suspends_versioning() {
        let client = FakeClient::new(vec![]);
        let r = BucketConfigResource(Versioning::new());
        r.delete(&client.ctx(), &planned("Enabled")).unwrap();
        assert_eq!(
            client.requests("PutBucketVersioning")[0]["VersioningConfiguration"]["Status"],
            "Suspended"
        );
    }
}
