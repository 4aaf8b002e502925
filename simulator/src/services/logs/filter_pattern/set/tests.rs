//! A [`MetricFilterSet`] must answer exactly what its filters answer one by one: checked
//! over generated CloudTrail records, mangled copies of them, hand-written edge cases and
//! garbage, for the CIS filters and patterns that reach every corner of the JSON language.

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};

use super::super::json::Step;
use super::super::json_scan::{self, Node};
use super::super::path_scan::{PathTrie, ScanScratch, TrieBuilder};
use super::*;
use crate::generate::{Generator, Profile};

/// The CIS AWS Foundations v1.4.0 section 4 metric filter patterns.
const CIS: &[&str] = &[
    r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }"#,
    r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }"#,
    r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#,
    "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}",
    "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }",
    r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }"#,
    "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }",
    "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }",
    "{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }",
    "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }",
    "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }",
    "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }",
    "{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }",
    "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }",
    r#"{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }"#,
];

/// A pattern, its metric value and its dimensions.
type Spec = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

/// Filters that reach every kind of condition, selector and pattern.
const OTHERS: &[Spec] = &[
    ("{ $.readOnly IS TRUE }", "1", &[]),
    (
        "{ $.readOnly IS FALSE && $.managementEvent IS TRUE }",
        "1",
        &[],
    ),
    ("{ $.responseElements IS NULL }", "1", &[]),
    ("{ $.requestParameters NOT EXISTS }", "1", &[]),
    ("{ $.requestParameters = * }", "1", &[]),
    ("{ $.requestParameters != x }", "1", &[]),
    ("{ $.userIdentity = * || $.userIdentity IS NULL }", "1", &[]),
    (
        "{ $.userIdentity.sessionContext.sessionIssuer.userName = * }",
        "1",
        &[(
            "Issuer",
            "$.userIdentity.sessionContext.sessionIssuer.userName",
        )],
    ),
    (
        r#"{ $.resources[0].ARN = "arn:*" && $.resources[1].type NOT EXISTS }"#,
        "$.resources[0].accountId",
        &[],
    ),
    (
        "{ $.resources[*].type = AWS::S3::Object }",
        "1",
        &[("Type", "$.resources[*].type")],
    ),
    ("{ $.* = %^arn:aws% }", "1", &[]),
    ("{ $.userIdentity.* = AssumedRole }", "1", &[]),
    (
        "{ $.userIdentity.type = IAMUser || $.userIdentity.type = AssumedRole && $.eventName != Describe* }",
        "1",
        &[
            ("Who", "$.userIdentity.type"),
            ("Event", "$.eventName"),
            ("Region", "$.awsRegion"),
        ],
    ),
    (
        "{ $.eventVersion > 1.05 && $.eventVersion <= 1.09 }",
        "$.eventVersion",
        &[],
    ),
    ("{ $.tlsDetails.tlsVersion = \"TLSv1.3\" }", "1", &[]),
    (
        "{ $.['eventName'] = PutObject || $[\"eventSource\"] = *.amazonaws.com }",
        "1",
        &[],
    ),
    ("{ $.errorCode = %Denied$% }", "1", &[]),
    ("{ $.eventName = \"%^Put%\" }", "1", &[]),
    (
        "{ $.a[0][1] = 3 || $.a[2].b >= 4 }",
        "$.a[2].b",
        &[("B", "$.a[0][0]")],
    ),
    ("{ $.x.y NOT EXISTS && $.x = * }", "1", &[]),
    (
        "{ $.x IS TRUE || $.x.y IS FALSE || $.x[1] IS NULL }",
        "1",
        &[],
    ),
    (
        "{ $.eventName = CreateTrail }",
        "$.n",
        &[("N", "$.n"), ("X", "$.x")],
    ),
    ("AccessDenied", "1", &[]),
    ("?ConsoleLogin ?\"Failed authentication\" -Yes", "1", &[]),
    ("%Delete[A-Z]%", "1", &[]),
    ("", "1", &[]),
    ("[first, ...]", "1", &[("F", "$first")]),
];

