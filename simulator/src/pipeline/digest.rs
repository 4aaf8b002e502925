//! Log file integrity validation, delivery side: hourly CloudTrail digest files.
//!
//! For each trail with log file validation enabled, every completed hour gets one digest
//! file per (account, region) chain, at the real `CloudTrail-Digest` key layout. A digest
//! lists the SHA-256 of every log file delivered during its hour (read from the `log-file`
//! documents the delivery pipeline writes), links to the previous digest of its chain (bucket,
//! key, SHA-256 of its uncompressed JSON, signature) and is signed with the region's RSA key
//! (SHA256withRSA); the hex signature goes into the object metadata `signature`, as AWS does.
//! A digest is written even for an hour with no log files.

use std::collections::BTreeMap;
use std::io::Write;

use chrono::{DateTime, Datelike, Utc};
use flate2::Compression;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::clock;
use crate::error::{AwsError, StoreError};
use crate::services::Env;
use crate::services::cloudtrail::public_keys::{DigestKey, digest_key};
use crate::services::cloudtrail::status::DeliveryStatus;
use crate::services::cloudtrail::trails::TrailConfig;
use crate::services::s3::objects::put_object_internal_with_metadata;
use crate::store::{DocKey, TrailRow};

pub const SERVICE: &str = "cloudtrail";
/// Documents the delivery pipeline writes, one per delivered log file.
pub const LOG_FILE_KIND: &str = "log-file";
/// Per-trail digest progress: the next hour to cover and the head of each chain.
pub const CURSOR_KIND: &str = "digest-cursor";
pub const SIGNATURE_ALGORITHM: &str = "SHA256withRSA";
pub const HASH_ALGORITHM: &str = "SHA-256";
/// S3 object metadata keys holding the signature (`x-amz-meta-signature`, ...).
pub const META_SIGNATURE: &str = "signature";
pub const META_SIGNATURE_ALGORITHM: &str = "signature-algorithm";

const HOUR_MS: i64 = 3_600_000;
/// Hours digested per trail per pass at most (a day): a clock moved weeks ahead is caught
/// up over several passes, each a short transaction.
pub const PASS_HOURS: i64 = 24;

/// A delivered log file, as the delivery pipeline records it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LogFileDoc {
    pub trail_arn: String,
    pub bucket: String,
    pub key: String,
    pub account: String,
    pub region: String,
    /// Hex SHA-256 of the object bytes (the gzip file as stored).
    pub sha256: String,
    pub oldest_event_time: Option<String>,
    pub newest_event_time: Option<String>,
    /// Epoch ms (`deliveredAt` holds the same instant as ISO-8601 text).
    #[serde(rename = "deliveredAtMs")]
    pub delivered_at: i64,
    pub records: u64,
}

/// One log file entry of a digest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DigestLogFile {
    pub s3_bucket: String,
    pub s3_object: String,
    pub hash_value: String,
    pub hash_algorithm: String,
    pub newest_event_time: Option<String>,
    pub oldest_event_time: Option<String>,
}

/// A digest file's JSON, members in AWS's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DigestFile {
    pub aws_account_id: String,
    pub digest_start_time: String,
    pub digest_end_time: String,
    pub digest_s3_bucket: String,
    pub digest_s3_object: String,
    pub digest_public_key_fingerprint: String,
    pub digest_signature_algorithm: String,
    pub newest_event_time: Option<String>,
    pub oldest_event_time: Option<String>,
    pub previous_digest_s3_bucket: Option<String>,
    pub previous_digest_s3_object: Option<String>,
    pub previous_digest_hash_value: Option<String>,
    pub previous_digest_hash_algorithm: Option<String>,
    pub previous_digest_signature: Option<String>,
    pub log_files: Vec<DigestLogFile>,
}

/// The last digest of one (account, region) chain.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainHead {
    pub bucket: String,
    pub object: String,
    /// Hex SHA-256 of the uncompressed digest JSON.
    pub hash: String,
    /// Hex signature.
    pub signature: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Cursor {
    /// Start of the next digest period (epoch ms).
    next_start_ms: Option<i64>,
    /// Chain heads by `account/region`.
    chains: BTreeMap<String, ChainHead>,
    /// Log file validation was turned off: no hour is owed until it is turned on again.
    paused: bool,
}

