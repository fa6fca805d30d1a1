#!/usr/bin/env python3
"""Cross-checks `hotfix-audit inspect --format json` against pefile.

usage: check_inspect_against_pefile.py HOTFIX_AUDIT_BINARY DIR...

Walks the DIRs for files that start with an MZ header (wine64 ships its PE
files as *.dll, *.exe, *.drv, *.sys, *.acm, *.ocx, ...), runs inspect on them
in batches and compares, file by file, what pefile reads: the PE kind
(PE32/PE32+), the COFF machine, the link time and the file version of the
first version resource (or both saying there is none). Exits non-zero on any
disagreement, on any crash or hang of the binary, or on output that is not JSON.
"""

import json
import os
import subprocess
import sys

import pefile

BATCH = 100
TIMEOUT_SECONDS = 600
SHOWN = 20


def mz_files(dirs):
    found = []
    for top in dirs:
        for root, _, names in os.walk(top):
            for name in sorted(names):
                path = os.path.join(root, name)
                if os.path.islink(path) or not os.path.isfile(path):
                    continue
                with open(path, "rb") as f:
                    if f.read(2) == b"MZ":
                        found.append(path)
    return sorted(found)


def run_inspect(binary, paths):
    """{path: entry} for the paths, or an error string (crash, hang, bad output)."""
    try:
        done = subprocess.run([binary, "inspect", "--format", "json", *paths],
                              capture_output=True, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return f"no answer within {TIMEOUT_SECONDS} s"
    if done.returncode < 0:
        return f"killed by signal {-done.returncode}"
    try:
        entries = json.loads(done.stdout)["files"]
        return {e["file"]: e for e in entries}
    except (ValueError, KeyError, TypeError) as e:
        return f"exit status {done.returncode}, output is not the inspect JSON ({e})"


def pefile_facts(path):
    """What pefile reads, or pefile's error text when it cannot parse the file."""
    try:
        pe = pefile.PE(path, fast_load=True)
        pe.parse_data_directories(
            directories=[pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_RESOURCE"]])
    except pefile.PEFormatError as e:
        return str(e)
    version = None
    # hotfix-audit only takes a VS_FIXEDFILEINFO with its signature as a version.
    for info in getattr(pe, "VS_FIXEDFILEINFO", [])[:1]:
        if info.Signature == 0xFEEF04BD:
            version = "%d.%d.%d.%d" % (info.FileVersionMS >> 16, info.FileVersionMS & 0xFFFF,
                                       info.FileVersionLS >> 16, info.FileVersionLS & 0xFFFF)
    facts = {
        "kind": "PE32+" if pe.OPTIONAL_HEADER.Magic == 0x20B else "PE32",
        "machine_code": pe.FILE_HEADER.Machine,
        "link_time_raw": pe.FILE_HEADER.TimeDateStamp,
        "file_version": version,
    }
    pe.close()
    return facts


def compare(entry, facts):
    """The fields on which inspect and pefile differ, as text."""
    if "error" in entry:
        return ["inspect could not read it: " + str(entry["error"])]
    ours = dict(entry)
    if not ours.get("version_resource"):
        ours["file_version"] = None
    return [f"{key}: inspect {ours.get(key)!r}, pefile {value!r}"
            for key, value in facts.items() if ours.get(key) != value]


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    binary, dirs = argv[1], argv[2:]
    paths = mz_files(dirs)
    agreed, disagreements, crashes, pefile_failed = 0, [], [], []
    for start in range(0, len(paths), BATCH):
        batch = paths[start:start + BATCH]
        result = run_inspect(binary, batch)
        if isinstance(result, str):
            # Find the file(s) to blame by running the batch one file at a time.
            single = {p: run_inspect(binary, [p]) for p in batch}
            crashes += [(p, r) for p, r in single.items() if isinstance(r, str)]
            result = {k: v for r in single.values() if not isinstance(r, str) for k, v in r.items()}
        for path in batch:
            if path not in result:
                if not any(p == path for p, _ in crashes):
                    crashes.append((path, "missing from the inspect output"))
                continue
            facts = pefile_facts(path)
            if isinstance(facts, str):
                pefile_failed.append((path, facts))
                if result[path].get("kind") in ("PE32", "PE32+"):
                    disagreements.append(
                        (path, [f"kind: inspect {result[path]['kind']}, pefile refused it ({facts})"]))
                continue
            differences = compare(result[path], facts)
            if differences:
                disagreements.append((path, differences))
            else:
                agreed += 1

    print(f"files checked (MZ):        {len(paths)}")
    print(f"agreed:                    {agreed}")
    print(f"disagreed:                 {len(disagreements)}")
    for path, differences in disagreements[:SHOWN]:
        print(f"  {path}: " + "; ".join(differences))
    print(f"pefile could not parse:    {len(pefile_failed)}")
    for path, why in pefile_failed[:SHOWN]:
        print(f"  {path}: {why}")
    print(f"inspect crashed or failed: {len(crashes)}")
    for path, why in crashes[:SHOWN]:
        print(f"  {path}: {why}")
    failed = len(disagreements) + len(crashes)
    print(f"{agreed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
