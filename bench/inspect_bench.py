#!/usr/bin/env python3
"""Times `hotfix-audit inspect` against pefile and against the read floor.

usage: inspect_bench.py HOTFIX_AUDIT_BINARY [--scan-host DIR] DIR...

Over every PE file below the DIRs (files starting with MZ whose e_lfanew
points at PE\\0\\0), side by side in one run, with a warm page cache:
  hotfix-audit  `hotfix-audit inspect --format json FILE...` (one process)
  pefile        pefile.PE(fast_load=True) + the resource directory, reading
                machine, link time, optional header magic, VS_FIXEDFILEINFO
                and the StringFileInfo strings: the fields inspect prints
  read floor    open + pread of only the bytes those fields need (DOS
                header, PE headers and section table, the resource
                directories on the path to RT_VERSION, its data entry, the
                version block) + close, computed beforehand and timed here
  cat floor     reading every byte of every file
Each is timed REPEAT times, interleaved (one of each per round, so that a
machine whose speed drifts slows each alike), and the best run is kept. Bytes read by
hotfix-audit are its rchar (/proc/PID/io): bytes through read(2) and pread(2).

With --scan-host DIR (a scenario host written by make-fixtures), also times
`hotfix-audit scan DIR` and reports its bytes read beside the cat floor of
the files below DIR.
"""

import json
import os
import struct
import subprocess
import sys
import time

import pefile

REPEAT = 5


def pe_files(dirs):
    found = []
    for top in dirs:
        for root, _, names in os.walk(top):
            for name in names:
                path = os.path.join(root, name)
                if os.path.islink(path) or not os.path.isfile(path):
                    continue
                with open(path, "rb") as f:
                    head = f.read(64)
                    if len(head) < 64 or head[:2] != b"MZ":
                        continue
                    f.seek(struct.unpack_from("<I", head, 0x3C)[0])
                    if f.read(4) == b"PE\0\0":
                        found.append(path)
    return sorted(found)


def needed_ranges(path):
    """The (offset, length) ranges a reader of inspect's fields cannot skip."""
    with open(path, "rb") as f:
        data = f.read()
    ranges = [(0, 64)]
    pe_at = struct.unpack_from("<I", data, 0x3C)[0]
    sections, optional_size = struct.unpack_from("<HxxxxxxxxxxxxH", data, pe_at + 6)
    optional = pe_at + 24
    table = optional + optional_size
    ranges.append((pe_at, table + 40 * sections - pe_at))
    magic = struct.unpack_from("<H", data, optional)[0]
    directories = optional + (112 if magic == 0x20B else 96)
    count = struct.unpack_from("<I", data, directories - 4)[0]
    if count < 3 or directories + 24 > table:
        return ranges
    rsrc_rva = struct.unpack_from("<I", data, directories + 16)[0]
    if rsrc_rva == 0:
        return ranges

    def offset_of(rva):
        for i in range(sections):
            vsize, va, raw_size, raw = struct.unpack_from("<IIII", data, table + 40 * i + 8)
            if va <= rva < va + max(vsize, raw_size):
                return rva - va + raw
        return None

    root = offset_of(rsrc_rva)
    if root is None:
        return ranges
    at, want = root, 16  # RT_VERSION, then the first name, the first language
    for _ in range(3):
        if at + 16 > len(data):
            return ranges
        named, ids = struct.unpack_from("<HH", data, at + 12)
        ranges.append((at, 16))
        target = None
        for i in range(named + ids):
            entry = at + 16 + 8 * i
            ranges.append((entry, 8))
            name, child = struct.unpack_from("<II", data, entry)
            if want is None or (not name & 0x80000000 and name == want):
                target = child
                break
        if target is None:
            return ranges
        at, want = root + (target & 0x7FFFFFFF), None
        if not target & 0x80000000:
            break
    if at + 16 > len(data):
        return ranges
    ranges.append((at, 16))
    rva, size = struct.unpack_from("<II", data, at)
    where = offset_of(rva)
    if where is not None:
        ranges.append((where, size))
    return ranges


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def best(fn):
    runs = [timed(fn) for _ in range(REPEAT)]
    return min(r[0] for r in runs), runs[0][1]


