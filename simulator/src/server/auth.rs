//! Turning a request's SigV4 signature into the caller: which checks run, in which order,
//! and the error each protocol reports when one fails.

use chrono::Utc;

use super::credentials::Lookup;
use super::sigv4::{self, Placement, SigError, SignedRequest, TimeCheck};
use super::{Incoming, Protocol, Server};
use crate::context::CallerContext;
use crate::error::AwsError;

/// Why a request was not authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthFailure {
    Missing,
    Incomplete(String),
    UnsupportedAlgorithm(String),
    UnknownKey,
    ExpiredToken,
    /// Temporary credentials without (or with another) session token.
    BadToken,
    Skewed {
        request: String,
        now: String,
    },
    PresignExpired,
    MissingContentSha256,
    ContentSha256Mismatch {
        client: String,
        computed: String,
    },
    BadSignature,
}

const BAD_SIGNATURE: &str = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
const INVALID_TOKEN: &str = "The security token included in the request is invalid.";

impl AuthFailure {
    /// The error in the shape of `protocol`.
    pub fn to_error(&self, protocol: Protocol) -> AwsError {
        use AuthFailure::*;
        use Protocol::*;
        match (self, protocol) {
            (Missing, Json) => AwsError::new(
                "MissingAuthenticationTokenException",
                "Missing Authentication Token",
                400,
            ),
            (Missing, Query) => AwsError::new(
                "MissingAuthenticationToken",
                "Request is missing Authentication Token",
                403,
            ),
            (Missing, S3) => AwsError::new("AccessDenied", "Access Denied", 403),
            (Incomplete(m), Json) => AwsError::new("IncompleteSignatureException", m, 400),
            (Incomplete(m), Query) => AwsError::new("IncompleteSignature", m, 400),
            (Incomplete(m), S3) => AwsError::new("AuthorizationHeaderMalformed", m, 400),
            (UnsupportedAlgorithm(a), S3) => AwsError::new(
                "InvalidArgument",
                format!("Unsupported Authorization Type: {a}"),
                400,
            ),
            (UnsupportedAlgorithm(a), Json) => AwsError::new(
                "IncompleteSignatureException",
                format!("Unsupported signature algorithm {a}; only AWS4-HMAC-SHA256 is accepted."),
                400,
            ),
            (UnsupportedAlgorithm(a), Query) => AwsError::new(
                "IncompleteSignature",
                format!("Unsupported signature algorithm {a}; only AWS4-HMAC-SHA256 is accepted."),
                400,
            ),
            (UnknownKey, Json) => AwsError::new("UnrecognizedClientException", INVALID_TOKEN, 400),
            (UnknownKey, Query) => AwsError::new("InvalidClientTokenId", INVALID_TOKEN, 403),
            (UnknownKey, S3) => AwsError::new(
                "InvalidAccessKeyId",
                "The AWS Access Key Id you provided does not exist in our records.",
                403,
            ),
            (ExpiredToken, Json) => AwsError::new(
                "ExpiredTokenException",
                "The security token included in the request is expired",
                400,
            ),
            (ExpiredToken, Query) => AwsError::new(
                "ExpiredToken",
                "The security token included in the request is expired",
                403,
            ),
            (ExpiredToken, S3) => {
                AwsError::new("ExpiredToken", "The provided token has expired.", 400)
            }
            (BadToken, Json) => AwsError::new("UnrecognizedClientException", INVALID_TOKEN, 400),
            (BadToken, Query) => AwsError::new("InvalidClientTokenId", INVALID_TOKEN, 403),
            (BadToken, S3) => AwsError::new(
                "InvalidToken",
                "The provided token is malformed or otherwise invalid.",
                400,
            ),
            (Skewed { request, now }, Json) => AwsError::new(
                "InvalidSignatureException",
                format!("Signature expired: {request} is now earlier than {now} ({now} - 15 min.)"),
                400,
            ),
            (Skewed { request, now }, Query) => AwsError::new(
                "SignatureDoesNotMatch",
                format!("Signature expired: {request} is now earlier than {now} ({now} - 15 min.)"),
                403,
            ),
            (Skewed { .. }, S3) => AwsError::new(
                "RequestTimeTooSkewed",
                "The difference between the request time and the current time is too large.",
                403,
            ),
            (PresignExpired, S3) => AwsError::new("AccessDenied", "Request has expired", 403),
            (PresignExpired, Json) => {
                AwsError::new("InvalidSignatureException", "Signature expired", 400)
            }
            (PresignExpired, Query) => {
                AwsError::new("SignatureDoesNotMatch", "Signature expired", 403)
            }
            (MissingContentSha256, _) => AwsError::new(
                "InvalidRequest",
                "Missing required header for this request: x-amz-content-sha256",
                400,
            ),
            (ContentSha256Mismatch { .. }, _) => AwsError::new(
                "XAmzContentSHA256Mismatch",
                "The provided 'x-amz-content-sha256' header does not match what was computed.",
                400,
            ),
            (BadSignature, Json) => AwsError::new("InvalidSignatureException", BAD_SIGNATURE, 400),
            (BadSignature, Query) => AwsError::new("SignatureDoesNotMatch", BAD_SIGNATURE, 403),
            (BadSignature, S3) => AwsError::new(
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
                403,
            ),
        }
    }
}

