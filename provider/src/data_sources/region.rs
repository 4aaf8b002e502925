//! aws_region: a region's name, description and EC2 endpoint (v6: `region` names it; the
//! older `name` is kept as a deprecated alias).

use tfplugin6::value::Value;

use super::DataSource;
use crate::diagnostics::{Diag, Diags};
use crate::resources::Ctx;
use crate::schema::Schema;
use crate::values::{ValueExt, set_attr, string};

/// Regions and their descriptions, as the AWS SDK endpoints metadata lists them.
pub const REGIONS: &[(&str, &str)] = &[
    ("af-south-1", "Africa (Cape Town)"),
    ("ap-east-1", "Asia Pacific (Hong Kong)"),
    ("ap-northeast-1", "Asia Pacific (Tokyo)"),
    ("ap-northeast-2", "Asia Pacific (Seoul)"),
    ("ap-northeast-3", "Asia Pacific (Osaka)"),
    ("ap-south-1", "Asia Pacific (Mumbai)"),
    ("ap-south-2", "Asia Pacific (Hyderabad)"),
    ("ap-southeast-1", "Asia Pacific (Singapore)"),
    ("ap-southeast-2", "Asia Pacific (Sydney)"),
    ("ap-southeast-3", "Asia Pacific (Jakarta)"),
    ("ap-southeast-4", "Asia Pacific (Melbourne)"),
    ("ca-central-1", "Canada (Central)"),
    ("cn-north-1", "China (Beijing)"),
    ("cn-northwest-1", "China (Ningxia)"),
    ("eu-central-1", "Europe (Frankfurt)"),
    ("eu-central-2", "Europe (Zurich)"),
    ("eu-north-1", "Europe (Stockholm)"),
    ("eu-south-1", "Europe (Milan)"),
    ("eu-south-2", "Europe (Spain)"),
    ("eu-west-1", "Europe (Ireland)"),
    ("eu-west-2", "Europe (London)"),
    ("eu-west-3", "Europe (Paris)"),
    ("il-central-1", "Israel (Tel Aviv)"),
    ("me-central-1", "Middle East (UAE)"),
    ("me-south-1", "Middle East (Bahrain)"),
    ("sa-east-1", "South America (Sao Paulo)"),
    ("us-east-1", "US East (N. Virginia)"),
    ("us-east-2", "US East (Ohio)"),
    ("us-gov-east-1", "AWS GovCloud (US-East)"),
    ("us-gov-west-1", "AWS GovCloud (US-West)"),
    ("us-west-1", "US West (N. California)"),
    ("us-west-2", "US West (Oregon)"),
];

pub struct Region {
    schema: Schema,
}

impl Default for Region {
    fn default() -> Self {
        Self::new()
    }
}

impl Region {
    pub fn new() -> Self {
        Region {
            schema: Schema::data_source("aws_region"),
        }
    }
}

/// The EC2 endpoint hostname hashicorp/aws reports for a region.
pub fn endpoint_of(region: &str) -> String {
    let (_, dns, _) = super::partition::partition_of(region);
    format!("ec2.{region}.{dns}")
}

impl DataSource for Region {
    fn type_name(&self) -> &'static str {
        "aws_region"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, Diags> {
        let by_name = config
            .attr("region")
            .str_opt()
            .or_else(|| config.attr("name").str_opt());
        let by_endpoint = config.attr("endpoint").str_opt();
        let found = REGIONS
            .iter()
            .find(|(name, _)| match (by_name, by_endpoint) {
                (Some(n), Some(e)) => *name == n && endpoint_of(name) == e,
                (Some(n), None) => *name == n,
                (None, Some(e)) => endpoint_of(name) == e,
                (None, None) => *name == ctx.region,
            });
        let (name, description) = match found {
            Some((n, d)) => (n.to_string(), d.to_string()),
            None if by_name.is_none() && by_endpoint.is_none() => {
                (ctx.region.clone(), String::new())
            }
            None => {
                let what = by_name
                    .map(|n| format!("name {n}"))
                    .or(by_endpoint.map(|e| format!("endpoint {e}")))
                    .unwrap_or_default();
                return Err(vec![Diag::error(format!("region with {what} not found"))]);
            }
        };
        let mut state = config.clone();
        set_attr(&mut state, "endpoint", string(endpoint_of(&name)));
        set_attr(&mut state, "description", string(description));
        set_attr(&mut state, "id", string(name.clone()));
        set_attr(&mut state, "name", string(name.clone()));
        set_attr(&mut state, "region", string(name));
        Ok(state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_follow_the_ec2_hostname_pattern() {
        assert_eq!(endpoint_of("us-east-1"), "ec2.us-east-1.amazonaws.com");
        assert_eq!(endpoint_of("cn-north-1"), "ec2.cn-north-1.amazonaws.com.cn");
    }
}
