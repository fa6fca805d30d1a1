#!/usr/bin/env bash
# Real-sized hosts (issue 14, point 8): N copies (hard links) of the demo
# installation at a real system's size (make-fixtures --realsize: 2,000 more
# files in system32, 100 in WINNT, mixed-case names, SOFTWARE 8 MiB, SYSTEM
# 3 MiB), and the same hosts with small directories. Side by side from one
# run, page cache warm, best of ROUNDS (interleaved, so that a busy machine
# slows each alike): ms per host with --jobs 1 and --jobs JOBS, with the
# default digests (sha256 of every file read) and with --hash none; the
# reading floors (bench/realsize_floor.py: plain, and hashing what it reads
# whole), each scan's ratio to its floor, peak memory; then
# start-up: --version and an inspect of one file against /bin/true.
# Targets: real-sized within 4x the floor, within 1.3x of small directories;
# --version within 3x of /bin/true.
# HFA_BEFORE=another build's executable adds its --jobs 1 scans and start-up,
# interleaved with this build's, for a before/after from one run.
# Usage: bench/realsize.sh [N] [JOBS] [ROUNDS]   (build first: scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
jobs=${2:-$(nproc)}
rounds=${3:-3}
tool=${HFA_TOOL:-build/hotfix-audit}  # HFA_TOOL: another build, for a before/after
before=${HFA_BEFORE:-}
fixtures=build/testdata/make-fixtures
[[ -x $tool && -x $fixtures ]] || { echo "bench: build first (scripts/build.sh)" >&2; exit 2; }
if [[ ! -x /usr/bin/time ]]; then  # GNU time: peak resident set size
  sudo=(); [[ $(id -u) -ne 0 ]] && sudo=(sudo)
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends time >/dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/hfa-realsize-XXXXXX")
trap 'rm -rf "$work"' EXIT
"$fixtures" --realsize "$work/t"
for kind in realsize realsize-small; do
  mkdir -p "$work/$kind"
  for ((i = 0; i < n; i++)); do cp -al "$work/t/$kind" "$work/$kind/$(printf 'h%05d' "$i")"; done
