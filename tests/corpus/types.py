#!/usr/bin/env python3
"""Regenerate the "types" field of every tests/corpus/*/fixture.json and print the table of
the types the corpus uses, with the tier that serves each.

    python3 tests/corpus/types.py            # update fixture.json files, print the table
    python3 tests/corpus/types.py --check    # exit 1 if a fixture.json is out of date
    python3 tests/corpus/types.py --md docs/corpus.md --md tests/corpus/types-needed.md
                                             # also put the table into each FILE, between
                                             # the <!-- types:begin --> / <!-- types:end -->
                                             # markers when FILE has them

A fixture's types are every `resource "aws_*"` / `data "aws_*"` block in all .tf files of
the fixture folder (src/ and the vendored registry/ copies) plus its root_tf: everything
Terraform loads for that fixture. Blocks under count = 0 are included, because Terraform
needs the provider schema of every type in the configuration. Standard library only; the
parsing is a regex over the text with comments removed, not an HCL parser.

Tier: "simulated" for the types in SIMULATED_RESOURCES / SIMULATED_DATA (the provider's
resources::simulated() and data_sources::simulated(); a provider test keeps these sets
equal to them), "generic" for every other type in the vendored hashicorp/aws schema dump,
and "not in 6.47.0" for a type the dump does not have (Terraform refuses it at validate).
"""
import gzip
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DUMP = os.path.join(HERE, "..", "..", "simulator", "reference", "hashicorp-aws-6.47.0-schema.json.gz")

# The types ctsim simulates in depth (provider/src/resources/mod.rs and
# provider/src/data_sources/mod.rs, `simulated()`); every other type of the dump is generic.
SIMULATED_RESOURCES = {
    "aws_cloudtrail", "aws_cloudtrail_event_data_store",
    "aws_cloudtrail_organization_delegated_admin_account", "aws_cloudwatch_event_rule",
    "aws_cloudwatch_event_target", "aws_cloudwatch_log_group",
    "aws_cloudwatch_log_metric_filter", "aws_cloudwatch_metric_alarm",
    "aws_iam_policy", "aws_iam_policy_attachment", "aws_iam_role", "aws_iam_role_policy",
    "aws_iam_role_policy_attachment", "aws_kms_alias", "aws_kms_key",
    "aws_organizations_account", "aws_organizations_organization", "aws_s3_bucket",
    "aws_s3_bucket_acl", "aws_s3_bucket_lifecycle_configuration", "aws_s3_bucket_logging",
    "aws_s3_bucket_ownership_controls", "aws_s3_bucket_policy",
    "aws_s3_bucket_public_access_block", "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_versioning", "aws_sns_topic", "aws_sns_topic_policy",
    "aws_sns_topic_subscription",
}
SIMULATED_DATA = {
    "aws_caller_identity", "aws_cloudtrail_service_account", "aws_iam_policy_document",
    "aws_organizations_organization", "aws_partition", "aws_region",
}


def dump_types():
    """The resource and data source type names of the vendored hashicorp/aws schema dump."""
    with gzip.open(DUMP, "rt", encoding="utf-8") as fh:
        schemas = json.load(fh)["provider_schemas"]
    aws = next(iter(schemas.values()))
    return set(aws.get("resource_schemas", {})), set(aws.get("data_source_schemas", {}))


DUMP_RESOURCES, DUMP_DATA = dump_types()


def tier(kind, t):
    simulated, dump = ((SIMULATED_RESOURCES, DUMP_RESOURCES) if kind == "resource"
                       else (SIMULATED_DATA, DUMP_DATA))
    if t in simulated:
        return "simulated"
    return "generic" if t in dump else "not in 6.47.0"


TIERS = ["simulated", "generic", "not in 6.47.0"]

BLOCK_RE = re.compile(r'^[ \t]*(resource|data)[ \t]+"([a-z][a-z0-9]*_[a-z0-9_]+)"', re.M)
BLOCK_COMMENT_RE = re.compile(r'^[ \t]*/\*.*?\*/', re.M | re.S)


