//! Insights: the detector as a pure function (baselines, start and end bounds, split
//! invariance) and end to end over seeded days of generated traffic with spikes: one
//! Start/End pair, none on flat traffic, error-rate insights, restarts, LookupEvents,
//! CloudTrail-Insight files and ListInsightsMetricData.

use std::io::Read;
use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::*;
use crate::generate::spike::Spike;
use crate::generate::{Generator, Profile};
use crate::services::s3 as s3svc;
use crate::{CallerContext, Simulator};

const ME: &str = "123456789012";
const DAY: i64 = 24 * 60;

// ------------------------------------------------------------------ pure detector

fn series(points: &[(i64, u64)]) -> Series {
    Series::new(points.iter().copied())
}

/// `per_minute` calls every minute of `[from, to)`.
fn flat(from: i64, to: i64, per_minute: u64) -> Vec<(i64, u64)> {
    (from..to).map(|m| (m, per_minute)).collect()
}

#[test]
fn baseline_counts_empty_minutes_of_the_seven_days_before() {
    // 7 calls in one minute of the week before minute 20_000: mean 7/10080.
    let s = series(&[
        (20_000 - BASELINE_MINUTES - 1, 100),
        (15_000, 7),
        (20_000, 50),
    ]);
    let b = s.baseline_at(20_000);
    assert!((b.mean - 7.0 / 10_080.0).abs() < 1e-12);
    let var = 49.0 / 10_080.0 - b.mean * b.mean;
    assert!((b.stddev - var.sqrt()).abs() < 1e-12);
    // A constant series has no spread.
    let c = series(&flat(0, 2 * BASELINE_MINUTES, 30));
    let b = c.baseline_at(BASELINE_MINUTES + 5);
    assert_eq!((b.mean, b.stddev), (30.0, 0.0));
    assert_eq!(b.start_bound(), 50.0);
    assert_eq!(b.end_bound(), 40.0);
}

#[test]
fn a_burst_starts_and_ends_one_insight() {
    let mut pts = flat(0, BASELINE_MINUTES + 100, 2);
    for (m, c) in pts.iter_mut() {
        if (BASELINE_MINUTES + 10..BASELINE_MINUTES + 20).contains(m) {
            *c = 40;
        }
    }
    let s = series(&pts);
    let mut open = None;
    let out = evaluate(
        &s,
        BASELINE_MINUTES,
        BASELINE_MINUTES + 99,
        BASELINE_MINUTES,
        &mut open,
    );
    assert_eq!(out.len(), 2, "{out:?}");
    let (Transition::Start(a), Transition::End(e)) = (out[0], out[1]) else {
        panic!("expected Start then End: {out:?}");
    };
    assert_eq!((a.start_minute, a.start_count), (BASELINE_MINUTES + 10, 40));
    assert_eq!((a.baseline.mean, a.baseline.stddev), (2.0, 0.0));
    assert_eq!(e.last_active, BASELINE_MINUTES + 19);
    assert_eq!(e.duration(), 10);
    assert_eq!(e.sum, 400);
    assert!(open.is_none());
}

#[test]
fn steady_or_noisy_traffic_starts_nothing() {
    // High steady volume: far above the minimum excess, but no deviation.
    let s = series(&flat(0, BASELINE_MINUTES + DAY, 500));
    let mut open = None;
    assert!(
        evaluate(
            &s,
            BASELINE_MINUTES,
            BASELINE_MINUTES + DAY - 1,
            0,
            &mut open
        )
        .is_empty()
    );
    // Noisy volume (a deterministic saw between 0 and 30): within six deviations.
    let pts: Vec<(i64, u64)> = (0..BASELINE_MINUTES + DAY)
        .map(|m| (m, (m * 7919 % 31) as u64))
        .collect();
    let s = series(&pts);
    assert!(
        evaluate(
            &s,
            BASELINE_MINUTES,
            BASELINE_MINUTES + DAY - 1,
            0,
            &mut open
        )
        .is_empty()
    );
}

