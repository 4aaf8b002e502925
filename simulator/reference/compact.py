#!/usr/bin/env python3
"""Writes hashicorp-aws-6.47.0-schema.compact.json.gz: the vendored dump without
descriptions, compact JSON. ctsim embeds the compact file (less to decompress and parse at
every provider start); the parity tests compare what is served with the original dump.

    python3 simulator/reference/compact.py
"""
import gzip
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "hashicorp-aws-6.47.0-schema.json.gz")
TARGET = os.path.join(HERE, "hashicorp-aws-6.47.0-schema.compact.json.gz")


def strip(block):
    block.pop("description", None)
    block.pop("description_kind", None)
    for attr in block.get("attributes", {}).values():
        attr.pop("description", None)
        attr.pop("description_kind", None)
    for nested in block.get("block_types", {}).values():
        strip(nested["block"])


def main():
    with gzip.open(SOURCE, "rt", encoding="utf-8") as fh:
        dump = json.load(fh)
    for provider in dump["provider_schemas"].values():
        for table in provider.values():
            for schema in table.values():
                strip(schema["block"])
    text = json.dumps(dump, separators=(",", ":"), sort_keys=True).encode("utf-8")
    # mtime=0: the same input gives the same bytes.
    with open(TARGET, "wb") as out:
        out.write(gzip.compress(text, compresslevel=9, mtime=0))


if __name__ == "__main__":
    main()
