//! aws_kms_key: a KMS key (hashicorp/aws v6 schema). Destroy schedules the key's deletion.

use serde_json::{Value as Json, json};
use tfplugin6::value::Value;

use super::iam_policy::{plan_policy, policy_to_set, validate_policy_json};
use super::policy_json;
use super::support::{
    after_write, arg, fail, json_str, tag_diff, tag_values, tags_from_list, tags_to_list,
};
use super::{Ctx, Resource, api_error, missing};
use crate::diagnostics::{Diag, Diags};
use crate::schema::{Attribute, Schema, Validator};
use crate::values::{ValueExt, object, set_attr, string};

const WHAT: &str = "KMS Key";
const SERVICE: &str = "kms";

pub const KEY_SPECS: &[&str] = &[
    "SYMMETRIC_DEFAULT",
    "RSA_2048",
    "RSA_3072",
    "RSA_4096",
    "ECC_NIST_P256",
    "ECC_NIST_P384",
    "ECC_NIST_P521",
    "ECC_SECG_P256K1",
    "HMAC_224",
    "HMAC_256",
    "HMAC_384",
    "HMAC_512",
    "SM2",
    "ML_DSA_44",
    "ML_DSA_65",
    "ML_DSA_87",
];
pub const KEY_USAGES: &[&str] = &[
    "SIGN_VERIFY",
    "ENCRYPT_DECRYPT",
    "GENERATE_VERIFY_MAC",
    "KEY_AGREEMENT",
];

pub struct Key {
    schema: Schema,
}

impl Default for Key {
    fn default() -> Self {
        Self::new()
    }
}

impl Key {
    pub fn new() -> Self {
        Key {
            schema: Schema::resource("aws_kms_key")
                .attr("bypass_policy_lockout_safety_check", |a| {
                    a.default(Value::Bool(false))
                })
                // validation.StringLenBetween(1, 22), ForceNew
                .attr("custom_key_store_id", |a| {
                    a.force_new().validate(Validator::LenBetween(1, 22))
                })
                // enum.Validate[awstypes.CustomerMasterKeySpec](), ForceNew
                .attr("customer_master_key_spec", |a| {
                    a.force_new()
                        .default(string("SYMMETRIC_DEFAULT"))
                        .validate(Validator::OneOf(KEY_SPECS))
                })
                // validation.StringLenBetween(0, 8192)
                .attr("description", |a| {
                    a.validate(Validator::LenBetween(0, 8192))
                })
                .attr("enable_key_rotation", |a| a.default(Value::Bool(false)))
                .attr("is_enabled", |a| a.default(Value::Bool(true)))
                // enum.Validate[awstypes.KeyUsageType](), ForceNew
                .attr("key_usage", |a| {
                    a.force_new()
                        .default(string("ENCRYPT_DECRYPT"))
                        .validate(Validator::OneOf(KEY_USAGES))
                })
                .attr("multi_region", Attribute::force_new)
                // validation.StringLenBetween(1, 128), ForceNew
                .attr("xks_key_id", |a| {
                    a.force_new().validate(Validator::LenBetween(1, 128))
                }),
        }
    }
}

fn key_id(state: &Value) -> String {
    [state.attr("id"), state.attr("key_id")]
        .into_iter()
        .find_map(|v| v.str_opt().filter(|s| !s.is_empty()))
        .unwrap_or_default()
        .to_string()
}

fn kms_err(context: String, op: &'static str) -> impl Fn(ctsim::AwsError) -> Diag {
    move |e| api_error(&context, "KMS", op, &e)
}

fn int_between(config: &Value, attr: &str, min: f64, max: f64) -> Option<Diag> {
    let n = config.attr(attr).num_opt()?;
    (n < min || n > max).then(|| {
        Diag::error(format!(
            "expected {attr} to be in the range ({min} - {max}), got {n}"
        ))
        .at(crate::plan::attr_path(attr))
    })
}

/// `CreateKey` input for a planned key.
pub fn create_request(planned: &Value) -> Json {
    let mut request = json!({
        "BypassPolicyLockoutSafetyCheck": planned.attr("bypass_policy_lockout_safety_check").bool_opt().unwrap_or(false),
        "KeySpec": planned.attr("customer_master_key_spec").str_opt().unwrap_or("SYMMETRIC_DEFAULT"),
        "KeyUsage": planned.attr("key_usage").str_opt().unwrap_or("ENCRYPT_DECRYPT"),
    });
    if let Some(d) = arg(planned, "description") {
        request["Description"] = json!(d);
    }
    if let Some(true) = planned.attr("multi_region").bool_opt() {
        request["MultiRegion"] = json!(true);
    }
    if let Some(p) = arg(planned, "policy") {
        request["Policy"] = json!(p);
    }
    if let Some(store) = arg(planned, "custom_key_store_id") {
        request["Origin"] = json!("AWS_CLOUDHSM");
        request["CustomKeyStoreId"] = json!(store);
    }
    if let Some(xks) = arg(planned, "xks_key_id") {
        request["Origin"] = json!("EXTERNAL_KEY_STORE");
        request["XksKeyId"] = json!(xks);
    }
    let tags = planned.attr("tags_all").string_map();
    if !tags.is_empty() {
        request["Tags"] = tags_to_list(&tags, "TagKey", "TagValue");
    }
    request
}

