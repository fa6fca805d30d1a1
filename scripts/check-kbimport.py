#!/usr/bin/env python3
"""Checks what `hotfix-audit db import --format json` extracted from a folder of KB
articles against the article texts themselves, independently of the importer's
code: for every table the importer found, the data lines of the table (counted
here from the raw text) must each have given one row, and every field of every
row must be found, in the spelling the table uses, on the row's own line.

Rows the importer reads only in part are kept with the cells it could not read
named in their "problems" (a time "1436", a version "5.0:2195.2194", a date
"xx/xx/xx"): such a row must still be there, with its file name and every cell
it did read on its line; it counts as kept, not as read fully. Tables with no
header (attribute lines under a "following file attributes" sentence) start at
the table's own line.

Usage: scripts/check-kbimport.py build/hotfix-audit DIR [--list] [--min PERCENT] [--min-rows PERCENT]
Prints the figures; with --list, every table that fails and why. Exit status 1
when the share of tables with every row correct is below --min, when the share
of rows read fully is below --min-rows, or when a data line gave no row; 77 (a
CTest skip) when DIR does not exist, else 0.
"""
import json
import re
import subprocess
import sys
from pathlib import Path

MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
PLATFORMS = {"x86": "x86", "intel": "x86", "i386": "x86", "alpha": "alpha", "mips": "mips",
             "ppc": "ppc", "powerpc": "ppc", "ia64": "ia64", "x64": "x64", "amd64": "x64"}


def body_lines(path):
    lines = path.read_text(encoding="latin-1").split("\n")
    out = []
    for l in lines:
        l = l.rstrip("\r")
        if l.startswith("\t"):
            l = l[1:]
        out.append(l.replace("\t", " "))
    return out


def date_spellings(iso):
    """Every way a table may write the date iso (YYYY-MM-DD)."""
    y, m, d = (int(x) for x in iso.split("-"))
    yy = y % 100
    out = set()
    for mm in (f"{m}", f"{m:02d}"):
        for dd in (f"{d}", f"{d:02d}"):
            for year in (f"{yy:02d}", f"{y}"):
                out.add(f"{mm}/{dd}/{year}")
                out.add(f"{dd}/{mm}/{year}")
                out.add(f"{mm}-{dd}-{year}")
                out.add(f"{dd}-{mm}-{year}")
            mon = MONTHS[m - 1]
            for year in (f"{yy:02d}", f"{y}"):
                out.add(f"{dd}-{mon}-{year}")
                out.add(f"{mon}-{dd}-{year}")
            out.add(f"{mon} {dd}, {y}")
            out.add(f"{dd} {mon} {y}")
    out.add(f"{y}/{m:02d}/{d:02d}")
    out.add(f"{y}-{m:02d}-{d:02d}")
    return out


