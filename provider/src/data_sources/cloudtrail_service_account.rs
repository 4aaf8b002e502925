//! aws_cloudtrail_service_account: the account CloudTrail delivered logs from in each region
//! (used in legacy bucket policies), from the table hashicorp/aws hard-codes.

use tfplugin6::value::{Type, Value};

use super::DataSource;
use crate::diagnostics::{Diag, Diags};
use crate::resources::Ctx;
use crate::schema::{Attribute, Block, Schema};
use crate::values::{ValueExt, set_attr, string};

/// Region -> CloudTrail service account, as hashicorp/aws lists them.
pub const SERVICE_ACCOUNTS: &[(&str, &str)] = &[
    ("af-south-1", "525921808201"),
    ("ap-east-1", "119688915426"),
    ("ap-northeast-1", "216624486486"),
    ("ap-northeast-2", "492519147666"),
    ("ap-northeast-3", "765225791966"),
    ("ap-south-1", "977081816279"),
    ("ap-south-2", "582488909970"),
    ("ap-southeast-1", "903692715234"),
    ("ap-southeast-2", "284668455005"),
    ("ap-southeast-3", "069019280451"),
    ("ap-southeast-4", "187074758985"),
    ("ca-central-1", "819402241893"),
    ("cn-north-1", "193415116832"),
    ("cn-northwest-1", "681348832753"),
    ("eu-central-1", "035351147821"),
    ("eu-central-2", "453052556044"),
    ("eu-north-1", "829690693026"),
    ("eu-south-1", "669305197877"),
    ("eu-south-2", "757211635381"),
    ("eu-west-1", "859597730677"),
    ("eu-west-2", "282025262664"),
    ("eu-west-3", "262312530599"),
    ("il-central-1", "683224464357"),
    ("me-central-1", "585772288577"),
    ("me-south-1", "034638983726"),
    ("sa-east-1", "814480443879"),
    ("us-east-1", "086441151436"),
    ("us-east-2", "475085895292"),
    ("us-gov-east-1", "608710470296"),
    ("us-gov-west-1", "608710470296"),
    ("us-west-1", "388731089494"),
    ("us-west-2", "113285607260"),
];

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
            schema: Schema {
                version: 0,
                block: Block::new(
                    vec![
                        Attribute::computed("arn", Type::String),
                        Attribute::optional_computed("id", Type::String),
                        Attribute::optional("region", Type::String),
                    ],
                    vec![],
                ),
            },
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
