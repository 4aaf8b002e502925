//! Security defaults of `ctsim serve`, one test per guarantee: a signature is required on
//! every protocol, sizes are bounded on every protocol (body, head, nesting), S3 keys stay
//! inside their bucket's folder, and operations ctsim does not implement answer the
//! protocol's NotImplemented shape.

use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use chrono::Utc;

use super::credentials::Credentials;
use super::*;

fn server_in(state: &Path) -> Server {
    let sim = Arc::new(Simulator::open(state).expect("open a fresh state folder"));
    let creds = Credentials::load(None, "123456789012", "ctsim").expect("default credentials");
    Server::new(sim, creds, Limits::default())
}

fn server() -> (tempfile::TempDir, Server) {
    let dir = tempfile::tempdir().expect("temp dir");
    let s = server_in(dir.path());
    (dir, s)
}

fn unsigned(
    method: &str,
    path: &str,
    query: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Incoming {
    let mut h: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    h.push(("host".into(), "127.0.0.1:4566".into()));
    Incoming {
        method: method.into(),
        raw_path: path.into(),
        raw_query: query.into(),
        headers: h,
        body: Bytes::copy_from_slice(body),
        peer: IpAddr::from([127, 0, 0, 1]),
    }
}

fn signed(
    method: &str,
    path: &str,
    query: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    service: &str,
) -> Incoming {
    let mut req = unsigned(method, path, query, headers, body);
    let added = sigv4::sign(
        method,
        path,
        query,
        &req.headers,
        body,
        "test",
        "test",
        None,
        "us-east-1",
        service,
        Utc::now(),
    );
    req.headers.extend(added);
    req
}

const FORM: (&str, &str) = ("content-type", "application/x-www-form-urlencoded");

fn json_target(target: &str) -> [(&str, &str); 2] {
    [
        ("content-type", json11::CONTENT_TYPE),
        ("x-amz-target", target),
    ]
}

fn text(r: &Reply) -> String {
    String::from_utf8_lossy(&r.body).into_owned()
}

fn json_type(r: &Reply) -> String {
    serde_json::from_slice::<serde_json::Value>(&r.body)
        .ok()
        .and_then(|v| v["__type"].as_str().map(str::to_string))
        .unwrap_or_else(|| panic!("not a JSON error document: {}", text(r)))
}

const DESCRIBE: &str = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails";

// ---------------------------------------------------------------------------------------
// SigV4 on every protocol
// ---------------------------------------------------------------------------------------

#[test]
fn unsigned_requests_are_refused_on_every_protocol_and_change_nothing() {
    let (dir, s) = server();
    let before = s.sim.event_records().expect("events").len();

    let r = s.handle(&unsigned(
        "POST",
        "/",
        "",
        &json_target("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.CreateTrail"),
        br#"{"Name":"t","S3BucketName":"b"}"#,
    ));
    assert_eq!(r.status, 400, "{}", text(&r));
    assert_eq!(json_type(&r), "MissingAuthenticationTokenException");

    let r = s.handle(&unsigned(
        "POST",
        "/",
        "",
        &json_target("ctsim.s3.CreateBucket"),
        br#"{"Bucket":"unsigned-json"}"#,
    ));
    assert_eq!(json_type(&r), "MissingAuthenticationTokenException");

    let r = s.handle(&unsigned(
        "POST",
        "/",
        "",
        &[FORM],
        b"Action=CreateRole&Version=2010-05-08&RoleName=r&AssumeRolePolicyDocument=%7B%7D",
    ));
    assert_eq!(r.status, 403, "{}", text(&r));
    assert!(text(&r).starts_with("<ErrorResponse"), "{}", text(&r));
    assert!(text(&r).contains("<Code>MissingAuthenticationToken</Code>"));

    let r = s.handle(&unsigned(
        "GET",
        "/",
        "Action=GetCallerIdentity&Version=2011-06-15",
        &[],
        b"",
    ));
    assert_eq!(r.status, 403, "{}", text(&r));
    assert!(text(&r).contains("<Code>MissingAuthenticationToken</Code>"));

    let r = s.handle(&unsigned("PUT", "/unsigned-bucket", "", &[], b""));
    assert_eq!(r.status, 403, "{}", text(&r));
    assert!(
        text(&r).contains("<Error><Code>AccessDenied</Code>"),
        "{}",
        text(&r)
    );
    let r = s.handle(&unsigned("PUT", "/unsigned-bucket/k", "", &[], b"data"));
    assert_eq!(r.status, 403);
    let r = s.handle(&unsigned("GET", "/", "", &[], b""));
    assert_eq!(r.status, 403);
    let r = s.handle(&unsigned("HEAD", "/unsigned-bucket", "", &[], b""));
    assert_eq!(r.status, 403);
    assert!(r.body.is_empty());

    // Nothing was done: no event, no bucket, no object file.
    assert_eq!(s.sim.event_records().expect("events").len(), before);
    assert!(!dir.path().join("s3").join("unsigned-bucket").exists());
    let r = s.handle(&signed("GET", "/", "", &[], b"", "s3"));
    assert_eq!(r.status, 200);
    assert!(!text(&r).contains("unsigned"), "{}", text(&r));
}

#[test]
fn a_signature_with_the_wrong_secret_is_refused_on_every_protocol() {
    let (_d, s) = server();
    let wrong = |mut req: Incoming| {
        for (k, v) in req.headers.iter_mut() {
            if k == "authorization" {
                // The last hex digit of the signature, changed.
                let last = v.pop().unwrap_or('0');
                v.push(if last == '0' { '1' } else { '0' });
            }
        }
        s.handle(&req)
    };
    let r = wrong(signed(
        "POST",
        "/",
        "",
        &json_target(DESCRIBE),
        b"{}",
        "cloudtrail",
    ));
    assert_eq!(json_type(&r), "InvalidSignatureException");
    let r = wrong(signed(
        "POST",
        "/",
        "",
        &[FORM],
        b"Action=ListRoles&Version=2010-05-08",
        "iam",
    ));
    assert!(
        text(&r).contains("<Code>SignatureDoesNotMatch</Code>"),
        "{}",
        text(&r)
    );
    let r = wrong(signed("GET", "/", "", &[], b"", "s3"));
    assert!(
        text(&r).contains("<Code>SignatureDoesNotMatch</Code>"),
        "{}",
        text(&r)
    );
}

// ---------------------------------------------------------------------------------------
// Sizes on every protocol (through a real socket: the limits are checked as it is read)
// ---------------------------------------------------------------------------------------

/// Runs `serve` with `limits` on a free port, sends each raw request on its own
/// connection, and returns the raw answers.
fn over_socket(limits: Limits, requests: Vec<Vec<u8>>) -> Vec<String> {
    let (_dir, mut s) = server();
    s.limits = limits;
    let s = Arc::new(s);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, s, async {
            let _ = rx.await;
        }));
        let mut answers = Vec::new();
        for req in requests {
            let mut conn = tokio::net::TcpStream::connect(addr).await.expect("connect");
            // The server may answer and close before the whole request is written.
            let _ = conn.write_all(&req).await;
            let mut out = Vec::new();
            let _ = conn.read_to_end(&mut out).await;
            answers.push(String::from_utf8_lossy(&out).into_owned());
        }
        let _ = tx.send(());
        task.await.expect("server task").expect("serve");
        answers
    })
}

