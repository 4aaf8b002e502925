//! Synthetic CloudTrail traffic: realistic records (IAM users, role sessions, AWS services,
//! root, console sign-ins; management and data events; access-denied errors) for a
//! [`Profile`], fully determined by its seed and start time, plus ingest of real CloudTrail
//! log files ([`ingest`]). Generated records come out as the event log stores them (JSON
//! text and lookup columns, [`NewEvent`]) and are appended with
//! [`crate::Simulator::append_events`]; they are written as text directly from typed
//! values ([`shapes`]), never as `serde_json::Value` trees.

pub mod ingest;
mod profile;
mod shapes;
pub mod spike;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::Value;

pub use profile::{DEFAULT_REGIONS, Profile, Rng};

use crate::context::Principal;
use crate::error::AwsError;
use crate::events::EVENT_VERSION;
use crate::store::NewEvent;
use crate::{Simulator, clock, ids, services, settings};
use shapes::{
    AssumedRoleUser, AttributeDefinition, Body, BucketConfiguration, BucketPolicy, Credentials,
    Empty, EncryptionContext, IamUser, Identity, Instance, InstanceState, ItemKey, Items,
    KeySchemaElement, LaunchItem, Monitoring, PolicyStatement, Record, Resource, SecureTransport,
    SecureTransportCondition, SessionAttributes, SessionContext, SessionIssuer, TableDescription,
    TlsDetails,
};

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

/// `responseElements` of a failed call and `requestParameters` of calls without any.
static NULL: Body = Body::Null;

/// What kind of caller an [`Actor`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ActorKind {
    User,
    Role,
    Service(&'static str),
    Root,
}

/// Who makes a call, with everything its records say about it worked out once per account
/// (ids and addresses are hashes of names: computing them per record was most of the cost
/// of a record).
#[derive(Debug, Clone)]
struct Actor {
    kind: ActorKind,
    /// `userIdentity.principalId` (a role session's `AROA…:session`).
    principal_id: String,
    /// The identity's ARN (a role session's `assumed-role` ARN); a service's name. Access
    /// denied messages name it.
    arn: String,
    access_key_id: Option<String>,
    /// An IAM user's name; a role session's name.
    name: Option<String>,
    /// A role session's role: (ARN, `AROA…` id, name).
    role: Option<(String, String, String)>,
    /// A documentation-range address (RFC 5737), stable per principal; a service's name.
    source_ip: String,
}

impl Actor {
    fn user(p: Principal, source_ip: String) -> Actor {
        Actor {
            kind: ActorKind::User,
            principal_id: p.principal_id,
            arn: p.arn,
            access_key_id: p.access_key_id,
            name: p.user_name,
            role: None,
            source_ip,
        }
    }

    /// `userIdentity` at a time whose role sessions began at `session_start` (ISO 8601).
    /// `with_key`: API calls carry an access key id; console sign-ins do not.
    fn identity<'a>(
        &'a self,
        account: &'a str,
        with_key: bool,
        session_start: &'a str,
    ) -> Identity<'a> {
        let mut id = Identity {
            kind: "IAMUser",
            principal_id: Some(&self.principal_id),
            arn: Some(&self.arn),
            account_id: Some(account),
            access_key_id: self.access_key_id.as_deref().filter(|_| with_key),
            user_name: None,
            session_context: None,
            invoked_by: None,
        };
        match self.kind {
            ActorKind::User => id.user_name = self.name.as_deref(),
            ActorKind::Role => {
                // A role session's name is in its ARN; CloudTrail records no `userName`.
                id.kind = "AssumedRole";
                id.access_key_id = self.access_key_id.as_deref();
                id.session_context =
                    self.role
                        .as_ref()
                        .map(|(role_arn, role_id, role_name)| SessionContext {
                            session_issuer: SessionIssuer {
                                kind: "Role",
                                principal_id: role_id,
                                arn: role_arn,
                                account_id: account,
                                user_name: role_name,
                            },
                            attributes: SessionAttributes {
                                creation_date: session_start,
                                mfa_authenticated: "false",
                            },
                        });
            }
            ActorKind::Service(s) => {
                id = Identity {
                    kind: "AWSService",
                    principal_id: None,
                    arn: None,
                    account_id: None,
                    access_key_id: None,
                    user_name: None,
                    session_context: None,
                    invoked_by: Some(s),
                };
            }
            ActorKind::Root => id.kind = "Root",
        }
        id
    }

    /// LookupEvents' Username for the actor's calls: the user name, a role session's name,
    /// or `root`.
    fn lookup_name(&self) -> Option<&str> {
        match self.kind {
            ActorKind::Root => Some("root"),
            ActorKind::Service(_) => None,
            ActorKind::User | ActorKind::Role => self.name.as_deref(),
        }
    }

    /// When the actor's session was taken, as `userIdentity` records it: role sessions are
    /// taken at the top of the hour and last an hour. Empty for other actors.
    fn session_start(&self, time: DateTime<Utc>) -> String {
        if self.kind != ActorKind::Role {
            return String::new();
        }
        let created = clock::from_millis(clock::to_millis(time) / 3_600_000 * 3_600_000);
        clock::iso_seconds(created)
    }
}

