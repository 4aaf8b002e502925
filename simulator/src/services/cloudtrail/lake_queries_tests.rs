//! Lake SQL over a seeded data set: queries in the style of the AWS sample queries, with
//! snapshot results; rejected statements; the query API lifecycle.

use chrono::{Duration, TimeZone, Utc};
use serde_json::{Value, json};

use super::run_statement;
use crate::generate::{Generator, Profile};
use crate::{AwsError, CallerContext, Simulator};

const ACCOUNT: &str = "123456789012";

fn ctx() -> CallerContext {
    CallerContext::new(ACCOUNT, "us-east-1")
}

fn t0() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() // literal date, valid
}

/// Two stores (all management events; S3 data events) over 3,000 generated events spread
/// over two accounts, with the clock an hour after the traffic began.
struct Fixture {
    _dir: tempfile::TempDir,
    sim: Simulator,
    mgmt: String,
    data: String,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = Simulator::open(dir.path()).unwrap(); // test setup
    sim.set_time(t0()).unwrap(); // test setup
    let create = |req: Value| -> String {
        let r = sim
            .invoke(&ctx(), "cloudtrail", "CreateEventDataStore", req)
            .unwrap(); // test setup
        let arn = r["EventDataStoreArn"].as_str().unwrap(); // Create answers it
        arn.rsplit('/').next().unwrap().to_string() // ARN has a slash
    };
    let mgmt = create(json!({"Name": "management"}));
    let data = create(
        json!({"Name": "s3-data", "AdvancedEventSelectors": [{"FieldSelectors": [
        {"Field": "eventCategory", "Equals": ["Data"]},
        {"Field": "resources.type", "Equals": ["AWS::S3::Object"]}]}]}),
    );
    let profile = Profile::new(
        42,
        t0() + Duration::seconds(1),
        3000,
        vec![ACCOUNT.to_string(), "210987654321".to_string()],
    );
    let mut profile = profile;
    profile.rate_per_sec = 2.0;
    sim.append_events(Generator::new(profile).unwrap()) // valid profile
        .unwrap(); // test setup
    sim.set_time(t0() + Duration::hours(1)).unwrap(); // test setup
    Fixture {
        _dir: dir,
        sim,
        mgmt,
        data,
    }
}

impl Fixture {
    /// Runs a statement without recording it (so queries do not feed the stores) and
    /// renders the result as a table.
    fn query(&self, sql: &str) -> Result<String, AwsError> {
        let sql = sql
            .replace("$MGMT", &self.mgmt)
            .replace("$DATA", &self.data);
        self.sim.run_unrecorded(|env| {
            let ran = run_statement(env, &ctx(), &sql)?;
            let columns: Vec<String> = serde_json::from_str(&ran.row.columns)
                .map_err(|e| AwsError::internal(e.to_string()))?;
            let rows = super::result_rows(env, &ran.row, 0, usize::MAX / 2)?;
            let mut out = columns.join(" | ");
            out.push('\n');
            for r in rows {
                let cells: Vec<String> = r
                    .into_iter()
                    .map(|v| v.unwrap_or_else(|| "NULL".into()))
                    .collect();
                out.push_str(&cells.join(" | "));
                out.push('\n');
            }
            Ok(out)
        })
    }

    fn rejected(&self, sql: &str) -> AwsError {
        match self.query(sql) {
            Ok(t) => panic!("{sql} should be rejected, got\n{t}"),
            Err(e) => e,
        }
    }
}

