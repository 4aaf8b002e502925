//! Log file integrity validation, checking side: what `aws cloudtrail validate-logs` does.
//!
//! Everything is read back from the bucket (the digest objects, their `signature` metadata,
//! the log files), never from the delivery bookkeeping, so tampering with the simulated
//! bucket (on disk or through S3) is detected. For each (account, region) chain of the trail,
//! the newest digest in the range is checked first and the chain is followed backwards through
//! `previousDigestS3Object`: each digest must exist, sit where it says it was written, hash to
//! the `previousDigestHashValue` of its successor and carry a valid SHA256withRSA signature
//! by the region's public key; then each log file it lists must exist and match its SHA-256.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read;

use chrono::{DateTime, NaiveDateTime, Utc};
use flate2::read::GzDecoder;
use rsa::Pkcs1v15Sign;
use sha2::{Digest, Sha256};

use super::digest::{DigestFile, META_SIGNATURE, sha256_hex, signing_string};
use crate::clock;
use crate::error::AwsError;
use crate::services::Env;
use crate::services::cloudtrail::public_keys::stored_key;
use crate::services::cloudtrail::trails::TrailConfig;
use crate::services::s3::objects::{list_objects, object_bytes, object_metadata};

/// The outcome for one file, worded as the AWS CLI words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileStatus {
    Valid,
    /// The file's SHA-256 differs from the one recorded (modified).
    HashMismatch,
    /// The file is not in the bucket (deleted, or a digest missing from the chain).
    NotFound,
    /// The digest's signature does not verify (modified, or signed by another key).
    SignatureInvalid,
    /// The digest's content names another location (digests moved or re-ordered).
    Moved,
    /// The digest cannot be read as a gzip JSON digest.
    InvalidFormat,
}

