//! The store: one SQLite file (`ctsim.db`) in the state folder, WAL mode, a busy timeout so
//! several processes can share the folder, and ordered schema migrations. This module is the
//! one place that owns SQL; everything above it works with the row types defined here.

mod checkpoint;
mod hot;
mod insights;
pub mod lake;
mod migrations;
mod pipeline;
mod savepoint;

use std::cell::RefCell;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::clock::{self, Clock};
use crate::error::StoreError;
use crate::ids;

pub use checkpoint::{Checkpointed, Checkpointer};
pub use insights::{InsightCount, InsightScanEvent, MetricFilter, MetricQuery};
pub use lake::{EdsRow, LakeEvent, LakeTable, QueryRow};
pub use migrations::MIGRATIONS;
pub use savepoint::CallMark;

pub type Result<T> = std::result::Result<T, StoreError>;

/// Identifies one document: a resource of a service other than CloudTrail.
#[derive(Debug, Clone, Copy)]
pub struct DocKey<'k> {
    pub service: &'k str,
    pub kind: &'k str,
    pub account_id: &'k str,
    /// "" for global resources.
    pub region: &'k str,
    pub id: &'k str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoredDocument {
    pub account_id: String,
    pub region: String,
    pub id: String,
    pub body: serde_json::Value,
}

/// The file name of the database inside the state folder.
pub const DB_FILE: &str = "ctsim.db";

/// An open database connection and its cache of hot state ([`hot`]).
pub struct Store {
    conn: Connection,
    hot: RefCell<hot::Hot>,
}

impl Store {
    /// Opens (creating if needed) `dir/ctsim.db` and migrates it to the latest schema.
    pub fn open(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir)?;
        let conn = Connection::open(dir.join(DB_FILE))?;
        Self::configure(conn)
    }

    /// An in-memory store (tests, throw-away simulations).
    pub fn open_in_memory() -> Result<Store> {
        Self::configure(Connection::open_in_memory()?)
    }

    fn configure(conn: Connection) -> Result<Store> {
        conn.busy_timeout(Duration::from_secs(10))?;
        // 16 KiB pages (new databases only): CloudTrail records are 1-3 KB, and a 4 KiB page
        // holds one or two of them with the rest wasted.
        conn.execute_batch("PRAGMA page_size = 16384;")?;
        // WAL lets readers in other processes proceed while one writes.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")?;
        // Lake stores hold millions of rows: a 64 MiB page cache (the default is 2 MiB) keeps
        // bulk ingestion and scans from re-reading pages; ingested events touch the index of
        // foreign eventIDs at random places, and delivery reads back what was just written. No
        // memory-mapped reads: every page a scan touched stayed mapped, so a process that read
        // the event log once (Lake ingestion of 500,000 events) held the whole file resident
        // (932 MiB), while reads through the page cache measured no slower (bench lake, bench
        // delivery). Checkpoint every 32 MiB of WAL rather than 4 MiB: index pages that bulk
        // appends touch again and again are copied back to the database less often.
        conn.execute_batch(
            "PRAGMA cache_size = -65536; PRAGMA mmap_size = 0; PRAGMA wal_autocheckpoint = 8192;",
        )?;
        if let Some(pages) = crate::faults::db_max_pages() {
            // Injected "disk full" (crate::faults): the file cannot grow past this.
            conn.execute_batch(&format!("PRAGMA max_page_count = {pages};"))?;
        }
        // Every operation runs the same few dozen statements: parse each once per process.
        conn.set_prepared_statement_cache_capacity(128);
        let mut store = Store {
            conn,
            hot: RefCell::new(hot::Hot::default()),
        };
        store.migrate()?;
        Ok(store)
    }

    /// The schema version this database is at.
    pub fn schema_version(&self) -> Result<u32> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    fn migrate(&mut self) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: u32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if current as usize > MIGRATIONS.len() {
            return Err(StoreError::Corrupt(format!(
                "state schema version {current} {} ({}); upgrade ctsim",
                crate::error::NEWER_SCHEMA,
                MIGRATIONS.len()
            )));
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            let version = i + 1;
            tx.execute_batch(sql)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
                params![version as i64, clock::iso_seconds(chrono::Utc::now())],
            )?;
            tx.execute_batch(&format!("PRAGMA user_version = {version}"))?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Runs `f` in a write transaction (taken immediately, so concurrent writers queue on
    /// the busy timeout). Commits when `f` returns `Ok`, rolls back otherwise: a failed
    /// operation leaves no partial change, in the database or in the cache of hot state.
    pub fn write<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(Db<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.transaction("BEGIN IMMEDIATE", f)
    }

    /// Runs `f` in a read transaction (a consistent snapshot).
    pub fn read<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(Db<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.transaction("BEGIN DEFERRED", f)
    }

    /// One transaction: BEGIN, bring the hot state up to date, run `f`, write the counters
    /// back and COMMIT; on any failure (or a panic in `f`) ROLLBACK and restore the cache.
    fn transaction<T, E: From<StoreError>>(
        &mut self,
        begin: &str,
        f: impl FnOnce(Db<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let conn = &self.conn;
        let hot = &self.hot;
        conn.prepare_cached(begin)
            .and_then(|mut st| st.execute([]))
            .map_err(StoreError::from)?;
        let open = OpenTransaction {
            conn,
            hot,
            done: false,
        };
        hot.borrow_mut().sync(conn)?;
        let before = hot.borrow().snapshot();
        match f(Db { conn, hot }) {
            Ok(out) => {
                open.commit()?;
                Ok(out)
            }
            Err(e) => {
                hot.borrow_mut().restore(before);
                open.rollback();
                Err(e)
            }
        }
    }
}

/// A transaction begun by [`Store::transaction`]: rolled back when dropped unfinished (a
/// panic in the operation), with the cache forgotten since its state is then unknown.
struct OpenTransaction<'a> {
    conn: &'a Connection,
    hot: &'a RefCell<hot::Hot>,
    done: bool,
}