#[derive(Debug, Clone)]
struct Account {
    id: String,
    /// The callers picked from (users, role sessions, services), in a fixed order.
    actors: Vec<Actor>,
    /// The positions of the IAM users in `actors` (console sign-ins are theirs).
    users: Vec<usize>,
    root: Actor,
    /// The `AROA…` id of each of [`ROLES`].
    role_ids: Vec<String>,
    kms_keys: Vec<String>,
}

/// A documentation-range address (RFC 5737), stable per principal.
fn source_ip(seed: u64, account: &str, arn: &str) -> String {
    let t = ids::uuid_from(&seed.to_string(), &format!("{account}:{arn}"), 0);
    let b = u8::from_str_radix(&t[0..2], 16).unwrap_or(7);
    let net = ["192.0.2", "198.51.100", "203.0.113"][(b % 3) as usize];
    format!("{net}.{}", 1 + b % 254)
}

fn role_id(account: &str, role: &str) -> String {
    format!(
        "AROA{}",
        ids::token_from(&format!("role:{account}:{role}"), 17)
    )
}

fn account(id: &str, seed: u64) -> Account {
    let mut actors: Vec<Actor> = USERS
        .iter()
        .map(|u| {
            let p = Principal::iam_user(id, u);
            let ip = source_ip(seed, id, &p.arn);
            Actor::user(p, ip)
        })
        .collect();
    let users = (0..actors.len()).collect();
    let role_ids: Vec<String> = ROLES.iter().map(|(role, _)| role_id(id, role)).collect();
    for ((role, sessions), role_id) in ROLES.iter().zip(&role_ids) {
        for s in *sessions {
            let arn = format!("arn:aws:sts::{id}:assumed-role/{role}/{s}");
            actors.push(Actor {
                kind: ActorKind::Role,
                principal_id: format!("{role_id}:{s}"),
                source_ip: source_ip(seed, id, &arn),
                arn,
                access_key_id: Some(format!(
                    "ASIA{}",
                    ids::token_from(&format!("sts:{id}:{role}:{s}"), 16)
                )),
                name: Some(s.to_string()),
                role: Some((
                    format!("arn:aws:iam::{id}:role/{role}"),
                    role_id.clone(),
                    role.to_string(),
                )),
            });
        }
    }
    actors.extend(SERVICES.iter().map(|s| Actor {
        kind: ActorKind::Service(s),
        principal_id: String::new(),
        arn: s.to_string(),
        access_key_id: None,
        name: None,
        role: None,
        source_ip: s.to_string(),
    }));
    let root_arn = format!("arn:aws:iam::{id}:root");
    let root = Actor {
        kind: ActorKind::Root,
        principal_id: id.to_string(),
        source_ip: source_ip(seed, id, &root_arn),
        arn: root_arn,
        access_key_id: Some(format!(
            "AKIA{}",
            ids::token_from(&format!("root:{id}"), 16)
        )),
        name: None,
        role: None,
    };
    Account {
        id: id.to_string(),
        actors,
        users,
        root,
        role_ids,
        kms_keys: (0..2).map(|n| ids::uuid_from(id, "kms-key", n)).collect(),
    }
}

