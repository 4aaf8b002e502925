//! AWS Signature Version 4: parsing the `Authorization` header (or the presigned-URL query
//! parameters), rebuilding the canonical request exactly as the SDKs do, and comparing
//! signatures. HMAC-SHA256 is built on `sha2` (RFC 2104), so no extra crate is needed.
//!
//! What the server checks, in AWS's order: is the request signed at all
//! (`MissingAuthenticationToken`), is the access key known (`UnrecognizedClientException`
//! and friends, decided by the caller of [`parse`]), is the request time within 15 minutes
//! of real time (`Signature expired` / `RequestTimeTooSkewed`), does the payload hash match
//! (`XAmzContentSHA256Mismatch`), and does the signature match.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use sha2::{Digest, Sha256};

pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// The allowed difference between the request time and the server's real time.
pub const MAX_SKEW_SECONDS: i64 = 15 * 60;
/// Presigned URLs may be valid for at most 7 days.
pub const MAX_PRESIGN_EXPIRES: i64 = 604_800;

/// HMAC-SHA256 (RFC 2104).
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut ipad = [0x36u8; BLOCK];
    let mut opad = [0x5cu8; BLOCK];
    for i in 0..BLOCK {
        ipad[i] ^= k[i];
        opad[i] ^= k[i];
    }
    let inner = Sha256::new()
        .chain_update(ipad)
        .chain_update(data)
        .finalize();
    Sha256::new()
        .chain_update(opad)
        .chain_update(inner)
        .finalize()
        .into()
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// The signing key for a date (`YYYYMMDD`), region and service.
pub fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let k_date = hmac_sha256(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let k_region = hmac_sha256(&k_date, region.as_bytes());
    let k_service = hmac_sha256(&k_region, service.as_bytes());
    hmac_sha256(&k_service, b"aws4_request")
}

/// Where the signature came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    Header,
    /// A presigned URL (`X-Amz-Signature` in the query).
    Query,
}

/// The parts of a SigV4 signature a request carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub access_key_id: String,
    /// `YYYYMMDD` of the credential scope.
    pub date: String,
    pub region: String,
    pub service: String,
    /// Lower-case header names, in the order given (`host;x-amz-date`).
    pub signed_headers: Vec<String>,
    pub signature: String,
    /// `X-Amz-Date` (`YYYYMMDDTHHMMSSZ`).
    pub amz_date: String,
    pub session_token: Option<String>,
    pub placement: Placement,
    /// Presigned URLs: `X-Amz-Expires` seconds.
    pub expires: Option<i64>,
}

impl Signature {
    pub fn scope(&self) -> String {
        format!(
            "{}/{}/{}/aws4_request",
            self.date, self.region, self.service
        )
    }
}

/// Why a request's signature could not even be parsed or checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SigError {
    /// No `Authorization` header and no presigned query.
    Missing,
    /// The header is there but malformed (`IncompleteSignature`).
    Incomplete(String),
    /// A signature with an algorithm other than SigV4 (`InvalidSignatureException` /
    /// `SignatureDoesNotMatch`; SigV2 is not accepted).
    UnsupportedAlgorithm(String),
}

/// The request as the signature sees it.
pub struct SignedRequest<'a> {
    pub method: &'a str,
    /// The path as sent (percent-encoded).
    pub raw_path: &'a str,
    /// The query string as sent (without `?`).
    pub raw_query: &'a str,
    /// Header name (any case) and value; a name may repeat.
    pub headers: &'a [(String, String)],
}

impl SignedRequest<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Decodes `%XX` and (for forms) `+`.
pub fn percent_decode(s: &str, plus_is_space: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                // `get` is None past the end or inside a multi-byte character.
                let hexpair = s
                    .get(i + 1..i + 3)
                    .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()))
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hexpair {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// RFC 3986 encoding as SigV4 wants it: everything but `A-Za-z0-9-_.~` (and `/` when
/// `keep_slash`) as `%XX` upper-case.
pub fn uri_encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for &b in s.as_bytes() {
        let unreserved = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~');
        if unreserved || (keep_slash && b == b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Query parameters, decoded, in the order given.
pub fn query_pairs(raw_query: &str) -> Vec<(String, String)> {
    raw_query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k, true), percent_decode(v, true))
        })
        .collect()
}

