//! aws_iam_role: an IAM role (hashicorp/aws v6 schema, including the deprecated but still
//! present `inline_policy` block and `managed_policy_arns`, both optional and computed).

use std::collections::BTreeMap;

use serde_json::{Value as Json, json};
use tfplugin6::value::Value;

use super::iam_policy::{
    decode_document, plan_policy, policy_to_set, validate_name_conflict, validate_policy_json,
};
use super::policy_json;
use super::support::{
    after_write, arg, fail, generated_name, json_str, json_strings, json_time,
    name_prefix_from_name, tag_diff, tag_values, tags_from_list, tags_to_list,
};
use super::{Ctx, Resource, api_error, missing};
use crate::diagnostics::{Diag, Diags};
use crate::schema::{NestedBlock, Schema, Validator};
use crate::values::{
    ValueExt, object, semantically_equal, set_attr, string, string_set as set_value,
};

const WHAT: &str = "IAM Role";

pub struct Role {
    schema: Schema,
}

impl Default for Role {
    fn default() -> Self {
        Self::new()
    }
}

impl Role {
    pub fn new() -> Self {
        Role {
            schema: Schema::resource("aws_iam_role")
                // validation.StringLenBetween(0, 1000)
                .attr("description", |a| {
                    a.validate(Validator::LenBetween(0, 1000))
                })
                .attr("force_detach_policies", |a| a.default(Value::Bool(false)))
                // Elem: verify.ValidARN
                .attr("managed_policy_arns", |a| a.validate(Validator::Arn))
                .attr("max_session_duration", |a| a.default(Value::Number(3600.0)))
                // validResourceName(roleNameMaxLen) / (roleNamePrefixMaxLen), ForceNew
                .attr("name", |a| {
                    a.force_new().validate(Validator::LenBetween(1, 64))
                })
                .attr("name_prefix", |a| {
                    a.force_new().validate(Validator::LenBetween(1, 38))
                })
                // validation.StringLenBetween(0, 512), Default "/", ForceNew
                .attr("path", |a| {
                    a.default(string("/"))
                        .force_new()
                        .validate(Validator::LenBetween(0, 512))
                })
                // verify.ValidARN
                .attr("permissions_boundary", |a| a.validate(Validator::Arn))
                // Optional + Computed: policies a separate aws_iam_role_policy attaches are
                // read back without a diff when the role configures none.
                .nested("inline_policy", NestedBlock::computed)
                // validRolePolicyName
                .attr("inline_policy.name", |a| {
                    a.validate(Validator::LenBetween(1, 128))
                }),
        }
    }
}

fn role_name(state: &Value) -> String {
    [state.attr("id"), state.attr("name")]
        .into_iter()
        .find_map(|v| v.str_opt().filter(|s| !s.is_empty()))
        .unwrap_or_default()
        .to_string()
}

fn iam_err(context: String, op: &'static str) -> impl Fn(ctsim::AwsError) -> Diag {
    move |e| api_error(&context, "IAM", op, &e)
}

/// Inline policies named in the configuration (an empty `inline_policy {}` names none).
fn inline_policies(v: &Value) -> BTreeMap<String, String> {
    v.attr("inline_policy")
        .items()
        .iter()
        .filter_map(|p| {
            Some((
                p.attr("name")
                    .str_opt()
                    .filter(|s| !s.is_empty())?
                    .to_string(),
                p.attr("policy").str_opt().unwrap_or_default().to_string(),
            ))
        })
        .collect()
}

/// `CreateRole` input for a planned role.
pub fn create_request(name: &str, planned: &Value) -> Json {
    let mut request = json!({
        "RoleName": name,
        "Path": planned.attr("path").str_opt().unwrap_or("/"),
        "AssumeRolePolicyDocument": planned.attr("assume_role_policy").str_opt().unwrap_or_default(),
    });
    if let Some(d) = arg(planned, "description") {
        request["Description"] = json!(d);
    }
    if let Some(n) = planned.attr("max_session_duration").num_opt() {
        request["MaxSessionDuration"] = json!(n as i64);
    }
    if let Some(b) = arg(planned, "permissions_boundary") {
        request["PermissionsBoundary"] = json!(b);
    }
    let tags = planned.attr("tags_all").string_map();
    if !tags.is_empty() {
        request["Tags"] = tags_to_list(&tags, "Key", "Value");
    }
    request
}