/// The generator: an iterator over `profile.count` records, oldest first, each as the event
/// log stores it. [`Generator::records`] gives them as JSON trees instead.
pub struct Generator {
    profile: Profile,
    /// Shared so that picking one per record costs no copy.
    accounts: Vec<Arc<Account>>,
    rng: Rng,
    id_seed: String,
    next: u64,
    /// Where each record's text is written before it is copied out at its exact size.
    scratch: Vec<u8>,
}

/// What one call looks like before it becomes a record.
struct Call {
    source: &'static str,
    name: &'static str,
    read_only: bool,
    request: Body,
    response: Body,
    resources: Vec<Resource>,
    data: bool,
    global: bool,
    additional: Option<Body>,
    /// The endpoint host (tlsDetails.clientProvidedHostHeader).
    host: String,
}

impl Call {
    /// A management call with no response elements, resources or additional data.
    fn simple(
        source: &'static str,
        name: &'static str,
        read_only: bool,
        host: String,
        request: Body,
    ) -> Call {
        Call {
            source,
            name,
            read_only,
            request,
            response: Body::Null,
            resources: vec![],
            data: false,
            global: false,
            additional: None,
            host,
        }
    }
}

/// A resource of the calling account.
fn owned(account: &str, kind: &'static str, arn: String) -> Resource {
    Resource {
        account_id: Some(account.to_string()),
        kind,
        arn,
    }
}

