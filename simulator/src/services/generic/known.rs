//! What every AWS account has before anything is created, as the data sources and default
//! resources see it: each region's availability zones, its default VPC (172.31.0.0/16) with
//! one default subnet per zone, the regional ELB and Redshift log-delivery accounts, and the
//! account's canonical user id.

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::Env;

/// The zones of a region as the simulator offers them (a, b, c).
pub fn zones(region: &str) -> Vec<String> {
    ["a", "b", "c"]
        .iter()
        .map(|z| format!("{region}{z}"))
        .collect()
}

/// AWS's zone ids (`use1-az1`): the region's short code and the zone number.
fn zone_ids(region: &str) -> Vec<String> {
    let mut parts = region.split('-');
    let short: String = [parts.next(), parts.next()]
        .iter()
        .flatten()
        .map(|p| if p.len() > 2 { &p[..1] } else { p })
        .collect::<Vec<_>>()
        .concat();
    let n = parts.next().unwrap_or("1");
    (1..=3).map(|i| format!("{short}{n}-az{i}")).collect()
}

fn hex(input: &str, len: usize) -> String {
    let d = Sha256::digest(input.as_bytes());
    hex::encode(d)[..len].to_string()
}

/// The default VPC of an account's region.
pub fn default_vpc_id(account: &str, region: &str) -> String {
    format!(
        "vpc-{}",
        hex(&format!("default-vpc:{account}:{region}"), 17)
    )
}

/// The default subnet of a zone.
pub fn default_subnet_id(account: &str, zone: &str) -> String {
    format!(
        "subnet-{}",
        hex(&format!("default-subnet:{account}:{zone}"), 17)
    )
}

/// Whether an id names something every account has (the default VPC or a default subnet).
pub fn is_default_object(ctx: &CallerContext, id: &str) -> bool {
    id == default_vpc_id(&ctx.account_id, &ctx.region)
        || zones(&ctx.region)
            .iter()
            .any(|z| default_subnet_id(&ctx.account_id, z) == id)
}

/// The id a default resource takes over (aws_default_vpc adopts the default VPC).
pub fn adopted_id(ctx: &CallerContext, type_name: &str, config: &Value) -> Option<String> {
    match type_name {
        "aws_default_vpc" => Some(default_vpc_id(&ctx.account_id, &ctx.region)),
        "aws_default_subnet" => config["availability_zone"]
            .as_str()
            .map(|z| default_subnet_id(&ctx.account_id, z)),
        _ => None,
    }
}

/// hashicorp/aws's table of the accounts that deliver ELB access logs, by region.
fn elb_account(region: &str) -> Option<&'static str> {
    Some(match region {
        "us-east-1" => "127311923021",
        "us-east-2" => "033677994240",
        "us-west-1" => "027434742980",
        "us-west-2" => "797873946194",
        "ca-central-1" => "985666609251",
        "eu-central-1" => "054676820928",
        "eu-west-1" => "156460612806",
        "eu-west-2" => "652711504416",
        "eu-west-3" => "009996457667",
        "eu-north-1" => "897822967062",
        "ap-northeast-1" => "582318560864",
        "ap-northeast-2" => "600734575887",
        "ap-southeast-1" => "114774131450",
        "ap-southeast-2" => "783225319266",
        "ap-south-1" => "718504428378",
        "sa-east-1" => "507241528517",
        _ => return None,
    })
}

/// hashicorp/aws's table of the accounts that deliver Redshift audit logs, by region.
fn redshift_account(region: &str) -> Option<&'static str> {
    Some(match region {
        "us-east-1" => "193672423079",
        "us-east-2" => "391106570357",
        "us-west-1" => "262260360010",
        "us-west-2" => "902366379725",
        "ca-central-1" => "907379612154",
        "eu-central-1" => "053454850223",
        "eu-west-1" => "210876761215",
        "eu-west-2" => "307160386991",
        "eu-west-3" => "915173422425",
        "eu-north-1" => "729911121831",
        "ap-northeast-1" => "404641285394",
        "ap-northeast-2" => "760740231472",
        "ap-southeast-1" => "361669875840",
        "ap-southeast-2" => "762762565011",
        "ap-south-1" => "865932855811",
        "sa-east-1" => "075028567923",
        _ => return None,
    })
}

