#!/usr/bin/env bash
# The run command: installs what is missing, builds the broker, the wasm modules and the simulator web
# app, then starts the native broker with config/local.conf: MQTT on localhost:1883 and the simulator at
# http://localhost:8080/ (MQTT over WebSocket on the same port). Loopback only, anonymous access.
# Any arguments replace the configuration: scripts/start.sh -c my.conf
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh native wasm
bash scripts/test-app.sh --build-only
args=("$@"); ((${#args[@]})) || args=(-c config/local.conf)
echo
echo "postcard: the simulator is at http://localhost:8080/ ; MQTT on localhost:1883 (Ctrl-C stops the broker)"
exec build/bin/postcard "${args[@]}"
