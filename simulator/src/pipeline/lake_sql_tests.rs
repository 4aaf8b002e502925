//! Translation details that the query snapshots do not isolate.

use super::*;

fn store(name: &str) -> Option<StoreRef> {
    (name == "0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab").then(|| StoreRef {
        n: 7,
        arn: "arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab".into(),
    })
}

fn sql(statement: &str) -> Result<String, SqlError> {
    translate(statement, 1_700_000_000_000, &mut store).map(|t| t.sql)
}

#[test]
fn store_ids_are_quoted_outside_literals_only() {
    let q = quote_store_ids(
        "SELECT * FROM 0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab WHERE x = '0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab'",
    );
    assert_eq!(
        q,
        "SELECT * FROM \"0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab\" WHERE x = '0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab'"
    );
    // Already quoted ids stay as they are.
    let q = quote_store_ids("SELECT * FROM \"0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab\"");
    assert_eq!(q, "SELECT * FROM \"0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab\"");
}

#[test]
fn timestamps_parse_in_the_forms_lake_accepts() {
    let ms = 1_704_067_200_000; // 2024-01-01T00:00:00Z
    for s in [
        "2024-01-01 00:00:00",
        "2024-01-01 00:00:00.000",
        "2024-01-01T00:00:00Z",
        "2024-01-01T00:00:00.000+00:00",
        "2024-01-01",
    ] {
        assert_eq!(parse_timestamp(s), Some(ms), "{s}");
    }
    assert_eq!(parse_timestamp("yesterday"), None);
}

#[test]
fn typed_columns_are_used_for_filters_and_groups() {
    let s = sql("SELECT eventName, COUNT(*) FROM 0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab WHERE userIdentity.arn = 'x' GROUP BY eventName").unwrap(); // valid
    assert!(s.contains("user_arn = 'x'"), "{s}");
    assert!(s.contains("GROUP BY \"t1\".event_name"), "{s}");
    assert!(s.contains("WHERE eds = 7"), "{s}");
    assert!(!s.contains("json_extract"), "{s}");
}

#[test]
fn nested_fields_without_a_column_read_the_record() {
    let s = sql("SELECT element_at(requestParameters, 'bucketName'), userIdentity.sessionContext.attributes.mfaAuthenticated FROM 0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab").unwrap(); // valid
    assert!(
        s.contains("json_extract(\"t1\".record, '$.requestParameters.bucketName')"),
        "{s}"
    );
    assert!(
        s.contains("'$.userIdentity.sessionContext.attributes.mfaAuthenticated'"),
        "{s}"
    );
}

#[test]
fn like_is_case_sensitive_as_in_trino() {
    assert_eq!(like_to_glob("Delete%_x*"), "Delete*?x[*]");
    let s = sql(
        "SELECT eventName FROM 0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab WHERE eventName LIKE 'Get%'",
    )
    .unwrap(); // valid
    assert!(s.contains("GLOB 'Get*'"), "{s}");
}

#[test]
fn now_is_the_simulator_clock() {
    let s = sql("SELECT eventName FROM 0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab WHERE eventTime > date_add('hour', -2, now())").unwrap(); // valid
    assert!(s.contains("1700000000000"), "{s}");
    assert!(s.contains("3600000"), "{s}");
}

#[test]
fn unknown_tables_are_reported_by_name() {
    let e = sql("SELECT eventName FROM nosuchstore").unwrap_err();
    assert_eq!(e, SqlError::UnknownStore("nosuchstore".into()));
}

#[test]
fn odd_statements_are_errors_not_panics() {
    let id = "0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab";
    for s in [
        "",
        ";",
        "SELECT",
        "SELECT * FROM \"\"",
        "SELECT \"\" FROM 0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab",
        "SELECT 'é' || eventName FROM 0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab",
        "SELECT x.y.z FROM 0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab x",
        "SELECT eventName FROM 0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab ORDER BY 0",
        "SELECT eventName FROM 0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab ORDER BY 99",
        "SELECT eventName FROM 0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab LIMIT -1",
        "SELECT element_at(requestParameters, 0) FROM 0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab",
        "SELECT resources[0] FROM 0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab",
        "SELECT date_add('fortnight', 1, now()) FROM 0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab",
        "SELECT \"a\"\"b\" FROM 0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab",
        "SELECT eventName AS \"x\"\"; DROP TABLE events; --\" FROM 0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab",
        "SELECT * FROM 0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab a JOIN 0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab a ON 1 = 1",
        "SELECT ((((((((((((((((((((((((((((((((((((((((((((((((((((((1)))))))))))))))))))))))))))))))))))))))))))))))))))))) FROM 0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab",
    ] {
        let _ = sql(s); // must return, Ok or Err
    }
    // An alias with quotes stays one identifier.
    let s = sql(&format!("SELECT eventName AS \"x\"\"y\" FROM {id}")).unwrap(); // valid
    assert!(s.contains("AS \"x\"\"y\""), "{s}");
}
