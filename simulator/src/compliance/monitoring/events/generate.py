#!/usr/bin/env python3
"""Writes the canonical CloudTrail events of the CIS AWS Foundations 4.x monitoring controls,
one JSON file per control beside this script (read by ../mod.rs with include_str!).

Each file holds:
  patterns    the published filter patterns (the first, CIS v1.4.0's, is the one the rule's
              remediation quotes); every one must match every event and no non-event
  events      full CloudTrail records the control's alarm exists to catch, each with a label
              that findings name when a pattern misses it
  non_events  records the alarm must stay quiet on (4.1, 4.2 and 4.3 only)
  broken      patterns a test expects to fail, with the labels they miss or wrongly match

Records are deterministic: ids are derived from the label, times are fixed.
Run: python3 simulator/src/compliance/monitoring/events/generate.py
"""
import json
import os
import uuid

ACCOUNT = "123456789012"
HERE = os.path.dirname(os.path.abspath(__file__))
TIME = "2026-01-05T10:04:31Z"
TLS = {
    "tlsVersion": "TLSv1.3",
    "cipherSuite": "TLS_AES_128_GCM_SHA256",
    "clientProvidedHostHeader": None,
}
TERRAFORM_AGENT = (
    "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) "
    "terraform-provider-aws/6.47.0 (+https://registry.terraform.io/providers/hashicorp/aws) "
    "aws-sdk-go-v2/1.36.3 os/linux lang/go#1.23.7 md/GOOS#linux md/GOARCH#amd64"
)
BROWSER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def ident(label, salt=""):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "ctsim:cis-monitoring:" + label + salt))


def iam_user(name="alice", mfa="false"):
    return {
        "type": "IAMUser",
        "principalId": "AIDAEXAMPLEUSER00001",
        "arn": f"arn:aws:iam::{ACCOUNT}:user/{name}",
        "accountId": ACCOUNT,
        "accessKeyId": "AKIAEXAMPLEKEY000001",
        "userName": name,
        "sessionContext": {
            "attributes": {"creationDate": "2026-01-05T09:58:12Z", "mfaAuthenticated": mfa}
        },
    }


def deploy_role():
    return {
        "type": "AssumedRole",
        "principalId": "AROAEXAMPLEROLE00001:terraform",
        "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/deploy/terraform",
        "accountId": ACCOUNT,
        "accessKeyId": "ASIAEXAMPLEKEY000002",
        "sessionContext": {
            "sessionIssuer": {
                "type": "Role",
                "principalId": "AROAEXAMPLEROLE00001",
                "arn": f"arn:aws:iam::{ACCOUNT}:role/deploy",
                "accountId": ACCOUNT,
                "userName": "deploy",
            },
            "attributes": {"creationDate": "2026-01-05T10:01:02Z", "mfaAuthenticated": "false"},
        },
    }


def root(**extra):
    u = {
        "type": "Root",
        "principalId": ACCOUNT,
        "arn": f"arn:aws:iam::{ACCOUNT}:root",
        "accountId": ACCOUNT,
        "accessKeyId": "ASIAEXAMPLEROOT00001",
        "sessionContext": {
            "attributes": {"creationDate": "2026-01-05T09:57:40Z", "mfaAuthenticated": "true"}
        },
    }
    u.update(extra)
    return u


def api_call(label, source, name, identity, *, region="us-east-1", read_only=False,
             params=None, response=None, error=None, resources=None, agent=TERRAFORM_AGENT,
             event_type="AwsApiCall", extra=None, uid=None):
    uid = uid or label
    r = {
        "eventVersion": "1.09",
        "userIdentity": identity,
        "eventTime": TIME,
        "eventSource": source,
        "eventName": name,
        "awsRegion": region,
        "sourceIPAddress": "198.51.100.23",
        "userAgent": agent,
    }
    if error:
        r["errorCode"], r["errorMessage"] = error
    r["requestParameters"] = params
    r["responseElements"] = response
    if extra:
        r.update(extra)
    r["requestID"] = ident(uid, ":request")
    r["eventID"] = ident(uid)
    r["readOnly"] = read_only
    if resources:
        r["resources"] = resources
    r["eventType"] = event_type
    r["managementEvent"] = True
    r["recipientAccountId"] = ACCOUNT
    r["eventCategory"] = "Management"
    r["tlsDetails"] = dict(TLS, clientProvidedHostHeader=host(source, region))
    return {"label": label, "record": r}


