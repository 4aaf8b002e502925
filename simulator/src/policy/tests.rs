//! Table tests of policy evaluation: (policy document, request, expected decision).

use serde_json::{Value, json};

use super::*;

const ACCOUNT: &str = "111122223333";

fn svc(name: &str) -> RequestPrincipal {
    RequestPrincipal::service(name)
}

fn aws(arn: &str) -> RequestPrincipal {
    RequestPrincipal::Aws(arn.to_string())
}

fn alice() -> RequestPrincipal {
    aws("arn:aws:iam::111122223333:user/alice")
}

fn put(principal: RequestPrincipal) -> Request {
    Request::new(
        principal,
        "s3:PutObject",
        "arn:aws:s3:::b/AWSLogs/1/x.json.gz",
    )
}

/// A resource policy with one statement: defaults Principal "*", Action "*", Resource "*",
/// overridden / extended by `fields`.
fn one(effect: &str, fields: Value) -> Value {
    let mut s = json!({"Effect": effect});
    let fields = fields.as_object().cloned().unwrap_or_default();
    let has = |k: &str| fields.contains_key(k);
    if !has("Principal") && !has("NotPrincipal") {
        s["Principal"] = json!("*");
    }
    if !has("Action") && !has("NotAction") {
        s["Action"] = json!("*");
    }
    if !has("Resource") && !has("NotResource") {
        s["Resource"] = json!("*");
    }
    for (k, v) in fields {
        s[k.as_str()] = v;
    }
    json!({"Version": "2012-10-17", "Statement": [s]})
}

fn allow(fields: Value) -> Value {
    one("Allow", fields)
}

fn allow_if(condition: Value) -> Value {
    allow(json!({"Condition": condition}))
}

/// A request by alice with the given context keys (a JSON array value = multivalued key).
fn ctx_req(keys: Value) -> Request {
    let mut r = put(alice());
    for (k, v) in keys.as_object().cloned().unwrap_or_default() {
        r = match v {
            Value::Array(items) => r.with_many(
                &k,
                items
                    .iter()
                    .map(|i| i.as_str().unwrap_or_default().to_string()),
            ),
            Value::String(s) => r.with(&k, s),
            other => r.with(&k, other.to_string()),
        };
    }
    r
}

use Decision::{Allow as A, ExplicitDeny as D, ImplicitDeny as I};

