//! Amazon S3's REST-XML protocol: path-style (`/bucket/key`) and virtual-host-style
//! (`bucket.localhost`, `bucket.s3.localhost`, `bucket.s3[.region].amazonaws.com`)
//! addressing, the bucket and object operations ctsim implements, and S3's `<Error>` XML.
//!
//! Covered: ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation,
//! Get/Put/DeleteBucketPolicy, ListObjectsV2 (and v1 requests, answered in the v2 shape
//! with `Marker` mapped to `StartAfter`), GetObject (with `Range`), HeadObject, PutObject
//! (plain and `aws-chunked` bodies), DeleteObject. Other sub-resources answer
//! `NotImplemented` (501).

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Map, Value, json};

use super::xml;
use super::{Incoming, Protocol, Reply, Server, auth, sigv4};
use crate::error::AwsError;

pub const NS: &str = "http://s3.amazonaws.com/doc/2006-03-01/";

/// Sub-resources ctsim answers; any other names `NotImplemented`.
const KNOWN_SUBRESOURCES: &[&str] = &["policy", "location", "list-type"];
/// Query keys that select a sub-resource (the S3 API's own list, trimmed to buckets).
const SUBRESOURCES: &[&str] = &[
    "accelerate",
    "acl",
    "analytics",
    "cors",
    "encryption",
    "intelligent-tiering",
    "inventory",
    "lifecycle",
    "location",
    "logging",
    "metrics",
    "notification",
    "object-lock",
    "ownershipControls",
    "policy",
    "policyStatus",
    "publicAccessBlock",
    "replication",
    "requestPayment",
    "tagging",
    "uploads",
    "versioning",
    "versions",
    "website",
    "delete",
    "restore",
    "select",
    "attributes",
    "legal-hold",
    "retention",
    "torrent",
    "uploadId",
];

/// The bucket a virtual-host-style `Host` names, if any.
pub fn bucket_from_host(host: &str) -> Option<String> {
    let host = host.trim().to_ascii_lowercase();
    let host = match host.rsplit_once(':') {
        Some((h, port)) if !h.ends_with(']') && port.bytes().all(|b| b.is_ascii_digit()) => {
            h.to_string()
        }
        _ => host,
    };
    let bucket = if let Some(b) = host.strip_suffix(".s3.localhost") {
        b
    } else if let Some(b) = host.strip_suffix(".localhost") {
        b
    } else if let Some(i) = host.find(".s3.").or_else(|| host.find(".s3-"))
        && host.ends_with(".amazonaws.com")
    {
        &host[..i]
    } else {
        return None;
    };
    (!bucket.is_empty() && bucket != "s3").then(|| bucket.to_string())
}

/// (bucket, key) of a request; the key is decoded.
pub fn address(req: &Incoming) -> (Option<String>, Option<String>) {
    let path = req.raw_path.strip_prefix('/').unwrap_or(&req.raw_path);
    if let Some(bucket) = req.header("host").and_then(bucket_from_host) {
        let key = sigv4::percent_decode(path, false);
        return (Some(bucket), (!key.is_empty()).then_some(key));
    }
    let (bucket, key) = match path.split_once('/') {
        Some((b, k)) => (b, Some(k)),
        None => (path, None),
    };
    let bucket = sigv4::percent_decode(bucket, false);
    let key = key
        .map(|k| sigv4::percent_decode(k, false))
        .filter(|k| !k.is_empty());
    ((!bucket.is_empty()).then_some(bucket), key)
}

/// S3's error document. HEAD answers carry no body.
pub fn error_reply(err: &AwsError, request_id: &str, bucket: Option<&str>, head: bool) -> Reply {
    let mut reply = s3_reply(err.http_status, request_id);
    if head {
        return reply;
    }
    let mut body = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>");
    xml::element(&mut body, "Code", &err.code);
    xml::element(&mut body, "Message", &err.message);
    if let Some(b) = bucket.filter(|_| err.code.contains("Bucket")) {
        xml::element(&mut body, "BucketName", b);
    }
    xml::element(&mut body, "RequestId", request_id);
    xml::element(&mut body, "HostId", &host_id(request_id));
    body.push_str("</Error>");
    reply = reply
        .header("content-type", "application/xml")
        .body(body.into_bytes());
    reply
}

