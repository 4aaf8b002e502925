//! validate-logs: detects modified, deleted and re-ordered files and tampered digests.

use chrono::Duration;
use serde_json::json;

use super::*;
use crate::Simulator;
use crate::pipeline::digest::tests::{
    BUCKET, TRAIL_ARN, ctx, digest_key_at, read_digest, t0, three_hours,
};
use crate::services::s3::objects::{
    object_metadata, put_object_internal, put_object_internal_with_metadata,
};

fn validate(sim: &Simulator) -> ValidationReport {
    sim.run_unrecorded(|env| validate_logs(env, TRAIL_ARN, t0(), t0() + Duration::hours(3)))
        .unwrap() // test setup
}

fn status_of(files: &[FileResult], key: &str) -> FileStatus {
    files
        .iter()
        .find(|f| f.key == key)
        .map(|f| f.status)
        .unwrap_or_else(|| panic!("{key} was not checked")) // test assertion
}

fn delete(sim: &Simulator, key: &str) {
    sim.invoke(
        &ctx(sim),
        "s3",
        "DeleteObject",
        json!({"Bucket": BUCKET, "Key": key}),
    )
    .unwrap(); // test setup
}

#[test]
fn untouched_files_are_all_valid() {
    let (_dir, sim, _logs) = three_hours();
    let r = validate(&sim);
    assert!(r.all_valid(), "{r:?}");
    assert!(!r.chain_broken());
    assert_eq!(r.digests.len(), 3);
    assert_eq!(r.log_files.len(), 4);
    insta::assert_snapshot!("all_valid_verbose", r.render(true));
}

#[test]
fn a_modified_log_file_has_a_hash_mismatch() {
    let (_dir, sim, logs) = three_hours();
    sim.run_unrecorded(|env| {
        put_object_internal(
            env,
            BUCKET,
            &logs[2],
            b"{\"Records\":[]}",
            "application/json",
            None,
        )
    })
    .unwrap(); // test setup
    let r = validate(&sim);
    assert_eq!(status_of(&r.log_files, &logs[2]), FileStatus::HashMismatch);
    assert_eq!(status_of(&r.log_files, &logs[1]), FileStatus::Valid);
    assert!(!r.all_valid());
    assert!(!r.chain_broken());
    let out = r.render(false);
    assert!(out.contains("INVALID: hash value doesn't match"), "{out}");
    assert!(out.contains("3/3 digest files valid"), "{out}");
    assert!(
        out.contains("3/4 log files valid, 1/4 log files INVALID"),
        "{out}"
    );
}

#[test]
fn a_deleted_log_file_is_not_found() {
    let (_dir, sim, logs) = three_hours();
    delete(&sim, &logs[0]);
    let r = validate(&sim);
    assert_eq!(status_of(&r.log_files, &logs[0]), FileStatus::NotFound);
    assert!(r.render(false).contains(&format!(
        "Log file\ts3://{BUCKET}/{}\tINVALID: not found",
        logs[0]
    )));
}

#[test]
fn a_deleted_digest_breaks_the_chain() {
    let (_dir, sim, logs) = three_hours();
    delete(&sim, &digest_key_at(2));
    let r = validate(&sim);
    assert!(r.chain_broken());
    assert_eq!(
        status_of(&r.digests, &digest_key_at(2)),
        FileStatus::NotFound
    );
    assert_eq!(status_of(&r.digests, &digest_key_at(1)), FileStatus::Valid);
    assert_eq!(status_of(&r.digests, &digest_key_at(3)), FileStatus::Valid);
    // The log files of the missing digest cannot be checked.
    assert!(r.log_files.iter().all(|f| f.key != logs[2]));
    assert!(
        r.render(false)
            .contains("2/3 digest files valid, 1/3 digest files INVALID")
    );
}

#[test]
fn re_ordered_digests_break_the_chain() {
    let (_dir, sim, _logs) = three_hours();
    let (a, b) = (digest_key_at(2), digest_key_at(3));
    sim.run_unrecorded(|env| {
        let bytes_a = object_bytes(env, BUCKET, &a)?.unwrap_or_default();
        let bytes_b = object_bytes(env, BUCKET, &b)?.unwrap_or_default();
        let meta_a = object_metadata(env, BUCKET, &a)?.unwrap_or_default();
        let meta_b = object_metadata(env, BUCKET, &b)?.unwrap_or_default();
        put_object_internal_with_metadata(
            env,
            BUCKET,
            &a,
            &bytes_b,
            "application/json",
            None,
            meta_b,
        )?;
        put_object_internal_with_metadata(
            env,
            BUCKET,
            &b,
            &bytes_a,
            "application/json",
            None,
            meta_a,
        )?;
        Ok(())
    })
    .unwrap(); // test setup
    let r = validate(&sim);
    assert!(r.chain_broken());
    assert_eq!(status_of(&r.digests, &a), FileStatus::Moved);
    assert_eq!(status_of(&r.digests, &b), FileStatus::Moved);
    assert_eq!(status_of(&r.digests, &digest_key_at(1)), FileStatus::Valid);
}

#[test]
fn a_tampered_digest_fails_signature_verification() {
    let (_dir, sim, logs) = three_hours();
    let key = digest_key_at(3);
    let (mut d, meta) = read_digest(&sim, &key);
    // Hide a log file from the newest digest, keeping its signature.
    d["logFiles"] = json!([]);
    let json = serde_json::to_vec(&d).unwrap(); // test setup
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &json).unwrap(); // test setup
    let gz = gz.finish().unwrap(); // test setup
    sim.run_unrecorded(|env| {
        put_object_internal_with_metadata(env, BUCKET, &key, &gz, "application/json", None, meta)
    })
    .unwrap(); // test setup
    let r = validate(&sim);
    assert_eq!(status_of(&r.digests, &key), FileStatus::SignatureInvalid);
    assert!(r.log_files.iter().all(|f| f.key != logs[3]));
    assert!(!r.all_valid());
    assert!(
        r.render(false)
            .contains("INVALID: signature verification failed")
    );
}

#[test]
fn an_unknown_trail_is_an_error_and_no_digests_is_reported() {
    let (_dir, sim, _logs) = three_hours();
    let err = sim
        .run_unrecorded(|env| {
            validate_logs(
                env,
                "arn:aws:cloudtrail:us-east-1:123456789012:trail/nope",
                t0(),
                t0() + Duration::hours(1),
            )
        })
        .unwrap_err();
    assert_eq!(err.code, "TrailNotFoundException");
    let r = sim
        .run_unrecorded(|env| {
            validate_logs(
                env,
                TRAIL_ARN,
                t0() + Duration::days(2),
                t0() + Duration::days(3),
            )
        })
        .unwrap(); // test setup
    assert!(r.found.is_none());
    assert!(r.render(false).contains("No digests found"));
}