fn raw(method: &str, target: &str, headers: &[(&str, String)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("{method} {target} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n");
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

#[test]
fn request_bodies_past_the_limit_get_413_in_each_protocols_shape() {
    let limits = Limits {
        max_body_bytes: 1024,
        ..Limits::default()
    };
    let big = vec![b'x'; 4096];
    let answers = over_socket(
        limits,
        vec![
            raw("POST", "/", &[("x-amz-target", DESCRIBE.into())], &big),
            raw(
                "POST",
                "/",
                &[("content-type", FORM.1.into())],
                format!("Action=ListRoles&Version=2010-05-08&x={}", "y".repeat(4096)).as_bytes(),
            ),
            raw("PUT", "/bucket/key", &[], &big),
        ],
    );
    assert!(answers[0].starts_with("HTTP/1.1 413"), "{}", answers[0]);
    assert!(
        answers[0].contains("\"__type\":\"RequestEntityTooLarge\""),
        "{}",
        answers[0]
    );
    assert!(answers[1].starts_with("HTTP/1.1 413"), "{}", answers[1]);
    assert!(answers[1].contains("<ErrorResponse"), "{}", answers[1]);
    assert!(
        answers[1].contains("<Code>RequestEntityTooLarge</Code>"),
        "{}",
        answers[1]
    );
    assert!(answers[2].starts_with("HTTP/1.1 413"), "{}", answers[2]);
    assert!(
        answers[2].contains("<Error><Code>EntityTooLarge</Code>"),
        "{}",
        answers[2]
    );
}

#[test]
fn request_heads_past_the_limit_are_refused_in_each_protocols_shape() {
    let limits = Limits {
        max_header_bytes: 8 * 1024,
        ..Limits::default()
    };
    let big = "a".repeat(16 * 1024);
    let long_query = format!("Action=ListRoles&Version=2010-05-08&x={big}");
    let answers = over_socket(
        limits,
        vec![
            raw(
                "POST",
                "/",
                &[("x-amz-target", DESCRIBE.into()), ("x-big", big.clone())],
                b"{}",
            ),
            raw(
                "POST",
                "/",
                &[("content-type", FORM.1.into()), ("x-big", big.clone())],
                b"Action=ListRoles&Version=2010-05-08",
            ),
            raw("GET", &format!("/?{long_query}"), &[], b""),
            raw(
                "PUT",
                "/bucket/key",
                &[("x-amz-meta-big", big.clone())],
                b"data",
            ),
            // Past hyper's own buffer: answered 431 by hyper before any protocol is known.
            raw("GET", "/", &[("x-huge", "b".repeat(1 << 20))], b""),
        ],
    );
    assert!(answers[0].starts_with("HTTP/1.1 431"), "{}", answers[0]);
    assert!(
        answers[0].contains("\"__type\":\"RequestHeaderSectionTooLarge\""),
        "{}",
        answers[0]
    );
    for a in &answers[1..3] {
        assert!(a.starts_with("HTTP/1.1 431"), "{a}");
        assert!(a.contains("<ErrorResponse"), "{a}");
        assert!(
            a.contains("<Code>RequestHeaderSectionTooLarge</Code>"),
            "{a}"
        );
    }
    assert!(answers[3].starts_with("HTTP/1.1 400"), "{}", answers[3]);
    assert!(
        answers[3].contains("<Error><Code>RequestHeaderSectionTooLarge</Code>"),
        "{}",
        answers[3]
    );
    assert!(answers[4].starts_with("HTTP/1.1 431"), "{}", answers[4]);
}

#[test]
fn heads_within_the_limit_are_served() {
    // A head just inside the default limit reaches the protocol (here: its auth check).
    let big = "a".repeat(DEFAULT_MAX_HEADER_BYTES / 2);
    let answers = over_socket(
        Limits::default(),
        vec![raw(
            "POST",
            "/",
            &[("x-amz-target", DESCRIBE.into()), ("x-big", big)],
            b"{}",
        )],
    );
    assert!(answers[0].starts_with("HTTP/1.1 400"), "{}", answers[0]);
    assert!(
        answers[0].contains("MissingAuthenticationTokenException"),
        "{}",
        answers[0]
    );
}

/// S3 reads its XML bodies (CreateBucketConfiguration) by a linear scan, not a tree: a
/// body nested a million levels deep is answered, on the blocking pool's 2 MiB stack.
#[test]
fn deeply_nested_xml_bodies_are_answered_in_s3_shape() {
    let (_d, s) = server();
    let mut body = "<CreateBucketConfiguration>".to_string();
    body.push_str(&"<a>".repeat(1_000_000));
    body.push_str(&"</a>".repeat(1_000_000));
    body.push_str("</CreateBucketConfiguration>");
    let req = signed("PUT", "/deep-xml", "", &[], body.as_bytes(), "s3");
    let reply = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn_scoped(scope, || s.handle(&req))
            .expect("thread")
            .join()
            .expect("no stack overflow")
    });
    assert!(reply.status < 500, "{} {}", reply.status, text(&reply));
    let entity = "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\
        <CreateBucketConfiguration><LocationConstraint>&e;</LocationConstraint></CreateBucketConfiguration>";
    let r = s.handle(&signed(
        "PUT",
        "/entity-xml",
        "",
        &[],
        entity.as_bytes(),
        "s3",
    ));
    // External entities are never resolved: the constraint is the literal text.
    assert!(!text(&r).contains("root:"), "{}", text(&r));
    assert!(r.status < 500, "{}", text(&r));
}

