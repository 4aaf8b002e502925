//! Ingest of real CloudTrail log files: `{"Records": [...]}` JSON as CloudTrail delivers it
//! to S3, gzip-compressed (detected by its magic bytes, not the name) or plain; directories
//! are searched recursively for `*.json` and `*.json.gz`. A file that cannot be read or
//! parsed is reported with its path and skipped; a record lacking eventTime, eventSource,
//! eventName or eventID is rejected; events already stored (same eventID) are skipped.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::Simulator;
use crate::error::AwsError;
use crate::events::new_event_from_record;

/// The outcome of an ingest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestReport {
    /// Log files read successfully.
    pub files: usize,
    /// Records read from those files.
    pub read: usize,
    pub stored: usize,
    /// Records whose eventID was already stored (or appeared earlier in the input).
    pub duplicates: usize,
    /// Records missing a required field.
    pub rejected: usize,
    /// Files skipped, with why.
    pub bad_files: Vec<(PathBuf, String)>,
}

/// The log files named by `paths`: files as given, directories searched recursively for
/// `*.json` / `*.json.gz`, in name order (deterministic).
pub fn log_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    let mut bad = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut files, &mut bad);
        } else if p.exists() {
            files.push(p.clone());
        } else {
            bad.push((p.clone(), "no such file or directory".to_string()));
        }
    }
    (files, bad)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, bad: &mut Vec<(PathBuf, String)>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            bad.push((dir.to_path_buf(), e.to_string()));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, files, bad);
        } else {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if name.ends_with(".json") || name.ends_with(".json.gz") {
                files.push(p);
            }
        }
    }
}

/// The largest log file ingest reads, once decompressed. CloudTrail delivers a file every
/// five minutes per account and region, a few MiB at most; the limit keeps a gzip bomb or
/// a file that is not a log from taking all memory (the records are held in memory).
pub const MAX_LOG_FILE_BYTES: u64 = 256 << 20;

/// The records of one log file (gzip or plain `{"Records": [...]}`).
pub fn read_log_file(path: &Path) -> Result<Vec<Value>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    file.take(MAX_LOG_FILE_BYTES + 1)
        .read_to_end(&mut raw)
        .map_err(|e| e.to_string())?;
    parse_log_bytes(&raw)
}

/// The records of a log file's bytes (gzip, detected by its magic bytes, or plain JSON).
pub fn parse_log_bytes(raw: &[u8]) -> Result<Vec<Value>, String> {
    let too_big = || {
        format!(
            "larger than {} MiB (decompressed); split it into smaller files",
            MAX_LOG_FILE_BYTES >> 20
        )
    };
    let inflated;
    let bytes = if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(raw)
            .take(MAX_LOG_FILE_BYTES + 1)
            .read_to_end(&mut out)
            .map_err(|e| format!("not a valid gzip file: {e}"))?;
        inflated = out;
        &inflated[..]
    } else {
        raw
    };
    if bytes.len() as u64 > MAX_LOG_FILE_BYTES {
        return Err(too_big());
    }
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| format!("not valid JSON: {e}"))?;
    match doc {
        Value::Object(mut m) => match m.remove("Records") {
            Some(Value::Array(records)) => Ok(records),
            _ => Err("not a CloudTrail log file: no \"Records\" array".to_string()),
        },
        _ => Err("not a CloudTrail log file: expected {\"Records\": [...]}".to_string()),
    }
}

/// Reads every log file under `paths` and appends its records to `sim`'s event history.
/// `progress` is told each file as it is done.
pub fn ingest(
    sim: &Simulator,
    paths: &[PathBuf],
    mut progress: impl FnMut(&Path),
) -> Result<IngestReport, AwsError> {
    let (files, bad) = log_files(paths);
    let mut report = IngestReport {
        bad_files: bad,
        ..Default::default()
    };
    for f in files {
        let records = match read_log_file(&f) {
            Ok(r) => r,
            Err(why) => {
                report.bad_files.push((f, why));
                continue;
            }
        };
        report.files += 1;
        report.read += records.len();
        let (good, rejected): (Vec<Value>, Vec<Value>) = records
            .into_iter()
            .partition(|r| new_event_from_record(r).is_ok());
        report.rejected += rejected.len();
        let stats = sim.append_records_with(good, |_| {})?;
        report.stored += stats.stored;
        report.duplicates += stats.duplicates;
        progress(&f);
    }
    Ok(report)
}

#[cfg(test)]
#[path = "ingest_fuzz.rs"]
mod fuzz;
