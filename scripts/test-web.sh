#!/usr/bin/env bash
# Web tests: builds web/dist (tsc + the wasm module from an existing wasm tree), then runs
# `node --test` over tests/web/ with the TAP reporter (ends with "# pass N" / "# fail N").
#   scripts/test-web.sh [wasm-bin-dir]     default: build-wasm/bin (or $POSTCARD_WASM_DIR)
# Exits non-zero when the build or any test fails.
set -uo pipefail
cd "$(dirname "$0")/.."
wasm_dir=${1:-${POSTCARD_WASM_DIR:-build-wasm/bin}}
if [[ ! -d node_modules/typescript ]]; then
  echo "test-web: node_modules missing (run scripts/install-deps.sh or npm ci)"; echo "# pass 0"; echo "# fail 1"; exit 1
fi
if ! node web/build.mjs "$wasm_dir"; then
  echo "# pass 0"; echo "# fail 1"; exit 1
fi
node --test --test-reporter=tap --test-concurrency=1 tests/web/
