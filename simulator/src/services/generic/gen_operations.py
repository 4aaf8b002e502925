#!/usr/bin/env python3
"""Generate operations.json: hashicorp/aws type -> CloudTrail event source and API operations.

Inputs
  * simulator/reference/hashicorp-aws-6.47.0-schema.json.gz  (every type that needs an entry)
  * botocore's service models (service-2.json: metadata + operation names)
  * operations_overrides.json beside this script (curated entries, event-source exceptions,
    extra type-prefix facts)

Run with the interpreter of a venv that has botocore installed, e.g.
    target/gen-venv/bin/python simulator/src/services/generic/gen_operations.py

The output is deterministic for a given botocore version and inputs.  Every
operation written is an operation of the entry's botocore service model (curated
ones are checked; the generator stops on a mismatch); null means nothing fitted.
"""

import gzip
import json
import os
import re
import sys

import botocore
from botocore.loaders import Loader

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
SCHEMA = os.path.join(REPO, "simulator", "reference", "hashicorp-aws-6.47.0-schema.json.gz")
OVERRIDES = os.path.join(HERE, "operations_overrides.json")
OUTPUT = os.path.join(HERE, "operations.json")
PROVIDER = "registry.terraform.io/hashicorp/aws"

# ---------------------------------------------------------------------------
# Type-prefix facts taken from hashicorp/terraform-provider-aws names/data
# (per service: provider package name, AWS SDK service id, and the "actual"
# resource-prefix pattern where it differs from the "correct" aws_<name>_).
# Services the provider does not implement are left out.  Each service also
# claims the prefix aws_<name>_.  Patterns are matched at the start of the type
# name with Python's re; the longest match wins.
# ---------------------------------------------------------------------------
NAMES_FACTS = [
    # (provider package, SDK service id, actual prefix pattern or None)
    ("accessanalyzer", "AccessAnalyzer", None),
    ("account", "Account", None),
    ("acm", "ACM", None),
    ("acmpca", "ACM PCA", None),
    ("amp", "amp", r"aws_prometheus_"),
    ("amplify", "Amplify", None),
    ("apigateway", "API Gateway", r"aws_api_gateway_"),
    ("apigatewayv2", "ApiGatewayV2", None),
    ("appautoscaling", "Application Auto Scaling", r"aws_appautoscaling_"),
    ("appconfig", "AppConfig", None),
    ("appfabric", "AppFabric", None),
    ("appflow", "Appflow", None),
    ("appintegrations", "AppIntegrations", None),
    ("applicationinsights", "Application Insights", None),
    ("applicationsignals", "Application Signals", None),
    ("appmesh", "App Mesh", None),
    ("apprunner", "AppRunner", None),
    ("appstream", "AppStream", None),
    ("appsync", "AppSync", None),
    ("athena", "Athena", None),
    ("auditmanager", "AuditManager", None),
    ("autoscaling", "Auto Scaling", r"aws_(autoscaling_|launch_configuration)"),
    ("autoscalingplans", "Auto Scaling Plans", None),
    ("backup", "Backup", None),
    ("batch", "Batch", None),
    ("bcmdataexports", "BCM Data Exports", None),
    ("bedrock", "Bedrock", None),
    ("bedrockagent", "Bedrock Agent", None),
    ("budgets", "Budgets", None),
    ("ce", "Cost Explorer", None),
    ("chatbot", "Chatbot", None),
    ("chime", "Chime", None),
    ("chimesdkmediapipelines", "Chime SDK Media Pipelines", None),
    ("chimesdkvoice", "Chime SDK Voice", None),
    ("cleanrooms", "CleanRooms", None),
    ("cloud9", "Cloud9", None),
    ("cloudcontrol", "CloudControl", r"aws_cloudcontrolapi_"),
    ("cloudformation", "CloudFormation", None),
    ("cloudfront", "CloudFront", None),
    ("cloudfrontkeyvaluestore", "CloudFront KeyValueStore", None),
    ("cloudhsmv2", "CloudHSM V2", r"aws_cloudhsm_v2_"),
    ("cloudsearch", "CloudSearch", None),
    ("cloudtrail", "CloudTrail", r"aws_cloudtrail"),
    ("cloudwatch", "CloudWatch", r"aws_cloudwatch_(?!(event_|log_|query_))"),
    ("codeartifact", "codeartifact", None),
    ("codebuild", "CodeBuild", None),
    ("codecatalyst", "CodeCatalyst", None),
    ("codecommit", "CodeCommit", None),
    ("codeguruprofiler", "CodeGuruProfiler", None),
    ("codegurureviewer", "CodeGuru Reviewer", None),
    ("codepipeline", "CodePipeline", r"aws_codepipeline"),
    ("codestarconnections", "CodeStar connections", None),
    ("codestarnotifications", "codestar notifications", None),
    ("cognitoidentity", "Cognito Identity", r"aws_cognito_identity_(?!provider)"),
    ("cognitoidp", "Cognito Identity Provider",
     r"aws_cognito_(identity_provider|managed_user|resource|user|risk)"),
    ("comprehend", "Comprehend", None),
    ("computeoptimizer", "Compute Optimizer", None),
    ("configservice", "Config Service", r"aws_config_"),
    ("connect", "Connect", None),
    ("connectcases", "ConnectCases", None),
    ("controltower", "ControlTower", None),
    ("costoptimizationhub", "Cost Optimization Hub", None),
    ("cur", "Cost and Usage Report Service", None),
    ("customerprofiles", "Customer Profiles", None),
    ("databrew", "DataBrew", None),
    ("dataexchange", "DataExchange", None),
    ("datapipeline", "Data Pipeline", None),
    ("datasync", "DataSync", None),
    ("datazone", "DataZone", None),
    ("dax", "DAX", None),
    ("deploy", "CodeDeploy", r"aws_codedeploy_"),
    ("detective", "Detective", None),
    ("devicefarm", "Device Farm", None),
    ("devopsguru", "DevOps Guru", None),
    ("directconnect", "Direct Connect", r"aws_dx_"),
    ("dlm", "DLM", None),
    ("dms", "Database Migration Service", None),
    ("docdb", "DocDB", None),
    ("docdbelastic", "DocDB Elastic", None),
    ("drs", "DRS", None),
    ("ds", "Directory Service", r"aws_directory_service_"),
    ("dynamodb", "DynamoDB", None),
    ("ec2", "EC2",
     r"aws_(ami|availability_zone|ec2_(availability|capacity|fleet|host|instance|public_ipv4_pool"
     r"|serial|spot|tag)|eip|instance|key_pair|launch_template|placement_group|spot)"),
    # EC2 sub-services (same SDK client, split package in the provider).
    ("ec2ebs", "EC2", r"aws_(ebs_|volume_attach|snapshot_create)"),
    ("ec2outposts", "EC2", r"aws_ec2_(coip_pool|local_gateway)"),
    ("transitgateway", "EC2", r"aws_ec2_transit_gateway"),
    ("verifiedaccess", "EC2", r"aws_verifiedaccess"),
    ("vpc", "EC2",
     r"aws_((default_)?(network_acl|route_table|security_group|subnet|vpc(?!_ipam))"
     r"|ec2_(managed|network|subnet|traffic)|egress_only_internet|flow_log|internet_gateway"
     r"|main_route_table_association|nat_gateway|network_interface|prefix_list|route\b)"),
    ("ipam", "EC2", r"aws_vpc_ipam"),
    ("vpnclient", "EC2", r"aws_ec2_client_vpn"),
    ("vpnsite", "EC2", r"aws_(customer_gateway|vpn_)"),
    ("wavelength", "EC2", r"aws_ec2_carrier_gateway"),
    ("ecr", "ECR", None),
    ("ecrpublic", "ECR PUBLIC", None),
    ("ecs", "ECS", None),
    ("efs", "EFS", None),
    ("eks", "EKS", None),
    ("elasticache", "ElastiCache", None),
    ("elasticbeanstalk", "Elastic Beanstalk", r"aws_elastic_beanstalk_"),
    ("elasticsearch", "Elasticsearch Service", r"aws_elasticsearch_"),
    ("elastictranscoder", "Elastic Transcoder", None),
    ("elb", "Elastic Load Balancing",
     r"aws_(app_cookie_stickiness_policy|elb|lb_cookie_stickiness_policy|lb_ssl_negotiation_policy"
     r"|load_balancer_|proxy_protocol_policy)"),
    ("elbv2", "Elastic Load Balancing v2", r"aws_a?lb(\b|_listener|_target_group|s|_trust_store)"),
    ("emr", "EMR", None),
    ("emrcontainers", "EMR containers", None),
    ("emrserverless", "EMR Serverless", None),
    ("events", "EventBridge", r"aws_cloudwatch_event_"),
    ("evidently", "Evidently", None),
    ("finspace", "finspace", None),
    ("firehose", "Firehose", r"aws_kinesis_firehose_"),
    ("fis", "fis", None),
    ("fms", "FMS", None),
    ("fsx", "FSx", None),
    ("gamelift", "GameLift", None),
    ("glacier", "Glacier", None),
    ("globalaccelerator", "Global Accelerator", None),
    ("glue", "Glue", None),
    ("grafana", "grafana", None),
    ("greengrass", "Greengrass", None),
    ("groundstation", "GroundStation", None),
    ("guardduty", "GuardDuty", None),
    ("healthlake", "HealthLake", None),
    ("iam", "IAM", None),
    ("identitystore", "identitystore", None),
    ("imagebuilder", "imagebuilder", None),
    ("inspector", "Inspector", None),
    ("inspector2", "Inspector2", None),
    ("internetmonitor", "InternetMonitor", None),
    ("iot", "IoT", None),
    ("ivs", "ivs", None),
    ("ivschat", "ivschat", None),
    ("kafka", "Kafka", r"aws_msk_"),
    ("kafkaconnect", "KafkaConnect", r"aws_mskconnect_"),
    ("kendra", "kendra", None),
    ("keyspaces", "Keyspaces", None),
    ("kinesis", "Kinesis", r"aws_kinesis_(stream|resource_policy)"),
    ("kinesisanalytics", "Kinesis Analytics", r"aws_kinesis_analytics_"),
    ("kinesisanalyticsv2", "Kinesis Analytics V2", None),
    ("kinesisvideo", "Kinesis Video", r"aws_kinesis_video_"),
    ("kms", "KMS", None),
    ("lakeformation", "LakeFormation", None),
    ("lambda", "Lambda", None),
    ("launchwizard", "Launch Wizard", None),
    ("lexmodels", "Lex Model Building Service", r"aws_lex_"),
    ("lexv2models", "Lex Models V2", None),
    ("licensemanager", "License Manager", None),
    ("lightsail", "Lightsail", None),
    ("location", "Location", None),
    ("logs", "CloudWatch Logs", r"aws_cloudwatch_(log_|query_)"),
    ("lookoutmetrics", "LookoutMetrics", None),
    ("m2", "m2", None),
    ("macie2", "Macie2", None),
    ("mediaconnect", "MediaConnect", None),
    ("mediaconvert", "MediaConvert", r"aws_media_convert_"),
    ("medialive", "MediaLive", None),
    ("mediapackage", "MediaPackage", r"aws_media_package_"),
    ("mediapackagev2", "MediaPackageV2", r"aws_media_packagev2_"),
    ("mediastore", "MediaStore", r"aws_media_store_"),
    ("memorydb", "MemoryDB", None),
    # Not an AWS service: provider metadata data sources.
    ("meta", None, r"aws_(arn|billing_service_account|default_tags|ip_ranges|partition|regions?|service)$"),
    ("mq", "mq", None),
    ("mwaa", "MWAA", None),
    ("neptune", "Neptune", None),
    ("neptunegraph", "Neptune Graph", None),
    ("networkfirewall", "Network Firewall", None),
    ("networkmanager", "NetworkManager", None),
    ("networkmonitor", "NetworkMonitor", None),
    ("oam", "OAM", None),
    ("opensearch", "OpenSearch", None),
    ("opensearchserverless", "OpenSearchServerless", None),
    ("opsworks", "OpsWorks", None),
    ("organizations", "Organizations", None),
    ("osis", "OSIS", None),
    ("outposts", "Outposts", None),
    ("paymentcryptography", "PaymentCryptography", None),
    ("pcaconnectorad", "Pca Connector Ad", None),
    ("pinpoint", "Pinpoint", None),
    ("pipes", "Pipes", None),
    ("polly", "Polly", None),
    ("pricing", "Pricing", None),
    ("qbusiness", "QBusiness", None),
    ("qldb", "QLDB", None),
    ("quicksight", "QuickSight", None),
    ("ram", "RAM", None),
    ("rbin", "rbin", None),
    ("rds", "RDS", r"aws_(db_|rds_)"),
    ("redshift", "Redshift", None),
    ("redshiftdata", "Redshift Data", None),
    ("redshiftserverless", "Redshift Serverless", None),
    ("rekognition", "Rekognition", None),
    ("resourceexplorer2", "Resource Explorer 2", None),
    ("resourcegroups", "Resource Groups", None),
    ("resourcegroupstaggingapi", "Resource Groups Tagging API", None),
    ("rolesanywhere", "RolesAnywhere", None),
    ("route53", "Route 53", r"aws_route53_(?!resolver_)"),
    ("route53domains", "Route 53 Domains", None),
    ("route53profiles", "Route 53 Profiles", None),
    ("route53recoverycontrolconfig", "Route53 Recovery Control Config", None),
    ("route53recoveryreadiness", "Route53 Recovery Readiness", None),
    ("route53resolver", "Route53Resolver", r"aws_route53_resolver_"),
    ("rum", "RUM", None),
    ("s3", "S3", r"aws_(canonical_user_id|s3_bucket|s3_object|s3_directory_bucket)"),
    ("s3control", "S3 Control", r"aws_(s3_account_|s3control_|s3_access_)"),
    ("s3outposts", "S3Outposts", None),
    ("sagemaker", "SageMaker", None),
    ("scheduler", "Scheduler", None),
    ("schemas", "schemas", None),
    ("secretsmanager", "Secrets Manager", None),
    ("securityhub", "SecurityHub", None),
    ("securitylake", "SecurityLake", None),
    ("serverlessrepo", "ServerlessApplicationRepository", r"aws_serverlessapplicationrepository_"),
    ("servicecatalog", "Service Catalog", None),
    ("servicecatalogappregistry", "Service Catalog AppRegistry", None),
    ("servicediscovery", "ServiceDiscovery", r"aws_service_discovery_"),
    ("servicequotas", "Service Quotas", None),
    ("ses", "SES", None),
    ("sesv2", "SESv2", None),
    ("sfn", "SFN", None),
    ("shield", "Shield", None),
    ("signer", "signer", None),
    ("simpledb", "SimpleDB", r"aws_simpledb_"),
    ("sns", "SNS", None),
    ("sqs", "SQS", None),
    ("ssm", "SSM", None),
    ("ssmcontacts", "SSM Contacts", None),
    ("ssmincidents", "SSM Incidents", None),
    ("ssmsap", "Ssm Sap", None),
    ("ssoadmin", "SSO Admin", None),
    ("storagegateway", "Storage Gateway", None),
    ("sts", "STS", r"aws_caller_identity"),
    ("swf", "SWF", None),
    ("synthetics", "synthetics", None),
    ("timestreaminfluxdb", "Timestream InfluxDB", None),
    ("timestreamwrite", "Timestream Write", None),
    ("transcribe", "Transcribe", None),
    ("transfer", "Transfer", None),
    ("verifiedpermissions", "VerifiedPermissions", None),
    ("vpclattice", "VPC Lattice", None),
    ("waf", "WAF", None),
    ("wafregional", "WAF Regional", None),
    ("wafv2", "WAFV2", None),
    ("wellarchitected", "WellArchitected", None),
    ("workspaces", "WorkSpaces", None),
    ("workspacesweb", "WorkSpaces Web", None),
    ("xray", "XRay", None),
]