/// Verifies the request's signature and returns the caller it belongs to, with
/// `sourceIPAddress` and `userAgent` from the request.
pub fn authenticate(
    server: &Server,
    req: &Incoming,
    protocol: Protocol,
) -> Result<CallerContext, AuthFailure> {
    let signed = SignedRequest {
        method: &req.method,
        raw_path: &req.raw_path,
        raw_query: &req.raw_query,
        headers: &req.headers,
    };
    let sig = sigv4::parse(&signed).map_err(|e| match e {
        SigError::Missing => AuthFailure::Missing,
        SigError::Incomplete(m) => AuthFailure::Incomplete(m),
        SigError::UnsupportedAlgorithm(a) => AuthFailure::UnsupportedAlgorithm(a),
    })?;
    let (secret, caller, token) =
        match server
            .credentials
            .lookup(&server.sim, &sig.access_key_id, &sig.region)
        {
            Lookup::Known {
                secret,
                caller,
                session_token,
            } => (secret, caller, session_token),
            Lookup::Expired => return Err(AuthFailure::ExpiredToken),
            Lookup::Unknown => return Err(AuthFailure::UnknownKey),
        };
    if let Some(expected) = &token
        && sig.session_token.as_deref() != Some(expected.as_str())
    {
        return Err(AuthFailure::BadToken);
    }
    let now = Utc::now();
    match sigv4::check_time(&sig, now) {
        TimeCheck::Ok => {}
        TimeCheck::Malformed => {
            return Err(AuthFailure::Incomplete(format!(
                "Date must be in ISO-8601 'basic format'. Got '{}'. See http://en.wikipedia.org/wiki/ISO_8601",
                sig.amz_date
            )));
        }
        TimeCheck::Skewed { .. } => {
            return Err(AuthFailure::Skewed {
                request: sig.amz_date.clone(),
                now: now.format("%Y%m%dT%H%M%SZ").to_string(),
            });
        }
        TimeCheck::Expired { .. } => return Err(AuthFailure::PresignExpired),
    }
    let payload_hash = match (protocol, sig.placement) {
        (Protocol::S3, Placement::Query) => sigv4::UNSIGNED_PAYLOAD.to_string(),
        (Protocol::S3, Placement::Header) => {
            let Some(h) = req.header("x-amz-content-sha256") else {
                return Err(AuthFailure::MissingContentSha256);
            };
            if h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()) {
                let computed = sigv4::sha256_hex(&req.body);
                if !h.eq_ignore_ascii_case(&computed) {
                    return Err(AuthFailure::ContentSha256Mismatch {
                        client: h.to_string(),
                        computed,
                    });
                }
            }
            // UNSIGNED-PAYLOAD and the STREAMING-* forms are signed as given.
            h.to_string()
        }
        _ => req
            .header("x-amz-content-sha256")
            .filter(|h| *h == sigv4::UNSIGNED_PAYLOAD)
            .map(str::to_string)
            .unwrap_or_else(|| sigv4::sha256_hex(&req.body)),
    };
    let creq = sigv4::canonical_request(&signed, &sig, &payload_hash, protocol == Protocol::S3);
    let expected = sigv4::compute(&secret, &sig, &sigv4::string_to_sign(&sig, &creq));
    if !sigv4::constant_time_eq(&expected, &sig.signature.to_ascii_lowercase()) {
        tracing::debug!(canonical_request = %creq, "signature mismatch");
        return Err(AuthFailure::BadSignature);
    }
    let mut caller = (*caller).with_source_ip(req.peer.to_string());
    if let Some(ua) = req.header("user-agent") {
        caller = caller.with_user_agent(ua);
    }
    Ok(caller)
}