/// (snapshot name, statement) in the style of the CloudTrail console's sample queries.
const SAMPLES: &[(&str, &str)] = &[
    (
        "top_apis",
        "SELECT eventName, COUNT(*) AS apiCount FROM $MGMT GROUP BY eventName ORDER BY apiCount DESC, eventName LIMIT 10",
    ),
    (
        "console_logins",
        "SELECT eventTime, userIdentity.arn, sourceIPAddress, awsRegion FROM $MGMT WHERE eventName = 'ConsoleLogin' ORDER BY eventTime LIMIT 5",
    ),
    (
        "errors_by_user",
        "SELECT userIdentity.arn AS caller, errorCode, count(*) AS errors FROM $MGMT WHERE errorCode IS NOT NULL GROUP BY 1, 2 ORDER BY errors DESC, caller, errorCode LIMIT 10",
    ),
    (
        "s3_buckets_touched",
        "SELECT element_at(requestParameters, 'bucketName') AS bucket, COUNT(*) AS calls FROM $DATA WHERE eventSource = 's3.amazonaws.com' GROUP BY element_at(requestParameters, 'bucketName') ORDER BY calls DESC, bucket LIMIT 5",
    ),
    (
        "last_day_writes_per_region",
        "SELECT awsRegion, COUNT(*) AS writes FROM $MGMT WHERE readOnly = false AND eventTime > date_add('day', -1, now()) GROUP BY awsRegion ORDER BY awsRegion",
    ),
    (
        "distinct_users",
        "SELECT COUNT(DISTINCT userIdentity.arn) AS users, approx_distinct(sourceIPAddress) AS ips FROM $MGMT",
    ),
    (
        "access_denied",
        "SELECT eventSource, eventName, errorCode FROM $MGMT WHERE errorCode IN ('AccessDenied', 'Client.UnauthorizedOperation') ORDER BY eventTime, eventID LIMIT 8",
    ),
    (
        "delete_calls",
        "SELECT DISTINCT eventName FROM $MGMT WHERE eventName LIKE 'Put%' OR eventName LIKE '%Role' ORDER BY eventName",
    ),
    (
        "time_window",
        "SELECT COUNT(*) AS n, MIN(eventTime) AS first, MAX(eventTime) AS last FROM $MGMT WHERE eventTime BETWEEN timestamp '2026-01-01 00:05:00' AND timestamp '2026-01-01 00:10:00'",
    ),
    (
        "string_time_compare",
        "SELECT COUNT(*) FROM $MGMT WHERE eventtime >= '2026-01-01 00:20:00' AND eventtime < '2026-01-01 00:21:00'",
    ),
    (
        "busy_callers_having",
        "SELECT userIdentity.principalId, COUNT(*) AS calls FROM $MGMT GROUP BY userIdentity.principalId HAVING COUNT(*) > 40 ORDER BY calls DESC, principalId",
    ),
    (
        "role_sessions_by_issuer",
        "SELECT userIdentity.sessionContext.sessionIssuer.userName AS role, COUNT(*) AS calls FROM $MGMT WHERE userIdentity.type = 'AssumedRole' GROUP BY 1 ORDER BY calls DESC, role LIMIT 5",
    ),
    (
        "per_hour_histogram",
        "SELECT date_trunc('minute', eventTime) AS minute, COUNT(*) AS events FROM $MGMT WHERE eventTime < from_iso8601_timestamp('2026-01-01T00:05:00Z') GROUP BY 1 ORDER BY 1",
    ),
    (
        "users_with_denied_and_data",
        "SELECT DISTINCT m.userIdentity.arn AS arn FROM $MGMT m JOIN $DATA d ON m.userIdentity.arn = d.userIdentity.arn WHERE m.errorCode = 'AccessDenied' ORDER BY arn LIMIT 5",
    ),
    (
        "subquery_in",
        "SELECT eventName, COUNT(*) AS n FROM $MGMT WHERE userIdentity.arn IN (SELECT userIdentity.arn FROM $MGMT WHERE eventName = 'ConsoleLogin') AND readOnly = true GROUP BY eventName ORDER BY n DESC, eventName LIMIT 5",
    ),
    (
        "derived_table",
        "SELECT src, total FROM (SELECT eventSource AS src, COUNT(*) AS total FROM $MGMT GROUP BY eventSource) t WHERE total > 50 ORDER BY total DESC, src",
    ),
    (
        "select_star_limit",
        "SELECT * FROM $MGMT WHERE eventName = 'ConsoleLogin' ORDER BY eventTime LIMIT 1",
    ),
    (
        "accounts_and_categories",
        "SELECT recipientAccountId, eventCategory, COUNT(*) AS n FROM $DATA GROUP BY recipientAccountId, eventCategory ORDER BY recipientAccountId",
    ),
    (
        "unnamed_columns_and_case",
        "SELECT CASE WHEN readOnly THEN 'read' ELSE 'write' END, count(*) FROM $MGMT GROUP BY 1 ORDER BY 1",
    ),
    (
        "not_and_or",
        "SELECT COUNT(*) AS n FROM $MGMT WHERE NOT (eventSource = 'iam.amazonaws.com' OR eventSource = 'sts.amazonaws.com') AND errorCode IS NULL",
    ),
];

