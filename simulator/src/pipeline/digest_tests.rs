//! Digest delivery: layout, content, chaining, signatures, cursor and status.

use std::collections::BTreeMap;
use std::io::Read;

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{Value, json};

use super::*;
use crate::services::s3::objects::{object_bytes, object_metadata, put_object_internal};
use crate::{CallerContext, Simulator};

pub(crate) const BUCKET: &str = "audit-logs";
pub(crate) const ACCOUNT: &str = "123456789012";
pub(crate) const TRAIL_ARN: &str = "arn:aws:cloudtrail:us-east-1:123456789012:trail/main";

pub(crate) fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap() // literal date, valid
}

pub(crate) fn ctx(sim: &Simulator) -> CallerContext {
    sim.default_caller("us-east-1")
}

/// A simulator at t0 with a logging trail `main` (log file validation on) delivering to
/// `audit-logs`.
pub(crate) fn fixture() -> (tempfile::TempDir, Simulator) {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = Simulator::open(dir.path()).unwrap(); // test setup
    sim.set_time(t0()).unwrap(); // test setup
    let c = ctx(&sim);
    crate::services::cloudtrail::tests::cloudtrail_bucket(&sim, &c, BUCKET);
    sim.invoke(
        &c,
        "cloudtrail",
        "CreateTrail",
        json!({"Name": "main", "S3BucketName": BUCKET, "EnableLogFileValidation": true}),
    )
    .unwrap(); // test setup
    sim.invoke(&c, "cloudtrail", "StartLogging", json!({"Name": "main"}))
        .unwrap(); // test setup
    (dir, sim)
}

pub(crate) fn log_key(at: DateTime<Utc>, n: u32) -> String {
    format!(
        "AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/{}/{ACCOUNT}_CloudTrail_us-east-1_{}_test{n}.json.gz",
        at.format("%Y/%m/%d"),
        at.format("%Y%m%dT%H%MZ")
    )
}

/// Delivers a log file as the delivery pipeline would: the object and its `log-file` document.
pub(crate) fn deliver_log(sim: &Simulator, at: DateTime<Utc>, n: u32) -> String {
    let key = log_key(at, n);
    let bytes = format!("{{\"Records\":[{{\"n\":{n}}}]}}").into_bytes();
    sim.run_unrecorded(|env| {
        put_object_internal(env, BUCKET, &key, &bytes, "application/json", None)?;
        let body = json!({
            "trailArn": TRAIL_ARN, "bucket": BUCKET, "key": key, "account": ACCOUNT,
            "region": "us-east-1", "sha256": sha256_hex(&bytes),
            "oldestEventTime": clock::iso_seconds(at - Duration::minutes(5)),
            "newestEventTime": clock::iso_seconds(at - Duration::minutes(1)),
            "deliveredAt": clock::iso_seconds(at), "deliveredAtMs": clock::to_millis(at), "records": 1
        });
        let id = format!("{BUCKET}/{key}");
        env.db.put_document(
            &DocKey {
                service: SERVICE,
                kind: LOG_FILE_KIND,
                account_id: ACCOUNT,
                region: "us-east-1",
                id: &id,
            },
            &body,
            clock::to_millis(at),
        )?;
        Ok(())
    })
    .unwrap(); // test setup
    key
}

/// Moves the clock to `at` (which runs the due pipeline work, digests included) and returns
/// how many digest files that wrote.
pub(crate) fn run_at(sim: &Simulator, at: DateTime<Utc>) -> usize {
    let digests = |sim: &Simulator| {
        sim.run_unrecorded(|env| {
            Ok(
                crate::services::s3::objects::list_objects(env, BUCKET, "AWSLogs/")?
                    .iter()
                    .filter(|o| o.key.contains("CloudTrail-Digest"))
                    .count(),
            )
        })
        .unwrap() // test setup
    };
    let before = digests(sim);
    sim.set_time(at).unwrap(); // test setup
    let extra = sim.run_unrecorded(deliver_digests_due).unwrap(); // nothing more is due
    assert_eq!(
        extra,
        (0, false),
        "set_time should have done the due digest work"
    );
    digests(sim) - before
}

