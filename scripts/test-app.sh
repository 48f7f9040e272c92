#!/usr/bin/env bash
# Builds the simulator web app (web/app -> web/app/dist) and runs its headless Chromium tests with the TAP
# reporter. Assumes the wasm tree exists (POSTCARD_WASM_BUILD, default build-wasm) and the native broker
# (build/bin/postcard, or POSTCARD_BIN). --build-only stops after the app build.
set -euo pipefail
cd "$(dirname "$0")/.."
wasm_build=${POSTCARD_WASM_BUILD:-build-wasm}
cmake --build "$wasm_build" --target postcard_sim_wasm >/dev/null
mkdir -p web/app/public/sim
cp "$wasm_build/bin/postcard-sim.mjs" "$wasm_build/bin/postcard-sim.wasm" web/app/public/sim/
npx --no-install tsc -p web/app/tsconfig.json
npx --no-install vite build --config web/app/vite.config.ts --logLevel warn
if [[ "${1:-}" == "--build-only" ]]; then exit 0; fi
exec node --test --test-reporter=tap --test-concurrency=1 tests/app/