#[test]
fn sample_queries_over_a_seeded_data_set() {
    let f = fixture();
    for (name, sql) in SAMPLES {
        let out = match f.query(sql) {
            Ok(t) => t,
            Err(e) => panic!("{name}: {e}"),
        };
        // Every sample returns rows: an empty result would prove nothing.
        assert!(out.lines().count() > 1, "{name} returned no rows");
        insta::assert_snapshot!(*name, out, sql);
    }
}

#[test]
fn counts_agree_with_the_ingested_records() {
    let f = fixture();
    let records: Vec<Value> = f.sim.event_records().unwrap(); // test read
    let mgmt = records
        .iter()
        .filter(|r| r["eventCategory"] == "Management" && r["recipientAccountId"] == ACCOUNT)
        .count();
    // Both CreateEventDataStore calls are recorded once the first store exists.
    let out = f.query("SELECT COUNT(*) FROM $MGMT").unwrap(); // valid statement
    let n: usize = out.lines().nth(1).unwrap().parse().unwrap(); // one count row
    assert_eq!(n, mgmt);
    let writes = records
        .iter()
        .filter(|r| {
            r["eventCategory"] == "Management"
                && r["readOnly"] == false
                && r["recipientAccountId"] == ACCOUNT
        })
        .count();
    let out = f
        .query("SELECT COUNT(*) FROM $MGMT WHERE readOnly = 'false'")
        .unwrap(); // valid statement
    let w: usize = out.lines().nth(1).unwrap().parse().unwrap(); // one count row
    assert_eq!(w, writes);
}

#[test]
fn rejected_statements_name_what_is_not_supported() {
    let f = fixture();
    for (sql, needle) in [
        ("DELETE FROM $MGMT", "DELETE statements are not supported"),
        (
            "INSERT INTO $MGMT VALUES (1)",
            "INSERT statements are not supported",
        ),
        ("DROP TABLE $MGMT", "DROP statements are not supported"),
        (
            "SELECT eventName FROM $MGMT UNION SELECT eventName FROM $DATA",
            "UNION",
        ),
        ("WITH x AS (SELECT 1) SELECT * FROM x", "WITH"),
        (
            "SELECT regexp_like(eventName, 'x') FROM $MGMT",
            "Function 'regexp_like'",
        ),
        (
            "SELECT nosuchfield FROM $MGMT",
            "Column 'nosuchfield' cannot be resolved",
        ),
        (
            "SELECT eventName FROM $MGMT m JOIN $DATA d ON m.eventID = d.eventID WHERE eventName = 'x'",
            "ambiguous",
        ),
        (
            "SELECT row_number() OVER (ORDER BY eventTime) FROM $MGMT",
            "Window functions",
        ),
        ("SELECT eventName FROM", "not valid"),
        ("SELECT 1", "FROM an event data store"),
        ("SELECT eventName FROM $MGMT; SELECT 1", "Only one SELECT"),
        (
            "SELECT eventName FROM $MGMT WHERE eventTime > timestamp 'yesterday'",
            "cannot be cast to timestamp",
        ),
    ] {
        let e = f.rejected(sql);
        assert_eq!(e.code, "InvalidQueryStatementException", "{sql}: {e}");
        assert!(e.message.contains(needle), "{sql}: {}", e.message);
    }
    let e = f.rejected("SELECT eventName FROM 00000000-0000-4000-8000-000000000000");
    assert_eq!(e.code, "EventDataStoreNotFoundException");
}

