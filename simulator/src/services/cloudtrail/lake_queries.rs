//! CloudTrail Lake queries: StartQuery, DescribeQuery, GetQueryResults, CancelQuery and
//! ListQueries. A statement is translated by `pipeline::lake_sql` and runs synchronously
//! inside StartQuery (after ingesting whatever is due, so results include every event
//! recorded so far); the query then walks the AWS lifecycle QUEUED -> RUNNING -> FINISHED
//! (or FAILED) and its rows are kept in pages for GetQueryResults.

use std::time::Instant;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::event_data_stores::{PENDING_DELETION, page_size, resolve, validation, visible_stores};
use super::lake_model::*;
use super::trails::{decode_offset_token, encode_offset_token, invalid_next_token};
use crate::clock;
use crate::context::CallerContext;
use crate::error::{AwsError, StoreError};
use crate::pipeline::lake_sql::{self, SqlError, StoreRef};
use crate::services::{Env, next_uuid};
use crate::store::QueryRow;

/// Rows per stored result page.
const PAGE_ROWS: usize = 1000;
const MAX_STATEMENT: usize = 10_000;
pub const STATUSES: &[&str] = &[
    "QUEUED",
    "RUNNING",
    "FINISHED",
    "FAILED",
    "CANCELLED",
    "TIMED_OUT",
];

/// Statistics kept with a query.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    pub events_matched: i64,
    pub events_scanned: i64,
    pub bytes_scanned: i64,
    pub execution_time_in_millis: i64,
}

fn invalid_statement(message: impl Into<String>) -> AwsError {
    AwsError::client("InvalidQueryStatementException", message)
}

fn query_not_found() -> AwsError {
    AwsError::client(
        "QueryIdNotFoundException",
        "The query ID does not exist or does not map to a query.",
    )
}

/// The outcome of running a statement: a stored query row (and its pages).
pub struct Ran {
    pub row: QueryRow,
}

/// Translates and runs a statement for the caller. Errors that AWS reports synchronously
/// (bad statements, unknown or inactive stores) are returned; a statement that fails while
/// running is stored as FAILED.
pub fn run_statement(env: &Env<'_>, ctx: &CallerContext, statement: &str) -> Result<Ran, AwsError> {
    if statement.trim().is_empty() || statement.len() > MAX_STATEMENT {
        return Err(validation(
            &statement.chars().take(64).collect::<String>(),
            "queryStatement",
            "Member must have length between 1 and 10000",
        ));
    }
    // Results include everything recorded so far.
    crate::pipeline::lake::ingest_all(env)?;
    let now_ms = clock::to_millis(env.now);
    let mine = visible_stores(env, ctx)?;
    let mut lookup = |name: &str| -> Option<StoreRef> {
        let id = name.rsplit('/').next().unwrap_or(name);
        mine.iter()
            .find(|e| e.row.id.eq_ignore_ascii_case(id) || e.row.arn == name)
            .map(|e| StoreRef {
                n: e.row.n,
                arn: e.row.arn.clone(),
            })
    };
    let t = match lake_sql::translate(statement, now_ms, &mut lookup) {
        Ok(t) => t,
        Err(SqlError::Invalid(m)) => return Err(invalid_statement(m)),
        Err(SqlError::UnknownStore(name)) => {
            return Err(AwsError::client(
                "EventDataStoreNotFoundException",
                format!("The event data store {name} was not found."),
            ));
        }
    };
    let mut stats = Stats::default();
    for s in &t.stores {
        let Some(e) = mine.iter().find(|e| e.row.n == s.n) else {
            continue;
        };
        if e.row.status == PENDING_DELETION {
            return Err(AwsError::client(
                "InactiveEventDataStoreException",
                format!("The event data store {} is pending deletion.", e.row.arn),
            ));
        }
        stats.events_scanned += e.row.events;
        stats.bytes_scanned += e.row.bytes;
    }
    let query_id = next_uuid(env, "lake-query")?;
    let seq = env.db.next_counter("lake-query-seq")? as i64;
    let arns: Vec<&str> = t.stores.iter().map(|s| s.arn.as_str()).collect();
    let mut row = QueryRow {
        query_id: query_id.clone(),
        account_id: ctx.account_id.clone(),
        region: ctx.region.clone(),
        eds_arns: serde_json::to_string(&arns).map_err(StoreError::from)?,
        statement: statement.to_string(),
        status: "QUEUED".into(),
        error: None,
        stats: "{}".into(),
        columns: "[]".into(),
        row_count: 0,
        created_ms: now_ms,
        seq,
    };
    env.db.insert_lake_query(&row)?;
    env.db.set_lake_query_status(&query_id, "RUNNING")?;
    let began = Instant::now();
    let result = env.db.lake_select(&t.sql, &[])?;
    stats.execution_time_in_millis = began.elapsed().as_millis() as i64;
    match result {
        Ok(table) => {
            if stats.events_matched == 0 {
                stats.events_matched = if t.aggregates {
                    stats.events_scanned
                } else {
                    table.rows.len() as i64
                };
            }
            for (page, chunk) in table.rows.chunks(PAGE_ROWS).enumerate() {
                let json = serde_json::to_string(chunk).map_err(StoreError::from)?;
                env.db.put_lake_query_page(&query_id, page as i64, &json)?;
            }
            row.columns = serde_json::to_string(&table.columns).map_err(StoreError::from)?;
            row.row_count = table.rows.len() as i64;
            row.status = "FINISHED".into();
        }
        Err(message) => {
            // SQLite refused the translation: a statement this engine cannot run.
            return Err(invalid_statement(format!(
                "Query statement is not valid: {message}"
            )));
        }
    }
    row.stats = serde_json::to_string(&stats).map_err(StoreError::from)?;
    env.db.finish_lake_query(&row)?;
    Ok(Ran { row })
}