def host(source, region):
    svc = source.split(".")[0]
    if svc in ("iam", "organizations", "signin"):
        return f"{svc}.amazonaws.com"
    return f"{svc}.{region}.amazonaws.com"


def console_login(label, identity, *, success, mfa, error=None):
    r = {
        "eventVersion": "1.09",
        "userIdentity": identity,
        "eventTime": TIME,
        "eventSource": "signin.amazonaws.com",
        "eventName": "ConsoleLogin",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.23",
        "userAgent": BROWSER_AGENT,
    }
    if error:
        r["errorMessage"] = error
    r["requestParameters"] = None
    r["responseElements"] = {"ConsoleLogin": "Success" if success else "Failure"}
    r["additionalEventData"] = {
        "LoginTo": "https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_a1b2c3d4",
        "MobileVersion": "No",
        "MFAUsed": "Yes" if mfa else "No",
    }
    r["eventID"] = ident(label)
    r["readOnly"] = False
    r["eventType"] = "AwsConsoleSignIn"
    r["managementEvent"] = True
    r["recipientAccountId"] = ACCOUNT
    r["eventCategory"] = "Management"
    r["tlsDetails"] = dict(TLS, clientProvidedHostHeader="signin.aws.amazon.com")
    return {"label": label, "record": r}


def write(slug, patterns, events, non_events=(), broken=()):
    doc = {
        "patterns": [{"source": s, "pattern": p} for s, p in patterns],
        "events": list(events),
        "non_events": list(non_events),
        "broken": [
            {"pattern": p, "missing": list(m), "matches_non_events": list(f)}
            for p, m, f in broken
        ],
    }
    with open(os.path.join(HERE, slug + ".json"), "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


def alternatives(names, spaced, quoted=False):
    q = '"' if quoted else ""
    if spaced:
        return " || ".join(f"($.eventName = {q}{n}{q})" for n in names)
    return "||".join(f"($.eventName={q}{n}{q})" for n in names)


def by_name(slug, source, names, params, cis, sh, region="us-east-1", resources=None,
            response=None, source_in_pattern=False, quoted=False):
    """A control whose events are a list of event names of one service."""
    events = [
        api_call(n, source, n, deploy_role(), region=region, params=params(n), uid=slug + ":" + n,
                 response=(response or (lambda _: None))(n),
                 resources=(resources or (lambda _: None))(n))
        for n in names
    ]
    for e in events:
        # EC2 answers with the request id of the call.
        resp = e["record"]["responseElements"]
        if isinstance(resp, dict) and "requestId" in resp:
            resp["requestId"] = e["record"]["requestID"]

    def pattern(ns, spaced):
        alts = alternatives(ns, spaced, quoted)
        if source_in_pattern:
            if spaced:
                return f"{{ ($.eventSource = {source}) && ({alts}) }}"
            return f"{{($.eventSource={source}) && ({alts})}}"
        return f"{{ {alts} }}" if spaced else f"{{{alts}}}"

    patterns = [(cis, pattern(names, True))]
    if sh:
        patterns.append((sh, pattern(names, False)))
    broken = [(pattern(names[2:], True), names[:2], [])]
    write(slug, patterns, events, broken=broken)


# ---------------------------------------------------------------- 4.1

write(
    "unauthorized_api_calls",
    [
        ("CIS v1.4.0 4.1",
         '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && '
         '($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }'),
        ("CIS v1.2.0 3.1, Security Hub CloudWatch.2",
         '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}'),
    ],
    [
        api_call("AccessDenied (iam:ListUsers)", "iam.amazonaws.com", "ListUsers", deploy_role(),
                 read_only=True, params={"maxItems": 100},
                 error=("AccessDenied",
                        f"User: arn:aws:sts::{ACCOUNT}:assumed-role/deploy/terraform is not "
                        "authorized to perform: iam:ListUsers on resource: "
                        f"arn:aws:iam::{ACCOUNT}:user/ because no identity-based policy "
                        "allows the iam:ListUsers action")),
        api_call("Client.UnauthorizedOperation (ec2:RunInstances)", "ec2.amazonaws.com",
                 "RunInstances", iam_user(), region="eu-west-1",
                 params={"instancesSet": {"items": [{"imageId": "ami-0abcdef1234567890",
                                                     "minCount": 1, "maxCount": 1}]},
                         "instanceType": "t3.micro"},
                 error=("Client.UnauthorizedOperation",
                        "You are not authorized to perform this operation. User: "
                        f"arn:aws:iam::{ACCOUNT}:user/alice is not authorized to perform: "
                        "ec2:RunInstances on resource: "
                        f"arn:aws:ec2:eu-west-1:{ACCOUNT}:instance/* because no "
                        "identity-based policy allows the ec2:RunInstances action.")),
        api_call("AccessDeniedException (lambda:GetFunction)", "lambda.amazonaws.com",
                 "GetFunction20150331v2", iam_user(), region="us-west-2", read_only=True,
                 params={"functionName": "billing-export"},
                 error=("AccessDeniedException",
                        f"User: arn:aws:iam::{ACCOUNT}:user/alice is not authorized to "
                        "perform: lambda:GetFunction on resource: "
                        f"arn:aws:lambda:us-west-2:{ACCOUNT}:function:billing-export "
                        "because no identity-based policy allows the lambda:GetFunction "
                        "action")),
    ],
    [
        api_call("a successful ec2:DescribeInstances", "ec2.amazonaws.com", "DescribeInstances",
                 iam_user(), read_only=True,
                 params={"instancesSet": {}, "filterSet": {}},
                 response=None),
        api_call("a failed call that is not an authorization failure (NoSuchEntity)",
                 "iam.amazonaws.com", "GetRole", deploy_role(), read_only=True,
                 params={"roleName": "app"},
                 error=("NoSuchEntityException",
                        "The role with name app cannot be found.")),
    ],
    [
        ('{ $.errorCode = "AccessDenied*" }',
         ["Client.UnauthorizedOperation (ec2:RunInstances)"], []),
        (f'{{ $.recipientAccountId = "{ACCOUNT}" }}', [],
         ["a successful ec2:DescribeInstances",
          "a failed call that is not an authorization failure (NoSuchEntity)"]),
    ],
)

# ---------------------------------------------------------------- 4.2

write(
    "console_signin_without_mfa",
    [
        ("CIS v1.4.0 4.2",
         '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }'),
        ("CIS v3.0.0 4.2, Security Hub CloudWatch.3",
         '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && '
         '($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }'),
    ],
    [
        console_login("ConsoleLogin by an IAM user without MFA",
                      {"type": "IAMUser", "principalId": "AIDAEXAMPLEUSER00001",
                       "arn": f"arn:aws:iam::{ACCOUNT}:user/alice", "accountId": ACCOUNT,
                       "userName": "alice"},
                      success=True, mfa=False),
    ],
    [
        console_login("ConsoleLogin by an IAM user with MFA",
                      {"type": "IAMUser", "principalId": "AIDAEXAMPLEUSER00002",
                       "arn": f"arn:aws:iam::{ACCOUNT}:user/bob", "accountId": ACCOUNT,
                       "userName": "bob"},
                      success=True, mfa=True),
        api_call("an API call by an IAM user (sts:GetCallerIdentity)", "sts.amazonaws.com",
                 "GetCallerIdentity", iam_user(), read_only=True, params=None,
                 response=None),
    ],
    [
        ('{ $.eventName = "ConsoleLogin" }', [], ["ConsoleLogin by an IAM user with MFA"]),
        ('{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed = "Yes") }',
         ["ConsoleLogin by an IAM user without MFA"], ["ConsoleLogin by an IAM user with MFA"]),
    ],
)

# ---------------------------------------------------------------- 4.3

write(
    "root_usage",
    [
        ("CIS v1.4.0 4.3",
         '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && '
         '$.eventType != "AwsServiceEvent" }'),
        ("CIS v1.2.0 3.3, Security Hub CloudWatch.1",
         '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && '
         '$.eventType !="AwsServiceEvent"}'),
    ],
    [
        console_login("ConsoleLogin by the root user",
                      {"type": "Root", "principalId": ACCOUNT,
                       "arn": f"arn:aws:iam::{ACCOUNT}:root", "accountId": ACCOUNT,
                       "accessKeyId": ""},
                      success=True, mfa=True),
        api_call("iam:CreateAccessKey by the root user", "iam.amazonaws.com", "CreateAccessKey",
                 root(), params=None, agent=BROWSER_AGENT,
                 response={"accessKey": {"accessKeyId": "AKIAEXAMPLEROOTKEY01", "status":
                                         "Active", "createDate": "Jan 5, 2026, 10:04:31 AM"}},
                 extra={"sessionCredentialFromConsole": "true"}),
        api_call("s3:ListBuckets by the root user", "s3.amazonaws.com", "ListBuckets", root(),
                 read_only=True, params={"Host": "s3.us-east-1.amazonaws.com"},
                 agent=BROWSER_AGENT, extra={"sessionCredentialFromConsole": "true"}),
    ],
    [
        api_call("iam:CreateAccessKey by an IAM user", "iam.amazonaws.com", "CreateAccessKey",
                 iam_user(), params={"userName": "alice"},
                 response={"accessKey": {"userName": "alice",
                                         "accessKeyId": "AKIAEXAMPLEKEY000003",
                                         "status": "Active",
                                         "createDate": "Jan 5, 2026, 10:04:31 AM"}}),
        api_call("a call made for the root user by an AWS service (invokedBy)",
                 "support.amazonaws.com", "DescribeTrustedAdvisorChecks",
                 root(invokedBy="support.amazonaws.com"), read_only=True,
                 params={"language": "en"}),
        api_call("an AwsServiceEvent recorded under the root identity", "signin.amazonaws.com",
                 "PasswordRecoveryRequested",
                 {"type": "Root", "principalId": ACCOUNT,
                  "arn": f"arn:aws:iam::{ACCOUNT}:root", "accountId": ACCOUNT},
                 event_type="AwsServiceEvent", agent=BROWSER_AGENT,
                 response={"PasswordRecoveryRequested": "Success"}),
    ],
    [
        ('{ $.userIdentity.type = "Root" }', [],
         ["a call made for the root user by an AWS service (invokedBy)",
          "an AwsServiceEvent recorded under the root identity"]),
        ('{ ($.userIdentity.type = "Root") && ($.eventName = "ConsoleLogin") }',
         ["iam:CreateAccessKey by the root user", "s3:ListBuckets by the root user"], []),
    ],
)

# ---------------------------------------------------------------- 4.4

IAM = [
    "DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy",
    "PutRolePolicy", "PutUserPolicy", "CreatePolicy", "DeletePolicy", "CreatePolicyVersion",
    "DeletePolicyVersion", "AttachRolePolicy", "DetachRolePolicy", "AttachUserPolicy",
    "DetachUserPolicy", "AttachGroupPolicy", "DetachGroupPolicy",
]
POLICY_ARN = f"arn:aws:iam::{ACCOUNT}:policy/app-read"
DOC = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",'
       '"Resource":"arn:aws:s3:::app-data/*"}]}')


