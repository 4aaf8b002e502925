//! The protocol handlers end to end without sockets: signed requests in, AWS-shaped
//! answers out, and the recorded events.

use std::net::IpAddr;
use std::sync::Arc;

use bytes::Bytes;
use chrono::Utc;
use serde_json::{Value, json};

use super::credentials::Credentials;
use super::*;

fn server() -> (tempfile::TempDir, Server) {
    let dir = tempfile::tempdir().unwrap();
    let sim = Arc::new(Simulator::open(dir.path()).unwrap());
    let creds = Credentials::load(None, "123456789012", "ctsim").unwrap();
    (dir, Server::new(sim, creds, Limits::default()))
}

/// A request signed as `key`/`secret` for `service` at `now`.
#[allow(clippy::too_many_arguments)]
fn signed(
    method: &str,
    path: &str,
    query: &str,
    host: &str,
    mut headers: Vec<(String, String)>,
    body: &[u8],
    service: &str,
    key: &str,
    secret: &str,
    now: chrono::DateTime<Utc>,
) -> Incoming {
    headers.push(("host".into(), host.into()));
    let added = sigv4::sign(
        method,
        path,
        query,
        &headers,
        body,
        key,
        secret,
        None,
        "us-east-1",
        service,
        now,
    );
    headers.extend(added);
    Incoming {
        method: method.into(),
        raw_path: path.into(),
        raw_query: query.into(),
        headers,
        body: Bytes::copy_from_slice(body),
        peer: IpAddr::from([127, 0, 0, 1]),
    }
}

fn json_call(target: &str, body: &Value, secret: &str, now: chrono::DateTime<Utc>) -> Incoming {
    json_call_as("test", target, body, secret, now)
}

fn json_call_as(
    key: &str,
    target: &str,
    body: &Value,
    secret: &str,
    now: chrono::DateTime<Utc>,
) -> Incoming {
    signed(
        "POST",
        "/",
        "",
        "127.0.0.1:4566",
        vec![
            ("content-type".into(), json11::CONTENT_TYPE.into()),
            ("x-amz-target".into(), target.into()),
            ("user-agent".into(), "test-agent/1.0".into()),
        ],
        body.to_string().as_bytes(),
        "cloudtrail",
        key,
        secret,
        now,
    )
}

fn body_json(r: &Reply) -> Value {
    serde_json::from_slice(&r.body).unwrap()
}

const DESCRIBE: &str = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails";

#[test]
fn signed_json_calls_are_recorded_with_peer_and_user_agent() {
    let (_d, s) = server();
    let r = s.handle(&json_call(DESCRIBE, &json!({}), "test", Utc::now()));
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(body_json(&r), json!({"trailList": []}));
    let rec = s.sim.event_records().unwrap().pop().unwrap();
    assert_eq!(rec["eventName"], "DescribeTrails");
    assert_eq!(rec["requestID"], r.request_id.as_str());
    assert_eq!(rec["sourceIPAddress"], "127.0.0.1");
    assert_eq!(rec["userAgent"], "test-agent/1.0");
    assert_eq!(
        rec["userIdentity"]["arn"],
        "arn:aws:iam::123456789012:user/ctsim"
    );
}

#[test]
fn json_auth_failures_have_the_aws_codes() {
    let (_d, s) = server();
    let bad = s.handle(&json_call(DESCRIBE, &json!({}), "wrong", Utc::now()));
    assert_eq!(bad.status, 400);
    assert_eq!(body_json(&bad)["__type"], "InvalidSignatureException");
    let old = s.handle(&json_call(
        DESCRIBE,
        &json!({}),
        "test",
        Utc::now() - chrono::Duration::minutes(20),
    ));
    assert_eq!(body_json(&old)["__type"], "InvalidSignatureException");
    assert!(
        body_json(&old)["message"]
            .as_str()
            .unwrap()
            .starts_with("Signature expired")
    );
    let mut unsigned = json_call(DESCRIBE, &json!({}), "test", Utc::now());
    unsigned
        .headers
        .retain(|(k, _)| k != "authorization" && k != "x-amz-date");
    let r = s.handle(&unsigned);
    assert_eq!(
        body_json(&r)["__type"],
        "MissingAuthenticationTokenException"
    );
    // A tampered body no longer matches its signature.
    let mut tampered = json_call(DESCRIBE, &json!({}), "test", Utc::now());
    tampered.body = Bytes::from_static(b"{\"trailNameList\":[\"x\"]}");
    assert_eq!(
        body_json(&s.handle(&tampered))["__type"],
        "InvalidSignatureException"
    );
    // None of these reached the simulator.
    assert!(s.sim.event_records().unwrap().is_empty());
}

