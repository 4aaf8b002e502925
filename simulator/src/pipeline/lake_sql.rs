//! Lake SQL: the CloudTrail Lake dialect (Trino-style SELECT) parsed with `sqlparser` and
//! translated to SQLite over the `lake_events` table. An event data store id is a table
//! name; nested record fields (`userIdentity.arn`, `element_at(requestParameters,
//! 'bucketName')`) become typed columns where the store keeps one and `json_extract` over the
//! record otherwise; timestamps are compared as epoch milliseconds and printed as Lake prints
//! them (`2024-01-01 00:00:05.000`). Anything outside the supported subset is refused with a
//! message naming it (InvalidQueryStatementException).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use sqlparser::ast::{
    self, BinaryOperator, DuplicateTreatment, Expr, FunctionArg, FunctionArgExpr,
    FunctionArguments, GroupByExpr, Ident, JoinConstraint, JoinOperator, LimitClause, ObjectName,
    OrderByKind, Query, Select, SelectItem, SetExpr, Statement, TableFactor, UnaryOperator, Value,
};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;

/// A store a statement names, as the lookup resolves it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreRef {
    /// The compact key of the store's rows.
    pub n: i64,
    pub arn: String,
}

/// A translated statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Translation {
    pub sql: String,
    /// The stores the statement reads, in order of first mention.
    pub stores: Vec<StoreRef>,
    /// Whether the outermost SELECT aggregates (GROUP BY or aggregate functions).
    pub aggregates: bool,
}

/// Why a statement cannot run.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlError {
    /// Not valid, or not supported (InvalidQueryStatementException).
    Invalid(String),
    /// A table name that is no event data store of the caller.
    UnknownStore(String),
}

fn invalid<T>(message: impl Into<String>) -> Result<T, SqlError> {
    Err(SqlError::Invalid(message.into()))
}

fn unsupported<T>(what: impl std::fmt::Display) -> Result<T, SqlError> {
    invalid(format!("{what} is not supported by this Lake SQL engine"))
}

/// The value type of a translated expression: decides literal coercion and printing.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Ty {
    Text,
    Int,
    Real,
    Bool,
    /// Epoch milliseconds.
    Time,
    /// A `json_extract` result: a scalar, or an object/array as JSON text.
    Json,
    Unknown,
}

/// Typed columns of `lake_events`: lower-cased Lake field path -> (column, type).
const COLUMNS: &[(&str, &str, Ty)] = &[
    ("eventtime", "event_time_ms", Ty::Time),
    ("eventid", "event_id", Ty::Text),
    ("eventversion", "event_version", Ty::Text),
    ("eventname", "event_name", Ty::Text),
    ("eventsource", "event_source", Ty::Text),
    ("eventtype", "event_type", Ty::Text),
    ("eventcategory", "event_category", Ty::Text),
    ("awsregion", "aws_region", Ty::Text),
    ("recipientaccountid", "recipient_account_id", Ty::Text),
    ("useridentity.type", "user_type", Ty::Text),
    ("useridentity.arn", "user_arn", Ty::Text),
    ("useridentity.principalid", "user_principal_id", Ty::Text),
    ("useridentity.accountid", "user_account_id", Ty::Text),
    ("useridentity.accesskeyid", "user_access_key_id", Ty::Text),
    ("useridentity.username", "user_name", Ty::Text),
    (
        "useridentity.sessioncontext.sessionissuer.username",
        "issuer_user_name",
        Ty::Text,
    ),
    (
        "useridentity.sessioncontext.sessionissuer.arn",
        "issuer_arn",
        Ty::Text,
    ),
    ("sourceipaddress", "source_ip", Ty::Text),
    ("useragent", "user_agent", Ty::Text),
    ("errorcode", "error_code", Ty::Text),
    ("errormessage", "error_message", Ty::Text),
    ("readonly", "read_only", Ty::Bool),
    ("managementevent", "management_event", Ty::Bool),
    ("requestid", "request_id", Ty::Text),
];

/// The top-level fields of a CloudTrail record as Lake exposes them, in `SELECT *` order.
pub const TOP_LEVEL_FIELDS: &[&str] = &[
    "eventVersion",
    "userIdentity",
    "eventTime",
    "eventSource",
    "eventName",
    "awsRegion",
    "sourceIPAddress",
    "userAgent",
    "errorCode",
    "errorMessage",
    "requestParameters",
    "responseElements",
    "additionalEventData",
    "requestID",
    "eventID",
    "readOnly",
    "resources",
    "eventType",
    "apiVersion",
    "managementEvent",
    "recipientAccountId",
    "serviceEventDetails",
    "sharedEventID",
    "vpcEndpointId",
    "vpcEndpointAccountId",
    "eventCategory",
    "addendum",
    "sessionCredentialFromConsole",
    "edgeDeviceDetails",
    "tlsDetails",
    "insightDetails",
];

/// Nested fields whose spelling in the record differs from a naive lower-casing: Lake field
/// names are case-insensitive, JSON keys are not.
const NESTED_FIELDS: &[&str] = &[
    "type",
    "principalId",
    "arn",
    "accountId",
    "accessKeyId",
    "userName",
    "invokedBy",
    "sessionContext",
    "attributes",
    "creationDate",
    "mfaAuthenticated",
    "sessionIssuer",
    "sourceIdentity",
    "webIdFederationData",
    "federatedProvider",
    "identityProvider",
    "onBehalfOf",
    "credentialId",
    "inScopeOf",
    "ARN",
    "tlsVersion",
    "cipherSuite",
    "clientProvidedHostHeader",
    "bucketName",
    "key",
    "Host",
];

fn canonical(part: &str, top: bool) -> String {
    let list: &[&str] = if top { TOP_LEVEL_FIELDS } else { NESTED_FIELDS };
    list.iter()
        .find(|f| f.eq_ignore_ascii_case(part))
        .map(|f| f.to_string())
        .unwrap_or_else(|| part.to_string())
}

fn is_top_level(name: &str) -> bool {
    TOP_LEVEL_FIELDS
        .iter()
        .any(|f| f.eq_ignore_ascii_case(name))
}

fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn quote_str(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A JSON path string for `json_extract` (keys quoted when not plain).
fn json_path(parts: &[String]) -> String {
    let mut p = String::from("$");
    for part in parts {
        if let Some(ix) = part.strip_prefix('[') {
            p.push('[');
            p.push_str(ix);
        } else if part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            p.push('.');
            p.push_str(part);
        } else {
            p.push_str(&format!(".\"{}\"", part.replace('"', "")));
        }
    }
    p
}

/// Parses a timestamp literal as Lake accepts them; epoch milliseconds.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp_millis());
    }
    let s = s.trim_end_matches(" UTC").trim_end_matches('Z');
    for f in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(t.and_utc().timestamp_millis());
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp_millis())
}

