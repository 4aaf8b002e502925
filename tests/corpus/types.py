#!/usr/bin/env python3
"""Regenerate the "types" field of every tests/corpus/*/fixture.json and print the
types-needed table.

    python3 tests/corpus/types.py            # update fixture.json files, print the table
    python3 tests/corpus/types.py --check    # exit 1 if a fixture.json is out of date
    python3 tests/corpus/types.py --md tests/corpus/types-needed.md
                                             # also put the table into FILE, between the
                                             # <!-- types:begin --> / <!-- types:end -->
                                             # markers when FILE has them

A fixture's types are every `resource "aws_*"` / `data "aws_*"` block in all .tf files of
the fixture folder (src/ and the vendored registry/ copies) plus its root_tf: everything
Terraform loads for that fixture. Blocks under count = 0 are included, because Terraform
needs the provider schema of every type in the configuration. Standard library only; the
parsing is a regex over the text with comments removed, not an HCL parser.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# What ctsim's provider serves today (keep in step with provider/).
SERVED_RESOURCES = {
    "aws_cloudtrail", "aws_cloudtrail_event_data_store",
    "aws_cloudtrail_organization_delegated_admin_account", "aws_cloudwatch_log_group",
    "aws_iam_policy", "aws_iam_policy_attachment", "aws_iam_role", "aws_iam_role_policy",
    "aws_iam_role_policy_attachment", "aws_kms_alias", "aws_kms_key",
    "aws_organizations_account", "aws_organizations_organization", "aws_s3_bucket",
    "aws_s3_bucket_acl", "aws_s3_bucket_lifecycle_configuration", "aws_s3_bucket_logging",
    "aws_s3_bucket_ownership_controls", "aws_s3_bucket_policy",
    "aws_s3_bucket_public_access_block", "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_versioning", "aws_sns_topic", "aws_sns_topic_policy",
}
SERVED_DATA = {
    "aws_caller_identity", "aws_cloudtrail_service_account", "aws_iam_policy_document",
    "aws_organizations_organization", "aws_partition", "aws_region",
}

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
        "| type | kind | fixtures | served | used by |",
        "| --- | --- | ---: | :---: | --- |",
    ]
    def key(item):
        (kind, t), names = item
        served = t in (SERVED_RESOURCES if kind == "resource" else SERVED_DATA)
        return (not served, kind != "resource", -len(names), t)
    for (kind, t), names in sorted(uses.items(), key=key):
        served = t in (SERVED_RESOURCES if kind == "resource" else SERVED_DATA)
        lines.append(f"| `{t}` | {kind} | {len(names)} | {'yes' if served else 'no'} | {', '.join(names)} |")
    summary = ["", "| fixture | aws resource types | aws data sources | not served | other providers |",
               "| --- | ---: | ---: | --- | --- |"]
    for name, _, fx in fixtures:
        miss = [t for t in fx["types"]["resources"] if t not in SERVED_RESOURCES]
        miss += [f"data.{t}" for t in fx["types"]["data_sources"] if t not in SERVED_DATA]
        other = [p for p in fx.get("providers", []) if p != "hashicorp/aws"]
        summary.append(f"| {name} | {len(fx['types']['resources'])} | {len(fx['types']['data_sources'])} | "
                       f"{'none: fully served' if not miss else ', '.join(f'`{m}`' for m in miss)} | "
                       f"{', '.join(other) or '-'} |")
    return "\n".join(lines + summary) + "\n"


def main(argv):
    check = "--check" in argv
    md = argv[argv.index("--md") + 1] if "--md" in argv else None
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
    if md:
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
