//! Data sources about what the simulated services hold: roles, buckets, keys, aliases,
//! topics and log groups are answered from the objects themselves (through the services'
//! own read operations, inside the call), with hashicorp/aws's attribute names.

use serde_json::{Map, Value, json};

use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::{self, Env};

fn object(v: Value) -> Option<Map<String, Value>> {
    match v {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

fn rfc3339(epoch_seconds: Option<f64>) -> Value {
    epoch_seconds
        .and_then(|s| chrono::DateTime::from_timestamp_millis((s * 1000.0) as i64))
        .map(|t| json!(t.format("%Y-%m-%dT%H:%M:%SZ").to_string()))
        .unwrap_or(Value::Null)
}

/// The answer of a data source about a simulated object, None for other types; the
/// object's own not-found error when it does not exist.
pub fn answer(
    env: &Env<'_>,
    ctx: &CallerContext,
    type_name: &str,
    config: &Value,
) -> Result<Option<Map<String, Value>>, AwsError> {
    let call =
        |service: &str, op: &str, req: Value| services::dispatch(env, ctx, service, op, &req);
    let text = |k: &str| {
        config[k]
            .as_str()
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    Ok(match type_name {
        "aws_iam_role" => {
            let Some(name) = text("name") else {
                return Ok(None);
            };
            let r = &call("iam", "GetRole", json!({"RoleName": name}))?["Role"];
            let policy = r["AssumeRolePolicyDocument"].as_str().unwrap_or_default();
            // IAM returns the trust policy URL-encoded; hashicorp/aws decodes it.
            let policy = crate::server::sigv4::percent_decode(policy, false);
            object(json!({
                "id": r["RoleName"],
                "name": r["RoleName"],
                "arn": r["Arn"],
                "unique_id": r["RoleId"],
                "path": r["Path"],
                "create_date": rfc3339(r["CreateDate"].as_f64()),
                "assume_role_policy": policy,
                "description": r["Description"].as_str().unwrap_or_default(),
                "max_session_duration": r["MaxSessionDuration"],
                "permissions_boundary": r["PermissionsBoundary"]["PermissionsBoundaryArn"].as_str().unwrap_or_default(),
            }))
        }
        "aws_s3_bucket" => {
            let Some(name) = text("bucket") else {
                return Ok(None);
            };
            let Some(b) = services::s3::buckets::bucket(env, &name)? else {
                return Err(AwsError::client(
                    "NotFound",
                    format!("Bucket {name} not found"),
                ));
            };
            let suffix = super::template::dns_suffix(&b.region);
            object(json!({
                "id": name,
                "bucket": name,
                "arn": b.arn,
                "region": b.region,
                "bucket_region": b.region,
                "bucket_domain_name": format!("{name}.s3.{suffix}"),
                "bucket_regional_domain_name": format!("{name}.s3.{}.{suffix}", b.region),
            }))
        }
        "aws_kms_key" => {
            let Some(key) = text("key_id") else {
                return Ok(None);
            };
            let m = &call("kms", "DescribeKey", json!({"KeyId": key}))?["KeyMetadata"];
            object(json!({
                "id": m["KeyId"],
                "key_id": key,
                "arn": m["Arn"],
                "aws_account_id": m["AWSAccountId"],
                "description": m["Description"],
                "enabled": m["Enabled"],
                "key_state": m["KeyState"],
                "key_usage": m["KeyUsage"],
                "key_manager": m["KeyManager"],
                "key_spec": m["KeySpec"],
                "customer_master_key_spec": m["CustomerMasterKeySpec"],
                "multi_region": m["MultiRegion"],
                "origin": m["Origin"],
                "creation_date": rfc3339(m["CreationDate"].as_f64()),
            }))
        }
        "aws_kms_alias" => {
            let Some(name) = text("name") else {
                return Ok(None);
            };
            let listed = call("kms", "ListAliases", json!({}))?;
            let Some(a) = listed["Aliases"].as_array().and_then(|l| {
                l.iter()
                    .find(|a| a["AliasName"].as_str() == Some(name.as_str()))
            }) else {
                return Err(AwsError::client(
                    "NotFoundException",
                    format!("Alias {name} is not found."),
                ));
            };
            let target = a["TargetKeyId"].as_str().unwrap_or_default();
            let arn = a["AliasArn"].as_str().unwrap_or_default();
            let key_arn = arn
                .split_once(":alias/")
                .map(|(head, _)| format!("{head}:key/{target}"))
                .unwrap_or_default();
            object(json!({
                "id": arn,
                "name": name,
                "arn": arn,
                "target_key_id": target,
                "target_key_arn": key_arn,
            }))
        }
        "aws_sns_topic" => {
            let Some(name) = text("name") else {
                return Ok(None);
            };
            let partition = super::template::partition_of(&ctx.region);
            let arn = format!(
                "arn:{partition}:sns:{}:{}:{name}",
                ctx.region, ctx.account_id
            );
            call("sns", "GetTopicAttributes", json!({"TopicArn": arn}))?;
            object(json!({"id": arn, "arn": arn, "name": name}))
        }
        "aws_cloudwatch_log_group" => {
            let Some(name) = text("name") else {
                return Ok(None);
            };
            let listed = call(
                "logs",
                "DescribeLogGroups",
                json!({"logGroupNamePrefix": name}),
            )?;
            let Some(g) = listed["logGroups"].as_array().and_then(|l| {
                l.iter()
                    .find(|g| g["logGroupName"].as_str() == Some(name.as_str()))
            }) else {
                return Err(AwsError::client(
                    "ResourceNotFoundException",
                    "The specified log group does not exist.",
                ));
            };
            let arn = g["arn"]
                .as_str()
                .unwrap_or_default()
                .trim_end_matches(":*")
                .to_string();
            object(json!({
                "id": name,
                "name": name,
                "arn": arn,
                "creation_time": g["creationTime"],
                "retention_in_days": g["retentionInDays"].as_i64().unwrap_or(0),
                "kms_key_id": g["kmsKeyId"].as_str().unwrap_or_default(),
                "log_group_class": g["logGroupClass"].as_str().unwrap_or("STANDARD"),
            }))
        }
        _ => None,
    })
}
