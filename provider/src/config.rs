//! The `provider "aws" {}` block: everything people write there is accepted (credentials,
//! profiles, assume_role, endpoints...), only region and default_tags shape behaviour, plus
//! ctsim's own `ctsim_home` (the state folder).

use std::collections::BTreeMap;
use std::path::PathBuf;

use tfplugin6::value::{Type, Value};

use crate::schema::{Attribute, Block, NestedBlock, Schema, string_list, string_set};
use crate::values::ValueExt;

/// Service names accepted in `endpoints {}`; the block is a set of these optional URLs.
pub const ENDPOINT_SERVICES: &[&str] = &[
    "acm",
    "apigateway",
    "athena",
    "autoscaling",
    "cloudformation",
    "cloudfront",
    "cloudtrail",
    "cloudwatch",
    "cloudwatchlogs",
    "configservice",
    "dynamodb",
    "ec2",
    "ecr",
    "ecs",
    "eks",
    "elb",
    "elbv2",
    "events",
    "firehose",
    "glue",
    "guardduty",
    "iam",
    "kinesis",
    "kms",
    "lambda",
    "logs",
    "organizations",
    "rds",
    "redshift",
    "route53",
    "s3",
    "s3control",
    "secretsmanager",
    "securityhub",
    "ses",
    "sns",
    "sqs",
    "ssm",
    "stepfunctions",
    "sts",
];

pub fn schema() -> Schema {
    let s = |name| Attribute::optional(name, Type::String);
    let b = |name| Attribute::optional(name, Type::Bool);
    let assume_role = Block::new(
        vec![
            s("duration"),
            s("external_id"),
            s("policy"),
            Attribute::optional("policy_arns", string_set()),
            s("role_arn"),
            s("session_name"),
            s("source_identity"),
            Attribute::optional("tags", Type::Map(Box::new(Type::String))),
            Attribute::optional("transitive_tag_keys", string_set()),
        ],
        vec![],
    );
    let web_identity = Block::new(
        vec![
            s("duration"),
            s("policy"),
            Attribute::optional("policy_arns", string_set()),
            s("role_arn"),
            s("session_name"),
            s("web_identity_token"),
            s("web_identity_token_file"),
        ],
        vec![],
    );
    let default_tags = Block::new(
        vec![
            Attribute::optional("tags", Type::Map(Box::new(Type::String)))
                .describe("Resource tags to default across all resources."),
        ],
        vec![],
    );
    let ignore_tags = Block::new(
        vec![
            Attribute::optional("key_prefixes", string_set()),
            Attribute::optional("keys", string_set()),
        ],
        vec![],
    );
    let endpoints = Block::new(ENDPOINT_SERVICES.iter().map(|n| s(n)).collect(), vec![]);
    Schema {
        version: 0,
        overlay_problems: Vec::new(),
        force_new_paths: Vec::new(),
        block: Block::new(
            vec![
                s("access_key").sensitive(),
                Attribute::optional("allowed_account_ids", string_set()),
                s("custom_ca_bundle"),
                s("ec2_metadata_service_endpoint"),
                s("ec2_metadata_service_endpoint_mode"),
                Attribute::optional("forbidden_account_ids", string_set()),
                s("http_proxy"),
                s("https_proxy"),
                b("insecure"),
                Attribute::optional("max_retries", Type::Number),
                s("no_proxy"),
                s("profile"),
                s("region").describe("The region where AWS operations will take place."),
                s("retry_mode"),
                s("s3_us_east_1_regional_endpoint"),
                b("s3_use_path_style"),
                s("secret_key").sensitive(),
                Attribute::optional("shared_config_files", string_list()),
                Attribute::optional("shared_credentials_files", string_list()),
                b("skip_credentials_validation"),
                s("skip_metadata_api_check"),
                b("skip_region_validation"),
                b("skip_requesting_account_id"),
                s("sts_region"),
                s("token").sensitive(),
                Attribute::optional("token_bucket_rate_limiter_capacity", Type::Number),
                b("use_dualstack_endpoint"),
                b("use_fips_endpoint"),
                s("ctsim_home").describe(
                    "ctsim: the simulator state folder. Defaults to $CTSIM_HOME, else .ctsim in the working directory.",
                ),
            ],
            vec![
                NestedBlock::list("assume_role", assume_role),
                NestedBlock::list("assume_role_with_web_identity", web_identity).max_items(1),
                NestedBlock::list("default_tags", default_tags).max_items(1),
                NestedBlock::set("endpoints", endpoints),
                NestedBlock::list("ignore_tags", ignore_tags).max_items(1),
            ],
        ),
    }
}

