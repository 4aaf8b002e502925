//! aws_iam_role_policy_attachment: a managed policy attached to a role. Import ID:
//! `ROLE/POLICY_ARN`.

use serde_json::json;
use tfplugin6::value::Value;

use super::support::{after_write, fail, generated_name};
use super::{Ctx, Resource, api_error};
use crate::diagnostics::{Diag, Diags};
use crate::schema::{Attribute, Schema, Validator};
use crate::values::{ValueExt, object, set_attr, string};

const WHAT: &str = "IAM Role Policy Attachment";

pub struct RolePolicyAttachment {
    schema: Schema,
}

impl Default for RolePolicyAttachment {
    fn default() -> Self {
        Self::new()
    }
}

impl RolePolicyAttachment {
    pub fn new() -> Self {
        RolePolicyAttachment {
            schema: Schema::resource("aws_iam_role_policy_attachment")
                // verify.ValidARN, ForceNew
                .attr("policy_arn", |a| a.force_new().validate(Validator::Arn))
                .attr("role", Attribute::force_new),
        }
    }
}

/// `ROLE/POLICY_ARN` split at the first slash (role names have none).
pub fn parse_import_id(id: &str) -> Result<(String, String), Diag> {
    match id.split_once('/') {
        Some((role, arn)) if !role.is_empty() && arn.starts_with("arn:") => {
            Ok((role.into(), arn.into()))
        }
        _ => Err(Diag::error(format!(
            "unexpected format for ID ({id}), expected <role-name>/<policy_arn>"
        ))),
    }
}

impl Resource for RolePolicyAttachment {
    fn type_name(&self) -> &'static str {
        "aws_iam_role_policy_attachment"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, (Option<Value>, Diags)> {
        let role = planned
            .attr("role")
            .str_opt()
            .unwrap_or_default()
            .to_string();
        let arn = planned
            .attr("policy_arn")
            .str_opt()
            .unwrap_or_default()
            .to_string();
        ctx.call(
            &ctx.region,
            "iam",
            "AttachRolePolicy",
            json!({"RoleName": role, "PolicyArn": arn}),
        )
        .map_err(|e| {
            api_error(
                &format!("attaching IAM Policy ({arn}) to IAM Role ({role})"),
                "IAM",
                "AttachRolePolicy",
                &e,
            )
        })
        .map_err(fail(None))?;
        let mut state = planned.clone();
        // hashicorp/aws: id.PrefixedUniqueId("<role>-").
        set_attr(
            &mut state,
            "id",
            string(generated_name(None, Some(&format!("{role}-")))),
        );
        after_write(self.read(ctx, &state), &format!("{WHAT} ({role}/{arn})"))
    }

    fn read(&self, ctx: &Ctx, state: &Value) -> Result<Option<Value>, Diags> {
        let role = state.attr("role").str_opt().unwrap_or_default();
        let arn = state.attr("policy_arn").str_opt().unwrap_or_default();
        let out = match ctx.call(
            &ctx.region,
            "iam",
            "ListAttachedRolePolicies",
            json!({"RoleName": role}),
        ) {
            Ok(out) => out,
            Err(e) if e.code == "NoSuchEntity" => return Ok(None),
            Err(e) => {
                return Err(vec![api_error(
                    &format!("reading {WHAT} ({role}/{arn})"),
                    "IAM",
                    "ListAttachedRolePolicies",
                    &e,
                )]);
            }
        };
        let attached = out["AttachedPolicies"]
            .as_array()
            .is_some_and(|a| a.iter().any(|p| p["PolicyArn"].as_str() == Some(arn)));
        if !attached {
            return Ok(None);
        }
        Ok(Some(state.clone()))
    }

    fn update(
        &self,
        ctx: &Ctx,
        _prior: &Value,
        planned: &Value,
    ) -> Result<Value, (Option<Value>, Diags)> {
        // Every argument forces replacement; nothing changes in place.
        after_write(self.read(ctx, planned), WHAT)
    }

    fn delete(&self, ctx: &Ctx, state: &Value) -> Result<(), Diags> {
        let role = state.attr("role").str_opt().unwrap_or_default();
        let arn = state.attr("policy_arn").str_opt().unwrap_or_default();
        match ctx.call(
            &ctx.region,
            "iam",
            "DetachRolePolicy",
            json!({"RoleName": role, "PolicyArn": arn}),
        ) {
            Ok(_) => Ok(()),
            Err(e) if e.code == "NoSuchEntity" => Ok(()),
            Err(e) => Err(vec![api_error(
                &format!("detaching IAM Policy ({arn}) from IAM Role ({role})"),
                "IAM",
                "DetachRolePolicy",
                &e,
            )]),
        }
    }

    fn import(&self, _ctx: &Ctx, id: &str) -> Result<Value, Diags> {
        let (role, arn) = parse_import_id(id).map_err(|d| vec![d])?;
        Ok(object([
            (
                "id",
                string(generated_name(None, Some(&format!("{role}-")))),
            ),
            ("role", string(role)),
            ("policy_arn", string(arn)),
        ]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_id_is_role_slash_policy_arn() {
        let (role, arn) =
            parse_import_id("ct-logs/arn:aws:iam::aws:policy/ReadOnlyAccess").unwrap();
        assert_eq!(role, "ct-logs");
        assert_eq!(arn, "arn:aws:iam::aws:policy/ReadOnlyAccess");
        assert!(parse_import_id("ct-logs").is_err());
    }
}