impl Key {
    fn set_rotation(
        &self,
        ctx: &Ctx,
        region: &str,
        id: &str,
        enable: bool,
        period: Option<f64>,
    ) -> Result<(), Diag> {
        if enable {
            let mut req = json!({"KeyId": id});
            if let Some(p) = period.filter(|p| *p > 0.0) {
                req["RotationPeriodInDays"] = json!(p as i64);
            }
            ctx.call(region, SERVICE, "EnableKeyRotation", req)
                .map(|_| ())
                .map_err(kms_err(
                    format!("enabling {WHAT} ({id}) rotation"),
                    "EnableKeyRotation",
                ))
        } else {
            ctx.call(region, SERVICE, "DisableKeyRotation", json!({"KeyId": id}))
                .map(|_| ())
                .map_err(kms_err(
                    format!("disabling {WHAT} ({id}) rotation"),
                    "DisableKeyRotation",
                ))
        }
    }

    fn set_enabled(&self, ctx: &Ctx, region: &str, id: &str, enabled: bool) -> Result<(), Diag> {
        let (op, verb) = if enabled {
            ("EnableKey", "enabling")
        } else {
            ("DisableKey", "disabling")
        };
        ctx.call(region, SERVICE, op, json!({"KeyId": id}))
            .map(|_| ())
            .map_err(kms_err(format!("{verb} {WHAT} ({id})"), op))
    }
}

impl Resource for Key {
    fn type_name(&self) -> &'static str {
        "aws_kms_key"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn validate(&self, config: &Value) -> Diags {
        let mut diags = validate_policy_json(config, "policy");
        diags.extend(int_between(config, "deletion_window_in_days", 7.0, 30.0));
        diags.extend(int_between(config, "rotation_period_in_days", 90.0, 2560.0));
        if config.attr("xks_key_id").str_opt().is_some()
            && config.attr("custom_key_store_id").str_opt().is_none()
        {
            diags.push(
                Diag::error("Missing required argument")
                    .detail(
                        "\"xks_key_id\": all of `custom_key_store_id,xks_key_id` must be specified",
                    )
                    .at(crate::plan::attr_path("xks_key_id")),
            );
        }
        diags
    }

    fn modify_plan(&self, _ctx: &Ctx, prior: &Value, planned: &mut Value) {
        plan_policy(prior, planned, "policy");
    }

    fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, (Option<Value>, Diags)> {
        let region = ctx.region_of(planned);
        let out = ctx
            .call(&region, SERVICE, "CreateKey", create_request(planned))
            .map_err(kms_err(format!("creating {WHAT}"), "CreateKey"))
            .map_err(fail(None))?;
        let Some(id) = out["KeyMetadata"]["KeyId"].as_str().map(str::to_string) else {
            return Err((None, missing("KeyMetadata.KeyId")));
        };
        let mut state = planned.clone();
        set_attr(&mut state, "id", string(id.clone()));
        set_attr(&mut state, "region", string(region.clone()));
        if planned.attr("enable_key_rotation").bool_opt() == Some(true) {
            self.set_rotation(
                ctx,
                &region,
                &id,
                true,
                planned.attr("rotation_period_in_days").num_opt(),
            )
            .map_err(fail(Some(state.clone())))?;
        }
        if planned.attr("is_enabled").bool_opt() == Some(false) {
            self.set_enabled(ctx, &region, &id, false)
                .map_err(fail(Some(state.clone())))?;
        }
        after_write(self.read(ctx, &state), &format!("{WHAT} ({id})"))
    }

