//! The console in a real headless browser (Debian's chromium) against `ctsim serve`: a trail
//! with Insights, eight days of generated traffic with a spike, a Lake store and a record
//! with HTML in every field. Each page is loaded, its DOM checked after the JavaScript ran,
//! and a screenshot saved under `target/console-screenshots/`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;

use chrono::TimeZone;
use ctsim::testing::LoggingTrail;
use ctsim_e2e::browser::{chromium, dump_dom, screenshot};
use ctsim_e2e::wire::Served;
use ctsim_e2e::{binaries, combined};
use serde_json::json;

const XSS: &str = "\"'><xss-tag xssattr=\"1\"><script>document.title='PWNED'</script><img src=x onerror=\"document.title='PWNED'\">";
const TRAIL_ARN: &str = "arn:aws:cloudtrail:us-east-1:123456789012:trail/audit";

fn ctsim(state: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new(binaries().join("ctsim"))
        .args(args)
        .env("CTSIM_HOME", state)
        .output()
        .expect("running ctsim");
    let text = combined(&out);
    assert!(out.status.success(), "ctsim {args:?} failed:\n{text}");
    text
}

/// A trail with insight selectors logging since 2026-01-01, a Lake store, eight days of
/// traffic with a RunInstances spike on 2026-01-08 at 10:00, and a hostile record.
fn prepare(state: &Path) {
    {
        let sim = ctsim::Simulator::open(state).expect("opening the state");
        sim.set_time(chrono::Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap())
            .expect("setting the clock");
        let ctx = sim.default_caller("us-east-1");
        let trail = LoggingTrail {
            multi_region: true,
            log_file_validation: true,
            insights: true,
            ..LoggingTrail::default()
        };
        trail
            .create(&sim, &ctx)
            .unwrap_or_else(|e| panic!("the logging trail: {e:?}"));
        sim.invoke(
            &ctx,
            "cloudtrail",
            "CreateEventDataStore",
            json!({"Name": "store"}),
        )
        .unwrap_or_else(|e| panic!("CreateEventDataStore: {e:?}"));
    }
    ctsim(
        state,
        &[
            "generate",
            "--duration",
            "8d",
            "--rate",
            "2/m",
            "--regions",
            "us-east-1",
            "--spike",
            "ec2.amazonaws.com:RunInstances@2026-01-08T10:00Z/15m x40",
        ],
    );
    let sim = ctsim::Simulator::open(state).expect("opening the state");
    let mut record = json!({
        "eventVersion": "1.08",
        "userIdentity": {"type": "IAMUser", "principalId": XSS,
            "arn": format!("arn:aws:iam::123456789012:user/{XSS}"),
            "accountId": "123456789012", "accessKeyId": XSS, "userName": XSS},
        "eventTime": "2026-01-08T23:59:00Z",
        "eventSource": XSS, "eventName": XSS, "awsRegion": "us-east-1",
        "sourceIPAddress": XSS, "userAgent": XSS, "errorCode": XSS, "errorMessage": XSS,
        "requestParameters": {"name": XSS}, "responseElements": {"value": XSS},
        "requestID": XSS, "eventID": "6f1d2c3b-0000-4000-8000-0000000000aa",
        "readOnly": false,
        "resources": [{"ARN": XSS, "accountId": "123456789012", "type": XSS}],
        "eventType": "AwsApiCall", "managementEvent": true,
        "recipientAccountId": "123456789012", "eventCategory": "Management"
    });
    sim.append_records([record.take()]).expect("a valid record");
    sim.advance_time(chrono::Duration::minutes(10))
        .expect("advancing the clock");
}

/// A form POST to the console from the test (as the browser's form would send it);
/// returns the status line and the Location header.
fn post_form(served: &Served, path: &str, form: &str) -> (String, String) {
    let host = format!("127.0.0.1:{}", served.port());
    let mut stream = TcpStream::connect(&host).expect("connecting to ctsim serve");
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{form}",
        form.len()
    );
    stream
        .write_all(request.as_bytes())
        .expect("sending the form");
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .expect("reading the answer");
    let status = answer.lines().next().unwrap_or_default().to_string();
    let location = answer
        .lines()
        .find_map(|l| {
            l.strip_prefix("location: ")
                .or_else(|| l.strip_prefix("Location: "))
        })
        .unwrap_or_default()
        .trim()
        .to_string();
    (status, location)
}

fn form_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The DOM of a console page after its script ran, checked for injected markup: every page
/// shows the hostile record's fields somewhere (history, files, Insights series, Lake).
fn load(url: &str, budget_ms: u32) -> String {
    let dom = dump_dom(url, budget_ms);
    assert_no_injection(url, &dom);
    dom
}

fn assert_no_injection(name: &str, dom: &str) {
    assert!(!dom.contains("<xss-tag"), "{name}: an element got through");
    // Chromium serialises `"` in text as is: every xssattr must be the escaped payload's.
    assert_eq!(
        dom.matches("xssattr=\"1\"").count(),
        dom.matches("&lt;xss-tag xssattr=\"1\"").count(),
        "{name}: an attribute got through"
    );
    assert!(!dom.contains("PWNED</title>"), "{name}: a script ran");
    assert!(!dom.contains("<img"), "{name}: an image got through");
}