#[test]
fn a_burst_below_the_minimum_excess_is_not_an_insight() {
    // A quiet API (one call a day) suddenly at 19 a minute: under μ + 20.
    let mut pts: Vec<(i64, u64)> = (0..8).map(|d| (d * DAY, 1)).collect();
    pts.push((BASELINE_MINUTES + 100, 19));
    let mut open = None;
    let s = series(&pts);
    assert!(evaluate(&s, BASELINE_MINUTES, BASELINE_MINUTES + 200, 0, &mut open).is_empty());
    pts.pop();
    pts.push((BASELINE_MINUTES + 100, 21));
    let s = series(&pts);
    assert_eq!(
        evaluate(&s, BASELINE_MINUTES, BASELINE_MINUTES + 200, 0, &mut open).len(),
        2
    );
}

#[test]
fn minutes_before_eligibility_cannot_start() {
    let s = series(&[(100, 500)]);
    let mut open = None;
    assert!(evaluate(&s, 0, 200, 101, &mut open).is_empty());
    assert_eq!(evaluate(&s, 0, 200, 100, &mut open).len(), 2);
}

#[test]
fn a_short_lull_does_not_end_an_insight() {
    let base = BASELINE_MINUTES;
    // Active at +0..+3, a lull of 4 quiet minutes (+4..+7, fewer than 5), active at +8.
    let pts = vec![
        (base, 30),
        (base + 1, 30),
        (base + 2, 30),
        (base + 3, 30),
        (base + 5, 3),
        (base + 8, 30),
    ];
    let s = series(&pts);
    let mut open = None;
    let out = evaluate(&s, base, base + 20, 0, &mut open);
    assert_eq!(out.len(), 2, "{out:?}");
    let Transition::End(e) = out[1] else {
        panic!("{out:?}")
    };
    assert_eq!((e.last_active, e.sum, e.duration()), (base + 8, 153, 9));
}

#[test]
fn splitting_the_minutes_does_not_change_the_result() {
    let base = BASELINE_MINUTES;
    let mut pts = flat(0, base + 300, 1);
    for (m, c) in pts.iter_mut() {
        if (base + 40..base + 47).contains(m) || (base + 120..base + 121).contains(m) {
            *c = 60;
        }
    }
    let s = series(&pts);
    let mut open = None;
    let whole = evaluate(&s, base, base + 299, 0, &mut open);
    assert_eq!(whole.len(), 4);
    for cut in [
        base + 40,
        base + 43,
        base + 46,
        base + 49,
        base + 51,
        base + 52,
        base + 121,
    ] {
        let mut open = None;
        let mut parts = evaluate(&s, base, cut, 0, &mut open);
        parts.extend(evaluate(&s, cut + 1, base + 299, 0, &mut open));
        assert_eq!(parts, whole, "cut at {cut}");
    }
}

// ------------------------------------------------------------------ end to end

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc) // test input
}

fn me() -> CallerContext {
    CallerContext::new(ME, "us-east-1")
}

fn ok(sim: &Simulator, service: &str, op: &str, req: Value) -> Value {
    sim.invoke(&me(), service, op, req)
        .unwrap_or_else(|e| panic!("{service} {op}: {e}"))
}

const T0: &str = "2026-01-01T00:00:00Z";
const SPIKE: &str = "ec2.amazonaws.com:RunInstances@2026-01-08T10:00Z/15m x40";

