#!/usr/bin/env python3
"""The plain reading floor of a scan (bench/realsize.sh): per host, list WINNT
and system32 once, read SOFTWARE and SYSTEM whole, read the first 64 KiB of
each file the built-in database names that the host has. No parsing: what a
scan cannot avoid doing. With --sha256, the floor of a scan that gives the
digest of every file it reads (scan's default): each of those files read whole
and hashed (hashlib, that is OpenSSL; the tool uses Nettle, within 10% of it on
SHA-256). Prints the seconds the hosts took:
the interpreter's start-up and the database's parse are left out.
Usage: realsize_floor.py [--sha256] BUILTIN_XML HOST..."""
import hashlib
import os
import sys
import time
import xml.etree.ElementTree as ET


def main():
    args = sys.argv[1:]
    digest = args[0] == "--sha256"
    if digest:
        args = args[1:]

    def read(path, limit):
        with open(path, "rb") as f:
            if digest:
                hashlib.sha256(f.read()).hexdigest()
            else:
                f.read(limit)

    wanted = set()  # (folder below the system root, lower-case name)
    for f in ET.parse(args[0]).getroot().iter():
        if f.tag.endswith("file") and "name" in f.attrib:
            wanted.add((f.get("location", "system32").lower(), f.get("name").lower()))
    start = time.perf_counter()
    for host in args[1:]:
        root = os.path.join(host, "WINNT")
        top = {n.lower(): n for n in os.listdir(root)}
        sys32 = os.path.join(root, top["system32"])
        names = {n.lower(): n for n in os.listdir(sys32)}
        config = os.path.join(sys32, names["config"])
        hives = {n.lower(): n for n in os.listdir(config)}
        for hive in ("software", "system"):
            read(os.path.join(config, hives[hive]), -1)
        for folder, name in wanted:
            if folder == "system32" and name in names:
                path = os.path.join(sys32, names[name])
            else:
                path = os.path.join(root, folder, name)  # rare: not in this tree
                if not os.path.exists(path):
                    continue
            read(path, 65536)
    print(f"{time.perf_counter() - start:.4f}")


if __name__ == "__main__":
    main()
