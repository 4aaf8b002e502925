#!/usr/bin/env python3
"""Generate aws_operations.json: every operation of the AWS APIs `ctsim serve` speaks for.

The server uses it to tell an operation AWS has but ctsim does not implement (answered
`NotImplemented`, 501, in the protocol's error shape) from a name AWS does not know
(`InvalidAction` on the query protocol, `UnknownOperationException` on JSON).

Run with the interpreter of a venv that has botocore installed, e.g.
    target/wire-venv/bin/python simulator/src/server/data/gen_aws_operations.py

The output is deterministic for a given botocore version.
"""

import json
import os

import botocore
from botocore.loaders import Loader

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "aws_operations.json")

# ctsim's service name -> botocore's.
SERVICES = {
    "cloudtrail": "cloudtrail",
    "cloudwatch": "cloudwatch",
    "events": "events",
    "iam": "iam",
    "kms": "kms",
    "logs": "logs",
    "organizations": "organizations",
    "sns": "sns",
    "sts": "sts",
}


def main():
    loader = Loader()
    out = {"botocore": botocore.__version__, "services": {}}
    for ours, theirs in sorted(SERVICES.items()):
        model = loader.load_service_model(theirs, "service-2")
        out["services"][ours] = sorted(model["operations"].keys())
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