# Verb families, best first.  An operation "<Verb><Rest>" is a candidate for
# a CRUD kind when <Verb> is in that kind's list.
VERBS = {
    "create": ["Create", "Put", "Register", "Enable", "Allocate", "Request", "Associate", "Attach",
               "Add", "Import", "Issue", "Generate", "Run", "Start", "Authorize", "Subscribe",
               "Set", "Activate", "Accept", "Provision", "Submit", "Update"],
    "read": ["Get", "Describe", "BatchGet", "List", "Head"],
    "update": ["Update", "Modify", "Put", "Set", "Change", "Replace", "Edit"],
    "delete": ["Delete", "Deregister", "Release", "Terminate", "Disable", "Disassociate", "Detach",
               "Remove", "Revoke", "Unsubscribe", "Cancel", "Deactivate", "Stop", "Reject",
               "Deprovision", "BatchDelete", "Reset"],
    "open": ["Get", "Generate", "Describe", "Decrypt", "Invoke", "Create", "List"],
}

# Type-name suffix words that name the relationship rather than the thing:
# they select specific verbs and the thing is the words before them.
SUFFIX_VERBS = {
    "attachment": {"create": ["Attach"], "delete": ["Detach"], "read": ["ListAttached", "Get", "Describe", "List"]},
    "association": {"create": ["Associate"], "delete": ["Disassociate"]},
    "accepter": {"create": ["Accept"]},
    "registration": {"create": ["Register"], "delete": ["Deregister"]},
    "activation": {"create": ["Activate"], "delete": ["Deactivate"]},
    "enabler": {"create": ["Enable"], "delete": ["Disable"]},
    "enablement": {"create": ["Enable"], "delete": ["Disable"]},
    "copy": {"create": ["Copy"]},
}