impl OpenTransaction<'_> {
    fn commit(mut self) -> Result<()> {
        self.done = true;
        let flushed = self.hot.borrow_mut().flush_counters(self.conn);
        let committed = flushed.and_then(|()| {
            self.conn
                .prepare_cached("COMMIT")
                .and_then(|mut st| st.execute([]))
                .map(|_| ())
                .map_err(StoreError::from)
        });
        if committed.is_err() {
            self.hot.borrow_mut().forget();
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        committed
    }

    fn rollback(mut self) {
        self.done = true;
        if self.conn.execute_batch("ROLLBACK").is_err() {
            self.hot.borrow_mut().forget();
        }
    }
}

impl Drop for OpenTransaction<'_> {
    fn drop(&mut self) {
        if !self.done {
            if let Ok(mut hot) = self.hot.try_borrow_mut() {
                hot.forget();
            }
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

/// A handle on the database inside a transaction. All SQL lives in its methods.
#[derive(Clone, Copy)]
pub struct Db<'a> {
    conn: &'a Connection,
    hot: &'a RefCell<hot::Hot>,
}

/// A stored trail: key columns plus its configuration as JSON (owned by the service).
#[derive(Debug, Clone, PartialEq)]
pub struct TrailRow {
    pub arn: String,
    pub account_id: String,
    pub region: String,
    pub name: String,
    pub multi_region: bool,
    pub config: String,
    pub created_ms: i64,
    pub updated_ms: i64,
}

/// A trail's logging status; `details` is JSON for delivery times and errors.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StatusRow {
    pub is_logging: bool,
    pub start_logging_ms: Option<i64>,
    pub stop_logging_ms: Option<i64>,
    pub details: String,
}

/// An event as log delivery reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryEvent {
    pub seq: i64,
    pub account_id: String,
    pub region: String,
    pub event_time_ms: i64,
    pub record: String,
}

/// A trail, its status and one of its documents (e.g. its delivery cursor).
#[derive(Debug, Clone, PartialEq)]
pub struct TrailWithStatus {
    pub trail: TrailRow,
    pub status: StatusRow,
    pub document: Option<String>,
}

/// Which selector form a trail uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelectorKind {
    Basic,
    Advanced,
}

impl SelectorKind {
    fn as_str(self) -> &'static str {
        match self {
            SelectorKind::Basic => "basic",
            SelectorKind::Advanced => "advanced",
        }
    }
}

/// One event to append to the history.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub event_id: String,
    pub account_id: String,
    pub region: String,
    pub event_time_ms: i64,
    pub event_name: String,
    pub event_source: String,
    pub event_category: String,
    pub username: Option<String>,
    pub read_only: bool,
    pub access_key_id: Option<String>,
    /// (resource type, resource name) pairs, for lookup.
    pub resources: Vec<(Option<String>, Option<String>)>,
    pub record: String,
}

/// An event read back from the history.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    pub seq: i64,
    pub event_id: String,
    pub event_time_ms: i64,
    pub event_name: String,
    pub event_source: String,
    pub username: Option<String>,
    pub read_only: bool,
    pub access_key_id: Option<String>,
    pub resources: Vec<(Option<String>, Option<String>)>,
    pub record: String,
}

/// The one attribute LookupEvents filters on.
#[derive(Debug, Clone, PartialEq)]
pub enum EventFilter {
    EventId(String),
    EventName(String),
    ReadOnly(bool),
    Username(String),
    ResourceType(String),
    ResourceName(String),
    EventSource(String),
    AccessKeyId(String),
}

/// A LookupEvents query: newest first, strictly after the cursor `(time, seq)` if given.
#[derive(Debug, Clone, PartialEq)]
pub struct EventQuery {
    pub account_id: String,
    pub region: String,
    pub start_ms: i64,
    pub end_ms: i64,
    pub filter: Option<EventFilter>,
    pub before: Option<(i64, i64)>,
    pub limit: u32,
    /// Insights events (EventCategory=insight) instead of management events.
    pub insights: bool,
}

/// The documents a `SELECT account_id, region, id, body FROM documents ...` returns.
fn stored_documents(
    st: &mut rusqlite::Statement<'_>,
    params: impl rusqlite::Params,
) -> Result<Vec<StoredDocument>> {
    let rows = st.query_map(params, |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (account_id, region, id, body) = row?;
        out.push(StoredDocument {
            account_id,
            region,
            id,
            body: serde_json::from_str(&body)?,
        });
    }
    Ok(out)
}

fn trail_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TrailRow> {
    Ok(TrailRow {
        arn: r.get(0)?,
        account_id: r.get(1)?,
        region: r.get(2)?,
        name: r.get(3)?,
        multi_region: r.get(4)?,
        config: r.get(5)?,
        created_ms: r.get(6)?,
        updated_ms: r.get(7)?,
    })
}

const TRAIL_COLUMNS: &str =
    "arn, account_id, region, name, multi_region, config, created_ms, updated_ms";

