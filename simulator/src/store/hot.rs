//! The store's hot state, cached per process: settings, the clock and the id counters are
//! read or bumped by every call, and reading them from SQLite each time cost more than the
//! call itself. The cache lives beside the connection and is checked against SQLite's
//! `PRAGMA data_version` (the store's generation number) at the start of every transaction:
//! it changes exactly when another connection (another process on the same state folder)
//! has committed, and then everything cached is dropped and read again. Counters are bumped
//! in memory and written back once, just before the transaction commits; a rollback (of the
//! transaction or of a savepoint) puts the cached values back as they were.
//!
//! Beside them, a memo of derived read models (a service's view of its trails, say): valid
//! as long as no row other than the event history and the counters has changed, which the
//! connection's `total_changes` tells without any bookkeeping in the services.

use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;

use rusqlite::{Connection, params};

use crate::clock::{self, Clock};

use super::Result;

/// What one connection holds in memory between transactions.
#[derive(Debug, Default, Clone)]
pub(crate) struct Hot {
    /// `PRAGMA data_version` when the cache was last known to match the database.
    data_version: Option<i64>,
    /// Every stored setting, once read (only defaults apply to the others).
    settings: Option<HashMap<String, String>>,
    clock: Option<Clock>,
    counters: HashMap<String, Counter>,
    /// Snapshots taken at each open savepoint, innermost last.
    savepoints: Vec<Snapshot>,
    memo: HashMap<String, Arc<dyn Any + Send + Sync>>,
    /// Rows changed by event appends and counter write-backs, which leave the memo valid.
    bookkeeping_changes: u64,
    /// The other changes (`total_changes - bookkeeping_changes`) when the memo was valid.
    memo_at: u64,
}

/// A counter's value in memory and the value last written to (or read from) the table.
#[derive(Debug, Clone, Copy)]
struct Counter {
    value: i64,
    stored: i64,
}

/// What a rollback restores.
#[derive(Debug, Clone)]
pub(crate) struct Snapshot {
    settings: Option<HashMap<String, String>>,
    clock: Option<Clock>,
    counters: HashMap<String, Counter>,
}

impl Hot {
    /// Drops the cache if another connection has committed since it was filled. Must run
    /// inside a transaction, so that nobody commits between the check and the use.
    pub(crate) fn sync(&mut self, conn: &Connection) -> Result<()> {
        let version: i64 = conn
            .prepare_cached("PRAGMA data_version")?
            .query_row([], |r| r.get(0))?;
        if self.data_version != Some(version) {
            self.settings = None;
            self.clock = None;
            self.counters.clear();
            self.memo.clear();
            self.data_version = Some(version);
        }
        self.savepoints.clear();
        Ok(())
    }

    pub(crate) fn snapshot(&self) -> Snapshot {
        Snapshot {
            settings: self.settings.clone(),
            clock: self.clock,
            counters: self.counters.clone(),
        }
    }

    /// After a transaction's rollback. The memo goes too: it may hold what the transaction
    /// saw before undoing it.
    pub(crate) fn restore(&mut self, s: Snapshot) {
        self.settings = s.settings;
        self.clock = s.clock;
        self.counters = s.counters;
        self.memo.clear();
    }

    /// After a failed commit or a rollback whose effect on the cache is unknown.
    pub(crate) fn forget(&mut self) {
        *self = Hot::default();
    }

    // ---- memo ----

    /// Counts rows changed by bookkeeping (event appends) that must not invalidate the memo.
    pub(crate) fn bookkeeping(&mut self, rows: usize) {
        self.bookkeeping_changes += rows as u64;
    }

    /// The memoised value under `key`, if the memo is still valid and holds a `T` there.
    pub(crate) fn memo_get<T: Any + Send + Sync>(
        &mut self,
        conn: &Connection,
        key: &str,
    ) -> Option<Arc<T>> {
        let other = conn
            .total_changes()
            .saturating_sub(self.bookkeeping_changes);
        if other != self.memo_at {
            self.memo.clear();
            self.memo_at = other;
            return None;
        }
        self.memo.get(key).cloned()?.downcast::<T>().ok()
    }

