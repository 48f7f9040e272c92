// Every shipped lesson through postcard-sim against the real native `postcard` broker (native only), with
// the devices' virtual links applied in remote mode: lesson 02's 30% loss and lesson 06's half-open link
// happen on real connections. The lessons run in real time, so they all run at once, each against its own
// broker (retained messages and sessions of one lesson must not leak into another): the set takes about
// as long as the longest lesson (60 s).
#if defined(POSTCARD_SIM_BIN) && defined(POSTCARD_LESSONS_DIR) && !defined(__EMSCRIPTEN__)
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli_util.hpp"

namespace {

using namespace postcard_sim_test;

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + what.size())) ++n;
  return n;
}

// Expectations a remote run can check: what devices received and whether they are connected (will_fired
// and retained are broker state). Device kinds never use these names, so counting them in the file works.
std::size_t checkable_expectations(const std::string& lesson_json) {
  return count_of(lesson_json, "\"kind\": \"received\"") + count_of(lesson_json, "\"kind\": \"delivered") +
         count_of(lesson_json, "\"kind\": \"connected\"");
}

// "packets        N sent, M lost on links, ..." from the summary; -1 if missing.
long long packets_lost(const std::string& out) {
  const auto at = out.find("\npackets ");
  if (at == std::string::npos) return -1;
  const auto sent = out.find(" sent, ", at);
  if (sent == std::string::npos) return -1;
  return std::stoll(out.substr(sent + 7));
}

struct lesson_run {
  std::string name;    // file stem, e.g. 02-qos-under-loss
  std::string scheme;  // mqtt, mqtts, ws, wss
  std::string json;
  std::unique_ptr<broker_process> broker;
  run_result result;
};

std::string scheme_for(const std::string& name) {
  // Every transport carries at least one lesson; the two that need the link model get a second one below.
  if (name.rfind("01", 0) == 0 || name.rfind("07", 0) == 0) return "ws";
  if (name.rfind("03", 0) == 0) return "mqtts";
  if (name.rfind("04", 0) == 0) return "wss";
  return "mqtt";
}

TEST(SimRemoteLessons, EveryShippedLessonMeetsItsCheckableExpectationsAgainstTheNativeBroker) {
  if (access(POSTCARD_BROKER_BIN, X_OK) != 0) GTEST_SKIP() << "the postcard broker is not built";
  const std::string tls_dir = ::testing::TempDir() + "sim_remote_tls_" + std::to_string(getpid());
  std::string why;
  ASSERT_TRUE(make_certificate(tls_dir, &why)) << why;

  std::vector<lesson_run> runs;
  for (const auto& entry : std::filesystem::directory_iterator(POSTCARD_LESSONS_DIR)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    const std::string name = entry.path().stem().string();
    runs.push_back({name, scheme_for(name), text.str(), nullptr, {}});
    if (name.rfind("02", 0) == 0) runs.push_back({name, "wss", text.str(), nullptr, {}});
    if (name.rfind("06", 0) == 0) runs.push_back({name, "ws", text.str(), nullptr, {}});
  }
  ASSERT_GE(runs.size(), 9u) << "seven lessons, two of them twice";

  for (auto& r : runs) {
    const bool tls = r.scheme == "mqtts" || r.scheme == "wss";
    r.broker = std::make_unique<broker_process>(tls ? tls_dir : std::string());
    ASSERT_TRUE(port_open(r.broker->mqtt) && port_open(r.broker->ws)) << r.name << ": the broker did not start";
  }
  std::vector<std::thread> threads;
  for (auto& r : runs) {
    const bool ws = r.scheme == "ws" || r.scheme == "wss";
    const std::string url = r.scheme + "://127.0.0.1:" + std::to_string(ws ? r.broker->ws : r.broker->mqtt) +
                            (ws ? "/mqtt" : "");
    const std::string cmd = std::string(POSTCARD_SIM_BIN) + " --lesson " + r.name.substr(0, 2) + " --quiet --broker " + url;
    threads.emplace_back([&r, cmd] { r.result = run(cmd); });
  }
  for (auto& t : threads) t.join();
  for (auto& r : runs) r.broker.reset();
  run("rm -rf " + tls_dir);

  for (const auto& r : runs) {
    const std::string& out = r.result.out;
    SCOPED_TRACE(r.name + " over " + r.scheme + "://\n" + out);
    EXPECT_EQ(r.result.status, 0);
    EXPECT_NE(out.find("(remote broker)"), std::string::npos);
    EXPECT_NE(out.find("PASS: 0 expectation(s) failed"), std::string::npos);
    EXPECT_EQ(count_of(out, "[FAIL]"), 0u);
    // Every expectation on what devices saw was checked and met; only broker state is skipped.
    EXPECT_EQ(count_of(out, "[ ok ]"), checkable_expectations(r.json));
    EXPECT_EQ(count_of(out, "[skip]"), count_of(out, "not visible remotely"));
    const long long lost = packets_lost(out);
    if (r.name.rfind("02", 0) == 0) {
      EXPECT_GT(lost, 10) << "30% loss on three links for 30 s";
      EXPECT_NE(out.find("[ ok ] monitor got every message on qos/2 exactly once"), std::string::npos);
    } else if (r.name.rfind("06", 0) == 0) {
      EXPECT_GT(lost, 0) << "the half-open link drops the PINGREQ and the CONNECTs";
      EXPECT_NE(out.find("[ ok ] watcher received exactly 1 on site/sensor-a/status with payload \"lost\" between "),
                std::string::npos);
      EXPECT_NE(out.find("[ ok ] sensor-a not connected: it is not connected"), std::string::npos);
    } else {
      EXPECT_EQ(lost, 0) << "no loss configured";
    }
  }
}

}  // namespace
#endif