# An operation may name the thing with one extra leading qualifier word
# (CreateDBInstance for aws_db_instance, CreateCacheCluster for
# aws_elasticache_cluster) ...
LEADING_QUALIFIERS = {"db", "cache", "ebs"}

# ... or with trailing words that name an aspect of the same thing
# (ModifyVpcAttribute, UpdateFunctionConfiguration, UpdateRepositoryName).
TRAILING_ASPECTS = {"attribute", "attributes", "configuration", "config", "name", "settings",
                    "options", "content", "definition", "code", "properties", "metadata",
                    "description", "spec", "parameters", "info", "details", "data"}

# Abbreviations that lead type names as the service, not the thing
# (aws_lb_target_group is a target group).
EXTRA_SERVICE_WORDS = {"lb", "alb", "elb", "db", "dx", "msk", "mskconnect", "cognito", "cloudwatch",
                       "kinesis", "api", "elastic", "directory", "media"}

# Abbreviations in type names that AWS spells out in operation names.
WORD_SYNONYMS = {
    "lb": "loadbalancer",
    "alb": "loadbalancer",
    "elb": "loadbalancer",
    "eip": "address",
    "eips": "addresses",
    "ami": "image",
    "amis": "images",
    "cloudtrail": "trail",
    "codepipeline": "pipeline",
    "msk": "cluster",
    "configuration": "config",
}