/// A bucket and a logging trail "audit" with the given insight types, at T0.
fn setup(dir: &Path, types: &[&str]) -> Simulator {
    let sim = Simulator::open(dir).unwrap(); // test setup
    sim.set_time(at(T0)).unwrap(); // test setup
    ok(&sim, "s3", "CreateBucket", json!({"Bucket": "logs"}));
    let policy = crate::policy::documented_bucket_policy("logs", None, ME);
    ok(
        &sim,
        "s3",
        "PutBucketPolicy",
        json!({"Bucket": "logs", "Policy": policy}),
    );
    ok(
        &sim,
        "cloudtrail",
        "CreateTrail",
        json!({"Name": "audit", "S3BucketName": "logs"}),
    );
    let selectors: Vec<Value> = types.iter().map(|t| json!({"InsightType": t})).collect();
    ok(
        &sim,
        "cloudtrail",
        "PutInsightSelectors",
        json!({"TrailName": "audit", "InsightSelectors": selectors}),
    );
    ok(&sim, "cloudtrail", "StartLogging", json!({"Name": "audit"}));
    sim
}

/// Eight days of seeded background traffic in us-east-1 (about 1.2 calls a minute) plus the
/// spikes, ordered by event time.
fn traffic(seed: u64, spikes: &[&str]) -> Vec<Value> {
    let mut p = Profile::new(seed, at(T0), 8 * DAY as u64 * 6 / 5, vec![ME.into()]);
    p.rate_per_sec = 0.02;
    p.regions = vec!["us-east-1".into()];
    let mut all: Vec<Value> = Generator::new(p).unwrap().records().collect(); // valid profile
    for s in spikes {
        let spike = Spike::parse(s).unwrap(); // test input
        all.extend(spike.records(seed, ME, "us-east-1"));
    }
    all.sort_by(|a, b| a["eventTime"].as_str().cmp(&b["eventTime"].as_str()));
    all
}

/// Appends the traffic and moves the clock past its end.
fn run(sim: &Simulator, records: Vec<Value>, until: &str) {
    sim.append_records(records).unwrap(); // generated records are valid
    sim.set_time(at(until)).unwrap();
}

fn insight_records(sim: &Simulator) -> Vec<Value> {
    sim.event_records()
        .unwrap() // test read
        .into_iter()
        .filter(|r| r["eventType"] == "AwsCloudTrailInsight")
        .collect()
}

#[test]
fn a_seeded_spike_produces_exactly_one_start_end_pair() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), &["ApiCallRateInsight"]);
    run(&sim, traffic(1, &[SPIKE]), "2026-01-09T00:00:00Z");
    let rs = insight_records(&sim);
    assert_eq!(rs.len(), 2, "{rs:#?}");
    let (start, end) = (&rs[0], &rs[1]);
    assert_eq!(start["insightDetails"]["state"], "Start");
    assert_eq!(end["insightDetails"]["state"], "End");
    assert_eq!(start["sharedEventID"], end["sharedEventID"]);
    assert_ne!(start["eventID"], end["eventID"]);
    assert_eq!(start["eventTime"], "2026-01-08T10:00:00Z");
    assert_eq!(end["eventTime"], "2026-01-08T10:15:00Z");
    let stats = &end["insightDetails"]["insightContext"]["statistics"];
    assert_eq!(stats["insightDuration"], 15);
    assert_eq!(stats["baselineDuration"], 10_080);
    assert!(stats["insight"]["average"].as_f64().unwrap() >= 40.0);
    assert!(stats["baseline"]["average"].as_f64().unwrap() < 1.0);
    // The spike's user leads the insight attributions.
    let attr = &start["insightDetails"]["insightContext"]["attributions"][0];
    assert_eq!(attr["attribute"], "userIdentityArn");
    assert_eq!(
        attr["insight"][0]["value"],
        "arn:aws:iam::123456789012:user/deploy-bot"
    );
    insta::assert_json_snapshot!("spike_start_end", rs);
}

