//! aws_caller_identity: who the provider's calls run as (sts:GetCallerIdentity).

use serde_json::json;
use tfplugin6::value::Value;

use super::DataSource;
use crate::diagnostics::Diags;
use crate::resources::support::json_str;
use crate::resources::{Ctx, api_error};
use crate::schema::Schema;
use crate::values::set_attr;

pub struct CallerIdentity {
    schema: Schema,
}

impl Default for CallerIdentity {
    fn default() -> Self {
        Self::new()
    }
}

impl CallerIdentity {
    pub fn new() -> Self {
        CallerIdentity {
            schema: Schema::data_source("aws_caller_identity"),
        }
    }
}

impl DataSource for CallerIdentity {
    fn type_name(&self) -> &'static str {
        "aws_caller_identity"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, Diags> {
        let out = ctx
            .call(&ctx.region, "sts", "GetCallerIdentity", json!({}))
            .map_err(|e| {
                vec![api_error(
                    "reading STS Caller Identity",
                    "STS",
                    "GetCallerIdentity",
                    &e,
                )]
            })?;
        let mut state = config.clone();
        set_attr(&mut state, "account_id", json_str(&out["Account"]));
        set_attr(&mut state, "id", json_str(&out["Account"]));
        set_attr(&mut state, "arn", json_str(&out["Arn"]));
        set_attr(&mut state, "user_id", json_str(&out["UserId"]));
        Ok(state)
    }
}