def run_counting(argv):
    """(seconds, rchar, stdout) of one run of argv."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.read()
    # Wait without reaping, so that /proc/PID/io still holds the totals.
    os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)
    elapsed = time.perf_counter() - start
    with open(f"/proc/{proc.pid}/io") as f:
        rchar = int(next(l for l in f if l.startswith("rchar:")).split()[1])
    proc.wait()
    return elapsed, rchar, out


def best_counting(argv):
    runs = [run_counting(argv) for _ in range(REPEAT)]
    return min(r[0] for r in runs), runs[0][1], runs[0][2]


def pefile_fields(paths):
    out = 0
    for path in paths:
        try:
            pe = pefile.PE(path, fast_load=True)
            pe.parse_data_directories(
                directories=[pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_RESOURCE"]])
        except pefile.PEFormatError:
            continue
        fields = [pe.FILE_HEADER.Machine, pe.FILE_HEADER.TimeDateStamp, pe.OPTIONAL_HEADER.Magic]
        for info in getattr(pe, "VS_FIXEDFILEINFO", [])[:1]:
            fields += [info.FileVersionMS, info.FileVersionLS, info.ProductVersionMS, info.ProductVersionLS]
        for info in getattr(pe, "FileInfo", [[]])[:1]:
            for entry in info:
                for table in getattr(entry, "StringTable", [])[:1]:
                    fields.append(dict(table.entries))
        pe.close()
        out += len(fields)
    return out


def read_ranges(plan):
    total = 0
    for path, ranges in plan:
        fd = os.open(path, os.O_RDONLY)
        for offset, length in ranges:
            total += len(os.pread(fd, length, offset))
        os.close(fd)
    return total


def cat(paths):
    total = 0
    for path in paths:
        with open(path, "rb", buffering=0) as f:
            while chunk := f.read(1 << 20):
                total += len(chunk)
    return total


def baseline_rchar(binary):
    """What the binary reads before looking at any file (its shared libraries' headers)."""
    return run_counting([binary, "--version"])[1]


def mib(n):
    return f"{n / (1 << 20):.1f} MiB"


def bench_inspect(binary, dirs):
    paths = pe_files(dirs)
    if not paths:
        sys.exit("no PE files below " + " ".join(dirs))
    plan = [(p, needed_ranges(p)) for p in paths]
    total_bytes = sum(os.path.getsize(p) for p in paths)
    cat(paths)  # warm the page cache
    argv = [binary, "inspect", "--format", "json", *paths]
    runs, t_pefile, t_floor, t_cat = [], [], [], []
    for _ in range(REPEAT):
        runs.append(run_counting(argv))
        t_pefile.append(timed(lambda: pefile_fields(paths))[0])
        seconds, floor_bytes = timed(lambda: read_ranges(plan))
        t_floor.append(seconds)
        t_cat.append(timed(lambda: cat(paths))[0])
    t_hfa, rchar, out = min(r[0] for r in runs), runs[0][1], runs[0][2]
    t_pefile, t_floor, t_cat = min(t_pefile), min(t_floor), min(t_cat)
    entries = json.loads(out)["files"]
    versions = sum(1 for e in entries if e.get("file_version"))
    rchar -= baseline_rchar(binary)

    print(f"{len(paths)} PE files, {mib(total_bytes)}; {versions} with a file version (best of {REPEAT} runs)")
    print(f"  hotfix-audit inspect  {t_hfa * 1000:9.1f} ms  read {mib(rchar)}")
    print(f"  pefile                {t_pefile * 1000:9.1f} ms")
    print(f"  read floor            {t_floor * 1000:9.1f} ms  read {mib(floor_bytes)} (python open+pread+close)")
    print(f"  cat floor             {t_cat * 1000:9.1f} ms  read {mib(total_bytes)}")
    print(f"pefile / hotfix-audit:      {t_pefile / t_hfa:6.1f}x  (hotfix-audit is that many times faster; target 50x)")
    print(f"hotfix-audit / read floor:  {t_hfa / t_floor:6.1f}x  (1.0 would be the floor)")
    print(f"bytes read / floor bytes:   {rchar / floor_bytes:6.1f}x")


def bench_scan(binary, host):
    files = []
    for root, _, names in os.walk(host):
        files += [os.path.join(root, n) for n in names if os.path.isfile(os.path.join(root, n))]
    total_bytes = sum(os.path.getsize(p) for p in files)
    hives = [p for p in files if os.sep + "config" + os.sep in p.lower()]
    cat(files)
    t_scan, rchar, _ = best_counting([binary, "scan", host, "--format", "json"])
    rchar -= baseline_rchar(binary)
    t_cat, _ = best(lambda: cat(files))
    print(f"scan of one host ({host}: {len(files)} files, {mib(total_bytes)})")
    print(f"  hotfix-audit scan     {t_scan * 1000:9.1f} ms  read {rchar} bytes through read(2)"
          f" + hives mapped by hivex ({sum(os.path.getsize(p) for p in hives)} bytes in {len(hives)} hives)")
    print(f"  cat floor             {t_cat * 1000:9.1f} ms  read {total_bytes} bytes")


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    binary, rest = argv[1], argv[2:]
    host = None
    if rest[0] == "--scan-host":
        host, rest = rest[1], rest[2:]
    bench_inspect(binary, rest)
    if host:
        bench_scan(binary, host)


if __name__ == "__main__":
    main(sys.argv)
