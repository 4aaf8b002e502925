//! S3 errors with AWS's codes, messages and HTTP statuses.

use crate::error::AwsError;

pub fn no_such_bucket() -> AwsError {
    AwsError::new("NoSuchBucket", "The specified bucket does not exist", 404)
}

pub fn no_such_key() -> AwsError {
    AwsError::new("NoSuchKey", "The specified key does not exist.", 404)
}

pub fn access_denied() -> AwsError {
    AwsError::new("AccessDenied", "Access Denied", 403)
}

/// A bucket addressed through another region's endpoint.
pub fn permanent_redirect(bucket: &str, region: &str) -> AwsError {
    AwsError::new(
        "PermanentRedirect",
        format!(
            "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint. (Endpoint: {bucket}.s3.{region}.amazonaws.com)"
        ),
        301,
    )
}

pub fn invalid_bucket_name() -> AwsError {
    AwsError::client("InvalidBucketName", "The specified bucket is not valid.")
}

pub fn malformed_xml() -> AwsError {
    AwsError::client(
        "MalformedXML",
        "The XML you provided was not well-formed or did not validate against our published schema",
    )
}

pub fn malformed_policy(message: impl Into<String>) -> AwsError {
    AwsError::client("MalformedPolicy", message)
}

pub fn invalid_argument(message: impl Into<String>) -> AwsError {
    AwsError::client("InvalidArgument", message)
}

pub fn invalid_request(message: impl Into<String>) -> AwsError {
    AwsError::client("InvalidRequest", message)
}

pub fn invalid_tag(message: impl Into<String>) -> AwsError {
    AwsError::client("InvalidTag", message)
}

pub fn not_found(code: &str, message: &str) -> AwsError {
    AwsError::new(code, message, 404)
}

/// HeadBucket/HeadObject answer without a body, so SDKs see only the status.
pub fn head_error(e: AwsError) -> AwsError {
    match e.http_status {
        404 => AwsError::new("NotFound", "Not Found", 404),
        403 => AwsError::new("Forbidden", "Forbidden", 403),
        301 => AwsError::new("MovedPermanently", "Moved Permanently", 301),
        _ => e,
    }
}