def iam_params(n):
    who = ("groupName", "developers") if "Group" in n else (
        ("roleName", "app") if "Role" in n else ("userName", "alice"))
    if n in ("DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy"):
        return {who[0]: who[1], "policyName": "inline-app-read"}
    if n in ("PutGroupPolicy", "PutRolePolicy", "PutUserPolicy"):
        return {who[0]: who[1], "policyName": "inline-app-read", "policyDocument": DOC}
    if n == "CreatePolicy":
        return {"policyName": "app-read", "path": "/", "policyDocument": DOC}
    if n == "DeletePolicy":
        return {"policyArn": POLICY_ARN}
    if n == "CreatePolicyVersion":
        return {"policyArn": POLICY_ARN, "policyDocument": DOC, "setAsDefault": True}
    if n == "DeletePolicyVersion":
        return {"policyArn": POLICY_ARN, "versionId": "v1"}
    return {who[0]: who[1], "policyArn": POLICY_ARN}


def iam_response(n):
    if n == "CreatePolicy":
        return {"policy": {"policyName": "app-read", "policyId": "ANPAEXAMPLEPOLICY0001",
                           "arn": POLICY_ARN, "path": "/", "defaultVersionId": "v1",
                           "attachmentCount": 0, "permissionsBoundaryUsageCount": 0,
                           "isAttachable": True, "createDate": "Jan 5, 2026, 10:04:31 AM",
                           "updateDate": "Jan 5, 2026, 10:04:31 AM"}}
    if n == "CreatePolicyVersion":
        return {"policyVersion": {"versionId": "v2", "isDefaultVersion": True,
                                  "createDate": "Jan 5, 2026, 10:04:31 AM"}}
    return None


