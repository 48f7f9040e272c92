#!/usr/bin/env bash
# Builds the native tree (build/), the WebAssembly tree (build-wasm/) and the libFuzzer tree
# (build-fuzz/). Executables land in <tree>/bin/. Pass tree names to build only some: native wasm fuzz asan.
#   asan: the native tree with ASan + UBSan + LeakSanitizer (build-asan/, POSTCARD_SANITIZE=ON, -O1 -g1,
#         asserts on; scripts/test-sanitize.sh runs its tests).
set -euo pipefail
cd "$(dirname "$0")/.."
trees=("$@"); ((${#trees[@]})) || trees=(native wasm fuzz)
jobs=${POSTCARD_JOBS:-$(nproc)}
for tree in "${trees[@]}"; do
  case $tree in
    native) [[ -f build/build.ninja ]] || cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
            cmake --build build -j "$jobs" ;;
    wasm)   [[ -f build-wasm/build.ninja ]] || emcmake cmake -S . -B build-wasm -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
            cmake --build build-wasm -j "$jobs" ;;
    fuzz)   [[ -f build-fuzz/build.ninja ]] || CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja \
              -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPOSTCARD_FUZZ=ON >/dev/null
            cmake --build build-fuzz -j "$jobs" ;;
    asan)   [[ -f build-asan/build.ninja ]] || cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
              -DPOSTCARD_SANITIZE=ON >/dev/null
            cmake --build build-asan -j "$jobs" ;;
    *) echo "build.sh: unknown tree '$tree' (native, wasm, fuzz, asan)" >&2; exit 2 ;;
  esac
done
