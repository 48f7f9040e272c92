#!/usr/bin/env bash
# The sanitizer stages of the test command on their own: configures the sanitizer tree (default build-asan/,
# POSTCARD_SANITIZE=ON: ASan + UBSan + LeakSanitizer, -O1 -g1, asserts on), builds every native target (core
# GoogleTest suites, tests/native, persistence, simulator, the benchmarks and the Beast host), runs its CTest,
# then the broker's node suites (tests/interop, tests/persistence) against its bin/postcard. Prints the build
# and test times; exits non-zero if a test failed or any process wrote a sanitizer report.
#   scripts/test-sanitize.sh            configure if needed, build, test
#   scripts/test-sanitize.sh --ctest    CTest only (no node suites)
#   POSTCARD_JOBS=N                     parallel build jobs (default: nproc)
#   POSTCARD_SANITIZE_DIR=DIR           build tree (default: build-asan)
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/sanitizer-options.sh
dir=${POSTCARD_SANITIZE_DIR:-build-asan}
jobs=${POSTCARD_JOBS:-$(nproc)}

if [[ ! -f $dir/build.ninja ]]; then
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPOSTCARD_SANITIZE=ON >/dev/null ||
    { echo "test-sanitize: configure failed"; exit 1; }
fi
start=$(date +%s)
cmake --build "$dir" -j "$jobs" || { echo "test-sanitize: build failed"; exit 1; }
echo "test-sanitize: build took $(( $(date +%s) - start )) s"

sanitizer_env
status=0
start=$(date +%s)
ctest --test-dir "$dir" -j "$jobs" --output-on-failure || status=1
echo "test-sanitize: CTest took $(( $(date +%s) - start )) s"
[[ ${1:-} == --ctest ]] && exit $status

# The node suites start the broker through wrappers that keep a copy of each process's stderr.
reports=$PWD/$dir/stderr; rm -rf "$reports"
for exe in postcard postcard-passwd; do sanitizer_wrap "$PWD/$dir/bin/$exe" "$PWD/$dir/wrapped/$exe" "$reports"; done
start=$(date +%s)
POSTCARD_BIN=$PWD/$dir/wrapped/postcard POSTCARD_PASSWD_BIN=$PWD/$dir/wrapped/postcard-passwd \
  node --test --test-reporter=tap tests/interop/ tests/persistence/ > "$dir/node-suites.log" 2>&1 || status=1
grep -E '^# (pass|fail) ' "$dir/node-suites.log"; grep -B2 -A12 '^not ok' "$dir/node-suites.log" | head -80
echo "test-sanitize: node suites took $(( $(date +%s) - start )) s"
sanitizer_reports "$reports" || status=1
exit $status
