//! Every console page against a seeded simulator: what it shows, that looking records
//! nothing, the CSRF and Host guards, and that hostile event fields never become markup.

use chrono::TimeZone;
use serde_json::{Value, json};

use super::*;
use crate::server::Incoming;
use crate::testing::LoggingTrail;

const TOKEN: &str = "test-token";

/// A payload that would become an element (`<xss-tag>`), a script, or an attribute
/// (`xssattr=`) if any page forgot to escape it.
const XSS: &str = "\"'><xss-tag xssattr=\"1\"><script>document.title='PWNED'</script><img src=x onerror=alert(1)>";

/// A simulator at a fixed clock with a logging trail (validation on), delivered files and
/// digests, a failed call, a Lake store and a finished query.
pub fn seeded() -> (tempfile::TempDir, Simulator) {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = Simulator::open(dir.path()).unwrap(); // test setup
    sim.set_time(chrono::Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap())
        .unwrap(); // test setup
    let ctx = sim.default_caller("us-east-1");
    let trail = LoggingTrail {
        multi_region: true,
        log_file_validation: true,
        ..LoggingTrail::default()
    };
    trail.create(&sim, &ctx).unwrap(); // test setup
    let store = json!({"Name": "store"});
    sim.invoke(&ctx, "cloudtrail", "CreateEventDataStore", store)
        .unwrap(); // test setup
    let failed = sim.invoke(
        &ctx,
        "cloudtrail",
        "CreateTrail",
        json!({"Name": "a", "S3BucketName": "missing-bucket"}),
    );
    assert!(failed.is_err());
    sim.advance_time(chrono::Duration::minutes(70)).unwrap(); // test setup
    (dir, sim)
}

fn console() -> Console {
    Console::with_token(TOKEN)
}

fn body(outcome: Outcome) -> String {
    match outcome {
        Ok(Answer::Page { body, .. }) => body,
        other => panic!("expected a page, got {other:?}"),
    }
}

fn get(sim: &Simulator, path: &str, params: &[(&str, &str)]) -> String {
    body(console().route(sim, &Request::get_of(path, params)))
}

fn post(sim: &Simulator, path: &str, form: &[(&str, &str)]) -> Outcome {
    console().route(
        sim,
        &Request {
            method: "POST".into(),
            path: path.into(),
            query: Vec::new(),
            form: form
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        },
    )
}

fn store_id(sim: &Simulator) -> String {
    let ctx = sim.default_caller("us-east-1");
    let listed = sim
        .run_unrecorded(|env| {
            crate::services::cloudtrail::list_event_data_stores(env, &ctx, Default::default())
        })
        .unwrap(); // test read
    let arn = listed.event_data_stores[0]
        .event_data_store_arn
        .clone()
        .unwrap(); // a store has an ARN
    arn.rsplit('/').next().unwrap().to_string() // ARNs have a slash
}

/// Runs a Lake statement through the console's POST and returns the query id.
fn run_query(sim: &Simulator, sql: &str) -> String {
    match post(sim, "/lake/run", &[("sql", sql), ("region", "us-east-1")]) {
        Ok(Answer::Redirect(to)) => to
            .split("query=")
            .nth(1)
            .unwrap() // the redirect names the query
            .to_string(),
        other => panic!("expected a redirect, got {other:?}"),
    }
}

/// Every GET page of the console, with its parameters, for the given state.
fn every_page(sim: &Simulator) -> Vec<(String, String)> {
    let trail = "arn:aws:cloudtrail:us-east-1:123456789012:trail/audit";
    let files = sim
        .read_unrecorded(|env| crate::pipeline::delivered::list(env, None))
        .unwrap(); // test read
    let file = files.first().cloned().unwrap_or(Value::Null);
    let query = run_query(
        sim,
        &format!(
            "SELECT eventName, userAgent, sourceIPAddress FROM {} ORDER BY eventTime DESC",
            store_id(sim)
        ),
    );
    let pages: Vec<(&str, Vec<(&str, String)>)> = vec![
        ("/events", vec![]),
        (
            "/events",
            vec![("key", "Username".into()), ("value", XSS.into())],
        ),
        ("/events", vec![("region", XSS.into())]),
        (
            "/events",
            vec![("key", "EventName".into()), ("value", XSS.into())],
        ),
        ("/events", vec![("category", "insight".into())]),
        ("/trails", vec![]),
        ("/trails/detail", vec![("arn", trail.into())]),
        ("/trails/validate", vec![("arn", trail.into())]),
        (
            "/trails/file",
            vec![
                ("bucket", file["bucket"].as_str().unwrap_or("logs").into()),
                ("key", file["key"].as_str().unwrap_or("none").into()),
            ],
        ),
        ("/insights", vec![]),
        ("/lake", vec![("query", query.clone())]),
        ("/lake", vec![("sql", XSS.into())]),
        ("/compliance", vec![]),
    ];
    pages
        .into_iter()
        .map(|(path, params)| {
            let p: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let outcome = console().route(sim, &Request::get_of(path, &p));
            let html = match outcome {
                Ok(Answer::Page { title, nav, body }) => html::page(&title, nav, "now", &body),
                Ok(other) => panic!("{path}: expected a page, got {other:?}"),
                Err(f) => reply_failure_text(&f),
            };
            (format!("{path} {params:?}"), html)
        })
        .collect()
}

