//! aws_partition: the partition of the provider's region (ctsim serves the `aws` partition;
//! China and GovCloud regions map to theirs).

use tfplugin6::value::Value;

use super::DataSource;
use crate::diagnostics::Diags;
use crate::resources::Ctx;
use crate::schema::Schema;
use crate::values::{set_attr, string};

pub struct Partition {
    schema: Schema,
}

impl Default for Partition {
    fn default() -> Self {
        Self::new()
    }
}

impl Partition {
    pub fn new() -> Self {
        Partition {
            schema: Schema::data_source("aws_partition"),
        }
    }
}

/// (partition, dns_suffix, reverse_dns_prefix) of a region.
pub fn partition_of(region: &str) -> (&'static str, &'static str, &'static str) {
    if region.starts_with("cn-") {
        ("aws-cn", "amazonaws.com.cn", "cn.com.amazonaws")
    } else if region.starts_with("us-gov-") {
        ("aws-us-gov", "amazonaws.com", "com.amazonaws")
    } else {
        ("aws", "amazonaws.com", "com.amazonaws")
    }
}

impl DataSource for Partition {
    fn type_name(&self) -> &'static str {
        "aws_partition"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, Diags> {
        let (partition, dns, reverse) = partition_of(&ctx.region);
        let mut state = config.clone();
        set_attr(&mut state, "id", string(partition));
        set_attr(&mut state, "partition", string(partition));
        set_attr(&mut state, "dns_suffix", string(dns));
        set_attr(&mut state, "reverse_dns_prefix", string(reverse));
        Ok(state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commercial_regions_are_in_the_aws_partition() {
        assert_eq!(
            partition_of("us-east-1"),
            ("aws", "amazonaws.com", "com.amazonaws")
        );
        assert_eq!(partition_of("cn-north-1").0, "aws-cn");
    }
}
