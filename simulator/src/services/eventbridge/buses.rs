//! Event buses: which bus a request names (`EventBusName`, a name or an ARN), ARNs, and
//! DescribeEventBus.
//!
//! Every account has the `default` bus in every region; CloudTrail events arrive there. The
//! simulator has no CreateEventBus of its own: a custom bus exists when the generic tier
//! holds an `aws_cloudwatch_event_bus` of that name (what `terraform apply` of one creates),
//! so rules can be put on it, although nothing is ever delivered to it.

use super::errors::{constraint, resource_not_found, validation};
use super::model::{DescribeEventBusRequest, DescribeEventBusResponse};
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::cloudtrail::names::partition_for;
use crate::services::{Env, generic};
use crate::store::DocKey;

/// The bus every account has, and the only one CloudTrail delivers to.
pub const DEFAULT_BUS: &str = "default";

/// The generic tier's type for custom buses.
const BUS_TYPE: &str = "aws_cloudwatch_event_bus";

/// The model's pattern for `EventBusName` (`[/\.\-_A-Za-z0-9]+` after an optional ARN).
const NAME_PATTERN: &str =
    "(arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?[/\\.\\-_A-Za-z0-9]+";

/// One event bus of the caller's account and region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bus {
    pub name: String,
    pub account: String,
    pub region: String,
}

impl Bus {
    pub fn is_default(&self) -> bool {
        self.name == DEFAULT_BUS
    }

    pub fn arn(&self) -> String {
        bus_arn(&self.region, &self.account, &self.name)
    }
}

pub fn bus_arn(region: &str, account: &str, name: &str) -> String {
    format!(
        "arn:{}:events:{region}:{account}:event-bus/{name}",
        partition_for(region)
    )
}

fn name_chars_ok(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'-' | b'_'))
}

/// The bus name an `EventBusName` value names, with the model's constraints checked
/// (`member` is the member's name in messages). An ARN must name a bus of the caller's
/// account and region: other accounts' buses cannot hold this account's rules.
fn bus_name_of(ctx: &CallerContext, given: &str, member: &str) -> Result<String, AwsError> {
    let chars = given.chars().count();
    if chars > 1600 {
        return Err(validation(constraint(
            given,
            member,
            "Member must have length less than or equal to 1600",
        )));
    }
    if let Some(rest) = given.strip_prefix("arn:") {
        let parts: Vec<&str> = rest.splitn(5, ':').collect();
        let name = match parts.as_slice() {
            [partition, "events", region, account, resource]
                if partition.starts_with("aws")
                    && account.len() == 12
                    && account.bytes().all(|b| b.is_ascii_digit()) =>
            {
                let Some(name) = resource
                    .strip_prefix("event-bus/")
                    .filter(|n| name_chars_ok(n))
                else {
                    return Err(pattern_error(given, member));
                };
                if *region != ctx.region || *account != ctx.account_id {
                    return Err(bus_not_found(name));
                }
                name
            }
            _ => return Err(pattern_error(given, member)),
        };
        return Ok(name.to_string());
    }
    if !name_chars_ok(given) {
        return Err(pattern_error(given, member));
    }
    Ok(given.to_string())
}

fn pattern_error(given: &str, member: &str) -> AwsError {
    validation(constraint(
        given,
        member,
        &format!("Member must satisfy regular expression pattern: {NAME_PATTERN}"),
    ))
}

pub fn bus_not_found(name: &str) -> AwsError {
    resource_not_found(format!("Event bus {name} does not exist."))
}

/// The generic tier's document of a custom bus, if `terraform apply` created one.
fn custom_bus_document(
    env: &Env<'_>,
    account: &str,
    region: &str,
    name: &str,
) -> Result<Option<serde_json::Value>, AwsError> {
    Ok(env.db.document(&DocKey {
        service: generic::SERVICE,
        kind: BUS_TYPE,
        account_id: account,
        region,
        id: name,
    })?)
}

/// The existing bus a request names (`None`: the default bus).
pub fn resolve(
    env: &Env<'_>,
    ctx: &CallerContext,
    given: Option<&str>,
    member: &str,
) -> Result<Bus, AwsError> {
    let name = match given {
        None => DEFAULT_BUS.to_string(),
        Some(g) => bus_name_of(ctx, g, member)?,
    };
    let bus = Bus {
        name,
        account: ctx.account_id.clone(),
        region: ctx.region.clone(),
    };
    if bus.is_default() || custom_bus_document(env, &bus.account, &bus.region, &bus.name)?.is_some()
    {
        Ok(bus)
    } else {
        Err(bus_not_found(&bus.name))
    }
}

pub fn describe_event_bus(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: DescribeEventBusRequest,
) -> Result<DescribeEventBusResponse, AwsError> {
    let bus = resolve(env, ctx, req.name.as_deref(), "name")?;
    let mut out = DescribeEventBusResponse {
        name: bus.name.clone(),
        arn: bus.arn(),
        ..Default::default()
    };
    if !bus.is_default() {
        let key = DocKey {
            service: generic::SERVICE,
            kind: BUS_TYPE,
            account_id: &bus.account,
            region: &bus.region,
            id: &bus.name,
        };
        if let Some(doc) = env.db.document(&key)? {
            out.description = doc
                .pointer("/description")
                .and_then(serde_json::Value::as_str)
                .filter(|s| !s.is_empty())
                .map(String::from);
        }
    }
    Ok(out)
}
