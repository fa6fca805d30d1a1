#!/usr/bin/env bash
# Builds the fuzz targets with clang (libFuzzer + ASan + UBSan) into build-fuzz/
# and runs each, one after the other, for SECONDS (default 60), seeded from the
# test fixtures (build-fuzz/fuzz/make-fuzz-seeds). The corpus each run grows is
# kept in build-fuzz/corpus/TARGET and reused by the next run.
# Usage: fuzz/run.sh [SECONDS] [TARGET...]   targets: pe registry bootini kbdb kbimport image
# A crash, a hang (over 1 s for one input), a leak or an out-of-memory fails the
# run (exit 1) and leaves the input in build-fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(pe registry bootini kbdb kbimport image)

# clang and its runtime libraries (libclang-rt-dev holds libFuzzer and the sanitizers).
bash scripts/setup.sh --fuzz

build=build-fuzz
flags="-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHOTFIX_AUDIT_FUZZ=ON \
  -DHOTFIX_AUDIT_TESTS=OFF -DCMAKE_CXX_FLAGS="$flags" >/dev/null
cmake --build "$build" -j "$(nproc)" --target make-fuzz-seeds $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null
rm -rf "$build/seeds"
# The seed KB articles join the importer's seeds where shared/ is beside the clone.
"$build/fuzz/make-fuzz-seeds" "$build/seeds" $( [[ -d ../shared/seeds ]] && echo ../shared/seeds ) >/dev/null
mkdir -p "$build/artifacts"

failed=0
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  mkdir -p "$corpus"
  log="$build/fuzz_$t.log"
  set +e
  # ci/lsan.supp: leaks inside Debian's disk-image libraries (fuzz_image), as in the sanitizer suite.
  ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS="suppressions=$PWD/ci/lsan.supp" UBSAN_OPTIONS=print_stacktrace=1 \
    "$build/fuzz/fuzz_$t" "$corpus" "$build/seeds/$t" -max_total_time="$seconds" -timeout=1 \
    -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" >"$log" 2>&1
  status=$?
  set -e
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo "?")
  if [[ $status -eq 0 ]]; then
    echo "fuzz_$t: ${seconds}s, $runs executions, no finding"
  else
    echo "fuzz_$t: FAILED (exit $status) after $runs executions; see $log and $build/artifacts/"
    grep -E "ERROR|SUMMARY|Test unit written" "$log" | head -5
    failed=1
  fi
done
exit $failed