/// Log file validation is off: forget the owed hours (the chains are kept).
fn pause(env: &Env<'_>, row: &TrailRow, now_ms: i64) -> Result<(), AwsError> {
    let Some(v) = env.db.document(&cursor_key(row))? else {
        return Ok(());
    };
    let mut cursor: Cursor =
        serde_json::from_value(v).map_err(|e| internal("corrupt digest cursor", e))?;
    if cursor.paused {
        return Ok(());
    }
    cursor.paused = true;
    cursor.next_start_ms = None;
    let body = serde_json::to_value(&cursor).map_err(StoreError::from)?;
    env.db.put_document(&cursor_key(row), &body, now_ms)?;
    Ok(())
}

fn internal(what: &str, e: impl std::fmt::Display) -> AwsError {
    AwsError::internal(format!("{what}: {e}"))
}

fn cursor_key<'a>(row: &'a TrailRow) -> DocKey<'a> {
    DocKey {
        service: SERVICE,
        kind: CURSOR_KIND,
        account_id: &row.account_id,
        region: &row.region,
        id: &row.arn,
    }
}

/// The start of the hour `ms` falls in.
fn hour_floor(ms: i64) -> i64 {
    ms.div_euclid(HOUR_MS) * HOUR_MS
}

/// `YYYYMMDDTHHmmssZ`, the timestamp of CloudTrail file names.
pub fn compact_time(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The key of a digest file:
/// `[prefix/]AWSLogs/[o-org/]ACCOUNT/CloudTrail-Digest/REGION/YYYY/MM/DD/
/// ACCOUNT_CloudTrail-Digest_REGION_TRAIL_HOMEREGION_YYYYMMDDTHHmmssZ.json.gz` (end time).
pub fn digest_object_key(
    prefix: Option<&str>,
    org_id: Option<&str>,
    account: &str,
    region: &str,
    trail_name: &str,
    home_region: &str,
    end: DateTime<Utc>,
) -> String {
    let prefix = match prefix {
        Some(p) if !p.is_empty() => format!("{p}/"),
        _ => String::new(),
    };
    let org = org_id.map(|o| format!("{o}/")).unwrap_or_default();
    format!(
        "{prefix}AWSLogs/{org}{account}/CloudTrail-Digest/{region}/{:04}/{:02}/{:02}/{account}_CloudTrail-Digest_{region}_{trail_name}_{home_region}_{}.json.gz",
        end.year(),
        end.month(),
        end.day(),
        compact_time(end)
    )
}

/// The string AWS signs: end time, `bucket/key`, hex SHA-256 of the uncompressed digest, and
/// the previous signature (`null` for the first digest of a chain).
pub fn signing_string(
    end_time: &str,
    bucket: &str,
    key: &str,
    digest_sha256_hex: &str,
    previous_signature: Option<&str>,
) -> String {
    format!(
        "{end_time}\n{bucket}/{key}\n{digest_sha256_hex}\n{}",
        previous_signature.unwrap_or("null")
    )
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn sign(key: &DigestKey, message: &str) -> Result<String, AwsError> {
    key.sign_sha256(message.as_bytes()).map(hex::encode)
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>, AwsError> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(bytes)
        .map_err(|e| internal("cannot compress a digest", e))?;
    enc.finish()
        .map_err(|e| internal("cannot compress a digest", e))
}

/// The log files of a trail delivered in `[from_ms, to_ms)`, by delivery time. A log
/// file's document is written once, when the file is delivered, so its creation time is
/// its delivery time: only the span's documents are read.
pub fn log_files_of(
    env: &Env<'_>,
    row: &TrailRow,
    span: (i64, i64),
) -> Result<Vec<LogFileDoc>, AwsError> {
    let mut out = Vec::new();
    for d in env.db.documents_created_between(
        SERVICE,
        LOG_FILE_KIND,
        &row.account_id,
        &row.region,
        span,
    )? {
        let f: LogFileDoc = serde_json::from_value(d.body)
            .map_err(|e| internal(&format!("corrupt log file document {}", d.id), e))?;
        if f.trail_arn == row.arn {
            out.push(f);
        }
    }
    out.sort_by(|a, b| (a.delivered_at, &a.key).cmp(&(b.delivered_at, &b.key)));
    Ok(out)
}

fn min_time<'a>(it: impl Iterator<Item = &'a Option<String>>) -> Option<String> {
    it.flatten().min().cloned()
}

fn max_time<'a>(it: impl Iterator<Item = &'a Option<String>>) -> Option<String> {
    it.flatten().max().cloned()
}

/// Where a trail's digests go.
struct Target {
    row: TrailRow,
    config: TrailConfig,
    org_id: Option<String>,
}