impl Generator {
    pub fn new(profile: Profile) -> Result<Generator, AwsError> {
        profile
            .validate()
            .map_err(|m| AwsError::client("InvalidParameterException", m))?;
        let accounts = profile
            .accounts
            .iter()
            .map(|a| Arc::new(account(a, profile.seed)))
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
            scratch: Vec::with_capacity(4096),
        })
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The records as JSON trees (tests, and benches that need trees), parsed from the text
    /// the generator writes.
    pub fn records(self) -> impl Iterator<Item = Value> {
        self.map(|e| {
            serde_json::from_str(&e.record).expect("the generator writes valid JSON records")
        })
    }

    fn record(&mut self, i: u64) -> NewEvent {
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
        let event_id = ids::event_id(&self.id_seed, "event", i);
        let acct = Arc::clone(&self.accounts[acct_ix]);
        if roll < p.console_login_rate {
            return self.console_login(&acct, time, failed, &event_id);
        }
        let request_id = ids::uuid_from(&self.id_seed, "request", i);
        let data = roll < p.console_login_rate + p.data_event_rate;
        // Root acts rarely and only for management calls; services only make the calls
        // they make in reality (AssumeRole, KMS).
        let mut actor = if !data && self.rng.chance(0.005) {
            &acct.root
        } else {
            self.rng.pick(&acct.actors)
        };
        let call = if let ActorKind::Service(svc) = actor.kind {
            if data {
                actor = &acct.actors[0];
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
            &acct,
            actor,
            &region,
            time,
            call,
            failed,
            &request_id,
            &event_id,
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
        request_id: &str,
        event_id: &str,
    ) -> NewEvent {
        let region = if call.global { GLOBAL_REGION } else { region };
        let service = matches!(actor.kind, ActorKind::Service(_));
        let user_agent = match actor.kind {
            ActorKind::Service(s) => s,
            _ => self.rng.pick(USER_AGENTS),
        };
        let error = failed.then(|| denied(call.source, call.name, &actor.arn));
        let event_time = clock::iso_seconds(time);
        let session_start = actor.session_start(time);
        Record {
            event_version: EVENT_VERSION,
            user_identity: actor.identity(&acct.id, true, &session_start),
            event_time: &event_time,
            event_source: call.source,
            event_name: call.name,
            aws_region: region,
            source_ip_address: &actor.source_ip,
            user_agent,
            error_code: error.as_ref().map(|e| e.0),
            error_message: error.as_ref().map(|e| e.1.as_str()),
            request_parameters: &call.request,
            response_elements: if failed { &NULL } else { &call.response },
            additional_event_data: call.additional.as_ref(),
            request_id: Some(request_id),
            event_id,
            read_only: call.read_only,
            resources: &call.resources,
            event_type: "AwsApiCall",
            management_event: !call.data,
            recipient_account_id: &acct.id,
            event_category: if call.data { "Data" } else { "Management" },
            tls_details: (!service).then(|| TlsDetails {
                tls_version: "TLSv1.3",
                cipher_suite: "TLS_AES_128_GCM_SHA256",
                client_provided_host_header: &call.host,
            }),
        }
        .to_event(&mut self.scratch, recorded_ms(time), actor.lookup_name())
    }

    fn console_login(
        &mut self,
        acct: &Account,
        time: DateTime<Utc>,
        failed: bool,
        event_id: &str,
    ) -> NewEvent {
        let actor = if self.rng.chance(0.05) {
            &acct.root
        } else {
            &acct.actors[*self.rng.pick(&acct.users)]
        };
        let event_time = clock::iso_seconds(time);
        let root = actor.kind == ActorKind::Root;
        let response = Body::ConsoleLoginResponse {
            outcome: if failed { "Failure" } else { "Success" },
        };
        let additional = Body::ConsoleSignIn {
            login_to: "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true",
            mobile_version: "No",
            mfa_used: if root { "Yes" } else { "No" },
        };
        Record {
            event_version: EVENT_VERSION,
            user_identity: actor.identity(&acct.id, false, ""),
            event_time: &event_time,
            event_source: "signin.amazonaws.com",
            event_name: "ConsoleLogin",
            aws_region: GLOBAL_REGION,
            source_ip_address: &actor.source_ip,
            user_agent: CONSOLE_AGENT,
            error_code: None,
            error_message: failed.then_some("Failed authentication"),
            request_parameters: &NULL,
            response_elements: &response,
            additional_event_data: Some(&additional),
            request_id: None,
            event_id,
            read_only: false,
            resources: &[],
            event_type: "AwsConsoleSignIn",
            management_event: true,
            recipient_account_id: &acct.id,
            event_category: "Management",
            tls_details: None,
        }
        .to_event(&mut self.scratch, recorded_ms(time), actor.lookup_name())
    }

    fn service_call(
        &mut self,
        acct: &Account,
        region: &str,
        svc: &'static str,
        time: DateTime<Utc>,
    ) -> Call {
        if self.rng.chance(0.5) {
            let role = self.rng.pick_index(ROLES);
            let session = *self.rng.pick(ROLES[role].1);
            sts_assume_role(acct, region, role, session, &self.id_seed, self.next, time)
        } else {
            let key = self.rng.pick(&acct.kms_keys).clone();
            let mut c = kms_call(&acct.id, region, &key, self.rng.chance(0.5));
            c.request
                .set_encryption_context(if svc == "lambda.amazonaws.com" {
                    EncryptionContext::LambdaFunction(format!(
                        "arn:aws:lambda:{region}:{}:function:{}",
                        acct.id, FUNCTIONS[0]
                    ))
                } else {
                    EncryptionContext::EbsVolume(format!(
                        "vol-{}",
                        &ids::token_from(&key, 17).to_lowercase()
                    ))
                });
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
                    resources: vec![
                        Resource {
                            account_id: None,
                            kind: "AWS::S3::Object",
                            arn: format!("arn:aws:s3:::{bucket}/{key}"),
                        },
                        owned(a, "AWS::S3::Bucket", format!("arn:aws:s3:::{bucket}")),
                    ],
                    request: Body::S3Object {
                        bucket_name: bucket,
                        host: host.clone(),
                        key,
                    },
                    response: if get {
                        Body::Null
                    } else {
                        Body::PutObjectResponse {
                            encryption: "AES256",
                        }
                    },
                    data: true,
                    global: false,
                    additional: Some(if get {
                        Body::s3_transfer(0, bytes)
                    } else {
                        Body::s3_transfer(bytes, 0)
                    }),
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
                    request: Body::LambdaInvoke {
                        function_name: arn.clone(),
                        invocation_type: "RequestResponse",
                        log_type: "None",
                    },
                    response: Body::Null,
                    additional: Some(Body::FunctionVersion {
                        function_version: format!("{arn}:$LATEST"),
                    }),
                    resources: vec![owned(a, "AWS::Lambda::Function", arn)],
                    data: true,
                    global: false,
                    host: format!("lambda.{region}.amazonaws.com"),
                }
            }
            _ => {
                let get = self.rng.chance(0.6);
                let t = *self.rng.pick(TABLES);
                let arn = format!("arn:aws:dynamodb:{region}:{a}:table/{t}");
                let key = ItemKey {
                    id: format!("{}", self.rng.below(100_000)),
                };
                let request = if get {
                    Body::DynamoDbGetItem {
                        table_name: t,
                        key,
                        consistent_read: false,
                    }
                } else {
                    Body::DynamoDbPutItem {
                        table_name: t,
                        key,
                        item: ["id", "status", "updatedAt"],
                    }
                };
                Call {
                    source: "dynamodb.amazonaws.com",
                    name: if get { "GetItem" } else { "PutItem" },
                    read_only: get,
                    request,
                    response: Body::Null,
                    resources: vec![owned(a, "AWS::DynamoDB::Table", arn)],
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
        match self.rng.weighted(&weights) {
            0 => Call::simple(
                "ec2.amazonaws.com",
                "DescribeInstances",
                true,
                format!("ec2.{region}.amazonaws.com"),
                Body::DescribeInstances {
                    instances_set: Empty {},
                    filter_set: Empty {},
                },
            ),
            1 => {
                let instance = format!("i-{}", token("instance", 17));
                let ami = format!("ami-{}", token("ami", 17));
                let mut c = Call::simple(
                    "ec2.amazonaws.com",
                    "RunInstances",
                    false,
                    format!("ec2.{region}.amazonaws.com"),
                    Body::RunInstances {
                        instances_set: Items {
                            items: [LaunchItem {
                                image_id: ami.clone(),
                                min_count: 1,
                                max_count: 1,
                            }],
                        },
                        instance_type: "t3.micro",
                        monitoring: Monitoring { enabled: false },
                        disable_api_termination: false,
                    },
                );
                c.resources = vec![owned(
                    a,
                    "AWS::EC2::Instance",
                    format!("arn:aws:ec2:{region}:{a}:instance/{instance}"),
                )];
                c.response = Body::RunInstancesResponse {
                    request_id: ids::uuid_from(&self.id_seed, "ec2-request", n),
                    reservation_id: format!("r-{}", token("reservation", 17)),
                    owner_id: a.clone(),
                    group_set: Empty {},
                    instances_set: Items {
                        items: [Instance {
                            instance_id: instance,
                            image_id: ami,
                            instance_state: InstanceState {
                                code: 0,
                                name: "pending",
                            },
                            instance_type: "t3.micro",
                            launch_time: clock::to_millis(time),
                        }],
                    },
                };
                c
            }
            2 => Call::simple(
                "ec2.amazonaws.com",
                "DescribeSecurityGroups",
                true,
                format!("ec2.{region}.amazonaws.com"),
                Body::DescribeSecurityGroups {
                    security_group_set: Empty {},
                    security_group_id_set: Empty {},
                    filter_set: Empty {},
                },
            ),
            3 => {
                let user = format!("svc-{}", token("user", 6));
                let arn = format!("arn:aws:iam::{a}:user/{user}");
                let mut c = Call::simple(
                    "iam.amazonaws.com",
                    "CreateUser",
                    false,
                    "iam.amazonaws.com".into(),
                    Body::UserName {
                        user_name: user.clone(),
                    },
                );
                c.resources = vec![owned(a, "AWS::IAM::User", arn.clone())];
                c.response = Body::CreateUserResponse {
                    user: IamUser {
                        path: "/",
                        user_name: user,
                        user_id: format!("AIDA{}", ids::token_from(&arn, 17)),
                        arn,
                        create_date: time.format("%b %-d, %Y, %-I:%M:%S %p").to_string(),
                    },
                };
                c.global = true;
                c
            }
            4 | 5 => {
                let (name, req) = if self.rng.chance(0.5) {
                    ("ListRoles", Body::Null)
                } else {
                    (
                        "GetUser",
                        Body::UserName {
                            user_name: self.rng.pick(USERS).to_string(),
                        },
                    )
                };
                let mut c = Call::simple(
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
                let configuration = (region != GLOBAL_REGION).then(|| BucketConfiguration {
                    location_constraint: region.to_string(),
                    xmlns: "http://s3.amazonaws.com/doc/2006-03-01/",
                });
                let arn = format!("arn:aws:s3:::{bucket}");
                let mut c = Call::simple(
                    "s3.amazonaws.com",
                    "CreateBucket",
                    false,
                    host.clone(),
                    Body::CreateBucket {
                        bucket_name: bucket,
                        host,
                        configuration,
                    },
                );
                c.resources = vec![owned(a, "AWS::S3::Bucket", arn)];
                c.additional = Some(Body::s3_transfer(0, 0));
                c
            }
            7 => {
                let key = self.rng.pick(&acct.kms_keys).clone();
                kms_call(a, region, &key, self.rng.chance(0.5))
            }
            8 => {
                let bucket = format!("{a}-{}", self.rng.pick(BUCKETS));
                let host = format!("{bucket}.s3.{region}.amazonaws.com");
                let arn = format!("arn:aws:s3:::{bucket}");
                let policy = BucketPolicy {
                    version: "2012-10-17",
                    statement: [PolicyStatement {
                        sid: "DenyInsecureTransport",
                        effect: "Deny",
                        principal: "*",
                        action: "s3:*",
                        resource: [arn.clone(), format!("{arn}/*")],
                        condition: SecureTransportCondition {
                            bool: SecureTransport {
                                secure_transport: "false",
                            },
                        },
                    }],
                };
                let mut c = Call::simple(
                    "s3.amazonaws.com",
                    "PutBucketPolicy",
                    false,
                    host.clone(),
                    Body::PutBucketPolicy {
                        bucket_name: bucket,
                        host,
                        bucket_policy: policy,
                        policy: "",
                    },
                );
                c.resources = vec![owned(a, "AWS::S3::Bucket", arn)];
                c.additional = Some(Body::s3_transfer(0, 0));
                c
            }
            9 => {
                let role = self.rng.pick_index(ROLES);
                let session = *self.rng.pick(ROLES[role].1);
                sts_assume_role(acct, region, role, session, &self.id_seed, n, time)
            }
            10 => Call::simple(
                "sts.amazonaws.com",
                "GetCallerIdentity",
                true,
                format!("sts.{region}.amazonaws.com"),
                Body::Null,
            ),
            11 => Call::simple(
                "lambda.amazonaws.com",
                "ListFunctions20150331",
                true,
                format!("lambda.{region}.amazonaws.com"),
                Body::Null,
            ),
            12 => {
                let f = *self.rng.pick(FUNCTIONS);
                let arn = format!("arn:aws:lambda:{region}:{a}:function:{f}");
                let mut c = Call::simple(
                    "lambda.amazonaws.com",
                    "UpdateFunctionCode20150331v2",
                    false,
                    format!("lambda.{region}.amazonaws.com"),
                    Body::UpdateFunctionCode {
                        function_name: f,
                        publish: false,
                        dry_run: false,
                    },
                );
                c.response = Body::UpdateFunctionCodeResponse {
                    function_name: f,
                    function_arn: arn.clone(),
                    runtime: "python3.12",
                    handler: "app.handler",
                    code_size: 4096 + self.rng.below(1 << 16),
                    state: "Active",
                    last_update_status: "InProgress",
                };
                c.resources = vec![owned(a, "AWS::Lambda::Function", arn)];
                c
            }
            13 => {
                let t = format!("{}-{}", self.rng.pick(TABLES), token("table", 4));
                let arn = format!("arn:aws:dynamodb:{region}:{a}:table/{t}");
                let mut c = Call::simple(
                    "dynamodb.amazonaws.com",
                    "CreateTable",
                    false,
                    format!("dynamodb.{region}.amazonaws.com"),
                    Body::CreateTable {
                        table_name: t.clone(),
                        attribute_definitions: [AttributeDefinition {
                            attribute_name: "id",
                            attribute_type: "S",
                        }],
                        key_schema: [KeySchemaElement {
                            attribute_name: "id",
                            key_type: "HASH",
                        }],
                        billing_mode: "PAY_PER_REQUEST",
                    },
                );
                c.response = Body::CreateTableResponse {
                    table_description: TableDescription {
                        table_name: t,
                        table_status: "CREATING",
                        table_arn: arn.clone(),
                        table_id: ids::uuid_from(&self.id_seed, "table", n),
                    },
                };
                c.resources = vec![owned(a, "AWS::DynamoDB::Table", arn)];
                c
            }
            _ => {
                let t = *self.rng.pick(TABLES);
                let mut c = Call::simple(
                    "dynamodb.amazonaws.com",
                    "DescribeTable",
                    true,
                    format!("dynamodb.{region}.amazonaws.com"),
                    Body::TableName { table_name: t },
                );
                c.resources = vec![owned(
                    a,
                    "AWS::DynamoDB::Table",
                    format!("arn:aws:dynamodb:{region}:{a}:table/{t}"),
                )];
                c
            }
        }
    }
}

impl Iterator for Generator {
    type Item = NewEvent;

    fn next(&mut self) -> Option<NewEvent> {
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

/// The event time the event log records for `time`: eventTime is written to the second.
fn recorded_ms(time: DateTime<Utc>) -> i64 {
    time.timestamp() * 1000
}

fn kms_call(account: &str, region: &str, key: &str, decrypt: bool) -> Call {
    let arn = format!("arn:aws:kms:{region}:{account}:key/{key}");
    let request = if decrypt {
        Body::KmsDecrypt {
            encryption_algorithm: "SYMMETRIC_DEFAULT",
            encryption_context: None,
        }
    } else {
        Body::KmsGenerateDataKey {
            key_id: arn.clone(),
            key_spec: "AES_256",
            encryption_context: None,
        }
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
        response: Body::Null,
        resources: vec![owned(account, "AWS::KMS::Key", arn)],
        data: false,
        global: false,
        additional: None,
        host: format!("kms.{region}.amazonaws.com"),
    }
}

/// An AssumeRole call for the session `session` of `ROLES[role]`.
fn sts_assume_role(
    acct: &Account,
    region: &str,
    role: usize,
    session: &'static str,
    id_seed: &str,
    n: u64,
    time: DateTime<Utc>,
) -> Call {
    let account = &acct.id;
    let role_name = ROLES[role].0;
    let role_arn = format!("arn:aws:iam::{account}:role/{role_name}");
    let expiration = (time + chrono::Duration::hours(1)).format("%b %-d, %Y, %-I:%M:%S %p");
    Call {
        source: "sts.amazonaws.com",
        name: "AssumeRole",
        read_only: true,
        request: Body::AssumeRole {
            role_arn: role_arn.clone(),
            role_session_name: session,
            duration_seconds: 3600,
        },
        response: Body::AssumeRoleResponse {
            credentials: Credentials {
                access_key_id: format!(
                    "ASIA{}",
                    ids::token_from(&format!("{id_seed}:sts:{n}"), 16)
                ),
                session_token: ids::token_from(&format!("{id_seed}:token:{n}"), 64),
                expiration: expiration.to_string(),
            },
            assumed_role_user: AssumedRoleUser {
                assumed_role_id: format!("{}:{session}", acct.role_ids[role]),
                arn: format!("arn:aws:sts::{account}:assumed-role/{role_name}/{session}"),
            },
        },
        resources: vec![owned(account, "AWS::IAM::Role", role_arn)],
        data: false,
        global: false,
        additional: None,
        host: format!("sts.{region}.amazonaws.com"),
    }
}

/// The access-denied error each service really reports.
fn denied(source: &str, name: &str, arn: &str) -> (&'static str, String) {
    let service = source.split('.').next().unwrap_or_default();
    if service == "ec2" {
        return (
            "Client.UnauthorizedOperation",
            "You are not authorized to perform this operation. User: ".to_string()
                + arn
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