fn host_id(request_id: &str) -> String {
    B64.encode(sigv4::sha256_hex(request_id.as_bytes()).as_bytes())
}

fn s3_reply(status: u16, request_id: &str) -> Reply {
    let mut r = Reply::new(status, request_id);
    r.headers.clear();
    r.header("x-amz-request-id", request_id)
        .header("x-amz-id-2", &host_id(request_id))
}

/// Decodes an `aws-chunked` body (`hex-size[;chunk-signature=…]\r\ndata\r\n…0\r\n`,
/// trailers ignored). Chunk signatures are not verified (the seed signature is).
pub fn decode_aws_chunked(body: &[u8]) -> Result<Vec<u8>, AwsError> {
    let bad = || AwsError::client("IncompleteBody", "The aws-chunked body is malformed.");
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n").ok_or_else(bad)?;
        let line = std::str::from_utf8(&rest[..line_end]).map_err(|_| bad())?;
        let size_hex = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_hex, 16).map_err(|_| bad())?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        // A size the body cannot hold (up to usize::MAX) is malformed, not an overflow.
        if rest.len().saturating_sub(2) < size || &rest[size..size + 2] != b"\r\n" {
            return Err(bad());
        }
        out.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}

fn http_date(epoch_seconds: f64) -> String {
    chrono::DateTime::from_timestamp(epoch_seconds as i64, 0)
        .unwrap_or_default()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

/// What a request asks for: the operation and its JSON input.
fn route(
    req: &Incoming,
    bucket: Option<&str>,
    key: Option<&str>,
) -> Result<(&'static str, Value), AwsError> {
    let q = sigv4::query_pairs(&req.raw_query);
    let has = |k: &str| q.iter().any(|(n, _)| n == k);
    let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let sub = q
        .iter()
        .map(|(k, _)| k.as_str())
        .find(|k| SUBRESOURCES.contains(k) && !KNOWN_SUBRESOURCES.contains(k));
    let not_implemented = |what: &str| {
        AwsError::new(
            "NotImplemented",
            format!(
                "A header or query you provided implies functionality that is not implemented ({what})."
            ),
            501,
        )
    };
    let method = req.method.as_str();
    let Some(bucket) = bucket else {
        return match method {
            "GET" => Ok(("ListBuckets", json!({}))),
            _ => Err(AwsError::new(
                "MethodNotAllowed",
                "The specified method is not allowed against this resource.",
                405,
            )),
        };
    };
    if let Some(s) = sub {
        return Err(not_implemented(s));
    }
    let mut input = Map::new();
    input.insert("Bucket".into(), json!(bucket));
    if let Some(key) = key {
        input.insert("Key".into(), json!(key));
        let op = match method {
            "GET" | "HEAD" => {
                if let Some(r) = req.header("range") {
                    input.insert("Range".into(), json!(r));
                }
                for (h, m) in [("if-match", "IfMatch"), ("if-none-match", "IfNoneMatch")] {
                    if let Some(v) = req.header(h) {
                        input.insert(m.into(), json!(v));
                    }
                }
                if method == "GET" {
                    "GetObject"
                } else {
                    "HeadObject"
                }
            }
            "PUT" => {
                if req.header("x-amz-copy-source").is_some() {
                    return Err(not_implemented("CopyObject"));
                }
                let chunked = req
                    .header("x-amz-content-sha256")
                    .is_some_and(|h| h.starts_with("STREAMING-"))
                    || req
                        .header("content-encoding")
                        .is_some_and(|h| h.contains("aws-chunked"));
                let body = if chunked {
                    decode_aws_chunked(&req.body)?
                } else {
                    req.body.to_vec()
                };
                input.insert("Body".into(), json!(B64.encode(&body)));
                let headers = [
                    ("content-type", "ContentType"),
                    ("cache-control", "CacheControl"),
                    ("content-disposition", "ContentDisposition"),
                    ("content-language", "ContentLanguage"),
                    ("content-md5", "ContentMD5"),
                    ("x-amz-acl", "ACL"),
                    ("x-amz-server-side-encryption", "ServerSideEncryption"),
                    ("x-amz-server-side-encryption-aws-kms-key-id", "SSEKMSKeyId"),
                    (
                        "x-amz-server-side-encryption-bucket-key-enabled",
                        "BucketKeyEnabled",
                    ),
                    ("x-amz-storage-class", "StorageClass"),
                    ("x-amz-tagging", "Tagging"),
                ];
                for (h, m) in headers {
                    if let Some(v) = req.header(h) {
                        let v = if m == "BucketKeyEnabled" {
                            json!(v.eq_ignore_ascii_case("true"))
                        } else {
                            json!(v)
                        };
                        input.insert(m.into(), v);
                    }
                }
                if let Some(enc) = req.header("content-encoding") {
                    let rest: Vec<&str> = enc
                        .split(',')
                        .map(str::trim)
                        .filter(|e| !e.is_empty() && *e != "aws-chunked")
                        .collect();
                    if !rest.is_empty() {
                        input.insert("ContentEncoding".into(), json!(rest.join(",")));
                    }
                }
                let meta: Map<String, Value> = req
                    .headers
                    .iter()
                    .filter_map(|(k, v)| {
                        let k = k.to_ascii_lowercase();
                        k.strip_prefix("x-amz-meta-")
                            .map(|m| (m.to_string(), json!(v)))
                    })
                    .collect();
                if !meta.is_empty() {
                    input.insert("Metadata".into(), Value::Object(meta));
                }
                "PutObject"
            }
            "DELETE" => "DeleteObject",
            _ => {
                return Err(AwsError::new(
                    "MethodNotAllowed",
                    "The specified method is not allowed against this resource.",
                    405,
                ));
            }
        };
        return Ok((op, Value::Object(input)));
    }
    let op = match (method, has("policy")) {
        ("GET", true) => "GetBucketPolicy",
        ("PUT", true) => {
            input.insert(
                "Policy".into(),
                json!(String::from_utf8_lossy(&req.body).into_owned()),
            );
            "PutBucketPolicy"
        }
        ("DELETE", true) => "DeleteBucketPolicy",
        ("GET", false) if has("location") => "GetBucketLocation",
        ("GET", false) => {
            for (q, m) in [
                ("prefix", "Prefix"),
                ("delimiter", "Delimiter"),
                ("continuation-token", "ContinuationToken"),
                ("start-after", "StartAfter"),
                ("encoding-type", "EncodingType"),
            ] {
                if let Some(v) = get(q) {
                    input.insert(m.into(), json!(v));
                }
            }
            if get("list-type").as_deref() != Some("2")
                && let Some(m) = get("marker")
            {
                input.insert("StartAfter".into(), json!(m));
            }
            if let Some(v) = get("max-keys") {
                let n = v.parse::<i64>().map_err(|_| {
                    AwsError::client(
                        "InvalidArgument",
                        "Provided max-keys not an integer or within integer range",
                    )
                })?;
                input.insert("MaxKeys".into(), json!(n));
            }
            if let Some(v) = get("fetch-owner") {
                input.insert("FetchOwner".into(), json!(v == "true"));
            }
            "ListObjectsV2"
        }
        ("PUT", false) => {
            let body = String::from_utf8_lossy(&req.body);
            if !body.trim().is_empty() {
                let lc = xml::first_text(&body, "LocationConstraint");
                if lc.is_none() && !body.contains("CreateBucketConfiguration") {
                    return Err(AwsError::client(
                        "MalformedXML",
                        "The XML you provided was not well-formed or did not validate against our published schema",
                    ));
                }
                let mut cfg = Map::new();
                if let Some(lc) = lc.filter(|l| !l.is_empty()) {
                    cfg.insert("LocationConstraint".into(), json!(lc));
                }
                input.insert("CreateBucketConfiguration".into(), Value::Object(cfg));
            }
            if let Some(acl) = req.header("x-amz-acl") {
                input.insert("ACL".into(), json!(acl));
            }
            if let Some(o) = req.header("x-amz-object-ownership") {
                input.insert("ObjectOwnership".into(), json!(o));
            }
            if let Some(l) = req.header("x-amz-bucket-object-lock-enabled") {
                input.insert("ObjectLockEnabledForBucket".into(), json!(l == "true"));
            }
            "CreateBucket"
        }
        ("HEAD", false) => "HeadBucket",
        ("DELETE", false) => "DeleteBucket",
        _ => {
            return Err(AwsError::new(
                "MethodNotAllowed",
                "The specified method is not allowed against this resource.",
                405,
            ));
        }
    };
    Ok((op, Value::Object(input)))
}

fn text<'v>(v: &'v Value, k: &str) -> Option<&'v str> {
    v.get(k).and_then(Value::as_str)
}

