//! CloudTrail Lake: the event data stores of a region, an editor that runs a statement
//! (StartQuery) and cancels a running one (CancelQuery), the results a page at a time
//! (GetQueryResults), each store's query history (ListQueries, DescribeQuery) and the
//! results as CSV.
//!
//! Running and cancelling change state: they are POSTs with the CSRF token and go through
//! the facade as the default user, recorded like `ctsim lake query`'s calls. Reading is
//! unrecorded.

use std::fmt::Write;

use serde_json::{Value, json};

use super::html::{self, esc};
use super::{Answer, Failure, Outcome, Request};
use crate::Simulator;
use crate::services::cloudtrail::{self, lake_model as lm};

/// Result rows a page.
pub const PAGE_ROWS: i64 = 50;
/// Queries listed per store in the history.
const HISTORY: i64 = 20;

fn region_of(sim: &Simulator, req: &Request) -> String {
    let r = match req.get("region") {
        "" => req.field("region"),
        r => r,
    };
    if r.is_empty() {
        sim.default_region()
    } else {
        r.to_string()
    }
}

fn store_id(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or_default()
}

/// The event data stores of the region (every page).
fn stores(sim: &Simulator, region: &str) -> Result<Vec<lm::EventDataStoreDescription>, Failure> {
    let ctx = sim.default_caller(region);
    let listed = sim.run_unrecorded(|env| {
        cloudtrail::list_event_data_stores(
            env,
            &ctx,
            lm::ListEventDataStoresRequest {
                max_results: Some(1000),
                next_token: None,
            },
        )
    })?;
    Ok(listed.event_data_stores)
}

pub fn page(sim: &Simulator, req: &Request, token: &str) -> Outcome {
    let region = region_of(sim, req);
    let ctx = sim.default_caller(&region);
    let stores = stores(sim, &region)?;
    let mut body = String::new();
    let _ = write!(
        body,
        "<form class=\"filters\" method=\"get\" action=\"/console/lake\">{}<button type=\"submit\">Show</button></form>",
        html::input("Region", "region", &region, "us-east-1")
    );
    body.push_str("<h2>Event data stores</h2>");
    if stores.is_empty() {
        body.push_str("<p class=\"empty\">No event data stores in this region: create one with `ctsim lake create NAME` or aws_cloudtrail_event_data_store.</p>");
    } else {
        let rows: Vec<Vec<String>> = stores
            .iter()
            .map(|s| {
                let arn = s.event_data_store_arn.as_deref().unwrap_or_default();
                vec![
                    format!("<code>{}</code>", esc(store_id(arn))),
                    esc(s.name.as_deref().unwrap_or_default()),
                    esc(s.status.as_deref().unwrap_or_default()),
                    esc(&s
                        .retention_period
                        .map(|d| format!("{d} days"))
                        .unwrap_or_default()),
                    esc(if s.multi_region_enabled == Some(true) {
                        "yes"
                    } else {
                        "no"
                    }),
                ]
            })
            .collect();
        body.push_str(&html::table(
            "stores",
            &[
                "ID (the FROM table)",
                "Name",
                "Status",
                "Retention",
                "Multi-region",
            ],
            &rows,
        ));
    }
    // The editor.
    let statement = match req.get("sql") {
        "" => match stores.first() {
            Some(s) => format!(
                "SELECT eventName, COUNT(*) AS calls FROM {} GROUP BY eventName ORDER BY calls DESC",
                store_id(s.event_data_store_arn.as_deref().unwrap_or_default())
            ),
            None => String::new(),
        },
        sql => sql.to_string(),
    };
    let _ = write!(
        body,
        "<h2>Query</h2><form class=\"editor\" method=\"post\" action=\"/console/lake/run\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{}\"><input type=\"hidden\" name=\"region\" value=\"{}\">\
         <textarea name=\"sql\" rows=\"6\" spellcheck=\"false\">{}</textarea>\
         <p><button type=\"submit\" id=\"run\">Run</button></p></form>",
        esc(token),
        esc(&region),
        esc(&statement)
    );
    let query = req.get("query");
    if !query.is_empty() {
        body.push_str(&results(
            sim,
            &ctx,
            &region,
            query,
            req.get("token"),
            token,
        )?);
    }
    body.push_str(&history(sim, &ctx, &region, &stores)?);
    Ok(Answer::page("CloudTrail Lake", html::Nav::Lake, body))
}

