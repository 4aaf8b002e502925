//! Lake ingestion: scope, selectors, exactly once, stopped ingestion and retention.

use chrono::{Duration, TimeZone, Utc};
use serde_json::{Value, json};

use crate::generate::{Generator, Profile};
use crate::{CallerContext, Simulator};

const ACCOUNT: &str = "123456789012";

fn t0() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap() // literal date, valid
}

fn sim() -> (tempfile::TempDir, Simulator) {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = Simulator::open(dir.path()).unwrap(); // test setup
    sim.set_time(t0()).unwrap(); // test setup
    (dir, sim)
}

fn ctx() -> CallerContext {
    CallerContext::new(ACCOUNT, "us-east-1")
}

fn ok(sim: &Simulator, op: &str, req: Value) -> Value {
    match sim.invoke(&ctx(), "cloudtrail", op, req) {
        Ok(v) => v,
        Err(e) => panic!("{op} failed: {e}"),
    }
}

fn create(sim: &Simulator, req: Value) -> String {
    ok(sim, "CreateEventDataStore", req)["EventDataStoreArn"]
        .as_str()
        .unwrap() // Create always answers the ARN
        .to_string()
}

/// The records a store holds, parsed.
fn records(sim: &Simulator, arn: &str) -> Vec<Value> {
    sim.read(|db| {
        let row = db.eds_by_arn(arn)?.expect("store exists"); // created by the test
        Ok(db
            .lake_records(row.n)?
            .iter()
            .map(|r| serde_json::from_str(r).expect("stored records are JSON")) // written by ingest
            .collect())
    })
    .unwrap() // test read
}

fn generate(sim: &Simulator, seed: u64, count: u64, start: chrono::DateTime<Utc>) {
    let profile = Profile::new(seed, start, count, vec![ACCOUNT.to_string()]);
    let generator = Generator::new(profile).unwrap(); // valid profile
    sim.append_events(generator).unwrap(); // test setup
}

#[test]
fn store_takes_selected_events_from_its_creation_on_exactly_once() {
    let (_d, sim) = sim();
    generate(&sim, 1, 50, t0()); // before the store: not taken
    let all = create(&sim, json!({"Name": "all-mgmt"}));
    let writes = create(
        &sim,
        json!({"Name": "writes", "AdvancedEventSelectors": [{"FieldSelectors": [
            {"Field": "eventCategory", "Equals": ["Management"]},
            {"Field": "readOnly", "Equals": ["false"]}]}]}),
    );
    generate(&sim, 2, 300, t0() + Duration::minutes(1));
    sim.run_due_work().unwrap(); // a second run must not duplicate
    let got = records(&sim, &all);
    let expected: Vec<Value> = sim
        .event_records()
        .unwrap() // test read
        .into_iter()
        .skip(50)
        .filter(|r| r["eventCategory"] == "Management")
        .collect();
    assert!(!expected.is_empty());
    // Every management event recorded after the creation, once, in order (including the
    // CreateEventDataStore call of the second store).
    assert_eq!(got, expected);
    let w = records(&sim, &writes);
    assert!(!w.is_empty());
    assert!(w.iter().all(|r| r["readOnly"] == false));
    assert!(w.len() < got.len());
}

#[test]
fn single_region_store_takes_only_its_region() {
    let (_d, sim) = sim();
    let arn = create(
        &sim,
        json!({"Name": "home-only", "MultiRegionEnabled": false}),
    );
    generate(&sim, 3, 300, t0());
    let got = records(&sim, &arn);
    assert!(!got.is_empty());
    assert!(got.iter().all(|r| r["awsRegion"] == "us-east-1"));
}

#[test]
fn stopped_ingestion_receives_nothing_and_resumes_from_restart() {
    let (_d, sim) = sim();
    let arn = create(&sim, json!({"Name": "pausing"}));
    generate(&sim, 4, 100, t0());
    let before = records(&sim, &arn).len();
    ok(
        &sim,
        "StopEventDataStoreIngestion",
        json!({"EventDataStore": arn}),
    );
    generate(&sim, 5, 100, t0() + Duration::minutes(1));
    let during = records(&sim, &arn).len();
    assert_eq!(before, during);
    ok(
        &sim,
        "StartEventDataStoreIngestion",
        json!({"EventDataStore": arn}),
    );
    generate(&sim, 6, 100, t0() + Duration::minutes(2));
    let after = records(&sim, &arn);
    assert!(after.len() > during);
    // Nothing of the paused batch arrived late.
    let paused_ids: Vec<Value> = sim
        .event_records()
        .unwrap() // test read
        .into_iter()
        .filter(|r| {
            r["eventTime"]
                .as_str()
                .is_some_and(|t| t.starts_with("2024-01-01T00:01"))
        })
        .map(|r| r["eventID"].clone())
        .collect();
    assert!(after.iter().all(|r| !paused_ids.contains(&r["eventID"])));
}

#[test]
fn retention_expiry_removes_events_older_than_the_period() {
    let (_d, sim) = sim();
    let arn = create(&sim, json!({"Name": "week", "RetentionPeriod": 7}));
    generate(&sim, 7, 100, t0());
    let n = records(&sim, &arn).len();
    assert!(n > 0);
    sim.advance_time(Duration::days(6)).unwrap(); // test setup
    generate(&sim, 8, 100, t0() + Duration::days(6));
    let six = records(&sim, &arn).len();
    assert!(six > n);
    sim.advance_time(Duration::days(2)).unwrap(); // day 8: the first batch is past 7 days
    let left = records(&sim, &arn);
    assert_eq!(left.len(), six - n);
    assert!(
        left.iter()
            .all(|r| r["eventTime"].as_str().is_some_and(|t| t >= "2024-01-07"))
    );
    // The volume counters follow.
    let (events, bytes) = sim
        .read(|db| {
            let row = db.eds_by_arn(&arn)?.expect("store exists"); // created above
            Ok((row.events, row.bytes))
        })
        .unwrap(); // test read
    assert_eq!(events as usize, left.len());
    assert!(bytes > 0);
}