/// `ListObjectsV2` as `<ListBucketResult>`.
pub fn render_list_objects(v: &Value) -> String {
    let mut out =
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"{NS}\">");
    xml::element(&mut out, "Name", text(v, "Name").unwrap_or_default());
    xml::element(&mut out, "Prefix", text(v, "Prefix").unwrap_or_default());
    if let Some(d) = text(v, "Delimiter") {
        xml::element(&mut out, "Delimiter", d);
    }
    let num = |k: &str| v.get(k).and_then(Value::as_i64).unwrap_or(0).to_string();
    xml::element(&mut out, "MaxKeys", &num("MaxKeys"));
    xml::element(&mut out, "KeyCount", &num("KeyCount"));
    let truncated = v
        .get("IsTruncated")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    xml::element(
        &mut out,
        "IsTruncated",
        if truncated { "true" } else { "false" },
    );
    for k in [
        "ContinuationToken",
        "NextContinuationToken",
        "StartAfter",
        "EncodingType",
    ] {
        if let Some(t) = text(v, k) {
            xml::element(&mut out, k, t);
        }
    }
    for o in v
        .get("Contents")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        out.push_str("<Contents>");
        xml::element(&mut out, "Key", text(o, "Key").unwrap_or_default());
        let lm = o.get("LastModified").and_then(Value::as_f64).unwrap_or(0.0);
        xml::element(&mut out, "LastModified", &xml::timestamp(lm));
        xml::element(&mut out, "ETag", text(o, "ETag").unwrap_or_default());
        xml::element(
            &mut out,
            "Size",
            &o.get("Size")
                .and_then(Value::as_i64)
                .unwrap_or(0)
                .to_string(),
        );
        if let Some(owner) = o.get("Owner") {
            out.push_str("<Owner>");
            if let Some(id) = text(owner, "ID") {
                xml::element(&mut out, "ID", id);
            }
            if let Some(n) = text(owner, "DisplayName") {
                xml::element(&mut out, "DisplayName", n);
            }
            out.push_str("</Owner>");
        }
        xml::element(
            &mut out,
            "StorageClass",
            text(o, "StorageClass").unwrap_or("STANDARD"),
        );
        out.push_str("</Contents>");
    }
    for p in v
        .get("CommonPrefixes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        out.push_str("<CommonPrefixes>");
        xml::element(&mut out, "Prefix", text(p, "Prefix").unwrap_or_default());
        out.push_str("</CommonPrefixes>");
    }
    out.push_str("</ListBucketResult>");
    out
}

