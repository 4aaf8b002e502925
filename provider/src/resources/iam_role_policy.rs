//! aws_iam_role_policy: an inline policy embedded in an IAM role. ID and import ID:
//! `ROLE:NAME`.

use serde_json::json;
use tfplugin6::value::Value;

use super::iam_policy::{
    decode_document, plan_policy, policy_to_set, validate_name_conflict, validate_policy_json,
};
use super::support::{after_write, arg, fail, generated_name, name_prefix_from_name};
use super::{Ctx, Resource, api_error};
use crate::diagnostics::{Diag, Diags};
use crate::schema::{Attribute, Schema, Validator};
use crate::values::{ValueExt, object, set_attr, string};

const WHAT: &str = "IAM Role Policy";

pub struct RolePolicy {
    schema: Schema,
}

impl Default for RolePolicy {
    fn default() -> Self {
        Self::new()
    }
}

impl RolePolicy {
    pub fn new() -> Self {
        RolePolicy {
            schema: Schema::resource("aws_iam_role_policy")
                // validRolePolicyName / validRolePolicyNamePrefix lengths, ForceNew
                .attr("name", |a| {
                    a.force_new().validate(Validator::LenBetween(1, 128))
                })
                .attr("name_prefix", |a| {
                    a.force_new().validate(Validator::LenBetween(1, 102))
                })
                .attr("role", Attribute::force_new),
        }
    }
}

/// `ROLE:NAME` split at the first colon.
pub fn parse_id(id: &str) -> Result<(String, String), Diag> {
    match id.split_once(':') {
        Some((role, name)) if !role.is_empty() && !name.is_empty() => {
            Ok((role.into(), name.into()))
        }
        _ => Err(Diag::error(format!(
            "role_policy id must be of the form <role name>:<policy name>, got {id}"
        ))),
    }
}

impl Resource for RolePolicy {
    fn type_name(&self) -> &'static str {
        "aws_iam_role_policy"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn validate(&self, config: &Value) -> Diags {
        let mut diags = validate_policy_json(config, "policy");
        diags.extend(validate_name_conflict(config));
        diags
    }

    fn modify_plan(&self, _ctx: &Ctx, prior: &Value, planned: &mut Value) {
        plan_policy(prior, planned, "policy");
    }

    fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, (Option<Value>, Diags)> {
        let name = generated_name(arg(planned, "name"), arg(planned, "name_prefix"));
        let role = planned
            .attr("role")
            .str_opt()
            .unwrap_or_default()
            .to_string();
        let document = planned.attr("policy").str_opt().unwrap_or_default();
        ctx.call(
            &ctx.region,
            "iam",
            "PutRolePolicy",
            json!({"RoleName": role, "PolicyName": name, "PolicyDocument": document}),
        )
        .map_err(|e| {
            api_error(
                &format!("putting {WHAT} ({name})"),
                "IAM",
                "PutRolePolicy",
                &e,
            )
        })
        .map_err(fail(None))?;
        let mut state = planned.clone();
        set_attr(&mut state, "id", string(format!("{role}:{name}")));
        after_write(self.read(ctx, &state), &format!("{WHAT} ({role}:{name})"))
    }

    fn read(&self, ctx: &Ctx, state: &Value) -> Result<Option<Value>, Diags> {
        let id = state.attr("id").str_opt().unwrap_or_default();
        let (role, name) = parse_id(id).map_err(|d| vec![d])?;
        let out = match ctx.call(
            &ctx.region,
            "iam",
            "GetRolePolicy",
            json!({"RoleName": role, "PolicyName": name}),
        ) {
            Ok(out) => out,
            Err(e) if e.code == "NoSuchEntity" => return Ok(None),
            Err(e) => {
                return Err(vec![api_error(
                    &format!("reading {WHAT} ({id})"),
                    "IAM",
                    "GetRolePolicy",
                    &e,
                )]);
            }
        };
        let document = decode_document(out["PolicyDocument"].as_str().unwrap_or(""));
        Ok(Some(object([
            ("id", string(id)),
            ("name", string(name.clone())),
            ("name_prefix", name_prefix_from_name(&name)),
            ("policy", policy_to_set(state.attr("policy"), &document)),
            ("role", string(role)),
        ])))
    }

    fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, (Option<Value>, Diags)> {
        let id = prior.attr("id").str_opt().unwrap_or_default().to_string();
        let (role, name) = parse_id(&id).map_err(fail(None))?;
        let document = planned.attr("policy").str_opt().unwrap_or_default();
        ctx.call(
            &ctx.region,
            "iam",
            "PutRolePolicy",
            json!({"RoleName": role, "PolicyName": name, "PolicyDocument": document}),
        )
        .map_err(|e| {
            api_error(
                &format!("putting {WHAT} ({id})"),
                "IAM",
                "PutRolePolicy",
                &e,
            )
        })
        .map_err(fail(None))?;
        let mut state = prior.clone();
        set_attr(&mut state, "policy", planned.attr("policy").clone());
        after_write(self.read(ctx, &state), &format!("{WHAT} ({id})"))
    }

    fn delete(&self, ctx: &Ctx, state: &Value) -> Result<(), Diags> {
        let id = state.attr("id").str_opt().unwrap_or_default();
        let (role, name) = parse_id(id).map_err(|d| vec![d])?;
        match ctx.call(
            &ctx.region,
            "iam",
            "DeleteRolePolicy",
            json!({"RoleName": role, "PolicyName": name}),
        ) {
            Ok(_) => Ok(()),
            Err(e) if e.code == "NoSuchEntity" => Ok(()),
            Err(e) => Err(vec![api_error(
                &format!("deleting {WHAT} ({id})"),
                "IAM",
                "DeleteRolePolicy",
                &e,
            )]),
        }
    }

    fn import(&self, _ctx: &Ctx, id: &str) -> Result<Value, Diags> {
        parse_id(id).map_err(|d| vec![d])?;
        Ok(object([("id", string(id))]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_id_is_role_colon_name() {
        assert_eq!(
            parse_id("ct-logs:write").unwrap(),
            ("ct-logs".to_string(), "write".to_string())
        );
        assert!(parse_id("no-colon").is_err());
    }
}