#[test]
fn console_pages_render_in_a_real_browser() {
    chromium(); // fails with the installation command when chromium is missing
    let tmp = tempfile::tempdir().expect("temp dir");
    let state = tmp.path().join("state");
    prepare(&state);
    let served = Served::start_on(&state);
    let base = format!("{}/console", served.url);

    // Event history: rows, the record pane filled by the script, live polling on.
    let url = format!("{base}/events");
    let dom = load(&url, 3000);
    assert!(dom.contains("<tr class=\"ev"), "{dom}");
    assert!(
        dom.contains("class=\"ev selected\"") || dom.contains("class=\"ev failed selected\""),
        "the script marks the shown record:\n{dom}"
    );
    assert!(
        dom.contains("live: "),
        "the script polls for new events:\n{dom}"
    );
    assert!(
        dom.contains("&lt;xss-tag"),
        "the hostile record is listed, escaped"
    );
    screenshot(&url, "events");

    // Filtered by an attribute and a time range.
    let url = format!(
        "{base}/events?key=EventSource&value=ec2.amazonaws.com&start=2026-01-08T10:00&end=2026-01-08T10:05"
    );
    let dom = load(&url, 1000);
    assert!(dom.contains("RunInstances"), "{dom}");
    assert!(!dom.contains("s3.amazonaws.com</td>"), "{dom}");
    assert!(
        dom.contains("Next page"),
        "40 calls a minute fill more than a page:\n{dom}"
    );
    screenshot(&url, "events-filtered");

    // Insights events.
    let dom = load(&format!("{base}/events?category=insight"), 1000);
    assert!(dom.contains("Start ApiCallRateInsight"), "{dom}");
    assert!(dom.contains("End ApiCallRateInsight"), "{dom}");

    // Trails, a trail, a delivered file, validation.
    let url = format!("{base}/trails");
    let dom = load(&url, 1000);
    assert!(
        dom.contains(">audit</a>") && dom.contains("Logging"),
        "{dom}"
    );
    screenshot(&url, "trails");
    let url = format!("{base}/trails/detail?arn={}", form_encode(TRAIL_ARN));
    let dom = load(&url, 1000);
    assert!(dom.contains("all management events"), "{dom}");
    assert!(dom.contains("Delivered files ("), "{dom}");
    screenshot(&url, "trail");
    let file = dom
        .split("href=\"/console/trails/file?")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a delivered file link")
        .replace("&amp;", "&");
    let url = format!("{base}/trails/file?{file}");
    let dom = load(&url, 1000);
    assert!(dom.contains("\"Records\""), "{dom}");
    screenshot(&url, "log-file");
    let url = format!("{base}/trails/validate?arn={}", form_encode(TRAIL_ARN));
    let dom = load(&url, 1000);
    assert!(dom.contains("every file is valid"), "{dom}");
    screenshot(&url, "validation");

    // Insights: the spike against its baseline, start and end marked.
    let url = format!("{base}/insights");
    let dom = load(&url, 1000);
    assert!(dom.contains("<svg class=\"chart\""), "{dom}");
    assert!(
        dom.contains("mark mark-start") && dom.contains("mark mark-end"),
        "{dom}"
    );
    assert!(
        dom.contains("ApiCallRateInsight · ec2.amazonaws.com RunInstances"),
        "{dom}"
    );
    screenshot(&url, "insights");

    // Lake: the editor's form carries the token; run a statement through it.
    let url = format!("{base}/lake");
    let dom = load(&url, 1000);
    let token = dom
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the editor's CSRF token")
        .to_string();
    let store = dom
        .split("<td><code>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("a store id")
        .to_string();
    let sql = format!(
        "SELECT eventName, COUNT(*) AS calls FROM {store} GROUP BY eventName ORDER BY calls DESC"
    );
    let (status, _) = post_form(
        &served,
        "/console/lake/run",
        &format!("sql={}", form_encode(&sql)),
    );
    assert!(status.contains(" 403 "), "no token, no query: {status}");
    let (status, location) = post_form(
        &served,
        "/console/lake/run",
        &format!("csrf={token}&region=us-east-1&sql={}", form_encode(&sql)),
    );
    assert!(status.contains(" 303 "), "{status}");
    let url = format!("{}{location}", served.url);
    let dom = load(&url, 1000);
    assert!(dom.contains("FINISHED"), "{dom}");
    assert!(dom.contains("<th>eventName</th><th>calls</th>"), "{dom}");
    assert!(
        dom.contains("Download CSV") && dom.contains("Query history"),
        "{dom}"
    );
    screenshot(&url, "lake");

    // Compliance: findings with controls, and the alarms section.
    let url = format!("{base}/compliance");
    let dom = load(&url, 1000);
    assert!(
        dom.contains("CloudTrail.1") && dom.contains("PASS"),
        "{dom}"
    );
    assert!(dom.contains("CloudWatch alarms"), "{dom}");
    screenshot(&url, "compliance");

    // Looking recorded nothing: the newest management event is the Lake query's.
    let newest = ctsim(&state, &["events", "--max", "1"]);
    assert!(newest.contains("StartQuery"), "{newest}");
}