/// `ListBuckets` as `<ListAllMyBucketsResult>`.
pub fn render_list_buckets(v: &Value) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListAllMyBucketsResult xmlns=\"{NS}\">"
    );
    if let Some(owner) = v.get("Owner") {
        out.push_str("<Owner>");
        if let Some(id) = text(owner, "ID") {
            xml::element(&mut out, "ID", id);
        }
        out.push_str("</Owner>");
    }
    out.push_str("<Buckets>");
    for b in v
        .get("Buckets")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        out.push_str("<Bucket>");
        xml::element(&mut out, "Name", text(b, "Name").unwrap_or_default());
        let cd = b.get("CreationDate").and_then(Value::as_f64).unwrap_or(0.0);
        xml::element(&mut out, "CreationDate", &xml::timestamp(cd));
        if let Some(r) = text(b, "BucketRegion") {
            xml::element(&mut out, "BucketRegion", r);
        }
        out.push_str("</Bucket>");
    }
    out.push_str("</Buckets>");
    if let Some(t) = text(v, "ContinuationToken") {
        xml::element(&mut out, "ContinuationToken", t);
    }
    out.push_str("</ListAllMyBucketsResult>");
    out
}

/// Object metadata as response headers (GetObject, HeadObject).
fn object_headers(mut r: Reply, v: &Value) -> Reply {
    let pairs = [
        ("ContentType", "content-type"),
        ("ETag", "etag"),
        ("AcceptRanges", "accept-ranges"),
        ("ContentRange", "content-range"),
        ("ContentEncoding", "content-encoding"),
        ("ContentDisposition", "content-disposition"),
        ("ContentLanguage", "content-language"),
        ("CacheControl", "cache-control"),
        ("ServerSideEncryption", "x-amz-server-side-encryption"),
        ("SSEKMSKeyId", "x-amz-server-side-encryption-aws-kms-key-id"),
        ("StorageClass", "x-amz-storage-class"),
    ];
    for (m, h) in pairs {
        if let Some(t) = text(v, m) {
            r = r.header(h, t);
        }
    }
    if let Some(true) = v.get("BucketKeyEnabled").and_then(Value::as_bool) {
        r = r.header("x-amz-server-side-encryption-bucket-key-enabled", "true");
    }
    if let Some(lm) = v.get("LastModified").and_then(Value::as_f64) {
        r = r.header("last-modified", &http_date(lm));
    }
    if let Some(n) = v.get("TagCount").and_then(Value::as_i64) {
        r = r.header("x-amz-tagging-count", &n.to_string());
    }
    if let Some(Value::Object(meta)) = v.get("Metadata") {
        for (k, val) in meta {
            if let Some(s) = val.as_str() {
                r = r.header(&format!("x-amz-meta-{k}"), s);
            }
        }
    }
    r
}