#[test]
fn query_api_walks_the_lifecycle_and_pages_results() {
    let f = fixture();
    let sim = &f.sim;
    let call = |op: &str, req: Value| sim.invoke(&ctx(), "cloudtrail", op, req);
    let q = call(
        "StartQuery",
        json!({"QueryStatement": format!("SELECT eventID, eventTime FROM {} ORDER BY eventTime, eventID LIMIT 25", f.mgmt)}),
    )
    .unwrap(); // valid statement
    let id = q["QueryId"].as_str().unwrap().to_string(); // StartQuery answers it
    let d = call("DescribeQuery", json!({"QueryId": id})).unwrap(); // known id
    assert_eq!(d["QueryStatus"], "FINISHED");
    let stats = &d["QueryStatistics"];
    assert_eq!(stats["EventsMatched"], 25);
    assert!(stats["EventsScanned"].as_i64().unwrap() > 500); // number
    assert!(stats["BytesScanned"].as_i64().unwrap() > 100_000); // number
    assert!(stats["CreationTime"].is_number());
    assert!(stats["ExecutionTimeInMillis"].is_number());

    let p1 = call(
        "GetQueryResults",
        json!({"QueryId": id, "MaxQueryResults": 10}),
    )
    .unwrap(); // valid
    assert_eq!(p1["QueryStatus"], "FINISHED");
    let rows = p1["QueryResultRows"].as_array().unwrap(); // a list
    assert_eq!(rows.len(), 10);
    assert_eq!(
        rows[0][0].as_object().unwrap().keys().next().unwrap(),
        "eventID"
    ); // one key
    assert!(
        rows[0][1]["eventTime"]
            .as_str()
            .unwrap()
            .starts_with("2026-01-01 00:00:0")
    ); // text
    assert_eq!(p1["QueryStatistics"]["TotalResultsCount"], 25);
    let mut seen = rows.len();
    let mut token = p1["NextToken"].clone();
    while token.is_string() {
        let p = call(
            "GetQueryResults",
            json!({"QueryId": id, "MaxQueryResults": 10, "NextToken": token}),
        )
        .unwrap(); // valid token
        seen += p["QueryResultRows"]
            .as_array()
            .map(Vec::len)
            .unwrap_or_default();
        token = p["NextToken"].clone();
    }
    assert_eq!(seen, 25);

    let e = call("CancelQuery", json!({"QueryId": id})).unwrap_err();
    assert_eq!(e.code, "InactiveQueryException");
    let e = call(
        "DescribeQuery",
        json!({"QueryId": "00000000-0000-4000-8000-000000000000"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "QueryIdNotFoundException");
    let e = call(
        "GetQueryResults",
        json!({"QueryId": id, "MaxQueryResults": 1001}),
    )
    .unwrap_err();
    assert_eq!(e.code, "ValidationException");
    let e = call("GetQueryResults", json!({"QueryId": id, "NextToken": "zz"})).unwrap_err();
    assert_eq!(e.code, "InvalidNextTokenException");

    let l = call("ListQueries", json!({"EventDataStore": f.mgmt})).unwrap(); // known store
    assert_eq!(l["Queries"][0]["QueryId"], id);
    assert_eq!(l["Queries"][0]["QueryStatus"], "FINISHED");
    let l = call("ListQueries", json!({"EventDataStore": f.data})).unwrap(); // known store
    assert_eq!(l["Queries"], json!([]));
    let e = call(
        "StartQuery",
        json!({"QueryStatement": "UPDATE x SET a = 1"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "InvalidQueryStatementException");
}

#[test]
fn pending_deletion_store_cannot_be_queried_and_termination_protection_holds() {
    let f = fixture();
    let call = |op: &str, req: Value| f.sim.invoke(&ctx(), "cloudtrail", op, req);
    let e = call("DeleteEventDataStore", json!({"EventDataStore": f.mgmt})).unwrap_err();
    assert_eq!(e.code, "EventDataStoreTerminationProtectedException");
    assert!(f.query("SELECT COUNT(*) FROM $MGMT").is_ok());
    call(
        "UpdateEventDataStore",
        json!({"EventDataStore": f.mgmt, "TerminationProtectionEnabled": false}),
    )
    .unwrap(); // test setup
    call("DeleteEventDataStore", json!({"EventDataStore": f.mgmt})).unwrap(); // test setup
    let e = f.rejected("SELECT COUNT(*) FROM $MGMT");
    assert_eq!(e.code, "InactiveEventDataStoreException");
    call("RestoreEventDataStore", json!({"EventDataStore": f.mgmt})).unwrap(); // within 7 days
    assert!(f.query("SELECT COUNT(*) FROM $MGMT").is_ok());
}

#[test]
fn retention_expiry_shows_in_query_results() {
    let f = fixture();
    let call = |op: &str, req: Value| f.sim.invoke(&ctx(), "cloudtrail", op, req);
    let before = f.query("SELECT COUNT(*) FROM $DATA").unwrap(); // valid
    assert_ne!(before.lines().nth(1), Some("0"));
    call(
        "UpdateEventDataStore",
        json!({"EventDataStore": f.data, "RetentionPeriod": 7}),
    )
    .unwrap(); // test setup
    f.sim.advance_time(Duration::days(8)).unwrap(); // test setup
    let after = f.query("SELECT COUNT(*) FROM $DATA").unwrap(); // valid
    assert_eq!(after.lines().nth(1), Some("0"));
}

#[test]
fn documented_forms_run() {
    let f = fixture();
    for sql in [
        "SELECT resources[1].ARN AS first_arn FROM $DATA LIMIT 3",
        "SELECT EXTRACT(hour FROM eventTime) AS h, COUNT(*) FROM $MGMT GROUP BY 1",
        "SELECT CAST(eventTime AS varchar) FROM $MGMT LIMIT 1",
        "SELECT COUNT(*) FROM $MGMT WHERE readOnly IS TRUE",
        "SELECT date_diff('second', MIN(eventTime), MAX(eventTime)) FROM $MGMT",
        "SELECT to_iso8601(eventTime), to_unixtime(eventTime) FROM $MGMT LIMIT 1",
        "SELECT COUNT(*) FROM $MGMT WHERE starts_with(eventName, 'Describe') AND eventName != 'x'",
        "SELECT coalesce(errorCode, 'none') AS e, COUNT(*) FROM $MGMT GROUP BY 1 ORDER BY 1 NULLS FIRST",
        "SELECT m.eventName, d.eventName FROM $MGMT m LEFT JOIN $DATA d ON m.requestID = d.requestID LIMIT 2",
        "SELECT COUNT(*) FROM $MGMT m WHERE EXISTS (SELECT 1 FROM $DATA d WHERE d.userIdentity.arn = m.userIdentity.arn)",
        "SELECT eventName, (SELECT COUNT(*) FROM $DATA) AS data_events FROM $MGMT LIMIT 1",
        "SELECT eventName FROM $MGMT ORDER BY eventTime LIMIT 2 OFFSET 3",
        "SELECT m.* FROM $MGMT m LIMIT 1",
        "SELECT json_extract_scalar(json_extract(record_dummy, '$.x'), '$.y') FROM $MGMT",
        "SELECT lower(eventSource), upper(awsRegion), length(eventID), substr(eventName, 1, 3), replace(eventSource, '.amazonaws.com') FROM $MGMT LIMIT 1",
        "SELECT date(eventTime), date_trunc('month', eventTime), date_add('month', 1, eventTime) FROM $MGMT LIMIT 1",
        "SELECT tlsDetails.tlsVersion, userIdentity.sessionContext.attributes.mfaAuthenticated FROM $MGMT LIMIT 1",
        "SELECT AVG(length(eventName)), SUM(length(eventName)), round(AVG(length(eventName)), 2) FROM $MGMT",
        "select eventname, count(*) from $MGMT where eventname like '%Role' group by eventname",
    ] {
        match f.query(sql) {
            Ok(_) => {}
            Err(e) if sql.contains("record_dummy") => {
                // An unknown field inside a function is still a column error.
                assert_eq!(e.code, "InvalidQueryStatementException");
            }
            Err(e) => panic!("{sql}: {e}"),
        }
    }
}
