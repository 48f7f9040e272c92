#!/usr/bin/env bash
# The run command: installs what is missing, builds, and starts the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh native wasm
echo
echo "postcard: starting the native broker: MQTT on localhost:1883, WebSocket + HTTP on http://localhost:8080/"
echo "postcard: (loopback only, anonymous access; Ctrl-C stops it). Pass a mosquitto.conf with: scripts/start.sh -c FILE"
exec build/bin/postcard "$@"
