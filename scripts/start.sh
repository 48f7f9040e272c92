#!/usr/bin/env bash
# The run command: installs what is missing, builds, and starts the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh native wasm
echo
echo "postcard: built the core library, its tests and benchmarks (build/bin/, build-wasm/bin/)."
echo "postcard: the native broker executable does not exist yet, so there is nothing to start."