def norm_service_id(s):
    return re.sub(r"[\s\-_]", "", (s or "").lower())


class Botocore:
    def __init__(self):
        self.loader = Loader()
        self.services = {}
        for name in self.loader.list_available_services("service-2"):
            model = self.loader.load_service_model(name, "service-2")
            meta = model["metadata"]
            self.services[name] = {
                "endpointPrefix": meta.get("endpointPrefix"),
                "signingName": meta.get("signingName"),
                "serviceId": meta.get("serviceId"),
                "operations": sorted(model["operations"].keys()),
            }
        self.by_sdk_id = {}
        for name in sorted(self.services):
            self.by_sdk_id.setdefault(norm_service_id(self.services[name]["serviceId"]), name)

    def resolve_sdk_id(self, sdk_id):
        return self.by_sdk_id.get(norm_service_id(sdk_id))


def camel_words(s):
    return re.findall(r"[A-Z]+(?=[A-Z][a-z0-9]|$)|[A-Z]?[a-z0-9]+|[A-Z]+", s)


def split_op(op, verbs):
    """Return (verb, rest_words, plain) for every verb in `verbs` that starts `op`.

    Cognito-style "Admin<Verb><Rest>" operations count as <Verb><Rest>, and are
    preferred (plain=0) since that is what an administrator tool calls.
    """
    out = []
    body, plain = (op[5:], 0) if op.startswith("Admin") and op[5:6].isupper() else (op, 1)
    for verb in verbs:
        if body.startswith(verb) and len(body) > len(verb) and (body[len(verb)].isupper() or body[len(verb)].isdigit()):
            out.append((verb, camel_words(body[len(verb):]), plain))
    return out