fn reply_failure_text(f: &Failure) -> String {
    String::from_utf8(reply_failure(f, "now").body).unwrap() // our own UTF-8
}

#[test]
fn event_history_lists_newest_first_with_the_record_beside() {
    let (_dir, sim) = seeded();
    let html = get(&sim, "/events", &[]);
    let first = html.find("CreateEventDataStore").unwrap(); // the newest call is shown
    let older = html.find("CreateBucket").unwrap(); // an older call is shown
    assert!(first < older, "newest first");
    assert!(html.contains(">InvalidTrailNameException</td>"), "{html}");
    assert!(html.contains("class=\"ev failed\""));
    assert!(html.contains("<pre id=\"record\" class=\"json\">{"));
    assert!(html.contains("data-live=\"1\""));
    let filtered = get(
        &sim,
        "/events",
        &[("key", "EventName"), ("value", "StartLogging")],
    );
    assert_eq!(filtered.matches("<tr class=\"ev").count(), 1, "{filtered}");
    let none = get(&sim, "/events", &[("key", "Username"), ("value", "nobody")]);
    assert!(none.contains("No events match these filters."));
}

#[test]
fn event_history_pages_with_the_lookup_token() {
    let (_dir, sim) = seeded();
    let ctx = sim.default_caller("us-east-1");
    for i in 0..60 {
        sim.invoke(
            &ctx,
            "cloudtrail",
            "DescribeTrails",
            json!({"trailNameList": [format!("t{i}")]}),
        )
        .ok();
    }
    let html = get(&sim, "/events", &[]);
    assert_eq!(html.matches("<tr class=\"ev").count(), 50);
    let next = html
        .split("token=")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap(); // a next link
    let token = crate::server::sigv4::percent_decode(next, true);
    let second = get(&sim, "/events", &[("token", &token)]);
    assert!(second.contains("« First page"));
    assert!(second.contains("data-live=\"0\""));
    assert!(second.matches("<tr class=\"ev").count() > 0);
}

#[test]
fn bad_filters_are_clear_errors() {
    let (_dir, sim) = seeded();
    let c = console();
    let f = c
        .route(&sim, &Request::get_of("/events", &[("start", "yesterday")]))
        .unwrap_err();
    assert_eq!(f.status, 400);
    let f = c
        .route(
            &sim,
            &Request::get_of("/events", &[("key", "ReadOnly"), ("value", "maybe")]),
        )
        .unwrap_err();
    assert_eq!(f.status, 400);
    assert!(
        f.message.contains("InvalidLookupAttributesException"),
        "{f:?}"
    );
    let f = c.route(&sim, &Request::get_of("/nope", &[])).unwrap_err();
    assert_eq!(f.status, 404);
    let f = c
        .route(&sim, &Request::get_of("/trails/detail", &[("arn", "x")]))
        .unwrap_err();
    assert_eq!(f.status, 404);
}

#[test]
fn trails_show_status_selectors_files_and_validation() {
    let (_dir, sim) = seeded();
    let list = get(&sim, "/trails", &[]);
    assert!(list.contains(">audit</a>"), "{list}");
    assert!(list.contains("Logging"));
    let arn = "arn:aws:cloudtrail:us-east-1:123456789012:trail/audit";
    let detail = get(&sim, "/trails/detail", &[("arn", arn)]);
    assert!(
        detail.contains("all management events, read and write"),
        "{detail}"
    );
    assert!(detail.contains("Delivered files ("));
    assert!(detail.contains("/console/trails/file?bucket=logs&amp;key=AWSLogs"));
    let validation = get(&sim, "/trails/validate", &[("arn", arn)]);
    assert!(validation.contains("every file is valid"), "{validation}");
    assert!(validation.contains("Digest file"));
}

#[test]
fn the_file_viewer_shows_a_delivered_file() {
    let (_dir, sim) = seeded();
    let files = sim
        .read_unrecorded(|env| crate::pipeline::delivered::list(env, None))
        .unwrap(); // test read
    let f = &files[0];
    let html = get(
        &sim,
        "/trails/file",
        &[
            ("bucket", f["bucket"].as_str().unwrap()),
            ("key", f["key"].as_str().unwrap()),
        ],
    );
    assert!(html.contains("&quot;Records&quot;"), "{html}");
    let missing = console()
        .route(
            &sim,
            &Request::get_of("/trails/file", &[("bucket", "logs"), ("key", "nope")]),
        )
        .unwrap_err();
    assert_eq!(missing.status, 404);
}