done
cat "$work"/t/realsize/WINNT/SYSTEM32/CONFIG/* >/dev/null  # warm the page cache

# measure NAME CMD...: runs CMD under GNU time, keeps the best seconds and its peak KiB.
declare -A best peak
measure() {
  local name=$1 status=0
  shift
  /usr/bin/time -f '%M %e' -o "$work/time" "$@" >"$work/stdout" 2>"$work/stderr" || status=$?
  # 1 and 2 are scan verdicts (fixes missing, hosts not scanned), not failures.
  [[ $status -le 2 ]] || { cat "$work/stderr" >&2; exit "$status"; }
  read -r kib secs < <(tail -n 1 "$work/time")
  # The floor prints its own time, without the interpreter's start-up.
  [[ $name == *floor ]] && secs=$(cat "$work/stdout")
  if [[ -z ${best[$name]:-} ]] || awk -v a="$secs" -v b="${best[$name]}" 'BEGIN { exit !(a < b) }'; then
    best[$name]=$secs
    peak[$name]=$kib
  fi
}
for ((r = 0; r < rounds; r++)); do
  for kind in realsize realsize-small; do
    measure "$kind floor" python3 bench/realsize_floor.py kbdb/builtin.xml "$work/$kind"/h*
    measure "$kind sha-floor" python3 bench/realsize_floor.py --sha256 kbdb/builtin.xml "$work/$kind"/h*
    for hash in sha256 none; do
      measure "$kind $hash 1" "$tool" scan --quiet --hash $hash --jobs 1 --format jsonl --hosts-under "$work/$kind" -o /dev/null
      measure "$kind $hash N" "$tool" scan --quiet --hash $hash --jobs "$jobs" --format jsonl --hosts-under "$work/$kind" -o /dev/null
      if [[ -n $before ]]; then
        measure "$kind before $hash 1" "$before" scan --quiet --hash $hash --jobs 1 --format jsonl --hosts-under "$work/$kind" -o /dev/null
      fi
    done
  done
done

# loop_ms CMD...: mean wall time of 50 runs, in ms (fork and exec included).
loop_ms() {
  local start end
  start=$(date +%s%N)
  for ((i = 0; i < 50; i++)); do "$@" >/dev/null 2>&1 || true; done
  end=$(date +%s%N)
  awk -v t=$((end - start)) 'BEGIN { printf "%.3f", t / 50 / 1e6 }'
}
one_file=$(find "$work/t/realsize" -iname winlogon.exe | head -n 1)
declare -A start_ms
for ((r = 0; r < rounds; r++)); do
  for probe in true version inspect ${before:+before-version before-inspect}; do
    case $probe in
      true) ms=$(loop_ms /bin/true) ;;
      version) ms=$(loop_ms "$tool" --version) ;;
      inspect) ms=$(loop_ms "$tool" inspect "$one_file") ;;
      before-version) ms=$(loop_ms "$before" --version) ;;
      before-inspect) ms=$(loop_ms "$before" inspect "$one_file") ;;
    esac
    if [[ -z ${start_ms[$probe]:-} ]] || awk -v a="$ms" -v b="${start_ms[$probe]}" 'BEGIN { exit !(a < b) }'; then
      start_ms[$probe]=$ms
    fi
  done
done

sw=$(stat -c %s "$work/t/realsize/WINNT/SYSTEM32/CONFIG/software")
sy=$(stat -c %s "$work/t/realsize/WINNT/SYSTEM32/CONFIG/System")
s32=$(ls "$work/t/realsize/WINNT/SYSTEM32" | wc -l)
nt=$(ls "$work/t/realsize/WINNT" | wc -l)
printf '%d hosts: system32 %d entries, WINNT %d, SOFTWARE %.1f MiB, SYSTEM %.1f MiB; jobs %d; best of %d\n' \
  "$n" "$s32" "$nt" "$(awk -v b="$sw" 'BEGIN { print b / 1048576 }')" "$(awk -v b="$sy" 'BEGIN { print b / 1048576 }')" "$jobs" "$rounds"
printf '%-16s %-22s %10s %10s %9s\n' hosts run ms/host x-floor peak-MiB
# Each scan against its own floor: with digests (the default) against the
# floor that hashes what it reads, --hash none against the plain one.
row() {  # KIND KEY LABEL FLOOR-KEY
  awk -v k="$1" -v l="$3" -v s="${best[$1 $2]}" -v f="${best[$1 $4]}" -v m="${peak[$1 $2]}" -v n="$n" \
    'BEGIN { printf "%-16s %-22s %10.2f %10.2f %9.1f\n", k, l, s * 1000 / n, s / f, m / 1024 }'
}
for kind in realsize realsize-small; do
  row "$kind" floor "floor" floor
  row "$kind" sha-floor "floor + sha256" sha-floor
  row "$kind" "sha256 1" "--jobs 1" sha-floor
  row "$kind" "sha256 N" "--jobs $jobs" sha-floor
  row "$kind" "none 1" "--jobs 1 --hash none" floor
  row "$kind" "none N" "--jobs $jobs --hash none" floor
  if [[ -n $before ]]; then
    row "$kind" "before sha256 1" "before: --jobs 1" sha-floor
    row "$kind" "before none 1" "before: --jobs 1 none" floor
  fi
done
awk -v a="${best[realsize sha256 1]}" -v b="${best[realsize-small sha256 1]}" -v c="${best[realsize sha256 N]}" \
  -v d="${best[realsize-small sha256 N]}" -v e="${best[realsize none 1]}" -v f="${best[realsize-small none 1]}" \
  'BEGIN { printf "real-sized / small directories: %.2fx with --jobs 1, %.2fx with --jobs N, %.2fx with --jobs 1 --hash none (target 1.3x)\n", a / b, c / d, e / f }'
awk -v t="${start_ms[true]}" -v v="${start_ms[version]}" -v i="${start_ms[inspect]}" 'BEGIN {
  printf "start-up (mean of 50 runs): /bin/true %.2f ms, --version %.2f ms (%.1fx, target 3x), inspect of one file %.2f ms (%.1fx)\n", t, v, v / t, i, i / t
}'
if [[ -n $before ]]; then
  awk -v t="${start_ms[true]}" -v v="${start_ms[before-version]}" -v i="${start_ms[before-inspect]}" 'BEGIN {
    printf "before: --version %.2f ms (%.1fx), inspect of one file %.2f ms (%.1fx)\n", v, v / t, i, i / t
  }'
fi