def variants(cand):
    """Spellings of a lower-case joined noun: (spelling, plural_flag)."""
    out = [(cand, 0)]
    if cand.endswith("y") and not cand.endswith(("ay", "ey", "oy", "uy")):
        out.append((cand[:-1] + "ies", 1))
    if cand.endswith(("s", "x", "ch", "sh")):
        out.append((cand + "es", 1))
    else:
        out.append((cand + "s", 1))
    if cand.endswith("ies"):
        out.append((cand[:-3] + "y", 1))
    elif cand.endswith("sses") or cand.endswith("xes"):
        out.append((cand[:-2], 1))
    elif cand.endswith("s") and not cand.endswith("ss"):
        out.append((cand[:-1], 1))
    if cand.endswith("index"):
        out.append((cand[:-5] + "indices", 1))
    return out


def noun_candidates(words):
    """Joined word-suffixes of `words`, longest first, with synonyms applied."""
    seqs = [list(words)]
    syn = [WORD_SYNONYMS.get(w, w) for w in words]
    if syn != list(words):
        seqs.append(syn)
    out = []
    seen = set()
    for seq in seqs:
        for i in range(len(seq)):
            c = "".join(seq[i:])
            if c and c not in seen:
                seen.add(c)
                out.append((c, len(seq) - i))
    return out