by_name("iam_policy_changes", "iam.amazonaws.com", IAM, iam_params,
        "CIS v1.4.0 4.4", "CIS v1.2.0 3.4, Security Hub CloudWatch.4",
        response=iam_response)

# ---------------------------------------------------------------- 4.5

TRAIL_ARN = f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/audit"


def trail_params(n):
    if n == "CreateTrail":
        return {"name": "audit", "s3BucketName": "audit-trail-logs", "isMultiRegionTrail": True,
                "enableLogFileValidation": True}
    if n == "UpdateTrail":
        return {"name": "audit", "includeGlobalServiceEvents": False}
    return {"name": TRAIL_ARN}


def trail_response(n):
    if n in ("CreateTrail", "UpdateTrail"):
        return {"name": "audit", "s3BucketName": "audit-trail-logs",
                "includeGlobalServiceEvents": n == "CreateTrail", "isMultiRegionTrail": True,
                "trailARN": TRAIL_ARN, "logFileValidationEnabled": True,
                "isOrganizationTrail": False}
    return None


by_name("cloudtrail_changes", "cloudtrail.amazonaws.com",
        ["CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"],
        trail_params, "CIS v1.4.0 4.5", "CIS v1.2.0 3.5, Security Hub CloudWatch.5",
        response=trail_response,
        resources=lambda n: [{"accountId": ACCOUNT, "type": "AWS::CloudTrail::Trail",
                              "ARN": TRAIL_ARN}])