def scan(text):
    text = BLOCK_COMMENT_RE.sub("", text)
    res, data = set(), set()
    for kind, typ in BLOCK_RE.findall(text):
        (res if kind == "resource" else data).add(typ)
    return res, data


def fixture_types(folder, fx):
    res, data = scan(fx.get("root_tf", ""))
    for d, _, files in os.walk(folder):
        for f in files:
            if f.endswith(".tf"):
                r, dt = scan(open(os.path.join(d, f), encoding="utf-8").read())
                res |= r
                data |= dt
    return res, data


def load():
    out = []
    for name in sorted(os.listdir(HERE)):
        p = os.path.join(HERE, name, "fixture.json")
        if os.path.isfile(p):
            out.append((name, p, json.load(open(p, encoding="utf-8"))))
    return out


def table(fixtures):
    uses = {}
    for name, _, fx in fixtures:
        for t in fx["types"]["resources"]:
            uses.setdefault(("resource", t), []).append(name)
        for t in fx["types"]["data_sources"]:
            uses.setdefault(("data", t), []).append(name)
    lines = [
        "| type | kind | tier | fixtures | used by |",
        "| --- | --- | --- | ---: | --- |",
    ]
    def key(item):
        (kind, t), names = item
        return (TIERS.index(tier(kind, t)), kind != "resource", -len(names), t)
    for (kind, t), names in sorted(uses.items(), key=key):
        lines.append(f"| `{t}` | {kind} | {tier(kind, t)} | {len(names)} | {', '.join(names)} |")
    summary = ["", "| fixture | aws resource types | aws data sources | simulated | generic | "
               "not in 6.47.0 | other providers |",
               "| --- | ---: | ---: | ---: | ---: | --- | --- |"]
    for name, _, fx in fixtures:
        typed = [("resource", t) for t in fx["types"]["resources"]]
        typed += [("data", t) for t in fx["types"]["data_sources"]]
        count = {k: 0 for k in TIERS}
        missing = []
        for kind, t in typed:
            count[tier(kind, t)] += 1
            if tier(kind, t) == "not in 6.47.0":
                missing.append(f"`{'data.' if kind == 'data' else ''}{t}`")
        other = [p for p in fx.get("providers", []) if p != "hashicorp/aws"]
        summary.append(f"| {name} | {len(fx['types']['resources'])} | "
                       f"{len(fx['types']['data_sources'])} | {count['simulated']} | "
                       f"{count['generic']} | {', '.join(missing) or '-'} | "
                       f"{', '.join(other) or '-'} |")
    return "\n".join(lines + summary) + "\n"


def main(argv):
    check = "--check" in argv
    mds = [argv[i + 1] for i, a in enumerate(argv) if a == "--md" and i + 1 < len(argv)]
    fixtures = load()
    stale = []
    for name, path, fx in fixtures:
        res, data = fixture_types(os.path.dirname(path), fx)
        others = sorted(t for t in res | data if not t.startswith("aws_"))
        new = {"resources": sorted(t for t in res if t.startswith("aws_")),
               "data_sources": sorted(t for t in data if t.startswith("aws_"))}
        if others:
            new["other_providers"] = others
        if fx.get("types") != new:
            stale.append(name)
            fx["types"] = new
            if not check:
                with open(path, "w", encoding="utf-8") as fh:
                    json.dump(fx, fh, indent=2)
                    fh.write("\n")
    if check:
        if stale:
            print("out of date:", ", ".join(stale))
            return 1
        return 0
    out = table(fixtures)
    print(out, end="")
    for md in mds:
        begin, end = "<!-- types:begin -->\n", "<!-- types:end -->"
        text = open(md, encoding="utf-8").read() if os.path.exists(md) else ""
        if begin in text and end in text:
            text = text[: text.index(begin) + len(begin)] + out + text[text.index(end):]
        else:
            text = out
        with open(md, "w", encoding="utf-8") as fh:
            fh.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