impl<'a> Db<'a> {
    /// `query_row` through the prepared-statement cache: the statements of every call are
    /// the same few dozen, and parsing them again was a fifth of a call's time.
    fn cached_row<T, P: rusqlite::Params>(
        &self,
        sql: &str,
        params: P,
        f: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        self.conn.prepare_cached(sql)?.query_row(params, f)
    }

    /// A read model derived from the store, computed by `f` once and then kept (per
    /// connection) until any row other than the event history changes, here or in another
    /// process. `key` must name everything the value depends on.
    pub fn memoized<T: std::any::Any + Send + Sync, E: From<StoreError>>(
        &self,
        key: &str,
        f: impl FnOnce() -> std::result::Result<T, E>,
    ) -> std::result::Result<std::sync::Arc<T>, E> {
        if let Some(v) = self.hot.borrow_mut().memo_get::<T>(self.conn, key) {
            return Ok(v);
        }
        let v = std::sync::Arc::new(f()?);
        self.hot.borrow_mut().memo_put(key, v.clone());
        Ok(v)
    }

    // ---- settings ----

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.hot.borrow_mut().setting(self.conn, key)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.hot.borrow_mut().set_setting(self.conn, key, value)
    }

    pub fn remove_setting(&self, key: &str) -> Result<()> {
        self.hot.borrow_mut().remove_setting(self.conn, key)
    }

    pub fn settings(&self) -> Result<Vec<(String, String)>> {
        let mut st = self
            .conn
            .prepare("SELECT key, value FROM settings ORDER BY key")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    // ---- clock ----

    pub fn clock(&self) -> Result<Clock> {
        self.hot.borrow_mut().clock(self.conn)
    }

    pub fn set_clock(&self, c: Clock) -> Result<()> {
        self.hot.borrow_mut().set_clock(self.conn, c)
    }

    // ---- counters ----

    /// Increments the named counter and returns its new value (1 for the first call).
    /// Kept in memory and written back when the transaction commits.
    pub fn next_counter(&self, name: &str) -> Result<u64> {
        self.hot.borrow_mut().next_counter(self.conn, name)
    }

    // ---- trails ----

    pub fn insert_trail(&self, t: &TrailRow) -> Result<()> {
        self.conn
            .prepare_cached(&format!(
                "INSERT INTO trails ({TRAIL_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
            ))?
            .execute(params![
                t.arn,
                t.account_id,
                t.region,
                t.name,
                t.multi_region,
                t.config,
                t.created_ms,
                t.updated_ms
            ])?;
        self.conn
            .prepare_cached("INSERT INTO trail_status (trail_arn, is_logging) VALUES (?1, 0)")?
            .execute([&t.arn])?;
        Ok(())
    }

    pub fn update_trail(
        &self,
        arn: &str,
        multi_region: bool,
        config: &str,
        updated_ms: i64,
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE trails SET multi_region = ?2, config = ?3, updated_ms = ?4 WHERE arn = ?1",
            )?
            .execute(params![arn, multi_region, config, updated_ms])?;
        Ok(())
    }

    /// Deletes the trail, its status, selectors and tags. Returns whether it existed.
    pub fn delete_trail(&self, arn: &str) -> Result<bool> {
        self.conn
            .execute("DELETE FROM tags WHERE resource_arn = ?1", [arn])?;
        let n = self
            .conn
            .execute("DELETE FROM trails WHERE arn = ?1", [arn])?;
        Ok(n > 0)
    }

    pub fn trail_by_arn(&self, arn: &str) -> Result<Option<TrailRow>> {
        Ok(self
            .cached_row(
                &format!("SELECT {TRAIL_COLUMNS} FROM trails WHERE arn = ?1"),
                [arn],
                trail_from_row,
            )
            .optional()?)
    }

    pub fn trail_by_name(
        &self,
        account_id: &str,
        region: &str,
        name: &str,
    ) -> Result<Option<TrailRow>> {
        Ok(self
            .cached_row(
                &format!(
                    "SELECT {TRAIL_COLUMNS} FROM trails WHERE account_id = ?1 AND region = ?2 AND name = ?3"
                ),
                params![account_id, region, name],
                trail_from_row,
            )
            .optional()?)
    }

    /// All trails of the account with this name, in any region (for shadow trails).
    pub fn trails_named(&self, account_id: &str, name: &str) -> Result<Vec<TrailRow>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {TRAIL_COLUMNS} FROM trails WHERE account_id = ?1 AND name = ?2 ORDER BY region, arn"
        ))?;
        let rows = st.query_map(params![account_id, name], trail_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every trail of every account, ordered by ARN (work that comes due, e.g. digests).
    pub fn all_trails(&self) -> Result<Vec<TrailRow>> {
        let mut st = self
            .conn
            .prepare_cached(&format!("SELECT {TRAIL_COLUMNS} FROM trails ORDER BY arn"))?;
        let rows = st.query_map([], trail_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// All trails of the account, ordered by ARN.
    pub fn trails(&self, account_id: &str) -> Result<Vec<TrailRow>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {TRAIL_COLUMNS} FROM trails WHERE account_id = ?1 ORDER BY arn"
        ))?;
        let rows = st.query_map([account_id], trail_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn count_trails(&self, account_id: &str, region: &str) -> Result<u64> {
        let n: i64 = self
            .conn
            .prepare_cached("SELECT COUNT(*) FROM trails WHERE account_id = ?1 AND region = ?2")?
            .query_row(params![account_id, region], |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }

    // ---- status ----

    pub fn status(&self, arn: &str) -> Result<StatusRow> {
        Ok(self
            .cached_row(
                "SELECT is_logging, start_logging_ms, stop_logging_ms, details
                 FROM trail_status WHERE trail_arn = ?1",
                [arn],
                |r| {
                    Ok(StatusRow {
                        is_logging: r.get(0)?,
                        start_logging_ms: r.get(1)?,
                        stop_logging_ms: r.get(2)?,
                        details: r.get(3)?,
                    })
                },
            )
            .optional()?
            .unwrap_or_else(|| StatusRow {
                details: "{}".into(),
                ..Default::default()
            }))
    }

    pub fn put_status(&self, arn: &str, s: &StatusRow) -> Result<()> {
        self.conn.prepare_cached(
            "INSERT INTO trail_status (trail_arn, is_logging, start_logging_ms, stop_logging_ms, details)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (trail_arn) DO UPDATE SET is_logging = excluded.is_logging,
                start_logging_ms = excluded.start_logging_ms,
                stop_logging_ms = excluded.stop_logging_ms,
                details = excluded.details")?.execute(params![arn, s.is_logging, s.start_logging_ms, s.stop_logging_ms, s.details],
        )?;
        Ok(())
    }

    // ---- selectors ----

    pub fn event_selectors(&self, arn: &str) -> Result<Option<(SelectorKind, String)>> {
        let row: Option<(String, String)> = self
            .cached_row(
                "SELECT kind, selectors FROM event_selectors WHERE trail_arn = ?1",
                [arn],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(row.map(|(k, s)| {
            let kind = if k == "advanced" {
                SelectorKind::Advanced
            } else {
                SelectorKind::Basic
            };
            (kind, s)
        }))
    }

    pub fn put_event_selectors(&self, arn: &str, kind: SelectorKind, json: &str) -> Result<()> {
        self.conn.prepare_cached(
            "INSERT INTO event_selectors (trail_arn, kind, selectors) VALUES (?1, ?2, ?3)
             ON CONFLICT (trail_arn) DO UPDATE SET kind = excluded.kind, selectors = excluded.selectors")?.execute(params![arn, kind.as_str(), json],
        )?;
        Ok(())
    }

    pub fn insight_selectors(&self, arn: &str) -> Result<Option<String>> {
        Ok(self
            .cached_row(
                "SELECT selectors FROM insight_selectors WHERE trail_arn = ?1",
                [arn],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Sets the insight selectors; `None` removes them.
    pub fn put_insight_selectors(&self, arn: &str, json: Option<&str>) -> Result<()> {
        match json {
            None => {
                self.conn
                    .execute("DELETE FROM insight_selectors WHERE trail_arn = ?1", [arn])?;
            }
            Some(j) => {
                self.conn
                    .prepare_cached(
                        "INSERT INTO insight_selectors (trail_arn, selectors) VALUES (?1, ?2)
                     ON CONFLICT (trail_arn) DO UPDATE SET selectors = excluded.selectors",
                    )?
                    .execute(params![arn, j])?;
            }
        }
        Ok(())
    }

    // ---- documents (services other than CloudTrail) ----

    /// Inserts or replaces one resource document; `region` is "" for global resources.
    pub fn put_document(
        &self,
        key: &DocKey<'_>,
        body: &serde_json::Value,
        now_ms: i64,
    ) -> Result<()> {
        let text = serde_json::to_string(body)?;
        self.conn.prepare_cached(
            "INSERT INTO documents (service, kind, account_id, region, id, body, created_ms, updated_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
             ON CONFLICT (service, kind, account_id, region, id)
             DO UPDATE SET body = excluded.body, updated_ms = excluded.updated_ms")?.execute(params![key.service, key.kind, key.account_id, key.region, key.id, text, now_ms],
        )?;
        Ok(())
    }

    pub fn document(&self, key: &DocKey<'_>) -> Result<Option<serde_json::Value>> {
        let text: Option<String> = self
            .cached_row(
                "SELECT body FROM documents
                 WHERE service = ?1 AND kind = ?2 AND account_id = ?3 AND region = ?4 AND id = ?5",
                params![key.service, key.kind, key.account_id, key.region, key.id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(match text {
            Some(t) => Some(serde_json::from_str(&t)?),
            None => None,
        })
    }

    /// Deletes one document; false when there was none.
    pub fn delete_document(&self, key: &DocKey<'_>) -> Result<bool> {
        let n = self
            .conn
            .prepare_cached(
                "DELETE FROM documents
             WHERE service = ?1 AND kind = ?2 AND account_id = ?3 AND region = ?4 AND id = ?5",
            )?
            .execute(params![
                key.service,
                key.kind,
                key.account_id,
                key.region,
                key.id
            ])?;
        Ok(n > 0)
    }

    /// Documents of one kind, ordered by id. `account_id`/`region` of None match any.
    pub fn documents(
        &self,
        service: &str,
        kind: &str,
        account_id: Option<&str>,
        region: Option<&str>,
    ) -> Result<Vec<StoredDocument>> {
        let mut st = self.conn.prepare_cached(
            "SELECT account_id, region, id, body FROM documents
             WHERE service = ?1 AND kind = ?2
               AND (?3 IS NULL OR account_id = ?3) AND (?4 IS NULL OR region = ?4)
             ORDER BY id, account_id, region",
        )?;
        stored_documents(&mut st, params![service, kind, account_id, region])
    }

    // ---- tags ----

    /// Tags of a resource in the order they were first added.
    pub fn tags(&self, resource_arn: &str) -> Result<Vec<(String, Option<String>)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT key, value FROM tags WHERE resource_arn = ?1 ORDER BY position, key",
        )?;
        let rows = st.query_map([resource_arn], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds or overwrites a tag (an overwritten tag keeps its position).
    pub fn put_tag(&self, resource_arn: &str, key: &str, value: Option<&str>) -> Result<()> {
        self.conn.prepare_cached(
            "INSERT INTO tags (resource_arn, key, value, position)
             VALUES (?1, ?2, ?3, (SELECT COALESCE(MAX(position), 0) + 1 FROM tags WHERE resource_arn = ?1))
             ON CONFLICT (resource_arn, key) DO UPDATE SET value = excluded.value")?.execute(params![resource_arn, key, value],
        )?;
        Ok(())
    }

    pub fn remove_tag(&self, resource_arn: &str, key: &str) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM tags WHERE resource_arn = ?1 AND key = ?2")?
            .execute(params![resource_arn, key])?;
        Ok(())
    }

    // ---- events ----

    /// Appends an event; returns its sequence number.
    pub fn insert_event(&self, e: &NewEvent) -> Result<i64> {
        self.conn.prepare_cached(
            "INSERT INTO events (event_id, account_id, region, event_time_ms, event_name, event_source,
                event_category, username, read_only, access_key_id, record, event_number)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)")?.execute(params![
                e.event_id,
                e.account_id,
                e.region,
                e.event_time_ms,
                e.event_name,
                e.event_source,
                e.event_category,
                e.username,
                e.read_only,
                e.access_key_id,
                e.record,
                ids::event_number(&e.event_id)
            ],
        )?;
        let seq = self.conn.last_insert_rowid();
        for (i, (ty, name)) in e.resources.iter().enumerate() {
            self.conn.prepare_cached(
                "INSERT INTO event_resources (event_seq, position, resource_type, resource_name)
                 VALUES (?1, ?2, ?3, ?4)")?.execute(params![seq, i as i64, ty, name],
            )?;
        }
        self.hot.borrow_mut().bookkeeping(1 + e.resources.len());
        Ok(seq)
    }

    /// Appends an event unless one with its eventID is already stored (ingest of files that
    /// overlap). Returns whether it was stored. Statements are cached: bulk appends call
    /// this hundreds of thousands of times in one transaction.
    pub fn insert_event_if_new(&self, e: &NewEvent) -> Result<bool> {
        let mut st = self.conn.prepare_cached(
            "INSERT OR IGNORE INTO events (event_id, account_id, region, event_time_ms, event_name,
                event_source, event_category, username, read_only, access_key_id, record,
                event_number)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?;
        let changed = st.execute(params![
            e.event_id,
            e.account_id,
            e.region,
            e.event_time_ms,
            e.event_name,
            e.event_source,
            e.event_category,
            e.username,
            e.read_only,
            e.access_key_id,
            e.record,
            ids::event_number(&e.event_id)
        ])?;
        if changed == 0 {
            return Ok(false);
        }
        let seq = self.conn.last_insert_rowid();
        let mut res = self.conn.prepare_cached(
            "INSERT INTO event_resources (event_seq, position, resource_type, resource_name)
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (i, (ty, name)) in e.resources.iter().enumerate() {
            res.execute(params![seq, i as i64, ty, name])?;
        }
        self.hot.borrow_mut().bookkeeping(1 + e.resources.len());
        Ok(true)
    }

    pub fn event_count(&self) -> Result<u64> {
        let n: i64 = self.cached_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }

    /// The highest event sequence number (0 when there are no events).
    pub fn max_event_seq(&self) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM events")?
            .query_row([], |r| r.get(0))?)
    }

    /// Up to `limit` events with a sequence number above `after`, in sequence order, as
    /// (seq, account, region, event time ms, record JSON): log delivery reads in batches.
    pub fn events_after(&self, after: i64, limit: u32) -> Result<Vec<DeliveryEvent>> {
        let mut st = self.conn.prepare_cached(
            "SELECT seq, account_id, region, event_time_ms, record FROM events
             WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )?;
        let rows = st.query_map(params![after, limit], |r| {
            Ok(DeliveryEvent {
                seq: r.get(0)?,
                account_id: r.get(1)?,
                region: r.get(2)?,
                event_time_ms: r.get(3)?,
                record: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every trail with its status and one document of `kind` (service "cloudtrail", id =
    /// trail ARN) if stored, plus the highest event sequence number: in one query, so that
    /// checking whether log delivery has work costs one statement.
    pub fn trails_with_status(&self, kind: &str) -> Result<(Vec<TrailWithStatus>, i64)> {
        let mut st = self.conn.prepare_cached(
            "SELECT t.arn, t.account_id, t.region, t.name, t.multi_region, t.config,
                    t.created_ms, t.updated_ms,
                    s.is_logging, s.start_logging_ms, s.stop_logging_ms, s.details, d.body,
                    (SELECT COALESCE(MAX(seq), 0) FROM events)
             FROM trails t
             JOIN trail_status s ON s.trail_arn = t.arn
             LEFT JOIN documents d ON d.service = 'cloudtrail' AND d.kind = ?1
                  AND d.account_id = t.account_id AND d.region = t.region AND d.id = t.arn
             ORDER BY t.arn",
        )?;
        let mut max_seq = None;
        let rows = st.query_map([kind], |r| {
            Ok((
                trail_from_row(r)?,
                StatusRow {
                    is_logging: r.get(8)?,
                    start_logging_ms: r.get(9)?,
                    stop_logging_ms: r.get(10)?,
                    details: r.get(11)?,
                },
                r.get::<_, Option<String>>(12)?,
                r.get::<_, i64>(13)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (t, s, d, m) = row?;
            max_seq = Some(m);
            out.push(TrailWithStatus {
                trail: t,
                status: s,
                document: d,
            });
        }
        let max_seq = match max_seq {
            Some(m) => m,
            None => self.max_event_seq()?,
        };
        Ok((out, max_seq))
    }

    /// All records in append order (tests, export).
    pub fn all_event_records(&self) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare("SELECT record FROM events ORDER BY seq")?;
        let rows = st.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Events matching the query, newest first (by event time, then by sequence).
    pub fn lookup_events(&self, q: &EventQuery) -> Result<Vec<StoredEvent>> {
        let mut sql = String::from(
            "SELECT seq, event_id, event_time_ms, event_name, event_source, username, read_only,
                    access_key_id, record
             FROM events
             WHERE account_id = ?1 AND region = ?2 AND event_time_ms >= ?3 AND event_time_ms <= ?4
               AND event_category = ?5",
        );
        let mut args: Vec<rusqlite::types::Value> = vec![
            q.account_id.clone().into(),
            q.region.clone().into(),
            q.start_ms.into(),
            q.end_ms.into(),
            String::from(if q.insights { "Insight" } else { "Management" }).into(),
        ];
        if let Some((t, s)) = q.before {
            sql.push_str(" AND (event_time_ms < ?6 OR (event_time_ms = ?6 AND seq < ?7))");
            args.push(t.into());
            args.push(s.into());
        }
        if let Some(f) = &q.filter {
            let n = args.len() + 1;
            let (clause, value): (String, rusqlite::types::Value) = match f {
                // The number stands for the id (see `ids::event_id`); other ids are
                // indexed as text.
                EventFilter::EventId(v) => match ids::event_number(v) {
                    Some(number) => (format!("event_number = ?{n}"), number.into()),
                    None => (
                        format!("event_number IS NULL AND event_id = ?{n}"),
                        v.clone().into(),
                    ),
                },
                EventFilter::EventName(v) => (format!("event_name = ?{n}"), v.clone().into()),
                EventFilter::ReadOnly(v) => (format!("read_only = ?{n}"), (*v as i64).into()),
                EventFilter::Username(v) => (format!("username = ?{n}"), v.clone().into()),
                EventFilter::EventSource(v) => (format!("event_source = ?{n}"), v.clone().into()),
                EventFilter::AccessKeyId(v) => (format!("access_key_id = ?{n}"), v.clone().into()),
                EventFilter::ResourceType(v) => (
                    format!(
                        "EXISTS (SELECT 1 FROM event_resources er WHERE er.event_seq = events.seq AND er.resource_type = ?{n})"
                    ),
                    v.clone().into(),
                ),
                EventFilter::ResourceName(v) => (
                    format!(
                        "EXISTS (SELECT 1 FROM event_resources er WHERE er.event_seq = events.seq AND er.resource_name = ?{n})"
                    ),
                    v.clone().into(),
                ),
            };
            sql.push_str(" AND ");
            sql.push_str(&clause);
            args.push(value);
        }
        sql.push_str(&format!(
            " ORDER BY event_time_ms DESC, seq DESC LIMIT {}",
            q.limit
        ));
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(args.iter()), |r| {
            Ok(StoredEvent {
                seq: r.get(0)?,
                event_id: r.get(1)?,
                event_time_ms: r.get(2)?,
                event_name: r.get(3)?,
                event_source: r.get(4)?,
                username: r.get(5)?,
                read_only: r.get(6)?,
                access_key_id: r.get(7)?,
                resources: Vec::new(),
                record: r.get(8)?,
            })
        })?;
        let mut out: Vec<StoredEvent> = rows.collect::<rusqlite::Result<_>>()?;
        let mut rs = self.conn.prepare_cached(
            "SELECT resource_type, resource_name FROM event_resources WHERE event_seq = ?1 ORDER BY position",
        )?;
        for e in &mut out {
            let res = rs.query_map([e.seq], |r| Ok((r.get(0)?, r.get(1)?)))?;
            e.resources = res.collect::<rusqlite::Result<_>>()?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_round_trip_and_list_by_kind() {
        let mut s = Store::open_in_memory().unwrap();
        let key = |id| DocKey {
            service: "s3",
            kind: "bucket",
            account_id: "111111111111",
            region: "",
            id,
        };
        s.write(|db| -> Result<()> {
            db.put_document(&key("b"), &serde_json::json!({"v": 1}), 10)?;
            db.put_document(&key("a"), &serde_json::json!({"v": 2}), 11)?;
            db.put_document(&key("b"), &serde_json::json!({"v": 3}), 12)?;
            Ok(())
        })
        .unwrap();
        let listed = s
            .read(|db| db.documents("s3", "bucket", Some("111111111111"), None))
            .unwrap();
        assert_eq!(
            listed.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
            vec!["a", "b"]
        );
        assert_eq!(listed[1].body["v"], 3);
        let gone = s.write(|db| db.delete_document(&key("a"))).unwrap();
        assert!(gone);
        assert!(s.read(|db| db.document(&key("a"))).unwrap().is_none());
    }

    #[test]
    fn migrates_to_latest_and_reopens() {
        let dir = tempfile::tempdir().unwrap(); // test setup
        let s = Store::open(dir.path()).unwrap(); // test setup
        assert_eq!(s.schema_version().unwrap() as usize, MIGRATIONS.len());
        drop(s);
        let mut s = Store::open(dir.path()).unwrap(); // reopen is a no-op migration
        assert_eq!(s.schema_version().unwrap() as usize, MIGRATIONS.len());
        let n: i64 = s
            .read(|db| -> Result<i64> {
                Ok(db
                    .conn
                    .query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0))?)
            })
            .unwrap();
        assert_eq!(n as usize, MIGRATIONS.len());
    }

    #[test]
    fn failed_write_rolls_back() {
        let mut s = Store::open_in_memory().unwrap(); // test setup
        let r: std::result::Result<(), StoreError> = s.write(|db| {
            db.set_setting("k", "v")?;
            Err(StoreError::Corrupt("boom".into()))
        });
        assert!(r.is_err());
        let v = s.read(|db| db.setting("k")).unwrap();
        assert_eq!(v, None);
    }

    #[test]
    fn counters_increase() {
        let mut s = Store::open_in_memory().unwrap(); // test setup
        let (a, b) = s
            .write(|db| -> Result<_> { Ok((db.next_counter("x")?, db.next_counter("x")?)) })
            .unwrap();
        assert_eq!((a, b), (1, 2));
    }

    #[test]
    fn the_hot_state_follows_commits_of_other_connections() {
        let dir = tempfile::tempdir().unwrap(); // test setup
        let mut a = Store::open(dir.path()).unwrap(); // test setup
        let mut b = Store::open(dir.path()).unwrap(); // test setup
        let t = clock::from_millis(1_700_000_000_000);
        // Both caches are filled, then each side changes what the other has cached.
        assert_eq!(a.read(|db| db.clock()).unwrap(), Clock::Real);
        assert_eq!(b.read(|db| db.setting("k")).unwrap(), None);
        assert_eq!(a.write(|db| db.next_counter("n")).unwrap(), 1);
        assert_eq!(b.write(|db| db.next_counter("n")).unwrap(), 2);
        b.write(|db| db.set_clock(Clock::Fixed(t))).unwrap();
        a.write(|db| db.set_setting("k", "v")).unwrap();
        assert_eq!(a.read(|db| db.clock()).unwrap(), Clock::Fixed(t));
        assert_eq!(b.read(|db| db.setting("k")).unwrap().as_deref(), Some("v"));
        assert_eq!(a.write(|db| db.next_counter("n")).unwrap(), 3);
        assert_eq!(b.write(|db| db.next_counter("n")).unwrap(), 4);
        drop((a, b));
        let mut reopened = Store::open(dir.path()).unwrap(); // counters were written back
        assert_eq!(reopened.write(|db| db.next_counter("n")).unwrap(), 5);
    }

    #[test]
    fn a_rollback_restores_the_cached_state() {
        let mut s = Store::open_in_memory().unwrap(); // test setup
        assert_eq!(s.write(|db| db.next_counter("n")).unwrap(), 1);
        let failed: Result<()> = s.write(|db| {
            db.next_counter("n")?;
            db.next_counter("m")?;
            db.set_clock(Clock::Fixed(clock::from_millis(5)))?;
            Err(StoreError::Corrupt("boom".into()))
        });
        assert!(failed.is_err());
        assert_eq!(s.read(|db| db.clock()).unwrap(), Clock::Real);
        let (n, m, undone) = s
            .write(|db| -> Result<_> {
                let mark = db.mark_call();
                db.next_counter("n")?; // undone below
                let undone = db.undo_call(mark);
                let mark = db.mark_call();
                let kept = db.next_counter("m")?;
                db.keep_call(mark);
                let mark = db.mark_call();
                db.set_setting("k", "v")?; // a row written: only a rollback can undo it
                let wrote = !db.undo_call(mark);
                Ok((db.next_counter("n")?, kept, undone && wrote))
            })
            .unwrap();
        assert_eq!((n, m, undone), (2, 1, true));
    }

    #[test]
    fn the_memo_lasts_until_a_row_other_than_an_event_changes() {
        let dir = tempfile::tempdir().unwrap(); // test setup
        let mut a = Store::open(dir.path()).unwrap(); // test setup
        let mut b = Store::open(dir.path()).unwrap(); // test setup
        let computed = std::cell::Cell::new(0);
        let read = |s: &mut Store| {
            s.write(|db| {
                db.memoized("k", || -> Result<usize> {
                    computed.set(computed.get() + 1);
                    Ok(computed.get())
                })
                .map(|v| *v)
            })
            .unwrap()
        };
        assert_eq!(read(&mut a), 1);
        assert_eq!(read(&mut a), 1);
        let event = NewEvent {
            event_id: "e1".into(),
            account_id: "111111111111".into(),
            region: "us-east-1".into(),
            event_time_ms: 0,
            event_name: "DescribeTrails".into(),
            event_source: "cloudtrail.amazonaws.com".into(),
            event_category: "Management".into(),
            username: None,
            read_only: true,
            access_key_id: None,
            resources: vec![(Some("t".into()), Some("n".into()))],
            record: "{}".into(),
        };
        a.write(|db| {
            db.next_counter("event")?;
            db.insert_event(&event)
        })
        .unwrap();
        assert_eq!(read(&mut a), 1, "event appends and counters keep the memo");
        a.write(|db| db.set_setting("k", "v")).unwrap();
        assert_eq!(read(&mut a), 2, "any other row drops it");
        b.write(|db| db.set_setting("k", "w")).unwrap();
        assert_eq!(read(&mut a), 3, "so does a commit of another connection");
        let failed: Result<()> = a.write(|db| {
            db.memoized("k", || -> Result<usize> { Ok(99) })?;
            Err(StoreError::Corrupt("boom".into()))
        });
        assert!(failed.is_err());
        assert_eq!(read(&mut a), 4, "a rollback drops it");
    }

    fn event_with_id(event_id: &str) -> NewEvent {
        NewEvent {
            event_id: event_id.into(),
            account_id: "111111111111".into(),
            region: "us-east-1".into(),
            event_time_ms: 1_000,
            event_name: "DescribeTrails".into(),
            event_source: "cloudtrail.amazonaws.com".into(),
            event_category: "Management".into(),
            username: None,
            read_only: true,
            access_key_id: None,
            resources: vec![(Some("AWS::CloudTrail::Trail".into()), Some("t".into()))],
            record: format!("{{\"eventID\":\"{event_id}\"}}"),
        }
    }

    fn ids_found(s: &mut Store, id: &str) -> Vec<String> {
        let q = EventQuery {
            account_id: "111111111111".into(),
            region: "us-east-1".into(),
            start_ms: 0,
            end_ms: i64::MAX,
            filter: Some(EventFilter::EventId(id.into())),
            before: None,
            limit: 50,
            insights: false,
        };
        s.read(|db| db.lookup_events(&q))
            .unwrap()
            .into_iter()
            .map(|e| e.event_id)
            .collect()
    }

    #[test]
    fn events_are_found_and_deduplicated_by_id_whether_ours_or_foreign() {
        let mut s = Store::open_in_memory().unwrap(); // test setup
        let ours = ids::event_id("seed", "event", 1);
        let foreign = "3ef2d5b4-1f54-4c0e-9f2a-0b7f2d7c9e11";
        s.write(|db| db.insert_event(&event_with_id(&ours)))
            .unwrap();
        s.write(|db| db.insert_event_if_new(&event_with_id(foreign)))
            .unwrap();
        assert_eq!(ids_found(&mut s, &ours), vec![ours.clone()]);
        assert_eq!(ids_found(&mut s, foreign), vec![foreign.to_string()]);
        assert!(ids_found(&mut s, &ids::event_id("seed", "event", 2)).is_empty());
        assert!(ids_found(&mut s, "no-such-id").is_empty());
        for again in [ours.as_str(), foreign] {
            let stored = s
                .write(|db| db.insert_event_if_new(&event_with_id(again)))
                .unwrap();
            assert!(!stored, "{again} is already stored");
        }
        assert!(
            s.write(|db| db.insert_event(&event_with_id(&ours)))
                .is_err(),
            "an eventID stays unique"
        );
        assert_eq!(s.read(|db| db.event_count()).unwrap(), 2);
    }

    #[test]
    fn the_event_number_migration_keeps_every_event_and_its_sequence() {
        let dir = tempfile::tempdir().unwrap(); // test setup
        let before = MIGRATIONS.len() - 1;
        {
            let conn = Connection::open(dir.path().join(DB_FILE)).unwrap(); // test setup
            for sql in &MIGRATIONS[..before] {
                conn.execute_batch(sql).unwrap(); // test setup
            }
            conn.execute_batch(&format!("PRAGMA user_version = {before}"))
                .unwrap(); // test setup
            for (seq, id) in [(1, "old-a"), (2, "old-b"), (7, "old-c")] {
                conn.execute(
                    "INSERT INTO events (seq, event_id, account_id, region, event_time_ms,
                        event_name, event_source, event_category, read_only, record)
                     VALUES (?1, ?2, '111111111111', 'us-east-1', 1000, 'DescribeTrails',
                        'cloudtrail.amazonaws.com', 'Management', 1, '{}')",
                    params![seq, id],
                )
                .unwrap(); // test setup
                conn.execute(
                    "INSERT INTO event_resources VALUES (?1, 0, 'AWS::CloudTrail::Trail', 't')",
                    [seq],
                )
                .unwrap(); // test setup
            }
            // The highest sequence ever handed out is above the highest kept row.
            conn.execute(
                "UPDATE sqlite_sequence SET seq = 9 WHERE name = 'events'",
                [],
            )
            .unwrap(); // test setup
        }
        let mut s = Store::open(dir.path()).unwrap();
        assert_eq!(s.schema_version().unwrap() as usize, MIGRATIONS.len());
        assert_eq!(s.read(|db| db.event_count()).unwrap(), 3);
        assert_eq!(ids_found(&mut s, "old-c"), vec!["old-c".to_string()]);
        let ours = ids::event_id("seed", "event", 1);
        let seq = s
            .write(|db| db.insert_event(&event_with_id(&ours)))
            .unwrap();
        assert_eq!(seq, 10, "sequence numbers are never reused");
        let resources: i64 = s
            .read(|db| -> Result<i64> {
                Ok(db
                    .conn
                    .query_row("SELECT COUNT(*) FROM event_resources", [], |r| r.get(0))?)
            })
            .unwrap();
        assert_eq!(resources, 4);
        let fk_problems: i64 = s
            .read(|db| -> Result<i64> {
                Ok(db
                    .conn
                    .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
                        r.get(0)
                    })?)
            })
            .unwrap();
        assert_eq!(fk_problems, 0);
    }
}
