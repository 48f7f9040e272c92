# Simulator tests, included from simulator/CMakeLists.txt: every tests/simulator/*.cpp becomes
# simulator_tests (natively one CTest entry per test, in wasm one entry run under Node), like
# postcard_core_test() in tests/CMakeLists.txt.
enable_testing()
if(EMSCRIPTEN)
  set(POSTCARD_SIM_GTEST_LIBS GTest::gtest_main)  # googletest is added by tests/CMakeLists.txt
else()
  find_package(GTest REQUIRED)
  include(GoogleTest)
  set(POSTCARD_SIM_GTEST_LIBS GTest::gtest_main GTest::gtest)
endif()
file(GLOB POSTCARD_SIM_TEST_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/simulator/*.cpp)
add_executable(simulator_tests ${POSTCARD_SIM_TEST_SOURCES})
target_link_libraries(simulator_tests PRIVATE postcard_simulator ${POSTCARD_SIM_GTEST_LIBS})
postcard_warnings(simulator_tests)
if(EMSCRIPTEN)
  target_link_options(simulator_tests PRIVATE ${POSTCARD_WASM_TEST_LINK_FLAGS})
  add_test(NAME wasm.simulator_tests COMMAND simulator_tests --gtest_brief=1)
else()
  # The CLI test runs a lesson against the real broker binary when it has been built.
  target_compile_definitions(simulator_tests PRIVATE
    POSTCARD_SIM_BIN="$<TARGET_FILE:postcard-sim>"
    POSTCARD_LESSONS_DIR="${CMAKE_SOURCE_DIR}/simulator/lessons"
    POSTCARD_BROKER_BIN="${CMAKE_BINARY_DIR}/bin/postcard")
  add_dependencies(simulator_tests postcard-sim)
  # The remote lessons run in real time (all seven at once, about 65 s): a generous timeout for a loaded machine.
  gtest_discover_tests(simulator_tests DISCOVERY_MODE PRE_TEST PROPERTIES TIMEOUT 300)
endif()

# The published schema accepts every lesson and refuses broken scenarios (when python3-jsonschema is there).
if(NOT EMSCRIPTEN)
  find_package(Python3 COMPONENTS Interpreter)
  if(Python3_FOUND)
    execute_process(COMMAND ${Python3_EXECUTABLE} -c "import jsonschema" RESULT_VARIABLE POSTCARD_NO_JSONSCHEMA
                    OUTPUT_QUIET ERROR_QUIET)
    if(POSTCARD_NO_JSONSCHEMA EQUAL 0)
      add_test(NAME simulator_lessons_match_schema
        COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/simulator/check_schema.py ${CMAKE_SOURCE_DIR})
    endif()
  endif()
endif()