# ---------------------------------------------------------------- 4.6

write(
    "console_auth_failures",
    [
        ("CIS v1.4.0 4.6",
         '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }'),
        ("CIS v1.2.0 3.6, Security Hub CloudWatch.6",
         '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}'),
    ],
    [
        console_login("failed ConsoleLogin by an IAM user",
                      {"type": "IAMUser", "principalId": "AIDAEXAMPLEUSER00001",
                       "accountId": ACCOUNT, "accessKeyId": "", "userName": "alice"},
                      success=False, mfa=False, error="Failed authentication"),
        console_login("failed ConsoleLogin as the root user",
                      {"type": "Root", "principalId": ACCOUNT,
                       "arn": f"arn:aws:iam::{ACCOUNT}:root", "accountId": ACCOUNT,
                       "accessKeyId": ""},
                      success=False, mfa=False, error="Failed authentication"),
    ],
    broken=[
        ('{ ($.eventName = ConsoleLogin) && ($.userIdentity.type = "IAMUser") && '
         '($.errorMessage = "Failed authentication") }',
         ["failed ConsoleLogin as the root user"], []),
    ],
)

# ---------------------------------------------------------------- 4.7

KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{KEY_ID}"
write(
    "cmk_disable_or_delete",
    [
        ("CIS v1.4.0 4.7",
         "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||"
         "($.eventName=ScheduleKeyDeletion)) }"),
        ("CIS v1.2.0 3.7, Security Hub CloudWatch.7",
         "{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || "
         "($.eventName=ScheduleKeyDeletion))}"),
    ],
    [
        api_call("DisableKey", "kms.amazonaws.com", "DisableKey", deploy_role(),
                 params={"keyId": KEY_ID},
                 resources=[{"accountId": ACCOUNT, "type": "AWS::KMS::Key", "ARN": KEY_ARN}]),
        api_call("ScheduleKeyDeletion", "kms.amazonaws.com", "ScheduleKeyDeletion",
                 deploy_role(), params={"keyId": KEY_ID, "pendingWindowInDays": 7},
                 response={"keyId": KEY_ARN, "deletionDate": "Jan 12, 2026, 12:00:00 AM",
                           "keyState": "PendingDeletion", "pendingWindowInDays": 7},
                 resources=[{"accountId": ACCOUNT, "type": "AWS::KMS::Key", "ARN": KEY_ARN}]),
    ],
    broken=[
        ("{($.eventSource = kms.amazonaws.com) && ($.eventName=DisableKey) }",
         ["ScheduleKeyDeletion"], []),
    ],
)