    pub(crate) fn memo_put<T: Any + Send + Sync>(&mut self, key: &str, value: Arc<T>) {
        self.memo.insert(key.to_string(), value);
    }

    pub(crate) fn push_savepoint(&mut self) {
        let s = self.snapshot();
        self.savepoints.push(s);
    }

    pub(crate) fn release_savepoint(&mut self) {
        self.savepoints.pop();
    }

    pub(crate) fn rollback_savepoint(&mut self) {
        if let Some(s) = self.savepoints.pop() {
            self.restore(s);
        }
    }

    // ---- settings ----

    fn settings(&mut self, conn: &Connection) -> Result<&mut HashMap<String, String>> {
        let loaded = match self.settings.take() {
            Some(m) => m,
            None => {
                let mut st = conn.prepare_cached("SELECT key, value FROM settings")?;
                let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                rows.collect::<rusqlite::Result<HashMap<String, String>>>()?
            }
        };
        Ok(self.settings.insert(loaded))
    }

    pub(crate) fn setting(&mut self, conn: &Connection, key: &str) -> Result<Option<String>> {
        Ok(self.settings(conn)?.get(key).cloned())
    }

    pub(crate) fn set_setting(&mut self, conn: &Connection, key: &str, value: &str) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )?
        .execute(params![key, value])?;
        self.settings(conn)?
            .insert(key.to_string(), value.to_string());
        Ok(())
    }

    pub(crate) fn remove_setting(&mut self, conn: &Connection, key: &str) -> Result<()> {
        conn.prepare_cached("DELETE FROM settings WHERE key = ?1")?
            .execute([key])?;
        self.settings(conn)?.remove(key);
        Ok(())
    }

    // ---- clock ----

    pub(crate) fn clock(&mut self, conn: &Connection) -> Result<Clock> {
        if let Some(c) = self.clock {
            return Ok(c);
        }
        let row: Option<(String, Option<i64>)> = conn
            .prepare_cached("SELECT mode, fixed_ms FROM clock WHERE id = 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                other => Err(other),
            })?;
        let c = match row {
            Some((mode, Some(ms))) if mode == "fixed" => Clock::Fixed(clock::from_millis(ms)),
            _ => Clock::Real,
        };
        self.clock = Some(c);
        Ok(c)
    }

    pub(crate) fn set_clock(&mut self, conn: &Connection, c: Clock) -> Result<()> {
        let fixed = match c {
            Clock::Real => None,
            Clock::Fixed(t) => Some(clock::to_millis(t)),
        };
        conn.prepare_cached(
            "INSERT INTO clock (id, mode, fixed_ms) VALUES (1, ?1, ?2)
             ON CONFLICT (id) DO UPDATE SET mode = excluded.mode, fixed_ms = excluded.fixed_ms",
        )?
        .execute(params![c.mode(), fixed])?;
        self.clock = Some(c);
        Ok(())
    }

    // ---- counters ----

    /// Increments the named counter in memory and returns its new value (1 the first time).
    pub(crate) fn next_counter(&mut self, conn: &Connection, name: &str) -> Result<u64> {
        if let Some(c) = self.counters.get_mut(name) {
            c.value += 1;
            return Ok(c.value.max(0) as u64);
        }
        let stored: i64 = conn
            .prepare_cached("SELECT value FROM counters WHERE name = ?1")?
            .query_row([name], |r| r.get(0))
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(0),
                other => Err(other),
            })?;
        let value = stored + 1;
        self.counters
            .insert(name.to_string(), Counter { value, stored });
        Ok(value.max(0) as u64)
    }

    /// Writes the counters bumped in memory back to the table (inside the transaction,
    /// just before it commits).
    pub(crate) fn flush_counters(&mut self, conn: &Connection) -> Result<()> {
        for (name, c) in self
            .counters
            .iter_mut()
            .filter(|(_, c)| c.value != c.stored)
        {
            conn.prepare_cached(
                "INSERT INTO counters (name, value) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![name, c.value])?;
            c.stored = c.value;
            self.bookkeeping_changes += 1;
        }
        Ok(())
    }
}
