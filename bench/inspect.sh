#!/usr/bin/env bash
# bench/inspect: times `hotfix-audit inspect` over the PE files of Debian's
# wine64 package against python3-pefile reading the same fields and against
# the read floor (only the bytes those fields need), then `hotfix-audit scan`
# of one scenario host against the cat floor. Prints the ratios from one run.
# Usage: bench/inspect.sh [HOTFIX_AUDIT_BINARY]   (default: build/hotfix-audit, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests  # wine64 and python3-pefile are in the test packages
binary=${1:-build/hotfix-audit}
if [[ ! -x $binary || ! -x build/testdata/make-fixtures ]]; then
  bash scripts/build.sh >/dev/null
fi
dirs=()
for d in /usr/lib/x86_64-linux-gnu/wine /usr/lib/wine /usr/lib64/wine; do [[ -d $d ]] && dirs+=("$d"); done
host=$(mktemp -d)
trap 'rm -rf "$host"' EXIT
build/testdata/make-fixtures "$host" demo >/dev/null
# Debian's own python3, where python3-pefile is installed.
exec /usr/bin/python3 bench/inspect_bench.py "$binary" --scan-host "$host/demo" "${dirs[@]}"
