//! `ctsim lake`: CloudTrail Lake from the command line. `lake stores` lists the event data
//! stores, `lake create` makes one, `lake query "SQL"` runs a Lake SQL statement through
//! StartQuery / GetQueryResults (recorded like any client's calls) and prints the rows as a
//! table, JSON or CSV.

use anyhow::{Result, anyhow};
use clap::{Args, Subcommand};
use serde_json::{Value, json};

use crate::Simulator;
use crate::store::LakeTable;

#[derive(Subcommand)]
pub enum LakeCommand {
    /// List the event data stores of the account in a region.
    Stores {
        #[arg(long, default_value = crate::context::DEFAULT_REGION)]
        region: String,
        #[arg(long)]
        json: bool,
    },
    /// Create an event data store (all management events unless told otherwise).
    Create {
        name: String,
        #[arg(long, default_value = crate::context::DEFAULT_REGION)]
        region: String,
        /// Retention period in days.
        #[arg(long)]
        retention: Option<i64>,
        /// Create it without termination protection.
        #[arg(long)]
        no_termination_protection: bool,
    },
    /// Run a Lake SQL statement (the FROM table is an event data store id).
    Query(QueryArgs),
}

#[derive(Args)]
pub struct QueryArgs {
    pub sql: String,
    #[arg(long, default_value = crate::context::DEFAULT_REGION)]
    pub region: String,
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    #[arg(long)]
    pub csv: bool,
}

fn aws(e: crate::AwsError) -> anyhow::Error {
    anyhow!("{}: {}", e.code, e.message)
}

pub fn run(sim: &Simulator, cmd: LakeCommand) -> Result<String> {
    match cmd {
        LakeCommand::Stores { region, json } => {
            let ctx = sim.default_caller(&region);
            let mut stores = Vec::new();
            let mut token: Option<Value> = None;
            loop {
                let mut req = json!({});
                if let Some(t) = &token {
                    req["NextToken"] = t.clone();
                }
                let page = sim
                    .invoke(&ctx, "cloudtrail", "ListEventDataStores", req)
                    .map_err(aws)?;
                stores.extend(
                    page["EventDataStores"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default(),
                );
                match page.get("NextToken") {
                    Some(t) if t.is_string() => token = Some(t.clone()),
                    _ => break,
                }
            }
            if json {
                return Ok(format!("{}\n", serde_json::to_string_pretty(&stores)?));
            }
            let columns = ["ID", "NAME", "STATUS", "RETENTION", "MULTI-REGION"]
                .map(String::from)
                .to_vec();
            let rows = stores
                .iter()
                .map(|s| {
                    let arn = s["EventDataStoreArn"].as_str().unwrap_or_default();
                    vec![
                        Some(arn.rsplit('/').next().unwrap_or_default().to_string()),
                        s["Name"].as_str().map(String::from),
                        s["Status"].as_str().map(String::from),
                        Some(s["RetentionPeriod"].to_string()),
                        Some(s["MultiRegionEnabled"].to_string()),
                    ]
                })
                .collect::<Vec<_>>();
            Ok(table(&columns, &rows))
        }
        LakeCommand::Create {
            name,
            region,
            retention,
            no_termination_protection,
        } => {
            let ctx = sim.default_caller(&region);
            let mut req = json!({"Name": name});
            if let Some(r) = retention {
                req["RetentionPeriod"] = json!(r);
            }
            if no_termination_protection {
                req["TerminationProtectionEnabled"] = json!(false);
            }
            let r = sim
                .invoke(&ctx, "cloudtrail", "CreateEventDataStore", req)
                .map_err(aws)?;
            let arn = r["EventDataStoreArn"].as_str().unwrap_or_default();
            Ok(format!(
                "{arn}\nQuery it with: ctsim lake query \"SELECT eventName, COUNT(*) FROM {} GROUP BY eventName\"\n",
                arn.rsplit('/').next().unwrap_or_default()
            ))
        }
        LakeCommand::Query(args) => {
            let LakeTable { columns, rows } = query(sim, &args.sql, &args.region)?;
            Ok(if args.json {
                json_rows(&columns, &rows)?
            } else if args.csv {
                csv(&columns, &rows)
            } else {
                table(&columns, &rows)
            })
        }
    }
}

/// Runs a statement through the query API and reads every page of results.
pub fn query(sim: &Simulator, sql: &str, region: &str) -> Result<LakeTable> {
    let ctx = sim.default_caller(region);
    let started = sim
        .invoke(
            &ctx,
            "cloudtrail",
            "StartQuery",
            json!({"QueryStatement": sql}),
        )
        .map_err(aws)?;
    let id = started["QueryId"]
        .as_str()
        .ok_or_else(|| anyhow!("StartQuery answered no QueryId"))?
        .to_string();
    let mut columns: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    let mut token: Option<Value> = None;
    loop {
        let mut req = json!({"QueryId": id});
        if let Some(t) = &token {
            req["NextToken"] = t.clone();
        }
        let page = sim
            .invoke(&ctx, "cloudtrail", "GetQueryResults", req)
            .map_err(aws)?;
        if page["QueryStatus"] != "FINISHED" {
            return Err(anyhow!(
                "query {id} is {}: {}",
                page["QueryStatus"],
                page["ErrorMessage"].as_str().unwrap_or_default()
            ));
        }
        let mut page = page;
        let next = page.get("NextToken").filter(|t| t.is_string()).cloned();
        let page_rows = match page.get_mut("QueryResultRows").map(Value::take) {
            Some(Value::Array(list)) => list,
            _ => Vec::new(),
        };
        for r in page_rows {
            let Value::Array(cells) = r else { continue };
            if columns.is_empty() {
                columns = cells
                    .iter()
                    .filter_map(|c| c.as_object().and_then(|m| m.keys().next().cloned()))
                    .collect();
            }
            rows.push(
                cells
                    .into_iter()
                    .map(|c| match c {
                        Value::Object(m) => match m.into_iter().next() {
                            Some((_, Value::String(s))) => Some(s),
                            _ => None,
                        },
                        _ => None,
                    })
                    .collect(),
            );
        }
        token = next;
        if token.is_none() {
            break;
        }
    }
    Ok(LakeTable { columns, rows })
}

/// Columns padded to their widest cell; long cells are not cut.
pub fn table(columns: &[String], rows: &[Vec<Option<String>>]) -> String {
    let mut widths: Vec<usize> = columns.iter().map(|c| c.chars().count()).collect();
    for r in rows {
        for (i, v) in r.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(v.as_deref().unwrap_or_default().chars().count());
            }
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let mut s = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join("  ");
        s.truncate(s.trim_end().len());
        s.push('\n');
        s
    };
    let mut out = line(columns.iter().map(String::as_str).collect());
    for r in rows {
        out.push_str(&line(
            r.iter().map(|v| v.as_deref().unwrap_or_default()).collect(),
        ));
    }
    out.push_str(&format!(
        "({} row{})\n",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    ));
    out
}