/// Builds, signs and stores one digest; returns the new chain head.
#[allow(clippy::too_many_arguments)]
fn write_digest(
    env: &Env<'_>,
    t: &Target,
    account: &str,
    region: &str,
    start_ms: i64,
    end_ms: i64,
    files: &[&LogFileDoc],
    previous: Option<&ChainHead>,
) -> Result<ChainHead, AwsError> {
    let key = digest_key(env, region)?;
    let bucket = &t.config.s3_bucket_name;
    let end = clock::from_millis(end_ms);
    let object = digest_object_key(
        t.config.s3_key_prefix.as_deref(),
        t.org_id.as_deref(),
        account,
        region,
        &t.row.name,
        &t.row.region,
        end,
    );
    let digest = DigestFile {
        aws_account_id: account.to_string(),
        digest_start_time: clock::iso_seconds(clock::from_millis(start_ms)),
        digest_end_time: clock::iso_seconds(end),
        digest_s3_bucket: bucket.clone(),
        digest_s3_object: object.clone(),
        digest_public_key_fingerprint: key.fingerprint.clone(),
        digest_signature_algorithm: SIGNATURE_ALGORITHM.to_string(),
        newest_event_time: max_time(files.iter().map(|f| &f.newest_event_time)),
        oldest_event_time: min_time(files.iter().map(|f| &f.oldest_event_time)),
        previous_digest_s3_bucket: previous.map(|p| p.bucket.clone()),
        previous_digest_s3_object: previous.map(|p| p.object.clone()),
        previous_digest_hash_value: previous.map(|p| p.hash.clone()),
        previous_digest_hash_algorithm: previous.map(|_| HASH_ALGORITHM.to_string()),
        previous_digest_signature: previous.map(|p| p.signature.clone()),
        log_files: files
            .iter()
            .map(|f| DigestLogFile {
                s3_bucket: f.bucket.clone(),
                s3_object: f.key.clone(),
                hash_value: f.sha256.clone(),
                hash_algorithm: HASH_ALGORITHM.to_string(),
                newest_event_time: f.newest_event_time.clone(),
                oldest_event_time: f.oldest_event_time.clone(),
            })
            .collect(),
    };
    let json = serde_json::to_vec(&digest).map_err(|e| internal("cannot serialise a digest", e))?;
    let hash = sha256_hex(&json);
    let signature = sign(
        &key,
        &signing_string(
            &digest.digest_end_time,
            bucket,
            &object,
            &hash,
            previous.map(|p| p.signature.as_str()),
        ),
    )?;
    let metadata = BTreeMap::from([
        (META_SIGNATURE.to_string(), signature.clone()),
        (
            META_SIGNATURE_ALGORITHM.to_string(),
            SIGNATURE_ALGORITHM.to_string(),
        ),
    ]);
    let sse = t.config.kms_key_id.as_deref().map(|k| ("aws:kms", Some(k)));
    put_object_internal_with_metadata(
        env,
        bucket,
        &object,
        &gzip(&json)?,
        "application/json",
        sse,
        metadata,
    )?;
    Ok(ChainHead {
        bucket: bucket.clone(),
        object,
        hash,
        signature,
    })
}

fn set_digest_status(
    env: &Env<'_>,
    arn: &str,
    f: impl FnOnce(&mut DeliveryStatus),
) -> Result<(), AwsError> {
    let mut s = env.db.status(arn)?;
    let mut d: DeliveryStatus = if s.details.trim().is_empty() {
        DeliveryStatus::default()
    } else {
        serde_json::from_str(&s.details).map_err(StoreError::from)?
    };
    f(&mut d);
    s.details = serde_json::to_string(&d).map_err(StoreError::from)?;
    env.db.put_status(arn, &s)?;
    Ok(())
}