def best_op(ops, kind, words, full_noun_len, canon=None, plural_type=False):
    """Pick the best operation of `kind` for the type words (after 'aws_').

    Returns (operation, noun) where noun is the operation's lower-case object
    when it was found by the generic rules (used as the canonical noun of the
    type for its other operations), else None.
    """
    if not words:
        return None, None
    best = None

    def consider(score, op, noun):
        nonlocal best
        key = score + (len(op), op)
        if best is None or key < best[0]:
            best = (key, op, noun)

    # Relationship suffixes (..._attachment, ..._association, ...).
    last = words[-1]
    if last in SUFFIX_VERBS and kind in SUFFIX_VERBS[last] and len(words) > 1:
        verbs = SUFFIX_VERBS[last][kind]
        cands = noun_candidates(words[:-1])
        for op in ops:
            for verb, rest_words, plain in split_op(op, verbs):
                rest = "".join(w.lower() for w in rest_words)
                for cand, weight in cands:
                    for spelled, plural in variants(cand):
                        if rest == spelled:
                            consider((0, -weight, verbs.index(verb), plural, plain), op, None)
    if best is not None:
        return best[1], None

    verbs = VERBS[kind]
    if plural_type:
        # A data source named in the plural lists things.
        verbs = ["List"] + [v for v in verbs if v != "List"]
    cands = noun_candidates(words)
    canon_forms = {v for v, _ in variants(canon)} if canon else set()
    for op in ops:
        for verb, rest_words, plain in split_op(op, verbs):
            vrank = verbs.index(verb)
            # Listing every object is a weaker read than getting one, even
            # when the getter names an aspect (GetQueueAttributes > ListQueues).
            penalty = 3 if kind == "read" and verb == "List" and not plural_type else 0
            lw = [w.lower() for w in rest_words]
            rest = "".join(lw)
            if rest in canon_forms:
                # Same object as the create operation (RegisterScalableTarget ->
                # DeregisterScalableTarget, CreateLoadBalancer -> DeleteLoadBalancer).
                consider((0 + penalty, 0, vrank, 0, plain), op, rest)
            for cand, weight in cands:
                whole = weight >= full_noun_len
                loose_ok = weight >= 2 or whole
                for spelled, plural in variants(cand):
                    tail = _strip_words(lw, spelled, True)
                    head = _strip_words(lw, spelled, False)
                    if rest == spelled:
                        # Exact.  Dropping leading noun words names a broader
                        # thing: fine with two or more words left, a last resort
                        # with one (CreateGroup for aws_cognito_user_group).
                        level = 1 if whole else (3 if weight >= 2 else 6)
                        consider((level + penalty, -weight, vrank, plural, plain), op, rest)
                    elif whole and head is not None and len(head) == 1 and head[0] in LEADING_QUALIFIERS:
                        consider((2 + penalty, -weight, vrank, plural, plain), op, rest)
                    elif loose_ok and tail is not None and (
                            all(w in TRAILING_ASPECTS for w in tail)
                            or (kind == "read" and tail[0] in ("by", "for"))):
                        # ListTargetsByRule, ModifyVpcAttribute
                        consider((4 + penalty, -weight, vrank, plural, plain), op, spelled)
                    elif (loose_ok and head is not None and len(head) == 1
                          and kind in ("create", "read", "open")):
                        # RegisterScalableTarget; mutating operations on a
                        # differently named object only via the create's noun.
                        consider((5 + penalty, -weight, vrank, plural, plain), op, rest)
    if best is None:
        return None, None
    return best[1], best[2]


def _strip_words(lw, spelled, from_start):
    """If the joined words start (end) with `spelled` on a word boundary, return the other words."""
    if from_start:
        acc = ""
        for i, w in enumerate(lw):
            acc += w
            if acc == spelled:
                return lw[i + 1:] if i + 1 < len(lw) else None
            if len(acc) >= len(spelled):
                return None
    else:
        acc = ""
        for i in range(len(lw) - 1, -1, -1):
            acc = lw[i] + acc
            if acc == spelled:
                return lw[:i] if i > 0 else None
            if len(acc) >= len(spelled):
                return None
    return None