fn cases() -> Vec<(&'static str, Value, Request, Decision)> {
    let root = format!("arn:aws:iam::{ACCOUNT}:root");
    vec![
        // --- principals ---
        (
            "star principal matches a service",
            allow(json!({})),
            put(svc("cloudtrail.amazonaws.com")),
            A,
        ),
        (
            "star principal matches anonymous",
            allow(json!({})),
            put(RequestPrincipal::Anonymous),
            A,
        ),
        (
            "AWS * matches a user",
            allow(json!({"Principal": {"AWS": "*"}})),
            put(alice()),
            A,
        ),
        (
            "AWS * matches a service principal",
            allow(json!({"Principal": {"AWS": "*"}})),
            put(svc("cloudtrail.amazonaws.com")),
            A,
        ),
        (
            "account id matches a user of the account",
            allow(json!({"Principal": {"AWS": ACCOUNT}})),
            put(alice()),
            A,
        ),
        (
            "account id matches a role session of the account",
            allow(json!({"Principal": {"AWS": ACCOUNT}})),
            put(aws("arn:aws:sts::111122223333:assumed-role/r/s")),
            A,
        ),
        (
            "account id rejects another account",
            allow(json!({"Principal": {"AWS": ACCOUNT}})),
            put(aws("arn:aws:iam::999999999999:user/alice")),
            I,
        ),
        (
            "account root ARN matches a role of the account",
            allow(json!({"Principal": {"AWS": root}})),
            put(aws("arn:aws:iam::111122223333:role/r")),
            A,
        ),
        (
            "account root ARN does not match a service principal",
            allow(json!({"Principal": {"AWS": root}})),
            put(svc("cloudtrail.amazonaws.com")),
            I,
        ),
        (
            "user ARN matches that user",
            allow(json!({"Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}})),
            put(alice()),
            A,
        ),
        (
            "user ARN does not match another user",
            allow(json!({"Principal": {"AWS": "arn:aws:iam::111122223333:user/bob"}})),
            put(alice()),
            I,
        ),
        (
            "role ARN with path covers its sessions",
            allow(json!({"Principal": {"AWS": "arn:aws:iam::111122223333:role/ops/r"}})),
            put(aws("arn:aws:sts::111122223333:assumed-role/r/s")),
            A,
        ),
        (
            "role ARN does not cover another role's session",
            allow(json!({"Principal": {"AWS": "arn:aws:iam::111122223333:role/r"}})),
            put(aws("arn:aws:sts::111122223333:assumed-role/q/s")),
            I,
        ),
        (
            "service principal matches",
            allow(json!({"Principal": {"Service": "cloudtrail.amazonaws.com"}})),
            put(svc("cloudtrail.amazonaws.com")),
            A,
        ),
        (
            "service principal list matches",
            allow(
                json!({"Principal": {"Service": ["config.amazonaws.com", "cloudtrail.amazonaws.com"]}}),
            ),
            put(svc("cloudtrail.amazonaws.com")),
            A,
        ),
        (
            "other service principal does not match",
            allow(json!({"Principal": {"Service": "config.amazonaws.com"}})),
            put(svc("cloudtrail.amazonaws.com")),
            I,
        ),
        (
            "service principal does not match a user",
            allow(json!({"Principal": {"Service": "cloudtrail.amazonaws.com"}})),
            put(alice()),
            I,
        ),
        (
            "federated principal matches",
            allow(json!({"Principal": {"Federated": "cognito-identity.amazonaws.com"}})),
            put(RequestPrincipal::Federated(
                "cognito-identity.amazonaws.com".into(),
            )),
            A,
        ),
        (
            "canonical user matches",
            allow(json!({"Principal": {"CanonicalUser": "79a59df9"}})),
            put(RequestPrincipal::CanonicalUser("79a59df9".into())),
            A,
        ),
        (
            "NotPrincipal allow excludes the listed user",
            allow(json!({"NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/alice"}})),
            put(alice()),
            I,
        ),
        (
            "NotPrincipal allow includes everyone else",
            allow(json!({"NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/alice"}})),
            put(svc("cloudtrail.amazonaws.com")),
            A,
        ),
        (
            "NotPrincipal deny spares the listed principal",
            json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
                {"Effect": "Deny", "NotPrincipal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "*"}]}),
            put(svc("cloudtrail.amazonaws.com")),
            A,
        ),
        (
            "NotPrincipal deny hits everyone else",
            json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
                {"Effect": "Deny", "NotPrincipal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "*"}]}),
            put(alice()),
            D,
        ),
        // --- actions ---
        (
            "action is case-insensitive",
            allow(json!({"Action": "S3:putobject"})),
            put(alice()),
            A,
        ),
        (
            "action * wildcard",
            allow(json!({"Action": "s3:Put*"})),
            put(alice()),
            A,
        ),
        (
            "action ? wildcard",
            allow(json!({"Action": "s3:PutObjec?"})),
            put(alice()),
            A,
        ),
        (
            "action wildcard in the middle",
            allow(json!({"Action": "s3:*Object"})),
            put(alice()),
            A,
        ),
        (
            "action of another service",
            allow(json!({"Action": "sns:Publish"})),
            put(alice()),
            I,
        ),
        (
            "action list",
            allow(json!({"Action": ["s3:GetObject", "s3:PutObject"]})),
            put(alice()),
            A,
        ),
        (
            "NotAction excludes the listed action",
            allow(json!({"NotAction": "s3:Put*"})),
            put(alice()),
            I,
        ),
        (
            "NotAction allows other actions",
            allow(json!({"NotAction": "s3:Delete*"})),
            put(alice()),
            A,
        ),
        // --- resources ---
        (
            "resource exact",
            allow(json!({"Resource": "arn:aws:s3:::b/AWSLogs/1/x.json.gz"})),
            put(alice()),
            A,
        ),
        (
            "resource prefix wildcard",
            allow(json!({"Resource": "arn:aws:s3:::b/*"})),
            put(alice()),
            A,
        ),
        (
            "resource is case-sensitive",
            allow(json!({"Resource": "arn:aws:s3:::B/*"})),
            put(alice()),
            I,
        ),
        (
            "resource ? wildcard",
            allow(json!({"Resource": "arn:aws:s3:::b/AWSLogs/?/*"})),
            put(alice()),
            A,
        ),
        (
            "resource of another bucket",
            allow(json!({"Resource": "arn:aws:s3:::other/*"})),
            put(alice()),
            I,
        ),
        (
            "bucket ARN does not cover its objects",
            allow(json!({"Resource": "arn:aws:s3:::b"})),
            put(alice()),
            I,
        ),
        (
            "resource list",
            allow(json!({"Resource": ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"]})),
            put(alice()),
            A,
        ),
        (
            "NotResource excludes the listed resource",
            allow(json!({"NotResource": "arn:aws:s3:::b/*"})),
            put(alice()),
            I,
        ),
        (
            "NotResource allows other resources",
            allow(json!({"NotResource": "arn:aws:s3:::other/*"})),
            put(alice()),
            A,
        ),
        (
            "region wildcard in an ARN segment",
            allow(json!({"Resource": "arn:aws:sns:*:111122223333:topic"})),
            Request::new(
                alice(),
                "sns:Publish",
                "arn:aws:sns:us-east-1:111122223333:topic",
            ),
            A,
        ),
        (
            "policy variable in a resource",
            allow(json!({"Resource": "arn:aws:s3:::b/home/${aws:username}/*"})),
            Request::new(alice(), "s3:PutObject", "arn:aws:s3:::b/home/alice/f")
                .with("aws:username", "alice"),
            A,
        ),
        (
            "policy variable for another user",
            allow(json!({"Resource": "arn:aws:s3:::b/home/${aws:username}/*"})),
            Request::new(alice(), "s3:PutObject", "arn:aws:s3:::b/home/bob/f")
                .with("aws:username", "alice"),
            I,
        ),
        (
            "policy variables are literal in Version 2008-10-17",
            json!({"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "arn:aws:s3:::b/${x}"}}),
            Request::new(alice(), "s3:PutObject", "arn:aws:s3:::b/${x}").with("x", "y"),
            A,
        ),
        // --- explicit deny ---
        (
            "explicit deny wins over allow",
            json!({"Statement": [{"Sid": "All", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
                {"Sid": "NoPut", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "*"}]}),
            put(alice()),
            D,
        ),
        (
            "deny that does not apply leaves the allow",
            json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
                {"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject", "Resource": "*"}]}),
            put(alice()),
            A,
        ),
        (
            "deny alone is an explicit deny",
            one("Deny", json!({})),
            put(alice()),
            D,
        ),
        (
            "no statement applies: implicit deny",
            allow(json!({"Action": "s3:GetObject"})),
            put(alice()),
            I,
        ),
        // --- string operators ---
        (
            "StringEquals matches",
            allow_if(json!({"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}})),
            ctx_req(json!({"s3:x-amz-acl": "bucket-owner-full-control"})),
            A,
        ),
        (
            "StringEquals is case-sensitive",
            allow_if(json!({"StringEquals": {"s3:x-amz-acl": "Bucket-Owner-Full-Control"}})),
            ctx_req(json!({"s3:x-amz-acl": "bucket-owner-full-control"})),
            I,
        ),
        (
            "StringEquals with a missing key is false",
            allow_if(json!({"StringEquals": {"s3:x-amz-acl": "private"}})),
            ctx_req(json!({})),
            I,
        ),
        (
            "condition key names are case-insensitive",
            allow_if(json!({"StringEquals": {"AWS:SOURCEACCOUNT": ACCOUNT}})),
            ctx_req(json!({"aws:SourceAccount": ACCOUNT})),
            A,
        ),
        (
            "multiple values are ORed",
            allow_if(
                json!({"StringEquals": {"s3:x-amz-acl": ["private", "bucket-owner-full-control"]}}),
            ),
            ctx_req(json!({"s3:x-amz-acl": "bucket-owner-full-control"})),
            A,
        ),
        (
            "multiple keys are ANDed",
            allow_if(
                json!({"StringEquals": {"s3:x-amz-acl": "private", "aws:SourceAccount": ACCOUNT}}),
            ),
            ctx_req(json!({"s3:x-amz-acl": "private"})),
            I,
        ),
        (
            "multiple operators are ANDed",
            allow_if(
                json!({"StringEquals": {"s3:x-amz-acl": "private"}, "StringLike": {"aws:SourceAccount": "1111*"}}),
            ),
            ctx_req(json!({"s3:x-amz-acl": "private", "aws:SourceAccount": ACCOUNT})),
            A,
        ),
        (
            "StringNotEquals with a different value",
            allow_if(json!({"StringNotEquals": {"s3:x-amz-acl": "public-read"}})),
            ctx_req(json!({"s3:x-amz-acl": "private"})),
            A,
        ),
        (
            "StringNotEquals with the same value",
            allow_if(json!({"StringNotEquals": {"s3:x-amz-acl": "private"}})),
            ctx_req(json!({"s3:x-amz-acl": "private"})),
            I,
        ),
        (
            "StringNotEquals values are NORed",
            allow_if(json!({"StringNotEquals": {"s3:x-amz-acl": ["public-read", "private"]}})),
            ctx_req(json!({"s3:x-amz-acl": "private"})),
            I,
        ),
        (
            "StringNotEquals with a missing key is true",
            allow_if(json!({"StringNotEquals": {"s3:x-amz-acl": "private"}})),
            ctx_req(json!({})),
            A,
        ),
        (
            "StringEqualsIgnoreCase",
            allow_if(json!({"StringEqualsIgnoreCase": {"aws:username": "ALICE"}})),
            ctx_req(json!({"aws:username": "alice"})),
            A,
        ),
        (
            "StringNotEqualsIgnoreCase",
            allow_if(json!({"StringNotEqualsIgnoreCase": {"aws:username": "ALICE"}})),
            ctx_req(json!({"aws:username": "alice"})),
            I,
        ),
        (
            "StringLike with *",
            allow_if(
                json!({"StringLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:111122223333:trail/*"}}),
            ),
            ctx_req(json!({"aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111122223333:trail/t"})),
            A,
        ),
        (
            "StringLike with ?",
            allow_if(json!({"StringLike": {"aws:username": "al?ce"}})),
            ctx_req(json!({"aws:username": "alice"})),
            A,
        ),
        (
            "StringLike is case-sensitive",
            allow_if(json!({"StringLike": {"aws:username": "AL*"}})),
            ctx_req(json!({"aws:username": "alice"})),
            I,
        ),
        (
            "StringNotLike with a matching value",
            allow_if(json!({"StringNotLike": {"aws:username": "a*"}})),
            ctx_req(json!({"aws:username": "alice"})),
            I,
        ),
        (
            "StringNotLike with a missing key is true",
            allow_if(json!({"StringNotLike": {"aws:username": "a*"}})),
            ctx_req(json!({})),
            A,
        ),
        // --- ARN operators ---
        (
            "ArnEquals exact",
            allow_if(
                json!({"ArnEquals": {"aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111122223333:trail/t"}}),
            ),
            ctx_req(json!({"aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111122223333:trail/t"})),
            A,
        ),
        (
            "ArnEquals accepts wildcards like ArnLike",
            allow_if(
                json!({"ArnEquals": {"aws:SourceArn": "arn:aws:cloudtrail:*:111122223333:trail/*"}}),
            ),
            ctx_req(json!({"aws:SourceArn": "arn:aws:cloudtrail:eu-west-1:111122223333:trail/t"})),
            A,
        ),
        (
            "ArnLike per-segment wildcard",
            allow_if(
                json!({"ArnLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:111122223333:trail/*"}}),
            ),
            ctx_req(json!({"aws:SourceArn": "arn:aws:cloudtrail:us-east-1:999999999999:trail/t"})),
            I,
        ),
        (
            "ArnLike with a missing key is false",
            allow_if(json!({"ArnLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:*:trail/*"}})),
            ctx_req(json!({})),
            I,
        ),
        (
            "ArnNotEquals with another ARN",
            allow_if(
                json!({"ArnNotEquals": {"aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111122223333:trail/x"}}),
            ),
            ctx_req(json!({"aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111122223333:trail/t"})),
            A,
        ),
        (
            "ArnNotLike with a matching ARN",
            allow_if(
                json!({"ArnNotLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:111122223333:*"}}),
            ),
            ctx_req(json!({"aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111122223333:trail/t"})),
            I,
        ),
        (
            "ArnNotLike with a missing key is true",
            allow_if(
                json!({"ArnNotLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:111122223333:*"}}),
            ),
            ctx_req(json!({})),
            A,
        ),
        // --- Bool, Null, numeric, date, IP, binary ---
        (
            "Bool true",
            allow_if(json!({"Bool": {"aws:SecureTransport": "true"}})),
            ctx_req(json!({"aws:SecureTransport": "true"})),
            A,
        ),
        (
            "Bool written as a JSON boolean",
            allow_if(json!({"Bool": {"aws:SecureTransport": false}})),
            ctx_req(json!({"aws:SecureTransport": "true"})),
            I,
        ),
        (
            "Bool with a missing key is false",
            allow_if(json!({"Bool": {"aws:SecureTransport": "false"}})),
            ctx_req(json!({})),
            I,
        ),
        (
            "Null true with the key absent",
            allow_if(json!({"Null": {"aws:SourceOrgID": "true"}})),
            ctx_req(json!({})),
            A,
        ),
        (
            "Null true with the key present",
            allow_if(json!({"Null": {"aws:SourceOrgID": "true"}})),
            ctx_req(json!({"aws:SourceOrgID": "o-1"})),
            I,
        ),
        (
            "Null false with the key present",
            allow_if(json!({"Null": {"aws:SourceOrgID": "false"}})),
            ctx_req(json!({"aws:SourceOrgID": "o-1"})),
            A,
        ),
        (
            "Null false with the key absent",
            allow_if(json!({"Null": {"aws:SourceOrgID": "false"}})),
            ctx_req(json!({})),
            I,
        ),
        (
            "NumericEquals",
            allow_if(json!({"NumericEquals": {"s3:max-keys": 10}})),
            ctx_req(json!({"s3:max-keys": "10"})),
            A,
        ),
        (
            "NumericNotEquals",
            allow_if(json!({"NumericNotEquals": {"s3:max-keys": 10}})),
            ctx_req(json!({"s3:max-keys": "10"})),
            I,
        ),
        (
            "NumericLessThan",
            allow_if(json!({"NumericLessThan": {"s3:max-keys": "10"}})),
            ctx_req(json!({"s3:max-keys": "9"})),
            A,
        ),
        (
            "NumericLessThanEquals",
            allow_if(json!({"NumericLessThanEquals": {"s3:max-keys": "10"}})),
            ctx_req(json!({"s3:max-keys": "10"})),
            A,
        ),
        (
            "NumericGreaterThan",
            allow_if(json!({"NumericGreaterThan": {"s3:max-keys": "10"}})),
            ctx_req(json!({"s3:max-keys": "10"})),
            I,
        ),
        (
            "NumericGreaterThanEquals",
            allow_if(json!({"NumericGreaterThanEquals": {"s3:max-keys": "10"}})),
            ctx_req(json!({"s3:max-keys": "11"})),
            A,
        ),
        (
            "Numeric with a non-number is false",
            allow_if(json!({"NumericLessThan": {"s3:max-keys": "10"}})),
            ctx_req(json!({"s3:max-keys": "few"})),
            I,
        ),
        (
            "DateLessThan",
            allow_if(json!({"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}})),
            ctx_req(json!({"aws:CurrentTime": "2025-06-01T12:00:00Z"})),
            A,
        ),
        (
            "DateGreaterThan",
            allow_if(json!({"DateGreaterThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}})),
            ctx_req(json!({"aws:CurrentTime": "2025-06-01T12:00:00Z"})),
            I,
        ),
        (
            "DateNotEquals",
            allow_if(json!({"DateNotEquals": {"aws:CurrentTime": "2025-06-01"}})),
            ctx_req(json!({"aws:CurrentTime": "2025-06-01T00:00:00Z"})),
            I,
        ),
        (
            "IpAddress inside the block",
            allow_if(json!({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}})),
            ctx_req(json!({"aws:SourceIp": "203.0.113.9"})),
            A,
        ),
        (
            "NotIpAddress inside the block",
            allow_if(json!({"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}})),
            ctx_req(json!({"aws:SourceIp": "203.0.113.9"})),
            I,
        ),
        (
            "BinaryEquals",
            allow_if(json!({"BinaryEquals": {"key": "QmluYXJ5VmFsdWU="}})),
            ctx_req(json!({"key": "QmluYXJ5VmFsdWU="})),
            A,
        ),
        // --- IfExists ---
        (
            "IfExists with a missing key is true",
            allow_if(json!({"StringEqualsIfExists": {"s3:x-amz-acl": "private"}})),
            ctx_req(json!({})),
            A,
        ),
        (
            "IfExists with a present matching key",
            allow_if(json!({"StringEqualsIfExists": {"s3:x-amz-acl": "private"}})),
            ctx_req(json!({"s3:x-amz-acl": "private"})),
            A,
        ),
        (
            "IfExists with a present other value",
            allow_if(json!({"StringEqualsIfExists": {"s3:x-amz-acl": "private"}})),
            ctx_req(json!({"s3:x-amz-acl": "public-read"})),
            I,
        ),
        (
            "ArnLikeIfExists with a missing key",
            allow_if(
                json!({"ArnLikeIfExists": {"aws:SourceArn": "arn:aws:cloudtrail:*:*:trail/x"}}),
            ),
            ctx_req(json!({})),
            A,
        ),
        (
            "BoolIfExists deny with a missing key applies",
            json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
                {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}),
            ctx_req(json!({})),
            D,
        ),
        // --- set qualifiers ---
        (
            "ForAnyValue with one matching value",
            allow_if(json!({"ForAnyValue:StringEquals": {"aws:TagKeys": ["env", "team"]}})),
            ctx_req(json!({"aws:TagKeys": ["cost", "env"]})),
            A,
        ),
        (
            "ForAnyValue with no matching value",
            allow_if(json!({"ForAnyValue:StringEquals": {"aws:TagKeys": ["env", "team"]}})),
            ctx_req(json!({"aws:TagKeys": ["cost"]})),
            I,
        ),
        (
            "ForAnyValue with a missing key is false",
            allow_if(json!({"ForAnyValue:StringEquals": {"aws:TagKeys": "env"}})),
            ctx_req(json!({})),
            I,
        ),
        (
            "ForAnyValue with an empty key is false",
            allow_if(json!({"ForAnyValue:StringEquals": {"aws:TagKeys": "env"}})),
            ctx_req(json!({"aws:TagKeys": []})),
            I,
        ),
        (
            "ForAnyValue negated: one value outside",
            allow_if(json!({"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["env"]}})),
            ctx_req(json!({"aws:TagKeys": ["env", "cost"]})),
            A,
        ),
        (
            "ForAllValues with every value allowed",
            allow_if(json!({"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}})),
            ctx_req(json!({"aws:TagKeys": ["team", "env"]})),
            A,
        ),
        (
            "ForAllValues with one value not allowed",
            allow_if(json!({"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}})),
            ctx_req(json!({"aws:TagKeys": ["env", "cost"]})),
            I,
        ),
        (
            "ForAllValues with a missing key is true",
            allow_if(json!({"ForAllValues:StringEquals": {"aws:TagKeys": ["env"]}})),
            ctx_req(json!({})),
            A,
        ),
        (
            "ForAllValues with StringLike",
            allow_if(json!({"ForAllValues:StringLike": {"aws:TagKeys": ["env*"]}})),
            ctx_req(json!({"aws:TagKeys": ["env1", "env2"]})),
            A,
        ),
        (
            "ForAllValues negated: every value outside",
            allow_if(json!({"ForAllValues:StringNotLike": {"aws:TagKeys": ["secret*"]}})),
            ctx_req(json!({"aws:TagKeys": ["env", "secretx"]})),
            I,
        ),
        (
            "unqualified operator on a multivalued key: any value",
            allow_if(json!({"StringEquals": {"aws:TagKeys": "env"}})),
            ctx_req(json!({"aws:TagKeys": ["cost", "env"]})),
            A,
        ),
        (
            "policy variable in a condition value",
            allow_if(json!({"StringEquals": {"s3:prefix": "home/${aws:username}/"}})),
            ctx_req(json!({"s3:prefix": "home/alice/", "aws:username": "alice"})),
            A,
        ),
        (
            "unresolvable policy variable does not match",
            allow_if(json!({"StringEquals": {"s3:prefix": "home/${aws:username}/"}})),
            ctx_req(json!({"s3:prefix": "home/alice/"})),
            I,
        ),
    ]
}

#[test]
fn decision_table() {
    let mut failures = Vec::new();
    for (name, doc, request, expected) in cases() {
        let policy = match Policy::parse(&doc) {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!("{name}: policy did not parse: {e}"));
                continue;
            }
        };
        let got = evaluate_resource_policy(&policy, &request).decision;
        if got != expected {
            failures.push(format!("{name}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn evaluation_names_the_deciding_statement() {
    let policy = Policy::parse(&json!({"Statement": [
        {"Sid": "All", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
        {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"},
        {"Sid": "NoPut", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "*"},
        {"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject", "Resource": "*"}
    ]}))
    .unwrap();
    let put = evaluate_resource_policy(&policy, &put(alice()));
    assert_eq!(put.decision, Decision::ExplicitDeny);
    let at = put.statement.unwrap();
    assert_eq!((at.statement_index, at.sid.as_deref()), (2, Some("NoPut")));
    assert_eq!(at.to_string(), "statement \"NoPut\"");

    let get = Request::new(alice(), "s3:GetObject", "arn:aws:s3:::b/k");
    let allowed = evaluate_resource_policy(&policy, &get);
    assert!(allowed.is_allowed());
    assert_eq!(allowed.statement.unwrap().sid.as_deref(), Some("All"));

    let delete = Request::new(alice(), "s3:DeleteObject", "arn:aws:s3:::b/k");
    let denied = evaluate_resource_policy(&policy, &delete)
        .statement
        .unwrap();
    assert_eq!(denied.to_string(), "statement #4");

    let none = Request::new(alice(), "sns:Publish", "arn:aws:sns:us-east-1:1:t");
    let policy = Policy::parse(&one("Allow", json!({"Action": "s3:*"}))).unwrap();
    assert_eq!(
        evaluate_resource_policy(&policy, &none),
        Evaluation {
            decision: Decision::ImplicitDeny,
            statement: None
        }
    );
}

#[test]
fn identity_policies_ignore_principal_and_combine() {
    let allow_all = Policy::parse_as(
        &json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}),
        PolicyKind::Identity,
    )
    .unwrap();
    let deny_put = Policy::parse_as(
        &json!({"Statement": {"Sid": "NoPut", "Effect": "Deny", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"}}),
        PolicyKind::Identity,
    )
    .unwrap();
    let anyone = put(RequestPrincipal::Anonymous);
    assert!(evaluate_identity_policies(std::slice::from_ref(&allow_all), &anyone).is_allowed());
    let both = evaluate_identity_policies(&[allow_all.clone(), deny_put], &anyone);
    assert_eq!(both.decision, Decision::ExplicitDeny);
    let at = both.statement.unwrap();
    assert_eq!((at.policy_index, at.statement_index), (1, 0));
    assert_eq!(
        evaluate_identity_policies(&[], &anyone).decision,
        Decision::ImplicitDeny
    );
}

#[test]
fn resource_policy_statement_without_principal_grants_nobody() {
    let policy =
        Policy::parse(&json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}))
            .unwrap();
    assert_eq!(
        evaluate_resource_policy(&policy, &put(alice())).decision,
        Decision::ImplicitDeny
    );
}