/// Quotes table names that are event data store ids (UUID-shaped, possibly starting with a
/// digit) so that the SQL parser reads them as identifiers. String literals are left alone.
pub fn quote_store_ids(sql: &str) -> String {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = String::with_capacity(sql.len() + 8);
    let mut i = 0;
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' || c == '"' || c == '`' {
            // Copy the quoted run (doubled quotes stay inside).
            out.push(c);
            i += 1;
            while i < chars.len() {
                out.push(chars[i]);
                if chars[i] == c {
                    if i + 1 < chars.len() && chars[i + 1] == c {
                        out.push(c);
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                i += 1;
            }
            continue;
        }
        let boundary = i == 0 || !ident(chars[i - 1]) && chars[i - 1] != '.';
        if boundary && i + 36 <= chars.len() {
            let cand: String = chars[i..i + 36].iter().collect();
            let after_ok = i + 36 == chars.len() || !ident(chars[i + 36]);
            if after_ok && is_store_id(&cand) {
                out.push('"');
                out.push_str(&cand);
                out.push('"');
                i += 36;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

fn is_store_id(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Output columns of a query: (name, type).
type Columns = Vec<(String, Ty)>;

/// What a FROM item is, for name resolution.
#[derive(Debug, Clone)]
enum Source {
    /// An event data store (`lake_events` rows of one store).
    Store,
    /// A subquery, with its output columns and their types.
    Derived(Vec<(String, Ty)>),
}

#[derive(Debug, Clone, Default)]
struct Scope {
    /// Lower-cased alias -> (SQL alias, source).
    tables: Vec<(String, String, Source)>,
    /// Lower-cased output alias -> type (ORDER BY and HAVING may name them).
    outputs: HashMap<String, Ty>,
    allow_outputs: bool,
}

/// Expressions nested deeper than this are refused. sqlparser bounds the nesting it
/// parses recursively (parentheses, subqueries, function arguments) but builds chains of
/// binary operators (`1 + 1 + ...`, `a OR b OR ...`) in a loop, so a statement within the
/// 10,000 characters StartQuery accepts can nest thousands deep; SQLite itself refuses
/// expressions deeper than 1,000.
pub const MAX_EXPRESSION_DEPTH: usize = 200;

/// The stack of the thread a statement is parsed and translated on: sqlparser's recursion
/// limit (50 levels, each a dozen frames) needs more than the 2 MiB of a request thread in
/// a debug build, and dropping or printing a deep syntax tree recurses as well. The memory
/// is reserved, not used, until a statement needs it.
const TRANSLATE_STACK_BYTES: usize = 64 << 20;

/// Translates a Lake statement. `lookup` resolves a table name (an event data store id) to
/// a store of the caller; `now_ms` is what `now()` and `current_timestamp` read. The work
/// runs on a thread of its own with a large stack ([`TRANSLATE_STACK_BYTES`]).
pub fn translate(
    statement: &str,
    now_ms: i64,
    lookup: &mut (dyn FnMut(&str) -> Option<StoreRef> + Send),
) -> Result<Translation, SqlError> {
    std::thread::scope(|s| {
        let worker = std::thread::Builder::new()
            .name("lake-sql".into())
            .stack_size(TRANSLATE_STACK_BYTES)
            .spawn_scoped(s, || translate_here(statement, now_ms, lookup));
        match worker {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(e) => invalid(format!(
                "The query could not be started (no thread for the SQL translator: {e}); try again."
            )),
        }
    })
}

fn translate_here(
    statement: &str,
    now_ms: i64,
    lookup: &mut dyn FnMut(&str) -> Option<StoreRef>,
) -> Result<Translation, SqlError> {
    let trimmed = statement.trim().trim_end_matches(';');
    if trimmed.is_empty() {
        return invalid("The query statement is empty.");
    }
    let quoted = quote_store_ids(trimmed);
    let statements = Parser::parse_sql(&GenericDialect {}, &quoted)
        .map_err(|e| SqlError::Invalid(format!("Query statement is not valid: {e}")))?;
    if statements.len() != 1 {
        return invalid("Only one SELECT statement can be run per query.");
    }
    let query = match &statements[0] {
        Statement::Query(q) => q,
        other => {
            let kind = other.to_string();
            let word = kind
                .split_whitespace()
                .next()
                .unwrap_or("this")
                .to_uppercase();
            return invalid(format!(
                "{word} statements are not supported; CloudTrail Lake runs SELECT statements only."
            ));
        }
    };
    let mut t = Translator {
        now_ms,
        lookup,
        stores: Vec::new(),
        next_alias: 0,
        outer: Vec::new(),
        depth: 0,
    };
    let (sql, _cols, aggregates) = t.query(query)?;
    if t.stores.is_empty() {
        return invalid("A Lake query must read from at least one event data store.");
    }
    Ok(Translation {
        sql,
        stores: t.stores,
        aggregates,
    })
}

struct Translator<'l> {
    now_ms: i64,
    lookup: &'l mut dyn FnMut(&str) -> Option<StoreRef>,
    stores: Vec<StoreRef>,
    next_alias: usize,
    /// Scopes of enclosing SELECTs (correlated subqueries).
    outer: Vec<Scope>,
    /// Expressions being translated, outermost first (see [`MAX_EXPRESSION_DEPTH`]).
    depth: usize,
}

const AGGREGATES: &[&str] = &["count", "sum", "min", "max", "avg", "approx_distinct"];

fn contains_aggregate(e: &Expr) -> bool {
    match e {
        Expr::Function(f) => {
            let name = f.name.to_string().to_lowercase();
            AGGREGATES.contains(&name.as_str())
                || match &f.args {
                    FunctionArguments::List(l) => l.args.iter().any(|a| match a {
                        FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => contains_aggregate(e),
                        _ => false,
                    }),
                    _ => false,
                }
        }
        Expr::BinaryOp { left, right, .. } => contains_aggregate(left) || contains_aggregate(right),
        Expr::UnaryOp { expr, .. } | Expr::Nested(expr) | Expr::Cast { expr, .. } => {
            contains_aggregate(expr)
        }
        _ => false,
    }
}

/// How a select item is printed: Lake prints every value as a string.
fn output_sql(sql: &str, ty: Ty) -> String {
    match ty {
        Ty::Time => format!("strftime('%Y-%m-%d %H:%M:%f', ({sql}) / 1000.0, 'unixepoch')"),
        Ty::Bool => {
            format!("CASE WHEN ({sql}) IS NULL THEN NULL WHEN ({sql}) THEN 'true' ELSE 'false' END")
        }
        _ => sql.to_string(),
    }
}

fn ident_name(i: &Ident) -> String {
    i.value.clone()
}

impl Translator<'_> {
    fn alias(&mut self) -> String {
        self.next_alias += 1;
        format!("t{}", self.next_alias)
    }

    /// A query: its SQL, output columns (name, type) and whether it aggregates.
    fn query(&mut self, q: &Query) -> Result<(String, Columns, bool), SqlError> {
        if q.with.is_some() {
            return unsupported("WITH (common table expressions)");
        }
        if q.fetch.is_some() || !q.locks.is_empty() || q.for_clause.is_some() {
            return unsupported("FETCH / FOR / locking clauses");
        }
        if !q.pipe_operators.is_empty() || q.settings.is_some() || q.format_clause.is_some() {
            return unsupported("This clause");
        }
        let select = match q.body.as_ref() {
            SetExpr::Select(s) => s,
            SetExpr::Query(inner) if q.order_by.is_none() && q.limit_clause.is_none() => {
                return self.query(inner);
            }
            SetExpr::SetOperation { op, .. } => {
                return unsupported(format!("{op} (set operations)"));
            }
            other => return unsupported(format!("'{other}'")),
        };
        let (mut sql, cols, aggregates, scope) = self.select(select)?;
        if let Some(ob) = &q.order_by {
            let exprs = match &ob.kind {
                OrderByKind::Expressions(e) => e,
                OrderByKind::All(_) => return unsupported("ORDER BY ALL"),
            };
            let mut scope = scope;
            scope.allow_outputs = true;
            let mut parts = Vec::new();
            for o in exprs {
                if o.with_fill.is_some() {
                    return unsupported("WITH FILL");
                }
                let (s, _) = self.order_key(&o.expr, &scope, &cols)?;
                let mut part = s;
                match o.options.sort {
                    Some(ast::OrderBySort::Desc) => part.push_str(" DESC"),
                    Some(ast::OrderBySort::Asc) | None => {}
                    Some(_) => return unsupported("This sort direction"),
                }
                match o.options.nulls_first {
                    Some(true) => part.push_str(" NULLS FIRST"),
                    Some(false) => part.push_str(" NULLS LAST"),
                    None => {
                        // Trino sorts NULLs last in either direction.
                        part.push_str(" NULLS LAST");
                    }
                }
                parts.push(part);
            }
            sql.push_str(" ORDER BY ");
            sql.push_str(&parts.join(", "));
        }
        if let Some(limit) = &q.limit_clause {
            match limit {
                LimitClause::LimitOffset {
                    limit,
                    offset,
                    limit_by,
                } => {
                    if !limit_by.is_empty() {
                        return unsupported("LIMIT BY");
                    }
                    let lim = match limit {
                        Some(e) => Some(self.int_literal(e, "LIMIT")?),
                        None => None,
                    };
                    let off = match offset {
                        Some(o) => Some(self.int_literal(&o.value, "OFFSET")?),
                        None => None,
                    };
                    match (lim, off) {
                        (Some(l), Some(o)) => sql.push_str(&format!(" LIMIT {l} OFFSET {o}")),
                        (Some(l), None) => sql.push_str(&format!(" LIMIT {l}")),
                        (None, Some(o)) => sql.push_str(&format!(" LIMIT -1 OFFSET {o}")),
                        (None, None) => {}
                    }
                }
                LimitClause::OffsetCommaLimit { .. } => return unsupported("LIMIT offset, count"),
            }
        }
        Ok((sql, cols, aggregates))
    }

    fn int_literal(&self, e: &Expr, what: &str) -> Result<u64, SqlError> {
        match e {
            Expr::Value(v) => match &v.value {
                Value::Number(n, _) => n.parse::<u64>().map_err(|_| {
                    SqlError::Invalid(format!("{what} must be a non-negative integer"))
                }),
                _ => invalid(format!("{what} must be a non-negative integer")),
            },
            _ => invalid(format!("{what} must be a non-negative integer")),
        }
    }

    /// An ORDER BY key: an output ordinal, an output alias or an expression.
    fn order_key(
        &mut self,
        e: &Expr,
        scope: &Scope,
        cols: &[(String, Ty)],
    ) -> Result<(String, Ty), SqlError> {
        if let Expr::Value(v) = e
            && let Value::Number(n, _) = &v.value
        {
            let ix: usize = n
                .parse()
                .map_err(|_| SqlError::Invalid(format!("ORDER BY position {n} is not valid")))?;
            if ix == 0 || ix > cols.len() {
                return invalid(format!("ORDER BY position {ix} is not in select list"));
            }
            return Ok((ix.to_string(), cols[ix - 1].1));
        }
        self.expr(e, scope)
    }

    fn select(&mut self, s: &Select) -> Result<(String, Columns, bool, Scope), SqlError> {
        if s.top.is_some() || s.into.is_some() || !s.lateral_views.is_empty() {
            return unsupported("TOP / INTO / LATERAL VIEW");
        }
        if s.prewhere.is_some()
            || s.qualify.is_some()
            || !s.named_window.is_empty()
            || !s.connect_by.is_empty()
            || !s.cluster_by.is_empty()
            || !s.distribute_by.is_empty()
            || !s.sort_by.is_empty()
            || s.exclude.is_some()
        {
            return unsupported("This SELECT clause");
        }
        if s.from.is_empty() {
            return invalid("A Lake query must read FROM an event data store.");
        }
        let mut scope = Scope::default();
        let mut from_sql = Vec::new();
        for twj in &s.from {
            let mut part = self.table_factor(&twj.relation, &mut scope)?;
            for j in &twj.joins {
                let (kw, constraint) = match &j.join_operator {
                    JoinOperator::Join(c) | JoinOperator::Inner(c) => ("JOIN", c),
                    JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => ("LEFT JOIN", c),
                    JoinOperator::Right(c) | JoinOperator::RightOuter(c) => ("RIGHT JOIN", c),
                    JoinOperator::FullOuter(c) => ("FULL JOIN", c),
                    JoinOperator::CrossJoin(c) => ("CROSS JOIN", c),
                    _ => return unsupported("This join type (SEMI, ANTI, APPLY, ...)"),
                };
                let right = self.table_factor(&j.relation, &mut scope)?;
                part.push_str(&format!(" {kw} {right}"));
                match constraint {
                    JoinConstraint::On(e) => {
                        let (on, _) = self.expr(e, &scope)?;
                        part.push_str(&format!(" ON {on}"));
                    }
                    JoinConstraint::None => {}
                    _ => return unsupported("JOIN ... USING / NATURAL JOIN"),
                }
            }
            from_sql.push(part);
        }
        // Projection.
        let mut items = Vec::new();
        let mut cols: Vec<(String, Ty)> = Vec::new();
        let mut aggregates = false;
        for (pos, item) in s.projection.iter().enumerate() {
            match item {
                SelectItem::UnnamedExpr(e) => {
                    aggregates |= contains_aggregate(e);
                    let (sql, ty) = self.expr(e, &scope)?;
                    let name = match e {
                        Expr::Identifier(i) => ident_name(i),
                        Expr::CompoundIdentifier(parts) => {
                            parts.last().map(ident_name).unwrap_or_default()
                        }
                        _ => format!("_col{pos}"),
                    };
                    items.push(format!(
                        "{} AS {}",
                        output_sql(&sql, ty),
                        quote_ident(&name)
                    ));
                    cols.push((name, ty));
                }
                SelectItem::ExprWithAlias { expr, alias } => {
                    aggregates |= contains_aggregate(expr);
                    let (sql, ty) = self.expr(expr, &scope)?;
                    let name = ident_name(alias);
                    items.push(format!(
                        "{} AS {}",
                        output_sql(&sql, ty),
                        quote_ident(&name)
                    ));
                    cols.push((name, ty));
                }
                SelectItem::Wildcard(opts) => {
                    if opts.opt_exclude.is_some()
                        || opts.opt_except.is_some()
                        || opts.opt_replace.is_some()
                        || opts.opt_rename.is_some()
                        || opts.opt_ilike.is_some()
                    {
                        return unsupported("SELECT * with modifiers");
                    }
                    let tables = scope.tables.clone();
                    for (_, alias, src) in &tables {
                        self.expand_star(alias, src, &mut items, &mut cols, tables.len() > 1);
                    }
                }
                SelectItem::QualifiedWildcard(kind, _) => {
                    let name = match kind {
                        ast::SelectItemQualifiedWildcardKind::ObjectName(o) => o.to_string(),
                        ast::SelectItemQualifiedWildcardKind::Expr(e) => e.to_string(),
                    };
                    let key = name.trim_matches('"').to_lowercase();
                    let Some((_, alias, src)) =
                        scope.tables.iter().find(|(k, _, _)| *k == key).cloned()
                    else {
                        return invalid(format!("Table '{name}' not found in FROM clause"));
                    };
                    self.expand_star(&alias, &src, &mut items, &mut cols, true);
                }
                SelectItem::ExprWithAliases { .. } => return unsupported("Multiple aliases"),
            }
        }
        for (name, ty) in &cols {
            scope.outputs.insert(name.to_lowercase(), *ty);
        }
        let distinct = match &s.distinct {
            None | Some(ast::Distinct::All) => "",
            Some(ast::Distinct::Distinct) => "DISTINCT ",
            Some(ast::Distinct::On(_)) => return unsupported("DISTINCT ON"),
        };
        let mut sql = format!(
            "SELECT {distinct}{} FROM {}",
            items.join(", "),
            from_sql.join(", ")
        );
        if let Some(w) = &s.selection {
            if contains_aggregate(w) {
                return invalid("WHERE clause cannot contain aggregations");
            }
            let (ws, _) = self.expr(w, &scope)?;
            sql.push_str(&format!(" WHERE {ws}"));
        }
        match &s.group_by {
            GroupByExpr::Expressions(exprs, modifiers) => {
                if !modifiers.is_empty() {
                    return unsupported("GROUP BY modifiers (ROLLUP, CUBE, TOTALS)");
                }
                if !exprs.is_empty() {
                    aggregates = true;
                    let mut g = Vec::new();
                    let mut gscope = scope.clone();
                    gscope.allow_outputs = true;
                    for e in exprs {
                        let (gs, _) = self.order_key(e, &gscope, &cols)?;
                        g.push(gs);
                    }
                    sql.push_str(&format!(" GROUP BY {}", g.join(", ")));
                }
            }
            GroupByExpr::All(_) => return unsupported("GROUP BY ALL"),
        }
        if let Some(h) = &s.having {
            let mut hscope = scope.clone();
            hscope.allow_outputs = true;
            let (hs, _) = self.expr(h, &hscope)?;
            sql.push_str(&format!(" HAVING {hs}"));
        }
        Ok((sql, cols, aggregates, scope))
    }

    fn expand_star(
        &mut self,
        alias: &str,
        src: &Source,
        items: &mut Vec<String>,
        cols: &mut Vec<(String, Ty)>,
        qualify: bool,
    ) {
        let q = if qualify {
            format!("{}.", quote_ident(alias))
        } else {
            String::new()
        };
        match src {
            Source::Store => {
                for f in TOP_LEVEL_FIELDS {
                    let (sql, ty) = store_field(&q, &[f.to_string()]);
                    items.push(format!("{} AS {}", output_sql(&sql, ty), quote_ident(f)));
                    cols.push((f.to_string(), ty));
                }
            }
            Source::Derived(dcols) => {
                for (name, ty) in dcols {
                    items.push(format!("{q}{}", quote_ident(name)));
                    cols.push((name.clone(), *ty));
                }
            }
        }
    }

    fn table_factor(&mut self, f: &TableFactor, scope: &mut Scope) -> Result<String, SqlError> {
        match f {
            TableFactor::Table {
                name,
                alias,
                args,
                with_hints,
                version,
                partitions,
                sample,
                ..
            } => {
                if args.is_some()
                    || !with_hints.is_empty()
                    || version.is_some()
                    || !partitions.is_empty()
                    || sample.is_some()
                {
                    return unsupported(format!("Table clause on {name}"));
                }
                let table = object_name(name);
                let store =
                    (self.lookup)(&table).ok_or_else(|| SqlError::UnknownStore(table.clone()))?;
                let n = store.n;
                if !self.stores.iter().any(|s| s.n == n) {
                    self.stores.push(store);
                }
                let (key, sql_alias) = match alias {
                    Some(a) => {
                        if !a.columns.is_empty() {
                            return unsupported("Column aliases on a table");
                        }
                        (a.name.value.to_lowercase(), a.name.value.clone())
                    }
                    None => (table.to_lowercase(), self.alias()),
                };
                if scope.tables.iter().any(|(k, _, _)| *k == key) {
                    return invalid(format!("Table name '{key}' is specified more than once"));
                }
                // Also reachable by the store id when aliased? Trino: no; keep one name.
                scope.tables.push((key, sql_alias.clone(), Source::Store));
                // A subquery in FROM is flattened by SQLite: the plan is a scan of the
                // store's rows, as if written against the table directly.
                Ok(format!(
                    "(SELECT * FROM lake_events WHERE eds = {n}) AS {}",
                    quote_ident(&sql_alias)
                ))
            }
            TableFactor::Derived {
                lateral,
                subquery,
                alias,
                ..
            } => {
                if *lateral {
                    return unsupported("LATERAL");
                }
                let Some(a) = alias else {
                    return invalid("A subquery in FROM needs an alias");
                };
                if !a.columns.is_empty() {
                    return unsupported("Column aliases on a subquery");
                }
                let saved = std::mem::take(&mut self.outer);
                let inner = self.query(subquery);
                self.outer = saved;
                let (sql, cols, _) = inner?;
                let key = a.name.value.to_lowercase();
                scope
                    .tables
                    .push((key, a.name.value.clone(), Source::Derived(cols)));
                Ok(format!("({sql}) AS {}", quote_ident(&a.name.value)))
            }
            TableFactor::NestedJoin { .. } => unsupported("Parenthesised joins"),
            other => unsupported(format!("FROM item '{other}'")),
        }
    }

    /// A subquery in an expression: translated with the current scope as an outer scope.
    fn subquery(
        &mut self,
        q: &Query,
        scope: &Scope,
    ) -> Result<(String, Vec<(String, Ty)>), SqlError> {
        self.outer.push(scope.clone());
        let r = self.query(q);
        self.outer.pop();
        let (sql, cols, _) = r?;
        Ok((sql, cols))
    }

    /// Resolves a (possibly qualified) field path.
    fn column(&mut self, parts: &[Ident], scope: &Scope) -> Result<(String, Ty), SqlError> {
        let names: Vec<String> = parts.iter().map(ident_name).collect();
        if names.is_empty() {
            return invalid("An empty column name");
        }
        let shown = names.join(".");
        let scopes: Vec<&Scope> = std::iter::once(scope)
            .chain(self.outer.iter().rev())
            .collect();
        // Qualified by a table alias?
        if names.len() > 1 {
            let key = names[0].to_lowercase();
            for sc in &scopes {
                if let Some((_, alias, src)) = sc.tables.iter().find(|(k, _, _)| *k == key) {
                    let q = format!("{}.", quote_ident(alias));
                    return match src {
                        Source::Store => {
                            if !is_top_level(&names[1]) {
                                return invalid(format!(
                                    "COLUMN_NOT_FOUND: Column '{shown}' cannot be resolved"
                                ));
                            }
                            Ok(store_field(&q, &names[1..]))
                        }
                        Source::Derived(cols) => {
                            let want = names[1].to_lowercase();
                            match cols.iter().find(|(c, _)| c.to_lowercase() == want) {
                                Some((c, ty)) if names.len() == 2 => {
                                    Ok((format!("{q}{}", quote_ident(c)), *ty))
                                }
                                Some((c, _)) => Ok((
                                    format!(
                                        "json_extract({q}{}, {})",
                                        quote_ident(c),
                                        quote_str(&json_path(&names[2..]))
                                    ),
                                    Ty::Json,
                                )),
                                None => invalid(format!(
                                    "COLUMN_NOT_FOUND: Column '{shown}' cannot be resolved"
                                )),
                            }
                        }
                    };
                }
            }
        }
        let first = names[0].to_lowercase();
        // An output alias (ORDER BY, GROUP BY, HAVING), unless it is a record field.
        if names.len() == 1
            && scope.allow_outputs
            && !is_top_level(&first)
            && let Some(ty) = scope.outputs.get(&first)
        {
            return Ok((quote_ident(&names[0]), output_ty(*ty)));
        }
        // A record field of the (only) store in scope.
        for sc in &scopes {
            let stores: Vec<&(String, String, Source)> = sc
                .tables
                .iter()
                .filter(|(_, _, s)| matches!(s, Source::Store))
                .collect();
            if is_top_level(&names[0]) && !stores.is_empty() {
                if stores.len() > 1 {
                    return invalid(format!(
                        "Column '{shown}' is ambiguous: qualify it with a table alias"
                    ));
                }
                let q = format!("{}.", quote_ident(&stores[0].1));
                return Ok(store_field(&q, &names));
            }
            // A column of a subquery in FROM.
            for (_, alias, src) in &sc.tables {
                if let Source::Derived(cols) = src
                    && let Some((c, ty)) = cols.iter().find(|(c, _)| c.to_lowercase() == first)
                {
                    let q = format!("{}.", quote_ident(alias));
                    if names.len() == 1 {
                        return Ok((format!("{q}{}", quote_ident(c)), *ty));
                    }
                    return Ok((
                        format!(
                            "json_extract({q}{}, {})",
                            quote_ident(c),
                            quote_str(&json_path(&names[1..]))
                        ),
                        Ty::Json,
                    ));
                }
            }
        }
        invalid(format!(
            "COLUMN_NOT_FOUND: Column '{shown}' cannot be resolved"
        ))
    }

    fn expr(&mut self, e: &Expr, scope: &Scope) -> Result<(String, Ty), SqlError> {
        if self.depth >= MAX_EXPRESSION_DEPTH {
            return invalid(format!(
                "The query statement nests expressions more than {MAX_EXPRESSION_DEPTH} levels deep."
            ));
        }
        self.depth += 1;
        let r = self.expr_at_depth(e, scope);
        self.depth -= 1;
        r
    }

    fn expr_at_depth(&mut self, e: &Expr, scope: &Scope) -> Result<(String, Ty), SqlError> {
        match e {
            Expr::Identifier(i) => self.column(std::slice::from_ref(i), scope),
            Expr::CompoundIdentifier(parts) => self.column(parts, scope),
            Expr::Value(v) => literal(&v.value),
            Expr::TypedString(ts) => {
                let ty = ts.data_type.to_string().to_lowercase();
                let text = match &ts.value.value {
                    Value::SingleQuotedString(s) => s.clone(),
                    other => other.to_string(),
                };
                if ty.starts_with("timestamp") || ty == "date" {
                    let ms = parse_timestamp(&text).ok_or_else(|| {
                        SqlError::Invalid(format!("Value cannot be cast to timestamp: {text}"))
                    })?;
                    Ok((ms.to_string(), Ty::Time))
                } else {
                    unsupported(format!("The {ty} literal"))
                }
            }
            Expr::Nested(inner) => {
                let (s, ty) = self.expr(inner, scope)?;
                Ok((format!("({s})"), ty))
            }
            Expr::UnaryOp { op, expr } => {
                let (s, ty) = self.expr(expr, scope)?;
                match op {
                    UnaryOperator::Not => Ok((format!("NOT ({s})"), Ty::Bool)),
                    UnaryOperator::Minus => Ok((format!("-({s})"), ty)),
                    UnaryOperator::Plus => Ok((s, ty)),
                    other => unsupported(format!("The unary operator {other}")),
                }
            }
            Expr::BinaryOp { left, op, right } => self.binary(left, op, right, scope),
            Expr::IsNull(x) => {
                let (s, _) = self.expr(x, scope)?;
                Ok((format!("({s}) IS NULL"), Ty::Bool))
            }
            Expr::IsNotNull(x) => {
                let (s, _) = self.expr(x, scope)?;
                Ok((format!("({s}) IS NOT NULL"), Ty::Bool))
            }
            Expr::IsTrue(x) | Expr::IsFalse(x) => {
                let (s, _) = self.expr(x, scope)?;
                let v = if matches!(e, Expr::IsTrue(_)) { 1 } else { 0 };
                Ok((format!("({s}) IS {v}"), Ty::Bool))
            }
            Expr::Between {
                expr,
                negated,
                low,
                high,
            } => {
                let (s, ty) = self.expr(expr, scope)?;
                let lo = self.coerced(low, ty, scope)?;
                let hi = self.coerced(high, ty, scope)?;
                let not = if *negated { "NOT " } else { "" };
                Ok((format!("({s}) {not}BETWEEN {lo} AND {hi}"), Ty::Bool))
            }
            Expr::In {
                expr,
                target,
                negated,
                ..
            } => {
                let (s, ty) = self.expr(expr, scope)?;
                let not = if *negated { "NOT " } else { "" };
                match target {
                    ast::InTarget::List(list) => {
                        let mut vals = Vec::new();
                        for x in list {
                            vals.push(self.coerced(x, ty, scope)?);
                        }
                        Ok((format!("({s}) {not}IN ({})", vals.join(", ")), Ty::Bool))
                    }
                    ast::InTarget::Subquery(q) => {
                        let (sub, cols) = self.subquery(q, scope)?;
                        if cols.len() != 1 {
                            return invalid("A subquery in IN must return one column");
                        }
                        Ok((format!("({s}) {not}IN ({sub})"), Ty::Bool))
                    }
                    _ => unsupported("IN UNNEST / IN table"),
                }
            }
            Expr::Like {
                negated,
                any,
                expr,
                pattern,
                escape_char,
            }
            | Expr::ILike {
                negated,
                any,
                expr,
                pattern,
                escape_char,
            } => {
                if *any {
                    return unsupported("LIKE ANY");
                }
                let (s, _) = self.expr(expr, scope)?;
                let not = if *negated { "NOT " } else { "" };
                let ilike = matches!(e, Expr::ILike { .. });
                // Trino's LIKE is case-sensitive; SQLite's is not (for ASCII). A literal
                // pattern without ESCAPE becomes a GLOB, which is.
                if !ilike
                    && escape_char.is_none()
                    && let Expr::Value(v) = pattern.as_ref()
                    && let Value::SingleQuotedString(p) = &v.value
                {
                    return Ok((
                        format!("({s}) {not}GLOB {}", quote_str(&like_to_glob(p))),
                        Ty::Bool,
                    ));
                }
                let (p, _) = self.expr(pattern, scope)?;
                let esc = match escape_char {
                    Some(c) => {
                        let (c, _) = self.expr(c, scope)?;
                        format!(" ESCAPE {c}")
                    }
                    None => String::new(),
                };
                Ok((format!("({s}) {not}LIKE {p}{esc}"), Ty::Bool))
            }
            Expr::Cast {
                expr, data_type, ..
            } => {
                let (s, ty) = self.expr(expr, scope)?;
                let target = data_type.to_string().to_lowercase();
                if target.starts_with("varchar")
                    || target.starts_with("char")
                    || target == "text"
                    || target.starts_with("string")
                {
                    Ok((format!("CAST({} AS TEXT)", output_sql(&s, ty)), Ty::Text))
                } else if ["bigint", "int", "integer", "smallint", "tinyint"]
                    .iter()
                    .any(|t| target.starts_with(t))
                {
                    Ok((format!("CAST({s} AS INTEGER)"), Ty::Int))
                } else if ["double", "real", "decimal", "float"]
                    .iter()
                    .any(|t| target.starts_with(t))
                {
                    Ok((format!("CAST({s} AS REAL)"), Ty::Real))
                } else if target.starts_with("timestamp") || target == "date" {
                    if ty == Ty::Time {
                        Ok((s, Ty::Time))
                    } else {
                        Ok((iso_to_ms(&s), Ty::Time))
                    }
                } else if target == "boolean" {
                    Ok((format!("CAST({s} AS INTEGER)"), Ty::Bool))
                } else {
                    unsupported(format!("CAST to {data_type}"))
                }
            }
            Expr::Case {
                operand,
                conditions,
                else_result,
                ..
            } => {
                let mut out = String::from("CASE");
                let op_ty = match operand {
                    Some(o) => {
                        let (s, ty) = self.expr(o, scope)?;
                        out.push_str(&format!(" {s}"));
                        Some(ty)
                    }
                    None => None,
                };
                let mut result_ty = Ty::Unknown;
                for w in conditions {
                    let cond = match op_ty {
                        Some(t) => self.coerced(&w.condition, t, scope)?,
                        None => self.expr(&w.condition, scope)?.0,
                    };
                    let (r, rt) = self.expr(&w.result, scope)?;
                    if result_ty == Ty::Unknown {
                        result_ty = rt;
                    }
                    out.push_str(&format!(" WHEN {cond} THEN {r}"));
                }
                if let Some(el) = else_result {
                    let (r, _) = self.expr(el, scope)?;
                    out.push_str(&format!(" ELSE {r}"));
                }
                out.push_str(" END");
                Ok((out, result_ty))
            }
            Expr::Subquery(q) => {
                let (sub, cols) = self.subquery(q, scope)?;
                if cols.len() != 1 {
                    return invalid("A scalar subquery must return one column");
                }
                Ok((format!("({sub})"), Ty::Unknown))
            }
            Expr::Exists { subquery, negated } => {
                let (sub, _) = self.subquery(subquery, scope)?;
                let not = if *negated { "NOT " } else { "" };
                Ok((format!("{not}EXISTS ({sub})"), Ty::Bool))
            }
            Expr::Function(f) => self.function(f, scope),
            Expr::CompoundFieldAccess { root, access_chain } => {
                // `resources[1].ARN` style access: a path into the record.
                let (base, ty) = self.expr(root, scope)?;
                let mut path = Vec::new();
                for a in access_chain {
                    match a {
                        ast::AccessExpr::Dot(Expr::Identifier(i)) => {
                            path.push(canonical(&i.value, false))
                        }
                        ast::AccessExpr::Subscript(ast::Subscript::Index { index }) => {
                            let ix = self.int_literal(index, "An array index")?;
                            if ix == 0 {
                                return invalid("Array indexes start at 1");
                            }
                            path.push(format!("[{}]", ix - 1));
                        }
                        _ => return unsupported(format!("'{e}'")),
                    }
                }
                let _ = ty;
                Ok((
                    format!("json_extract({base}, {})", quote_str(&json_path(&path))),
                    Ty::Json,
                ))
            }
            Expr::Extract { field, expr, .. } => {
                let (s, _) = self.expr(expr, scope)?;
                let f = match field.to_string().to_lowercase().as_str() {
                    "year" => "%Y",
                    "month" => "%m",
                    "day" => "%d",
                    "hour" => "%H",
                    "minute" => "%M",
                    "second" => "%S",
                    other => return unsupported(format!("EXTRACT({other})")),
                };
                Ok((
                    format!("CAST(strftime('{f}', ({s}) / 1000, 'unixepoch') AS INTEGER)"),
                    Ty::Int,
                ))
            }
            Expr::Substring {
                expr,
                substring_from,
                substring_for,
                ..
            } => {
                let (s, _) = self.expr(expr, scope)?;
                let from = match substring_from {
                    Some(x) => self.expr(x, scope)?.0,
                    None => "1".into(),
                };
                Ok(match substring_for {
                    Some(n) => {
                        let (n, _) = self.expr(n, scope)?;
                        (format!("substr({s}, {from}, {n})"), Ty::Text)
                    }
                    None => (format!("substr({s}, {from})"), Ty::Text),
                })
            }
            Expr::Trim {
                trim_where,
                trim_what,
                expr,
                trim_characters,
            } => {
                if trim_what.is_some() || trim_characters.is_some() {
                    return unsupported("TRIM of given characters");
                }
                let (s, _) = self.expr(expr, scope)?;
                let f = match trim_where {
                    Some(ast::TrimWhereField::Leading) => "ltrim",
                    Some(ast::TrimWhereField::Trailing) => "rtrim",
                    _ => "trim",
                };
                Ok((format!("{f}({s})"), Ty::Text))
            }
            other => unsupported(format!("The expression '{other}'")),
        }
    }

    /// Translates `e`, reading a string literal as a timestamp or boolean when compared with
    /// one (Lake compares eventTime with '2024-01-01 00:00:00' and readOnly with 'true').
    fn coerced(&mut self, e: &Expr, target: Ty, scope: &Scope) -> Result<String, SqlError> {
        if let Expr::Value(v) = e
            && let Value::SingleQuotedString(s) = &v.value
        {
            match target {
                Ty::Time => {
                    let ms = parse_timestamp(s).ok_or_else(|| {
                        SqlError::Invalid(format!("Value cannot be cast to timestamp: {s}"))
                    })?;
                    return Ok(ms.to_string());
                }
                Ty::Bool if s.eq_ignore_ascii_case("true") => return Ok("1".into()),
                Ty::Bool if s.eq_ignore_ascii_case("false") => return Ok("0".into()),
                _ => {}
            }
        }
        Ok(self.expr(e, scope)?.0)
    }

    fn binary(
        &mut self,
        left: &Expr,
        op: &BinaryOperator,
        right: &Expr,
        scope: &Scope,
    ) -> Result<(String, Ty), SqlError> {
        let sym = match op {
            BinaryOperator::And => "AND",
            BinaryOperator::Or => "OR",
            BinaryOperator::Eq => "=",
            BinaryOperator::NotEq => "<>",
            BinaryOperator::Lt => "<",
            BinaryOperator::LtEq => "<=",
            BinaryOperator::Gt => ">",
            BinaryOperator::GtEq => ">=",
            BinaryOperator::Plus => "+",
            BinaryOperator::Minus => "-",
            BinaryOperator::Multiply => "*",
            BinaryOperator::Divide => "/",
            BinaryOperator::Modulo => "%",
            BinaryOperator::StringConcat => "||",
            other => return unsupported(format!("The operator {other}")),
        };
        let (ls, lt) = self.expr(left, scope)?;
        let (rs, rt) = self.expr(right, scope)?;
        // Coerce a string literal on either side to the other side's type.
        let rs = if matches!(lt, Ty::Time | Ty::Bool) && is_string_literal(right) {
            self.coerced(right, lt, scope)?
        } else {
            rs
        };
        let ls = if matches!(rt, Ty::Time | Ty::Bool) && is_string_literal(left) {
            self.coerced(left, rt, scope)?
        } else {
            ls
        };
        let ty = match op {
            BinaryOperator::And
            | BinaryOperator::Or
            | BinaryOperator::Eq
            | BinaryOperator::NotEq
            | BinaryOperator::Lt
            | BinaryOperator::LtEq
            | BinaryOperator::Gt
            | BinaryOperator::GtEq => Ty::Bool,
            BinaryOperator::StringConcat => Ty::Text,
            _ if lt == Ty::Time || rt == Ty::Time => Ty::Time,
            _ if lt == Ty::Real || rt == Ty::Real => Ty::Real,
            _ => Ty::Int,
        };
        Ok((format!("{ls} {sym} {rs}"), ty))
    }

    fn function(&mut self, f: &ast::Function, scope: &Scope) -> Result<(String, Ty), SqlError> {
        if f.over.is_some() {
            return unsupported("Window functions (OVER)");
        }
        if f.filter.is_some() || !f.within_group.is_empty() || f.null_treatment.is_some() {
            return unsupported(format!("'{f}'"));
        }
        let name = f.name.to_string().to_lowercase();
        let (distinct, args): (bool, Vec<&FunctionArg>) = match &f.args {
            FunctionArguments::None => (false, Vec::new()),
            FunctionArguments::List(l) => {
                if !l.clauses.is_empty() {
                    return unsupported(format!("'{f}'"));
                }
                (
                    matches!(l.duplicate_treatment, Some(DuplicateTreatment::Distinct)),
                    l.args.iter().collect(),
                )
            }
            FunctionArguments::Subquery(_) => return unsupported(format!("'{f}'")),
        };
        let mut exprs: Vec<&Expr> = Vec::new();
        let mut star = false;
        for a in &args {
            match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => exprs.push(e),
                FunctionArg::Unnamed(FunctionArgExpr::Wildcard) => star = true,
                _ => return unsupported(format!("The argument form in '{f}'")),
            }
        }
        let arity = |n: usize| -> Result<(), SqlError> {
            if exprs.len() != n {
                return invalid(format!(
                    "FUNCTION_NOT_FOUND / wrong arguments: {name} takes {n} argument(s), got {}",
                    exprs.len()
                ));
            }
            Ok(())
        };
        let d = if distinct { "DISTINCT " } else { "" };
        match name.as_str() {
            "count" => {
                if star {
                    return Ok(("COUNT(*)".into(), Ty::Int));
                }
                arity(1)?;
                let (s, _) = self.expr(exprs[0], scope)?;
                Ok((format!("COUNT({d}{s})"), Ty::Int))
            }
            "approx_distinct" => {
                arity(1)?;
                let (s, _) = self.expr(exprs[0], scope)?;
                Ok((format!("COUNT(DISTINCT {s})"), Ty::Int))
            }
            "sum" | "min" | "max" | "avg" => {
                arity(1)?;
                let (s, ty) = self.expr(exprs[0], scope)?;
                let out_ty = match name.as_str() {
                    "avg" => Ty::Real,
                    "sum" if ty == Ty::Real => Ty::Real,
                    "sum" => Ty::Int,
                    _ => ty,
                };
                Ok((format!("{}({d}{s})", name.to_uppercase()), out_ty))
            }
            "element_at" => {
                arity(2)?;
                let (base, _) = self.expr(exprs[0], scope)?;
                let key = match exprs[1] {
                    Expr::Value(v) => match &v.value {
                        Value::SingleQuotedString(k) => k.clone(),
                        Value::Number(n, _) => {
                            let ix: i64 = n.parse().map_err(|_| {
                                SqlError::Invalid(format!("element_at index {n} is not valid"))
                            })?;
                            if ix < 1 {
                                return invalid("element_at indexes start at 1");
                            }
                            format!("[{}]", ix - 1)
                        }
                        _ => return unsupported("element_at with a non-literal key"),
                    },
                    _ => return unsupported("element_at with a non-literal key"),
                };
                Ok((extend_path(&base, &key), Ty::Json))
            }
            "json_extract_scalar" | "json_extract" => {
                arity(2)?;
                let (base, _) = self.expr(exprs[0], scope)?;
                let (path, _) = self.expr(exprs[1], scope)?;
                Ok((format!("json_extract({base}, {path})"), Ty::Json))
            }
            "now" | "current_timestamp" | "localtimestamp" => {
                arity(0)?;
                Ok((self.now_ms.to_string(), Ty::Time))
            }
            "from_iso8601_timestamp" | "from_iso8601_date" => {
                arity(1)?;
                if let Expr::Value(v) = exprs[0]
                    && let Value::SingleQuotedString(s) = &v.value
                {
                    let ms = parse_timestamp(s)
                        .ok_or_else(|| SqlError::Invalid(format!("Invalid format: \"{s}\"")))?;
                    return Ok((ms.to_string(), Ty::Time));
                }
                let (s, _) = self.expr(exprs[0], scope)?;
                Ok((iso_to_ms(&s), Ty::Time))
            }
            "to_iso8601" => {
                arity(1)?;
                let (s, _) = self.expr(exprs[0], scope)?;
                Ok((
                    format!("strftime('%Y-%m-%dT%H:%M:%fZ', ({s}) / 1000.0, 'unixepoch')"),
                    Ty::Text,
                ))
            }
            "to_unixtime" => {
                arity(1)?;
                let (s, _) = self.expr(exprs[0], scope)?;
                Ok((format!("(({s}) / 1000.0)"), Ty::Real))
            }
            "from_unixtime" => {
                arity(1)?;
                let (s, _) = self.expr(exprs[0], scope)?;
                Ok((format!("CAST(({s}) * 1000 AS INTEGER)"), Ty::Time))
            }
            "date_add" => {
                arity(3)?;
                let unit = unit_literal(exprs[0])?;
                let (n, _) = self.expr(exprs[1], scope)?;
                let (ts, _) = self.expr(exprs[2], scope)?;
                match unit_ms(&unit) {
                    Some(ms) => Ok((format!("(({ts}) + ({n}) * {ms})"), Ty::Time)),
                    None => {
                        let modifier = match unit.as_str() {
                            "month" => "months",
                            "quarter" => return unsupported("date_add('quarter', ...)"),
                            "year" => "years",
                            other => return invalid(format!("'{other}' is not a valid time unit")),
                        };
                        Ok((
                            format!(
                                "(CAST(strftime('%s', ({ts}) / 1000, 'unixepoch', ({n}) || ' {modifier}') AS INTEGER) * 1000 + ({ts}) % 1000)"
                            ),
                            Ty::Time,
                        ))
                    }
                }
            }
            "date_diff" => {
                arity(3)?;
                let unit = unit_literal(exprs[0])?;
                let (a, _) = self.expr(exprs[1], scope)?;
                let (b, _) = self.expr(exprs[2], scope)?;
                let Some(ms) = unit_ms(&unit) else {
                    return unsupported(format!("date_diff('{unit}', ...)"));
                };
                Ok((format!("((({b}) - ({a})) / {ms})"), Ty::Int))
            }
            "date_trunc" => {
                arity(2)?;
                let unit = unit_literal(exprs[0])?;
                let (ts, _) = self.expr(exprs[1], scope)?;
                match unit.as_str() {
                    "month" | "year" => Ok((
                        format!(
                            "(CAST(strftime('%s', ({ts}) / 1000, 'unixepoch', 'start of {unit}') AS INTEGER) * 1000)"
                        ),
                        Ty::Time,
                    )),
                    "week" => Ok((
                        // Trino weeks start on Monday; the epoch was a Thursday.
                        format!("(((({ts}) - 345600000) / 604800000) * 604800000 + 345600000)"),
                        Ty::Time,
                    )),
                    _ => match unit_ms(&unit) {
                        Some(ms) => Ok((format!("((({ts}) / {ms}) * {ms})"), Ty::Time)),
                        None => invalid(format!("'{unit}' is not a valid time unit")),
                    },
                }
            }
            "date" => {
                arity(1)?;
                let (ts, _) = self.expr(exprs[0], scope)?;
                Ok((
                    format!("strftime('%Y-%m-%d', ({ts}) / 1000, 'unixepoch')"),
                    Ty::Text,
                ))
            }
            "lower" | "upper" | "length" | "trim" | "ltrim" | "rtrim" | "abs" => {
                arity(1)?;
                let (s, ty) = self.expr(exprs[0], scope)?;
                let out = if name == "length" {
                    Ty::Int
                } else if name == "abs" {
                    ty
                } else {
                    Ty::Text
                };
                Ok((format!("{name}({s})"), out))
            }
            "round" => {
                if exprs.is_empty() || exprs.len() > 2 {
                    return invalid("round takes 1 or 2 arguments");
                }
                let mut parts = Vec::new();
                for x in &exprs {
                    parts.push(self.expr(x, scope)?.0);
                }
                Ok((format!("round({})", parts.join(", ")), Ty::Real))
            }
            "substr" | "substring" => {
                if exprs.len() < 2 || exprs.len() > 3 {
                    return invalid("substr takes 2 or 3 arguments");
                }
                let mut parts = Vec::new();
                for x in &exprs {
                    parts.push(self.expr(x, scope)?.0);
                }
                Ok((format!("substr({})", parts.join(", ")), Ty::Text))
            }
            "replace" => {
                if exprs.len() < 2 || exprs.len() > 3 {
                    return invalid("replace takes 2 or 3 arguments");
                }
                let mut parts = Vec::new();
                for x in &exprs {
                    parts.push(self.expr(x, scope)?.0);
                }
                if parts.len() == 2 {
                    parts.push("''".into());
                }
                Ok((format!("replace({})", parts.join(", ")), Ty::Text))
            }
            "strpos" => {
                arity(2)?;
                let (a, _) = self.expr(exprs[0], scope)?;
                let (b, _) = self.expr(exprs[1], scope)?;
                Ok((format!("instr({a}, {b})"), Ty::Int))
            }
            "starts_with" => {
                arity(2)?;
                let (a, _) = self.expr(exprs[0], scope)?;
                let (b, _) = self.expr(exprs[1], scope)?;
                Ok((format!("(substr({a}, 1, length({b})) = {b})"), Ty::Bool))
            }
            "concat" | "coalesce" => {
                if exprs.is_empty() {
                    return invalid(format!("{name} needs at least one argument"));
                }
                let mut parts = Vec::new();
                let mut ty = Ty::Unknown;
                for x in &exprs {
                    let (s, t) = self.expr(x, scope)?;
                    if ty == Ty::Unknown {
                        ty = t;
                    }
                    parts.push(if name == "concat" {
                        output_sql(&s, t)
                    } else {
                        s
                    });
                }
                if name == "concat" {
                    Ok((format!("({})", parts.join(" || ")), Ty::Text))
                } else {
                    Ok((format!("coalesce({})", parts.join(", ")), ty))
                }
            }
            "cardinality" | "json_array_length" => {
                arity(1)?;
                let (s, _) = self.expr(exprs[0], scope)?;
                Ok((format!("json_array_length({s})"), Ty::Int))
            }
            _ => invalid(format!(
                "FUNCTION_NOT_FOUND: Function '{name}' is not supported by this Lake SQL engine"
            )),
        }
    }
}

/// A LIKE pattern as a GLOB pattern: `%` -> `*`, `_` -> `?`, GLOB's own specials bracketed.
fn like_to_glob(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for c in p.chars() {
        match c {
            '%' => out.push('*'),
            '_' => out.push('?'),
            '*' => out.push_str("[*]"),
            '?' => out.push_str("[?]"),
            '[' => out.push_str("[[]"),
            other => out.push(other),
        }
    }
    out
}

fn output_ty(ty: Ty) -> Ty {
    // Output aliases hold printed values: timestamps and booleans are already text.
    match ty {
        Ty::Time | Ty::Bool => Ty::Text,
        other => other,
    }
}

fn is_string_literal(e: &Expr) -> bool {
    matches!(e, Expr::Value(v) if matches!(v.value, Value::SingleQuotedString(_)))
}

fn literal(v: &Value) -> Result<(String, Ty), SqlError> {
    match v {
        Value::Number(n, _) => {
            if n.parse::<i64>().is_ok() {
                Ok((n.clone(), Ty::Int))
            } else if n.parse::<f64>().is_ok() {
                Ok((n.clone(), Ty::Real))
            } else {
                invalid(format!("'{n}' is not a number"))
            }
        }
        Value::SingleQuotedString(s) => Ok((quote_str(s), Ty::Text)),
        Value::Boolean(b) => Ok(((*b as i64).to_string(), Ty::Bool)),
        Value::Null => Ok(("NULL".into(), Ty::Unknown)),
        other => unsupported(format!("The literal {other}")),
    }
}

fn unit_literal(e: &Expr) -> Result<String, SqlError> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) => Ok(s.to_lowercase()),
            _ => invalid("A time unit must be a string such as 'day'"),
        },
        _ => invalid("A time unit must be a string such as 'day'"),
    }
}