// ---------------------------------------------------------------------------------------
// Operations ctsim does not implement
// ---------------------------------------------------------------------------------------

#[test]
fn unimplemented_s3_operations_answer_not_implemented_501() {
    let (_d, s) = server();
    assert_eq!(
        s.handle(&signed("PUT", "/bkt", "", &[], b"", "s3")).status,
        200
    );
    let cases = [
        signed("GET", "/bkt", "versioning", &[], b"", "s3"),
        signed(
            "PUT",
            "/bkt",
            "lifecycle",
            &[],
            b"<LifecycleConfiguration/>",
            "s3",
        ),
        signed("POST", "/bkt/k", "uploads", &[], b"", "s3"),
        signed(
            "PUT",
            "/bkt/k",
            "",
            &[("x-amz-copy-source", "/bkt/other")],
            b"",
            "s3",
        ),
        signed("GET", "/bkt/k", "tagging", &[], b"", "s3"),
    ];
    for req in &cases {
        let r = s.handle(req);
        assert_eq!(
            r.status,
            501,
            "{} {}?{}: {}",
            req.method,
            req.raw_path,
            req.raw_query,
            text(&r)
        );
        let body = text(&r);
        assert!(
            body.contains("<Error><Code>NotImplemented</Code><Message>"),
            "{body}"
        );
        assert!(body.contains("<RequestId>"), "{body}");
    }
    let head = s.handle(&signed("HEAD", "/bkt", "versioning", &[], b"", "s3"));
    assert_eq!(head.status, 501);
    assert!(head.body.is_empty());
}

