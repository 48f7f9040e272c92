// postcard-sim end to end (native only): lessons headless in-process, and against the real `postcard`
// broker over mqtt:// and ws:// on loopback.
#if defined(POSTCARD_SIM_BIN) && !defined(__EMSCRIPTEN__)
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "cli_util.hpp"

namespace {

using namespace postcard_sim_test;

const std::string sim = POSTCARD_SIM_BIN;

TEST(SimCli, ListsTheLessons) {
  const auto r = run(sim + " --list-lessons");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("04-last-will"), std::string::npos);
  EXPECT_NE(r.out.find("Keepalive and half-open links"), std::string::npos);
}

TEST(SimCli, RunsALessonInProcessWithSummaryAndTrace) {
  const std::string trace = ::testing::TempDir() + "sim_cli_trace_" + std::to_string(getpid()) + ".jsonl";
  const auto r = run(sim + " --lesson 04 --quiet --trace " + trace);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("PASS: 0 expectation(s) failed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 wills fired"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("latency        p50 "), std::string::npos);
  std::ifstream in(trace);
  std::string line;
  std::size_t lines = 0, wills = 0;
  while (std::getline(in, line)) {
    ++lines;
    EXPECT_EQ(line.front(), '{');
    EXPECT_EQ(line.back(), '}');
    wills += line.find("\"event\":\"will_fired\"") != std::string::npos ? 1 : 0;
  }
  EXPECT_GT(lines, 20u);
  EXPECT_EQ(wills, 2u);
  std::remove(trace.c_str());
}

TEST(SimCli, ReportsScenarioErrorsWithTheirPath) {
  const std::string file = ::testing::TempDir() + "sim_cli_bad_" + std::to_string(getpid()) + ".json";
  std::ofstream(file) << R"({"devices": [{"id": "a", "link": {"loss": 2}}]})";
  const auto r = run(sim + " " + file);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("$.devices[0].link.loss: must be a number from 0 to 1, got 2"), std::string::npos) << r.out;
  std::remove(file.c_str());
}

TEST(SimCli, FailedExpectationsSetTheExitStatus) {
  const std::string file = ::testing::TempDir() + "sim_cli_fail_" + std::to_string(getpid()) + ".json";
  std::ofstream(file) << R"({"duration_ms": 2000, "devices": [{"id": "a", "kind": "subscriber", "subscriptions": ["x"]}],
    "steps": [{"at_ms": 1000, "title": "t", "text": "nothing arrives", "expect": [{"kind": "received", "device": "a", "topic": "x"}]}]})";
  const auto r = run(sim + " --quiet " + file);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("[FAIL] a received at least 1 on x: got 0"), std::string::npos) << r.out;
  std::remove(file.c_str());
}

TEST(SimCli, LessonAgainstTheRealBrokerOverMqttAndWebSocket) {
  if (access(POSTCARD_BROKER_BIN, X_OK) != 0) GTEST_SKIP() << "the postcard broker is not built";
  broker_process broker;
  ASSERT_TRUE(port_open(broker.mqtt));
  const auto tcp = run(sim + " --lesson 01 --quiet --broker mqtt://127.0.0.1:" + std::to_string(broker.mqtt));
  EXPECT_EQ(tcp.status, 0) << tcp.out;
  EXPECT_NE(tcp.out.find("remote broker"), std::string::npos);
  EXPECT_NE(tcp.out.find("[ ok ] dashboard received exactly 8 on home/#: got 8"), std::string::npos) << tcp.out;
  const auto ws = run(sim + " --lesson 01 --quiet --broker ws://127.0.0.1:" + std::to_string(broker.ws) + "/mqtt");
  EXPECT_EQ(ws.status, 0) << ws.out;
  EXPECT_NE(ws.out.find("[ ok ] thermometers received exactly 5 on home/+/temperature: got 5"), std::string::npos) << ws.out;
}

TEST(SimCli, LessonAgainstTheRealBrokerOverTlsAndSecureWebSocket) {
  if (access(POSTCARD_BROKER_BIN, X_OK) != 0) GTEST_SKIP() << "the postcard broker is not built";
  const std::string dir = ::testing::TempDir() + "sim_cli_tls_" + std::to_string(getpid());
  std::string why;
  if (!make_certificate(dir, &why)) GTEST_SKIP() << "openssl cannot make a certificate: " << why;
  broker_process broker(dir);
  const auto tls = run(sim + " --lesson 01 --quiet --broker mqtts://127.0.0.1:" + std::to_string(broker.mqtt));
  EXPECT_EQ(tls.status, 0) << tls.out;
  EXPECT_NE(tls.out.find("[ ok ] dashboard received exactly 8 on home/#: got 8"), std::string::npos) << tls.out;
  const auto wss = run(sim + " --lesson 01 --quiet --broker wss://127.0.0.1:" + std::to_string(broker.ws) + "/mqtt");
  EXPECT_EQ(wss.status, 0) << wss.out;
  EXPECT_NE(wss.out.find("[ ok ] kitchen-panel received exactly 5 on home/kitchen/temperature: got 5"),
            std::string::npos) << wss.out;
  run("rm -rf " + dir);
}

TEST(SimCli, CrashedDeviceWillArrivesFromTheRealBroker) {
  if (access(POSTCARD_BROKER_BIN, X_OK) != 0) GTEST_SKIP() << "the postcard broker is not built";
  broker_process broker;
  const auto r = run(sim + " --lesson 04 --quiet --broker mqtt://127.0.0.1:" + std::to_string(broker.mqtt));
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("[ ok ] control-room received exactly 1 on plant/pump/status with payload \"offline\""),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[ ok ] control-room received exactly 1 on plant/valve/status with payload \"offline\""),
            std::string::npos) << r.out;
}

}  // namespace
#endif