/// Three hours of delivery: log files at 00:05, 00:10, 01:20 and 02:30, digests run at 03:05.
pub(crate) fn three_hours() -> (tempfile::TempDir, Simulator, Vec<String>) {
    let (dir, sim) = fixture();
    let logs = vec![
        deliver_log(&sim, t0() + Duration::minutes(5), 1),
        deliver_log(&sim, t0() + Duration::minutes(10), 2),
        deliver_log(&sim, t0() + Duration::minutes(80), 3),
        deliver_log(&sim, t0() + Duration::minutes(150), 4),
    ];
    assert_eq!(run_at(&sim, t0() + Duration::minutes(185)), 3);
    (dir, sim, logs)
}

pub(crate) fn digest_key_at(hour: i64) -> String {
    digest_object_key(
        None,
        None,
        ACCOUNT,
        "us-east-1",
        "main",
        "us-east-1",
        t0() + Duration::hours(hour),
    )
}

pub(crate) fn read_digest(sim: &Simulator, key: &str) -> (Value, BTreeMap<String, String>) {
    sim.run_unrecorded(|env| {
        let gz = object_bytes(env, BUCKET, key)?.expect("digest exists"); // test assertion
        let mut json = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut json)
            .expect("digest is gzip"); // test assertion
        let meta = object_metadata(env, BUCKET, key)?.unwrap_or_default();
        Ok((serde_json::from_str(&json).expect("digest is JSON"), meta)) // test assertion
    })
    .unwrap() // test setup
}

#[test]
fn digest_key_follows_the_cloudtrail_digest_layout() {
    let end = t0() + Duration::hours(1);
    assert_eq!(
        digest_object_key(None, None, ACCOUNT, "eu-west-1", "main", "us-east-1", end),
        "AWSLogs/123456789012/CloudTrail-Digest/eu-west-1/2024/01/01/123456789012_CloudTrail-Digest_eu-west-1_main_us-east-1_20240101T010000Z.json.gz"
    );
    assert_eq!(
        digest_object_key(
            Some("p/q"),
            Some("o-abc123"),
            ACCOUNT,
            "us-east-1",
            "t",
            "us-east-1",
            end
        ),
        "p/q/AWSLogs/o-abc123/123456789012/CloudTrail-Digest/us-east-1/2024/01/01/123456789012_CloudTrail-Digest_us-east-1_t_us-east-1_20240101T010000Z.json.gz"
    );
}

#[test]
fn one_digest_per_completed_hour_chained_and_signed() {
    let (_dir, sim, logs) = three_hours();
    let (first, meta1) = read_digest(&sim, &digest_key_at(1));
    let (second, _) = read_digest(&sim, &digest_key_at(2));
    let (third, meta3) = read_digest(&sim, &digest_key_at(3));
    // The first digest starts when logging started and has no predecessor.
    assert_eq!(first["digestStartTime"], "2024-01-01T00:00:00Z");
    assert_eq!(first["previousDigestSignature"], Value::Null);
    assert_eq!(first["previousDigestS3Object"], Value::Null);
    assert_eq!(first["logFiles"].as_array().map(Vec::len), Some(2));
    assert_eq!(first["logFiles"][0]["s3Object"], logs[0]);
    assert_eq!(meta1["signature-algorithm"], "SHA256withRSA");
    // Each digest links to the previous one: key, hash of its JSON, signature.
    assert_eq!(second["previousDigestS3Object"], digest_key_at(1));
    assert_eq!(
        second["previousDigestSignature"],
        meta1["signature"].as_str()
    );
    let first_json =
        serde_json::to_vec(&serde_json::from_value::<DigestFile>(first.clone()).unwrap()).unwrap(); // test
    assert_eq!(second["previousDigestHashValue"], sha256_hex(&first_json));
    assert_eq!(third["digestStartTime"], "2024-01-01T02:00:00Z");
    assert_eq!(third["logFiles"][0]["s3Object"], logs[3]);
    assert_eq!(third["newestEventTime"], "2024-01-01T02:29:00Z");
    // The signature verifies with the public key ListPublicKeys returns.
    let keys = sim
        .invoke(&ctx(&sim), "cloudtrail", "ListPublicKeys", json!({}))
        .unwrap(); // test setup
    let key = &keys["PublicKeyList"][0];
    assert_eq!(key["Fingerprint"], third["digestPublicKeyFingerprint"]);
    use base64::Engine;
    use rsa::pkcs1::DecodeRsaPublicKey;
    let der = base64::engine::general_purpose::STANDARD
        .decode(key["Value"].as_str().unwrap())
        .unwrap(); // test
    let public = rsa::RsaPublicKey::from_pkcs1_der(&der).unwrap(); // test
    let third_json =
        serde_json::to_vec(&serde_json::from_value::<DigestFile>(third.clone()).unwrap()).unwrap(); // test
    let message = signing_string(
        "2024-01-01T03:00:00Z",
        BUCKET,
        &digest_key_at(3),
        &sha256_hex(&third_json),
        third["previousDigestSignature"].as_str(),
    );
    let sig = hex::decode(meta3["signature"].as_str()).unwrap(); // test
    assert!(
        public
            .verify(
                rsa::Pkcs1v15Sign::new::<Sha256>(),
                &Sha256::digest(message.as_bytes()),
                &sig
            )
            .is_ok()
    );
    insta::assert_json_snapshot!("second_digest", second);
}