/// One JSON object per row, keys in column order.
pub fn json_rows(columns: &[String], rows: &[Vec<Option<String>>]) -> Result<String> {
    let list: Vec<Value> = rows
        .iter()
        .map(|r| {
            let mut m = serde_json::Map::new();
            for (c, v) in columns.iter().zip(r) {
                m.insert(
                    c.clone(),
                    v.clone().map(Value::String).unwrap_or(Value::Null),
                );
            }
            Value::Object(m)
        })
        .collect();
    Ok(format!("{}\n", serde_json::to_string_pretty(&list)?))
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// RFC 4180 CSV with a header line.
pub fn csv(columns: &[String], rows: &[Vec<Option<String>>]) -> String {
    let mut out = columns
        .iter()
        .map(|c| csv_cell(c))
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    for r in rows {
        out.push_str(
            &r.iter()
                .map(|v| csv_cell(v.as_deref().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn seeded() -> (tempfile::TempDir, Simulator, String) {
        let dir = tempfile::tempdir().unwrap(); // test setup
        let sim = Simulator::open(dir.path()).unwrap(); // test setup
        let t0 = chrono::Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(); // valid date
        sim.set_time(t0).unwrap(); // test setup
        let out = run(
            &sim,
            LakeCommand::Create {
                name: "cli-eds".into(),
                region: "us-east-1".into(),
                retention: Some(30),
                no_termination_protection: false,
            },
        )
        .unwrap(); // test setup
        let id = out
            .lines()
            .next()
            .and_then(|l| l.rsplit('/').next())
            .unwrap() // the ARN line
            .to_string();
        let profile = crate::generate::Profile::new(5, t0, 400, vec!["123456789012".into()]);
        sim.append_events(crate::generate::Generator::new(profile).unwrap()) // valid
            .unwrap(); // test setup
        (dir, sim, id)
    }

    #[test]
    fn query_prints_table_json_and_csv() {
        let (_d, sim, id) = seeded();
        let sql = format!(
            "SELECT eventSource, COUNT(*) AS n FROM {id} WHERE eventSource LIKE '%a%' GROUP BY eventSource ORDER BY n DESC, eventSource LIMIT 4"
        );
        let mk = |json: bool, csv: bool| {
            run(
                &sim,
                LakeCommand::Query(QueryArgs {
                    sql: sql.clone(),
                    region: "us-east-1".into(),
                    json,
                    csv,
                }),
            )
            .unwrap() // valid statement
        };
        insta::assert_snapshot!("lake_query_table", mk(false, false));
        insta::assert_snapshot!("lake_query_json", mk(true, false));
        insta::assert_snapshot!("lake_query_csv", mk(false, true));
    }

    #[test]
    fn stores_lists_the_created_store() {
        let (_d, sim, id) = seeded();
        let out = run(
            &sim,
            LakeCommand::Stores {
                region: "us-east-1".into(),
                json: false,
            },
        )
        .unwrap(); // list works
        assert!(out.contains(&id), "{out}");
        assert!(out.contains("cli-eds  ENABLED  30"), "{out}");
    }

    #[test]
    fn bad_statements_are_errors_with_the_aws_name() {
        let (_d, sim, _id) = seeded();
        let e = query(&sim, "DELETE FROM x", "us-east-1").unwrap_err();
        assert!(
            e.to_string().starts_with("InvalidQueryStatementException"),
            "{e}"
        );
    }

    #[test]
    fn csv_quotes_cells_that_need_it() {
        let out = csv(
            &["a".to_string(), "b".to_string()],
            &[
                vec![Some("x,y".into()), Some("say \"hi\"".into())],
                vec![None, Some("z".into())],
            ],
        );
        assert_eq!(out, "a,b\r\n\"x,y\",\"say \"\"hi\"\"\"\r\n,z\r\n");
    }
}