fn unit_ms(unit: &str) -> Option<i64> {
    Some(match unit {
        "millisecond" => 1,
        "second" => 1_000,
        "minute" => 60_000,
        "hour" => 3_600_000,
        "day" => 86_400_000,
        "week" => 604_800_000,
        _ => return None,
    })
}

/// Milliseconds of an ISO-8601 text expression, in SQL.
fn iso_to_ms(s: &str) -> String {
    format!(
        "CAST(round((julianday(replace(replace({s}, 'T', ' '), 'Z', '')) - 2440587.5) * 86400000) AS INTEGER)"
    )
}

/// The SQL of a record field of a store: a typed column when the store keeps one, else a
/// `json_extract` over the record. `q` is the table qualifier (`"t1".`) or empty.
fn store_field(q: &str, path: &[String]) -> (String, Ty) {
    let mut canon: Vec<String> = Vec::with_capacity(path.len());
    for (i, p) in path.iter().enumerate() {
        canon.push(canonical(p, i == 0));
    }
    let key = canon.join(".").to_lowercase();
    if let Some((_, col, ty)) = COLUMNS.iter().find(|(k, _, _)| *k == key) {
        return (format!("{q}{col}"), *ty);
    }
    (
        format!("json_extract({q}record, {})", quote_str(&json_path(&canon))),
        Ty::Json,
    )
}

/// `element_at(base, key)`: one more step on a record path, or `json_extract` on a value.
fn extend_path(base: &str, key: &str) -> String {
    if let Some(inner) = base.strip_prefix("json_extract(")
        && let Some((target, path)) = inner.rsplit_once(", '")
        && let Some(path) = path.strip_suffix("')")
    {
        let mut p = path.replace("''", "'");
        if let Some(ix) = key.strip_prefix('[') {
            p.push('[');
            p.push_str(ix);
        } else {
            p.push_str(&json_path(&[key.to_string()])[1..]);
        }
        return format!("json_extract({target}, {})", quote_str(&p));
    }
    let p = if let Some(ix) = key.strip_prefix('[') {
        format!("$[{ix}")
    } else {
        json_path(&[key.to_string()])
    };
    // A typed column (e.g. a string) has no members: the result is NULL, as in Trino.
    format!(
        "json_extract(CASE WHEN json_valid({base}) THEN {base} END, {})",
        quote_str(&p)
    )
}

fn object_name(n: &ObjectName) -> String {
    n.0.iter()
        .map(|p| match p.as_ident() {
            Some(i) => i.value.clone(),
            None => p.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
#[path = "lake_sql_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "lake_sql_fuzz.rs"]
mod fuzz;
