//! CloudTrail Lake storage: event data stores, their ingested events and queries with their
//! result pages. The SQL text of a Lake query is produced by `pipeline::lake_sql` (a
//! translation over the `lake_events` columns named here) and run by [`Db::lake_select`].

use rusqlite::types::ValueRef;
use rusqlite::{OptionalExtension, params};

use super::{Db, Result};

/// A stored event data store.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EdsRow {
    /// Compact key of the store's rows in `lake_events` (0 until inserted).
    pub n: i64,
    pub arn: String,
    /// The id part of the ARN: the table name in Lake SQL.
    pub id: String,
    pub account_id: String,
    pub region: String,
    pub name: String,
    pub status: String,
    /// The configuration as JSON (owned by the service).
    pub config: String,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub deleted_ms: Option<i64>,
    /// Every event with `seq <= cursor_seq` has been considered for this store.
    pub cursor_seq: i64,
    /// Events and record bytes currently stored.
    pub events: i64,
    pub bytes: i64,
}

const EDS_COLUMNS: &str = "n, arn, id, account_id, region, name, status, config, created_ms, \
     updated_ms, deleted_ms, cursor_seq, events, bytes";

fn eds_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EdsRow> {
    Ok(EdsRow {
        n: r.get(0)?,
        arn: r.get(1)?,
        id: r.get(2)?,
        account_id: r.get(3)?,
        region: r.get(4)?,
        name: r.get(5)?,
        status: r.get(6)?,
        config: r.get(7)?,
        created_ms: r.get(8)?,
        updated_ms: r.get(9)?,
        deleted_ms: r.get(10)?,
        cursor_seq: r.get(11)?,
        events: r.get(12)?,
        bytes: r.get(13)?,
    })
}

/// One event as a store keeps it: the typed columns and the full record.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LakeEvent<'r> {
    pub seq: i64,
    pub event_time_ms: i64,
    pub event_id: Option<&'r str>,
    pub event_version: Option<&'r str>,
    pub event_name: Option<&'r str>,
    pub event_source: Option<&'r str>,
    pub event_type: Option<&'r str>,
    pub event_category: Option<&'r str>,
    pub aws_region: Option<&'r str>,
    pub recipient_account_id: Option<&'r str>,
    pub user_type: Option<&'r str>,
    pub user_arn: Option<&'r str>,
    pub user_principal_id: Option<&'r str>,
    pub user_account_id: Option<&'r str>,
    pub user_access_key_id: Option<&'r str>,
    pub user_name: Option<&'r str>,
    pub issuer_user_name: Option<&'r str>,
    pub issuer_arn: Option<&'r str>,
    pub source_ip: Option<&'r str>,
    pub user_agent: Option<&'r str>,
    pub error_code: Option<&'r str>,
    pub error_message: Option<&'r str>,
    pub read_only: Option<bool>,
    pub management_event: Option<bool>,
    pub request_id: Option<&'r str>,
    pub record: &'r str,
}

/// A stored Lake query.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QueryRow {
    pub query_id: String,
    pub account_id: String,
    pub region: String,
    /// JSON array of the ARNs of the stores the statement names.
    pub eds_arns: String,
    pub statement: String,
    pub status: String,
    pub error: Option<String>,
    /// JSON of the query statistics (owned by the service).
    pub stats: String,
    /// JSON array of the result column names.
    pub columns: String,
    pub row_count: i64,
    pub created_ms: i64,
    /// Creation order (ListQueries sorts newest first).
    pub seq: i64,
}

const QUERY_COLUMNS: &str = "query_id, account_id, region, eds_arns, statement, status, error, \
     stats, columns, row_count, created_ms, seq";

fn query_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<QueryRow> {
    Ok(QueryRow {
        query_id: r.get(0)?,
        account_id: r.get(1)?,
        region: r.get(2)?,
        eds_arns: r.get(3)?,
        statement: r.get(4)?,
        status: r.get(5)?,
        error: r.get(6)?,
        stats: r.get(7)?,
        columns: r.get(8)?,
        row_count: r.get(9)?,
        created_ms: r.get(10)?,
        seq: r.get(11)?,
    })
}

/// The result of a Lake SELECT: column names and rows of text values (`None` for NULL).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LakeTable {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
}

/// A REAL as Trino prints a double: integral values keep one decimal.
fn real_text(f: f64) -> String {
    if f.is_finite() && f == f.trunc() && f.abs() < 1e15 {
        format!("{f:.1}")
    } else {
        f.to_string()
    }
}

impl<'a> Db<'a> {
    // ---- event data stores ----

