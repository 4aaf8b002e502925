//! aws_organizations_organization: the AWS Organization of the caller's account. Also
//! reads the organization for the data source of the same name.

use serde_json::{Value as Json, json};
use tfplugin6::value::Value;

use super::support::{after_write, fail, json_str};
use super::{Ctx, Resource, api_error, missing};
use crate::diagnostics::{Diag, Diags};
use crate::schema::{Schema, Validator};
use crate::values::{
    ValueExt, object, semantically_equal, set_attr, string, string_set as set_value,
};

const WHAT: &str = "Organizations Organization";
const SERVICE: &str = "organizations";

pub const POLICY_TYPES: &[&str] = &[
    "AISERVICES_OPT_OUT_POLICY",
    "BACKUP_POLICY",
    "CHATBOT_POLICY",
    "DECLARATIVE_POLICY_EC2",
    "RESOURCE_CONTROL_POLICY",
    "SERVICE_CONTROL_POLICY",
    "TAG_POLICY",
];

pub struct Organization {
    schema: Schema,
}

impl Default for Organization {
    fn default() -> Self {
        Self::new()
    }
}

impl Organization {
    pub fn new() -> Self {
        Organization {
            schema: Schema::resource("aws_organizations_organization")
                // Elem: enum.Validate[awstypes.PolicyType]()
                .attr("enabled_policy_types", |a| {
                    a.validate(Validator::OneOf(POLICY_TYPES))
                })
                // enum.Validate[awstypes.OrganizationFeatureSet](), Default ALL
                .attr("feature_set", |a| {
                    a.default(string("ALL"))
                        .validate(Validator::OneOf(&["ALL", "CONSOLIDATED_BILLING"]))
                }),
        }
    }
}

fn org_err(context: String, op: &'static str) -> impl Fn(ctsim::AwsError) -> Diag {
    move |e| api_error(&context, "Organizations", op, &e)
}

fn flatten_accounts(accounts: &[Json]) -> Value {
    Value::List(
        accounts
            .iter()
            .map(|a| {
                object([
                    ("arn", json_str(&a["Arn"])),
                    ("email", json_str(&a["Email"])),
                    ("id", json_str(&a["Id"])),
                    ("name", json_str(&a["Name"])),
                    ("status", json_str(&a["Status"])),
                ])
            })
            .collect(),
    )
}

