#!/usr/bin/env bash
# Fleet benchmark: N generated hosts (default 1000; every test scenario in turn,
# hard-linked copies of one written tree each), scanned with --format jsonl.
# Prints hosts per second and peak memory next to the time `cat` takes to read
# the same files (the I/O floor), as a ratio from one run; then the peak memory
# of a 100-host scan against the N-host one in every output format, side by
# side (every format streams: none may grow with the fleet).
# Usage: bench/fleet.sh [N] [JOBS]     (build first: scripts/build.sh)
#        HFA_TOOL=/other/hotfix-audit bench/fleet.sh ...   measures another build
#        (an older one, for a before/after) on the same fleet.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
jobs=${2:-$(nproc)}
tool=${HFA_TOOL:-build/hotfix-audit}
fixtures=build/make-fixtures
[[ -x $fixtures ]] || fixtures=build/testdata/make-fixtures
[[ -x $tool && -x $fixtures ]] || { echo "bench: build first (scripts/build.sh)" >&2; exit 2; }
# GNU time reports the peak resident set size (the bash keyword does not).
if [[ ! -x /usr/bin/time ]]; then
  sudo=(); [[ $(id -u) -ne 0 ]] && sudo=(sudo)
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends time >/dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/hfa-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT

# Every scenario but the README's demo (which is one of them already, renamed).
"$fixtures" "$work/trees" >/dev/null
mapfile -t scenarios < <(cd "$work/trees" && ls)
make_fleet() {  # make_fleet DIR COUNT
  mkdir -p "$1"
  for ((i = 0; i < $2; i++)); do
    s=${scenarios[i % ${#scenarios[@]}]}
    cp -al "$work/trees/$s" "$1/$(printf 'h%05d-%s' "$i" "$s")"
  done
}
make_fleet "$work/fleet" "$n"
make_fleet "$work/fleet100" 100

# peak_kib_and_seconds CMD...: runs CMD under GNU time, prints "KiB SECONDS".
measure() {
  /usr/bin/time -f '%M %e' -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || {
    status=$?
    # 1 and 2 are scan verdicts (fixes missing, hosts not scanned), not failures.
    [[ $status -le 2 ]] || { cat "$work/stderr" >&2; exit "$status"; }
  }
  tail -n 1 "$work/time"  # GNU time puts "Command exited with non-zero status" first
}

# The floor: reading every file of every host tree once, warm cache as the scan sees it.
files=$(find "$work/fleet" -type f | wc -l)
bytes=$(find "$work/fleet" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
find "$work/fleet" -type f -print0 | xargs -0 cat >/dev/null  # warm the page cache
read -r _ cat_s < <(measure sh -c "find '$work/fleet' -type f -print0 | xargs -0 cat >/dev/null")
read -r scan_kib scan_s < <(measure "$tool" scan --quiet --jobs "$jobs" --format jsonl --hosts-under "$work/fleet" -o "$work/fleet.jsonl")
read -r small_kib small_s < <(measure "$tool" scan --quiet --jobs "$jobs" --format jsonl --hosts-under "$work/fleet100" -o "$work/fleet100.jsonl")
read -r one_kib one_s < <(measure "$tool" scan --quiet --jobs 1 --format jsonl --hosts-under "$work/fleet" -o /dev/null)
lines=$(wc -l <"$work/fleet.jsonl")

awk -v n="$n" -v jobs="$jobs" -v files="$files" -v bytes="$bytes" -v cat_s="$cat_s" \
    -v scan_s="$scan_s" -v scan_kib="$scan_kib" -v one_s="$one_s" -v one_kib="$one_kib" \
    -v small_s="$small_s" -v small_kib="$small_kib" -v lines="$lines" 'BEGIN {
  printf "fleet: %d hosts (%d JSONL lines), %d files, %.1f MiB\n", n, lines, files, bytes / 1048576
  printf "cat (I/O floor)          %7.2f s\n", cat_s
  printf "scan --jobs %-3d          %7.2f s  %7.1f hosts/s  peak %6.1f MiB  %5.1fx the cat floor\n", jobs, scan_s, n / (scan_s > 0 ? scan_s : 0.01), scan_kib / 1024, scan_s / (cat_s > 0 ? cat_s : 0.01)
  printf "scan --jobs 1            %7.2f s  %7.1f hosts/s  peak %6.1f MiB  %5.1fx the cat floor\n", one_s, n / (one_s > 0 ? one_s : 0.01), one_kib / 1024, one_s / (cat_s > 0 ? cat_s : 0.01)
  printf "JSONL peak memory: %d hosts %.1f MiB, 100 hosts %.1f MiB (%.0f%% of it)\n", n, scan_kib / 1024, small_kib / 1024, 100 * scan_kib / small_kib
}'

# Peak memory per output format, 100 hosts against N. What a format keeps per
# host shows here as a ratio well above 100%.
printf '\npeak memory by format   %10s  %10s  %s\n' "100 hosts" "$n hosts" "ratio"
every=()
for format in jsonl json csv html text; do every+=(-o "$format=/dev/null"); done
for format in jsonl json csv html text all; do
  outputs=(--format "$format" -o /dev/null)
  [[ $format == all ]] && outputs=("${every[@]}")  # one scan, all five at once
  read -r small_kib _ < <(measure "$tool" scan --quiet --jobs "$jobs" "${outputs[@]}" --hosts-under "$work/fleet100")
  read -r big_kib _ < <(measure "$tool" scan --quiet --jobs "$jobs" "${outputs[@]}" --hosts-under "$work/fleet")
  awk -v f="$format" -v s="$small_kib" -v b="$big_kib" \
    'BEGIN { printf "  %-21s %7.1f MiB  %7.1f MiB  %4.0f%%\n", f, s / 1024, b / 1024, 100 * b / s }'
done
