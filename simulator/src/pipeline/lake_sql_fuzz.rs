//! Fuzz targets for Lake SQL (`fuzz_*`, see docs/reliability.md): statements generated from
//! the dialect's grammar, mutations of the sample queries and nesting bombs are translated
//! or refused with InvalidQueryStatementException, never a panic or a stack overflow; what
//! translates runs to an answer over a real event data store.

use proptest::prelude::*;

use super::*;
use crate::fuzz::{check, mutated_text, nasty_string};

const STORE: &str = "0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab";

fn lookup(name: &str) -> Option<StoreRef> {
    (name.eq_ignore_ascii_case(STORE) || name.ends_with(STORE)).then(|| StoreRef {
        n: 7,
        arn: format!("arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/{STORE}"),
    })
}

/// The sample queries of the Lake tests, with `$S` for the store.
pub(crate) const SEEDS: &[&str] = &[
    "SELECT eventName, COUNT(*) AS apiCount FROM $S GROUP BY eventName ORDER BY apiCount DESC, eventName LIMIT 10",
    "SELECT eventTime, userIdentity.arn, sourceIPAddress, awsRegion FROM $S WHERE eventName = 'ConsoleLogin' ORDER BY eventTime LIMIT 5",
    "SELECT userIdentity.arn AS caller, errorCode, count(*) AS errors FROM $S WHERE errorCode IS NOT NULL GROUP BY 1, 2 ORDER BY errors DESC, caller, errorCode LIMIT 10",
    "SELECT element_at(requestParameters, 'bucketName') AS bucket, COUNT(*) AS calls FROM $S WHERE eventSource = 's3.amazonaws.com' GROUP BY element_at(requestParameters, 'bucketName') ORDER BY calls DESC, bucket LIMIT 5",
    "SELECT awsRegion, COUNT(*) AS writes FROM $S WHERE readOnly = false AND eventTime > date_add('day', -1, now()) GROUP BY awsRegion ORDER BY awsRegion",
    "SELECT COUNT(DISTINCT userIdentity.arn) AS users, approx_distinct(sourceIPAddress) AS ips FROM $S",
    "SELECT DISTINCT eventName FROM $S WHERE eventName LIKE 'Put%' OR eventName LIKE '%Role' ORDER BY eventName",
    "SELECT COUNT(*) AS n, MIN(eventTime) AS first, MAX(eventTime) AS last FROM $S WHERE eventTime BETWEEN timestamp '2026-01-01 00:05:00' AND timestamp '2026-01-01 00:10:00'",
    "SELECT userIdentity.principalId, COUNT(*) AS calls FROM $S GROUP BY userIdentity.principalId HAVING COUNT(*) > 40 ORDER BY calls DESC, principalId",
    "SELECT date_trunc('minute', eventTime) AS minute, COUNT(*) AS events FROM $S WHERE eventTime < from_iso8601_timestamp('2026-01-01T00:05:00Z') GROUP BY 1 ORDER BY 1",
    "SELECT DISTINCT m.userIdentity.arn AS arn FROM $S m JOIN $S d ON m.userIdentity.arn = d.userIdentity.arn WHERE m.errorCode = 'AccessDenied' ORDER BY arn LIMIT 5",
    "SELECT eventName, COUNT(*) AS n FROM $S WHERE userIdentity.arn IN (SELECT userIdentity.arn FROM $S WHERE eventName = 'ConsoleLogin') AND readOnly = true GROUP BY eventName ORDER BY n DESC, eventName LIMIT 5",
    "SELECT resources[1].ARN, json_extract(responseElements, '$.x'), substring(eventName, 2, 3), round(1.5, 0), to_unixtime(eventTime) FROM $S",
];

fn seeds() -> Vec<String> {
    SEEDS.iter().map(|s| s.replace("$S", STORE)).collect()
}