class Resolver:
    def __init__(self, bc, overrides):
        self.bc = bc
        self.patterns = []  # (compiled, priority, provider_pkg, botocore_service or None)
        for pkg, sdk_id, actual in NAMES_FACTS:
            svc = bc.resolve_sdk_id(sdk_id) if sdk_id else None
            if actual:
                self.patterns.append((re.compile(actual), 0, pkg, svc))
            self.patterns.append((re.compile(re.escape("aws_%s_" % pkg)), 0, pkg, svc))
        for prefix, svc in sorted(overrides.get("service_prefixes", {}).items()):
            if svc is not None and svc not in bc.services:
                raise SystemExit("service_prefixes: unknown botocore service %r" % svc)
            self.patterns.append((re.compile(re.escape(prefix)), 0, prefix[4:].rstrip("_"), svc))
        # Words that name a service (not a thing) when they lead a type name.
        self.service_words = {pkg for pkg, _, _ in NAMES_FACTS} | EXTRA_SERVICE_WORDS
        for name, meta in bc.services.items():
            self.service_words.add(name.replace("-", ""))
            self.service_words.update(name.split("-"))
        # Fallback: aws_<botocore name without dashes>_ for every botocore service.
        for name in sorted(bc.services):
            key = name.replace("-", "")
            self.patterns.append((re.compile(re.escape("aws_%s_" % key)), 1, key, name))

    def resolve(self, type_name):
        best = None
        for pat, prio, pkg, svc in self.patterns:
            m = pat.match(type_name)
            if not m:
                continue
            key = (-len(m.group(0)), prio, pkg)
            if best is None or key < best[0]:
                best = (key, m.group(0), pkg, svc)
        if best is None:
            return None, None, None
        return best[1], best[2], best[3]


def event_source_for(bc, overrides, svc):
    if svc is None:
        return None
    exc = overrides.get("event_sources", {})
    if svc in exc:
        return exc[svc]
    meta = bc.services[svc]
    ep = meta["endpointPrefix"] or svc
    if ep.startswith("api."):
        ep = ep[4:]
    if "." in ep:
        ep = meta["signingName"] or svc
    return ep + ".amazonaws.com"


NOT_PLURAL = {"settings", "access", "status", "address", "alias", "credentials", "details", "metrics",
              "statistics", "analytics", "options", "series", "dns", "news", "https", "ipsets", "aws"}


def is_plural_word(w):
    return (w.endswith("s") and not w.endswith(("ss", "us", "is")) and w not in NOT_PLURAL
            and len(w) > 3)


def heuristic_entry(bc, resolver, overrides, type_name, kinds, table):
    matched, pkg, svc = resolver.resolve(type_name)
    entry = {"service": svc, "event_source": None}
    for k in kinds:
        entry[k] = None
    if svc is None:
        if pkg and pkg != "meta":
            # A provider service botocore no longer models: keep its conventional source.
            entry["event_source"] = "%s.amazonaws.com" % pkg
        return entry
    entry["event_source"] = event_source_for(bc, overrides, svc)
    words = type_name[4:].split("_")
    # Leading words that name the service rather than the thing: all of a
    # prefix ending in "_" (aws_api_gateway_), else the first word of a
    # multi-word match when it is a service name (aws_cognito_user...,
    # but not aws_internet_gateway).  At least one noun word remains.
    consumed = matched[4:].rstrip("_").split("_")
    if matched.endswith("_"):
        n_prefix_words = len(consumed)
    else:
        n_prefix_words = 1 if len(consumed) > 1 and consumed[0] in resolver.service_words else 0
    full_noun_len = max(1, len(words) - n_prefix_words)
    ops = bc.services[svc]["operations"]
    canon = None
    plural_type = table == "data_sources" and is_plural_word(words[-1])
    for k in kinds:
        op, noun = best_op(ops, k, words, full_noun_len, canon, plural_type)
        if op is None and words[-1] == "configuration" and full_noun_len > 1 and k in ("create", "read"):
            # aws_s3_bucket_cors_configuration -> PutBucketCors (its update and
            # delete only through the create's noun: PutBucketCors, DeleteBucketCors).
            op, noun = best_op(ops, k, words[:-1], full_noun_len - 1, canon)
        if op is None and k == "read":
            # Reading a sub-aspect usually reads its parent: drop trailing words.
            for cut in range(1, full_noun_len):
                op, _ = best_op(ops, k, words[:-cut], full_noun_len - cut, canon)
                if op:
                    break
        if k == "create" and op is not None:
            canon = noun
        entry[k] = op
    return entry


