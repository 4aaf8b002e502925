//! aws_organizations_account: a member account created in the organization.

use serde_json::{Value as Json, json};
use tfplugin6::value::Value;

use super::support::{
    after_write, arg, fail, json_str, tag_diff, tag_values, tags_from_list, tags_to_list,
};
use super::{Ctx, Resource, api_error, missing};
use crate::diagnostics::{Diag, Diags};
use crate::schema::{Attribute, Schema, Validator};
use crate::values::{ValueExt, object, set_attr, string};

const WHAT: &str = "Organizations Account";
const SERVICE: &str = "organizations";

pub struct Account {
    schema: Schema,
}

impl Default for Account {
    fn default() -> Self {
        Self::new()
    }
}

impl Account {
    pub fn new() -> Self {
        Account {
            schema: Schema::resource("aws_organizations_account")
                .attr("close_on_deletion", |a| a.default(Value::Bool(false)))
                .attr("create_govcloud", |a| {
                    a.default(Value::Bool(false)).force_new()
                })
                // validation.StringLenBetween(6, 64), ForceNew
                .attr("email", |a| {
                    a.force_new().validate(Validator::LenBetween(6, 64))
                })
                // enum.Validate[awstypes.IAMUserAccessToBilling](), ForceNew
                .attr("iam_user_access_to_billing", |a| {
                    a.force_new().validate(Validator::OneOf(&["ALLOW", "DENY"]))
                })
                // validation.StringLenBetween(1, 50), ForceNew
                .attr("name", |a| {
                    a.force_new().validate(Validator::LenBetween(1, 50))
                })
                .attr("role_name", Attribute::force_new),
        }
    }
}

fn org_err(context: String, op: &'static str) -> impl Fn(ctsim::AwsError) -> Diag {
    move |e| api_error(&context, "Organizations", op, &e)
}

/// `CreateAccount` input for a planned account.
pub fn create_request(planned: &Value) -> Json {
    let mut request = json!({
        "AccountName": planned.attr("name").str_opt().unwrap_or_default(),
        "Email": planned.attr("email").str_opt().unwrap_or_default(),
    });
    if let Some(v) = arg(planned, "iam_user_access_to_billing") {
        request["IamUserAccessToBilling"] = json!(v);
    }
    if let Some(v) = arg(planned, "role_name") {
        request["RoleName"] = json!(v);
    }
    let tags = planned.attr("tags_all").string_map();
    if !tags.is_empty() {
        request["Tags"] = tags_to_list(&tags, "Key", "Value");
    }
    request
}

impl Account {
    fn parent_of(&self, ctx: &Ctx, id: &str) -> Result<Option<String>, Diag> {
        let out = ctx
            .call(&ctx.region, SERVICE, "ListParents", json!({"ChildId": id}))
            .map_err(org_err(
                format!("reading {WHAT} ({id}) parent"),
                "ListParents",
            ))?;
        Ok(out["Parents"][0]["Id"].as_str().map(str::to_string))
    }

    fn move_to(&self, ctx: &Ctx, id: &str, to: &str) -> Result<(), Diag> {
        let Some(from) = self.parent_of(ctx, id)? else {
            return Err(Diag::error(format!(
                "reading {WHAT} ({id}) parent: empty result"
            )));
        };
        if from == to {
            return Ok(());
        }
        ctx.call(
            &ctx.region,
            SERVICE,
            "MoveAccount",
            json!({"AccountId": id, "SourceParentId": from, "DestinationParentId": to}),
        )
        .map(|_| ())
        .map_err(org_err(format!("moving {WHAT} ({id})"), "MoveAccount"))
    }
}