#[test]
fn unimplemented_query_actions_answer_not_implemented_in_the_error_response_shape() {
    let (_d, s) = server();
    let r = s.handle(&signed(
        "POST",
        "/",
        "",
        &[FORM],
        b"Action=CreateSAMLProvider&Version=2010-05-08&Name=x&SAMLMetadataDocument=y",
        "iam",
    ));
    assert_eq!(r.status, 501, "{}", text(&r));
    let body = text(&r);
    assert!(
        body.starts_with("<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"),
        "{body}"
    );
    assert!(
        body.contains("<Type>Receiver</Type><Code>NotImplemented</Code>"),
        "{body}"
    );
    assert!(body.contains("CreateSAMLProvider"), "{body}");
    assert!(body.contains("<RequestId>"), "{body}");
    let r = s.handle(&signed(
        "POST",
        "/",
        "",
        &[FORM],
        b"Action=GetDataProtectionPolicy&Version=2010-03-31&ResourceArn=x",
        "sns",
    ));
    assert_eq!(r.status, 501, "{}", text(&r));
    assert!(text(&r).contains("sns.amazonaws.com"), "{}", text(&r));
}

#[test]
fn actions_aws_does_not_have_answer_invalid_action() {
    let (_d, s) = server();
    let r = s.handle(&signed(
        "POST",
        "/",
        "",
        &[FORM],
        b"Action=MakeCoffee&Version=2010-05-08",
        "iam",
    ));
    assert_eq!(r.status, 400, "{}", text(&r));
    assert!(
        text(&r).contains("<Type>Sender</Type><Code>InvalidAction</Code>"),
        "{}",
        text(&r)
    );
}

#[test]
fn unimplemented_json_operations_answer_not_implemented_in_type() {
    let (_d, s) = server();
    let r = s.handle(&signed(
        "POST",
        "/",
        "",
        &json_target("TrentService.GenerateMac"),
        br#"{"KeyId":"k","Message":"bQ==","MacAlgorithm":"HMAC_SHA_256"}"#,
        "kms",
    ));
    assert_eq!(r.status, 501, "{}", text(&r));
    assert_eq!(json_type(&r), "NotImplemented");
    let r = s.handle(&signed(
        "POST",
        "/",
        "",
        &json_target("TrentService.MakeCoffee"),
        b"{}",
        "kms",
    ));
    assert_eq!(r.status, 400, "{}", text(&r));
    assert_eq!(json_type(&r), "UnknownOperationException");
}