fn column() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "eventName",
        "eventTime",
        "eventSource",
        "userIdentity.arn",
        "userIdentity.sessionContext.attributes.mfaAuthenticated",
        "requestParameters",
        "responseElements",
        "resources",
        "readOnly",
        "errorCode",
        "awsRegion",
        "recipientAccountId",
        "eventID",
        "x.y.z",
        "\"eventName\"",
        "t.eventName",
        "*",
        "1",
    ])
    .prop_map(str::to_string)
}

fn literal() -> impl Strategy<Value = String> {
    prop_oneof![
        nasty_string().prop_map(|s| format!("'{}'", s.replace('\'', "''"))),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| format!("{f:?}")),
        prop::sample::select(vec![
            "true",
            "false",
            "null",
            "now()",
            "current_timestamp",
            "localtimestamp",
            "timestamp '2024-01-01 00:00:00'",
            "timestamp 'nope'",
            "interval '1' day",
            "DATE '2024-02-30'",
            "9223372036854775808",
            "-9223372036854775808",
            "1e400",
            "''",
        ])
        .prop_map(str::to_string),
    ]
}

const FUNCTIONS: &[&str] = &[
    "count",
    "sum",
    "min",
    "max",
    "avg",
    "approx_distinct",
    "element_at",
    "json_extract",
    "json_extract_scalar",
    "from_iso8601_timestamp",
    "from_iso8601_date",
    "to_iso8601",
    "to_unixtime",
    "from_unixtime",
    "date_add",
    "date_diff",
    "date_trunc",
    "year",
    "month",
    "week",
    "date",
    "abs",
    "round",
    "substring",
    "substr",
    "replace",
    "strpos",
    "starts_with",
    "coalesce",
    "json_array_length",
    "lower",
    "upper",
    "length",
    "concat",
    "regexp_like",
    "cardinality",
    "nosuchfunction",
];

/// An expression of the dialect, up to a few levels deep.
fn expression() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![3 => column(), 2 => literal()];
    leaf.prop_recursive(4, 32, 4, |e| {
        let op = prop::sample::select(vec![
            "=", "<>", "!=", "<", ">", "<=", ">=", "AND", "OR", "+", "-", "*", "/", "%", "||",
            "LIKE", "NOT LIKE",
        ]);
        let unit = prop::sample::select(vec![
            "'second'",
            "'minute'",
            "'hour'",
            "'day'",
            "'week'",
            "'month'",
            "'year'",
            "'fortnight'",
            "1",
        ]);
        prop_oneof![
            (e.clone(), op, e.clone()).prop_map(|(a, o, b)| format!("{a} {o} {b}")),
            e.clone().prop_map(|a| format!("NOT {a}")),
            e.clone().prop_map(|a| format!("-{a}")),
            e.clone().prop_map(|a| format!("({a})")),
            e.clone().prop_map(|a| format!("{a} IS NULL")),
            e.clone().prop_map(|a| format!("{a} IS NOT NULL")),
            (e.clone(), prop::collection::vec(e.clone(), 0..3))
                .prop_map(|(a, l)| format!("{a} IN ({})", l.join(", "))),
            (e.clone(), e.clone(), e.clone())
                .prop_map(|(a, b, c)| format!("{a} BETWEEN {b} AND {c}")),
            (
                prop::sample::select(FUNCTIONS.to_vec()),
                prop::collection::vec(e.clone(), 0..4)
            )
                .prop_map(|(f, args)| format!("{f}({})", args.join(", "))),
            (
                prop::sample::select(vec!["date_add", "date_diff", "date_trunc"]),
                unit,
                e.clone(),
                e.clone()
            )
                .prop_map(|(f, u, a, b)| format!("{f}({u}, {a}, {b})")),
            (
                e.clone(),
                prop::sample::select(vec![
                    "varchar",
                    "bigint",
                    "double",
                    "boolean",
                    "timestamp",
                    "date",
                    "json"
                ])
            )
                .prop_map(|(a, t)| format!("CAST({a} AS {t})")),
            (e.clone(), e.clone(), e.clone())
                .prop_map(|(a, b, c)| format!("CASE WHEN {a} THEN {b} ELSE {c} END")),
            (e.clone(), any::<i8>()).prop_map(|(a, i)| format!("{a}[{i}]")),
            e.clone().prop_map(|a| format!("COUNT(DISTINCT {a})")),
            e.prop_map(|a| format!("(SELECT {a} FROM {STORE})")),
        ]
    })
}