/// Writes the digests of the completed hours not yet covered, at most [`PASS_HOURS`] per
/// trail, for every trail with log file validation enabled; returns how many digest files
/// were written and whether a trail has hours left for another pass. A failed S3 write
/// (e.g. the bucket is gone) is recorded as the trail's `LatestDigestDeliveryError` and
/// retried next time; only store failures are returned as errors.
pub fn deliver_digests_due(env: &Env<'_>) -> Result<(usize, bool), AwsError> {
    let now_ms = clock::to_millis(env.now);
    let mut written = 0;
    let mut more = false;
    for row in env.db.all_trails()? {
        let config: TrailConfig = serde_json::from_str(&row.config)
            .map_err(|e| internal(&format!("stored trail {} is unreadable", row.arn), e))?;
        if !config.log_file_validation_enabled {
            pause(env, &row, now_ms)?;
            continue;
        }
        let status = env.db.status(&row.arn)?;
        let Some(started_ms) = status.start_logging_ms.or(if status.is_logging {
            Some(row.created_ms)
        } else {
            None
        }) else {
            continue;
        };
        let mut cursor: Cursor = match env.db.document(&cursor_key(&row))? {
            Some(v) => {
                serde_json::from_value(v).map_err(|e| internal("corrupt digest cursor", e))?
            }
            None => Cursor::default(),
        };
        // Logging resumed after a pause: the next digest starts at the restart; the chain
        // continues across the gap.
        let mut start_ms = match cursor.next_start_ms {
            Some(s) if status.is_logging && started_ms > s => started_ms,
            Some(s) => s,
            // Validation turned back on: digests resume from the first run that sees it.
            None if cursor.paused => now_ms.max(started_ms),
            None => started_ms,
        };
        cursor.paused = false;
        let stop_ms = if status.is_logging {
            None
        } else {
            status.stop_logging_ms
        };
        let org_id = if config.is_organization_trail {
            crate::services::organizations::organization_of(env, &row.account_id)?.map(|o| o.id)
        } else {
            None
        };
        let target = Target {
            row: row.clone(),
            config,
            org_id,
        };
        // The hours this pass may digest, and the files delivered in them.
        let span_end = hour_floor(start_ms) + PASS_HOURS * HOUR_MS;
        let files = if hour_floor(start_ms) + HOUR_MS <= now_ms {
            log_files_of(env, &row, (start_ms, span_end))?
        } else {
            Vec::new()
        };
        let home = format!("{}/{}", row.account_id, row.region);
        let mut delivered_any = None;
        let mut error = None;
        loop {
            let end_ms = hour_floor(start_ms) + HOUR_MS;
            if end_ms > now_ms || stop_ms.is_some_and(|s| start_ms >= s) {
                break;
            }
            if end_ms > span_end {
                more = true;
                break;
            }
            let in_hour: Vec<&LogFileDoc> = files
                .iter()
                .filter(|f| f.delivered_at >= start_ms && f.delivered_at < end_ms)
                .collect();
            let mut pairs: Vec<String> = cursor.chains.keys().cloned().collect();
            pairs.push(home.clone());
            pairs.extend(
                in_hour
                    .iter()
                    .map(|f| format!("{}/{}", f.account, f.region)),
            );
            pairs.sort();
            pairs.dedup();
            let mut heads = cursor.chains.clone();
            let mut failed = false;
            for pair in &pairs {
                let (account, region) = pair.split_once('/').unwrap_or((pair, ""));
                let mine: Vec<&LogFileDoc> = in_hour
                    .iter()
                    .copied()
                    .filter(|f| f.account == account && f.region == region)
                    .collect();
                match write_digest(
                    env,
                    &target,
                    account,
                    region,
                    start_ms,
                    end_ms,
                    &mine,
                    cursor.chains.get(pair),
                ) {
                    Ok(head) => {
                        heads.insert(pair.clone(), head);
                        written += 1;
                    }
                    Err(e) if e.http_status < 500 => {
                        error = Some(e.code.clone());
                        failed = true;
                        break;
                    }
                    Err(e) => return Err(e),
                }
            }
            if failed {
                break;
            }
            cursor.chains = heads;
            cursor.next_start_ms = Some(end_ms);
            delivered_any = Some(end_ms);
            start_ms = end_ms;
        }
        if delivered_any.is_some() || cursor.next_start_ms.is_none() {
            if cursor.next_start_ms.is_none() {
                cursor.next_start_ms = Some(start_ms);
            }
            let body = serde_json::to_value(&cursor).map_err(StoreError::from)?;
            env.db.put_document(&cursor_key(&row), &body, now_ms)?;
        }
        if delivered_any.is_some() || error.is_some() {
            set_digest_status(env, &row.arn, |d| {
                if let Some(t) = delivered_any {
                    d.latest_digest_delivery_ms = Some(t);
                    d.latest_digest_delivery_error = None;
                }
                if let Some(e) = error {
                    d.latest_digest_delivery_error = Some(e);
                }
            })?;
        }
    }
    Ok((written, more))
}

#[cfg(test)]
#[path = "digest_tests.rs"]
pub(crate) mod tests;