/// Reads the signature from the `Authorization` header or the presigned query.
pub fn parse(req: &SignedRequest<'_>) -> Result<Signature, SigError> {
    if let Some(auth) = req.header("authorization") {
        return parse_header(req, auth);
    }
    let q = query_pairs(req.raw_query);
    let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    match get("X-Amz-Algorithm") {
        None => Err(SigError::Missing),
        Some(alg) if alg != ALGORITHM => Err(SigError::UnsupportedAlgorithm(alg)),
        Some(_) => {
            let need = |k: &str| {
                get(k).ok_or_else(|| {
                    SigError::Incomplete(format!(
                        "Query-string authentication requires the {k} parameter"
                    ))
                })
            };
            let credential = need("X-Amz-Credential")?;
            let (access_key_id, date, region, service) = parse_credential(&credential)?;
            let expires = need("X-Amz-Expires")?.parse::<i64>().map_err(|_| {
                SigError::Incomplete("X-Amz-Expires must be a number of seconds".into())
            })?;
            Ok(Signature {
                access_key_id,
                date,
                region,
                service,
                signed_headers: need("X-Amz-SignedHeaders")?
                    .split(';')
                    .map(|h| h.to_ascii_lowercase())
                    .collect(),
                signature: need("X-Amz-Signature")?,
                amz_date: need("X-Amz-Date")?,
                session_token: get("X-Amz-Security-Token"),
                placement: Placement::Query,
                expires: Some(expires),
            })
        }
    }
}

fn parse_credential(c: &str) -> Result<(String, String, String, String), SigError> {
    let parts: Vec<&str> = c.split('/').collect();
    match parts.as_slice() {
        [key, date, region, service, "aws4_request"] if !key.is_empty() => Ok((
            key.to_string(),
            date.to_string(),
            region.to_string(),
            service.to_string(),
        )),
        _ => Err(SigError::Incomplete(format!(
            "Credential should be scoped to a valid region, not '{}'. ",
            parts.get(2).copied().unwrap_or_default()
        ))),
    }
}

fn parse_header(req: &SignedRequest<'_>, auth: &str) -> Result<Signature, SigError> {
    let auth = auth.trim();
    let (alg, rest) = auth.split_once(' ').unwrap_or((auth, ""));
    if alg != ALGORITHM {
        return Err(SigError::UnsupportedAlgorithm(alg.to_string()));
    }
    let mut credential = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(',') {
        let part = part.trim();
        if let Some((k, v)) = part.split_once('=') {
            match k.trim() {
                "Credential" => credential = Some(v.trim()),
                "SignedHeaders" => signed = Some(v.trim()),
                "Signature" => signature = Some(v.trim()),
                _ => {}
            }
        }
    }
    let missing = |what: &str| {
        SigError::Incomplete(format!(
            "Authorization header requires '{what}' parameter. Authorization={auth}"
        ))
    };
    let credential = credential.ok_or_else(|| missing("Credential"))?;
    let signed = signed.ok_or_else(|| missing("SignedHeaders"))?;
    let signature = signature.ok_or_else(|| missing("Signature"))?;
    let (access_key_id, date, region, service) = parse_credential(credential)?;
    let amz_date = req
        .header("x-amz-date")
        .map(str::to_string)
        .or_else(|| req.header("date").and_then(http_date_to_amz))
        .ok_or_else(|| {
            SigError::Incomplete(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
                    .into(),
            )
        })?;
    Ok(Signature {
        access_key_id,
        date,
        region,
        service,
        signed_headers: signed.split(';').map(|h| h.to_ascii_lowercase()).collect(),
        signature: signature.to_string(),
        amz_date,
        session_token: req.header("x-amz-security-token").map(str::to_string),
        placement: Placement::Header,
        expires: None,
    })
}

