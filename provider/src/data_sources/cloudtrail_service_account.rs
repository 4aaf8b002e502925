//! aws_cloudtrail_service_account: the account CloudTrail delivered logs from in each region
//! (used in legacy bucket policies), from the table hashicorp/aws hard-codes.

use tfplugin6::value::Value;

use super::DataSource;
use crate::diagnostics::{Diag, Diags};
use crate::resources::Ctx;
use crate::schema::Schema;
use crate::values::{ValueExt, set_attr, string};

/// Region -> CloudTrail service account, as hashicorp/aws lists them.
pub use ctsim::policy::cloudtrail::LEGACY_SERVICE_ACCOUNTS as SERVICE_ACCOUNTS;

pub struct ServiceAccount {
    schema: Schema,
}

impl Default for ServiceAccount {
    fn default() -> Self {
        Self::new()
    }
}

impl ServiceAccount {
    pub fn new() -> Self {
        ServiceAccount {
            schema: Schema::data_source("aws_cloudtrail_service_account"),
        }
    }
}

impl DataSource for ServiceAccount {
    fn type_name(&self) -> &'static str {
        "aws_cloudtrail_service_account"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, Diags> {
        let region = config.attr("region").str_opt().unwrap_or(&ctx.region);
        let Some((_, account)) = SERVICE_ACCOUNTS.iter().find(|(r, _)| *r == region) else {
            return Err(vec![Diag::error(format!(
                "unsupported CloudTrail Service Account Region ({region})"
            ))]);
        };
        let (partition, _, _) = super::partition::partition_of(region);
        let mut state = config.clone();
        set_attr(&mut state, "id", string(*account));
        set_attr(
            &mut state,
            "arn",
            string(format!("arn:{partition}:iam::{account}:root")),
        );
        Ok(state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn us_east_1_is_the_documented_account() {
        let found = SERVICE_ACCOUNTS.iter().find(|(r, _)| *r == "us-east-1");
        assert_eq!(found.map(|(_, a)| *a), Some("086441151436"));
    }
}
