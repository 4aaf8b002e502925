//! aws_kms_alias: an alias for a KMS key.

use serde_json::json;
use tfplugin6::value::Value;

use super::support::{after_write, arg, fail, generated_name, json_str};
use super::{Ctx, Resource, api_error};
use crate::diagnostics::{Diag, Diags};
use crate::schema::{Attribute, Schema};
use crate::values::{ValueExt, object, set_attr, string};

const WHAT: &str = "KMS Alias";
const SERVICE: &str = "kms";

pub struct Alias {
    schema: Schema,
}

impl Default for Alias {
    fn default() -> Self {
        Self::new()
    }
}

impl Alias {
    pub fn new() -> Self {
        Alias {
            schema: Schema::resource("aws_kms_alias")
                .attrs(&["name", "name_prefix"], Attribute::force_new),
        }
    }
}

/// `validNameForResource`: alias/ followed by [a-zA-Z0-9/_-], not alias/aws/.
fn check_name(attr: &str, v: &str, prefix: bool) -> Option<Diag> {
    let rest = v.strip_prefix("alias/");
    let ok = rest.is_some_and(|r| {
        (prefix || !r.is_empty())
            && r.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/_-".contains(&b))
    }) && !v.starts_with("alias/aws/");
    (!ok).then(|| {
        Diag::error(format!(
            "{attr} must begin with 'alias/' and be comprised of only [a-zA-Z0-9/_-], and must not begin with 'alias/aws/'"
        ))
        .at(crate::plan::attr_path(attr))
    })
}

fn alias_name(state: &Value) -> String {
    [state.attr("id"), state.attr("name")]
        .into_iter()
        .find_map(|v| v.str_opt().filter(|s| !s.is_empty()))
        .unwrap_or_default()
        .to_string()
}

impl Resource for Alias {
    fn type_name(&self) -> &'static str {
        "aws_kms_alias"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn validate(&self, config: &Value) -> Diags {
        let mut diags = super::iam_policy::validate_name_conflict(config);
        if let Some(n) = config.attr("name").str_opt() {
            diags.extend(check_name("name", n, false));
        }
        if let Some(n) = config.attr("name_prefix").str_opt() {
            diags.extend(check_name("name_prefix", n, true));
        }
        diags
    }

    fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, (Option<Value>, Diags)> {
        let region = ctx.region_of(planned);
        let name = generated_name(
            arg(planned, "name"),
            Some(arg(planned, "name_prefix").unwrap_or("alias/")),
        );
        let target = planned.attr("target_key_id").str_opt().unwrap_or_default();
        ctx.call(
            &region,
            SERVICE,
            "CreateAlias",
            json!({"AliasName": name, "TargetKeyId": target}),
        )
        .map_err(|e| {
            api_error(
                &format!("creating {WHAT} ({name})"),
                "KMS",
                "CreateAlias",
                &e,
            )
        })
        .map_err(fail(None))?;
        let mut state = planned.clone();
        set_attr(&mut state, "id", string(name.clone()));
        set_attr(&mut state, "region", string(region));
        after_write(self.read(ctx, &state), &format!("{WHAT} ({name})"))
    }

    fn read(&self, ctx: &Ctx, state: &Value) -> Result<Option<Value>, Diags> {
        let region = ctx.region_of(state);
        let name = alias_name(state);
        let out = ctx
            .call(&region, SERVICE, "ListAliases", json!({}))
            .map_err(|e| {
                vec![api_error(
                    &format!("reading {WHAT} ({name})"),
                    "KMS",
                    "ListAliases",
                    &e,
                )]
            })?;
        let Some(alias) = out["Aliases"]
            .as_array()
            .and_then(|a| a.iter().find(|a| a["AliasName"].as_str() == Some(&name)))
            .cloned()
        else {
            return Ok(None);
        };
        let arn = alias["AliasArn"].as_str().unwrap_or_default().to_string();
        let target = alias["TargetKeyId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        // The key ARN: the alias ARN with "alias/NAME" replaced by "key/ID".
        let target_arn = match arn.split_once(":alias/") {
            Some((base, _)) => format!("{base}:key/{target}"),
            None => String::new(),
        };
        // target_key_id keeps the configured form (ID or ARN) when it names the same key.
        let configured = state.attr("target_key_id").str_opt().unwrap_or_default();
        let target_key_id = if configured == target_arn || configured == target {
            configured.to_string()
        } else {
            target.clone()
        };
        Ok(Some(object([
            ("id", string(name.clone())),
            ("arn", string(arn)),
            ("name", string(name)),
            ("name_prefix", state.attr("name_prefix").clone()),
            ("target_key_id", string(target_key_id)),
            ("target_key_arn", json_str(&json!(target_arn))),
            ("region", string(region)),
        ])))
    }

    fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, (Option<Value>, Diags)> {
        let region = ctx.region_of(prior);
        let name = alias_name(prior);
        let target = planned.attr("target_key_id").str_opt().unwrap_or_default();
        ctx.call(
            &region,
            SERVICE,
            "UpdateAlias",
            json!({"AliasName": name, "TargetKeyId": target}),
        )
        .map_err(|e| {
            api_error(
                &format!("updating {WHAT} ({name})"),
                "KMS",
                "UpdateAlias",
                &e,
            )
        })
        .map_err(fail(None))?;
        let mut state = prior.clone();
        set_attr(&mut state, "target_key_id", string(target));
        after_write(self.read(ctx, &state), &format!("{WHAT} ({name})"))
    }

    fn delete(&self, ctx: &Ctx, state: &Value) -> Result<(), Diags> {
        let region = ctx.region_of(state);
        let name = alias_name(state);
        match ctx.call(&region, SERVICE, "DeleteAlias", json!({"AliasName": name})) {
            Ok(_) => Ok(()),
            Err(e) if e.code == "NotFoundException" => Ok(()),
            Err(e) => Err(vec![api_error(
                &format!("deleting {WHAT} ({name})"),
                "KMS",
                "DeleteAlias",
                &e,
            )]),
        }
    }

    fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, Diags> {
        Ok(object([
            ("id", string(id)),
            ("region", string(ctx.region.clone())),
        ]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_names_are_validated() {
        assert!(check_name("name", "alias/cloudtrail", false).is_none());
        assert!(check_name("name", "cloudtrail", false).is_some());
        assert!(check_name("name", "alias/aws/s3", false).is_some());
    }
}