fn flatten_roots(roots: &[Json]) -> Value {
    Value::List(
        roots
            .iter()
            .map(|r| {
                let types = r["PolicyTypes"]
                    .as_array()
                    .map(|t| {
                        t.iter()
                            .map(|p| {
                                object([
                                    ("status", json_str(&p["Status"])),
                                    ("type", json_str(&p["Type"])),
                                ])
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                object([
                    ("arn", json_str(&r["Arn"])),
                    ("id", json_str(&r["Id"])),
                    ("name", json_str(&r["Name"])),
                    ("policy_types", Value::List(types)),
                ])
            })
            .collect(),
    )
}

/// Reads the organization into `state`'s attributes; Ok(None) when there is none
/// (`AWSOrganizationsNotInUseException`).
pub fn read_organization(ctx: &Ctx, state: &Value) -> Result<Option<Value>, Diags> {
    let region = ctx.region.clone();
    let org = match ctx.call(&region, SERVICE, "DescribeOrganization", json!({})) {
        Ok(out) => out["Organization"].clone(),
        Err(e) if e.code == "AWSOrganizationsNotInUseException" => return Ok(None),
        Err(e) => {
            return Err(vec![org_err(
                format!("reading {WHAT}"),
                "DescribeOrganization",
            )(e)]);
        }
    };
    let id = org["Id"].as_str().unwrap_or_default().to_string();
    let accounts = ctx
        .call(&region, SERVICE, "ListAccounts", json!({}))
        .map_err(|e| {
            vec![org_err(
                format!("reading {WHAT} ({id}) accounts"),
                "ListAccounts",
            )(e)]
        })?;
    let accounts = accounts["Accounts"].as_array().cloned().unwrap_or_default();
    let master = org["MasterAccountId"].as_str().unwrap_or_default();
    let master_name = accounts
        .iter()
        .find(|a| a["Id"].as_str() == Some(master))
        .map(|a| json_str(&a["Name"]))
        .unwrap_or(Value::Null);
    let others: Vec<Json> = accounts
        .iter()
        .filter(|a| a["Id"].as_str() != Some(master))
        .cloned()
        .collect();
    let roots = ctx
        .call(&region, SERVICE, "ListRoots", json!({}))
        .map_err(|e| vec![org_err(format!("reading {WHAT} ({id}) roots"), "ListRoots")(e)])?;
    let roots = roots["Roots"].as_array().cloned().unwrap_or_default();
    let feature_set = org["FeatureSet"].as_str().unwrap_or("ALL").to_string();
    let mut principals = Vec::new();
    if feature_set == "ALL" {
        let out = ctx
            .call(
                &region,
                SERVICE,
                "ListAWSServiceAccessForOrganization",
                json!({}),
            )
            .map_err(|e| {
                vec![org_err(
                    format!("reading {WHAT} ({id}) service principals"),
                    "ListAWSServiceAccessForOrganization",
                )(e)]
            })?;
        principals = out["EnabledServicePrincipals"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|p| p["ServicePrincipal"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
    }
    let enabled_types: Vec<String> = roots
        .first()
        .and_then(|r| r["PolicyTypes"].as_array())
        .map(|t| {
            t.iter()
                .filter(|p| p["Status"].as_str() == Some("ENABLED"))
                .filter_map(|p| p["Type"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let mut out = state.clone();
    if !matches!(out, Value::Object(_)) {
        out = object([]);
    }
    let set_or_null = |v: Vec<String>| {
        if v.is_empty() {
            Value::Null
        } else {
            set_value(v)
        }
    };
    for (k, v) in [
        ("id", string(id)),
        ("accounts", flatten_accounts(&accounts)),
        ("arn", json_str(&org["Arn"])),
        ("aws_service_access_principals", set_or_null(principals)),
        ("enabled_policy_types", set_or_null(enabled_types)),
        ("feature_set", string(feature_set)),
        ("master_account_arn", json_str(&org["MasterAccountArn"])),
        ("master_account_email", json_str(&org["MasterAccountEmail"])),
        ("master_account_id", json_str(&org["MasterAccountId"])),
        ("master_account_name", master_name),
        ("non_master_accounts", flatten_accounts(&others)),
        ("roots", flatten_roots(&roots)),
    ] {
        set_attr(&mut out, k, v);
    }
    Ok(Some(out))
}

impl Organization {
    fn set_principal(&self, ctx: &Ctx, principal: &str, enable: bool) -> Result<(), Diag> {
        let (op, verb) = if enable {
            ("EnableAWSServiceAccess", "enabling")
        } else {
            ("DisableAWSServiceAccess", "disabling")
        };
        ctx.call(
            &ctx.region,
            SERVICE,
            op,
            json!({"ServicePrincipal": principal}),
        )
        .map(|_| ())
        .map_err(org_err(
            format!("{verb} AWS Service Access ({principal}) in {WHAT}"),
            op,
        ))
    }

    fn set_policy_type(&self, ctx: &Ctx, root: &str, ty: &str, enable: bool) -> Result<(), Diag> {
        let (op, verb) = if enable {
            ("EnablePolicyType", "enabling")
        } else {
            ("DisablePolicyType", "disabling")
        };
        ctx.call(
            &ctx.region,
            SERVICE,
            op,
            json!({"PolicyType": ty, "RootId": root}),
        )
        .map(|_| ())
        .map_err(org_err(
            format!("{verb} policy type ({ty}) in {WHAT} root ({root})"),
            op,
        ))
    }

    fn default_root(&self, ctx: &Ctx) -> Result<String, Diag> {
        let out = ctx
            .call(&ctx.region, SERVICE, "ListRoots", json!({}))
            .map_err(org_err(format!("reading {WHAT} default root"), "ListRoots"))?;
        out["Roots"][0]["Id"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| Diag::error(format!("reading {WHAT} default root: empty result")))
    }
}

impl Resource for Organization {
    fn type_name(&self) -> &'static str {
        "aws_organizations_organization"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn modify_plan(&self, _ctx: &Ctx, prior: &Value, planned: &mut Value) {
        // Enabling service access or policy types changes only those lists.
        if matches!(prior, Value::Null) {
            return;
        }
        let changed = |a: &str| !semantically_equal(prior.attr(a), planned.attr(a));
        if changed("enabled_policy_types") {
            set_attr(planned, "roots", Value::Unknown);
        }
    }

    fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, (Option<Value>, Diags)> {
        let feature_set = planned.attr("feature_set").str_opt().unwrap_or("ALL");
        let out = ctx
            .call(
                &ctx.region,
                SERVICE,
                "CreateOrganization",
                json!({"FeatureSet": feature_set}),
            )
            .map_err(org_err(format!("creating {WHAT}"), "CreateOrganization"))
            .map_err(fail(None))?;
        let Some(id) = out["Organization"]["Id"].as_str() else {
            return Err((None, missing("Organization.Id")));
        };
        let mut state = planned.clone();
        set_attr(&mut state, "id", string(id));
        for p in planned.attr("aws_service_access_principals").strings() {
            self.set_principal(ctx, &p, true)
                .map_err(fail(Some(state.clone())))?;
        }
        let types = planned.attr("enabled_policy_types").strings();
        if !types.is_empty() {
            let root = self.default_root(ctx).map_err(fail(Some(state.clone())))?;
            for t in types {
                self.set_policy_type(ctx, &root, &t, true)
                    .map_err(fail(Some(state.clone())))?;
            }
        }
        after_write(self.read(ctx, &state), &format!("{WHAT} ({id})"))
    }

    fn read(&self, ctx: &Ctx, state: &Value) -> Result<Option<Value>, Diags> {
        read_organization(ctx, state)
    }

    fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, (Option<Value>, Diags)> {
        let id = prior.attr("id").str_opt().unwrap_or_default().to_string();
        let diff = |a: &str| {
            let old = prior.attr(a).strings();
            let new = planned.attr(a).strings();
            let removed: Vec<String> = old.iter().filter(|x| !new.contains(x)).cloned().collect();
            let added: Vec<String> = new.iter().filter(|x| !old.contains(x)).cloned().collect();
            (removed, added)
        };
        let (del, add) = diff("aws_service_access_principals");
        for p in del {
            self.set_principal(ctx, &p, false).map_err(fail(None))?;
        }
        for p in add {
            self.set_principal(ctx, &p, true).map_err(fail(None))?;
        }
        let (del, add) = diff("enabled_policy_types");
        if !del.is_empty() || !add.is_empty() {
            let root = self.default_root(ctx).map_err(fail(None))?;
            for t in del {
                self.set_policy_type(ctx, &root, &t, false)
                    .map_err(fail(None))?;
            }
            for t in add {
                self.set_policy_type(ctx, &root, &t, true)
                    .map_err(fail(None))?;
            }
        }
        let old_fs = prior.attr("feature_set").str_opt().unwrap_or("ALL");
        let new_fs = planned.attr("feature_set").str_opt().unwrap_or("ALL");
        if old_fs != new_fs {
            if new_fs == "CONSOLIDATED_BILLING" {
                // hashicorp/aws forces a new organization for ALL -> CONSOLIDATED_BILLING.
                return Err((
                    None,
                    vec![Diag::error(format!(
                        "updating {WHAT} ({id}): changing feature_set from ALL to CONSOLIDATED_BILLING requires a new organization"
                    ))],
                ));
            }
            ctx.call(&ctx.region, SERVICE, "EnableAllFeatures", json!({}))
                .map_err(org_err(
                    format!("enabling all features in {WHAT} ({id})"),
                    "EnableAllFeatures",
                ))
                .map_err(fail(None))?;
        }
        after_write(self.read(ctx, planned), &format!("{WHAT} ({id})"))
    }

    fn delete(&self, ctx: &Ctx, state: &Value) -> Result<(), Diags> {
        let id = state.attr("id").str_opt().unwrap_or_default();
        match ctx.call(&ctx.region, SERVICE, "DeleteOrganization", json!({})) {
            Ok(_) => Ok(()),
            Err(e) if e.code == "AWSOrganizationsNotInUseException" => Ok(()),
            Err(e) => Err(vec![org_err(
                format!("deleting {WHAT} ({id})"),
                "DeleteOrganization",
            )(e)]),
        }
    }

    fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, Diags> {
        let out = ctx
            .call(&ctx.region, SERVICE, "DescribeOrganization", json!({}))
            .map_err(|e| {
                vec![org_err(
                    format!("importing {WHAT} ({id})"),
                    "DescribeOrganization",
                )(e)]
            })?;
        let current = out["Organization"]["Id"].as_str().unwrap_or_default();
        if current != id {
            return Err(vec![Diag::error(format!(
                "current Organizations Organization ID ({current}) does not match ({id})"
            ))]);
        }
        Ok(object([
            ("id", string(id)),
            ("feature_set", json_str(&out["Organization"]["FeatureSet"])),
        ]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_flatten_to_the_hashicorp_shape() {
        let flat = flatten_accounts(&[json!({
            "Id": "111111111111", "Arn": "arn:aws:organizations::111111111111:account/o-x/111111111111",
            "Email": "a@example.com", "Name": "a", "Status": "ACTIVE"
        })]);
        assert_eq!(flat.items()[0].attr("id"), &string("111111111111"));
        assert_eq!(flat.items()[0].attr("status"), &string("ACTIVE"));
    }
}
