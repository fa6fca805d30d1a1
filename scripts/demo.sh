#!/usr/bin/env bash
# Installs what is missing, builds, and scans the demo image (build/demo-image,
# a Server SP6a x86 installation written by the fixture generator) with the
# built-in database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh >/dev/null
set +e
./build/hotfix-audit scan build/demo-image "$@"
status=$?
set -e
# Exit status 1 means the scan worked and found fixes missing, as the demo should.
case $status in
  0) echo "demo: exit status 0: every fix present" ;;
  1) echo "demo: exit status 1: some fixes are missing or unverifiable (as intended for the demo)" ;;
  *) echo "demo: exit status $status: the scan failed" >&2; exit "$status" ;;
esac
