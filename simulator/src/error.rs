//! Errors. [`AwsError`] is what every client sees: the AWS exception name, a message and
//! the HTTP status AWS would answer with. [`StoreError`] is internal (SQLite, JSON, files)
//! and is mapped to an AWS-style `InternalFailure` / `ServiceUnavailable` when surfaced.

use std::fmt;

/// An error as AWS reports it: `code` is the exception name (e.g. `TrailNotFoundException`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AwsError {
    pub code: String,
    pub message: String,
    pub http_status: u16,
}

impl AwsError {
    /// Any error with an explicit status.
    pub fn new(code: impl Into<String>, message: impl Into<String>, http_status: u16) -> Self {
        AwsError {
            code: code.into(),
            message: message.into(),
            http_status,
        }
    }

    /// A client error (HTTP 400), the common case.
    pub fn client(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(code, message, 400)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new("InternalFailure", message, 500)
    }

    pub fn service_unavailable(message: impl Into<String>) -> Self {
        Self::new("ServiceUnavailable", message, 503)
    }

    pub fn unknown_operation(service: &str, operation: &str) -> Self {
        Self::client(
            "UnknownOperationException",
            format!("Operation {operation} is not supported by service {service}."),
        )
    }

    pub fn serialization(message: impl Into<String>) -> Self {
        Self::client("SerializationException", message)
    }

    /// The AWS wording for a missing required member.
    pub fn missing_member(member: &str) -> Self {
        Self::client(
            "ValidationException",
            format!(
                "1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"
            ),
        )
    }

    /// True when this is a server-side failure rather than the caller's fault.
    pub fn is_server_fault(&self) -> bool {
        self.http_status >= 500
    }
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for AwsError {}

/// Failures of the store: never shown to clients as is.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    #[error("corrupt state: {0}")]
    Corrupt(String),
}

impl StoreError {
    fn is_busy(&self) -> bool {
        matches!(
            self,
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
                if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        )
    }
}

impl From<StoreError> for AwsError {
    fn from(e: StoreError) -> Self {
        if e.is_busy() {
            AwsError::service_unavailable(format!(
                "The simulator state is busy (another process holds the lock): {e}"
            ))
        } else {
            AwsError::internal(format!("Internal failure in the simulator store: {e}"))
        }
    }
}

impl From<rusqlite::Error> for AwsError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::from(e).into()
    }
}