#[test]
fn lake_runs_pages_downloads_and_lists_queries() {
    let (_dir, sim) = seeded();
    let id = store_id(&sim);
    let q = run_query(
        &sim,
        &format!(
            "SELECT eventName, COUNT(*) AS calls FROM {id} GROUP BY eventName ORDER BY eventName"
        ),
    );
    let html = get(&sim, "/lake", &[("query", &q)]);
    assert!(html.contains("FINISHED"), "{html}");
    assert!(html.contains("<th>eventName</th><th>calls</th>"), "{html}");
    // The store ingests what is recorded after it exists.
    assert!(html.contains("<td>CreateTrail</td><td>1</td>"), "{html}");
    assert!(html.contains("Query history"));
    assert!(html.contains(&q));
    match console().route(&sim, &Request::get_of("/lake/csv", &[("query", &q)])) {
        Ok(Answer::Raw { body, filename, .. }) => {
            let text = String::from_utf8(body).unwrap(); // CSV is UTF-8
            assert!(text.starts_with("eventName,calls\r\n"), "{text}");
            assert!(text.contains("CreateTrail,1\r\n"), "{text}");
            assert_eq!(filename, Some(format!("{q}.csv")));
        }
        other => panic!("expected CSV, got {other:?}"),
    }
    // Cancelling a finished query is the service's error, shown as such.
    let f = post(&sim, "/lake/cancel", &[("query", &q)]).unwrap_err();
    assert_eq!(f.status, 400);
    assert!(f.message.contains("InactiveQueryException"), "{f:?}");
    // A bad statement is the service's error too.
    let f = post(&sim, "/lake/run", &[("sql", "SELECT nonsense")]).unwrap_err();
    assert!(f.status >= 400, "{f:?}");
}

#[test]
fn compliance_shows_findings_with_controls_and_remediation() {
    let (_dir, sim) = seeded();
    let html = get(&sim, "/compliance", &[]);
    assert!(html.contains("FAIL"), "{html}");
    assert!(html.contains("CIS"), "{html}");
    assert!(html.contains("CloudTrail.1"), "{html}");
    assert!(html.contains("CloudWatch alarms"));
}

#[test]
fn insights_page_explains_when_no_trail_has_insight_selectors() {
    let (_dir, sim) = seeded();
    let html = get(&sim, "/insights", &[]);
    assert!(html.contains("No trail has insight selectors"), "{html}");
}

#[test]
fn looking_records_nothing_but_running_a_query_is_recorded() {
    let (_dir, sim) = seeded();
    let before = sim.event_records().unwrap().len(); // test read
    for (path, _) in [
        ("/events", ()),
        ("/trails", ()),
        ("/insights", ()),
        ("/lake", ()),
        ("/compliance", ()),
    ] {
        get(&sim, path, &[]);
    }
    get(
        &sim,
        "/trails/detail",
        &[(
            "arn",
            "arn:aws:cloudtrail:us-east-1:123456789012:trail/audit",
        )],
    );
    assert_eq!(sim.event_records().unwrap().len(), before); // test read
    run_query(&sim, &format!("SELECT eventName FROM {}", store_id(&sim)));
    let after = sim.event_records().unwrap(); // test read
    assert_eq!(after.len(), before + 1);
    assert_eq!(after[after.len() - 1]["eventName"], "StartQuery");
}