def line_has_date(line, iso):
    low = re.sub(r"\s+", " ", line.lower())
    # Full month names are written out sometimes: compare on their first three letters.
    low = re.sub(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", r"\1", low)
    toks = set(re.split(r"[\s|]+", low))
    sp = date_spellings(iso)
    if toks & sp:
        return True
    return any(s in low for s in sp if " " in s)


def line_has_time(line, hhmm):
    h, m = (int(x) for x in hhmm.split(":"))
    low = line.lower()
    for t in re.finditer(r"(\d{1,2})[:.](\d{2})(?::\d{2})?\s*(a\.?m\.?|p\.?m\.?|a|p|midnight|noon)?(?![\w])", low):
        hh, mm, suf = int(t.group(1)), int(t.group(2)), (t.group(3) or "").replace(".", "")
        if suf in ("a", "am"):
            hh = hh % 12
        elif suf in ("p", "pm"):
            hh = hh % 12 + 12
        elif suf == "midnight":
            hh = 0
        if (hh, mm) == (h, m):
            return True
    return False


def line_has_size(line, size):
    for t in re.finditer(r"(?<![\d.,])(\d{1,3}(?:[,.]\d{3})+|\d+)(?![\d,])", line):
        if int(re.sub(r"[,.]", "", t.group(1))) == size:
            return True
    return False


def line_platforms(line):
    found = set()
    for tok in re.split(r"[\s|()<>]+", line.lower()):
        if tok in PLATFORMS:
            found.add(PLATFORMS[tok])
    return found


def main():
    exe, folder = sys.argv[1], Path(sys.argv[2])
    listing = "--list" in sys.argv
    minimum = float(sys.argv[sys.argv.index("--min") + 1]) if "--min" in sys.argv else 0.0
    min_rows = float(sys.argv[sys.argv.index("--min-rows") + 1]) if "--min-rows" in sys.argv else 0.0
    if not folder.is_dir():
        print(f"{folder} is absent: nothing to check")
        sys.exit(77)
    out = subprocess.run([exe, "db", "import", "--format", "json", str(folder)], capture_output=True, text=True)
    articles = json.loads(out.stdout)
    tables = ok = rows_total = rows_partial = lines_lost = 0
    failures = []
    for a in articles:
        path = Path(a["source"])
        lines = body_lines(path)
        for t in a["tables"]:
            tables += 1
            hdr = t["line"] - 1
            headerless = t.get("headerless", False)
            if headerless:
                hdr -= 1  # the data start on the table's own line
            boxed = lines[hdr + 1 if headerless else hdr].strip().startswith("|")
            # The table's data lines, counted from the text: after the header and
            # its rules, up to the first blank line (boxed: the first line that is
            # not part of the box).
            data = []
            k = hdr + 1
            while k < len(lines):
                s = lines[k].strip()
                if not s:
                    # A single blank line continues the table when a line laid out
                    # in columns (fields apart by two spaces or more) with a digit
                    # follows it, or when nothing has been read yet.
                    nxt = lines[k + 1] if k + 1 < len(lines) else ""
                    columned = len(re.split(r"\s{2,}", nxt.strip())) >= 2 and re.search(r"\d", nxt)
                    if not boxed and nxt.strip() and (columned or not data) and not nxt.strip().endswith(":"):
                        k += 1
                        continue
                    break
                if boxed and not (s.startswith("|") or s.startswith("+")):
                    break
                if not re.fullmatch(r"[-=+ ]+", s):
                    data.append(k + 1)
                k += 1
            rows = [r for r in a["files"] if r["line"] in data]
            rows_total += len(rows)
            rows_partial += sum(1 for r in rows if r.get("problems"))
            why = []
            if t["problems"]:
                why.append("importer: " + t["problems"][0])
            got_lines = [r["line"] for r in rows]
            missing = [n for n in data if n not in got_lines]
            # A line holding only a wrapped name is part of the row above it.
            missing = [n for n in missing if len(lines[n - 1].split()) > 1]
            # Nor does an empty boxed row ("|   |   |"): it names no file.
            missing = [n for n in missing if lines[n - 1].replace("|", "").strip()]
            # Nor does a Platform cell continued on the next line.
            missing = [n for n in missing if not any(r["platform_text"] and lines[n - 1].strip() in r["platform_text"]
                                                     for r in rows)]
            lines_lost += len(missing)
            if missing:
                why.append(f"{len(missing)} data line(s) gave no row, first line {missing[0]}: {lines[missing[0]-1].strip()!r}")
            for r in rows:
                line = lines[r["line"] - 1]
                bad = []
                if r["name"].split()[0] not in line:
                    bad.append(f"name {r['name']!r}")
                has_date_shape = re.search(r"\d+[/-]\d+[/-]\d+|\d+-[A-Za-z]{3,}-\d+|[A-Za-z]{3,}-\d+-\d+|[A-Za-z]{3} \d+, \d{4}", line)
                if "date" in t["columns"] and (r["date"] is None and has_date_shape or
                                               r["date"] is not None and not line_has_date(line, r["date"])):
                    bad.append(f"date {r['date']}")
                if r["time"] is not None and not line_has_time(line, r["time"]):
                    bad.append(f"time {r['time']}")
                if "time" in t["columns"] and r["time"] is None and re.search(r"\d:\d\d", line):
                    bad.append("time missed")
                if r["size"] is not None and not line_has_size(line, r["size"]):
                    bad.append(f"size {r['size']}")
                if r["version"] is not None and r["version"] not in line:
                    bad.append(f"version {r['version']}")
                if r["size_text"] is not None and r["size_text"] not in line:
                    bad.append(f"size text {r['size_text']!r}")
                if r["platform_text"] is not None and r["platform_text"].split()[0] not in line:
                    bad.append(f"platform text {r['platform_text']!r}")
                lp = line_platforms(line)
                if lp and r["platform"] not in lp:
                    bad.append(f"platform {r['platform']} (line says {sorted(lp)})")
                if "platform" in t["columns"] and r["platform"] is None and r["platform_text"] is None and lp:
                    bad.append("no platform")
                if bad:
                    why.append(f"line {r['line']}: " + ", ".join(bad))
            if why:
                failures.append((a["source"], t["line"], why))
            else:
                ok += 1
    print(f"tables: {tables}, every row correct: {ok} ({100.0 * ok / max(tables, 1):.2f}%), rows: {rows_total}")
    full = rows_total - rows_partial
    print(f"rows read fully: {full} ({100.0 * full / max(rows_total, 1):.2f}%), kept with cells not read: "
          f"{rows_partial}, data lines that gave no row: {lines_lost}")
    if listing:
        for src, line, why in failures:
            print(f"{src}: table at line {line}: " + " | ".join(why))
    if 100.0 * ok / max(tables, 1) < minimum:
        print(f"below {minimum}%")
        sys.exit(1)
    if 100.0 * full / max(rows_total, 1) < min_rows:
        print(f"rows read fully below {min_rows}%")
        sys.exit(1)


if __name__ == "__main__":
    main()
