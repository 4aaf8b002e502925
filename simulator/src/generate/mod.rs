//! Synthetic CloudTrail traffic: realistic records (IAM users, role sessions, AWS services,
//! root, console sign-ins; management and data events; access-denied errors) for a
//! [`Profile`], fully determined by its seed and start time, plus ingest of real CloudTrail
//! log files ([`ingest`]). Records are appended with [`crate::Simulator::append_records`].

pub mod ingest;
mod profile;
pub mod spike;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

pub use profile::{DEFAULT_REGIONS, Profile, Rng};

use crate::context::Principal;
use crate::error::AwsError;
use crate::events::EVENT_VERSION;
use crate::{Simulator, clock, ids, services, settings};

/// Region every global-service (IAM, console sign-in) event is recorded in.
const GLOBAL_REGION: &str = "us-east-1";

const USERS: &[&str] = &["alice", "bob", "deploy-bot", "ci-runner"];
const ROLES: &[(&str, &[&str])] = &[
    ("Admin", &["alice@example.com", "bob@example.com"]),
    ("ReadOnly", &["auditor@example.com", "bob@example.com"]),
    ("OrganizationAccountAccessRole", &["alice@example.com"]),
    ("orders-api-role", &["orders-api"]),
];
const SERVICES: &[&str] = &[
    "lambda.amazonaws.com",
    "ec2.amazonaws.com",
    "cloudformation.amazonaws.com",
];
const BUCKETS: &[&str] = &["app-data", "logs", "artifacts"];
const FUNCTIONS: &[&str] = &["orders-api", "thumbnailer", "nightly-report"];
const TABLES: &[&str] = &["orders", "sessions", "users"];
const OBJECT_KEYS: &[&str] = &[
    "reports/2026/summary.csv",
    "images/cat.png",
    "uploads/invoice-0042.pdf",
    "exports/data.json",
];
const USER_AGENTS: &[&str] = &[
    "aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 prompt/off",
    "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.210 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69",
    "aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.155.1",
    "APN/1.0 HashiCorp/1.0 Terraform/1.11.4 (+https://www.terraform.io) terraform-provider-aws/6.0.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.36.3 ua/2.1 os/linux lang/go#1.24.2 md/GOOS#linux md/GOARCH#amd64",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
];
const CONSOLE_AGENT: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15";