/// The HTTP answer for a successful operation.
fn render(op: &str, v: &Value, request_id: &str, bucket: &str, region: &str) -> Reply {
    let xml_reply = |body: String| {
        s3_reply(200, request_id)
            .header("content-type", "application/xml")
            .body(body.into_bytes())
    };
    match op {
        "ListBuckets" => xml_reply(render_list_buckets(v)),
        "ListObjectsV2" => xml_reply(render_list_objects(v)),
        "GetBucketLocation" => {
            let mut body = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"{NS}\">"
            );
            body.push_str(&xml::escape(
                text(v, "LocationConstraint").unwrap_or_default(),
            ));
            body.push_str("</LocationConstraint>");
            xml_reply(body)
        }
        "GetBucketPolicy" => s3_reply(200, request_id)
            .header("content-type", "application/json")
            .body(text(v, "Policy").unwrap_or_default().as_bytes().to_vec()),
        "CreateBucket" => s3_reply(200, request_id).header(
            "location",
            text(v, "Location").unwrap_or(&format!("/{bucket}")),
        ),
        "HeadBucket" => s3_reply(200, request_id).header(
            "x-amz-bucket-region",
            text(v, "BucketRegion").unwrap_or(region),
        ),
        "DeleteBucket" | "DeleteBucketPolicy" | "DeleteObject" | "PutBucketPolicy" => {
            s3_reply(if op == "PutBucketPolicy" { 200 } else { 204 }, request_id)
        }
        "PutObject" => {
            let mut r = s3_reply(200, request_id);
            if let Some(e) = text(v, "ETag") {
                r = r.header("etag", e);
            }
            if let Some(s) = text(v, "ServerSideEncryption") {
                r = r.header("x-amz-server-side-encryption", s);
            }
            if let Some(k) = text(v, "SSEKMSKeyId") {
                r = r.header("x-amz-server-side-encryption-aws-kms-key-id", k);
            }
            r
        }
        "GetObject" => {
            let body = text(v, "Body")
                .and_then(|b| B64.decode(b).ok())
                .unwrap_or_default();
            let status = if v.get("ContentRange").is_some() {
                206
            } else {
                200
            };
            let mut r = s3_reply(status, request_id);
            r = object_headers(r, v);
            r.body(body)
        }
        "HeadObject" => {
            let r = object_headers(s3_reply(200, request_id), v);
            let len = v.get("ContentLength").and_then(Value::as_i64).unwrap_or(0);
            r.header("content-length", &len.to_string())
        }
        _ => s3_reply(200, request_id),
    }
}

