#!/usr/bin/python3
"""Validates hotfix-audit's JSON outputs against docs/schema/ (tests/schema_test.cpp).

usage: validate_schema.py SCHEMA_DIR json FILE   a whole document (scan.schema.json)
       validate_schema.py SCHEMA_DIR jsonl FILE  each line a target (target.schema.json)

Exit 0 when valid; 1 with each error on stderr ("FILE[:LINE]: /json/path: why");
2 on a usage or read error. The schemas reference each other by relative URI:
both are loaded into a store keyed by their $id, so nothing is fetched.
"""
import json
import os
import sys

import jsonschema


def validators(schema_dir):
    schemas = {}
    for name in ("scan.schema.json", "target.schema.json"):
        with open(os.path.join(schema_dir, name), encoding="utf-8") as f:
            schemas[name] = json.load(f)
    out = {}
    for name, schema in schemas.items():
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)  # a broken schema must not pass everything
        try:  # jsonschema >= 4.18: the referencing library
            import referencing
            import referencing.jsonschema

            registry = referencing.Registry().with_resources(
                (s["$id"], referencing.Resource.from_contents(s)) for s in schemas.values())
            out[name] = cls(schema, registry=registry)
        except ImportError:  # earlier: RefResolver with a store
            store = {s["$id"]: s for s in schemas.values()}
            resolver = jsonschema.RefResolver.from_schema(schema, store=store)
            out[name] = cls(schema, resolver=resolver)
    return out


def report(where, validator, instance):
    errors = sorted(validator.iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path])
    for e in errors[:20]:  # the first ones say enough
        path = "/" + "/".join(str(p) for p in e.absolute_path)
        print(f"{where}: {path}: {e.message}", file=sys.stderr)
    return len(errors)


def main(argv):
    if len(argv) != 4 or argv[2] not in ("json", "jsonl"):
        print(__doc__, file=sys.stderr)
        return 2
    schema_dir, kind, path = argv[1:]
    v = validators(schema_dir)
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        print(f"{path}: {e}", file=sys.stderr)
        return 2
    bad = 0
    if kind == "json":
        bad = report(path, v["scan.schema.json"], json.loads(text))
    else:
        lines = [l for l in text.split("\n") if l.strip()]
        if not lines:
            print(f"{path}: no line", file=sys.stderr)
            return 1
        for n, line in enumerate(text.split("\n"), 1):
            if line.strip():
                bad += report(f"{path}:{n}", v["target.schema.json"], json.loads(line))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
