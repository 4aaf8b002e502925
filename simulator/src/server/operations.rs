//! Which operations AWS has, for the services `ctsim serve` speaks for: an operation AWS
//! has and ctsim does not implement answers `NotImplemented` (501) in the protocol's error
//! shape, so a client sees "not here" rather than "no such thing"; a name AWS does not know
//! keeps the protocol's own answer (`InvalidAction` on the query protocol,
//! `UnknownOperationException` on JSON).
//!
//! The list is `data/aws_operations.json`, generated from botocore's service models by
//! `data/gen_aws_operations.py` beside it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use crate::error::AwsError;

const DATA: &str = include_str!("data/aws_operations.json");

#[derive(serde::Deserialize)]
struct Table {
    services: BTreeMap<String, BTreeSet<String>>,
}

fn table() -> &'static BTreeMap<String, BTreeSet<String>> {
    static TABLE: OnceLock<BTreeMap<String, BTreeSet<String>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        // The file is part of the build and checked by a test; an unreadable copy would
        // only make every unknown name "not an AWS operation".
        serde_json::from_str::<Table>(DATA)
            .map(|t| t.services)
            .unwrap_or_default()
    })
}

/// Whether `operation` is an operation of AWS's `service` (ctsim's service names).
pub fn aws_has(service: &str, operation: &str) -> bool {
    table()
        .get(service)
        .is_some_and(|ops| ops.contains(operation))
}

/// The error for an operation ctsim does not implement but AWS has.
pub fn not_implemented(service: &str, operation: &str) -> AwsError {
    AwsError::new(
        "NotImplemented",
        format!(
            "{operation} is an operation of {service} that ctsim does not implement (see docs/serve.md)."
        ),
        501,
    )
}

/// The simulator's answer as the wire gives it: `UnknownOperationException` for an
/// operation AWS has becomes `NotImplemented`; anything else is unchanged.
pub fn for_wire(service: &str, operation: &str, err: AwsError) -> AwsError {
    if err.code == "UnknownOperationException" && aws_has(service, operation) {
        not_implemented(service, operation)
    } else {
        err
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_operation_table_loads_and_names_every_served_service() {
        let t: Table = serde_json::from_str(DATA).expect("aws_operations.json parses");
        for s in [
            "cloudtrail",
            "cloudwatch",
            "events",
            "iam",
            "kms",
            "logs",
            "organizations",
            "sns",
            "sts",
        ] {
            assert!(t.services.get(s).is_some_and(|o| !o.is_empty()), "{s}");
        }
        assert!(aws_has("iam", "CreateSAMLProvider"));
        assert!(aws_has("cloudtrail", "CreateTrail"));
        assert!(!aws_has("iam", "MakeCoffee"));
        assert!(!aws_has("nope", "CreateTrail"));
    }

    #[test]
    fn only_operations_aws_has_become_not_implemented() {
        let unknown = |op: &str| AwsError::unknown_operation("kms", op);
        let e = for_wire("kms", "GenerateMac", unknown("GenerateMac"));
        assert_eq!((e.code.as_str(), e.http_status), ("NotImplemented", 501));
        let e = for_wire("kms", "MakeCoffee", unknown("MakeCoffee"));
        assert_eq!(e.code, "UnknownOperationException");
        let other = AwsError::client("NotFoundException", "x");
        assert_eq!(
            for_wire("kms", "GenerateMac", other).code,
            "NotFoundException"
        );
    }
}
