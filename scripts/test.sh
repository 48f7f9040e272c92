#!/usr/bin/env bash
# The test command: installs what is missing, builds every tree, runs every test, and ends with one
# line "postcard tests: N passed, N failed". Exits non-zero if anything failed.
#   native tests (GoogleTest via CTest, one entry per test case; tests/native, persistence, simulator, the
#     benchmarks' smoke runs) and the core include check, in the sanitizer tree build-asan/
#   the same core tests compiled to wasm, under Node
#   a bounded libFuzzer run on the framer and decoder (POSTCARD_FUZZ_SECONDS, default 30)
#   the native broker against real peers (mosquitto_pub/sub, openssl, HTTP) over TCP, TLS and WebSocket,
#     and the persistence restart and SIGKILL crash tests
#   the web library under Node and in headless Chromium (scripts/test-web.sh)
#
# The native suites run in a sanitizer build. The native tree the tests use is build-asan/ (ASan + UBSan +
# LeakSanitizer, -O1 -g1, asserts on; scripts/sanitizer-options.sh): its CTest, and the node suites, whose
# brokers are the sanitized build-asan/bin/postcard (POSTCARD_BIN), so the Beast host is checked under real
# TCP, TLS and WebSocket traffic and real SIGKILLs. A report in a broker a node test started fails the run
# even when the test passed (one failure per report file). Of the Release tree build/ only the broker is
# built here (so the -O3 build of the Beast host and core still compiles with -Werror); the web library and
# simulator app suites run against it, the run command (scripts/start.sh) and the benchmarks use the whole
# tree. Why one sanitized test tree instead of a Release test tree plus a sanitizer tree: the sanitizer tree
# costs 3-4.5x the CPU per file, and both together take CI past 30 minutes (README "Tests").
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh || exit 1
scripts/build.sh asan wasm fuzz || { echo "postcard tests: 0 passed, 1 failed (build)"; exit 1; }
[[ -f build/build.ninja ]] || cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "${POSTCARD_JOBS:-$(nproc)}" --target postcard postcard-passwd ||
  { echo "postcard tests: 0 passed, 1 failed (build of the Release broker)"; exit 1; }

passed=0; failed=0
logs=build-asan/test-logs; mkdir -p "$logs"
# The node suites start the sanitized broker through wrappers that keep a copy of each process's stderr.
source scripts/sanitizer-options.sh
sanitizer_env
reports=$PWD/$logs/stderr; rm -rf "$reports"
for exe in postcard postcard-passwd; do sanitizer_wrap "$PWD/build-asan/bin/$exe" "$PWD/$logs/bin/$exe" "$reports"; done
export POSTCARD_BIN=$PWD/$logs/bin/postcard POSTCARD_PASSWD_BIN=$PWD/$logs/bin/postcard-passwd
count_reports() {  # every process of the stage that wrote a sanitizer report counts as one failure
  sanitizer_reports "$reports"; local n=$?
  failed=$((failed + n)); rm -rf "$reports"
}
count_ctest() {  # reads a CTest log; adds its counts
  local line; line=$(grep -E 'tests passed, [0-9]+ tests? failed out of' "$1" | tail -1)
  if [[ -z $line ]] && grep -q 'No tests were found' "$1"; then return; fi
  if [[ $line =~ ([0-9]+)%\ tests\ passed,\ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
    passed=$((passed + BASH_REMATCH[3] - BASH_REMATCH[2])); failed=$((failed + BASH_REMATCH[2]))
  else
    failed=$((failed + 1)); echo "could not read a CTest summary from $1"
  fi
}
count_tap() {  # reads node --test TAP output; adds its counts
  local p f
  p=$(awk '/^# pass [0-9]+/ {n += $3} END {print n + 0}' "$1")
  f=$(awk '/^# fail [0-9]+/ {n += $3} END {print n + 0}' "$1")
  passed=$((passed + p)); failed=$((failed + f))
  if ! grep -q '^# pass ' "$1"; then failed=$((failed + 1)); echo "no test summary in $1"; tail -20 "$1"; fi
}
count_gtest() {  # reads GoogleTest output; adds its counts
  local p f
  # Lines may carry CTest's "N: " prefix: take the number after the marker, wherever the marker is.
  p=$(grep -aoE '\[  PASSED  \] [0-9]+ test' "$1" | awk '{n += $(NF - 1)} END {print n + 0}')
  f=$(grep -aoE '\[  FAILED  \] [0-9]+ test' "$1" | awk '{n += $(NF - 1)} END {print n + 0}')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
}

echo "== native tests (ASan + UBSan + LeakSanitizer tree)"
ctest --test-dir build-asan -j "$(nproc)" --output-on-failure > "$logs/native.log" 2>&1
tail -3 "$logs/native.log"
grep -E '\(Failed\)|\*\*\*|ERROR: (Address|Leak)Sanitizer|runtime error' "$logs/native.log" | head -40
count_ctest "$logs/native.log"

echo "== wasm tests (core compiled to WebAssembly, under Node)"
ctest --test-dir build-wasm -j "$(nproc)" --output-on-failure -V > "$logs/wasm.log" 2>&1
wasm_status=$?
grep -E '\[  (PASSED|FAILED)  \]' "$logs/wasm.log"
count_gtest "$logs/wasm.log"
if [[ $wasm_status != 0 ]] && ! grep -aqE '\[  FAILED  \] [0-9]+ test' "$logs/wasm.log"; then
  failed=$((failed + 1)); echo "a wasm test executable failed to run:"; tail -20 "$logs/wasm.log"
fi

echo "== fuzz (bounded run)"
env -u ASAN_OPTIONS -u UBSAN_OPTIONS ctest --test-dir build-fuzz --output-on-failure > "$logs/fuzz.log" 2>&1  # its own options
tail -3 "$logs/fuzz.log"
count_ctest "$logs/fuzz.log"

echo "== native broker interop and persistence (real peers over real sockets)"
node --test --test-reporter=tap tests/interop/ tests/persistence/ > "$logs/interop.log" 2>&1
grep -E '^# (pass|fail) ' "$logs/interop.log"; grep -B2 -A12 '^not ok' "$logs/interop.log" | head -80
count_tap "$logs/interop.log"; count_reports

# The browser suites talk to the Release broker (build/bin/postcard): they test the browser side.
unset POSTCARD_BIN POSTCARD_PASSWD_BIN

echo "== web library (Node and headless Chromium)"
scripts/test-web.sh > "$logs/web.log" 2>&1
grep -E '^# (pass|fail) ' "$logs/web.log"; grep -B2 -A12 '^not ok' "$logs/web.log" | head -80
count_tap "$logs/web.log"

if [[ -f scripts/test-app.sh ]]; then
  echo "== simulator web app (headless Chromium against the native broker)"
  bash scripts/test-app.sh > "$logs/app.log" 2>&1
  grep -E '^# (pass|fail) ' "$logs/app.log"; grep -B2 -A12 '^not ok' "$logs/app.log" | head -80
  count_tap "$logs/app.log"
fi

echo "postcard tests: $passed passed, $failed failed"
[[ $failed == 0 ]]