    /// Inserts a store; returns its compact key.
    pub fn insert_eds(&self, e: &EdsRow) -> Result<i64> {
        self.conn
            .prepare_cached(
                "INSERT INTO event_data_stores (arn, id, account_id, region, name, status, config,
                    created_ms, updated_ms, deleted_ms, cursor_seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                e.arn,
                e.id,
                e.account_id,
                e.region,
                e.name,
                e.status,
                e.config,
                e.created_ms,
                e.updated_ms,
                e.deleted_ms,
                e.cursor_seq
            ])?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Saves the mutable part of a store (name, status, configuration, times, cursor).
    pub fn save_eds(&self, e: &EdsRow) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE event_data_stores SET name = ?2, status = ?3, config = ?4, updated_ms = ?5,
                    deleted_ms = ?6, cursor_seq = ?7 WHERE n = ?1",
            )?
            .execute(params![
                e.n,
                e.name,
                e.status,
                e.config,
                e.updated_ms,
                e.deleted_ms,
                e.cursor_seq
            ])?;
        Ok(())
    }

    pub fn set_eds_cursor(&self, n: i64, cursor_seq: i64) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE event_data_stores SET cursor_seq = ?2 WHERE n = ?1")?
            .execute(params![n, cursor_seq])?;
        Ok(())
    }

    pub fn eds_by_arn(&self, arn: &str) -> Result<Option<EdsRow>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {EDS_COLUMNS} FROM event_data_stores WHERE arn = ?1"
            ))?
            .query_row([arn], eds_from_row)
            .optional()?)
    }

    pub fn eds_by_id(&self, id: &str) -> Result<Option<EdsRow>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {EDS_COLUMNS} FROM event_data_stores WHERE id = ?1"
            ))?
            .query_row([id], eds_from_row)
            .optional()?)
    }

    /// The stores of an account in a region, oldest first.
    pub fn eds_list(&self, account_id: &str, region: &str) -> Result<Vec<EdsRow>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {EDS_COLUMNS} FROM event_data_stores WHERE account_id = ?1 AND region = ?2
             ORDER BY created_ms, n"
        ))?;
        let rows = st.query_map(params![account_id, region], eds_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every store of every account (pipeline work).
    pub fn all_eds(&self) -> Result<Vec<EdsRow>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {EDS_COLUMNS} FROM event_data_stores ORDER BY n"
        ))?;
        let rows = st.query_map([], eds_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Removes a store and its tags for good (its events are deleted first, a bounded number
    /// per pass: [`Db::delete_lake_events`]).
    pub fn purge_eds(&self, n: i64, arn: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM tags WHERE resource_arn = ?1", [arn])?;
        self.conn
            .execute("DELETE FROM event_data_stores WHERE n = ?1", [n])?;
        Ok(())
    }

    /// Deletes up to `limit` of a store's events (a store being purged), oldest first;
    /// returns how many. Bounded so that removing a large store is spread over several
    /// transactions.
    pub fn delete_lake_events(&self, n: i64, limit: u32) -> Result<u64> {
        let deleted = self
            .conn
            .prepare_cached(
                "DELETE FROM lake_events WHERE rowid IN
                    (SELECT rowid FROM lake_events WHERE eds = ?1 ORDER BY event_time_ms LIMIT ?2)",
            )?
            .execute(params![n, limit])?;
        Ok(deleted as u64)
    }

    // ---- ingested events ----

    /// Stores one event in a store. Statements are cached: ingestion calls this per event.
    pub fn insert_lake_event(&self, eds: i64, e: &LakeEvent<'_>) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO lake_events (eds, seq, event_time_ms, event_id, event_version,
                    event_name, event_source, event_type, event_category, aws_region,
                    recipient_account_id, user_type, user_arn, user_principal_id, user_account_id,
                    user_access_key_id, user_name, issuer_user_name, issuer_arn, source_ip,
                    user_agent, error_code, error_message, read_only, management_event,
                    request_id, record)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                    ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)",
            )?
            .execute(params![
                eds,
                e.seq,
                e.event_time_ms,
                e.event_id,
                e.event_version,
                e.event_name,
                e.event_source,
                e.event_type,
                e.event_category,
                e.aws_region,
                e.recipient_account_id,
                e.user_type,
                e.user_arn,
                e.user_principal_id,
                e.user_account_id,
                e.user_access_key_id,
                e.user_name,
                e.issuer_user_name,
                e.issuer_arn,
                e.source_ip,
                e.user_agent,
                e.error_code,
                e.error_message,
                e.read_only,
                e.management_event,
                e.request_id,
                e.record
            ])?;
        Ok(())
    }

    /// A store's records in ingestion order (tests, export).
    pub fn lake_records(&self, n: i64) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare("SELECT record FROM lake_events WHERE eds = ?1 ORDER BY seq")?;
        let rows = st.query_map([n], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds to a store's event and byte counts (after an ingest batch or an expiry).
    pub fn add_eds_volume(&self, n: i64, events: i64, bytes: i64) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE event_data_stores SET events = events + ?2, bytes = bytes + ?3 WHERE n = ?1",
            )?
            .execute(params![n, events, bytes])?;
        Ok(())
    }

    /// Deletes up to `limit` of a store's events older than `cutoff_ms` (retention), oldest
    /// first, and takes them off the store's volume; returns (events, bytes). Fewer than
    /// `limit` events means none older is left.
    pub fn expire_lake_events(&self, n: i64, cutoff_ms: i64, limit: u32) -> Result<(i64, i64)> {
        let mut st = self.conn.prepare_cached(
            "DELETE FROM lake_events WHERE rowid IN
                (SELECT rowid FROM lake_events WHERE eds = ?1 AND event_time_ms < ?2
                 ORDER BY event_time_ms LIMIT ?3)
             RETURNING LENGTH(record)",
        )?;
        let mut rows = st.query(params![n, cutoff_ms, limit])?;
        let (mut count, mut bytes) = (0i64, 0i64);
        while let Some(r) = rows.next()? {
            count += 1;
            bytes += r.get::<_, i64>(0)?;
        }
        if count > 0 {
            self.add_eds_volume(n, -count, -bytes)?;
        }
        Ok((count, bytes))
    }

    /// Runs a translated Lake SELECT. The outer error is a store failure; the inner one a
    /// statement SQLite refused (named by SQLite's message).
    pub fn lake_select(
        &self,
        sql: &str,
        args: &[rusqlite::types::Value],
    ) -> Result<std::result::Result<LakeTable, String>> {
        let mut st = match self.conn.prepare(sql) {
            Ok(st) => st,
            Err(e) => return Ok(Err(e.to_string())),
        };
        let columns: Vec<String> = st.column_names().iter().map(|c| c.to_string()).collect();
        let width = columns.len();
        let mut rows = match st.query(rusqlite::params_from_iter(args.iter())) {
            Ok(r) => r,
            Err(e) => return Ok(Err(e.to_string())),
        };
        let mut out = Vec::new();
        loop {
            let row = match rows.next() {
                Ok(Some(r)) => r,
                Ok(None) => break,
                Err(e) => return Ok(Err(e.to_string())),
            };
            let mut values = Vec::with_capacity(width);
            for i in 0..width {
                values.push(match row.get_ref(i)? {
                    ValueRef::Null => None,
                    ValueRef::Integer(v) => Some(v.to_string()),
                    ValueRef::Real(f) => Some(real_text(f)),
                    ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(b) => Some(hex::encode(b)),
                });
            }
            out.push(values);
        }
        Ok(Ok(LakeTable { columns, rows: out }))
    }

    // ---- queries ----

    pub fn insert_lake_query(&self, q: &QueryRow) -> Result<()> {
        self.conn
            .prepare_cached(&format!(
                "INSERT INTO lake_queries ({QUERY_COLUMNS})
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
            ))?
            .execute(params![
                q.query_id,
                q.account_id,
                q.region,
                q.eds_arns,
                q.statement,
                q.status,
                q.error,
                q.stats,
                q.columns,
                q.row_count,
                q.created_ms,
                q.seq
            ])?;
        Ok(())
    }

    /// Stores a query's final state (status, error, statistics, columns, row count).
    pub fn finish_lake_query(&self, q: &QueryRow) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE lake_queries SET status = ?2, error = ?3, stats = ?4, columns = ?5,
                    row_count = ?6 WHERE query_id = ?1",
            )?
            .execute(params![
                q.query_id,
                q.status,
                q.error,
                q.stats,
                q.columns,
                q.row_count
            ])?;
        Ok(())
    }

    pub fn set_lake_query_status(&self, query_id: &str, status: &str) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE lake_queries SET status = ?2 WHERE query_id = ?1")?
            .execute(params![query_id, status])?;
        Ok(())
    }

    pub fn lake_query(&self, query_id: &str) -> Result<Option<QueryRow>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {QUERY_COLUMNS} FROM lake_queries WHERE query_id = ?1"
            ))?
            .query_row([query_id], query_from_row)
            .optional()?)
    }

    /// Queries of an account and region whose statement names `eds_arn`, newest first.
    pub fn lake_queries_of(
        &self,
        account_id: &str,
        region: &str,
        eds_arn: &str,
    ) -> Result<Vec<QueryRow>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {QUERY_COLUMNS} FROM lake_queries
             WHERE account_id = ?1 AND region = ?2
               AND EXISTS (SELECT 1 FROM json_each(eds_arns) WHERE value = ?3)
             ORDER BY seq DESC"
        ))?;
        let rows = st.query_map(params![account_id, region, eds_arn], query_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn put_lake_query_page(&self, query_id: &str, page: i64, rows: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO lake_query_pages (query_id, page, rows) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![query_id, page, rows])?;
        Ok(())
    }

    pub fn lake_query_page(&self, query_id: &str, page: i64) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT rows FROM lake_query_pages WHERE query_id = ?1 AND page = ?2")?
            .query_row(params![query_id, page], |r| r.get(0))
            .optional()?)
    }
}
