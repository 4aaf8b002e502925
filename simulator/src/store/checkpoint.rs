//! WAL checkpoints off the request path. SQLite normally copies the write-ahead log back into
//! the database inside whichever commit crosses the threshold, so one unlucky call (and every
//! call queued behind it) waits for the copy and its fsync. A long-running process instead
//! turns that off on its working connection and checkpoints from a thread of its own, on a
//! connection of its own, in PASSIVE mode: it never waits for or blocks writers and readers.

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;

use super::{DB_FILE, Result, Store};

/// The WAL file is cut back to this size after a checkpoint has caught up with it (it
/// otherwise keeps its largest size on disk).
const WAL_SIZE_LIMIT: i64 = 64 * 1024 * 1024;

/// A connection that only checkpoints.
pub struct Checkpointer {
    conn: Connection,
    page_size: i64,
}

/// What one checkpoint did, in WAL frames (pages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpointed {
    pub wal_frames: i64,
    pub copied_frames: i64,
    /// Bytes per frame (the database's page size).
    pub page_size: i64,
}

impl Checkpointed {
    /// True once the WAL holds [`WAL_SIZE_LIMIT`] or more: a checkpoint running alongside
    /// commits has not caught up with them for a while, and should be completed with them held
    /// back (see `pipeline::worker`).
    pub fn outgrown(&self) -> bool {
        self.wal_frames.saturating_mul(self.page_size) >= WAL_SIZE_LIMIT
    }
}

impl Checkpointer {
    /// Opens the state folder's database for checkpointing.
    pub fn open(dir: &Path) -> Result<Checkpointer> {
        let conn = Connection::open(dir.join(DB_FILE))?;
        conn.busy_timeout(Duration::from_secs(1))?;
        let page_size = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
        Ok(Checkpointer { conn, page_size })
    }

    /// Copies what it can of the WAL into the database without waiting for anyone.
    pub fn run(&self) -> Result<Checkpointed> {
        let (wal_frames, copied_frames) =
            self.conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                    Ok((r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
                })?;
        Ok(Checkpointed {
            wal_frames,
            copied_frames,
            page_size: self.page_size,
        })
    }
}

impl Store {
    /// Stops this connection's commits from checkpointing (a [`Checkpointer`] does it).
    pub fn leave_checkpoints_to_background(&self) -> Result<()> {
        self.conn.execute_batch(&format!(
            "PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = {WAL_SIZE_LIMIT};"
        ))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_background_checkpoint_copies_what_the_working_connection_wrote() {
        let dir = tempfile::tempdir().unwrap(); // test setup
        let mut store = Store::open(dir.path()).unwrap(); // test setup
        store.leave_checkpoints_to_background().unwrap();
        let cp = Checkpointer::open(dir.path()).unwrap(); // test setup
        cp.run().unwrap();
        for i in 0..50 {
            store
                .write(|db| db.set_setting("k", &i.to_string()))
                .unwrap();
        }
        let done = cp.run().unwrap();
        assert!(done.wal_frames > 0);
        assert_eq!(done.copied_frames, done.wal_frames);
    }

    #[test]
    fn a_wal_has_outgrown_its_limit_by_bytes_whatever_the_page_size() {
        let at = |wal_frames, page_size| Checkpointed {
            wal_frames,
            copied_frames: 0,
            page_size,
        };
        assert!(!at(4095, 16384).outgrown());
        assert!(at(4096, 16384).outgrown());
        assert!(!at(16383, 4096).outgrown());
        assert!(at(16384, 4096).outgrown());
        assert!(!at(i64::MAX, 0).outgrown());
        assert!(at(i64::MAX, 16384).outgrown(), "no overflow");
    }
}