pub fn start_query(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: StartQueryRequest,
) -> Result<StartQueryResponse, AwsError> {
    if req.query_alias.is_some() || req.query_parameters.is_some() {
        return Err(AwsError::client(
            "InvalidParameterException",
            "QueryAlias and QueryParameters (dashboard queries) are not supported by this simulator; pass QueryStatement.",
        ));
    }
    if req.delivery_s3_uri.is_some() {
        return Err(AwsError::client(
            "InvalidParameterException",
            "DeliveryS3Uri is not supported by this simulator.",
        ));
    }
    let Some(statement) = req.query_statement.as_deref() else {
        return Err(AwsError::client(
            "InvalidParameterException",
            "You must specify a QueryStatement.",
        ));
    };
    let ran = run_statement(env, ctx, statement)?;
    Ok(StartQueryResponse {
        query_id: Some(ran.row.query_id),
        event_data_store_owner_account_id: None,
    })
}

/// The caller's query by id.
fn own_query(env: &Env<'_>, ctx: &CallerContext, id: &str) -> Result<QueryRow, AwsError> {
    let q = env.db.lake_query(id)?.ok_or_else(query_not_found)?;
    if q.account_id != ctx.account_id || q.region != ctx.region {
        return Err(query_not_found());
    }
    Ok(q)
}

fn stats_of(q: &QueryRow) -> Stats {
    serde_json::from_str(&q.stats).unwrap_or_default()
}

fn secs(ms: i64) -> f64 {
    clock::to_epoch_seconds(clock::from_millis(ms))
}

pub fn describe_query(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: DescribeQueryRequest,
) -> Result<DescribeQueryResponse, AwsError> {
    if req.query_alias.is_some() || req.refresh_id.is_some() {
        return Err(AwsError::client(
            "InvalidParameterException",
            "QueryAlias and RefreshId (dashboard queries) are not supported by this simulator; pass QueryId.",
        ));
    }
    let Some(id) = req.query_id.as_deref() else {
        return Err(AwsError::client(
            "InvalidParameterException",
            "You must specify a QueryId.",
        ));
    };
    let q = own_query(env, ctx, id)?;
    let s = stats_of(&q);
    Ok(DescribeQueryResponse {
        query_id: Some(q.query_id.clone()),
        query_string: Some(q.statement.clone()),
        query_status: Some(q.status.clone()),
        query_statistics: Some(QueryStatisticsForDescribeQuery {
            events_matched: Some(s.events_matched),
            events_scanned: Some(s.events_scanned),
            bytes_scanned: Some(s.bytes_scanned),
            execution_time_in_millis: Some(s.execution_time_in_millis),
            creation_time: Some(secs(q.created_ms)),
        }),
        error_message: q.error.clone(),
        ..Default::default()
    })
}

/// One result row as AWS returns it: a list of single-key maps, every value a string.
fn row_maps(columns: &[String], row: &[Option<String>]) -> Vec<Map<String, Value>> {
    columns
        .iter()
        .zip(row.iter())
        .map(|(c, v)| {
            let mut m = Map::new();
            m.insert(c.clone(), Value::String(v.clone().unwrap_or_default()));
            m
        })
        .collect()
}

/// Rows `[offset, offset + count)` of a finished query.
pub fn result_rows(
    env: &Env<'_>,
    q: &QueryRow,
    offset: usize,
    count: usize,
) -> Result<Vec<Vec<Option<String>>>, AwsError> {
    let mut out = Vec::new();
    let end = (offset + count).min(q.row_count.max(0) as usize);
    let mut i = offset;
    while i < end {
        let page = i / PAGE_ROWS;
        let Some(json) = env.db.lake_query_page(&q.query_id, page as i64)? else {
            break;
        };
        let rows: Vec<Vec<Option<String>>> =
            serde_json::from_str(&json).map_err(StoreError::from)?;
        let from = i - page * PAGE_ROWS;
        let take = (end - i).min(rows.len().saturating_sub(from));
        if take == 0 {
            break;
        }
        out.extend(rows.into_iter().skip(from).take(take));
        i += take;
    }
    Ok(out)
}