// ---------------------------------------------------------------------------------------
// S3 keys stay inside the state folder
// ---------------------------------------------------------------------------------------

/// Every file below `root`, relative to it.
fn files_under(root: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(rel) = p.strip_prefix(root) {
                out.push(rel.to_path_buf());
            }
        }
    }
    out
}

#[test]
fn s3_keys_cannot_leave_the_state_folder() {
    let outer = tempfile::tempdir().expect("temp dir");
    let state = outer.path().join("state");
    let s = server_in(&state);
    assert_eq!(
        s.handle(&signed("PUT", "/jail", "", &[], b"", "s3")).status,
        200
    );
    // (path as sent, the key it names)
    let long_segment = "s".repeat(300);
    let keys: Vec<(String, String)> = vec![
        ("/jail/..".into(), "..".into()),
        ("/jail/../escaped-dotdot".into(), "../escaped-dotdot".into()),
        (
            "/jail/..%2F..%2F..%2Fescaped-encoded".into(),
            "../../../escaped-encoded".into(),
        ),
        (
            "/jail/%2E%2E/%2E%2E/escaped-dots".into(),
            "../../escaped-dots".into(),
        ),
        (
            "/jail//tmp/escaped-absolute".into(),
            "/tmp/escaped-absolute".into(),
        ),
        (
            "/jail/%2Fetc%2Fescaped-absolute2".into(),
            "/etc/escaped-absolute2".into(),
        ),
        (
            "/jail/a%00b/..%00/escaped-nul".into(),
            "a\0b/..\0/escaped-nul".into(),
        ),
        ("/jail/.".into(), ".".into()),
        (
            "/jail/..%5C..%5Cescaped-backslash".into(),
            "..\\..\\escaped-backslash".into(),
        ),
        (
            format!("/jail/{long_segment}/x"),
            format!("{long_segment}/x"),
        ),
    ];
    for (i, (path, key)) in keys.iter().enumerate() {
        let body = format!("body {i}");
        let r = s.handle(&signed("PUT", path, "", &[], body.as_bytes(), "s3"));
        assert_eq!(r.status, 200, "{path}: {}", text(&r));
        let got = s.handle(&signed("GET", path, "", &[], b"", "s3"));
        assert_eq!(got.status, 200, "{path}: {}", text(&got));
        assert_eq!(text(&got), body, "{path}");
        let list = s.handle(&signed("GET", "/jail", "list-type=2", &[], b"", "s3"));
        let listed = text(&list);
        let shown = xml::escape(key);
        assert!(
            listed.contains(&format!("<Key>{shown}</Key>")),
            "{key:?} in {listed}"
        );
    }
    // A key over 1,024 bytes is refused, as S3 does.
    let too_long = format!("/jail/{}", "k".repeat(1025));
    let r = s.handle(&signed("PUT", &too_long, "", &[], b"x", "s3"));
    assert_eq!(r.status, 400, "{}", text(&r));
    assert!(
        text(&r).contains("<Code>KeyTooLongError</Code>"),
        "{}",
        text(&r)
    );
    // A bucket name cannot point outside either.
    for bucket in ["/..", "/%2E%2E", "/..%2F..%2Fescaped-bucket"] {
        let r = s.handle(&signed("PUT", bucket, "", &[], b"", "s3"));
        assert!((400..500).contains(&r.status), "{bucket}: {}", text(&r));
    }

    // Everything written is inside the state folder; object bodies inside the bucket's.
    let outside: Vec<_> = files_under(outer.path())
        .into_iter()
        .filter(|p| !p.starts_with("state"))
        .collect();
    assert!(outside.is_empty(), "{outside:?}");
    for p in files_under(&state.join("s3")) {
        assert!(p.starts_with("jail") || p.starts_with(".tmp"), "{p:?}");
    }
    for gone in ["escaped-dotdot", "escaped-encoded", "escaped-bucket"] {
        assert!(!state.join(gone).exists() && !state.join("s3").join(gone).exists());
    }
    assert!(!Path::new("/tmp/escaped-absolute").exists());
}