#[test]
fn flat_traffic_produces_no_insight() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), &["ApiCallRateInsight", "ApiErrorRateInsight"]);
    // Background plus a steady 3 calls a minute of one API for the whole window.
    let steady = "ec2.amazonaws.com:CreateTags@2026-01-01T00:00Z/7d x3";
    let steady_tail = "ec2.amazonaws.com:CreateTags@2026-01-08T00:00Z/1d x3";
    run(
        &sim,
        traffic(2, &[steady, steady_tail]),
        "2026-01-09T00:00:00Z",
    );
    assert!(insight_records(&sim).is_empty());
    // Every minute up to the clock has been evaluated.
    let state = sim
        .read(|db| {
            Ok(db
                .documents("cloudtrail", STATE_KIND, None, None)?
                .remove(0)
                .body)
        })
        .unwrap(); // test read
    assert_eq!(
        state["evaluatedMinute"],
        at("2026-01-08T23:59:00Z").timestamp() / 60
    );
}

#[test]
fn failing_calls_produce_an_error_rate_insight() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), &["ApiErrorRateInsight"]);
    let errors = "iam.amazonaws.com:CreateUser@2026-01-08T06:30Z/10m x25 error=AccessDenied";
    run(&sim, traffic(3, &[errors]), "2026-01-09T00:00:00Z");
    let rs = insight_records(&sim);
    assert_eq!(rs.len(), 2, "{rs:#?}");
    for r in &rs {
        let d = &r["insightDetails"];
        assert_eq!(d["insightType"], "ApiErrorRateInsight");
        assert_eq!(d["errorCode"], "AccessDenied");
        assert_eq!(d["eventSource"], "iam.amazonaws.com");
        assert_eq!(d["eventName"], "CreateUser");
        let attrs: Vec<&str> = d["insightContext"]["attributions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["attribute"].as_str().unwrap())
            .collect();
        assert_eq!(attrs, ["userIdentityArn", "userAgent"]);
    }
    assert_eq!(rs[0]["eventTime"], "2026-01-08T06:30:00Z");
    assert_eq!(rs[1]["eventTime"], "2026-01-08T06:40:00Z");
}

#[test]
fn a_restart_in_the_middle_neither_duplicates_nor_misses() {
    let whole_dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(whole_dir.path(), &["ApiCallRateInsight"]);
    run(&sim, traffic(4, &[SPIKE]), "2026-01-09T00:00:00Z");
    let whole = insight_records(&sim);
    assert_eq!(whole.len(), 2);

    let dir = tempfile::tempdir().unwrap(); // test setup
    let cut = "2026-01-08T10:07:00Z";
    let (before, after): (Vec<Value>, Vec<Value>) = traffic(4, &[SPIKE])
        .into_iter()
        .partition(|r| r["eventTime"].as_str().unwrap() < cut);
    let sim = setup(dir.path(), &["ApiCallRateInsight"]);
    run(&sim, before, cut);
    assert_eq!(insight_records(&sim).len(), 1, "the Start, mid-spike");
    drop(sim);
    let sim = Simulator::open(dir.path()).unwrap(); // reopen
    // Moving the clock again evaluates nothing twice.
    sim.set_time(at(cut)).unwrap();
    run(&sim, after, "2026-01-09T00:00:00Z");
    assert_eq!(insight_records(&sim), whole);
}