impl Role {
    fn put_inline(
        &self,
        ctx: &Ctx,
        name: &str,
        policies: &BTreeMap<String, String>,
    ) -> Result<(), Diag> {
        for (policy_name, document) in policies {
            ctx.call(
                &ctx.region,
                "iam",
                "PutRolePolicy",
                json!({"RoleName": name, "PolicyName": policy_name, "PolicyDocument": document}),
            )
            .map_err(iam_err(
                format!("putting IAM Role ({name}) inline policy ({policy_name})"),
                "PutRolePolicy",
            ))?;
        }
        Ok(())
    }

    fn attach(&self, ctx: &Ctx, name: &str, arns: &[String]) -> Result<(), Diag> {
        for arn in arns {
            ctx.call(
                &ctx.region,
                "iam",
                "AttachRolePolicy",
                json!({"RoleName": name, "PolicyArn": arn}),
            )
            .map_err(iam_err(
                format!("attaching IAM Policy ({arn}) to {WHAT} ({name})"),
                "AttachRolePolicy",
            ))?;
        }
        Ok(())
    }

    fn detach(&self, ctx: &Ctx, name: &str, arns: &[String]) -> Result<(), Diag> {
        for arn in arns {
            match ctx.call(
                &ctx.region,
                "iam",
                "DetachRolePolicy",
                json!({"RoleName": name, "PolicyArn": arn}),
            ) {
                Ok(_) => {}
                Err(e) if e.code == "NoSuchEntity" => {}
                Err(e) => {
                    return Err(api_error(
                        &format!("detaching IAM Policy ({arn}) from {WHAT} ({name})"),
                        "IAM",
                        "DetachRolePolicy",
                        &e,
                    ));
                }
            }
        }
        Ok(())
    }

    fn delete_inline(&self, ctx: &Ctx, name: &str, names: &[String]) -> Result<(), Diag> {
        for policy_name in names {
            match ctx.call(
                &ctx.region,
                "iam",
                "DeleteRolePolicy",
                json!({"RoleName": name, "PolicyName": policy_name}),
            ) {
                Ok(_) => {}
                Err(e) if e.code == "NoSuchEntity" => {}
                Err(e) => {
                    return Err(api_error(
                        &format!("deleting IAM Role ({name}) inline policy ({policy_name})"),
                        "IAM",
                        "DeleteRolePolicy",
                        &e,
                    ));
                }
            }
        }
        Ok(())
    }

    fn list_inline(&self, ctx: &Ctx, name: &str) -> Result<Vec<String>, Diag> {
        let out = ctx
            .call(
                &ctx.region,
                "iam",
                "ListRolePolicies",
                json!({"RoleName": name}),
            )
            .map_err(iam_err(
                format!("reading inline policies for {WHAT} ({name})"),
                "ListRolePolicies",
            ))?;
        Ok(json_strings(&out["PolicyNames"]))
    }

