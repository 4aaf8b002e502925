//! aws_iam_policy_attachment: exclusive attachment of a managed policy to the users, roles
//! and groups listed (any other attachment of the policy is removed on update).

use serde_json::json;
use tfplugin6::value::Value;

use super::support::{after_write, fail};
use super::{Ctx, Resource, api_error};
use crate::diagnostics::{Diag, Diags};
use crate::schema::{Schema, Validator};
use crate::values::{ValueExt, set_attr, string, string_set as set_value};

const WHAT: &str = "IAM Policy Attachment";

pub struct PolicyAttachment {
    schema: Schema,
}

impl Default for PolicyAttachment {
    fn default() -> Self {
        Self::new()
    }
}

impl PolicyAttachment {
    pub fn new() -> Self {
        PolicyAttachment {
            schema: Schema::resource("aws_iam_policy_attachment")
                // validation.NoZeroValues, ForceNew
                .attr("name", |a| a.force_new().validate(Validator::NotEmpty))
                // verify.ValidARN, ForceNew
                .attr("policy_arn", |a| a.force_new().validate(Validator::Arn)),
        }
    }
}

/// (attribute, attach op, detach op, name member, ListEntitiesForPolicy list, entry member)
const KINDS: [(&str, &str, &str, &str, &str, &str); 3] = [
    (
        "users",
        "AttachUserPolicy",
        "DetachUserPolicy",
        "UserName",
        "PolicyUsers",
        "UserName",
    ),
    (
        "roles",
        "AttachRolePolicy",
        "DetachRolePolicy",
        "RoleName",
        "PolicyRoles",
        "RoleName",
    ),
    (
        "groups",
        "AttachGroupPolicy",
        "DetachGroupPolicy",
        "GroupName",
        "PolicyGroups",
        "GroupName",
    ),
];

impl PolicyAttachment {
    fn change(
        &self,
        ctx: &Ctx,
        arn: &str,
        attach: bool,
        kind: usize,
        names: &[String],
    ) -> Result<(), Diag> {
        let (_, attach_op, detach_op, member, _, _) = KINDS[kind];
        let op = if attach { attach_op } else { detach_op };
        for name in names {
            match ctx.call(
                &ctx.region,
                "iam",
                op,
                json!({member: name, "PolicyArn": arn}),
            ) {
                Ok(_) => {}
                Err(e) if !attach && e.code == "NoSuchEntity" => {}
                Err(e) => {
                    let verb = if attach { "attaching" } else { "detaching" };
                    return Err(api_error(
                        &format!("{verb} IAM Policy ({arn}) ({name})"),
                        "IAM",
                        op,
                        &e,
                    ));
                }
            }
        }
        Ok(())
    }
}

impl Resource for PolicyAttachment {
    fn type_name(&self) -> &'static str {
        "aws_iam_policy_attachment"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn validate(&self, config: &Value) -> Diags {
        let none = ["users", "roles", "groups"]
            .iter()
            .all(|a| config.attr(a).is_null_or_empty() && !config.attr(a).is_unknown());
        if none {
            return vec![Diag::error(
                "No Users, Roles, or Groups specified for IAM Policy Attachment",
            )];
        }
        Vec::new()
    }

    fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, (Option<Value>, Diags)> {
        let name = planned
            .attr("name")
            .str_opt()
            .unwrap_or_default()
            .to_string();
        let arn = planned
            .attr("policy_arn")
            .str_opt()
            .unwrap_or_default()
            .to_string();
        let mut state = planned.clone();
        set_attr(&mut state, "id", string(name.clone()));
        for (i, (attr, ..)) in KINDS.iter().enumerate() {
            self.change(ctx, &arn, true, i, &planned.attr(attr).strings())
                .map_err(fail(Some(state.clone())))?;
        }
        after_write(self.read(ctx, &state), &format!("{WHAT} ({name})"))
    }

    fn read(&self, ctx: &Ctx, state: &Value) -> Result<Option<Value>, Diags> {
        let arn = state.attr("policy_arn").str_opt().unwrap_or_default();
        let out = match ctx.call(
            &ctx.region,
            "iam",
            "ListEntitiesForPolicy",
            json!({"PolicyArn": arn}),
        ) {
            Ok(out) => out,
            Err(e) if e.code == "NoSuchEntity" => return Ok(None),
            Err(e) => {
                return Err(vec![api_error(
                    &format!("reading {WHAT} ({arn})"),
                    "IAM",
                    "ListEntitiesForPolicy",
                    &e,
                )]);
            }
        };
        let mut new = state.clone();
        let mut total = 0;
        for (attr, _, _, _, list, member) in KINDS {
            let names: Vec<String> = out[list]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|e| e[member].as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            total += names.len();
            set_attr(
                &mut new,
                attr,
                if names.is_empty() {
                    Value::Null
                } else {
                    set_value(names)
                },
            );
        }
        if total == 0 {
            return Ok(None);
        }
        Ok(Some(new))
    }

    fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, (Option<Value>, Diags)> {
        let arn = planned
            .attr("policy_arn")
            .str_opt()
            .unwrap_or_default()
            .to_string();
        for (i, (attr, ..)) in KINDS.iter().enumerate() {
            let old = prior.attr(attr).strings();
            let new = planned.attr(attr).strings();
            let removed: Vec<String> = old.iter().filter(|n| !new.contains(n)).cloned().collect();
            let added: Vec<String> = new.iter().filter(|n| !old.contains(n)).cloned().collect();
            self.change(ctx, &arn, false, i, &removed)
                .map_err(fail(None))?;
            self.change(ctx, &arn, true, i, &added)
                .map_err(fail(None))?;
        }
        after_write(self.read(ctx, planned), &format!("{WHAT} ({arn})"))
    }

    fn delete(&self, ctx: &Ctx, state: &Value) -> Result<(), Diags> {
        let arn = state
            .attr("policy_arn")
            .str_opt()
            .unwrap_or_default()
            .to_string();
        for (i, (attr, ..)) in KINDS.iter().enumerate() {
            self.change(ctx, &arn, false, i, &state.attr(attr).strings())
                .map_err(|d| vec![d])?;
        }
        Ok(())
    }

    fn import(&self, _ctx: &Ctx, id: &str) -> Result<Value, Diags> {
        Err(vec![Diag::error(format!(
            "resource aws_iam_policy_attachment doesn't support import (ID {id})"
        ))])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::object;

    #[test]
    fn an_attachment_needs_someone_to_attach_to() {
        let pa = PolicyAttachment::new();
        let none = object([
            ("name", string("a")),
            ("policy_arn", string("arn:aws:iam::aws:policy/X")),
        ]);
        assert_eq!(pa.validate(&none).len(), 1);
        let roles = object([("roles", set_value(["r"]))]);
        assert!(pa.validate(&roles).is_empty());
    }
}
