//! aws_cloudtrail_organization_delegated_admin_account: a member account registered as a
//! CloudTrail delegated administrator of the organization.

use serde_json::json;
use tfplugin6::value::Value;

use super::support::{after_write, fail, json_str};
use super::{Ctx, Resource, api_error};
use crate::diagnostics::{Diag, Diags};
use crate::schema::{Attribute, Schema};
use crate::values::{ValueExt, object, set_attr, string};

const WHAT: &str = "CloudTrail Organization Delegated Admin Account";
pub const SERVICE_PRINCIPAL: &str = "cloudtrail.amazonaws.com";

pub struct DelegatedAdminAccount {
    schema: Schema,
}

impl Default for DelegatedAdminAccount {
    fn default() -> Self {
        Self::new()
    }
}

impl DelegatedAdminAccount {
    pub fn new() -> Self {
        DelegatedAdminAccount {
            schema: Schema::resource("aws_cloudtrail_organization_delegated_admin_account")
                .attr("account_id", Attribute::force_new),
        }
    }
}

fn check_account_id(id: &str) -> Option<Diag> {
    (id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit())).then(|| {
        Diag::error(format!(
            "\"account_id\" ({id}) must be a 12-digit AWS account ID"
        ))
    })
}

impl Resource for DelegatedAdminAccount {
    fn type_name(&self) -> &'static str {
        "aws_cloudtrail_organization_delegated_admin_account"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn validate(&self, config: &Value) -> Diags {
        config
            .attr("account_id")
            .str_opt()
            .and_then(check_account_id)
            .map(|d| d.at(crate::plan::attr_path("account_id")))
            .into_iter()
            .collect()
    }

    fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, (Option<Value>, Diags)> {
        let account = planned
            .attr("account_id")
            .str_opt()
            .unwrap_or_default()
            .to_string();
        ctx.call(
            &ctx.region,
            "cloudtrail",
            "RegisterOrganizationDelegatedAdmin",
            json!({"MemberAccountId": account}),
        )
        .map_err(|e| {
            api_error(
                &format!("creating {WHAT} ({account})"),
                "CloudTrail",
                "RegisterOrganizationDelegatedAdmin",
                &e,
            )
        })
        .map_err(fail(None))?;
        let mut state = planned.clone();
        set_attr(&mut state, "id", string(account.clone()));
        after_write(self.read(ctx, &state), &format!("{WHAT} ({account})"))
    }

    fn read(&self, ctx: &Ctx, state: &Value) -> Result<Option<Value>, Diags> {
        let id = state.attr("id").str_opt().unwrap_or_default().to_string();
        let out = match ctx.call(
            &ctx.region,
            "organizations",
            "ListDelegatedAdministrators",
            json!({"ServicePrincipal": SERVICE_PRINCIPAL}),
        ) {
            Ok(out) => out,
            Err(e) if e.code == "AWSOrganizationsNotInUseException" => return Ok(None),
            Err(e) => {
                return Err(vec![api_error(
                    &format!("reading {WHAT} ({id})"),
                    "Organizations",
                    "ListDelegatedAdministrators",
                    &e,
                )]);
            }
        };
        let Some(admin) = out["DelegatedAdministrators"]
            .as_array()
            .and_then(|a| a.iter().find(|d| d["Id"].as_str() == Some(&id)))
            .cloned()
        else {
            return Ok(None);
        };
        Ok(Some(object([
            ("id", string(id.clone())),
            ("account_id", string(id)),
            ("arn", json_str(&admin["Arn"])),
            ("email", json_str(&admin["Email"])),
            ("name", json_str(&admin["Name"])),
            ("service_principal", string(SERVICE_PRINCIPAL)),
        ])))
    }

    fn update(
        &self,
        ctx: &Ctx,
        _prior: &Value,
        planned: &Value,
    ) -> Result<Value, (Option<Value>, Diags)> {
        // account_id forces replacement; nothing changes in place.
        after_write(self.read(ctx, planned), WHAT)
    }

    fn delete(&self, ctx: &Ctx, state: &Value) -> Result<(), Diags> {
        let id = state.attr("id").str_opt().unwrap_or_default();
        match ctx.call(
            &ctx.region,
            "cloudtrail",
            "DeregisterOrganizationDelegatedAdmin",
            json!({"DelegatedAdminAccountId": id}),
        ) {
            Ok(_) => Ok(()),
            Err(e) if e.code == "AccountNotRegisteredException" => Ok(()),
            Err(e) => Err(vec![api_error(
                &format!("deleting {WHAT} ({id})"),
                "CloudTrail",
                "DeregisterOrganizationDelegatedAdmin",
                &e,
            )]),
        }
    }

    fn import(&self, _ctx: &Ctx, id: &str) -> Result<Value, Diags> {
        if let Some(d) = check_account_id(id) {
            return Err(vec![d]);
        }
        Ok(object([("id", string(id)), ("account_id", string(id))]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_id_must_be_twelve_digits() {
        assert!(check_account_id("123456789012").is_none());
        assert!(check_account_id("12345").is_some());
    }
}