def apply_override(bc, overrides, table, type_name, entry, ov, kinds):
    unknown = set(ov) - set(kinds) - {"service", "event_source", "no_call", "note"}
    if unknown:
        raise SystemExit("%s %s: unknown override keys %s" % (table, type_name, sorted(unknown)))
    for k in ov.get("no_call", []):
        if k not in kinds:
            raise SystemExit("%s %s: no_call names %r, not one of %s" % (table, type_name, k, kinds))
    if "service" in ov:
        svc = ov["service"]
        if svc is not None and svc not in bc.services:
            raise SystemExit("%s %s: unknown botocore service %r" % (table, type_name, svc))
        if svc != entry.get("service"):
            # A different service: heuristic ops of the old one do not apply.
            for k in kinds:
                entry[k] = None
        entry["service"] = svc
        entry["event_source"] = event_source_for(bc, overrides, svc)
    if "event_source" in ov:
        entry["event_source"] = ov["event_source"]
    for k in kinds:
        if k in ov:
            entry[k] = ov[k]
    if "no_call" in ov:
        entry["no_call"] = sorted(ov["no_call"])
    svc = entry.get("service")
    for k in kinds:
        op = entry.get(k)
        if op is None:
            continue
        if svc is None or op not in bc.services[svc]["operations"]:
            raise SystemExit("%s %s: %s %r is not an operation of botocore service %r"
                             % (table, type_name, k, op, svc))


def main():
    with gzip.open(SCHEMA, "rt") as f:
        schema = json.load(f)["provider_schemas"][PROVIDER]
    with open(OVERRIDES) as f:
        overrides = json.load(f)
    bc = Botocore()
    resolver = Resolver(bc, overrides)

    tables = [
        ("resources", "resource_schemas", ["create", "read", "update", "delete"]),
        ("data_sources", "data_source_schemas", ["read"]),
        ("ephemeral_resources", "ephemeral_resource_schemas", ["open"]),
    ]
    out = {
        "source": "botocore %s service models; hashicorp/aws 6.47.0 schema dump; operations_overrides.json"
                  % botocore.__version__,
    }
    stats = {}
    for table, schema_key, kinds in tables:
        types = sorted(schema.get(schema_key, {}))
        ovs = overrides.get(table, {})
        unknown = sorted(set(ovs) - set(types))
        if unknown:
            raise SystemExit("%s overrides name types not in the schema dump: %s" % (table, unknown))
        result = {}
        for t in types:
            entry = heuristic_entry(bc, resolver, overrides, t, kinds, table)
            if t in ovs:
                apply_override(bc, overrides, table, t, entry, ovs[t], kinds)
            ordered = {"event_source": entry["event_source"], "service": entry["service"]}
            for k in kinds:
                ordered[k] = entry[k]
            if entry.get("no_call"):
                ordered["no_call"] = entry["no_call"]
            result[t] = ordered
        out[table] = result
        complete = sum(1 for e in result.values() if all(e[k] for k in kinds))
        with_null = len(result) - complete
        no_source = sum(1 for e in result.values() if e["event_source"] is None)
        no_call = sum(1 for e in result.values() if e.get("no_call"))
        per_kind = {k: sum(1 for e in result.values() if e[k] is None) for k in kinds}
        stats[table] = (len(result), complete, with_null, no_source, no_call, per_kind, len(ovs))

    with open(OUTPUT, "w") as f:
        json.dump(out, f, indent=2, sort_keys=True)
        f.write("\n")

    print("botocore %s; wrote %s" % (botocore.__version__, os.path.relpath(OUTPUT, REPO)))
    for table, (n, complete, with_null, no_source, no_call, per_kind, n_ov) in stats.items():
        print("%-20s %5d types (%d curated): all %d ops set %5d, some op null %5d (%s); "
              "no AWS call at all (event_source null) %d; an op marked no_call %d"
              % (table, n, n_ov, len(per_kind), complete, with_null,
                 ", ".join("%s %d" % kv for kv in per_kind.items()), no_source, no_call))
    return 0


if __name__ == "__main__":
    sys.exit(main())
