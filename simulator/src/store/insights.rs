//! SQL of CloudTrail Insights: the per-minute counts the detector keeps per trail, the
//! events it reads, and the time series ListInsightsMetricData returns.

use rusqlite::params;

use super::{Db, Result};

/// An event as the Insights scan reads it: the lookup columns first, so most records can be
/// passed over without parsing their JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct InsightScanEvent {
    pub seq: i64,
    pub event_time_ms: i64,
    pub event_category: String,
    pub read_only: bool,
    pub record: String,
}

/// One stored per-minute count of a trail.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct InsightCount {
    pub insight_type: String,
    pub account_id: String,
    pub region: String,
    pub event_source: String,
    pub event_name: String,
    /// "" for ApiCallRateInsight.
    pub error_code: String,
    /// Minutes since the Unix epoch.
    pub minute: i64,
    pub count: i64,
}

/// Which calls a metric series counts.
#[derive(Debug, Clone, PartialEq)]
pub enum MetricFilter {
    /// Write management API calls (ApiCallRateInsight).
    WriteCalls,
    /// Management API calls that failed with this error code (ApiErrorRateInsight).
    Errors(String),
}

/// A ListInsightsMetricData query: `[start_ms, end_ms)` in buckets of `period_ms` aligned
/// to the epoch.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricQuery {
    pub account_id: String,
    pub region: String,
    pub event_source: String,
    pub event_name: String,
    pub filter: MetricFilter,
    pub start_ms: i64,
    pub end_ms: i64,
    pub period_ms: i64,
}

impl Db<'_> {
    /// The management events with `after < seq <= through`, in sequence order; read-only
    /// ones only if `with_reads`. Bounded by the range, not by how many rows match: a
    /// history of nothing but reads would otherwise be walked to its end to find none.
    pub fn insight_scan_events(
        &self,
        after: i64,
        through: i64,
        with_reads: bool,
    ) -> Result<Vec<InsightScanEvent>> {
        let mut st = self.conn.prepare_cached(
            "SELECT seq, event_time_ms, event_category, read_only, record FROM events
             WHERE seq > ?1 AND seq <= ?2 AND event_category = 'Management'
               AND (?3 OR read_only = 0)
             ORDER BY seq",
        )?;
        let rows = st.query_map(params![after, through, with_reads], |r| {
            Ok(InsightScanEvent {
                seq: r.get(0)?,
                event_time_ms: r.get(1)?,
                event_category: r.get(2)?,
                read_only: r.get(3)?,
                record: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds counts to a trail's per-minute totals.
    pub fn add_insight_counts(&self, trail_arn: &str, counts: &[InsightCount]) -> Result<()> {
        let mut st = self.conn.prepare_cached(
            "INSERT INTO insight_minutes (trail_arn, insight_type, account_id, region,
                event_source, event_name, error_code, minute, count)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (trail_arn, minute, insight_type, account_id, region, event_source,
                event_name, error_code) DO UPDATE SET count = count + excluded.count",
        )?;
        for c in counts {
            st.execute(params![
                trail_arn,
                c.insight_type,
                c.account_id,
                c.region,
                c.event_source,
                c.event_name,
                c.error_code,
                c.minute,
                c.count
            ])?;
        }
        Ok(())
    }

    /// A trail's per-minute counts with `from <= minute <= to`, ordered by series then minute.
    pub fn insight_counts(&self, trail_arn: &str, from: i64, to: i64) -> Result<Vec<InsightCount>> {
        let mut st = self.conn.prepare_cached(
            "SELECT insight_type, account_id, region, event_source, event_name, error_code,
                    minute, count
             FROM insight_minutes WHERE trail_arn = ?1 AND minute >= ?2 AND minute <= ?3
             ORDER BY insight_type, account_id, region, event_source, event_name, error_code,
                      minute",
        )?;
        let rows = st.query_map(params![trail_arn, from, to], |r| {
            Ok(InsightCount {
                insight_type: r.get(0)?,
                account_id: r.get(1)?,
                region: r.get(2)?,
                event_source: r.get(3)?,
                event_name: r.get(4)?,
                error_code: r.get(5)?,
                minute: r.get(6)?,
                count: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Forgets a trail's counts (Insights turned off).
    pub fn delete_insight_counts(&self, trail_arn: &str) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM insight_minutes WHERE trail_arn = ?1")?
            .execute([trail_arn])?;
        Ok(())
    }

    /// (event time ms, record) of the management events of one API in one account and
    /// region with `from_ms <= eventTime < to_ms`: what an Insights event's attributions
    /// are computed from.
    pub fn api_event_records(
        &self,
        account_id: &str,
        region: &str,
        event_source: &str,
        event_name: &str,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<(i64, String)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT event_time_ms, record FROM events
             WHERE account_id = ?1 AND region = ?2 AND event_time_ms >= ?3 AND event_time_ms < ?4
               AND event_source = ?5 AND event_name = ?6 AND event_category = 'Management'
             ORDER BY event_time_ms, seq",
        )?;
        let rows = st.query_map(
            params![account_id, region, from_ms, to_ms, event_source, event_name],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// (bucket start ms, count) of the non-empty buckets of a metric series, in time order.
    pub fn insight_metric(&self, q: &MetricQuery) -> Result<Vec<(i64, i64)>> {
        let (clause, code) = match &q.filter {
            MetricFilter::WriteCalls => (
                "read_only = 0 AND json_extract(record, '$.eventType') = 'AwsApiCall'",
                None,
            ),
            MetricFilter::Errors(c) => {
                ("json_extract(record, '$.errorCode') = ?8", Some(c.as_str()))
            }
        };
        let sql = format!(
            "SELECT (event_time_ms / ?7) * ?7 AS bucket, COUNT(*) FROM events
             WHERE account_id = ?1 AND region = ?2 AND event_time_ms >= ?3 AND event_time_ms < ?4
               AND event_source = ?5 AND event_name = ?6 AND event_category = 'Management'
               AND {clause}
             GROUP BY bucket ORDER BY bucket"
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let map = |r: &rusqlite::Row<'_>| Ok((r.get(0)?, r.get(1)?));
        let rows = match code {
            None => st.query_map(
                params![
                    q.account_id,
                    q.region,
                    q.start_ms,
                    q.end_ms,
                    q.event_source,
                    q.event_name,
                    q.period_ms
                ],
                map,
            )?,
            Some(c) => st.query_map(
                params![
                    q.account_id,
                    q.region,
                    q.start_ms,
                    q.end_ms,
                    q.event_source,
                    q.event_name,
                    q.period_ms,
                    c
                ],
                map,
            )?,
        };
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Db<'_> {
    /// The number of (account, region, eventSource, eventName, minute) groups of write
    /// management calls: the hand-written aggregate `ctsim bench insights` measures against.
    pub fn write_call_minute_groups(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM (SELECT 1 FROM events
               WHERE event_category = 'Management' AND read_only = 0
               GROUP BY account_id, region, event_source, event_name, event_time_ms / 60000)",
            [],
            |r| r.get(0),
        )?)
    }
}