pub fn get_query_results(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: GetQueryResultsRequest,
) -> Result<GetQueryResultsResponse, AwsError> {
    let max = page_size(req.max_query_results, "maxQueryResults")?;
    let q = own_query(env, ctx, &req.query_id)?;
    let total = q.row_count.max(0) as usize;
    let offset = match &req.next_token {
        None => 0,
        Some(tok) => decode_offset_token(&format!("results:{}", q.query_id), tok)
            .filter(|n| *n <= total)
            .ok_or_else(invalid_next_token)?,
    };
    let s = stats_of(&q);
    if q.status != "FINISHED" {
        return Ok(GetQueryResultsResponse {
            query_status: Some(q.status.clone()),
            query_statistics: Some(QueryStatistics {
                results_count: Some(0),
                total_results_count: Some(0),
                bytes_scanned: Some(s.bytes_scanned),
            }),
            query_result_rows: Vec::new(),
            next_token: None,
            error_message: q.error.clone(),
        });
    }
    let columns: Vec<String> = serde_json::from_str(&q.columns).map_err(StoreError::from)?;
    let rows = result_rows(env, &q, offset, max as usize)?;
    let next = offset + rows.len();
    Ok(GetQueryResultsResponse {
        query_status: Some(q.status.clone()),
        query_statistics: Some(QueryStatistics {
            results_count: Some(rows.len() as i64),
            total_results_count: Some(total as i64),
            bytes_scanned: Some(s.bytes_scanned),
        }),
        query_result_rows: rows.iter().map(|r| row_maps(&columns, r)).collect(),
        next_token: (next < total)
            .then(|| encode_offset_token(&format!("results:{}", q.query_id), next)),
        error_message: None,
    })
}

/// [`get_query_results`] as the JSON response, with the rows moved (not copied) into it:
/// result pages can hold a thousand rows of many columns.
pub fn get_query_results_json(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: GetQueryResultsRequest,
) -> Result<Value, AwsError> {
    let mut resp = get_query_results(env, ctx, req)?;
    let rows = std::mem::take(&mut resp.query_result_rows);
    let mut v = crate::services::to_response(&resp)?;
    v["QueryResultRows"] = Value::Array(
        rows.into_iter()
            .map(|r| Value::Array(r.into_iter().map(Value::Object).collect()))
            .collect(),
    );
    Ok(v)
}

pub fn cancel_query(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: QueryRef,
) -> Result<CancelQueryResponse, AwsError> {
    let q = own_query(env, ctx, &req.query_id)?;
    if q.status == "QUEUED" || q.status == "RUNNING" {
        env.db.set_lake_query_status(&q.query_id, "CANCELLED")?;
        return Ok(CancelQueryResponse {
            query_id: Some(q.query_id),
            query_status: Some("CANCELLED".into()),
            event_data_store_owner_account_id: None,
        });
    }
    Err(AwsError::client(
        "InactiveQueryException",
        format!(
            "The specified query cannot be canceled because it is in the {} state.",
            q.status
        ),
    ))
}

pub fn list_queries(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ListQueriesRequest,
) -> Result<ListQueriesResponse, AwsError> {
    let eds = resolve(env, ctx, &req.event_data_store)?;
    let max = page_size(req.max_results, "maxResults")?;
    if let Some(st) = &req.query_status
        && !STATUSES.contains(&st.as_str())
    {
        return Err(validation(
            st,
            "queryStatus",
            "Member must satisfy enum value set: [QUEUED, RUNNING, FINISHED, FAILED, TIMED_OUT, CANCELLED]",
        ));
    }
    let start_ms = req
        .start_time
        .and_then(clock::from_epoch_seconds)
        .map(clock::to_millis);
    let end_ms = req
        .end_time
        .and_then(clock::from_epoch_seconds)
        .map(clock::to_millis);
    if let (Some(a), Some(b)) = (start_ms, end_ms)
        && a > b
    {
        return Err(AwsError::client(
            "InvalidDateRangeException",
            "StartTime must be before EndTime.",
        ));
    }
    let all: Vec<QueryRow> = env
        .db
        .lake_queries_of(&ctx.account_id, &ctx.region, &eds.row.arn)?
        .into_iter()
        .filter(|q| start_ms.is_none_or(|s| q.created_ms >= s))
        .filter(|q| end_ms.is_none_or(|e| q.created_ms <= e))
        .filter(|q| req.query_status.as_ref().is_none_or(|s| &q.status == s))
        .collect();
    let offset = match &req.next_token {
        None => 0,
        Some(tok) => decode_offset_token("queries", tok)
            .filter(|n| *n <= all.len())
            .ok_or_else(invalid_next_token)?,
    };
    let page: Vec<QueryInfo> = all
        .iter()
        .skip(offset)
        .take(max as usize)
        .map(|q| QueryInfo {
            query_id: Some(q.query_id.clone()),
            query_status: Some(q.status.clone()),
            creation_time: Some(secs(q.created_ms)),
        })
        .collect();
    let next = offset + page.len();
    Ok(ListQueriesResponse {
        queries: page,
        next_token: (next < all.len()).then(|| encode_offset_token("queries", next)),
    })
}

#[cfg(test)]
#[path = "lake_queries_tests.rs"]
mod tests;