#[test]
fn digests_are_written_for_hours_without_log_files_and_only_once() {
    let (_dir, sim) = fixture();
    assert_eq!(run_at(&sim, t0() + Duration::minutes(59)), 0);
    assert_eq!(run_at(&sim, t0() + Duration::minutes(121)), 2);
    assert_eq!(run_at(&sim, t0() + Duration::minutes(150)), 0);
    let (d, _) = read_digest(&sim, &digest_key_at(2));
    assert_eq!(d["logFiles"], json!([]));
    assert_eq!(d["newestEventTime"], Value::Null);
    let status = sim
        .invoke(
            &ctx(&sim),
            "cloudtrail",
            "GetTrailStatus",
            json!({"Name": "main"}),
        )
        .unwrap(); // test setup
    assert_eq!(
        status["LatestDigestDeliveryTime"].as_f64(),
        Some(clock::to_epoch_seconds(t0() + Duration::hours(2)))
    );
}

#[test]
fn stopped_trails_and_trails_without_validation_get_no_digests() {
    let (_dir, sim) = fixture();
    let c = ctx(&sim);
    sim.set_time(t0() + Duration::minutes(30)).unwrap(); // test setup
    sim.invoke(&c, "cloudtrail", "StopLogging", json!({"Name": "main"}))
        .unwrap(); // test setup
    // The hour logging stopped in is still covered; later ones are not.
    assert_eq!(run_at(&sim, t0() + Duration::hours(5)), 1);
    sim.invoke(
        &c,
        "cloudtrail",
        "CreateTrail",
        json!({"Name": "plain", "S3BucketName": BUCKET}),
    )
    .unwrap(); // test setup
    sim.invoke(&c, "cloudtrail", "StartLogging", json!({"Name": "plain"}))
        .unwrap(); // test setup
    assert_eq!(run_at(&sim, t0() + Duration::hours(8)), 0);
}

#[test]
fn a_missing_bucket_is_a_digest_delivery_error_then_retried() {
    let (_dir, sim) = fixture();
    let c = ctx(&sim);
    sim.invoke(&c, "s3", "DeleteBucketPolicy", json!({"Bucket": BUCKET}))
        .unwrap(); // test setup
    sim.invoke(&c, "s3", "DeleteBucket", json!({"Bucket": BUCKET}))
        .unwrap(); // test setup
    assert_eq!(run_at(&sim, t0() + Duration::minutes(70)), 0);
    let status = sim
        .invoke(&c, "cloudtrail", "GetTrailStatus", json!({"Name": "main"}))
        .unwrap(); // test setup
    assert_eq!(status["LatestDigestDeliveryError"], "NoSuchBucket");
    crate::services::cloudtrail::tests::cloudtrail_bucket(&sim, &c, BUCKET);
    assert_eq!(run_at(&sim, t0() + Duration::minutes(75)), 1);
}

