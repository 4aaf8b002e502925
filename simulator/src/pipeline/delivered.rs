//! The files CloudTrail has delivered (log files and Insights files), as the store's delivery
//! documents list them, and one file's content as S3 GetObject would return it. Shared by
//! `ctsim logs` and the console's trail pages.

use std::io::Read;

use serde_json::{Value, json};

use super::delivery::LOG_FILE_KIND;
use super::insights::INSIGHT_FILE_KIND;
use crate::error::AwsError;
use crate::services::{Env, s3};

/// Delivered files (of one trail, by name or ARN, when given) in delivery order, each
/// `{trailArn, bucket, key, records, size, deliveredAt}`.
pub fn list(env: &Env<'_>, trail: Option<&str>) -> Result<Vec<Value>, AwsError> {
    let mut docs = env.db.documents("cloudtrail", LOG_FILE_KIND, None, None)?;
    docs.extend(
        env.db
            .documents("cloudtrail", INSIGHT_FILE_KIND, None, None)?,
    );
    let mut files: Vec<Value> = docs
        .into_iter()
        .map(|d| d.body)
        .filter(|b| {
            let arn = b["trailArn"].as_str().unwrap_or_default();
            trail
                .is_none_or(|t| arn == t || arn.rsplit_once(":trail/").is_some_and(|(_, n)| n == t))
        })
        .map(|b| {
            json!({
                "trailArn": b["trailArn"],
                "bucket": b["bucket"],
                "key": b["key"],
                "records": b["records"],
                "size": b["size"],
                "deliveredAt": b["deliveredAt"],
            })
        })
        .collect();
    files.sort_by(|a, b| {
        (a["deliveredAt"].as_str(), a["key"].as_str())
            .cmp(&(b["deliveredAt"].as_str(), b["key"].as_str()))
    });
    Ok(files)
}

/// A delivered gzip JSON file (log, Insights or digest file), gunzipped and parsed.
pub fn read_json(env: &Env<'_>, bucket: &str, key: &str) -> Result<Value, AwsError> {
    let bytes = s3::object_bytes(env, bucket, key)?.ok_or_else(|| {
        AwsError::new(
            "NoSuchKey",
            format!("s3://{bucket}/{key} does not exist"),
            404,
        )
    })?;
    let mut text = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .take(256 * 1024 * 1024)
        .read_to_string(&mut text)
        .map_err(|e| {
            AwsError::client(
                "InvalidObject",
                format!("s3://{bucket}/{key} is not a gzip file: {e}"),
            )
        })?;
    serde_json::from_str(&text).map_err(|e| {
        AwsError::client(
            "InvalidObject",
            format!("s3://{bucket}/{key} is not JSON: {e}"),
        )
    })
}