fn http_date_to_amz(d: &str) -> Option<String> {
    DateTime::parse_from_rfc2822(d)
        .ok()
        .map(|t| t.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ").to_string())
}

/// `YYYYMMDDTHHMMSSZ` -> time.
pub fn parse_amz_date(s: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(s, "%Y%m%dT%H%M%SZ")
        .ok()
        .map(|n| Utc.from_utc_datetime(&n))
}

/// Collapses runs of spaces and trims, as the canonical header value wants.
fn canonical_header_value(v: &str) -> String {
    v.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The canonical request (the SigV4 spec's six lines). `s3` selects S3's rules: the path
/// is used as sent, not normalised or encoded again.
pub fn canonical_request(
    req: &SignedRequest<'_>,
    sig: &Signature,
    payload_hash: &str,
    s3: bool,
) -> String {
    let path = if req.raw_path.is_empty() {
        "/"
    } else {
        req.raw_path
    };
    let canonical_uri = if s3 {
        // Re-encode from the decoded form so that clients which leave e.g. `:` or `=`
        // unencoded still match (the SDKs encode everything but unreserved and `/`).
        uri_encode(&percent_decode(path, false), true)
    } else {
        uri_encode(&normalize_path(path), true)
    };
    let mut pairs: Vec<(String, String)> = query_pairs(req.raw_query)
        .into_iter()
        .filter(|(k, _)| !(sig.placement == Placement::Query && k == "X-Amz-Signature"))
        .map(|(k, v)| (uri_encode(&k, false), uri_encode(&v, false)))
        .collect();
    pairs.sort();
    let canonical_query = pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let mut canonical_headers = String::new();
    for name in &sig.signed_headers {
        let values: Vec<String> = req
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| canonical_header_value(v))
            .collect();
        canonical_headers.push_str(name);
        canonical_headers.push(':');
        canonical_headers.push_str(&values.join(","));
        canonical_headers.push('\n');
    }
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        req.method,
        canonical_uri,
        canonical_query,
        canonical_headers,
        sig.signed_headers.join(";"),
        payload_hash
    )
}

/// Non-S3 paths: decoded once, with `.` and `..` segments and duplicate slashes removed.
fn normalize_path(raw: &str) -> String {
    let decoded = percent_decode(raw, false);
    let mut segs: Vec<&str> = Vec::new();
    for s in decoded.split('/') {
        match s {
            "" | "." => {}
            ".." => {
                segs.pop();
            }
            s => segs.push(s),
        }
    }
    let mut out = format!("/{}", segs.join("/"));
    if decoded.ends_with('/') && out.len() > 1 {
        out.push('/');
    }
    // The SDKs encode each segment once before signing, so the canonical URI is the
    // encoded path encoded again.
    uri_encode(&out, true)
}

/// The string to sign for a canonical request.
pub fn string_to_sign(sig: &Signature, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{}\n{}\n{}",
        sig.amz_date,
        sig.scope(),
        sha256_hex(canonical_request.as_bytes())
    )
}

/// The signature a secret yields for a string to sign.
pub fn compute(secret: &str, sig: &Signature, string_to_sign: &str) -> String {
    let key = signing_key(secret, &sig.date, &sig.region, &sig.service);
    hex::encode(hmac_sha256(&key, string_to_sign.as_bytes()))
}

/// Compares in constant time (no early exit on the first differing byte).
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// How the request time relates to real time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeCheck {
    Ok,
    /// `X-Amz-Date` could not be read.
    Malformed,
    /// More than 15 minutes from real time (header signatures).
    Skewed {
        request: DateTime<Utc>,
    },
    /// A presigned URL past its `X-Amz-Expires`.
    Expired {
        expired_at: DateTime<Utc>,
    },
}

/// Checks the request time against `now` (real time, not the simulator's clock: clients sign
/// with their own clock).
pub fn check_time(sig: &Signature, now: DateTime<Utc>) -> TimeCheck {
    let Some(t) = parse_amz_date(&sig.amz_date) else {
        return TimeCheck::Malformed;
    };
    if !sig.amz_date.starts_with(&sig.date) {
        return TimeCheck::Malformed;
    }
    match sig.placement {
        Placement::Header => {
            if (now - t).num_seconds().abs() > MAX_SKEW_SECONDS {
                TimeCheck::Skewed { request: t }
            } else {
                TimeCheck::Ok
            }
        }
        Placement::Query => {
            let expires = sig.expires.unwrap_or(0).clamp(0, MAX_PRESIGN_EXPIRES);
            let end = t + chrono::Duration::seconds(expires);
            if now > end {
                TimeCheck::Expired { expired_at: end }
            } else if (t - now).num_seconds() > MAX_SKEW_SECONDS {
                TimeCheck::Skewed { request: t }
            } else {
                TimeCheck::Ok
            }
        }
    }
}