/// Who makes a call.
#[derive(Debug, Clone)]
enum Actor {
    User(Principal),
    Role {
        role_arn: String,
        role_id: String,
        session: String,
        key: String,
    },
    Service(&'static str),
    Root,
}

#[derive(Debug, Clone)]
struct Account {
    id: String,
    actors: Vec<Actor>,
    kms_keys: Vec<String>,
}

fn account(id: &str) -> Account {
    let mut actors: Vec<Actor> = USERS
        .iter()
        .map(|u| Actor::User(Principal::iam_user(id, u)))
        .collect();
    for (role, sessions) in ROLES {
        for s in *sessions {
            actors.push(Actor::Role {
                role_arn: format!("arn:aws:iam::{id}:role/{role}"),
                role_id: format!("AROA{}", ids::token_from(&format!("role:{id}:{role}"), 17)),
                session: s.to_string(),
                key: format!(
                    "ASIA{}",
                    ids::token_from(&format!("sts:{id}:{role}:{s}"), 16)
                ),
            });
        }
    }
    actors.extend(SERVICES.iter().map(|s| Actor::Service(s)));
    Account {
        id: id.to_string(),
        actors,
        kms_keys: (0..2).map(|n| ids::uuid_from(id, "kms-key", n)).collect(),
    }
}

/// The generator: an iterator over `profile.count` records, oldest first.
pub struct Generator {
    profile: Profile,
    /// Shared so that picking one per record costs no copy.
    accounts: Vec<std::sync::Arc<Account>>,
    rng: Rng,
    id_seed: String,
    next: u64,
}

/// What one call looks like before it becomes a record.
struct Call {
    source: &'static str,
    name: &'static str,
    read_only: bool,
    request: Value,
    response: Value,
    resources: Vec<Value>,
    data: bool,
    global: bool,
    additional: Option<Value>,
    /// The endpoint host (tlsDetails.clientProvidedHostHeader).
    host: String,
}

impl Generator {
    pub fn new(profile: Profile) -> Result<Generator, AwsError> {
        profile
            .validate()
            .map_err(|m| AwsError::client("InvalidParameterException", m))?;
        let accounts = profile
            .accounts
            .iter()
            .map(|a| std::sync::Arc::new(account(a)))
            .collect();
        // The start is part of the id basis so that two runs with the same seed over
        // different windows never collide on eventID.
        let id_seed = format!(
            "generate:{}:{}",
            profile.seed,
            clock::to_millis(profile.start)
        );
        Ok(Generator {
            rng: Rng::new(profile.seed, "traffic"),
            profile,
            accounts,
            id_seed,
            next: 0,
        })
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    fn record(&mut self, i: u64) -> Value {
        let p = &self.profile;
        let slot = p.slot_ms(i);
        let width = (p.slot_ms(i + 1) - slot).max(1) as u64;
        let time = p.start + chrono::Duration::milliseconds(slot + self.rng.below(width) as i64);
        let acct_ix = if self.accounts.len() > 1 && self.rng.chance(0.5) {
            1 + self.rng.below(self.accounts.len() as u64 - 1) as usize
        } else {
            0
        };
        let region = self.rng.pick(&p.regions).clone();
        let failed = self.rng.chance(p.error_rate);
        let roll = self.rng.unit();
        let request_id = ids::uuid_from(&self.id_seed, "request", i);
        let event_id = ids::uuid_from(&self.id_seed, "event", i);
        if roll < p.console_login_rate {
            return self.console_login(acct_ix, time, failed, &event_id);
        }
        let data = roll < p.console_login_rate + p.data_event_rate;
        let acct = self.accounts[acct_ix].clone();
        // Root acts rarely and only for management calls; services only make the calls
        // they make in reality (AssumeRole, KMS).
        let mut actor = if !data && self.rng.chance(0.005) {
            Actor::Root
        } else {
            self.rng.pick(&acct.actors).clone()
        };
        let call = if let Actor::Service(svc) = actor {
            if data {
                actor = acct.actors[0].clone();
                self.data_call(&acct, &region)
            } else {
                self.service_call(&acct, &region, svc, time)
            }
        } else if data {
            self.data_call(&acct, &region)
        } else {
            self.management_call(&acct, &region, time)
        };
        self.api_record(
            &acct, &actor, &region, time, call, failed, request_id, event_id,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn api_record(
        &mut self,
        acct: &Account,
        actor: &Actor,
        region: &str,
        time: DateTime<Utc>,
        call: Call,
        failed: bool,
        request_id: String,
        event_id: String,
    ) -> Value {
        let region = if call.global { GLOBAL_REGION } else { region };
        let (source_ip, user_agent) = match actor {
            Actor::Service(s) => (s.to_string(), s.to_string()),
            _ => (
                self.source_ip(&acct.id, actor),
                self.rng.pick(USER_AGENTS).to_string(),
            ),
        };
        let mut r = Map::new();
        r.insert("eventVersion".into(), json!(EVENT_VERSION));
        r.insert("userIdentity".into(), identity(&acct.id, actor, time, true));
        r.insert("eventTime".into(), json!(clock::iso_seconds(time)));
        r.insert("eventSource".into(), json!(call.source));
        r.insert("eventName".into(), json!(call.name));
        r.insert("awsRegion".into(), json!(region));
        r.insert("sourceIPAddress".into(), json!(source_ip));
        r.insert("userAgent".into(), json!(user_agent));
        if failed {
            let (code, message) = denied(call.source, call.name, actor_arn(&acct.id, actor));
            r.insert("errorCode".into(), json!(code));
            r.insert("errorMessage".into(), json!(message));
        }
        r.insert("requestParameters".into(), call.request);
        r.insert(
            "responseElements".into(),
            if failed { Value::Null } else { call.response },
        );
        if let Some(a) = call.additional {
            r.insert("additionalEventData".into(), a);
        }
        r.insert("requestID".into(), json!(request_id));
        r.insert("eventID".into(), json!(event_id));
        r.insert("readOnly".into(), json!(call.read_only));
        if !call.resources.is_empty() {
            r.insert("resources".into(), Value::Array(call.resources));
        }
        r.insert("eventType".into(), json!("AwsApiCall"));
        r.insert("managementEvent".into(), json!(!call.data));
        r.insert("recipientAccountId".into(), json!(acct.id));
        r.insert(
            "eventCategory".into(),
            json!(if call.data { "Data" } else { "Management" }),
        );
        if !matches!(actor, Actor::Service(_)) {
            r.insert(
                "tlsDetails".into(),
                json!({
                    "tlsVersion": "TLSv1.3",
                    "cipherSuite": "TLS_AES_128_GCM_SHA256",
                    "clientProvidedHostHeader": call.host,
                }),
            );
        }
        Value::Object(r)
    }

    /// A documentation-range address (RFC 5737), stable per principal.
    fn source_ip(&self, account: &str, actor: &Actor) -> String {
        let basis = format!("{account}:{}", actor_arn(account, actor));
        let t = ids::uuid_from(&self.profile.seed.to_string(), &basis, 0);
        let b = u8::from_str_radix(&t[0..2], 16).unwrap_or(7);
        let net = ["192.0.2", "198.51.100", "203.0.113"][(b % 3) as usize];
        format!("{net}.{}", 1 + b % 254)
    }

    fn console_login(
        &mut self,
        acct_ix: usize,
        time: DateTime<Utc>,
        failed: bool,
        event_id: &str,
    ) -> Value {
        let acct = self.accounts[acct_ix].clone();
        let actor = if self.rng.chance(0.05) {
            Actor::Root
        } else {
            let users: Vec<&Actor> = acct
                .actors
                .iter()
                .filter(|a| matches!(a, Actor::User(_)))
                .collect();
            (*self.rng.pick(&users)).clone()
        };
        let ip = self.source_ip(&acct.id, &actor);
        let mut r = Map::new();
        r.insert("eventVersion".into(), json!(EVENT_VERSION));
        r.insert(
            "userIdentity".into(),
            identity(&acct.id, &actor, time, false),
        );
        r.insert("eventTime".into(), json!(clock::iso_seconds(time)));
        r.insert("eventSource".into(), json!("signin.amazonaws.com"));
        r.insert("eventName".into(), json!("ConsoleLogin"));
        r.insert("awsRegion".into(), json!(GLOBAL_REGION));
        r.insert("sourceIPAddress".into(), json!(ip));
        r.insert("userAgent".into(), json!(CONSOLE_AGENT));
        if failed {
            r.insert("errorMessage".into(), json!("Failed authentication"));
        }
        r.insert("requestParameters".into(), Value::Null);
        r.insert(
            "responseElements".into(),
            json!({"ConsoleLogin": if failed { "Failure" } else { "Success" }}),
        );
        r.insert(
            "additionalEventData".into(),
            json!({
                "LoginTo": "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true",
                "MobileVersion": "No",
                "MFAUsed": if matches!(actor, Actor::Root) { "Yes" } else { "No" },
            }),
        );
        r.insert("eventID".into(), json!(event_id));
        r.insert("readOnly".into(), json!(false));
        r.insert("eventType".into(), json!("AwsConsoleSignIn"));
        r.insert("managementEvent".into(), json!(true));
        r.insert("recipientAccountId".into(), json!(acct.id));
        r.insert("eventCategory".into(), json!("Management"));
        Value::Object(r)
    }

    fn service_call(
        &mut self,
        acct: &Account,
        region: &str,
        svc: &'static str,
        time: DateTime<Utc>,
    ) -> Call {
        if self.rng.chance(0.5) {
            let (role, sessions) = self.rng.pick(ROLES);
            let session = self.rng.pick(sessions);
            let role_arn = format!("arn:aws:iam::{}:role/{role}", acct.id);
            sts_assume_role(
                &acct.id,
                region,
                &role_arn,
                session,
                &self.id_seed,
                self.next,
                time,
            )
        } else {
            let key = self.rng.pick(&acct.kms_keys).clone();
            let mut c = kms_call(&acct.id, region, &key, self.rng.chance(0.5));
            c.request["encryptionContext"] = json!({"aws:lambda:FunctionArn": format!("arn:aws:lambda:{region}:{}:function:{}", acct.id, FUNCTIONS[0])});
            if svc != "lambda.amazonaws.com" {
                c.request["encryptionContext"] = json!({"aws:ebs:id": format!("vol-{}", &ids::token_from(&key, 17).to_lowercase())});
            }
            c
        }
    }

    fn data_call(&mut self, acct: &Account, region: &str) -> Call {
        let a = &acct.id;
        match self.rng.weighted(&[5, 3, 2, 2, 1]) {
            0 | 1 => {
                let get = self.rng.chance(0.6);
                let bucket = format!("{a}-{}", self.rng.pick(BUCKETS));
                let key = *self.rng.pick(OBJECT_KEYS);
                let host = format!("{bucket}.s3.{region}.amazonaws.com");
                let bytes = 1024 + self.rng.below(1 << 20);
                Call {
                    source: "s3.amazonaws.com",
                    name: if get { "GetObject" } else { "PutObject" },
                    read_only: get,
                    request: json!({"bucketName": bucket, "Host": host, "key": key}),
                    response: if get {
                        Value::Null
                    } else {
                        json!({"x-amz-server-side-encryption": "AES256"})
                    },
                    resources: vec![
                        json!({"type": "AWS::S3::Object", "ARN": format!("arn:aws:s3:::{bucket}/{key}")}),
                        json!({"accountId": a, "type": "AWS::S3::Bucket", "ARN": format!("arn:aws:s3:::{bucket}")}),
                    ],
                    data: true,
                    global: false,
                    additional: Some(json!({
                        "SignatureVersion": "SigV4",
                        "CipherSuite": "TLS_AES_128_GCM_SHA256",
                        "bytesTransferredIn": if get { 0 } else { bytes },
                        "AuthenticationMethod": "AuthHeader",
                        "bytesTransferredOut": if get { bytes } else { 0 },
                    })),
                    host,
                }
            }
            2 => {
                let f = self.rng.pick(FUNCTIONS);
                let arn = format!("arn:aws:lambda:{region}:{a}:function:{f}");
                Call {
                    source: "lambda.amazonaws.com",
                    name: "Invoke",
                    read_only: false,
                    request: json!({"functionName": arn, "invocationType": "RequestResponse", "logType": "None"}),
                    response: Value::Null,
                    resources: vec![
                        json!({"accountId": a, "type": "AWS::Lambda::Function", "ARN": arn}),
                    ],
                    data: true,
                    global: false,
                    additional: Some(json!({"functionVersion": format!("{arn}:$LATEST")})),
                    host: format!("lambda.{region}.amazonaws.com"),
                }
            }
            _ => {
                let get = self.rng.chance(0.6);
                let t = self.rng.pick(TABLES);
                let arn = format!("arn:aws:dynamodb:{region}:{a}:table/{t}");
                let id = format!("{}", self.rng.below(100_000));
                let mut request = json!({"tableName": t, "key": {"id": id}});
                if get {
                    request["consistentRead"] = json!(false);
                } else {
                    request = json!({"tableName": t, "key": {"id": id}, "item": ["id", "status", "updatedAt"]});
                }
                Call {
                    source: "dynamodb.amazonaws.com",
                    name: if get { "GetItem" } else { "PutItem" },
                    read_only: get,
                    request,
                    response: Value::Null,
                    resources: vec![
                        json!({"accountId": a, "type": "AWS::DynamoDB::Table", "ARN": arn}),
                    ],
                    data: true,
                    global: false,
                    additional: None,
                    host: format!("dynamodb.{region}.amazonaws.com"),
                }
            }
        }
    }

    fn management_call(&mut self, acct: &Account, region: &str, time: DateTime<Utc>) -> Call {
        let a = &acct.id;
        let n = self.next;
        let token = |kind: &str, len: usize| {
            ids::token_from(&format!("{kind}:{a}:{n}"), len).to_lowercase()
        };
        let weights = [12, 2, 6, 1, 3, 4, 1, 8, 4, 5, 2, 3, 2, 1, 4];
        let simple =
            |source: &'static str, name: &'static str, ro: bool, host: String, request: Value| {
                Call {
                    source,
                    name,
                    read_only: ro,
                    request,
                    response: Value::Null,
                    resources: vec![],
                    data: false,
                    global: false,
                    additional: None,
                    host,
                }
            };
        match self.rng.weighted(&weights) {
            0 => simple(
                "ec2.amazonaws.com",
                "DescribeInstances",
                true,
                format!("ec2.{region}.amazonaws.com"),
                json!({"instancesSet": {}, "filterSet": {}}),
            ),
            1 => {
                let instance = format!("i-{}", token("instance", 17));
                let ami = format!("ami-{}", token("ami", 17));
                let mut c = simple(
                    "ec2.amazonaws.com",
                    "RunInstances",
                    false,
                    format!("ec2.{region}.amazonaws.com"),
                    json!({
                        "instancesSet": {"items": [{"imageId": ami, "minCount": 1, "maxCount": 1}]},
                        "instanceType": "t3.micro",
                        "monitoring": {"enabled": false},
                        "disableApiTermination": false,
                    }),
                );
                c.response = json!({
                    "requestId": ids::uuid_from(&self.id_seed, "ec2-request", n),
                    "reservationId": format!("r-{}", token("reservation", 17)),
                    "ownerId": a,
                    "groupSet": {},
                    "instancesSet": {"items": [{
                        "instanceId": instance,
                        "imageId": ami,
                        "instanceState": {"code": 0, "name": "pending"},
                        "instanceType": "t3.micro",
                        "launchTime": clock::to_millis(time),
                    }]},
                });
                c.resources = vec![
                    json!({"accountId": a, "type": "AWS::EC2::Instance", "ARN": format!("arn:aws:ec2:{region}:{a}:instance/{instance}")}),
                ];
                c
            }
            2 => simple(
                "ec2.amazonaws.com",
                "DescribeSecurityGroups",
                true,
                format!("ec2.{region}.amazonaws.com"),
                json!({"securityGroupSet": {}, "securityGroupIdSet": {}, "filterSet": {}}),
            ),
            3 => {
                let user = format!("svc-{}", token("user", 6));
                let mut c = simple(
                    "iam.amazonaws.com",
                    "CreateUser",
                    false,
                    "iam.amazonaws.com".into(),
                    json!({"userName": user}),
                );
                let arn = format!("arn:aws:iam::{a}:user/{user}");
                c.response = json!({"user": {
                    "path": "/",
                    "userName": user,
                    "userId": format!("AIDA{}", ids::token_from(&arn, 17)),
                    "arn": arn,
                    "createDate": time.format("%b %-d, %Y, %-I:%M:%S %p").to_string(),
                }});
                c.resources = vec![json!({"accountId": a, "type": "AWS::IAM::User", "ARN": arn})];
                c.global = true;
                c
            }
            4 | 5 => {
                let (name, req) = if self.rng.chance(0.5) {
                    ("ListRoles", Value::Null)
                } else {
                    ("GetUser", json!({"userName": self.rng.pick(USERS)}))
                };
                let mut c = simple(
                    "iam.amazonaws.com",
                    name,
                    true,
                    "iam.amazonaws.com".into(),
                    req,
                );
                c.global = true;
                c
            }
            6 => {
                let bucket = format!("{a}-{}-{}", self.rng.pick(BUCKETS), token("bucket", 6));
                let host = format!("{bucket}.s3.{region}.amazonaws.com");
                let mut req = json!({"bucketName": bucket, "Host": host});
                if region != GLOBAL_REGION {
                    req["CreateBucketConfiguration"] = json!({"LocationConstraint": region, "xmlns": "http://s3.amazonaws.com/doc/2006-03-01/"});
                }
                let mut c = simple("s3.amazonaws.com", "CreateBucket", false, host, req);
                c.resources = vec![
                    json!({"accountId": a, "type": "AWS::S3::Bucket", "ARN": format!("arn:aws:s3:::{bucket}")}),
                ];
                c.additional = Some(s3_additional());
                c
            }
            7 => {
                let key = self.rng.pick(&acct.kms_keys).clone();
                kms_call(a, region, &key, self.rng.chance(0.5))
            }
            8 => {
                let bucket = format!("{a}-{}", self.rng.pick(BUCKETS));
                let host = format!("{bucket}.s3.{region}.amazonaws.com");
                let policy = json!({"Version": "2012-10-17", "Statement": [{"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [format!("arn:aws:s3:::{bucket}"), format!("arn:aws:s3:::{bucket}/*")], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]});
                let mut c = simple(
                    "s3.amazonaws.com",
                    "PutBucketPolicy",
                    false,
                    host.clone(),
                    json!({"bucketName": bucket, "Host": host, "bucketPolicy": policy, "policy": ""}),
                );
                c.resources = vec![
                    json!({"accountId": a, "type": "AWS::S3::Bucket", "ARN": format!("arn:aws:s3:::{bucket}")}),
                ];
                c.additional = Some(s3_additional());
                c
            }
            9 => {
                let (role, sessions) = self.rng.pick(ROLES);
                let session = self.rng.pick(sessions);
                let role_arn = format!("arn:aws:iam::{a}:role/{role}");
                sts_assume_role(a, region, &role_arn, session, &self.id_seed, n, time)
            }
            10 => simple(
                "sts.amazonaws.com",
                "GetCallerIdentity",
                true,
                format!("sts.{region}.amazonaws.com"),
                Value::Null,
            ),
            11 => simple(
                "lambda.amazonaws.com",
                "ListFunctions20150331",
                true,
                format!("lambda.{region}.amazonaws.com"),
                Value::Null,
            ),
            12 => {
                let f = self.rng.pick(FUNCTIONS);
                let arn = format!("arn:aws:lambda:{region}:{a}:function:{f}");
                let mut c = simple(
                    "lambda.amazonaws.com",
                    "UpdateFunctionCode20150331v2",
                    false,
                    format!("lambda.{region}.amazonaws.com"),
                    json!({"functionName": f, "publish": false, "dryRun": false}),
                );
                c.response = json!({"functionName": f, "functionArn": arn, "runtime": "python3.12", "handler": "app.handler", "codeSize": 4096 + self.rng.below(1 << 16), "state": "Active", "lastUpdateStatus": "InProgress"});
                c.resources =
                    vec![json!({"accountId": a, "type": "AWS::Lambda::Function", "ARN": arn})];
                c
            }
            13 => {
                let t = format!("{}-{}", self.rng.pick(TABLES), token("table", 4));
                let arn = format!("arn:aws:dynamodb:{region}:{a}:table/{t}");
                let mut c = simple(
                    "dynamodb.amazonaws.com",
                    "CreateTable",
                    false,
                    format!("dynamodb.{region}.amazonaws.com"),
                    json!({"tableName": t, "attributeDefinitions": [{"attributeName": "id", "attributeType": "S"}], "keySchema": [{"attributeName": "id", "keyType": "HASH"}], "billingMode": "PAY_PER_REQUEST"}),
                );
                c.response = json!({"tableDescription": {"tableName": t, "tableStatus": "CREATING", "tableArn": arn, "tableId": ids::uuid_from(&self.id_seed, "table", n)}});
                c.resources =
                    vec![json!({"accountId": a, "type": "AWS::DynamoDB::Table", "ARN": arn})];
                c
            }
            _ => {
                let t = self.rng.pick(TABLES);
                let mut c = simple(
                    "dynamodb.amazonaws.com",
                    "DescribeTable",
                    true,
                    format!("dynamodb.{region}.amazonaws.com"),
                    json!({"tableName": t}),
                );
                c.resources = vec![
                    json!({"accountId": a, "type": "AWS::DynamoDB::Table", "ARN": format!("arn:aws:dynamodb:{region}:{a}:table/{t}")}),
                ];
                c
            }
        }
    }
}

impl Iterator for Generator {
    type Item = Value;

    fn next(&mut self) -> Option<Value> {
        if self.next >= self.profile.count {
            return None;
        }
        let i = self.next;
        let r = self.record(i);
        self.next += 1;
        Some(r)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (self.profile.count - self.next) as usize;
        (left, Some(left))
    }
}

fn s3_additional() -> Value {
    json!({
        "SignatureVersion": "SigV4",
        "CipherSuite": "TLS_AES_128_GCM_SHA256",
        "bytesTransferredIn": 0,
        "AuthenticationMethod": "AuthHeader",
        "bytesTransferredOut": 0,
    })
}

fn kms_call(account: &str, region: &str, key: &str, decrypt: bool) -> Call {
    let arn = format!("arn:aws:kms:{region}:{account}:key/{key}");
    let request = if decrypt {
        json!({"encryptionAlgorithm": "SYMMETRIC_DEFAULT"})
    } else {
        json!({"keyId": arn, "keySpec": "AES_256"})
    };
    Call {
        source: "kms.amazonaws.com",
        name: if decrypt {
            "Decrypt"
        } else {
            "GenerateDataKey"
        },
        read_only: true,
        request,
        response: Value::Null,
        resources: vec![json!({"accountId": account, "type": "AWS::KMS::Key", "ARN": arn})],
        data: false,
        global: false,
        additional: None,
        host: format!("kms.{region}.amazonaws.com"),
    }
}

fn sts_assume_role(
    account: &str,
    region: &str,
    role_arn: &str,
    session: &str,
    id_seed: &str,
    n: u64,
    time: DateTime<Utc>,
) -> Call {
    let expiration = (time + chrono::Duration::hours(1)).format("%b %-d, %Y, %-I:%M:%S %p");
    let role = role_arn.rsplit('/').next().unwrap_or_default();
    let role_id = format!(
        "AROA{}",
        ids::token_from(&format!("role:{account}:{role}"), 17)
    );
    Call {
        source: "sts.amazonaws.com",
        name: "AssumeRole",
        read_only: true,
        request: json!({"roleArn": role_arn, "roleSessionName": session, "durationSeconds": 3600}),
        response: json!({
            "credentials": {
                "accessKeyId": format!("ASIA{}", ids::token_from(&format!("{id_seed}:sts:{n}"), 16)),
                "sessionToken": ids::token_from(&format!("{id_seed}:token:{n}"), 64),
                "expiration": expiration.to_string(),
            },
            "assumedRoleUser": {
                "assumedRoleId": format!("{role_id}:{session}"),
                "arn": format!("arn:aws:sts::{account}:assumed-role/{role}/{session}"),
            },
        }),
        resources: vec![json!({"accountId": account, "type": "AWS::IAM::Role", "ARN": role_arn})],
        data: false,
        global: false,
        additional: None,
        host: format!("sts.{region}.amazonaws.com"),
    }
}

fn actor_arn(account: &str, actor: &Actor) -> String {
    match actor {
        Actor::User(p) => p.arn.clone(),
        Actor::Role {
            role_arn, session, ..
        } => {
            let role = role_arn.rsplit('/').next().unwrap_or_default();
            format!("arn:aws:sts::{account}:assumed-role/{role}/{session}")
        }
        Actor::Service(s) => s.to_string(),
        Actor::Root => format!("arn:aws:iam::{account}:root"),
    }
}

/// The access-denied error each service really reports.
fn denied(source: &str, name: &str, arn: String) -> (&'static str, String) {
    let service = source.split('.').next().unwrap_or_default();
    if service == "ec2" {
        return (
            "Client.UnauthorizedOperation",
            "You are not authorized to perform this operation. User: ".to_string()
                + &arn
                + " is not authorized to perform: ec2:"
                + name
                + " because no identity-based policy allows the ec2:"
                + name
                + " action",
        );
    }
    let action = name
        .trim_end_matches("20150331v2")
        .trim_end_matches("20150331");
    let action = if service == "lambda" && action == "Invoke" {
        "InvokeFunction"
    } else {
        action
    };
    (
        "AccessDenied",
        format!(
            "User: {arn} is not authorized to perform: {service}:{action} because no identity-based policy allows the {service}:{action} action"
        ),
    )
}

/// `userIdentity` of an actor at `time`. `with_key`: API calls carry an access key id;
/// console sign-ins do not.
fn identity(account: &str, actor: &Actor, time: DateTime<Utc>, with_key: bool) -> Value {
    match actor {
        Actor::User(p) => {
            let mut m = Map::new();
            m.insert("type".into(), json!("IAMUser"));
            m.insert("principalId".into(), json!(p.principal_id));
            m.insert("arn".into(), json!(p.arn));
            m.insert("accountId".into(), json!(account));
            if with_key && let Some(k) = &p.access_key_id {
                m.insert("accessKeyId".into(), json!(k));
            }
            m.insert("userName".into(), json!(p.user_name));
            Value::Object(m)
        }
        Actor::Role {
            role_arn,
            role_id,
            session,
            key,
        } => {
            // Sessions are taken at the top of the hour and last an hour.
            let created = clock::from_millis(clock::to_millis(time) / 3_600_000 * 3_600_000);
            let p = Principal::assumed_role(
                role_arn,
                role_id,
                session,
                key,
                &clock::iso_seconds(created),
            );
            let ctx = crate::CallerContext::new(account, GLOBAL_REGION).with_principal(p);
            crate::events::user_identity(&ctx)
        }
        Actor::Service(s) => json!({"type": "AWSService", "invokedBy": s}),
        Actor::Root => {
            let mut m = Map::new();
            m.insert("type".into(), json!("Root"));
            m.insert("principalId".into(), json!(account));
            m.insert("arn".into(), json!(format!("arn:aws:iam::{account}:root")));
            m.insert("accountId".into(), json!(account));
            if with_key {
                m.insert(
                    "accessKeyId".into(),
                    json!(format!(
                        "AKIA{}",
                        ids::token_from(&format!("root:{account}"), 16)
                    )),
                );
            }
            Value::Object(m)
        }
    }
}

/// The accounts traffic goes to: the default account first, then the other accounts of its
/// organization (if it is in one), sorted.
pub fn accounts(sim: &Simulator) -> Result<Vec<String>, AwsError> {
    let default = sim.read(|db| Ok(settings::get(db, settings::DEFAULT_ACCOUNT_ID)?))?;
    let org = sim.run_unrecorded(|env| services::organizations::organization_of(env, &default))?;
    let mut out = vec![default.clone()];
    if let Some(o) = org {
        out.extend(o.member_accounts.into_iter().filter(|a| *a != default));
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