impl FileStatus {
    pub fn text(self) -> &'static str {
        match self {
            FileStatus::Valid => "valid",
            FileStatus::HashMismatch => "INVALID: hash value doesn't match",
            FileStatus::NotFound => "INVALID: not found",
            FileStatus::SignatureInvalid => "INVALID: signature verification failed",
            FileStatus::Moved => "INVALID: has been moved from its original location",
            FileStatus::InvalidFormat => "INVALID: invalid format",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileResult {
    pub bucket: String,
    pub key: String,
    pub status: FileStatus,
}

/// What validate-logs found.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationReport {
    pub trail_arn: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Digest files newest first per chain, in the order they were checked.
    pub digests: Vec<FileResult>,
    pub log_files: Vec<FileResult>,
    /// The period the checked digests cover, if any were found.
    pub found: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// Every check in order (each digest followed by its log files), labelled
    /// `Digest file` or `Log file`, as the CLI prints them.
    pub checked: Vec<(&'static str, FileResult)>,
}

impl ValidationReport {
    fn push_digest(&mut self, r: FileResult) {
        self.checked.push(("Digest file", r.clone()));
        self.digests.push(r);
    }

    /// A digest missing, moved or not matching its successor's hash.
    pub fn chain_broken(&self) -> bool {
        self.digests.iter().any(|d| {
            matches!(
                d.status,
                FileStatus::NotFound | FileStatus::Moved | FileStatus::HashMismatch
            )
        })
    }

    pub fn all_valid(&self) -> bool {
        self.digests
            .iter()
            .chain(&self.log_files)
            .all(|f| f.status == FileStatus::Valid)
    }

    /// The CLI output: per-file lines (invalid ones always, valid ones when `verbose`), then
    /// the totals.
    pub fn render(&self, verbose: bool) -> String {
        let mut out = String::new();
        let iso = |t: DateTime<Utc>| clock::iso_seconds(t);
        let _ = writeln!(
            out,
            "Validating log files for trail {} between {} and {}\n",
            self.trail_arn,
            iso(self.start),
            iso(self.end)
        );
        for (label, f) in &self.checked {
            if verbose || f.status != FileStatus::Valid {
                let _ = writeln!(
                    out,
                    "{label}\ts3://{}/{}\t{}",
                    f.bucket,
                    f.key,
                    f.status.text()
                );
            }
        }
        let _ = writeln!(
            out,
            "\nResults requested for {} to {}",
            iso(self.start),
            iso(self.end)
        );
        match self.found {
            None => {
                let _ = writeln!(out, "No digests found");
                return out;
            }
            Some((a, b)) => {
                let _ = writeln!(out, "Results found for {} to {}:\n", iso(a), iso(b));
            }
        }
        let _ = writeln!(out, "{}", totals("digest", &self.digests));
        let _ = writeln!(out, "{}", totals("log", &self.log_files));
        out
    }
}

fn totals(what: &str, files: &[FileResult]) -> String {
    let n = files.len();
    let ok = files
        .iter()
        .filter(|f| f.status == FileStatus::Valid)
        .count();
    if ok == n {
        format!("{ok}/{n} {what} files valid")
    } else {
        format!(
            "{ok}/{n} {what} files valid, {}/{n} {what} files INVALID",
            n - ok
        )
    }
}

/// A digest object found by listing: its chain and end time (from the key).
#[derive(Debug, Clone)]
struct Listed {
    key: String,
    end: DateTime<Utc>,
}

/// Parses `ACCOUNT_CloudTrail-Digest_REGION_TRAIL_HOME_YYYYMMDDTHHmmssZ.json.gz` for this
/// trail; returns `(account, region, end)`.
fn parse_digest_name(
    key: &str,
    trail: &str,
    home: &str,
) -> Option<(String, String, DateTime<Utc>)> {
    let name = key.rsplit('/').next()?.strip_suffix(".json.gz")?;
    let (account, rest) = name.split_once("_CloudTrail-Digest_")?;
    let (rest, stamp) = rest.rsplit_once('_')?;
    let rest = rest.strip_suffix(&format!("_{trail}_{home}"))?;
    let region = rest;
    if region.is_empty() || region.contains('_') {
        return None;
    }
    let end = NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%SZ")
        .ok()?
        .and_utc();
    Some((account.to_string(), region.to_string(), end))
}

fn gunzip(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    GzDecoder::new(bytes).read_to_end(&mut out).ok()?;
    Some(out)
}

/// A digest read from the bucket.
struct Loaded {
    digest: DigestFile,
    /// Hex SHA-256 of the uncompressed JSON.
    hash: String,
    signature: Option<String>,
}

enum Load {
    Missing,
    BadFormat,
    Ok(Box<Loaded>),
}

fn load(env: &Env<'_>, bucket: &str, key: &str) -> Result<Load, AwsError> {
    let Some(bytes) = object_bytes(env, bucket, key)? else {
        return Ok(Load::Missing);
    };
    let Some(json) = gunzip(&bytes) else {
        return Ok(Load::BadFormat);
    };
    let Ok(digest) = serde_json::from_slice::<DigestFile>(&json) else {
        return Ok(Load::BadFormat);
    };
    let signature = object_metadata(env, bucket, key)?.and_then(|m| m.get(META_SIGNATURE).cloned());
    Ok(Load::Ok(Box::new(Loaded {
        hash: sha256_hex(&json),
        digest,
        signature,
    })))
}

fn signature_valid(env: &Env<'_>, region: &str, l: &Loaded) -> Result<bool, AwsError> {
    let Some(key) = stored_key(env, region)? else {
        return Ok(false);
    };
    if key.fingerprint != l.digest.digest_public_key_fingerprint {
        return Ok(false);
    }
    let Some(sig) = l.signature.as_deref().and_then(|s| hex::decode(s).ok()) else {
        return Ok(false);
    };
    let message = signing_string(
        &l.digest.digest_end_time,
        &l.digest.digest_s3_bucket,
        &l.digest.digest_s3_object,
        &l.hash,
        l.digest.previous_digest_signature.as_deref(),
    );
    let hashed = Sha256::digest(message.as_bytes());
    Ok(key
        .private
        .to_public_key()
        .verify(Pkcs1v15Sign::new::<Sha256>(), &hashed, &sig)
        .is_ok())
}

fn trail_not_found(arn: &str) -> AwsError {
    AwsError::new(
        "TrailNotFoundException",
        format!("Unknown trail: {arn}"),
        404,
    )
}

/// Validates the log files a trail delivered between `start` and `end`, as
/// `aws cloudtrail validate-logs` does.
pub fn validate_logs(
    env: &Env<'_>,
    trail_arn: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<ValidationReport, AwsError> {
    if start > end {
        return Err(AwsError::client(
            "InvalidTimeRangeException",
            "The start time must be before the end time",
        ));
    }
    let row = env
        .db
        .trail_by_arn(trail_arn)?
        .ok_or_else(|| trail_not_found(trail_arn))?;
    let config: TrailConfig = serde_json::from_str(&row.config)
        .map_err(|e| AwsError::internal(format!("stored trail {trail_arn} is unreadable: {e}")))?;
    let bucket = config.s3_bucket_name.clone();
    let prefix = match config.s3_key_prefix.as_deref() {
        Some(p) if !p.is_empty() => format!("{p}/AWSLogs/"),
        _ => "AWSLogs/".to_string(),
    };
    let listed = match list_objects(env, &bucket, &prefix) {
        Ok(l) => l,
        Err(e) if e.code == "NoSuchBucket" => Vec::new(),
        Err(e) => return Err(e),
    };
    // Chains by (account, region), oldest first.
    let mut chains: BTreeMap<(String, String), Vec<Listed>> = BTreeMap::new();
    for o in listed {
        if !o.key.contains("/CloudTrail-Digest/") {
            continue;
        }
        if let Some((account, region, t)) = parse_digest_name(&o.key, &row.name, &row.region) {
            // A digest covers the hour before its end time.
            if t > start && t - chrono::Duration::hours(1) < end {
                chains
                    .entry((account, region))
                    .or_default()
                    .push(Listed { key: o.key, end: t });
            }
        }
    }
    let mut report = ValidationReport {
        trail_arn: trail_arn.to_string(),
        start,
        end,
        digests: Vec::new(),
        log_files: Vec::new(),
        found: None,
        checked: Vec::new(),
    };
    let mut found: Option<(DateTime<Utc>, DateTime<Utc>)> = None;
    for ((_, region), mut list) in chains {
        list.sort_by(|a, b| (a.end, &a.key).cmp(&(b.end, &b.key)));
        // Walk newest to oldest. `next` is the digest to check and the hash its successor
        // recorded for it (None when restarting from the listing).
        let mut remaining = list;
        let mut next: Option<(String, Option<String>)> = None;
        loop {
            let (key, expected_hash) = match next.take() {
                Some(n) => n,
                None => match remaining.pop() {
                    Some(l) => (l.key, None),
                    None => break,
                },
            };
            // Whatever happens, older listed digests are those before this key.
            remaining.retain(|l| l.key < key);
            let mut result = FileResult {
                bucket: bucket.clone(),
                key: key.clone(),
                status: FileStatus::Valid,
            };
            let loaded = match load(env, &bucket, &key)? {
                Load::Missing => {
                    result.status = FileStatus::NotFound;
                    report.push_digest(result);
                    continue;
                }
                Load::BadFormat => {
                    result.status = FileStatus::InvalidFormat;
                    report.push_digest(result);
                    continue;
                }
                Load::Ok(l) => l,
            };
            let d = &loaded.digest;
            result.status = if expected_hash.as_deref().is_some_and(|h| h != loaded.hash) {
                FileStatus::HashMismatch
            } else if d.digest_s3_bucket != bucket || d.digest_s3_object != key {
                FileStatus::Moved
            } else if !signature_valid(env, &region, &loaded)? {
                FileStatus::SignatureInvalid
            } else {
                FileStatus::Valid
            };
            let valid = result.status == FileStatus::Valid;
            report.push_digest(result);
            if !valid {
                continue;
            }
            let span = (
                parse_iso(&d.digest_start_time).unwrap_or(start),
                parse_iso(&d.digest_end_time).unwrap_or(end),
            );
            found = Some(match found {
                None => span,
                Some((a, b)) => (a.min(span.0), b.max(span.1)),
            });
            for f in &d.log_files {
                let status = match object_bytes(env, &f.s3_bucket, &f.s3_object) {
                    Ok(None) => FileStatus::NotFound,
                    Err(e) if e.code == "NoSuchBucket" => FileStatus::NotFound,
                    Err(e) => return Err(e),
                    Ok(Some(bytes)) if sha256_hex(&bytes) != f.hash_value => {
                        FileStatus::HashMismatch
                    }
                    Ok(Some(_)) => FileStatus::Valid,
                };
                let r = FileResult {
                    bucket: f.s3_bucket.clone(),
                    key: f.s3_object.clone(),
                    status,
                };
                report.checked.push(("Log file", r.clone()));
                report.log_files.push(r);
            }
            // Follow the chain while the previous digest still covers the range.
            if let (Some(prev), Some(hash)) =
                (&d.previous_digest_s3_object, &d.previous_digest_hash_value)
                && parse_iso(&d.digest_start_time).is_some_and(|s| s > start)
                && d.previous_digest_s3_bucket.as_deref() == Some(bucket.as_str())
            {
                next = Some((prev.clone(), Some(hash.clone())));
            }
        }
    }
    report.found = found;
    Ok(report)
}

fn parse_iso(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