#[test]
fn purged_store_loses_its_events() {
    let (_d, sim) = sim();
    let arn = create(
        &sim,
        json!({"Name": "doomed", "TerminationProtectionEnabled": false}),
    );
    generate(&sim, 9, 50, t0());
    assert!(!records(&sim, &arn).is_empty());
    ok(&sim, "DeleteEventDataStore", json!({"EventDataStore": arn}));
    sim.advance_time(Duration::days(8)).unwrap(); // test setup
    let gone = sim.read(|db| Ok(db.eds_by_arn(&arn)?)).unwrap(); // test read
    assert!(gone.is_none());
}

#[test]
fn borrowed_reading_agrees_with_the_full_record() {
    let profile = Profile::new(11, t0(), 500, vec![ACCOUNT.to_string()]);
    let mut lite_parsed = 0;
    for v in Generator::new(profile).unwrap().records() {
        // valid profile
        let text = v.to_string();
        let Some(lite) = super::LiteRecord::parse(&text) else {
            continue;
        };
        lite_parsed += 1;
        let full = super::lake_event(7, 1, &v, &text);
        assert_eq!(lite.lake_event(7, 1, &text), full);
        assert_eq!(
            format!("{:?}", lite.view()),
            format!("{:?}", super::EventView::of(&v))
        );
    }
    assert!(lite_parsed > 450, "{lite_parsed}");
    // A record with escaped strings is still read (through the full record).
    let (_d, sim) = sim();
    let arn = create(&sim, json!({"Name": "escapes"}));
    let rec = json!({"eventVersion": "1.11", "eventTime": "2024-01-01T00:00:01Z",
        "eventSource": "iam.amazonaws.com", "eventName": "GetUser", "awsRegion": "us-east-1",
        "userAgent": "say \"hi\"", "eventID": "e-1", "readOnly": true, "eventType": "AwsApiCall",
        "managementEvent": true, "recipientAccountId": ACCOUNT, "eventCategory": "Management",
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/q\"uote"}});
    sim.append_records([rec]).unwrap(); // test setup
    let got = records(&sim, &arn);
    assert!(got.iter().any(|r| r["userAgent"] == "say \"hi\""));
}

/// Appends generated events with no due work in between: one backlog for the next pass.
fn backlog(sim: &Simulator, seed: u64, count: u64) {
    let profile = Profile::new(seed, t0(), count, vec![ACCOUNT.to_string()]);
    sim.run_unrecorded(|env| {
        for e in Generator::new(profile).unwrap() {
            // valid profile
            env.db.insert_event_if_new(&e)?;
        }
        Ok(())
    })
    .unwrap(); // test setup
}

#[test]
fn a_backlog_is_ingested_in_bounded_passes_exactly_once() {
    use crate::pipeline::PASS_EVENTS;
    let (_d, sim) = sim();
    let arn = create(&sim, json!({"Name": "backlog"}));
    let cursor = |sim: &Simulator| {
        sim.read(|db| Ok(db.eds_by_arn(&arn)?.expect("store exists").cursor_seq)) // created above
            .unwrap() // test read
    };
    let from = cursor(&sim);
    backlog(&sim, 8, u64::from(PASS_EVENTS) * 2 + 500);

    // One pass reads PASS_EVENTS events, stores what it captured and stops there.
    let first = sim.run_unrecorded(super::ingest_due).unwrap(); // test store
    assert!(first.more);
    assert_eq!(cursor(&sim), from + i64::from(PASS_EVENTS));
    assert_eq!(records(&sim, &arn).len() as u64, first.ingested);

    // The facade runs passes until none is left: every management event once, in order.
    sim.run_due_work().unwrap(); // test store
    let expected: Vec<Value> = sim
        .event_records()
        .unwrap() // test read
        .into_iter()
        .skip(from as usize)
        .filter(|r| r["eventCategory"] == "Management")
        .collect();
    assert_eq!(records(&sim, &arn), expected);
    assert!(!sim.run_unrecorded(super::ingest_due).unwrap().more); // test store
}

#[test]
fn retention_deletes_a_bounded_number_of_events_per_pass() {
    use crate::pipeline::PASS_EVENTS;
    let (_d, sim) = sim();
    let arn = create(&sim, json!({"Name": "short", "RetentionPeriod": 7}));
    backlog(&sim, 9, u64::from(PASS_EVENTS) * 2);
    sim.run_due_work().unwrap(); // test store
    let stored = records(&sim, &arn).len();
    assert!(stored > PASS_EVENTS as usize);
    // Past the retention period every event expires, over two passes.
    sim.run_unrecorded(|env| {
        Ok(env
            .db
            .set_clock(crate::Clock::Fixed(t0() + Duration::days(30)))?)
    })
    .unwrap(); // test setup
    let first = sim.run_unrecorded(super::ingest_due).unwrap(); // test store
    assert_eq!(first.expired, u64::from(PASS_EVENTS));
    assert!(first.more);
    sim.run_due_work().unwrap(); // test store
    assert!(records(&sim, &arn).is_empty());
}