    fn read(&self, ctx: &Ctx, state: &Value) -> Result<Option<Value>, Diags> {
        let region = ctx.region_of(state);
        let id = key_id(state);
        let meta = match ctx.call(&region, SERVICE, "DescribeKey", json!({"KeyId": id})) {
            Ok(out) => out["KeyMetadata"].clone(),
            Err(e) if e.code == "NotFoundException" => return Ok(None),
            Err(e) => {
                return Err(vec![kms_err(
                    format!("reading {WHAT} ({id})"),
                    "DescribeKey",
                )(e)]);
            }
        };
        if matches!(
            meta["KeyState"].as_str(),
            Some("PendingDeletion" | "PendingReplicaDeletion")
        ) {
            return Ok(None);
        }
        let policy = ctx
            .call(
                &region,
                SERVICE,
                "GetKeyPolicy",
                json!({"KeyId": id, "PolicyName": "default"}),
            )
            .map_err(|e| {
                vec![kms_err(
                    format!("reading {WHAT} ({id}) policy"),
                    "GetKeyPolicy",
                )(e)]
            })?;
        let (mut rotation, mut period) = (Value::Bool(false), Value::Null);
        if meta["Origin"].as_str().unwrap_or("AWS_KMS") == "AWS_KMS" {
            let r = ctx
                .call(
                    &region,
                    SERVICE,
                    "GetKeyRotationStatus",
                    json!({"KeyId": id}),
                )
                .map_err(|e| {
                    vec![kms_err(
                        format!("reading {WHAT} ({id}) rotation enabled"),
                        "GetKeyRotationStatus",
                    )(e)]
                })?;
            rotation = Value::Bool(r["KeyRotationEnabled"].as_bool().unwrap_or(false));
            period = r["RotationPeriodInDays"]
                .as_f64()
                .map(Value::Number)
                .unwrap_or(Value::Null);
        }
        let tags = ctx
            .call(&region, SERVICE, "ListResourceTags", json!({"KeyId": id}))
            .map_err(|e| {
                vec![kms_err(
                    format!("listing tags for {WHAT} ({id})"),
                    "ListResourceTags",
                )(e)]
            })?;
        let all_tags = tags_from_list(&tags["Tags"], "TagKey", "TagValue");
        let (tags, tags_all) = tag_values(&all_tags, &ctx.default_tags, state.attr("tags"));
        let key_id = meta["KeyId"].as_str().unwrap_or(&id).to_string();
        let spec = meta["KeySpec"]
            .as_str()
            .or(meta["CustomerMasterKeySpec"].as_str())
            .unwrap_or("SYMMETRIC_DEFAULT");
        let bypass = state
            .attr("bypass_policy_lockout_safety_check")
            .bool_opt()
            .unwrap_or(false);
        Ok(Some(object([
            ("id", string(key_id.clone())),
            ("arn", json_str(&meta["Arn"])),
            ("bypass_policy_lockout_safety_check", Value::Bool(bypass)),
            ("custom_key_store_id", json_str(&meta["CustomKeyStoreId"])),
            ("customer_master_key_spec", string(spec)),
            (
                "deletion_window_in_days",
                state.attr("deletion_window_in_days").clone(),
            ),
            (
                "description",
                string(meta["Description"].as_str().unwrap_or("")),
            ),
            ("enable_key_rotation", rotation),
            (
                "is_enabled",
                Value::Bool(meta["Enabled"].as_bool().unwrap_or(true)),
            ),
            ("key_id", string(key_id)),
            ("key_usage", json_str(&meta["KeyUsage"])),
            (
                "multi_region",
                Value::Bool(meta["MultiRegion"].as_bool().unwrap_or(false)),
            ),
            (
                "policy",
                policy_to_set(
                    state.attr("policy"),
                    policy["Policy"].as_str().unwrap_or(""),
                ),
            ),
            ("rotation_period_in_days", period),
            ("xks_key_id", json_str(&meta["XksKeyConfiguration"]["Id"])),
            ("region", string(region)),
            ("tags", tags),
            ("tags_all", tags_all),
        ])))
    }

    fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, (Option<Value>, Diags)> {
        let region = ctx.region_of(prior);
        let id = key_id(prior);
        let changed = |a: &str| !crate::values::semantically_equal(prior.attr(a), planned.attr(a));
        let enabled = planned.attr("is_enabled").bool_opt().unwrap_or(true);
        if changed("is_enabled") && enabled {
            self.set_enabled(ctx, &region, &id, true)
                .map_err(fail(None))?;
        }
        let rotate = planned
            .attr("enable_key_rotation")
            .bool_opt()
            .unwrap_or(false);
        if changed("enable_key_rotation") || (rotate && changed("rotation_period_in_days")) {
            self.set_rotation(
                ctx,
                &region,
                &id,
                rotate,
                planned.attr("rotation_period_in_days").num_opt(),
            )
            .map_err(fail(None))?;
        }
        if changed("description") {
            ctx.call(
                &region,
                SERVICE,
                "UpdateKeyDescription",
                json!({"KeyId": id, "Description": planned.attr("description").str_opt().unwrap_or("")}),
            )
            .map_err(kms_err(format!("updating {WHAT} ({id}) description"), "UpdateKeyDescription"))
            .map_err(fail(None))?;
        }
        let (old, new) = (
            prior.attr("policy").str_opt().unwrap_or(""),
            planned.attr("policy").str_opt().unwrap_or(""),
        );
        if !new.is_empty() && !policy_json::equivalent(old, new) {
            ctx.call(
                &region,
                SERVICE,
                "PutKeyPolicy",
                json!({
                    "KeyId": id,
                    "Policy": new,
                    "PolicyName": "default",
                    "BypassPolicyLockoutSafetyCheck": planned.attr("bypass_policy_lockout_safety_check").bool_opt().unwrap_or(false),
                }),
            )
            .map_err(kms_err(format!("updating {WHAT} ({id}) policy"), "PutKeyPolicy"))
            .map_err(fail(None))?;
        }
        if changed("is_enabled") && !enabled {
            self.set_enabled(ctx, &region, &id, false)
                .map_err(fail(None))?;
        }
        let (removed, added) = tag_diff(prior, planned);
        if !removed.is_empty() {
            ctx.call(
                &region,
                SERVICE,
                "UntagResource",
                json!({"KeyId": id, "TagKeys": removed}),
            )
            .map_err(kms_err(format!("untagging {WHAT} ({id})"), "UntagResource"))
            .map_err(fail(None))?;
        }
        if !added.is_empty() {
            ctx.call(
                &region,
                SERVICE,
                "TagResource",
                json!({"KeyId": id, "Tags": tags_to_list(&added, "TagKey", "TagValue")}),
            )
            .map_err(kms_err(format!("tagging {WHAT} ({id})"), "TagResource"))
            .map_err(fail(None))?;
        }
        let mut state = prior.clone();
        for a in [
            "policy",
            "tags",
            "deletion_window_in_days",
            "bypass_policy_lockout_safety_check",
        ] {
            set_attr(&mut state, a, planned.attr(a).clone());
        }
        after_write(self.read(ctx, &state), &format!("{WHAT} ({id})"))
    }

    fn delete(&self, ctx: &Ctx, state: &Value) -> Result<(), Diags> {
        let region = ctx.region_of(state);
        let id = key_id(state);
        let mut req = json!({"KeyId": id});
        if let Some(days) = state.attr("deletion_window_in_days").num_opt() {
            req["PendingWindowInDays"] = json!(days as i64);
        }
        match ctx.call(&region, SERVICE, "ScheduleKeyDeletion", req) {
            Ok(_) => Ok(()),
            Err(e) if e.code == "NotFoundException" => Ok(()),
            Err(e)
                if e.code == "KMSInvalidStateException"
                    && e.message.contains("is pending deletion") =>
            {
                Ok(())
            }
            Err(e) => Err(vec![kms_err(
                format!("deleting {WHAT} ({id})"),
                "ScheduleKeyDeletion",
            )(e)]),
        }
    }

    fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, Diags> {
        Ok(object([
            ("id", string(id)),
            ("region", string(ctx.region.clone())),
            ("bypass_policy_lockout_safety_check", Value::Bool(false)),
        ]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn create_request_uses_the_kms_member_names() {
        let planned = object([
            ("description", string("trail key")),
            ("customer_master_key_spec", string("SYMMETRIC_DEFAULT")),
            ("key_usage", string("ENCRYPT_DECRYPT")),
            ("bypass_policy_lockout_safety_check", Value::Bool(false)),
            ("policy", string("{\"Version\":\"2012-10-17\"}")),
            (
                "tags_all",
                crate::values::string_map(&BTreeMap::from([("a".to_string(), "b".to_string())])),
            ),
        ]);
        assert_eq!(
            create_request(&planned),
            json!({
                "BypassPolicyLockoutSafetyCheck": false,
                "KeySpec": "SYMMETRIC_DEFAULT",
                "KeyUsage": "ENCRYPT_DECRYPT",
                "Description": "trail key",
                "Policy": "{\"Version\":\"2012-10-17\"}",
                "Tags": [{"TagKey": "a", "TagValue": "b"}],
            })
        );
    }

    #[test]
    fn deletion_window_is_validated() {
        let key = Key::new();
        assert_eq!(
            key.validate(&object([("deletion_window_in_days", Value::Number(3.0))]))
                .len(),
            1
        );
        assert!(
            key.validate(&object([("deletion_window_in_days", Value::Number(7.0))]))
                .is_empty()
        );
    }
}