#[test]
fn lookup_events_returns_insights_only_for_the_insight_category() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), &["ApiCallRateInsight"]);
    run(&sim, traffic(1, &[SPIKE]), "2026-01-09T00:00:00Z");
    let insights = ok(
        &sim,
        "cloudtrail",
        "LookupEvents",
        json!({"EventCategory": "insight"}),
    );
    let events = insights["Events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    // Newest first: the End, then the Start.
    let states: Vec<Value> = events
        .iter()
        .map(|e| {
            let r: Value = serde_json::from_str(e["CloudTrailEvent"].as_str().unwrap()).unwrap();
            r["insightDetails"]["state"].clone()
        })
        .collect();
    assert_eq!(states, [json!("End"), json!("Start")]);
    assert_eq!(events[0]["EventName"], "RunInstances");
    assert_eq!(events[0]["EventSource"], "ec2.amazonaws.com");
    let by_name = ok(
        &sim,
        "cloudtrail",
        "LookupEvents",
        json!({"EventCategory": "insight", "LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "CreateUser"}]}),
    );
    assert!(by_name["Events"].as_array().unwrap().is_empty());
    // Without the category: management events only.
    let mgmt = ok(
        &sim,
        "cloudtrail",
        "LookupEvents",
        json!({"MaxResults": 50}),
    );
    assert!(mgmt["Events"].as_array().unwrap().iter().all(|e| {
        !e["CloudTrailEvent"]
            .as_str()
            .unwrap()
            .contains("AwsCloudTrailInsight")
    }));
}

#[test]
fn insights_are_delivered_to_the_cloudtrail_insight_prefix() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), &["ApiCallRateInsight"]);
    run(&sim, traffic(1, &[SPIKE]), "2026-01-09T00:00:00Z");
    let files = sim
        .read(|db| Ok(db.documents("cloudtrail", INSIGHT_FILE_KIND, None, None)?))
        .unwrap(); // test read
    assert_eq!(files.len(), 1, "both records come out of one run");
    let key = files[0].body["key"].as_str().unwrap().to_string();
    let prefix = "AWSLogs/123456789012/CloudTrail-Insight/us-east-1/2026/01/09/123456789012_CloudTrail-Insight_us-east-1_20260109T0000Z_";
    assert!(key.starts_with(prefix), "{key}");
    assert!(key.ends_with(".json.gz"));
    let gz = sim
        .run_unrecorded(|env| s3svc::object_bytes(env, "logs", &key))
        .unwrap() // test read
        .expect("the delivered object");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_string(&mut text)
        .unwrap(); // our own gzip
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["Records"].as_array().unwrap(), &insight_records(&sim));
    // Insights records never go into the ordinary log files.
    let logs = sim
        .read(|db| {
            Ok(db.documents(
                "cloudtrail",
                super::super::delivery::LOG_FILE_KIND,
                None,
                None,
            )?)
        })
        .unwrap(); // test read
    assert!(
        logs.iter()
            .all(|d| !d.body["key"].as_str().unwrap().contains("Insight"))
    );
}

#[test]
fn list_insights_metric_data_counts_per_period() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), &["ApiCallRateInsight"]);
    run(&sim, traffic(1, &[SPIKE]), "2026-01-09T00:00:00Z");
    let start = at("2026-01-08T09:58:00Z").timestamp() as f64;
    let end = at("2026-01-08T10:03:00Z").timestamp() as f64;
    let base = json!({
        "EventSource": "ec2.amazonaws.com", "EventName": "RunInstances",
        "InsightType": "ApiCallRateInsight", "StartTime": start, "EndTime": end, "Period": 60,
        "DataType": "FillWithZeros",
    });
    let r = ok(&sim, "cloudtrail", "ListInsightsMetricData", base.clone());
    let ts: Vec<f64> = serde_json::from_value(r["Timestamps"].clone()).unwrap();
    assert_eq!(
        ts,
        [
            start,
            start + 60.0,
            start + 120.0,
            start + 180.0,
            start + 240.0
        ]
    );
    let values: Vec<f64> = serde_json::from_value(r["Values"].clone()).unwrap();
    assert!(
        values[2] >= 40.0 && values[3] >= 40.0 && values[4] >= 40.0,
        "{values:?}"
    );
    assert!(values[0] < 40.0 && values[1] < 40.0, "{values:?}");
    // Paging: two at a time, same points.
    let mut req = base.clone();
    req["MaxResults"] = json!(2);
    let mut got = Vec::new();
    loop {
        let page = ok(&sim, "cloudtrail", "ListInsightsMetricData", req.clone());
        got.extend(page["Values"].as_array().unwrap().iter().cloned());
        match page.get("NextToken").and_then(Value::as_str) {
            Some(t) => req["NextToken"] = json!(t),
            None => break,
        }
    }
    assert_eq!(Value::Array(got), r["Values"]);
    // NonZeroData leaves empty minutes out; hourly buckets sum the calls.
    let mut hourly = base.clone();
    hourly["Period"] = json!(3600);
    hourly["DataType"] = json!("NonZeroData");
    hourly["StartTime"] = json!(at("2026-01-08T10:00:00Z").timestamp());
    hourly["EndTime"] = json!(at("2026-01-08T11:00:00Z").timestamp());
    let h = ok(&sim, "cloudtrail", "ListInsightsMetricData", hourly);
    assert_eq!(h["Values"].as_array().unwrap().len(), 1);
    assert!(h["Values"][0].as_f64().unwrap() >= 600.0);
    assert!(h.get("ErrorCode").is_none());
}

