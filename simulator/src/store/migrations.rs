//! Ordered schema migrations. Migration N (1-based) brings the schema from version N-1 to N;
//! the applied version is kept in SQLite's `user_version` and in `schema_migrations`.
//! Never edit a released migration: append a new one.

pub const MIGRATIONS: &[&str] = &[
    // 1: settings, clock, counters, trails and their configuration, tags, event history.
    r#"
CREATE TABLE schema_migrations (
    version     INTEGER PRIMARY KEY,
    applied_at  TEXT NOT NULL
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE clock (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    mode      TEXT NOT NULL CHECK (mode IN ('real', 'fixed')),
    fixed_ms  INTEGER
);
INSERT INTO clock (id, mode, fixed_ms) VALUES (1, 'real', NULL);

CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);

CREATE TABLE trails (
    arn         TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL,
    region      TEXT NOT NULL,
    name        TEXT NOT NULL,
    multi_region INTEGER NOT NULL,
    config      TEXT NOT NULL,
    created_ms  INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL,
    UNIQUE (account_id, region, name)
);
CREATE INDEX trails_by_name ON trails (account_id, name);

CREATE TABLE trail_status (
    trail_arn        TEXT PRIMARY KEY REFERENCES trails (arn) ON DELETE CASCADE,
    is_logging       INTEGER NOT NULL,
    start_logging_ms INTEGER,
    stop_logging_ms  INTEGER,
    details          TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE event_selectors (
    trail_arn  TEXT PRIMARY KEY REFERENCES trails (arn) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('basic', 'advanced')),
    selectors  TEXT NOT NULL
);

CREATE TABLE insight_selectors (
    trail_arn  TEXT PRIMARY KEY REFERENCES trails (arn) ON DELETE CASCADE,
    selectors  TEXT NOT NULL
);

CREATE TABLE tags (
    resource_arn TEXT NOT NULL,
    key          TEXT NOT NULL,
    value        TEXT,
    position     INTEGER NOT NULL,
    PRIMARY KEY (resource_arn, key)
);

CREATE TABLE events (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id        TEXT NOT NULL UNIQUE,
    account_id      TEXT NOT NULL,
    region          TEXT NOT NULL,
    event_time_ms   INTEGER NOT NULL,
    event_name      TEXT NOT NULL,
    event_source    TEXT NOT NULL,
    event_category  TEXT NOT NULL,
    username        TEXT,
    read_only       INTEGER NOT NULL,
    access_key_id   TEXT,
    record          TEXT NOT NULL
);
CREATE INDEX events_by_time ON events (account_id, region, event_time_ms DESC, seq DESC);

CREATE TABLE event_resources (
    event_seq     INTEGER NOT NULL REFERENCES events (seq),
    position      INTEGER NOT NULL,
    resource_type TEXT,
    resource_name TEXT,
    PRIMARY KEY (event_seq, position)
);
CREATE INDEX event_resources_by_name ON event_resources (resource_name);
CREATE INDEX event_resources_by_type ON event_resources (resource_type);
"#,
    // 2: documents, the storage of every service other than CloudTrail (S3, KMS, IAM,
    // CloudWatch Logs, SNS, Organizations...): one JSON body per resource, keyed by service,
    // kind, account and region ('' for global resources such as IAM roles or S3 buckets).
    r#"
CREATE TABLE documents (
    service     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    account_id  TEXT NOT NULL,
    region      TEXT NOT NULL,
    id          TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_ms  INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL,
    PRIMARY KEY (service, kind, account_id, region, id)
);
CREATE INDEX documents_by_id ON documents (service, kind, id);
"#,
    // CloudTrail Lake: event data stores (`n` is the compact key of a store's rows), their
    // ingested events (typed columns for what queries filter and group on, plus the record),
    // and queries with their result pages.
    r#"
CREATE TABLE event_data_stores (
    n            INTEGER PRIMARY KEY,
    arn          TEXT NOT NULL UNIQUE,
    id           TEXT NOT NULL UNIQUE,
    account_id   TEXT NOT NULL,
    region       TEXT NOT NULL,
    name         TEXT NOT NULL,
    status       TEXT NOT NULL,
    config       TEXT NOT NULL,
    created_ms   INTEGER NOT NULL,
    updated_ms   INTEGER NOT NULL,
    deleted_ms   INTEGER,
    cursor_seq   INTEGER NOT NULL DEFAULT 0,
    events       INTEGER NOT NULL DEFAULT 0,
    bytes        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX event_data_stores_by_name ON event_data_stores (account_id, region, name);

CREATE TABLE lake_events (
    eds                  INTEGER NOT NULL,
    seq                  INTEGER NOT NULL,
    event_time_ms        INTEGER NOT NULL,
    event_id             TEXT,
    event_version        TEXT,
    event_name           TEXT,
    event_source         TEXT,
    event_type           TEXT,
    event_category       TEXT,
    aws_region           TEXT,
    recipient_account_id TEXT,
    user_type            TEXT,
    user_arn             TEXT,
    user_principal_id    TEXT,
    user_account_id      TEXT,
    user_access_key_id   TEXT,
    user_name            TEXT,
    issuer_user_name     TEXT,
    issuer_arn           TEXT,
    source_ip            TEXT,
    user_agent           TEXT,
    error_code           TEXT,
    error_message        TEXT,
    read_only            INTEGER,
    management_event     INTEGER,
    request_id           TEXT,
    record               TEXT NOT NULL
);
CREATE INDEX lake_events_by_time ON lake_events (eds, event_time_ms);

CREATE TABLE lake_queries (
    query_id     TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL,
    region       TEXT NOT NULL,
    eds_arns     TEXT NOT NULL,
    statement    TEXT NOT NULL,
    status       TEXT NOT NULL,
    error        TEXT,
    stats        TEXT NOT NULL,
    columns      TEXT NOT NULL DEFAULT '[]',
    row_count    INTEGER NOT NULL DEFAULT 0,
    created_ms   INTEGER NOT NULL,
    seq          INTEGER NOT NULL
);
CREATE INDEX lake_queries_by_account ON lake_queries (account_id, region, created_ms);

CREATE TABLE lake_query_pages (
    query_id  TEXT NOT NULL REFERENCES lake_queries (query_id) ON DELETE CASCADE,
    page      INTEGER NOT NULL,
    rows      TEXT NOT NULL,
    PRIMARY KEY (query_id, page)
);
"#,
    // Insights: per trail, the per-minute counts of the management calls Insights analyses
    // (write calls for ApiCallRateInsight, failed calls per error code for
    // ApiErrorRateInsight), kept by the pipeline as it scans new events.
    r#"
CREATE TABLE insight_minutes (
    trail_arn     TEXT NOT NULL REFERENCES trails (arn) ON DELETE CASCADE,
    insight_type  TEXT NOT NULL,
    account_id    TEXT NOT NULL,
    region        TEXT NOT NULL,
    event_source  TEXT NOT NULL,
    event_name    TEXT NOT NULL,
    error_code    TEXT NOT NULL,
    minute        INTEGER NOT NULL,
    count         INTEGER NOT NULL,
    PRIMARY KEY (trail_arn, minute, insight_type, account_id, region, event_source, event_name, error_code)
);
"#,
    // Event appends (hundreds of thousands per `ctsim generate`) no longer maintain two
    // secondary indexes of event resources: LookupEvents' ResourceType / ResourceName
    // filters probe a candidate event's resources by its primary key (event_seq, position).
    r#"
DROP INDEX IF EXISTS event_resources_by_name;
DROP INDEX IF EXISTS event_resources_by_type;
"#,
    // eventIDs made by ctsim carry a number that grows with every append
    // (`ids::event_number`). The events are indexed by that number; only other ids (ingested
    // records, ids made before) keep a unique index on the text. A random UUID key wrote a
    // different index page for almost every appended event. SQLite cannot drop a column's
    // UNIQUE constraint, so both tables are rebuilt (the child first, so that no foreign key
    // is ever dangling), and the rows keep their sequence numbers.
    r#"
CREATE TABLE events_new (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id        TEXT NOT NULL,
    event_number    INTEGER,
    account_id      TEXT NOT NULL,
    region          TEXT NOT NULL,
    event_time_ms   INTEGER NOT NULL,
    event_name      TEXT NOT NULL,
    event_source    TEXT NOT NULL,
    event_category  TEXT NOT NULL,
    username        TEXT,
    read_only       INTEGER NOT NULL,
    access_key_id   TEXT,
    record          TEXT NOT NULL
);
INSERT INTO events_new (seq, event_id, event_number, account_id, region, event_time_ms,
    event_name, event_source, event_category, username, read_only, access_key_id, record)
SELECT seq, event_id, NULL, account_id, region, event_time_ms, event_name, event_source,
    event_category, username, read_only, access_key_id, record
FROM events ORDER BY seq;
CREATE TABLE event_resources_new (
    event_seq     INTEGER NOT NULL REFERENCES events_new (seq),
    position      INTEGER NOT NULL,
    resource_type TEXT,
    resource_name TEXT,
    PRIMARY KEY (event_seq, position)
);
INSERT INTO event_resources_new SELECT event_seq, position, resource_type, resource_name
FROM event_resources;
DELETE FROM sqlite_sequence WHERE name = 'events_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'events_new', seq FROM sqlite_sequence
WHERE name = 'events';
DROP TABLE event_resources;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
ALTER TABLE event_resources_new RENAME TO event_resources;
CREATE INDEX events_by_time ON events (account_id, region, event_time_ms DESC, seq DESC);
CREATE UNIQUE INDEX events_by_number ON events (event_number) WHERE event_number IS NOT NULL;
CREATE UNIQUE INDEX events_by_other_id ON events (event_id) WHERE event_number IS NULL;
"#,
];