fn object(v: Value) -> Option<Map<String, Value>> {
    match v {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

/// The answer of a data source about what every account has, or None for other types.
pub fn answer(
    _env: &Env<'_>,
    ctx: &CallerContext,
    type_name: &str,
    config: &Value,
) -> Result<Option<Map<String, Value>>, AwsError> {
    let region = config["region"].as_str().unwrap_or(&ctx.region).to_string();
    let account = ctx.account_id.as_str();
    let partition = super::template::partition_of(&region);
    Ok(match type_name {
        "aws_availability_zones" => object(json!({
            "id": region,
            "names": zones(&region),
            "zone_ids": zone_ids(&region),
            "group_names": [region],
        })),
        "aws_availability_zone" => {
            let name = config["name"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| format!("{region}a"));
            object(json!({
                "id": name,
                "name": name,
                "region": region,
                "state": "available",
                "zone_type": "availability-zone",
                "group_name": region,
                "name_suffix": name.trim_start_matches(region.as_str()),
            }))
        }
        "aws_elb_service_account" => elb_account(&region).and_then(|a| {
            object(json!({"id": a, "arn": format!("arn:{partition}:iam::{a}:root")}))
        }),
        "aws_redshift_service_account" => redshift_account(&region).and_then(|a| {
            object(json!({"id": a, "arn": format!("arn:{partition}:iam::{a}:user/logs")}))
        }),
        "aws_canonical_user_id" => object(json!({
            "id": hex(&format!("canonical:{account}"), 64),
            "display_name": "ctsim",
        })),
        "aws_iam_session_context" => {
            let arn = config["arn"].as_str().unwrap_or_default().to_string();
            // An assumed-role session ARN names its role; any other ARN is its own issuer.
            let (issuer_arn, issuer_name, session) = match arn.split_once(":assumed-role/") {
                Some((head, rest)) => {
                    let (role, session) = rest.split_once('/').unwrap_or((rest, ""));
                    let head = head.replace(":sts:", ":iam:");
                    (
                        format!("{head}:role/{role}"),
                        role.to_string(),
                        session.to_string(),
                    )
                }
                None => {
                    let name = arn.rsplit('/').next().unwrap_or_default().to_string();
                    (arn.clone(), name, String::new())
                }
            };
            object(json!({
                "id": arn,
                "issuer_arn": issuer_arn,
                "issuer_id": "",
                "issuer_name": issuer_name,
                "session_name": session,
            }))
        }
        "aws_vpc"
            if config["default"].as_bool() == Some(true)
                || config["id"].as_str() == Some(&default_vpc_id(account, &region)) =>
        {
            let id = default_vpc_id(account, &region);
            object(json!({
                "id": id,
                "arn": format!("arn:{partition}:ec2:{region}:{account}:vpc/{id}"),
                "cidr_block": "172.31.0.0/16",
                "default": true,
                "enable_dns_hostnames": true,
                "enable_dns_support": true,
                "instance_tenancy": "default",
                "owner_id": account,
                "state": "available",
            }))
        }
        "aws_subnets" => {
            let vpc = default_vpc_id(account, &region);
            let names_default_vpc = config["filter"]
                .as_array()
                .map(|fs| {
                    fs.iter().any(|f| {
                        f["values"]
                            .as_array()
                            .is_some_and(|v| v.iter().any(|x| x.as_str() == Some(vpc.as_str())))
                            || f["name"] == "default-for-az"
                    })
                })
                .unwrap_or(false);
            names_default_vpc
                .then(|| {
                    let ids: Vec<String> = zones(&region)
                        .iter()
                        .map(|z| default_subnet_id(account, z))
                        .collect();
                    object(json!({"id": region, "ids": ids}))
                })
                .flatten()
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_ids_follow_aws_short_codes() {
        assert_eq!(zone_ids("us-east-1")[0], "use1-az1");
        assert_eq!(zone_ids("eu-central-1")[2], "euc1-az3");
    }

    #[test]
    fn default_objects_are_stable_per_account_and_region() {
        let a = default_vpc_id("123456789012", "us-east-1");
        assert_eq!(a, default_vpc_id("123456789012", "us-east-1"));
        assert_ne!(a, default_vpc_id("123456789012", "eu-west-1"));
        assert!(a.starts_with("vpc-") && a.len() == 21);
    }
}
