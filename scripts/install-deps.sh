#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine is missing to build and test Postcard: Debian packages
# (apt-get) and the npm packages pinned in package-lock.json. Safe to run again: it installs only
# what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ cmake ninja-build pkg-config libgtest-dev libbenchmark-dev libboost-dev libssl-dev
  nlohmann-json3-dev clang-14 libclang-rt-14-dev emscripten chromium mosquitto mosquitto-clients)
missing=()
# Node.js and npm may come from Debian or be preinstalled from elsewhere: only install if absent.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "postcard: installing ${missing[*]}"
  sudo_cmd=(); [[ $(id -u) == 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [[ -f package-lock.json && ( ! -d node_modules || package-lock.json -nt node_modules ) ]]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules
fi