# ---------------------------------------------------------------- 4.8

S3 = [
    "PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "PutBucketLifecycle",
    "PutBucketReplication", "DeleteBucketPolicy", "DeleteBucketCors", "DeleteBucketLifecycle",
    "DeleteBucketReplication",
]


def s3_params(n):
    p = {"bucketName": "app-data", "Host": "app-data.s3.us-east-1.amazonaws.com"}
    p[{"PutBucketAcl": "acl", "PutBucketPolicy": "policy", "PutBucketCors": "cors",
       "PutBucketLifecycle": "lifecycle", "PutBucketReplication": "replication",
       "DeleteBucketPolicy": "policy", "DeleteBucketCors": "cors",
       "DeleteBucketLifecycle": "lifecycle", "DeleteBucketReplication": "replication"}[n]] = ""
    if n == "PutBucketPolicy":
        p["policy"] = ('{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecure","Effect":'
                       '"Deny","Principal":"*","Action":"s3:*","Resource":'
                       '"arn:aws:s3:::app-data/*","Condition":{"Bool":'
                       '{"aws:SecureTransport":"false"}}}]}')
    return p


by_name("s3_bucket_policy_changes", "s3.amazonaws.com", S3, s3_params,
        "CIS v1.4.0 4.8", "CIS v1.2.0 3.8, Security Hub CloudWatch.8",
        source_in_pattern=True,
        resources=lambda n: [{"accountId": ACCOUNT, "type": "AWS::S3::Bucket",
                              "ARN": "arn:aws:s3:::app-data"}])

# ---------------------------------------------------------------- 4.9

CONFIG = ["StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel",
          "PutConfigurationRecorder"]


