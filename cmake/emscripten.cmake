# Emscripten 3.1.6 as packaged by Debian: see the pitfalls in the toolchain notes.
if(EMSCRIPTEN)
  find_program(NODE_EXECUTABLE node REQUIRED)
  # Debian's acorn (needed by the optimizing link) lives outside emscripten's tree.
  set(CMAKE_CXX_LINKER_LAUNCHER ${CMAKE_COMMAND} -E env NODE_PATH=/usr/share/nodejs)
  # Run test executables with the system Node, not emscripten's configured one.
  # Node 20 has a global fetch, which the 3.1.6 loader mistakes for a browser: turn it off.
  set(CMAKE_CROSSCOMPILING_EMULATOR ${NODE_EXECUTABLE} --no-experimental-fetch)
  # The test runners are CommonJS .js files; the repository's package.json says "type": "module", so
  # mark the output directory as CommonJS for Node.
  file(WRITE ${CMAKE_BINARY_DIR}/bin/package.json "{ \"type\": \"commonjs\" }\n")
  # Tests: plain Node programs (not ES modules), memory grows on demand.
  set(POSTCARD_WASM_TEST_LINK_FLAGS -sENVIRONMENT=node -sALLOW_MEMORY_GROWTH=1 -sEXIT_RUNTIME=1)
endif()