/// Signs a request (the client side, used through [`sign_json_call`] by the provider's HTTP
/// mode and the load benchmark). Every header in `headers` is signed. Returns the headers
/// to add, in order: `x-amz-date`, `x-amz-content-sha256` (service `s3`),
/// `x-amz-security-token` (when `session_token` is given; signed too), `authorization`.
#[allow(clippy::too_many_arguments)]
pub fn sign(
    method: &str,
    raw_path: &str,
    raw_query: &str,
    headers: &[(String, String)],
    body: &[u8],
    access_key_id: &str,
    secret: &str,
    session_token: Option<&str>,
    region: &str,
    service: &str,
    now: DateTime<Utc>,
) -> Vec<(String, String)> {
    let amz_date = now.format("%Y%m%dT%H%M%SZ").to_string();
    let payload_hash = sha256_hex(body);
    let mut all: Vec<(String, String)> = headers.to_vec();
    let mut added = vec![("x-amz-date".to_string(), amz_date.clone())];
    if service == "s3" {
        added.push(("x-amz-content-sha256".to_string(), payload_hash.clone()));
    }
    if let Some(t) = session_token {
        added.push(("x-amz-security-token".to_string(), t.to_string()));
    }
    all.extend(added.iter().cloned());
    let mut names: Vec<String> = all.iter().map(|(k, _)| k.to_ascii_lowercase()).collect();
    names.sort();
    names.dedup();
    let sig = Signature {
        access_key_id: access_key_id.to_string(),
        date: amz_date[..8].to_string(),
        region: region.to_string(),
        service: service.to_string(),
        signed_headers: names,
        signature: String::new(),
        amz_date,
        session_token: session_token.map(str::to_string),
        placement: Placement::Header,
        expires: None,
    };
    let req = SignedRequest {
        method,
        raw_path,
        raw_query,
        headers: &all,
    };
    let creq = canonical_request(&req, &sig, &payload_hash, service == "s3");
    let signature = compute(secret, &sig, &string_to_sign(&sig, &creq));
    added.push((
        "authorization".to_string(),
        format!(
            "{ALGORITHM} Credential={}/{}, SignedHeaders={}, Signature={signature}",
            access_key_id,
            sig.scope(),
            sig.signed_headers.join(";")
        ),
    ));
    added
}

/// An AWS JSON 1.1 call (`POST /`) to sign with [`sign_json_call`].
#[derive(Debug, Clone)]
pub struct JsonCall<'a> {
    /// The `host` header: the endpoint's authority, e.g. `127.0.0.1:4566`.
    pub host: &'a str,
    /// The `X-Amz-Target`, e.g. `Logs_20140328.CreateLogGroup`.
    pub target: &'a str,
    /// A `user-agent` header to send (and sign).
    pub user_agent: Option<&'a str>,
    pub region: &'a str,
    /// The signing name, e.g. `logs`.
    pub service: &'a str,
    pub access_key_id: &'a str,
    pub secret: &'a str,
    /// The session token of temporary credentials, sent (and signed) as
    /// `x-amz-security-token`.
    pub session_token: Option<&'a str>,
}

impl<'a> JsonCall<'a> {
    /// A call to `ctsim serve` in us-east-1 with the default `test`/`test` keys, without a
    /// `user-agent`.
    pub fn local(host: &'a str, service: &'a str, target: &'a str) -> Self {
        JsonCall {
            host,
            target,
            user_agent: None,
            region: "us-east-1",
            service,
            access_key_id: super::credentials::DEFAULT_ACCESS_KEY_ID,
            secret: super::credentials::DEFAULT_SECRET,
            session_token: None,
        }
    }
}