fn incoming(method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Incoming {
    Incoming {
        method: method.into(),
        raw_path: path.into(),
        raw_query: String::new(),
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: bytes::Bytes::from(body.to_string()),
        peer: std::net::IpAddr::from([127, 0, 0, 1]),
    }
}

#[test]
fn posts_need_the_token_the_same_origin_and_a_local_host() {
    let (_dir, sim) = seeded();
    let c = console();
    let sql = format!("sql=SELECT+eventName+FROM+{}", store_id(&sim));
    let form = [
        ("host", "127.0.0.1:4566"),
        ("content-type", "application/x-www-form-urlencoded"),
    ];
    let ok = c.handle(
        &sim,
        &incoming(
            "POST",
            "/console/lake/run",
            &form,
            &format!("{sql}&csrf={TOKEN}"),
        ),
    );
    assert_eq!(ok.status, 303);
    let no_token = c.handle(&sim, &incoming("POST", "/console/lake/run", &form, &sql));
    assert_eq!(no_token.status, 403);
    let wrong = c.handle(
        &sim,
        &incoming(
            "POST",
            "/console/lake/run",
            &form,
            &format!("{sql}&csrf=guess"),
        ),
    );
    assert_eq!(wrong.status, 403);
    let mut cross = form.to_vec();
    cross.push(("origin", "http://evil.example"));
    let r = c.handle(
        &sim,
        &incoming(
            "POST",
            "/console/lake/run",
            &cross,
            &format!("{sql}&csrf={TOKEN}"),
        ),
    );
    assert_eq!(r.status, 403);
    let rebound = c.handle(
        &sim,
        &incoming(
            "GET",
            "/console/events",
            &[("host", "evil.example:4566")],
            "",
        ),
    );
    assert_eq!(rebound.status, 403);
    let get_run = c.handle(
        &sim,
        &incoming(
            "GET",
            "/console/lake/run",
            &[("host", "localhost:4566")],
            "",
        ),
    );
    assert_eq!(get_run.status, 405);
    let page = c.handle(
        &sim,
        &incoming("GET", "/console/events", &[("host", "localhost:4566")], ""),
    );
    assert_eq!(page.status, 200);
    let csp = page
        .headers
        .iter()
        .find(|(k, _)| k == "content-security-policy")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    let root = c.handle(&sim, &incoming("GET", "/console", &[], ""));
    assert_eq!(root.status, 303);
}

#[test]
fn signed_requests_under_console_still_go_to_the_aws_protocols() {
    let unsigned = incoming("GET", "/console/events", &[], "");
    assert!(is_console_request(&unsigned));
    let signed = incoming(
        "GET",
        "/console/key",
        &[("authorization", "AWS4-HMAC-SHA256 Credential=test/...")],
        "",
    );
    assert!(!is_console_request(&signed));
    let mut presigned = incoming("GET", "/console/key", &[], "");
    presigned.raw_query = "X-Amz-Credential=test&X-Amz-Signature=abc".into();
    assert!(!is_console_request(&presigned));
    assert!(!is_console_request(&incoming("GET", "/consoles", &[], "")));
}

/// A CloudTrail record with the payload in every string field a page can show.
pub fn hostile_record(id: &str, time: &str) -> Value {
    json!({
        "eventVersion": "1.08",
        "userIdentity": {
            "type": "IAMUser", "principalId": XSS,
            "arn": format!("arn:aws:iam::123456789012:user/{XSS}"),
            "accountId": "123456789012", "accessKeyId": XSS, "userName": XSS,
            "sessionContext": {"sessionIssuer": {"userName": XSS}}
        },
        "eventTime": time,
        "eventSource": XSS,
        "eventName": XSS,
        "awsRegion": "us-east-1",
        "sourceIPAddress": XSS,
        "userAgent": XSS,
        "errorCode": XSS,
        "errorMessage": XSS,
        "requestParameters": {"name": XSS, XSS: [XSS]},
        "responseElements": {"value": XSS},
        "additionalEventData": {"x": XSS},
        "requestID": XSS,
        "eventID": id,
        "readOnly": false,
        "resources": [{"ARN": XSS, "accountId": "123456789012", "type": XSS}],
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": "123456789012",
        "eventCategory": "Management"
    })
}

/// No page turns an event field (or a query parameter) into markup.
#[test]
fn hostile_event_fields_are_escaped_on_every_page() {
    let (_dir, sim) = seeded();
    sim.append_records([
        hostile_record(
            "6f1d2c3b-0000-4000-8000-00000000x001",
            "2026-01-01T12:50:00Z",
        ),
        hostile_record(
            "6f1d2c3b-0000-4000-8000-00000000x002",
            "2026-01-01T12:51:00Z",
        ),
    ])
    .unwrap(); // valid records
    sim.advance_time(chrono::Duration::minutes(15)).unwrap(); // delivered and ingested
    let pages = every_page(&sim);
    let mut shown = 0;
    for (name, html) in &pages {
        assert!(
            !html.contains("<xss-tag"),
            "{name}: an element got through:\n{html}"
        );
        assert!(
            !html.contains("xssattr=\""),
            "{name}: an attribute got through"
        );
        assert!(!html.contains("<img"), "{name}: an image got through");
        assert_eq!(
            html.matches("<script").count(),
            1,
            "{name}: only the console's own script tag"
        );
        assert!(!html.contains("<script>document"), "{name}");
        shown += html
            .matches("&lt;xss-tag xssattr=&quot;1&quot;&gt;")
            .count();
    }
    // The payload is shown (escaped): in the history, the record, the file and Lake rows.
    assert!(
        shown > 10,
        "the payload should be visible, escaped ({shown} times)"
    );
    let history = &pages[0].1;
    assert!(history.contains("&lt;xss-tag"), "{history}");
}

#[test]
fn the_trails_list_renders_as_a_dense_table() {
    let (_dir, sim) = seeded();
    insta::assert_snapshot!(get(&sim, "/trails", &[]).replace("><", ">\n<"));
}
