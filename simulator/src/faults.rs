//! Fault injection for the reliability tests (docs/reliability.md, "Faults"): two hidden
//! environment variables, read once per process, that make the store and the file layer
//! fail as a full disk makes them fail. Unset (always, outside the tests) they cost one
//! relaxed atomic load per file written.
//!
//! - `CTSIM_FAULT_DB_MAX_PAGES=N`: `ctsim.db` cannot grow past N pages (SQLite's
//!   `max_page_count`); a write that needs more fails with `SQLITE_FULL`, the error SQLite
//!   gives when the disk is full.
//! - `CTSIM_FAULT_FILES_FULL_AFTER_BYTES=N`: once this process has written N bytes of object
//!   files (S3 object bodies, delivered log and digest files), every further object write
//!   fails with `ENOSPC` ("No space left on device").
//!
//! A test cannot fill a real disk here: a small tmpfs or loop device needs mount rights the
//! CI container may not have, and filling the shared disk would hurt other work.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

pub const DB_MAX_PAGES_ENV: &str = "CTSIM_FAULT_DB_MAX_PAGES";
pub const FILES_FULL_AFTER_ENV: &str = "CTSIM_FAULT_FILES_FULL_AFTER_BYTES";

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// The page limit to give `ctsim.db`, when the fault is on.
pub fn db_max_pages() -> Option<u64> {
    static PAGES: OnceLock<Option<u64>> = OnceLock::new();
    *PAGES.get_or_init(|| env_u64(DB_MAX_PAGES_ENV))
}

fn files_budget() -> Option<u64> {
    static BUDGET: OnceLock<Option<u64>> = OnceLock::new();
    *BUDGET.get_or_init(|| env_u64(FILES_FULL_AFTER_ENV))
}

static FILE_BYTES: AtomicU64 = AtomicU64::new(0);

/// Accounts for `len` bytes about to be written to an object file: `ENOSPC` when the
/// injected budget is spent.
pub fn charge_file_write(len: usize) -> std::io::Result<()> {
    let Some(budget) = files_budget() else {
        return Ok(());
    };
    let before = FILE_BYTES.fetch_add(len as u64, Ordering::Relaxed);
    if before.saturating_add(len as u64) > budget {
        return Err(std::io::Error::from_raw_os_error(28)); // ENOSPC
    }
    Ok(())
}
