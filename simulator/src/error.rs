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
        } else if StateProblem::of(&e.to_string()) == Some(StateProblem::DiskFull) {
            AwsError::internal(format!(
                "The disk holding the simulator's state folder is full ({e}): free some space \
                 and retry; this call changed nothing."
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

/// What is wrong with a state folder, told from an error's text (errors reach the command
/// line as text through several layers: the store, a service, the facade).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateProblem {
    /// The disk (or file system) holding the folder is full.
    DiskFull,
    /// The folder or its files cannot be written by this process.
    ReadOnly,
    /// `ctsim.db` is not a SQLite database, or is damaged or cut short.
    Damaged,
    /// The database was written by a newer ctsim.
    NewerSchema,
}

impl StateProblem {
    /// The problem an error's text shows, if it is one of these.
    pub fn of(text: &str) -> Option<StateProblem> {
        let t = text.to_ascii_lowercase();
        let any = |needles: &[&str]| needles.iter().any(|n| t.contains(n));
        if any(&[NEWER_SCHEMA]) {
            Some(StateProblem::NewerSchema)
        } else if any(&[
            "database or disk is full",
            "no space left on device",
            "os error 28",
            "disk quota exceeded",
        ]) {
            Some(StateProblem::DiskFull)
        } else if any(&[
            "readonly database",
            "read-only file system",
            "permission denied",
            "os error 13",
            "os error 30",
            "unable to open database file",
        ]) {
            Some(StateProblem::ReadOnly)
        } else if any(&[
            "file is not a database",
            "database disk image is malformed",
            "corrupt state",
        ]) {
            Some(StateProblem::Damaged)
        } else {
            None
        }
    }

    /// One paragraph for the person at the command line: the folder, what is wrong, what
    /// to do, and what is safe.
    pub fn advice(&self, dir: &std::path::Path) -> String {
        let dir = dir.display();
        match self {
            StateProblem::DiskFull => format!(
                "the disk holding the state folder {dir} is full. Free some space and run the \
                 command again: everything ctsim answered before is kept, a call that failed \
                 changed nothing, and generate, ingest and delivery resume where they stopped \
                 without duplicates."
            ),
            StateProblem::ReadOnly => format!(
                "the state folder {dir} cannot be written (ctsim writes ctsim.db and the \
                 ctsim.db-wal and ctsim.db-shm files beside it, and s3/ for delivered files). \
                 Make the folder and its files writable by this user, or set CTSIM_HOME (or \
                 --home) to a writable folder. ctsim changed nothing in it."
            ),
            StateProblem::Damaged => format!(
                "the database of the state folder {dir} (ctsim.db) is damaged or is not a ctsim \
                 database. Restore ctsim.db (with its ctsim.db-wal, if any) from a backup, or \
                 move the folder aside and let ctsim create a new one; files already delivered \
                 under {dir}/s3 are plain files and stay readable. ctsim changed nothing in it."
            ),
            StateProblem::NewerSchema => format!(
                "the state folder {dir} was written by a newer ctsim. Run that newer ctsim, or \
                 set CTSIM_HOME (or --home) to another state folder; this ctsim changed nothing \
                 in it."
            ),
        }
    }
}

/// Part of the store's message for a database from a newer ctsim (see [`StateProblem`]).
pub const NEWER_SCHEMA: &str = "is newer than this ctsim";

#[cfg(test)]
mod state_problem_tests {
    use super::*;

    #[test]
    fn store_and_file_errors_are_told_apart() {
        let cases = [
            ("sqlite: database or disk is full", StateProblem::DiskFull),
            (
                "cannot write /s/s3/b/k: No space left on device (os error 28)",
                StateProblem::DiskFull,
            ),
            (
                "sqlite: attempt to write a readonly database",
                StateProblem::ReadOnly,
            ),
            (
                "sqlite: unable to open database file",
                StateProblem::ReadOnly,
            ),
            ("Permission denied (os error 13)", StateProblem::ReadOnly),
            ("sqlite: file is not a database", StateProblem::Damaged),
            (
                "sqlite: database disk image is malformed",
                StateProblem::Damaged,
            ),
            (
                "corrupt state: state schema version 9 is newer than this ctsim (6); upgrade ctsim",
                StateProblem::NewerSchema,
            ),
        ];
        for (text, problem) in cases {
            assert_eq!(StateProblem::of(text), Some(problem), "{text}");
        }
        assert_eq!(StateProblem::of("TrailNotFoundException: no trail"), None);
    }

    #[test]
    fn advice_names_the_folder_and_what_to_do() {
        let dir = std::path::Path::new("/srv/state");
        for p in [
            StateProblem::DiskFull,
            StateProblem::ReadOnly,
            StateProblem::Damaged,
            StateProblem::NewerSchema,
        ] {
            let a = p.advice(dir);
            assert!(a.contains("/srv/state"), "{a}");
            assert!(
                a.contains("changed nothing") || a.contains("is kept"),
                "{a}"
            );
        }
    }
}