/// A SELECT statement of the dialect.
fn statement() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        prop::collection::vec((expression(), prop::option::of("[a-z]{1,6}")), 1..4),
        prop::sample::select(vec![
            STORE.to_string(),
            format!("{STORE} t"),
            format!("{STORE} a JOIN {STORE} b ON a.eventID = b.eventID"),
            format!("{STORE} a LEFT JOIN {STORE} b ON a.eventName = b.eventName"),
            format!("(SELECT eventName FROM {STORE}) s"),
            format!("\"{STORE}\""),
            "nosuchstore".to_string(),
            format!("arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/{STORE}"),
        ]),
        prop::option::of(expression()),
        prop::option::of(expression()),
        prop::option::of(expression()),
        prop::option::of((expression(), any::<bool>())),
        prop::option::of(any::<i64>()),
    )
        .prop_map(
            |(distinct, items, from, filter, group, having, order, limit)| {
                let items: Vec<String> = items
                    .into_iter()
                    .map(|(e, alias)| match alias {
                        Some(a) => format!("{e} AS {a}"),
                        None => e,
                    })
                    .collect();
                let mut s = format!(
                    "SELECT {}{} FROM {from}",
                    if distinct { "DISTINCT " } else { "" },
                    items.join(", ")
                );
                if let Some(f) = filter {
                    s.push_str(&format!(" WHERE {f}"));
                }
                if let Some(g) = group {
                    s.push_str(&format!(" GROUP BY {g}"));
                }
                if let Some(h) = having {
                    s.push_str(&format!(" HAVING {h}"));
                }
                if let Some((o, desc)) = order {
                    s.push_str(&format!(" ORDER BY {o}{}", if desc { " DESC" } else { "" }));
                }
                if let Some(l) = limit {
                    s.push_str(&format!(" LIMIT {l}"));
                }
                s
            },
        )
}

/// What the service accepts: at most 10,000 characters (StartQuery's own limit).
fn statement_of_any_kind() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => statement(),
        2 => mutated_text(seeds()),
        1 => statement().prop_flat_map(|s| mutated_text(vec![s])),
        1 => "\\PC{0,64}",
    ]
}

#[test]
fn fuzz_lake_sql_translates_or_refuses_any_statement() {
    check(
        file!(),
        "lake sql translate",
        512,
        statement_of_any_kind(),
        |statement| {
            match translate(&statement, 1_700_000_000_000, &mut lookup) {
                Ok(t) => {
                    prop_assert!(t.sql.contains("lake_events"), "{}", t.sql);
                    prop_assert!(!t.stores.is_empty());
                }
                Err(SqlError::Invalid(m)) => prop_assert!(!m.is_empty()),
                Err(SqlError::UnknownStore(s)) => prop_assert!(!s.is_empty()),
            }
            Ok(())
        },
    );
}

/// Builds `depth` levels of one shape within the 10,000 characters StartQuery accepts.
fn nested(open: &str, inner: &str, close: &str, depth: usize) -> String {
    format!(
        "SELECT {}{inner}{} FROM {STORE}",
        open.repeat(depth),
        close.repeat(depth)
    )
}

