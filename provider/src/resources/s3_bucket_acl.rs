//! aws_s3_bucket_acl: a bucket's ACL, as a canned `acl` or an explicit
//! `access_control_policy` (PutBucketAcl / GetBucketAcl). `access_control_policy` is also
//! computed: it always reads back the grants S3 holds. IDs: `bucket`, `bucket,owner`,
//! `bucket,acl`, `bucket,owner,acl`. Destroying only forgets the ACL (as hashicorp/aws).

use serde_json::{Value as Json, json};
use tfplugin6::value::Value;

use super::s3_common::{
    BucketConfig, BucketId, OpError, S3, bucket_config_schema, call, expand_grantee, first,
    flatten_grantee, json_items, json_str, tune_grantee,
};
use crate::diagnostics::Diag;
use crate::schema::{Schema, Validator};
use crate::values::{ValueExt, object, opt_string, set_attr, string};

pub const CANNED_ACLS: &[&str] = &[
    "private",
    "public-read",
    "public-read-write",
    "aws-exec-read",
    "authenticated-read",
    "bucket-owner-read",
    "bucket-owner-full-control",
    "log-delivery-write",
];
pub const PERMISSIONS: &[&str] = &["FULL_CONTROL", "WRITE", "WRITE_ACP", "READ", "READ_ACP"];

pub struct BucketAcl {
    schema: Schema,
}

impl Default for BucketAcl {
    fn default() -> Self {
        Self::new()
    }
}

impl BucketAcl {
    pub fn new() -> Self {
        let schema = bucket_config_schema("aws_s3_bucket_acl", true)
            // enum.Validate[types.BucketCannedACL]()
            .attr("acl", |a| a.validate(Validator::OneOf(CANNED_ACLS)))
            .nested("access_control_policy", |b| b.conflicts_with(&["acl"]))
            // enum.Validate[types.Permission]()
            .attr("access_control_policy.grant.permission", |a| {
                a.validate(Validator::OneOf(PERMISSIONS))
            });
        BucketAcl {
            schema: tune_grantee(schema, "access_control_policy.grant.grantee"),
        }
    }
}

pub fn expand(id: &BucketId, planned: &Value) -> Json {
    let mut req = id.request();
    if let Some(acl) = planned.attr("acl").str_opt().filter(|s| !s.is_empty()) {
        req["ACL"] = json!(acl);
        return req;
    }
    if let Some(p) = first(planned.attr("access_control_policy")) {
        let grants: Vec<Json> = p
            .attr("grant")
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
        let mut owner = json!({});
        if let Some(o) = first(p.attr("owner")) {
            owner["ID"] = json!(o.attr("id").str_opt());
            if let Some(d) = o.attr("display_name").str_opt().filter(|s| !s.is_empty()) {
                owner["DisplayName"] = json!(d);
            }
        }
        req["AccessControlPolicy"] = json!({"Grants": grants, "Owner": owner});
    }
    req
}