fn filters() -> Vec<CompiledMetricFilter> {
    let mut out: Vec<CompiledMetricFilter> = CIS
        .iter()
        .map(|p| {
            CompiledMetricFilter::compile(p, "1", std::iter::empty::<(&str, &str)>())
                .unwrap_or_else(|e| panic!("{p}: {e}"))
        })
        .collect();
    for (p, value, dims) in OTHERS {
        out.push(
            CompiledMetricFilter::compile(p, value, dims.iter().copied())
                .unwrap_or_else(|e| panic!("{p}: {e}")),
        );
    }
    out
}

/// Every filter alone: (index, match) of those that match.
fn alone<'f, 'm>(filters: &'f [CompiledMetricFilter], msg: &'m str) -> Vec<(usize, Match<'f, 'm>)> {
    filters
        .iter()
        .enumerate()
        .filter_map(|(i, f)| f.evaluate(msg).map(|m| (i, m)))
        .collect()
}

/// Checks the set against the filters alone on `msg`, and the shared scan's idea of
/// "a JSON object" against the single-filter one. Returns how many filters matched.
fn agree(set: &mut MetricFilterSet, filters: &[CompiledMetricFilter], msg: &str) -> usize {
    let want = alone(filters, msg);
    let mut got = Vec::new();
    set.evaluate(msg, |i, m| {
        got.push((
            i,
            m.value,
            m.dimensions
                .iter()
                .map(|d| (d.name.to_string(), d.value.as_deref().map(str::to_string)))
                .collect::<Vec<_>>(),
        ))
    });
    let want: Vec<_> = want
        .into_iter()
        .map(|(i, m)| {
            (
                i,
                m.value,
                m.dimensions
                    .iter()
                    .map(|d| (d.name.to_string(), d.value.as_deref().map(str::to_string)))
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    assert_eq!(got, want, "message: {msg}");
    let mut scratch = ScanScratch::default();
    assert_eq!(
        set.trie.scan(msg, &mut scratch),
        json_scan::is_json_object(msg),
        "validity of: {msg}"
    );
    got.len()
}

/// xorshift: the same cases every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }
}

/// Generated records, some bent towards what the CIS filters look for.
fn records(count: u64) -> Vec<Value> {
    let start = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .expect("a valid instant");
    let profile = Profile::new(7, start, count, vec!["123456789012".into()]);
    let mut rng = Rng(0xC0FF_EE00_D15E_A5E5);
    Generator::new(profile)
        .expect("the default profile is valid")
        .records()
        .map(|mut r| {
            match rng.below(8) {
                0 => r["userIdentity"]["type"] = json!("Root"),
                1 => r["eventName"] = json!("ConsoleLogin"),
                2 => r["additionalEventData"] = json!({"MFAUsed": "No"}),
                3 => r["errorCode"] = json!("AccessDenied"),
                4 => r["eventName"] = json!("CreateTrail"),
                _ => {}
            }
            if rng.below(4) == 0 {
                r["n"] = json!(rng.below(1000));
                r["a"] = json!([[1, 3], {"b": 4}, {"b": "5"}]);
                r["x"] = json!({"y": false});
            }
            r
        })
        .collect()
}

const STRUCTURAL: &[u8] = b"\"{}[],:\\ 0t-e.u";

/// Mangled versions of a record's text: pretty-printed, cut short, one byte changed, with
/// a repeated member name, wrapped in an array or followed by text.
fn variants(rec: &Value, rng: &mut Rng) -> Vec<String> {
    let text = rec.to_string();
    let mut out = vec![
        serde_json::to_string_pretty(rec).unwrap_or_default(),
        format!("[{text}]"),
        format!("{text} x"),
        format!(" \t\n{text}\r\n"),
    ];
    let cut = rng.below(text.len());
    if text.is_char_boundary(cut) {
        out.push(text[..cut].to_string());
    }
    let at = rng.below(text.len());
    if text.is_char_boundary(at) && text.is_char_boundary(at + 1) {
        let mut bytes = text.clone().into_bytes();
        bytes[at] = STRUCTURAL[rng.below(STRUCTURAL.len())];
        out.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    // The last of repeated names wins, in the record and in its nested objects.
    let inner = &text[1..text.len() - 1];
    out.push(format!(
        r#"{{"eventName":"CreateTrail","userIdentity":{{"type":"Root"}},{inner}}}"#
    ));
    out.push(format!(
        r#"{{{inner},"eventName":"CreateTrail","userIdentity":{{"type":"Root","type":"IAMUser"}}}}"#
    ));
    out.push(format!(r#"{{{inner},"userIdentity":5,"n":"12.5"}}"#));
    out
}

#[test]
fn a_set_answers_what_each_filter_answers_alone_over_generated_records() {
    let filters = filters();
    let mut set = MetricFilterSet::new(filters.clone());
    assert_eq!(set.len(), filters.len());
    let mut rng = Rng(99);
    let (mut messages, mut matched) = (0, 0);
    for rec in records(1_000) {
        matched += agree(&mut set, &filters, &rec.to_string());
        messages += 1;
        if rng.below(3) == 0 {
            for v in variants(&rec, &mut rng) {
                matched += agree(&mut set, &filters, &v);
                messages += 1;
            }
        }
    }
    // The records must exercise the filters, not only miss them.
    assert!(matched > messages / 2, "{matched} matches in {messages}");
}

/// Hand-written corners of JSON and of the selectors.
const EDGES: &[&str] = &[
    "{}",
    " {} ",
    "{ }",
    "",
    "   ",
    "null",
    "[]",
    "{\"a\":1}}",
    "{\"eventName\":\"Create\\u0054rail\"}",
    "{\"event\\u004eame\":\"CreateTrail\"}",
    "{\"eventName\":\"CreateTrail\",\"event\\u004eame\":\"StopLogging\"}",
    "{\"eventName\":\"CreateTrail\\\"\"}",
    "{\"eventName\":\"Create\\uZZZZ\"}",
    "{\"eventName\":\"CreateTrail\",\"bad\":\"\u{1}\"}",
    "{\"eventName\":\"CreateTrail\",\"bad\":\"\\x\"}",
    "{\"eventName\":\"CreateTrail\",}",
    "{\"eventName\" : \"CreateTrail\" , \"n\" : -1.5e3 }",
    "{\"eventName\":\"CreateTrail\",\"n\":01}",
    "{\"eventName\":\"CreateTrail\",\"n\":1.}",
    "{\"eventName\":\"CreateTrail\",\"n\":tru}",
    "{\"eventName\":\"CreateTrail\",\"n\":true}",
    "{\"eventName\":\"CreateTrail\",\"n\":\"7\",\"x\":[1,2]}",
    "{\"userIdentity\":{\"type\":\"Root\"},\"userIdentity\":{\"invokedBy\":\"x\"}}",
    "{\"userIdentity\":{\"type\":\"Root\",\"invokedBy\":\"x\"},\"userIdentity\":{\"type\":\"Root\"},\"eventType\":\"AwsApiCall\"}",
    "{\"userIdentity\":{\"type\":\"Root\"},\"userIdentity\":5}",
    "{\"userIdentity\":{\"type\":\"Root\"},\"userIdentity\":[{\"type\":\"Root\"}]}",
    "{\"userIdentity\":[],\"eventType\":\"AwsApiCall\"}",
    "{\"userIdentity\":{\"type\":\"Root\",\"invokedBy\":null},\"eventType\":\"AwsApiCall\"}",
    "{\"userIdentity\":{\"type\":\"Root\"},\"eventType\":\"AwsServiceEvent\"}",
    "{\"userIdentity\":{\"type\":\"Root\"}}",
    "{\"a\":[[1,3],{\"b\":4}],\"a\":[[9,3,{}],5,{\"b\":\"4.0\"}]}",
    "{\"a\":[[1,3],{\"b\":4},{\"b\":7}]}",
    "{\"a\":{\"0\":[1,3]},\"x\":{\"y\":false,\"y\":true}}",
    "{\"a\":[],\"x\":{\"y\":false}}",
    "{\"x\":[1,null]}",
    "{\"x\":true}",
    "{\"x\":{}}",
    "{\"errorCode\":\"Client.UnauthorizedOperation\",\"arn\":\"arn:aws:iam\"}",
    "{\"resources\":[{\"ARN\":\"arn:x\",\"accountId\":\"12\"},{\"type\":\"t\"}]}",
    "{\"resources\":[{\"ARN\":\"arn:x\",\"accountId\":\"12\",\"type\":\"AWS::S3::Object\"}]}",
    "{\"eventName\":\"ConsoleLogin\",\"additionalEventData\":{\"MFAUsed\":\"Yes\"}}",
    "{\"eventName\":\"ConsoleLogin\",\"additionalEventData\":{\"MFAUsed\":\"No\"},\"errorMessage\":\"Failed authentication\"}",
    "{\"eventName\":\"ConsoleLogin\",\"additionalEventData\":\"Yes\"}",
    "{\"eventName\":\"é😀\",\"eventSource\":\"s3.amazonaws.com\",\"é\":\"\\ud83d\\ude00\"}",
    "{\"eventVersion\":\"1.08\",\"eventName\":\"PutObject\"}",
    "{\"eventVersion\":1.09}",
    "AccessDenied ConsoleLogin DeleteBucket",
    "first second third",
];

#[test]
fn a_set_answers_what_each_filter_answers_alone_on_edge_cases() {
    let filters = filters();
    let mut set = MetricFilterSet::new(filters.clone());
    for msg in EDGES {
        agree(&mut set, &filters, msg);
    }
    // Nesting at, just under and over the limit the single-filter scanner has.
    for depth in [
        json_scan::MAX_NESTING - 2,
        json_scan::MAX_NESTING - 1,
        json_scan::MAX_NESTING,
        5000,
    ] {
        let msg = format!(
            "{{\"eventName\":\"CreateTrail\",\"a\":{}1{}}}",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        agree(&mut set, &filters, &msg);
        let msg = format!(
            "{{\"eventName\":\"CreateTrail\",\"a\":{}1{}}}",
            "{\"x\":".repeat(depth),
            "}".repeat(depth)
        );
        agree(&mut set, &filters, &msg);
    }
}

#[test]
fn garbage_never_panics_and_the_set_still_agrees() {
    let filters = filters();
    let mut set = MetricFilterSet::new(filters.clone());
    let mut rng = Rng(0x5EED);
    const TOKENS: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\\",
        "\\u",
        "00e9",
        "\"eventName\"",
        "\"a\"",
        "\"x\"",
        "\"y\"",
        "\"userIdentity\"",
        "\"type\"",
        "\"Root\"",
        "\"CreateTrail\"",
        "1",
        "-",
        "0",
        ".5",
        "e+",
        "true",
        "false",
        "null",
        " ",
        "\n",
        "\u{1}",
        "é",
        "😀",
        "tru",
        "\"\\\"\"",
        "abcdefghijklmnopqrstuvwxyz",
    ];
    for round in 0..20_000 {
        let msg = if round % 2 == 0 {
            let n = rng.below(64);
            let bytes: Vec<u8> = (0..n).map(|_| (rng.next() & 0xFF) as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            let n = rng.below(40);
            let mut s = String::from("{");
            for _ in 0..n {
                s.push_str(TOKENS[rng.below(TOKENS.len())]);
            }
            s
        };
        agree(&mut set, &filters, &msg);
    }
}

#[test]
fn an_empty_set_and_sets_without_json_patterns_work() {
    let mut empty = MetricFilterSet::new(Vec::new());
    assert!(empty.is_empty());
    let mut calls = 0;
    empty.evaluate("{\"a\":1}", |_, _| calls += 1);
    assert_eq!(calls, 0);
    let terms: Vec<CompiledMetricFilter> = ["ERROR", "", "%x+%"]
        .iter()
        .map(|p| {
            CompiledMetricFilter::compile(p, "2", std::iter::empty::<(&str, &str)>())
                .unwrap_or_else(|e| panic!("{p}: {e}"))
        })
        .collect();
    let mut set = MetricFilterSet::new(terms.clone());
    assert_eq!(set.shared_paths(), 1);
    for msg in ["ERROR x", "", "{\"a\":\"xx\"}"] {
        agree(&mut set, &terms, msg);
    }
}

#[test]
fn the_trie_shares_prefixes_and_numbers_subtrees_in_preorder() {
    let key = |k: &str| Step::Key(k.to_string());
    let mut b = TrieBuilder::new();
    assert!(b.insert(&[key("a"), key("b")]));
    assert!(b.insert(&[key("c")]));
    assert!(b.insert(&[key("a"), Step::Index(2), key("d")]));
    assert!(b.insert(&[key("a"), key("b")]));
    assert!(!b.insert(&[key("a"), Step::Any]));
    let trie: PathTrie = b.finish();
    // Root, a, a.b, a[2], a[2].d, c.
    assert_eq!(trie.len(), 6);
    assert_eq!(trie.find(&[]), Some(0));
    assert_eq!(trie.find(&[key("a")]), Some(1));
    assert_eq!(trie.find(&[key("a"), key("b")]), Some(2));
    assert_eq!(trie.find(&[key("a"), Step::Index(2)]), Some(3));
    assert_eq!(trie.find(&[key("a"), Step::Index(2), key("d")]), Some(4));
    assert_eq!(trie.find(&[key("c")]), Some(5));
    assert_eq!(trie.find(&[key("a"), Step::Any]), None);
    assert_eq!(trie.find(&[key("b")]), None);

    let mut scratch = ScanScratch::default();
    let msg = r#"{"a":{"b":"x"},"c":[1],"a":[0,1,{"d":-2.5e1}]}"#;
    assert!(trie.scan(msg, &mut scratch));
    let node = |id| trie.node(&scratch, msg, id);
    assert_eq!(node(1), Some(Node::Array));
    // The first "a" held a.b; the second "a" replaced it.
    assert_eq!(node(2), None);
    assert_eq!(node(3), Some(Node::Object));
    assert_eq!(node(4), Some(Node::Number("-2.5e1")));
    assert_eq!(node(5), Some(Node::Array));
}

#[test]
fn a_set_of_the_conformance_table_patterns_agrees_on_every_table_input() {
    let rows: Vec<Value> = serde_json::from_str(include_str!(
        "../../../../../tests/conformance/filter_patterns.json"
    ))
    .expect("the conformance table is JSON");
    let mut filters = Vec::new();
    let mut inputs = Vec::new();
    for row in &rows {
        if let Some(input) = row["input"].as_str() {
            inputs.push(input);
        }
        let Some(pattern) = row["pattern"].as_str() else {
            continue;
        };
        if let Ok(f) =
            CompiledMetricFilter::compile(pattern, "1", std::iter::empty::<(&str, &str)>())
        {
            filters.push(f);
        }
    }
    assert!(filters.len() > 50, "{} patterns compiled", filters.len());
    let mut set = MetricFilterSet::new(filters.clone());
    let mut matched = 0;
    for input in inputs {
        matched += agree(&mut set, &filters, input);
    }
    assert!(matched > 100, "{matched} matches");
}