def config_params(n):
    return {
        "StopConfigurationRecorder": {"configurationRecorderName": "default"},
        "DeleteDeliveryChannel": {"deliveryChannelName": "default"},
        "PutDeliveryChannel": {"deliveryChannel": {"name": "default",
                                                   "s3BucketName": "config-history"}},
        "PutConfigurationRecorder": {"configurationRecorder": {
            "name": "default", "roleARN": f"arn:aws:iam::{ACCOUNT}:role/config",
            "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True}}},
    }[n]


by_name("config_changes", "config.amazonaws.com", CONFIG, config_params,
        "CIS v1.4.0 4.9", "CIS v1.2.0 3.9, Security Hub CloudWatch.9", source_in_pattern=True)

# ---------------------------------------------------------------- 4.10 - 4.14 (EC2)


def ec2_params(n):
    sg = {"groupId": "sg-0123456789abcdef0"}
    rule = {"ipPermissions": {"items": [{"ipProtocol": "tcp", "fromPort": 443, "toPort": 443,
                                         "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}}]}}
    table = {
        "AuthorizeSecurityGroupIngress": dict(sg, **rule),
        "AuthorizeSecurityGroupEgress": dict(sg, **rule),
        "RevokeSecurityGroupIngress": dict(sg, **rule),
        "RevokeSecurityGroupEgress": dict(sg, **rule),
        "CreateSecurityGroup": {"groupName": "web", "groupDescription": "web tier",
                                "vpcId": "vpc-0123456789abcdef0"},
        "DeleteSecurityGroup": sg,
        "CreateNetworkAcl": {"vpcId": "vpc-0123456789abcdef0"},
        "CreateNetworkAclEntry": {"networkAclId": "acl-0123456789abcdef0", "ruleNumber": 100,
                                  "egress": False, "ruleAction": "allow", "protocol": "6",
                                  "cidrBlock": "0.0.0.0/0",
                                  "portRange": {"from": 443, "to": 443}},
        "DeleteNetworkAcl": {"networkAclId": "acl-0123456789abcdef0"},
        "DeleteNetworkAclEntry": {"networkAclId": "acl-0123456789abcdef0", "ruleNumber": 100,
                                  "egress": False},
        "ReplaceNetworkAclEntry": {"networkAclId": "acl-0123456789abcdef0", "ruleNumber": 100,
                                   "egress": False, "ruleAction": "deny", "protocol": "-1",
                                   "cidrBlock": "0.0.0.0/0"},
        "ReplaceNetworkAclAssociation": {"associationId": "aclassoc-0123456789abcdef0",
                                         "networkAclId": "acl-0fedcba9876543210"},
        "CreateCustomerGateway": {"type": "ipsec.1", "ipAddress": "203.0.113.12",
                                  "bgpAsn": 65000},
        "DeleteCustomerGateway": {"customerGatewayId": "cgw-0123456789abcdef0"},
        "AttachInternetGateway": {"internetGatewayId": "igw-0123456789abcdef0",
                                  "vpcId": "vpc-0123456789abcdef0"},
        "CreateInternetGateway": {},
        "DeleteInternetGateway": {"internetGatewayId": "igw-0123456789abcdef0"},
        "DetachInternetGateway": {"internetGatewayId": "igw-0123456789abcdef0",
                                  "vpcId": "vpc-0123456789abcdef0"},
        "CreateRoute": {"routeTableId": "rtb-0123456789abcdef0",
                        "destinationCidrBlock": "0.0.0.0/0",
                        "gatewayId": "igw-0123456789abcdef0"},
        "CreateRouteTable": {"vpcId": "vpc-0123456789abcdef0"},
        "ReplaceRoute": {"routeTableId": "rtb-0123456789abcdef0",
                         "destinationCidrBlock": "0.0.0.0/0",
                         "natGatewayId": "nat-0123456789abcdef0"},
        "ReplaceRouteTableAssociation": {"associationId": "rtbassoc-0123456789abcdef0",
                                         "routeTableId": "rtb-0fedcba9876543210"},
        "DeleteRouteTable": {"routeTableId": "rtb-0123456789abcdef0"},
        "DeleteRoute": {"routeTableId": "rtb-0123456789abcdef0",
                        "destinationCidrBlock": "0.0.0.0/0"},
        "DisassociateRouteTable": {"associationId": "rtbassoc-0123456789abcdef0"},
        "CreateVpc": {"cidrBlock": "10.0.0.0/16", "instanceTenancy": "default",
                      "amazonProvidedIpv6CidrBlock": False},
        "DeleteVpc": {"vpcId": "vpc-0123456789abcdef0"},
        "ModifyVpcAttribute": {"vpcId": "vpc-0123456789abcdef0",
                               "enableDnsHostnames": {"value": True}},
        "AcceptVpcPeeringConnection": {"vpcPeeringConnectionId": "pcx-0123456789abcdef0"},
        "CreateVpcPeeringConnection": {"vpcId": "vpc-0123456789abcdef0",
                                       "peerVpcId": "vpc-0fedcba9876543210",
                                       "peerOwnerId": "210987654321"},
        "DeleteVpcPeeringConnection": {"vpcPeeringConnectionId": "pcx-0123456789abcdef0"},
        "RejectVpcPeeringConnection": {"vpcPeeringConnectionId": "pcx-0123456789abcdef0"},
        "AttachClassicLinkVpc": {"instanceId": "i-0123456789abcdef0",
                                 "vpcId": "vpc-0123456789abcdef0",
                                 "groupSet": {"items": [{"groupId": "sg-0123456789abcdef0"}]}},
        "DetachClassicLinkVpc": {"instanceId": "i-0123456789abcdef0",
                                 "vpcId": "vpc-0123456789abcdef0"},
        "DisableVpcClassicLink": {"vpcId": "vpc-0123456789abcdef0"},
        "EnableVpcClassicLink": {"vpcId": "vpc-0123456789abcdef0"},
    }
    return table[n]


def ec2_response(n):
    return {"requestId": None, "_return": True}


for slug, names, cis, sh, with_source in [
    ("security_group_changes",
     ["AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
      "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress", "CreateSecurityGroup",
      "DeleteSecurityGroup"],
     "CIS v1.4.0 4.10", "CIS v1.2.0 3.10, Security Hub CloudWatch.10", False),
    ("nacl_changes",
     ["CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl", "DeleteNetworkAclEntry",
      "ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation"],
     "CIS v1.4.0 4.11", "CIS v1.2.0 3.11, Security Hub CloudWatch.11", False),
    ("network_gateway_changes",
     ["CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway",
      "CreateInternetGateway", "DeleteInternetGateway", "DetachInternetGateway"],
     "CIS v1.4.0 4.12", "CIS v1.2.0 3.12, Security Hub CloudWatch.12", False),
    ("route_table_changes",
     ["CreateRoute", "CreateRouteTable", "ReplaceRoute", "ReplaceRouteTableAssociation",
      "DeleteRouteTable", "DeleteRoute", "DisassociateRouteTable"],
     "CIS v1.4.0 4.13", "CIS v1.2.0 3.13, Security Hub CloudWatch.13", True),
    ("vpc_changes",
     ["CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection",
      "CreateVpcPeeringConnection", "DeleteVpcPeeringConnection", "RejectVpcPeeringConnection",
      "AttachClassicLinkVpc", "DetachClassicLinkVpc", "DisableVpcClassicLink",
      "EnableVpcClassicLink"],
     "CIS v1.4.0 4.14", "CIS v1.2.0 3.14, Security Hub CloudWatch.14", False),
]:
    by_name(slug, "ec2.amazonaws.com", names, ec2_params, cis, sh, region="eu-west-1",
            response=ec2_response, source_in_pattern=with_source)

# The route table pattern of Security Hub CloudWatch.13 has no eventSource condition: keep
# both published forms.
path = os.path.join(HERE, "route_table_changes.json")
with open(path) as f:
    doc = json.load(f)
names = ["CreateRoute", "CreateRouteTable", "ReplaceRoute", "ReplaceRouteTableAssociation",
         "DeleteRouteTable", "DeleteRoute", "DisassociateRouteTable"]
doc["patterns"][1]["pattern"] = "{" + alternatives(names, False) + "}"
with open(path, "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")

# ---------------------------------------------------------------- 4.15

ORGS = [
    "AcceptHandshake", "AttachPolicy", "CreateAccount", "CreateOrganizationalUnit",
    "CreatePolicy", "DeclineHandshake", "DeleteOrganization", "DeleteOrganizationalUnit",
    "DeletePolicy", "DetachPolicy", "DisablePolicyType", "EnablePolicyType",
    "InviteAccountToOrganization", "LeaveOrganization", "MoveAccount",
    "RemoveAccountFromOrganization", "UpdatePolicy", "UpdateOrganizationalUnit",
]
SCP = "p-examplescp1"
OU = "ou-ab12-cd34ef56"
ROOT_ID = "r-ab12"


def org_params(n):
    return {
        "AcceptHandshake": {"handshakeId": "h-0123456789abcdef0123456789abcdef"},
        "AttachPolicy": {"policyId": SCP, "targetId": OU},
        "CreateAccount": {"accountName": "sandbox", "email": "sandbox@example.com"},
        "CreateOrganizationalUnit": {"parentId": ROOT_ID, "name": "workloads"},
        "CreatePolicy": {"name": "deny-leave", "description": "Deny leaving the organization",
                         "type": "SERVICE_CONTROL_POLICY",
                         "content": '{"Version":"2012-10-17","Statement":[{"Effect":"Deny",'
                                    '"Action":"organizations:LeaveOrganization",'
                                    '"Resource":"*"}]}'},
        "DeclineHandshake": {"handshakeId": "h-0123456789abcdef0123456789abcdef"},
        "DeleteOrganization": None,
        "DeleteOrganizationalUnit": {"organizationalUnitId": OU},
        "DeletePolicy": {"policyId": SCP},
        "DetachPolicy": {"policyId": SCP, "targetId": OU},
        "DisablePolicyType": {"rootId": ROOT_ID, "policyType": "TAG_POLICY"},
        "EnablePolicyType": {"rootId": ROOT_ID, "policyType": "SERVICE_CONTROL_POLICY"},
        "InviteAccountToOrganization": {"target": {"id": "210987654321", "type": "ACCOUNT"}},
        "LeaveOrganization": None,
        "MoveAccount": {"accountId": "210987654321", "sourceParentId": ROOT_ID,
                        "destinationParentId": OU},
        "RemoveAccountFromOrganization": {"accountId": "210987654321"},
        "UpdatePolicy": {"policyId": SCP, "name": "deny-leave-v2"},
        "UpdateOrganizationalUnit": {"organizationalUnitId": OU, "name": "workloads-prod"},
    }[n]


by_name("organizations_changes", "organizations.amazonaws.com", ORGS, org_params,
        "CIS v1.4.0 4.15", None, source_in_pattern=True, quoted=True)