/// The query's status and one page of its rows.
fn results(
    sim: &Simulator,
    ctx: &crate::CallerContext,
    region: &str,
    query: &str,
    page_token: &str,
    csrf: &str,
) -> Result<String, Failure> {
    let (described, page) = sim.run_unrecorded(|env| {
        let described = cloudtrail::describe_query(
            env,
            ctx,
            lm::DescribeQueryRequest {
                query_id: Some(query.to_string()),
                ..Default::default()
            },
        )?;
        let page = if described.query_status.as_deref() == Some("FINISHED") {
            Some(cloudtrail::get_query_results(
                env,
                ctx,
                lm::GetQueryResultsRequest {
                    query_id: query.to_string(),
                    next_token: (!page_token.is_empty()).then(|| page_token.to_string()),
                    max_query_results: Some(PAGE_ROWS),
                    ..Default::default()
                },
            )?)
        } else {
            None
        };
        Ok((described, page))
    })?;
    let status = described.query_status.clone().unwrap_or_default();
    let mut out = String::new();
    let stats = described.query_statistics.clone().unwrap_or_default();
    let _ = write!(
        out,
        "<h2>Query <code>{}</code></h2><pre class=\"words\">{}</pre>\
         <p>Status <strong class=\"status-{}\">{}</strong> · {} events matched · {} scanned · {} ms",
        esc(query),
        esc(described.query_string.as_deref().unwrap_or_default()),
        esc(&status.to_lowercase()),
        esc(&status),
        stats.events_matched.unwrap_or(0),
        stats.events_scanned.unwrap_or(0),
        stats.execution_time_in_millis.unwrap_or(0),
    );
    if status == "FINISHED" {
        let _ = write!(
            out,
            " · {}",
            html::a(
                &html::link("/console/lake/csv", &[("region", region), ("query", query)]),
                "Download CSV"
            )
        );
    }
    out.push_str("</p>");
    if status == "QUEUED" || status == "RUNNING" {
        let _ = write!(
            out,
            "<form method=\"post\" action=\"/console/lake/cancel\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
             <input type=\"hidden\" name=\"region\" value=\"{}\"><input type=\"hidden\" name=\"query\" value=\"{}\">\
             <button type=\"submit\" id=\"cancel\">Cancel query</button></form>",
            esc(csrf),
            esc(region),
            esc(query)
        );
    }
    if let Some(msg) = &described.error_message {
        let _ = write!(out, "<p class=\"error\">{}</p>", esc(msg));
    }
    let Some(page) = page else {
        return Ok(out);
    };
    let (columns, rows) = table_of(&page.query_result_rows);
    let total = page
        .query_statistics
        .as_ref()
        .and_then(|s| s.total_results_count)
        .unwrap_or(rows.len() as i64);
    let _ = write!(out, "<p>{total} rows</p>");
    if !rows.is_empty() {
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|c| esc(c)).collect())
            .collect();
        let headers: Vec<&str> = columns.iter().map(String::as_str).collect();
        out.push_str(&html::table("results", &headers, &cells));
    }
    out.push_str("<p class=\"pager\">");
    if !page_token.is_empty() {
        let _ = write!(
            out,
            "{} ",
            html::a(
                &html::link("/console/lake", &[("region", region), ("query", query)]),
                "« First page"
            )
        );
    }
    if let Some(next) = &page.next_token {
        let _ = write!(
            out,
            "{}",
            html::a(
                &html::link(
                    "/console/lake",
                    &[("region", region), ("query", query), ("token", next)]
                ),
                "Next page »"
            )
        );
    }
    out.push_str("</p>");
    Ok(out)
}

/// Column names (from the first row) and cells as text.
pub fn table_of(rows: &[Vec<serde_json::Map<String, Value>>]) -> (Vec<String>, Vec<Vec<String>>) {
    let columns: Vec<String> = rows
        .first()
        .map(|r| r.iter().filter_map(|c| c.keys().next().cloned()).collect())
        .unwrap_or_default();
    let cells = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| match c.values().next() {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Null) | None => String::new(),
                    Some(v) => v.to_string(),
                })
                .collect()
        })
        .collect();
    (columns, cells)
}