#[test]
fn service_errors_keep_their_status_and_are_recorded() {
    let (_d, s) = server();
    let r = s.handle(&json_call(
        "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.GetTrail",
        &json!({"Name": "nope"}),
        "test",
        Utc::now(),
    ));
    assert_eq!(body_json(&r)["__type"], "TrailNotFoundException");
    let rec = s.sim.event_records().unwrap().pop().unwrap();
    assert_eq!(rec["errorCode"], "TrailNotFoundException");
    let r = s.handle(&json_call(
        "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.GetTrail",
        &json!("not an object"),
        "test",
        Utc::now(),
    ));
    assert_eq!(r.status, 400);
    let unknown = s.handle(&json_call(
        "NoSuchService_1.Op",
        &json!({}),
        "test",
        Utc::now(),
    ));
    assert_eq!(body_json(&unknown)["__type"], "UnknownOperationException");
}

fn s3_call(method: &str, path: &str, query: &str, host: &str, body: &[u8]) -> Incoming {
    signed(
        method,
        path,
        query,
        host,
        vec![],
        body,
        "s3",
        "test",
        "test",
        Utc::now(),
    )
}

#[test]
fn s3_path_and_virtual_host_requests_reach_the_same_bucket() {
    let (_d, s) = server();
    let r = s.handle(&s3_call("PUT", "/logs", "", "127.0.0.1:4566", b""));
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let r = s.handle(&s3_call(
        "PUT",
        "/a%20b.txt",
        "",
        "logs.s3.localhost:4566",
        b"hello",
    ));
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let r = s.handle(&s3_call(
        "GET",
        "/logs/a%20b.txt",
        "",
        "127.0.0.1:4566",
        b"",
    ));
    assert_eq!(r.body, b"hello");
    let r = s.handle(&s3_call("HEAD", "/a%20b.txt", "", "logs.localhost", b""));
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    assert!(r.headers.contains(&("content-length".into(), "5".into())));
    let r = s.handle(&s3_call(
        "GET",
        "/",
        "list-type=2&prefix=a",
        "logs.localhost",
        b"",
    ));
    let text = String::from_utf8(r.body).unwrap();
    assert!(text.contains("<Key>a b.txt</Key>"), "{text}");
    let r = s.handle(&s3_call("GET", "/nope/x", "", "127.0.0.1", b""));
    assert_eq!(r.status, 404);
    assert!(String::from_utf8_lossy(&r.body).contains("<Code>NoSuchBucket</Code>"));
    let r = s.handle(&s3_call("GET", "/logs", "versioning", "127.0.0.1", b""));
    assert_eq!(r.status, 501);
}

#[test]
fn s3_payload_hash_must_match_the_body() {
    let (_d, s) = server();
    s.handle(&s3_call("PUT", "/logs", "", "127.0.0.1", b""));
    let mut req = s3_call("PUT", "/logs/k", "", "127.0.0.1", b"one");
    req.body = Bytes::from_static(b"two");
    let r = s.handle(&req);
    assert_eq!(r.status, 400);
    assert!(String::from_utf8_lossy(&r.body).contains("XAmzContentSHA256Mismatch"));
}

#[test]
fn query_requests_render_xml_and_query_errors() {
    let (_d, s) = server();
    let body = b"Action=GetCallerIdentity&Version=2011-06-15";
    let req = signed(
        "POST",
        "/",
        "",
        "127.0.0.1",
        vec![(
            "content-type".into(),
            "application/x-www-form-urlencoded; charset=utf-8".into(),
        )],
        body,
        "sts",
        "222222222222",
        "test",
        Utc::now(),
    );
    let r = s.handle(&req);
    let text = String::from_utf8(r.body).unwrap();
    assert!(
        text.contains("<Arn>arn:aws:iam::222222222222:user/ctsim</Arn>"),
        "{text}"
    );
    let req = signed(
        "POST",
        "/",
        "",
        "127.0.0.1",
        vec![(
            "content-type".into(),
            "application/x-www-form-urlencoded".into(),
        )],
        b"Action=GetRole&Version=2010-05-08&RoleName=nope",
        "iam",
        "test",
        "test",
        Utc::now(),
    );
    let r = s.handle(&req);
    assert_eq!(r.status, 404, "{}", String::from_utf8_lossy(&r.body));
    assert!(String::from_utf8_lossy(&r.body).contains("<Code>NoSuchEntity</Code>"));
}