pub fn flatten(out: &Json) -> Value {
    let grants: Vec<Value> = json_items(&out["Grants"])
        .iter()
        .map(|g| {
            let grantee = if g["Grantee"].is_object() {
                vec![flatten_grantee(&g["Grantee"])]
            } else {
                vec![]
            };
            object([
                ("grantee", Value::List(grantee)),
                ("permission", json_str(&g["Permission"])),
            ])
        })
        .collect();
    let owner = if out["Owner"].is_object() {
        vec![object([
            ("display_name", json_str(&out["Owner"]["DisplayName"])),
            ("id", json_str(&out["Owner"]["ID"])),
        ])]
    } else {
        vec![]
    };
    Value::List(vec![object([
        ("grant", Value::Set(grants)),
        ("owner", Value::List(owner)),
    ])])
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

impl BucketConfig for BucketAcl {
    fn type_name(&self) -> &'static str {
        "aws_s3_bucket_acl"
    }
    fn what(&self) -> &'static str {
        "S3 Bucket ACL"
    }
    fn schema(&self) -> &Schema {
        &self.schema
    }
    fn validate(&self, config: &Value) -> crate::diagnostics::Diags {
        let acl = config.attr("acl");
        let acp = config.attr("access_control_policy");
        if matches!(acl, Value::Null) && acp.is_null_or_empty() {
            return vec![
                Diag::error("Missing required argument")
                    .detail("\"acl\": one of `access_control_policy,acl` must be specified"),
            ];
        }
        Vec::new()
    }
    fn modify_plan(&self, prior: &Value, planned: &mut Value) {
        // Computed block: not configured means "whatever S3 holds", as in the prior state.
        if planned.attr("access_control_policy").is_null_or_empty()
            && !prior.attr("access_control_policy").is_null_or_empty()
        {
            let kept = prior.attr("access_control_policy").clone();
            set_attr(planned, "access_control_policy", kept);
        }
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
        call(ctx, region, S3, "PutBucketAcl", expand(id, planned)).map(|_| ())
    }
    fn get(
        &self,
        ctx: &super::Ctx,
        region: &str,
        id: &BucketId,
        state: &Value,
    ) -> Result<Option<super::s3_common::Fields>, OpError> {
        let out = call(ctx, region, S3, "GetBucketAcl", id.request())?;
        Ok(Some(vec![
            ("access_control_policy", flatten(&out)),
            ("acl", state.attr("acl").clone()),
        ]))
    }
    fn remove(
        &self,
        _ctx: &super::Ctx,
        _region: &str,
        _id: &BucketId,
        _state: &Value,
    ) -> Result<(), OpError> {
        Ok(())
    }
    fn resource_id(&self, id: &BucketId, state: &Value) -> String {
        match state.attr("acl").str_opt().filter(|s| !s.is_empty()) {
            Some(acl) => format!("{},{acl}", id.id()),
            None => id.id(),
        }
    }
    fn parse_import(&self, id: &str) -> Result<(BucketId, super::s3_common::Fields), Diag> {
        let parts: Vec<&str> = id.split(',').collect();
        let bad = || {
            Diag::error(format!(
                "unexpected format for ID ({id}), expected BUCKET, BUCKET,EXPECTED_BUCKET_OWNER, BUCKET,ACL or BUCKET,EXPECTED_BUCKET_OWNER,ACL"
            ))
        };
        if parts.iter().any(|p| p.is_empty()) {
            return Err(bad());
        }
        let bucket = |owner: Option<&str>| BucketId {
            bucket: parts[0].to_string(),
            owner: owner.map(str::to_string),
        };
        match parts.as_slice() {
            [_] => Ok((bucket(None), vec![])),
            [_, second] if is_account_id(second) => Ok((bucket(Some(second)), vec![])),
            [_, acl] => Ok((bucket(None), vec![("acl", string(*acl))])),
            [_, owner, acl] => Ok((bucket(Some(owner)), vec![("acl", opt_string(Some(*acl)))])),
            _ => Err(bad()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_id_formats() {
        let r = BucketAcl::new();
        let (b, extra) = r.parse_import("b").unwrap();
        assert_eq!((b.bucket.as_str(), b.owner, extra.len()), ("b", None, 0));
        let (b, extra) = r.parse_import("b,123456789012").unwrap();
        assert_eq!(b.owner.as_deref(), Some("123456789012"));
        assert!(extra.is_empty());
        let (b, extra) = r.parse_import("b,private").unwrap();
        assert_eq!(b.owner, None);
        assert_eq!(extra, vec![("acl", string("private"))]);
        let (b, extra) = r.parse_import("b,123456789012,public-read").unwrap();
        assert_eq!(b.owner.as_deref(), Some("123456789012"));
        assert_eq!(extra, vec![("acl", string("public-read"))]);
        assert!(r.parse_import("b,,x").is_err());
        assert!(r.parse_import("a,b,c,d").is_err());
    }

    #[test]
    fn resource_id_includes_the_canned_acl() {
        let r = BucketAcl::new();
        let id = BucketId::parse("b").unwrap();
        let state = object([("acl", string("private"))]);
        assert_eq!(r.resource_id(&id, &state), "b,private");
        assert_eq!(r.resource_id(&id, &Value::Null), "b");
    }

    #[test]
    fn canned_acl_request() {
        let id = BucketId::parse("b").unwrap();
        let planned = object([("acl", string("private"))]);
        assert_eq!(
            expand(&id, &planned),
            json!({"Bucket": "b", "ACL": "private"})
        );
    }

    #[test]
    fn access_control_policy_request_and_response() {
        let id = BucketId::parse("b").unwrap();
        let acp = Value::List(vec![object([
            (
                "grant",
                Value::Set(vec![object([
                    (
                        "grantee",
                        Value::List(vec![object([
                            ("display_name", Value::Null),
                            ("email_address", Value::Null),
                            ("id", string("abc")),
                            ("type", string("CanonicalUser")),
                            ("uri", Value::Null),
                        ])]),
                    ),
                    ("permission", string("FULL_CONTROL")),
                ])]),
            ),
            (
                "owner",
                Value::List(vec![object([
                    ("display_name", Value::Null),
                    ("id", string("abc")),
                ])]),
            ),
        ])]);
        let planned = object([("acl", Value::Null), ("access_control_policy", acp.clone())]);
        let req = expand(&id, &planned);
        assert_eq!(
            req,
            json!({"Bucket": "b", "AccessControlPolicy": {
                "Grants": [{"Permission": "FULL_CONTROL", "Grantee": {"Type": "CanonicalUser", "ID": "abc"}}],
                "Owner": {"ID": "abc"}}})
        );
        assert_eq!(flatten(&req["AccessControlPolicy"]), acp);
    }

    #[test]
    fn unconfigured_access_control_policy_keeps_the_prior_value() {
        let r = BucketAcl::new();
        let prior = object([("access_control_policy", Value::List(vec![object([])]))]);
        let mut planned = object([("access_control_policy", Value::List(vec![]))]);
        r.modify_plan(&prior, &mut planned);
        assert_eq!(planned.attr("access_control_policy").items().len(), 1);
    }
}