/// Each store's recent queries, newest first.
fn history(
    sim: &Simulator,
    ctx: &crate::CallerContext,
    region: &str,
    stores: &[lm::EventDataStoreDescription],
) -> Result<String, Failure> {
    let mut rows = Vec::new();
    for s in stores {
        let arn = s.event_data_store_arn.clone().unwrap_or_default();
        let listed = sim.run_unrecorded(|env| {
            let listed = cloudtrail::list_queries(
                env,
                ctx,
                lm::ListQueriesRequest {
                    event_data_store: arn.clone(),
                    max_results: Some(HISTORY),
                    ..Default::default()
                },
            )?;
            let mut out = Vec::new();
            for q in listed.queries {
                let id = q.query_id.clone().unwrap_or_default();
                let statement = cloudtrail::describe_query(
                    env,
                    ctx,
                    lm::DescribeQueryRequest {
                        query_id: Some(id.clone()),
                        ..Default::default()
                    },
                )
                .map(|d| d.query_string.unwrap_or_default())
                .unwrap_or_default();
                out.push((q, statement));
            }
            Ok(out)
        })?;
        for (q, statement) in listed {
            let id = q.query_id.clone().unwrap_or_default();
            rows.push(vec![
                esc(&html::when(q.creation_time)),
                html::a(
                    &html::link("/console/lake", &[("region", region), ("query", &id)]),
                    &id,
                ),
                esc(q.query_status.as_deref().unwrap_or_default()),
                esc(s.name.as_deref().unwrap_or_default()),
                format!("<code>{}</code>", esc(&statement)),
                html::a(
                    &html::link("/console/lake", &[("region", region), ("sql", &statement)]),
                    "Edit",
                ),
            ]);
        }
    }
    rows.sort_by(|a, b| b[0].cmp(&a[0]));
    let mut out = String::from("<h2>Query history</h2>");
    if rows.is_empty() {
        out.push_str("<p class=\"empty\">No queries yet.</p>");
    } else {
        out.push_str(&html::table(
            "history",
            &["Created", "Query ID", "Status", "Store", "Statement", ""],
            &rows,
        ));
    }
    Ok(out)
}

/// POST /console/lake/run: StartQuery through the facade, then the query's page.
pub fn run(sim: &Simulator, req: &Request) -> Outcome {
    let region = region_of(sim, req);
    let sql = req.field("sql").trim();
    if sql.is_empty() {
        return Err(Failure::bad_request("Write a statement to run."));
    }
    let ctx = sim.default_caller(&region);
    let started = sim.invoke(
        &ctx,
        "cloudtrail",
        "StartQuery",
        json!({"QueryStatement": sql}),
    )?;
    let id = started["QueryId"]
        .as_str()
        .ok_or_else(|| Failure::new(500, "StartQuery answered no QueryId."))?;
    Ok(Answer::Redirect(html::link(
        "/console/lake",
        &[("region", &region), ("query", id)],
    )))
}

/// POST /console/lake/cancel: CancelQuery through the facade.
pub fn cancel(sim: &Simulator, req: &Request) -> Outcome {
    let region = region_of(sim, req);
    let query = req.field("query");
    if query.is_empty() {
        return Err(Failure::bad_request("Say which query to cancel."));
    }
    let ctx = sim.default_caller(&region);
    sim.invoke(&ctx, "cloudtrail", "CancelQuery", json!({"QueryId": query}))?;
    Ok(Answer::Redirect(html::link(
        "/console/lake",
        &[("region", &region), ("query", query)],
    )))
}

fn csv_cell(s: &str) -> String {
    // A leading = + - @ would be a formula in a spreadsheet: quote it with a tick.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// GET /console/lake/csv: every row of a finished query as CSV.
pub fn csv(sim: &Simulator, req: &Request) -> Outcome {
    let region = region_of(sim, req);
    let query = req.get("query");
    if query.is_empty() {
        return Err(Failure::bad_request("Say which query: ?query=ID."));
    }
    let ctx = sim.default_caller(&region);
    let mut columns = Vec::new();
    let mut lines = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = sim.run_unrecorded(|env| {
            cloudtrail::get_query_results(
                env,
                &ctx,
                lm::GetQueryResultsRequest {
                    query_id: query.to_string(),
                    next_token: token.clone(),
                    max_query_results: Some(1000),
                    ..Default::default()
                },
            )
        })?;
        if page.query_status.as_deref() != Some("FINISHED") {
            return Err(Failure::new(
                409,
                format!(
                    "Query {query} is {}: only a finished query has rows to download.",
                    page.query_status.unwrap_or_default()
                ),
            ));
        }
        let (cols, rows) = table_of(&page.query_result_rows);
        if columns.is_empty() {
            columns = cols;
        }
        lines.extend(rows);
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    let mut out = String::new();
    let line = |cells: &[String]| {
        cells
            .iter()
            .map(|c| csv_cell(c))
            .collect::<Vec<_>>()
            .join(",")
            + "\r\n"
    };
    out.push_str(&line(&columns));
    for r in &lines {
        out.push_str(&line(r));
    }
    Ok(Answer::Raw {
        content_type: "text/csv; charset=utf-8",
        body: out.into_bytes(),
        filename: Some(format!("{query}.csv")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=1+1"), "'=1+1");
    }
}