#[test]
fn list_public_keys_returns_the_region_key_and_checks_the_range() {
    let (_dir, sim) = fixture();
    let c = ctx(&sim);
    let now = clock::to_epoch_seconds(t0());
    let out = sim
        .invoke(
            &c,
            "cloudtrail",
            "ListPublicKeys",
            json!({"StartTime": now - 60.0}),
        )
        .unwrap(); // test setup
    let key = &out["PublicKeyList"][0];
    assert_eq!(key["ValidityStartTime"].as_f64(), Some(now));
    assert_eq!(key["Fingerprint"].as_str().map(str::len), Some(32));
    // The same seed and region give the same key in another state folder.
    let (_dir2, other) = fixture();
    let again = other
        .invoke(&ctx(&other), "cloudtrail", "ListPublicKeys", json!({}))
        .unwrap(); // test setup
    assert_eq!(again["PublicKeyList"][0]["Value"], key["Value"]);
    // Another region has its own key.
    let west = sim
        .invoke(
            &sim.default_caller("us-west-2"),
            "cloudtrail",
            "ListPublicKeys",
            json!({}),
        )
        .unwrap(); // test setup
    assert_ne!(west["PublicKeyList"][0]["Value"], key["Value"]);
    let err = sim
        .invoke(
            &c,
            "cloudtrail",
            "ListPublicKeys",
            json!({"StartTime": now, "EndTime": now - 10.0}),
        )
        .unwrap_err();
    assert_eq!(err.code, "InvalidTimeRangeException");
}

#[test]
fn turning_validation_off_and_on_owes_no_digests_for_the_pause() {
    let (_dir, sim) = fixture();
    let c = ctx(&sim);
    assert_eq!(run_at(&sim, t0() + Duration::minutes(61)), 1);
    sim.invoke(
        &c,
        "cloudtrail",
        "UpdateTrail",
        json!({"Name": "main", "EnableLogFileValidation": false}),
    )
    .unwrap(); // test setup
    assert_eq!(run_at(&sim, t0() + Duration::minutes(62)), 0);
    sim.set_time(t0() + Duration::hours(5)).unwrap(); // test setup
    sim.invoke(
        &c,
        "cloudtrail",
        "UpdateTrail",
        json!({"Name": "main", "EnableLogFileValidation": true}),
    )
    .unwrap(); // test setup
    // The first run after re-enabling starts a new period; nothing is back-filled.
    assert_eq!(run_at(&sim, t0() + Duration::minutes(301)), 0);
    assert_eq!(run_at(&sim, t0() + Duration::minutes(361)), 1);
    let (d, _) = read_digest(&sim, &digest_key_at(6));
    assert_eq!(d["digestStartTime"], "2024-01-01T05:01:00Z");
    // The chain continues from the digest before the pause.
    assert_eq!(d["previousDigestS3Object"], digest_key_at(1));
}

#[test]
fn days_of_owed_digests_are_written_a_day_per_pass() {
    let (_dir, sim) = fixture();
    // Three days later, 72 hours are owed: one pass writes a day of them.
    sim.run_unrecorded(|env| {
        Ok(env
            .db
            .set_clock(crate::Clock::Fixed(t0() + Duration::days(3)))?)
    })
    .unwrap(); // test setup
    let (written, more) = sim.run_unrecorded(deliver_digests_due).unwrap(); // test store
    assert_eq!((written, more), (PASS_HOURS as usize, true));
    sim.run_due_work().unwrap(); // the remaining passes
    let (last, _) = read_digest(&sim, &digest_key_at(72));
    assert_eq!(last["digestEndTime"], "2024-01-04T00:00:00Z");
    assert_eq!(last["previousDigestS3Object"], digest_key_at(71));
    assert_eq!(sim.run_unrecorded(deliver_digests_due).unwrap(), (0, false)); // test store
}