impl Resource for Account {
    fn type_name(&self) -> &'static str {
        "aws_organizations_account"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, (Option<Value>, Diags)> {
        let name = planned
            .attr("name")
            .str_opt()
            .unwrap_or_default()
            .to_string();
        let out = ctx
            .call(
                &ctx.region,
                SERVICE,
                "CreateAccount",
                create_request(planned),
            )
            .map_err(org_err(
                format!("creating {WHAT} ({name})"),
                "CreateAccount",
            ))
            .map_err(fail(None))?;
        let mut status = out["CreateAccountStatus"].clone();
        // The simulator may finish at once; otherwise poll the request a bounded number of times.
        for _ in 0..30 {
            if status["State"].as_str() != Some("IN_PROGRESS") {
                break;
            }
            let Some(request_id) = status["Id"].as_str() else {
                break;
            };
            status = ctx
                .call(
                    &ctx.region,
                    SERVICE,
                    "DescribeCreateAccountStatus",
                    json!({"CreateAccountRequestId": request_id}),
                )
                .map_err(org_err(
                    format!("waiting for {WHAT} ({name}) create"),
                    "DescribeCreateAccountStatus",
                ))
                .map_err(fail(None))?["CreateAccountStatus"]
                .clone();
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        if status["State"].as_str() == Some("FAILED") {
            return Err((
                None,
                vec![Diag::error(format!(
                    "creating {WHAT} ({name}): unexpected state 'FAILED', wanted target 'SUCCEEDED'. last error: {}",
                    status["FailureReason"].as_str().unwrap_or("")
                ))],
            ));
        }
        let Some(id) = status["AccountId"].as_str().map(str::to_string) else {
            return Err((None, missing("CreateAccountStatus.AccountId")));
        };
        let mut state = planned.clone();
        set_attr(&mut state, "id", string(id.clone()));
        // Only known from the create status: DescribeAccount does not return it.
        set_attr(
            &mut state,
            "govcloud_id",
            json_str(&status["GovCloudAccountId"]),
        );
        if let Some(parent) = arg(planned, "parent_id") {
            self.move_to(ctx, &id, parent)
                .map_err(fail(Some(state.clone())))?;
        }
        after_write(self.read(ctx, &state), &format!("{WHAT} ({id})"))
    }

    fn read(&self, ctx: &Ctx, state: &Value) -> Result<Option<Value>, Diags> {
        let id = state.attr("id").str_opt().unwrap_or_default().to_string();
        let account = match ctx.call(
            &ctx.region,
            SERVICE,
            "DescribeAccount",
            json!({"AccountId": id}),
        ) {
            Ok(out) => out["Account"].clone(),
            Err(e)
                if e.code == "AccountNotFoundException"
                    || e.code == "AWSOrganizationsNotInUseException" =>
            {
                return Ok(None);
            }
            Err(e) => {
                return Err(vec![org_err(
                    format!("reading {WHAT} ({id})"),
                    "DescribeAccount",
                )(e)]);
            }
        };
        if matches!(
            account["Status"].as_str(),
            Some("SUSPENDED" | "PENDING_CLOSURE")
        ) {
            return Ok(None);
        }
        let parent = self.parent_of(ctx, &id).map_err(|d| vec![d])?;
        let tags = ctx
            .call(
                &ctx.region,
                SERVICE,
                "ListTagsForResource",
                json!({"ResourceId": id}),
            )
            .map_err(|e| {
                vec![org_err(
                    format!("listing tags for {WHAT} ({id})"),
                    "ListTagsForResource",
                )(e)]
            })?;
        let all_tags = tags_from_list(&tags["Tags"], "Key", "Value");
        let (tags, tags_all) = tag_values(&all_tags, &ctx.default_tags, state.attr("tags"));
        let keep = |a: &str, default: Value| match state.attr(a) {
            Value::Null => default,
            v => v.clone(),
        };
        Ok(Some(object([
            ("id", string(id)),
            ("arn", json_str(&account["Arn"])),
            (
                "close_on_deletion",
                keep("close_on_deletion", Value::Bool(false)),
            ),
            (
                "create_govcloud",
                keep("create_govcloud", Value::Bool(false)),
            ),
            ("email", json_str(&account["Email"])),
            ("govcloud_id", state.attr("govcloud_id").clone()),
            (
                "iam_user_access_to_billing",
                state.attr("iam_user_access_to_billing").clone(),
            ),
            ("name", json_str(&account["Name"])),
            ("parent_id", crate::values::opt_string(parent)),
            ("role_name", state.attr("role_name").clone()),
            ("status", json_str(&account["Status"])),
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
        let id = prior.attr("id").str_opt().unwrap_or_default().to_string();
        if prior.attr("parent_id") != planned.attr("parent_id")
            && let Some(parent) = arg(planned, "parent_id")
        {
            self.move_to(ctx, &id, parent).map_err(fail(None))?;
        }
        let (removed, added) = tag_diff(prior, planned);
        if !removed.is_empty() {
            ctx.call(
                &ctx.region,
                SERVICE,
                "UntagResource",
                json!({"ResourceId": id, "TagKeys": removed}),
            )
            .map_err(org_err(format!("untagging {WHAT} ({id})"), "UntagResource"))
            .map_err(fail(None))?;
        }
        if !added.is_empty() {
            ctx.call(
                &ctx.region,
                SERVICE,
                "TagResource",
                json!({"ResourceId": id, "Tags": tags_to_list(&added, "Key", "Value")}),
            )
            .map_err(org_err(format!("tagging {WHAT} ({id})"), "TagResource"))
            .map_err(fail(None))?;
        }
        let mut state = prior.clone();
        for a in ["close_on_deletion", "tags"] {
            set_attr(&mut state, a, planned.attr(a).clone());
        }
        after_write(self.read(ctx, &state), &format!("{WHAT} ({id})"))
    }

    fn delete(&self, ctx: &Ctx, state: &Value) -> Result<(), Diags> {
        let id = state.attr("id").str_opt().unwrap_or_default();
        let (op, verb) = if state.attr("close_on_deletion").bool_opt() == Some(true) {
            ("CloseAccount", "closing")
        } else {
            ("RemoveAccountFromOrganization", "removing")
        };
        match ctx.call(&ctx.region, SERVICE, op, json!({"AccountId": id})) {
            Ok(_) => Ok(()),
            Err(e) if e.code == "AccountNotFoundException" => Ok(()),
            Err(e) => Err(vec![org_err(format!("{verb} {WHAT} ({id})"), op)(e)]),
        }
    }

    fn import(&self, _ctx: &Ctx, id: &str) -> Result<Value, Diags> {
        // An optional `_ROLE_NAME` or `_IAM_USER_ACCESS_TO_BILLING` suffix is not supported here.
        if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(vec![Diag::error(format!(
                "importing {WHAT} ({id}): the import ID is the 12-digit account ID"
            ))]);
        }
        Ok(object([
            ("id", string(id)),
            ("close_on_deletion", Value::Bool(false)),
            ("create_govcloud", Value::Bool(false)),
        ]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_request_uses_the_organizations_member_names() {
        let planned = object([
            ("name", string("audit")),
            ("email", string("audit@example.com")),
            ("iam_user_access_to_billing", string("DENY")),
        ]);
        assert_eq!(
            create_request(&planned),
            json!({"AccountName": "audit", "Email": "audit@example.com", "IamUserAccessToBilling": "DENY"})
        );
    }
}