/// Left-deep chains are built by the parser without recursion, so sqlparser's own
/// recursion limit does not see them; the translator refuses them before its recursion
/// can exhaust a 2 MiB stack (the size of the threads that serve requests).
#[test]
fn deep_statements_are_refused_not_a_stack_overflow() {
    let chain =
        |op: &str, n: usize| format!("SELECT 1{} FROM {STORE}", format!(" {op} 1").repeat(n));
    // As many levels as fit in 9,900 characters.
    let fit = |unit: &str| 9_900 / unit.len();
    let statements = [
        chain("+", fit(" + 1")),
        chain("AND", fit(" AND 1")),
        chain("||", fit(" || 1")),
        format!(
            "SELECT eventName FROM {STORE} WHERE {}",
            vec!["eventName = 'x'"; fit("eventName = 'x' OR ")].join(" OR ")
        ),
        nested("(", "1", ")", fit("()")),
        nested("NOT ", "true", "", fit("NOT ")),
        nested("-", "1", "", fit("-")),
        nested("abs(", "1", ")", fit("abs()")),
        nested(
            "(SELECT ",
            "1",
            &format!(" FROM {STORE})"),
            fit(&format!("(SELECT  FROM {STORE})")),
        ),
        format!(
            "SELECT eventName FROM {STORE}{}",
            " UNION SELECT eventName FROM x".repeat(fit(" UNION SELECT eventName FROM x"))
        ),
        format!(
            "SELECT CASE {} END FROM {STORE}",
            "WHEN true THEN 1 ".repeat(fit("WHEN true THEN 1 "))
        ),
        format!(
            "SELECT {}1{} FROM {STORE}",
            "1 BETWEEN ".repeat(fit("1 BETWEEN  AND 1")),
            " AND 1".repeat(fit("1 BETWEEN  AND 1"))
        ),
        format!(
            "SELECT {}1{} FROM {STORE}",
            "NOT 1 BETWEEN ".repeat(fit("NOT 1 BETWEEN  AND 1")),
            " AND 1".repeat(fit("NOT 1 BETWEEN  AND 1"))
        ),
        format!(
            "SELECT {}1 FROM {STORE}",
            "element_at(requestParameters, ".repeat(fit("element_at(requestParameters, "))
        ),
    ];
    for s in statements {
        assert!(s.len() <= 10_000, "{} characters", s.len());
        let shown: String = s.chars().take(40).collect();
        let result = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || translate(&s, 0, &mut lookup).map(|t| t.sql.len()))
            .unwrap()
            .join()
            .unwrap_or_else(|_| panic!("{shown}...: panicked"));
        if let Err(e) = result {
            assert!(matches!(e, SqlError::Invalid(_)), "{shown}...: {e:?}");
        }
    }
}

#[test]
fn fuzz_lake_queries_run_to_an_answer_over_a_real_store() {
    use crate::generate::{Generator, Profile};
    use serde_json::json;
    let dir = tempfile::tempdir().unwrap();
    let sim = crate::Simulator::open(dir.path()).unwrap();
    let t0 = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 1, 1, 0, 0, 0).unwrap();
    sim.set_time(t0).unwrap();
    let ctx = crate::CallerContext::new("123456789012", "us-east-1");
    let r = sim
        .invoke(
            &ctx,
            "cloudtrail",
            "CreateEventDataStore",
            json!({"Name": "fuzz"}),
        )
        .unwrap();
    let id = r["EventDataStoreArn"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let mut profile = Profile::new(
        7,
        t0 + chrono::Duration::seconds(1),
        200,
        vec!["123456789012".to_string()],
    );
    profile.rate_per_sec = 2.0;
    sim.append_events(Generator::new(profile).unwrap()).unwrap();
    sim.set_time(t0 + chrono::Duration::hours(1)).unwrap();
    check(
        file!(),
        "lake sql run",
        64,
        statement_of_any_kind(),
        |statement| {
            let statement = statement.replace(STORE, &id);
            let answer = sim.run_unrecorded(|env| {
                crate::services::cloudtrail::lake_queries::run_statement(env, &ctx, &statement)
                    .map(|ran| ran.row.status)
            });
            match answer {
                Ok(status) => prop_assert!(
                    status == "FINISHED" || status == "FAILED",
                    "status {status}"
                ),
                Err(e) => prop_assert!(
                    e.http_status < 500,
                    "{statement}: internal error {}: {}",
                    e.code,
                    e.message
                ),
            }
            Ok(())
        },
    );
}
