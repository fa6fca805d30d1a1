#!/usr/bin/env bash
# Runs check_inspect_against_pefile.py over wine64's PE files with Debian's own
# python3 (where python3-pefile lives). Exit 77 (skipped) when a piece is missing.
set -uo pipefail
binary=$1
py=/usr/bin/python3
if ! "$py" -c 'import pefile' 2>/dev/null; then
  echo "skipped: python3-pefile is not installed (apt-get install python3-pefile)"; exit 77
fi
dirs=()
for d in /usr/lib/x86_64-linux-gnu/wine /usr/lib/wine /usr/lib64/wine; do [[ -d $d ]] && dirs+=("$d"); done
if [[ ${#dirs[@]} -eq 0 ]]; then
  echo "skipped: wine64 is not installed (apt-get install wine64)"; exit 77
fi
exec "$py" "$(dirname "$0")/check_inspect_against_pefile.py" "$binary" "${dirs[@]}"