    fn list_attached(&self, ctx: &Ctx, name: &str) -> Result<Vec<String>, Diag> {
        let out = ctx
            .call(
                &ctx.region,
                "iam",
                "ListAttachedRolePolicies",
                json!({"RoleName": name}),
            )
            .map_err(iam_err(
                format!("reading managed policies for {WHAT} ({name})"),
                "ListAttachedRolePolicies",
            ))?;
        Ok(out["AttachedPolicies"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|p| p["PolicyArn"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default())
    }
}

impl Resource for Role {
    fn type_name(&self) -> &'static str {
        "aws_iam_role"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn validate(&self, config: &Value) -> Diags {
        let mut diags = validate_policy_json(config, "assume_role_policy");
        diags.extend(validate_name_conflict(config));
        if let Some(n) = config.attr("max_session_duration").num_opt()
            && !(3600.0..=43200.0).contains(&n)
        {
            diags.push(
                Diag::error(format!(
                    "expected max_session_duration to be in the range (3600 - 43200), got {n}"
                ))
                .at(crate::plan::attr_path("max_session_duration")),
            );
        }
        diags
    }

    fn modify_plan(&self, _ctx: &Ctx, prior: &Value, planned: &mut Value) {
        plan_policy(prior, planned, "assume_role_policy");
        if matches!(prior, Value::Null) {
            if let Some(name) = arg(planned, "name") {
                let prefix = name_prefix_from_name(name);
                set_attr(planned, "name_prefix", prefix);
            }
            return;
        }
        // inline_policy is optional and computed: no blocks in configuration keeps what is
        // there; blocks whose policies are equivalent to the prior ones are no change.
        let planned_inline = planned.attr("inline_policy").clone();
        if planned_inline.is_null_or_empty() {
            set_attr(
                planned,
                "inline_policy",
                prior.attr("inline_policy").clone(),
            );
        } else {
            let old = inline_policies(prior);
            let new = inline_policies(planned);
            let same = old.len() == new.len()
                && new
                    .iter()
                    .all(|(k, v)| old.get(k).is_some_and(|o| policy_json::equivalent(o, v)));
            if same {
                set_attr(
                    planned,
                    "inline_policy",
                    prior.attr("inline_policy").clone(),
                );
            }
        }
    }

    fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, (Option<Value>, Diags)> {
        let name = generated_name(arg(planned, "name"), arg(planned, "name_prefix"));
        let out = ctx
            .call(
                &ctx.region,
                "iam",
                "CreateRole",
                create_request(&name, planned),
            )
            .map_err(iam_err(format!("creating {WHAT} ({name})"), "CreateRole"))
            .map_err(fail(None))?;
        if out["Role"]["RoleName"].as_str().is_none() {
            return Err((None, missing("Role.RoleName")));
        }
        let mut state = planned.clone();
        set_attr(&mut state, "id", string(name.clone()));
        self.put_inline(ctx, &name, &inline_policies(planned))
            .map_err(fail(Some(state.clone())))?;
        self.attach(ctx, &name, &planned.attr("managed_policy_arns").strings())
            .map_err(fail(Some(state.clone())))?;
        after_write(self.read(ctx, &state), &format!("{WHAT} ({name})"))
    }

    fn read(&self, ctx: &Ctx, state: &Value) -> Result<Option<Value>, Diags> {
        let name = role_name(state);
        let role = match ctx.call(&ctx.region, "iam", "GetRole", json!({"RoleName": name})) {
            Ok(out) => out["Role"].clone(),
            Err(e) if e.code == "NoSuchEntity" => return Ok(None),
            Err(e) => {
                return Err(vec![
                    iam_err(format!("reading {WHAT} ({name})"), "GetRole")(e),
                ]);
            }
        };
        let trust = decode_document(role["AssumeRolePolicyDocument"].as_str().unwrap_or(""));
        let prior_inline = inline_policies(state);
        let mut inline = Vec::new();
        for policy_name in self.list_inline(ctx, &name).map_err(|d| vec![d])? {
            let out = ctx
                .call(
                    &ctx.region,
                    "iam",
                    "GetRolePolicy",
                    json!({"RoleName": name, "PolicyName": policy_name}),
                )
                .map_err(|e| {
                    vec![iam_err(
                        format!("reading IAM Role ({name}) inline policy ({policy_name})"),
                        "GetRolePolicy",
                    )(e)]
                })?;
            let document = decode_document(out["PolicyDocument"].as_str().unwrap_or(""));
            let prior = prior_inline
                .get(&policy_name)
                .map(|p| string(p.clone()))
                .unwrap_or(Value::Null);
            inline.push(object([
                ("name", string(policy_name.clone())),
                ("policy", policy_to_set(&prior, &document)),
            ]));
        }
        let attached = self.list_attached(ctx, &name).map_err(|d| vec![d])?;
        let all_tags = tags_from_list(&role["Tags"], "Key", "Value");
        let (tags, tags_all) = tag_values(&all_tags, &ctx.default_tags, state.attr("tags"));
        let role_name = role["RoleName"].as_str().unwrap_or(&name).to_string();
        Ok(Some(object([
            ("id", string(role_name.clone())),
            ("arn", json_str(&role["Arn"])),
            (
                "assume_role_policy",
                policy_to_set(state.attr("assume_role_policy"), &trust),
            ),
            ("create_date", json_time(&role["CreateDate"])),
            ("description", json_str(&role["Description"])),
            (
                "force_detach_policies",
                Value::Bool(
                    state
                        .attr("force_detach_policies")
                        .bool_opt()
                        .unwrap_or(false),
                ),
            ),
            ("inline_policy", Value::Set(inline)),
            ("managed_policy_arns", set_value(attached)),
            (
                "max_session_duration",
                Value::Number(role["MaxSessionDuration"].as_f64().unwrap_or(3600.0)),
            ),
            ("name", string(role_name.clone())),
            ("name_prefix", name_prefix_from_name(&role_name)),
            ("path", string(role["Path"].as_str().unwrap_or("/"))),
            (
                "permissions_boundary",
                json_str(&role["PermissionsBoundary"]["PermissionsBoundaryArn"]),
            ),
            ("unique_id", json_str(&role["RoleId"])),
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
        let name = role_name(prior);
        let changed = |a: &str| !semantically_equal(prior.attr(a), planned.attr(a));
        let call = |op: &'static str, what: &str, req: Json| {
            ctx.call(&ctx.region, "iam", op, req)
                .map(|_| ())
                .map_err(iam_err(format!("updating {WHAT} ({name}) {what}"), op))
                .map_err(fail(None))
        };
        let old_trust = prior
            .attr("assume_role_policy")
            .str_opt()
            .unwrap_or_default();
        let new_trust = planned
            .attr("assume_role_policy")
            .str_opt()
            .unwrap_or_default();
        if !policy_json::equivalent(old_trust, new_trust) {
            call(
                "UpdateAssumeRolePolicy",
                "assume role policy",
                json!({"RoleName": name, "PolicyDocument": new_trust}),
            )?;
        }
        if changed("description") {
            call(
                "UpdateRoleDescription",
                "description",
                json!({"RoleName": name, "Description": planned.attr("description").str_opt().unwrap_or("")}),
            )?;
        }
        if changed("max_session_duration") {
            call(
                "UpdateRole",
                "MaxSessionDuration",
                json!({"RoleName": name, "MaxSessionDuration": planned.attr("max_session_duration").num_opt().unwrap_or(3600.0) as i64}),
            )?;
        }
        if changed("permissions_boundary") {
            match arg(planned, "permissions_boundary") {
                Some(b) => call(
                    "PutRolePermissionsBoundary",
                    "permissions boundary",
                    json!({"RoleName": name, "PermissionsBoundary": b}),
                )?,
                None => call(
                    "DeleteRolePermissionsBoundary",
                    "permissions boundary",
                    json!({"RoleName": name}),
                )?,
            }
        }
        if changed("inline_policy") {
            let old = inline_policies(prior);
            let new = inline_policies(planned);
            let removed: Vec<String> = old
                .keys()
                .filter(|k| !new.contains_key(*k))
                .cloned()
                .collect();
            self.delete_inline(ctx, &name, &removed)
                .map_err(fail(None))?;
            let put: BTreeMap<String, String> = new
                .into_iter()
                .filter(|(k, v)| old.get(k).is_none_or(|o| !policy_json::equivalent(o, v)))
                .collect();
            self.put_inline(ctx, &name, &put).map_err(fail(None))?;
        }
        if changed("managed_policy_arns") {
            let old = prior.attr("managed_policy_arns").strings();
            let new = planned.attr("managed_policy_arns").strings();
            let removed: Vec<String> = old.iter().filter(|a| !new.contains(a)).cloned().collect();
            let added: Vec<String> = new.iter().filter(|a| !old.contains(a)).cloned().collect();
            self.detach(ctx, &name, &removed).map_err(fail(None))?;
            self.attach(ctx, &name, &added).map_err(fail(None))?;
        }
        let (removed, added) = tag_diff(prior, planned);
        if !removed.is_empty() {
            call(
                "UntagRole",
                "tags",
                json!({"RoleName": name, "TagKeys": removed}),
            )?;
        }
        if !added.is_empty() {
            call(
                "TagRole",
                "tags",
                json!({"RoleName": name, "Tags": tags_to_list(&added, "Key", "Value")}),
            )?;
        }
        let mut state = prior.clone();
        for a in [
            "assume_role_policy",
            "inline_policy",
            "tags",
            "force_detach_policies",
        ] {
            set_attr(&mut state, a, planned.attr(a).clone());
        }
        after_write(self.read(ctx, &state), &format!("{WHAT} ({name})"))
    }

    fn delete(&self, ctx: &Ctx, state: &Value) -> Result<(), Diags> {
        let name = role_name(state);
        let force = state
            .attr("force_detach_policies")
            .bool_opt()
            .unwrap_or(false);
        let has_inline = !inline_policies(state).is_empty();
        let has_managed = !state.attr("managed_policy_arns").is_null_or_empty();
        if force || has_managed {
            match self.list_attached(ctx, &name) {
                Ok(arns) => self.detach(ctx, &name, &arns).map_err(|d| vec![d])?,
                Err(_) if !force => {}
                Err(d) => return Err(vec![d]),
            }
        }
        if force || has_inline {
            match self.list_inline(ctx, &name) {
                Ok(names) => self
                    .delete_inline(ctx, &name, &names)
                    .map_err(|d| vec![d])?,
                Err(_) if !force => {}
                Err(d) => return Err(vec![d]),
            }
        }
        match ctx.call(&ctx.region, "iam", "DeleteRole", json!({"RoleName": name})) {
            Ok(_) => Ok(()),
            Err(e) if e.code == "NoSuchEntity" => Ok(()),
            Err(e) => Err(vec![iam_err(
                format!("deleting {WHAT} ({name})"),
                "DeleteRole",
            )(e)]),
        }
    }

    fn import(&self, _ctx: &Ctx, id: &str) -> Result<Value, Diags> {
        Ok(object([
            ("id", string(id)),
            ("force_detach_policies", Value::Bool(false)),
        ]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_request_uses_the_iam_member_names() {
        let planned = object([
            ("path", string("/service/")),
            ("assume_role_policy", string("{}")),
            ("max_session_duration", Value::Number(3600.0)),
            ("description", string("CloudTrail to CloudWatch Logs")),
        ]);
        assert_eq!(
            create_request("ct-logs", &planned),
            json!({
                "RoleName": "ct-logs",
                "Path": "/service/",
                "AssumeRolePolicyDocument": "{}",
                "Description": "CloudTrail to CloudWatch Logs",
                "MaxSessionDuration": 3600,
            })
        );
    }

    #[test]
    fn empty_inline_policy_block_names_no_policy() {
        let v = object([(
            "inline_policy",
            Value::Set(vec![object([
                ("name", Value::Null),
                ("policy", Value::Null),
            ])]),
        )]);
        assert!(inline_policies(&v).is_empty());
    }

    #[test]
    fn unconfigured_inline_policies_keep_what_is_there() {
        let role = Role::new();
        let existing = Value::Set(vec![object([
            ("name", string("p")),
            ("policy", string("{\"Version\":\"2012-10-17\"}")),
        ])]);
        let prior = object([
            ("assume_role_policy", string("{}")),
            ("inline_policy", existing.clone()),
        ]);
        let mut planned = object([
            ("assume_role_policy", string("{ }")),
            ("inline_policy", Value::Set(vec![])),
        ]);
        let ctx_client = NoClient;
        let ctx = Ctx {
            client: &ctx_client,
            region: "us-east-1".into(),
            default_tags: Default::default(),
        };
        role.modify_plan(&ctx, &prior, &mut planned);
        assert_eq!(planned.attr("inline_policy"), &existing);
        assert_eq!(planned.attr("assume_role_policy"), &string("{}"));
    }

    struct NoClient;
    impl crate::client::AwsClient for NoClient {
        fn call(&self, _: &str, _: &str, _: &str, _: Json) -> Result<Json, ctsim::AwsError> {
            Err(ctsim::AwsError::new(
                "NotImplemented",
                "no client in unit tests",
                500,
            ))
        }
        fn account_id(&self) -> String {
            "123456789012".into()
        }
    }
}