#[test]
fn list_insights_metric_data_validates_like_aws() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), &["ApiCallRateInsight"]);
    let call = |req: Value| {
        sim.invoke(&me(), "cloudtrail", "ListInsightsMetricData", req)
            .unwrap_err()
    };
    let base = json!({"EventSource": "ec2.amazonaws.com", "EventName": "RunInstances", "InsightType": "ApiCallRateInsight"});
    for (change, needle) in [
        (json!({"InsightType": "ApiErrorRateInsight"}), "ErrorCode"),
        (
            json!({"InsightType": "ApiErrorRateInsight", "ErrorCode": "Access/Denied"}),
            "ErrorCode",
        ),
        (json!({"InsightType": "Nope"}), "InsightType"),
        (json!({"Period": 120}), "Period"),
        (json!({"DataType": "All"}), "DataType"),
        (json!({"MaxResults": 0}), "MaxResults"),
        (json!({"MaxResults": 21_601}), "MaxResults"),
        (json!({"EventName": ""}), "EventName"),
        (json!({"StartTime": 2.0e9, "EndTime": 1.0e9}), "StartTime"),
        (json!({"NextToken": "zz"}), "NextToken"),
    ] {
        let mut req = base.clone();
        req.as_object_mut()
            .unwrap()
            .extend(change.as_object().unwrap().clone());
        let e = call(req);
        assert_eq!(e.code, "InvalidParameterException");
        assert!(e.message.contains(needle), "{needle}: {}", e.message);
    }
    let ok_err = ok(
        &sim,
        "cloudtrail",
        "ListInsightsMetricData",
        json!({"EventSource": "ec2.amazonaws.com", "EventName": "RunInstances", "InsightType": "ApiErrorRateInsight", "ErrorCode": "AccessDenied"}),
    );
    assert_eq!(ok_err["ErrorCode"], "AccessDenied");
    assert_eq!(ok_err["Values"], json!([]));
}

#[test]
fn turning_insights_off_forgets_the_series() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), &["ApiCallRateInsight"]);
    sim.append_records(traffic(5, &[]).into_iter().take(500))
        .unwrap();
    sim.advance_time(Duration::hours(1)).unwrap();
    let rows = |sim: &Simulator| {
        sim.read(|db| Ok(db.insight_counts(&trail_arn(), 0, i64::MAX)?.len()))
            .unwrap() // test read
    };
    assert!(rows(&sim) > 0);
    ok(
        &sim,
        "cloudtrail",
        "PutInsightSelectors",
        json!({"TrailName": "audit", "InsightSelectors": []}),
    );
    sim.advance_time(Duration::minutes(1)).unwrap();
    assert_eq!(rows(&sim), 0);
}

fn trail_arn() -> String {
    format!("arn:aws:cloudtrail:us-east-1:{ME}:trail/audit")
}