pub fn handle(server: &Server, req: &Incoming) -> Reply {
    let head = req.method == "HEAD";
    let (bucket, key) = address(req);
    let caller = match auth::authenticate(server, req, Protocol::S3) {
        Ok(c) => c,
        Err(f) => {
            return error_reply(
                &f.to_error(Protocol::S3),
                &server.fresh_request_id(),
                bucket.as_deref(),
                head,
            );
        }
    };
    let (op, input) = match route(req, bucket.as_deref(), key.as_deref()) {
        Ok(r) => r,
        Err(e) => {
            return error_reply(&e, &server.fresh_request_id(), bucket.as_deref(), head);
        }
    };
    let region = caller.region.clone();
    let inv = server.invoke(caller, "s3", op, input);
    let request_id = inv
        .request_id
        .clone()
        .unwrap_or_else(|| server.fresh_request_id());
    match inv.result {
        Ok(v) => render(
            op,
            &v,
            &request_id,
            bucket.as_deref().unwrap_or_default(),
            &region,
        )
        .operation(op),
        Err(e) => error_reply(&e, &request_id, bucket.as_deref(), head).operation(op),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtual_host_names_select_the_bucket() {
        assert_eq!(
            bucket_from_host("logs.localhost:4566").as_deref(),
            Some("logs")
        );
        assert_eq!(
            bucket_from_host("logs.s3.localhost").as_deref(),
            Some("logs")
        );
        assert_eq!(
            bucket_from_host("my.logs.s3.us-east-1.amazonaws.com").as_deref(),
            Some("my.logs")
        );
        assert_eq!(bucket_from_host("s3.localhost:4566"), None);
        assert_eq!(bucket_from_host("127.0.0.1:4566"), None);
        assert_eq!(bucket_from_host("localhost"), None);
        assert_eq!(bucket_from_host("[::1]:4566"), None);
    }

    fn req(path: &str, host: &str) -> Incoming {
        Incoming {
            method: "GET".into(),
            raw_path: path.into(),
            raw_query: String::new(),
            headers: vec![("host".into(), host.into())],
            body: bytes::Bytes::new(),
            peer: std::net::IpAddr::from([127, 0, 0, 1]),
        }
    }

    #[test]
    fn path_and_virtual_host_addressing_agree() {
        let path = address(&req("/b/AWSLogs/1/a%20b.json.gz", "127.0.0.1:4566"));
        let vhost = address(&req("/AWSLogs/1/a%20b.json.gz", "b.localhost:4566"));
        assert_eq!(path, vhost);
        assert_eq!(path.1.as_deref(), Some("AWSLogs/1/a b.json.gz"));
        assert_eq!(address(&req("/", "127.0.0.1")), (None, None));
        assert_eq!(address(&req("/b/", "127.0.0.1")), (Some("b".into()), None));
    }

    #[test]
    fn aws_chunked_bodies_decode() {
        let body = b"5;chunk-signature=abc\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:AAAA\r\n\r\n";
        assert_eq!(decode_aws_chunked(body).unwrap(), b"hello world");
        assert!(decode_aws_chunked(b"5\r\nhi\r\n").is_err());
        assert!(decode_aws_chunked(b"zz\r\n").is_err());
        assert!(decode_aws_chunked(b"").is_err());
    }

    #[test]
    fn renders_list_objects_v2() {
        let v = json!({"Name": "b", "Prefix": "AWSLogs/", "Delimiter": "/", "MaxKeys": 1000,
            "KeyCount": 2, "IsTruncated": false,
            "Contents": [{"Key": "AWSLogs/x", "LastModified": 1704067200.0, "ETag": "\"e\"", "Size": 3, "StorageClass": "STANDARD"}],
            "CommonPrefixes": [{"Prefix": "AWSLogs/1/"}]});
        insta::assert_snapshot!(render_list_objects(&v));
    }

    #[test]
    fn errors_name_the_bucket_and_head_errors_have_no_body() {
        let e = AwsError::new("NoSuchBucket", "The specified bucket does not exist", 404);
        let r = error_reply(&e, "rid", Some("b"), false);
        let body = String::from_utf8(r.body).unwrap();
        assert!(body.contains("<Code>NoSuchBucket</Code>"), "{body}");
        assert!(body.contains("<BucketName>b</BucketName>"), "{body}");
        assert_eq!(r.status, 404);
        assert!(error_reply(&e, "rid", Some("b"), true).body.is_empty());
    }
}