/// Through a real socket: the size limit answers 413, and shutdown lets the server end.
#[test]
fn oversized_bodies_get_413_and_shutdown_is_graceful() {
    let (_d, mut s) = server();
    s.limits.max_body_bytes = 16;
    let s = Arc::new(s);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, s, async {
            let _ = rx.await;
        }));
        let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
        let body = "x".repeat(100);
        let req = format!(
            "POST / HTTP/1.1\r\nhost: {addr}\r\nx-amz-target: {DESCRIBE}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        conn.write_all(req.as_bytes()).await.unwrap();
        let mut out = String::new();
        conn.read_to_string(&mut out).await.unwrap();
        assert!(out.starts_with("HTTP/1.1 413"), "{out}");
        assert!(out.contains("RequestEntityTooLarge"), "{out}");
        tx.send(()).unwrap();
        task.await.unwrap().unwrap();
    });
}

/// Several simulators (as the server, the provider and a generator would be: separate
/// connections) writing to one state folder at once lose nothing.
#[test]
fn concurrent_writers_on_one_state_folder_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    Simulator::open(dir.path()).unwrap();
    const WRITERS: usize = 4;
    const CALLS: usize = 25;
    let handles: Vec<_> = (0..WRITERS)
        .map(|w| {
            let path = dir.path().to_path_buf();
            std::thread::spawn(move || {
                let sim = Simulator::open(&path).unwrap();
                let ctx = sim.default_caller("us-east-1");
                for i in 0..CALLS {
                    sim.invoke(
                        &ctx,
                        "logs",
                        "CreateLogGroup",
                        json!({"logGroupName": format!("/w{w}/g{i}")}),
                    )
                    .unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let sim = Simulator::open(dir.path()).unwrap();
    let records = sim.event_records().unwrap();
    assert_eq!(records.len(), WRITERS * CALLS);
    let groups = sim
        .invoke(
            &sim.default_caller("us-east-1"),
            "logs",
            "DescribeLogGroups",
            json!({}),
        )
        .unwrap();
    let n = groups["logGroups"].as_array().map(Vec::len).unwrap_or(0);
    // DescribeLogGroups pages at 50.
    assert!(n == 50 || n == WRITERS * CALLS, "{n}");
}

/// The verified caller decides permissions: a member account's key sees the organization
/// trail over the wire but cannot change it.
#[test]
fn member_account_keys_cannot_change_the_organization_trail() {
    let (_d, s) = server();
    let me = s.sim.default_caller("us-east-1");
    let call = |service: &str, op: &str, req: Value| s.sim.invoke(&me, service, op, req).unwrap();
    let org = call(
        "organizations",
        "CreateOrganization",
        json!({"FeatureSet": "ALL"}),
    );
    let org_id = org["Organization"]["Id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    call(
        "organizations",
        "EnableAWSServiceAccess",
        json!({"ServicePrincipal": "cloudtrail.amazonaws.com"}),
    );
    let created = call(
        "organizations",
        "CreateAccount",
        json!({"AccountName": "member", "Email": "m@example.com"}),
    );
    let member = created["CreateAccountStatus"]["AccountId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let mut policy: Value = serde_json::from_str(&crate::policy::documented_bucket_policy(
        "logs",
        None,
        "123456789012",
    ))
    .unwrap();
    policy["Statement"][1]["Resource"] = json!([
        "arn:aws:s3:::logs/AWSLogs/123456789012/*",
        format!("arn:aws:s3:::logs/AWSLogs/{org_id}/*")
    ]);
    call("s3", "CreateBucket", json!({"Bucket": "logs"}));
    call(
        "s3",
        "PutBucketPolicy",
        json!({"Bucket": "logs", "Policy": policy.to_string()}),
    );
    let trail = call(
        "cloudtrail",
        "CreateTrail",
        json!({"Name": "org", "S3BucketName": "logs", "IsOrganizationTrail": true, "IsMultiRegionTrail": true}),
    );
    let arn = trail["TrailARN"].as_str().unwrap_or_default().to_string();

    let seen = s.handle(&json_call_as(
        &member,
        DESCRIBE,
        &json!({}),
        "test",
        Utc::now(),
    ));
    assert_eq!(body_json(&seen)["trailList"][0]["TrailARN"], json!(arn));
    let stop = s.handle(&json_call_as(
        &member,
        "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.StopLogging",
        &json!({"Name": arn}),
        "test",
        Utc::now(),
    ));
    assert_eq!(
        body_json(&stop)["__type"],
        "NotOrganizationMasterAccountException"
    );
    let rec = s.sim.event_records().unwrap().pop().unwrap();
    assert_eq!(rec["userIdentity"]["accountId"], member.as_str());
}