#[test]
fn turning_insights_on_needs_a_bucket_cloudtrail_can_write_to() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), &["ApiCallRateInsight"]);
    ok(&sim, "s3", "DeleteBucketPolicy", json!({"Bucket": "logs"}));
    let put = |types: Value| {
        sim.invoke(
            &me(),
            "cloudtrail",
            "PutInsightSelectors",
            json!({"TrailName": "audit", "InsightSelectors": types}),
        )
    };
    let e = put(json!([{"InsightType": "ApiErrorRateInsight"}])).unwrap_err();
    assert_eq!(e.code, "InsufficientS3BucketPolicyException");
    // Turning Insights off needs no bucket.
    put(json!([])).unwrap(); // allowed
}

#[test]
fn minutes_are_evaluated_only_once_a_backlog_is_counted() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), &["ApiCallRateInsight"]);
    // More write calls than one pass counts, appended with the clock moved past them and no
    // due work in between.
    let steady = "ec2.amazonaws.com:CreateTags@2026-01-01T00:00Z/7d x2";
    let steady_tail = "ec2.amazonaws.com:CreateTags@2026-01-08T00:00Z/1d x2";
    let records = traffic(6, &[steady, steady_tail, SPIKE]);
    assert!(records.len() > 2 * crate::pipeline::PASS_EVENTS as usize);
    sim.run_unrecorded(|env| {
        for r in &records {
            let e = crate::events::new_event_from_record(r).expect("generated records are valid");
            env.db.insert_event_if_new(&e)?;
        }
        env.db
            .set_clock(crate::Clock::Fixed(at("2026-01-09T00:00:00Z")))?;
        Ok(())
    })
    .unwrap(); // test setup
    let state = |sim: &Simulator| {
        sim.read(|db| {
            Ok(db
                .documents("cloudtrail", STATE_KIND, None, None)?
                .pop()
                .map(|d| d.body))
        })
        .unwrap() // test read
    };

    // The first pass counts a bounded part and evaluates nothing.
    let first = sim.run_unrecorded(detect_due).unwrap(); // test store
    assert!(first.more && first.records.is_empty());
    let after_first = state(&sim).expect("a state after the first pass");
    assert_eq!(after_first["evaluatedMinute"], Value::Null);

    // The facade's passes finish counting, then evaluate: the spike's one Start/End pair.
    sim.run_due_work().unwrap(); // test store
    let rs = insight_records(&sim);
    assert_eq!(rs.len(), 2, "{rs:#?}");
    assert_eq!(
        state(&sim).expect("a state")["evaluatedMinute"],
        at("2026-01-08T23:59:00Z").timestamp() / 60
    );
}

#[test]
fn a_pass_over_a_history_of_reads_examines_a_bounded_range() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), &["ApiCallRateInsight"]);
    sim.run_due_work().unwrap(); // test setup
    let counted = |sim: &Simulator| {
        sim.read(|db| {
            let state = db.documents("cloudtrail", STATE_KIND, None, None)?.pop();
            Ok((
                state.map_or(0, |d| d.body["countedSeq"].as_i64().unwrap_or(0)),
                db.max_event_seq()?,
            ))
        })
        .unwrap() // test read
    };
    let (before, _) = counted(&sim);
    // Reads never count for ApiCallRateInsight: none of them matches the scan.
    let describe = crate::simulator::BatchCall {
        ctx: sim.default_caller("us-east-1"),
        service: "cloudtrail".into(),
        operation: "DescribeTrails".into(),
        request: json!({}),
    };
    let reads = vec![describe; crate::pipeline::PASS_EVENTS as usize * 2];
    assert!(sim.invoke_many(&reads).iter().all(|i| i.result.is_ok()));

    let first = sim.run_unrecorded(detect_due).unwrap(); // test store
    assert!(first.more);
    assert_eq!(
        counted(&sim).0,
        before + i64::from(crate::pipeline::PASS_EVENTS)
    );
    sim.run_due_work().unwrap(); // test store
    let (after, max_seq) = counted(&sim);
    assert_eq!(after, max_seq);
}