/// Signs `call` with `body` at `now`. Returns every header to send, in order: `host`,
/// `content-type` (`application/x-amz-json-1.1`), `x-amz-target`, `user-agent` (when
/// given), then what [`sign`] adds: `x-amz-date`, `x-amz-content-sha256` (service `s3`),
/// `x-amz-security-token` (when `session_token` is given), `authorization`. Every header
/// but `authorization` is signed.
pub fn sign_json_call(
    call: &JsonCall<'_>,
    body: &[u8],
    now: DateTime<Utc>,
) -> Vec<(String, String)> {
    let mut headers = vec![
        ("host".to_string(), call.host.to_string()),
        (
            "content-type".to_string(),
            super::json11::CONTENT_TYPE.to_string(),
        ),
        ("x-amz-target".to_string(), call.target.to_string()),
    ];
    if let Some(agent) = call.user_agent {
        headers.push(("user-agent".to_string(), agent.to_string()));
    }
    let added = sign(
        "POST",
        "/",
        "",
        &headers,
        body,
        call.access_key_id,
        call.secret,
        call.session_token,
        call.region,
        call.service,
        now,
    );
    headers.extend(added);
    headers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc4231_test_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn hmac_hashes_long_keys_first() {
        // RFC 4231 test case 6: a 131-byte key.
        let key = [0xaau8; 131];
        let mac = hmac_sha256(
            &key,
            b"Test Using Larger Than Block-Size Key - Hash Key First",
        );
        assert_eq!(
            hex::encode(mac),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    /// Runs a GET `/` case of the AWS SigV4 test suite (service `service`, region
    /// `us-east-1`, the documented example secret) signed with `signature`; returns the
    /// parsed signature, the canonical request and the signature computed from it.
    fn suite_get_case(raw_query: &str, signature: &str) -> (Signature, String, String) {
        let headers = vec![
            ("Host".to_string(), "example.amazonaws.com".to_string()),
            ("X-Amz-Date".to_string(), "20150830T123600Z".to_string()),
            (
                "Authorization".to_string(),
                format!(
                    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature={signature}"
                ),
            ),
        ];
        let req = SignedRequest {
            method: "GET",
            raw_path: "/",
            raw_query,
            headers: &headers,
        };
        let sig = parse(&req).unwrap();
        let creq = canonical_request(&req, &sig, &sha256_hex(b""), false);
        let computed = compute(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            &sig,
            &string_to_sign(&sig, &creq),
        );
        (sig, creq, computed)
    }

    /// The suite's `get-vanilla` case.
    #[test]
    fn reproduces_the_aws_get_vanilla_signature() {
        let (sig, _, computed) = suite_get_case(
            "",
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        );
        assert_eq!(sig.access_key_id, "AKIDEXAMPLE");
        assert_eq!(sig.service, "service");
        assert_eq!(computed, sig.signature);
    }

    /// The `get-vanilla-query-order-key-case` case: parameters are sorted.
    #[test]
    fn sorts_query_parameters() {
        let (sig, creq, computed) = suite_get_case(
            "Param2=value2&Param1=value1",
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
        );
        assert!(creq.contains("\nParam1=value1&Param2=value2\n"), "{creq}");
        assert_eq!(computed, sig.signature);
    }

    fn signing_time() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap()
    }

    /// A CreateLogGroup call to `ctsim serve` with the default keys.
    fn logs_call() -> JsonCall<'static> {
        JsonCall::local("127.0.0.1:4566", "logs", "Logs_20140328.CreateLogGroup")
    }

    fn header_names(headers: &[(String, String)]) -> Vec<&str> {
        headers.iter().map(|(k, _)| k.as_str()).collect()
    }

    /// Checks a signed `POST /` with `headers` as the server does: returns the parsed
    /// signature, the canonical request, and whether `payload` and `secret` reproduce the
    /// signature.
    fn verify_post(
        headers: &[(String, String)],
        payload: &[u8],
        secret: &str,
    ) -> (Signature, String, bool) {
        let req = SignedRequest {
            method: "POST",
            raw_path: "/",
            raw_query: "",
            headers,
        };
        let sig = parse(&req).unwrap();
        let creq = canonical_request(&req, &sig, &sha256_hex(payload), false);
        let computed = compute(secret, &sig, &string_to_sign(&sig, &creq));
        let verified = constant_time_eq(&computed, &sig.signature);
        (sig, creq, verified)
    }

    #[test]
    fn a_json_call_sends_its_headers_in_order_and_signs_them_all() {
        let now = signing_time();
        let call = JsonCall {
            user_agent: Some("ua/1"),
            ..logs_call()
        };
        let headers = sign_json_call(&call, b"{}", now);
        let names = header_names(&headers);
        let sent = ["host", "content-type", "x-amz-target", "user-agent"];
        assert_eq!(names[..4], sent);
        assert_eq!(names[4..], ["x-amz-date", "authorization"]);
        assert_eq!(headers[1].1, "application/x-amz-json-1.1");
        let signed = sign(
            "POST",
            "/",
            "",
            &headers[..4],
            b"{}",
            "test",
            "test",
            None,
            "us-east-1",
            "logs",
            now,
        );
        assert_eq!(headers[4..], signed[..]);
        let auth = &headers[5].1;
        assert!(
            auth.contains("SignedHeaders=content-type;host;user-agent;x-amz-date;x-amz-target,"),
            "{auth}"
        );
    }

    #[test]
    fn a_json_call_with_a_session_token_sends_and_signs_it() {
        let call = JsonCall {
            session_token: Some("tok/en+1"),
            ..logs_call()
        };
        let body = b"{}";
        let headers = sign_json_call(&call, body, signing_time());
        assert_eq!(
            header_names(&headers),
            [
                "host",
                "content-type",
                "x-amz-target",
                "x-amz-date",
                "x-amz-security-token",
                "authorization"
            ]
        );
        assert_eq!(headers[4].1, "tok/en+1");
        let auth = &headers[5].1;
        assert!(
            auth.contains(
                "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,"
            ),
            "{auth}"
        );
        // The server's side verifies it, and reads the token back.
        let (sig, creq, verified) = verify_post(&headers, body, "test");
        assert!(verified);
        assert_eq!(sig.session_token.as_deref(), Some("tok/en+1"));
        assert!(creq.contains("\nx-amz-security-token:tok/en+1\n"), "{creq}");
        // Without the token the signature differs.
        let plain = sign_json_call(&logs_call(), body, signing_time());
        assert_ne!(plain.last(), headers.last());
    }

    #[test]
    fn sign_then_verify_round_trips_and_detects_tampering() {
        let now = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        let base = vec![
            ("host".to_string(), "127.0.0.1:4566".to_string()),
            (
                "content-type".to_string(),
                "application/x-amz-json-1.1".to_string(),
            ),
        ];
        let body = br#"{"trailNameList":[]}"#;
        let added = sign(
            "POST",
            "/",
            "",
            &base,
            body,
            "test",
            "test",
            None,
            "us-east-1",
            "cloudtrail",
            now,
        );
        let mut headers = base.clone();
        headers.extend(added);
        let (sig, _, verified) = verify_post(&headers, body, "test");
        assert!(verified);
        assert_eq!(check_time(&sig, now), TimeCheck::Ok);
        let ok = |payload: &[u8], secret: &str| verify_post(&headers, payload, secret).2;
        assert!(!ok(b"{}", "test"), "a changed body must not verify");
        assert!(!ok(body, "other"), "another secret must not verify");
        let later = now + chrono::Duration::minutes(16);
        assert!(matches!(check_time(&sig, later), TimeCheck::Skewed { .. }));
    }

    #[test]
    fn unsigned_and_malformed_requests_are_told_apart() {
        let none: Vec<(String, String)> = vec![];
        let req = SignedRequest {
            method: "GET",
            raw_path: "/",
            raw_query: "",
            headers: &none,
        };
        assert_eq!(parse(&req), Err(SigError::Missing));
        let bad = vec![(
            "Authorization".to_string(),
            "AWS4-HMAC-SHA256 Credential=x".to_string(),
        )];
        let req = SignedRequest {
            headers: &bad,
            ..req
        };
        assert!(matches!(parse(&req), Err(SigError::Incomplete(_))));
        let v2 = vec![("Authorization".to_string(), "AWS AKID:sig".to_string())];
        let req = SignedRequest {
            headers: &v2,
            ..req
        };
        assert!(matches!(
            parse(&req),
            Err(SigError::UnsupportedAlgorithm(_))
        ));
    }

    #[test]
    fn percent_decoding_is_total() {
        assert_eq!(percent_decode("a%2Fb+c", true), "a/b c");
        assert_eq!(percent_decode("a%2", false), "a%2");
        assert_eq!(percent_decode("%zz%", false), "%zz%");
        assert_eq!(uri_encode("a b/c~", true), "a%20b/c~");
    }
}
