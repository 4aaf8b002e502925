//! WAL checkpoints off the request path. SQLite normally copies the write-ahead log back into
//! the database inside whichever commit crosses the threshold, so one unlucky call (and every
//! call queued behind it) waits for the copy and its fsync. A long-running process instead
//! turns that off on its working connection and checkpoints from a thread of its own, on a
//! connection of its own, in PASSIVE mode: it never waits for or blocks writers and readers.

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;

use super::{DB_FILE, Result, Store};

/// Once the WAL holds this much, a checkpoint running alongside the commits is completed
/// with them held back (see [`Checkpointed::outgrown`]).
const CATCH_UP_AT: i64 = 64 * 1024 * 1024;

/// The WAL file is cut back to this size when SQLite starts it over. SQLite truncates in the
/// commit that starts the WAL over, i.e. in the request path, and dropping the file's tail
/// from the page cache there cost more than any other step of a call (p99 17-52 ms under
/// `ctsim bench serve` when the limit was [`CATCH_UP_AT`]). A WAL kept at its size is
/// overwritten from the start, which is also cheaper than growing the file again. Under
/// sustained load the file stays at two or three times [`CATCH_UP_AT`]; SQLite deletes it
/// when the last connection closes.
const WAL_SIZE_LIMIT: i64 = 4 * CATCH_UP_AT;

/// A pass under the lock should copy at most about this much: passes alongside the commits
/// go on until what they leave is this small.
const HELD_PASS_BYTES: i64 = 2 * 1024 * 1024;

/// A connection that only checkpoints.
pub struct Checkpointer {
    conn: Connection,
    page_size: i64,
    /// The database file, for [`Checkpointer::sync_database_file`].
    db_file: std::fs::File,
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
    /// True once the WAL holds [`CATCH_UP_AT`] or more: a checkpoint running alongside
    /// commits has not caught up with them for a while, and should be completed with them held
    /// back (see `pipeline::worker`).
    pub fn outgrown(&self) -> bool {
        self.wal_frames.saturating_mul(self.page_size) >= CATCH_UP_AT
    }

    /// True when this pass, following `before`, copied so little that the frames committed
    /// while it ran (which only the next pass can copy) are few enough to copy with the
    /// commits held back. (A pass copies the frames present when it began; the count it
    /// reports is cumulative until the WAL starts over.)
    pub fn nearly_caught_up(&self, before: &Checkpointed) -> bool {
        self.copied_frames
            .saturating_sub(before.copied_frames)
            .saturating_mul(self.page_size)
            <= HELD_PASS_BYTES
    }
}

impl Checkpointer {
    /// Opens the state folder's database for checkpointing.
    pub fn open(dir: &Path) -> Result<Checkpointer> {
        let conn = Connection::open(dir.join(DB_FILE))?;
        conn.busy_timeout(Duration::from_secs(1))?;
        let page_size = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
        let db_file = std::fs::File::open(dir.join(DB_FILE))?;
        Ok(Checkpointer {
            conn,
            page_size,
            db_file,
        })
    }

    /// Flushes the pages that passes have copied into the database file to disk. A pass
    /// syncs the file only when it reaches the end of the WAL, which under sustained load
    /// only the pass with the commits held back does: without this, that pass's sync
    /// would write out everything every earlier pass copied (tens of MiB, 10-30 ms).
    pub fn sync_database_file(&self) -> Result<()> {
        self.db_file.sync_data()?;
        Ok(())
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

    #[test]
    fn a_pass_is_nearly_caught_up_when_it_copied_little_after_the_one_before() {
        let copied = |copied_frames| Checkpointed {
            wal_frames: 9000,
            copied_frames,
            page_size: 16384,
        };
        assert!(copied(5000).nearly_caught_up(&copied(5000)));
        assert!(copied(5128).nearly_caught_up(&copied(5000)), "2 MiB copied");
        assert!(!copied(5129).nearly_caught_up(&copied(5000)));
        assert!(
            !copied(i64::MAX).nearly_caught_up(&copied(0)),
            "no overflow"
        );
        assert!(
            copied(10).nearly_caught_up(&copied(5000)),
            "the WAL started over between the passes"
        );
    }
}
