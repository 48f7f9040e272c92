#!/usr/bin/env bash
# The native test suite under AddressSanitizer + UndefinedBehaviorSanitizer: configures build-asan/
# with POSTCARD_SANITIZE=ON (RelWithDebInfo: -O2 -g, readable reports), builds every native target
# (core GoogleTest suites, tests/native, the benchmarks and the Beast host), runs CTest and ends with
# CTest's summary line. Any sanitizer report aborts the test that produced it, so it fails.
#   scripts/test-sanitize.sh            configure if needed, build, test
#   POSTCARD_JOBS=N                     parallel build jobs (default: nproc)
#   POSTCARD_SANITIZE_DIR=DIR           build tree (default: build-asan)
set -uo pipefail
cd "$(dirname "$0")/.."
dir=${POSTCARD_SANITIZE_DIR:-build-asan}
jobs=${POSTCARD_JOBS:-$(nproc)}

if [[ ! -f $dir/build.ninja ]]; then
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPOSTCARD_SANITIZE=ON >/dev/null ||
    { echo "test-sanitize: configure failed"; exit 1; }
fi
start=$(date +%s)
cmake --build "$dir" -j "$jobs" || { echo "test-sanitize: build failed"; exit 1; }
echo "test-sanitize: build took $(( $(date +%s) - start )) s"

# halt_on_error: the first report ends the process with a failure exit code. UBSan aborts too, so a
# report is never just a line in a passing test's output. detect_leaks stays on (LeakSanitizer).
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}
ctest --test-dir "$dir" -j "$jobs" --output-on-failure
