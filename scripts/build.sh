#!/usr/bin/env bash
# Configures and builds into build/ (Release): build/hotfix-audit and the demo image.
# Extra arguments go to cmake (scripts/test.sh turns warnings into errors).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build build -j "$(nproc)"