/// What the provider keeps from its configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct ProviderConfig {
    pub region: String,
    pub default_tags: BTreeMap<String, String>,
    pub state_dir: Option<PathBuf>,
    /// `endpoints { cloudtrail = URL }`: the URL of a `ctsim serve` instance.
    pub cloudtrail_endpoint: Option<String>,
    /// Every URL of the `endpoints {}` block, by service name. Any of them selects HTTP mode.
    pub endpoints: BTreeMap<String, String>,
    /// `access_key` / `secret_key` / `token` (else the AWS_* environment, else test/test),
    /// used to sign requests in HTTP mode.
    pub access_key: String,
    pub secret_key: String,
    pub token: Option<String>,
    /// `assume_role { role_arn, session_name }`: calls run as that role's session.
    pub assume_role: Option<(String, Option<String>)>,
}

impl ProviderConfig {
    pub fn from_value(config: &Value) -> Self {
        let region = config
            .attr("region")
            .str_opt()
            .map(str::to_string)
            .or_else(|| std::env::var("AWS_REGION").ok())
            .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok())
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| "us-east-1".to_string());
        let default_tags = config
            .attr("default_tags")
            .items()
            .first()
            .map(|b| b.attr("tags").string_map())
            .unwrap_or_default();
        let state_dir = config.attr("ctsim_home").str_opt().map(PathBuf::from);
        let cloudtrail_endpoint = config
            .attr("endpoints")
            .items()
            .iter()
            .find_map(|e| e.attr("cloudtrail").str_opt().map(str::to_string));
        let mut endpoints = BTreeMap::new();
        for block in config.attr("endpoints").items() {
            for name in ENDPOINT_SERVICES {
                if let Some(url) = block.attr(name).str_opt().filter(|u| !u.is_empty()) {
                    endpoints.insert(name.to_string(), url.to_string());
                }
            }
        }
        let setting = |attr: &str, env: &str| {
            config
                .attr(attr)
                .str_opt()
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .or_else(|| std::env::var(env).ok().filter(|s| !s.is_empty()))
        };
        let access_key = setting("access_key", "AWS_ACCESS_KEY_ID");
        let secret_key = setting("secret_key", "AWS_SECRET_ACCESS_KEY");
        let token = setting("token", "AWS_SESSION_TOKEN");
        let assume_role = config.attr("assume_role").items().first().and_then(|b| {
            let arn = b.attr("role_arn").str_opt().filter(|s| !s.is_empty())?;
            Some((
                arn.to_string(),
                b.attr("session_name").str_opt().map(str::to_string),
            ))
        });
        ProviderConfig {
            region,
            default_tags,
            state_dir,
            cloudtrail_endpoint,
            endpoints,
            access_key: access_key.unwrap_or_else(|| "test".to_string()),
            secret_key: secret_key.unwrap_or_else(|| "test".to_string()),
            token,
            assume_role,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::{object, string, string_map};

    #[test]
    fn region_and_default_tags_are_read() {
        let tags = BTreeMap::from([("env".to_string(), "dev".to_string())]);
        let cfg = object([
            ("region", string("eu-west-1")),
            (
                "default_tags",
                Value::List(vec![object([("tags", string_map(&tags))])]),
            ),
        ]);
        let parsed = ProviderConfig::from_value(&cfg);
        assert_eq!(parsed.region, "eu-west-1");
        assert_eq!(parsed.default_tags, tags);
    }
}
