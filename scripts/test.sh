#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite with CTest.
# Usage: scripts/test.sh [--sanitize]
#   --sanitize: builds into build-asan/ with AddressSanitizer and UBSan
#   (-DHOTFIX_AUDIT_SANITIZE=ON) and runs the same suite there; any memory
#   error, leak or undefined behaviour fails the test that met it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests
if [[ "${1:-}" == "--sanitize" ]]; then
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DHOTFIX_AUDIT_SANITIZE=ON >/dev/null
  cmake --build build-asan -j "$(nproc)"
  export LSAN_OPTIONS=suppressions=$PWD/ci/lsan.supp:print_suppressions=0
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  asan=detect_leaks=1:abort_on_error=1:strict_string_checks=1
  # Tests that open damaged or foreign disk images need full stacks on
  # allocation, so that ci/lsan.supp can name the library functions that leak
  # then (Debian builds them without frame pointers; with the fast unwinder
  # ImageContainer's GPT test and Provenance's damaged E01 fail so). Full
  # stacks make every malloc about 5x slower: the rest runs with the fast one.
  images='ImageContainer|DiskImage|Provenance|FuzzRegressions|Limits'
  ASAN_OPTIONS=$asan:fast_unwind_on_malloc=0 ctest --test-dir build-asan --output-on-failure -j "$(nproc)" -R "$images"
  ASAN_OPTIONS=$asan:fast_unwind_on_malloc=1 ctest --test-dir build-asan --output-on-failure -j "$(nproc)" -E "$images"
  exit
fi
bash scripts/build.sh -DHOTFIX_AUDIT_WERROR=ON
ctest --test-dir build --output-on-failure -j "$(nproc)"
