//! Fuzz targets for ingested log files (`fuzz_*`, see docs/reliability.md): mutated
//! CloudTrail log files, plain or gzip, are read or reported as bad files, never a panic;
//! hostile records are stored or rejected and every count adds up; a gzip bomb is refused
//! at the size limit.

use std::io::Write;

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;
use crate::fuzz::{any_json, check, mutated_json, mutated_text};

fn record_seeds() -> Vec<Value> {
    vec![
        json!({"eventVersion": "1.09", "userIdentity": {"type": "AssumedRole",
            "principalId": "AROA:s", "arn": "arn:aws:sts::123456789012:assumed-role/r/s",
            "accountId": "123456789012", "sessionContext": {"attributes": {"mfaAuthenticated": "false"}}},
            "eventTime": "2024-01-01T00:00:05Z", "eventSource": "s3.amazonaws.com",
            "eventName": "PutObject", "awsRegion": "us-east-1", "sourceIPAddress": "192.0.2.1",
            "userAgent": "aws-cli", "requestParameters": {"bucketName": "b", "key": "k"},
            "responseElements": null, "eventID": "3f1e2d1c-0000-4000-8000-000000000001",
            "readOnly": false, "resources": [{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::b/k"}],
            "eventType": "AwsApiCall", "managementEvent": false, "recipientAccountId": "123456789012",
            "eventCategory": "Data"}),
        json!({"eventVersion": "1.08", "userIdentity": {"type": "Root", "accountId": "123456789012"},
            "eventTime": "2024-01-01T00:01:00.123+02:00", "eventSource": "signin.amazonaws.com",
            "eventName": "ConsoleLogin", "awsRegion": "us-east-1", "errorMessage": "Failed authentication",
            "eventID": "3f1e2d1c-0000-4000-8000-000000000002", "readOnly": "true",
            "eventType": "AwsConsoleSignIn", "managementEvent": true}),
        json!({"eventVersion": "1.07", "eventTime": "2024-01-01T00:02:00Z", "eventSource": "cloudtrail.amazonaws.com",
            "eventName": "CloudTrailInsight", "eventID": "3f1e2d1c-0000-4000-8000-000000000003",
            "eventType": "AwsCloudTrailInsight", "recipientAccountId": "123456789012",
            "insightDetails": {"state": "Start", "eventSource": "iam.amazonaws.com", "eventName": "CreateRole",
                               "insightType": "ApiCallRateInsight"},
            "eventCategory": "Insight"}),
    ]
}

fn log_file() -> impl Strategy<Value = Value> {
    prop::collection::vec(
        prop_oneof![8 => mutated_json(record_seeds()), 1 => any_json()],
        0..6,
    )
    .prop_map(|records| json!({"Records": records}))
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// A log file as bytes: plain, gzip, edited as text, or a gzip stream cut short.
fn log_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => log_file().prop_map(|f| f.to_string().into_bytes()),
        2 => log_file().prop_map(|f| gzip(f.to_string().as_bytes())),
        2 => log_file().prop_flat_map(|f| mutated_text(vec![f.to_string()])).prop_map(String::into_bytes),
        1 => (log_file(), any::<prop::sample::Index>()).prop_map(|(f, cut)| {
            let g = gzip(f.to_string().as_bytes());
            g[..cut.index(g.len() + 1)].to_vec()
        }),
        1 => prop::collection::vec(any::<u8>(), 0..64).prop_map(|mut b| {
            b.splice(0..0, [0x1f, 0x8b]);
            b
        }),
    ]
}

#[test]
fn fuzz_log_files_parse_or_are_reported_bad() {
    check(file!(), "log file bytes", 512, log_bytes(), |bytes| {
        if let Ok(records) = parse_log_bytes(&bytes) {
            for r in &records {
                let _ = new_event_from_record(r);
            }
        }
        Ok(())
    });
}

#[test]
fn fuzz_ingest_stores_or_rejects_every_record_and_counts_add_up() {
    let state = tempfile::tempdir().unwrap();
    let sim = Simulator::open(state.path()).unwrap();
    let logs = tempfile::tempdir().unwrap();
    check(
        file!(),
        "ingest",
        64,
        prop::collection::vec(log_bytes(), 1..3),
        |files| {
            let _ = std::fs::remove_dir_all(logs.path());
            std::fs::create_dir_all(logs.path()).unwrap();
            for (i, f) in files.iter().enumerate() {
                std::fs::write(logs.path().join(format!("{i}.json.gz")), f).unwrap();
            }
            let report = ingest(&sim, &[logs.path().to_path_buf()], |_| {})
                .map_err(|e| TestCaseError::fail(format!("ingest failed: {e}")))?;
            prop_assert_eq!(report.files + report.bad_files.len(), files.len());
            prop_assert_eq!(
                report.stored + report.duplicates + report.rejected,
                report.read,
                "{:?}",
                report
            );
            // What was stored reads back as records.
            let stored = sim
                .event_records()
                .map_err(|e| TestCaseError::fail(format!("history unreadable: {e}")))?;
            prop_assert!(stored.iter().all(Value::is_object));
            Ok(())
        },
    );
}

/// Gzip members that inflate past the limit are a bad file, read no further than the limit
/// (found: a small gzip bomb was inflated whole into memory).
#[test]
fn gzip_bombs_are_refused_at_the_size_limit() {
    let member = gzip(&vec![b' '; 16 << 20]);
    let members = (MAX_LOG_FILE_BYTES >> 24) as usize + 1;
    let bomb: Vec<u8> = member.repeat(members);
    assert!(bomb.len() < 4 << 20, "{} bytes compressed", bomb.len());
    let err = parse_log_bytes(&bomb).unwrap_err();
    assert!(err.contains("larger than 256 MiB"), "{err}");
}

/// Log files nested past serde_json's limit are not valid JSON, not a stack overflow.
#[test]
fn deeply_nested_log_files_are_reported_bad() {
    let text = format!(
        "{{\"Records\": [{{\"x\": {}}}]}}",
        crate::fuzz::nested_arrays(100_000)
    );
    let err = parse_log_bytes(text.as_bytes()).unwrap_err();
    assert!(err.contains("not valid JSON"), "{err}");
}
