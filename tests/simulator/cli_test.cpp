// postcard-sim end to end (native only): lessons headless in-process, and against the real `postcard`
// broker over mqtt:// and ws:// on loopback.
#if defined(POSTCARD_SIM_BIN) && !defined(__EMSCRIPTEN__)
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

namespace {

struct run_result {
  int status = -1;
  std::string out;
};

run_result run(const std::string& cmd) {
  run_result r;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), static_cast<int>(buf.size()), p) != nullptr) r.out += buf.data();
  const int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

int free_port() {
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  close(s);
  return ntohs(a.sin_port);
}

bool port_open(int port) {
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  close(s);
  return ok;
}

// The real broker on two loopback ports (MQTT and WebSocket), stopped with SIGTERM.
class broker_process {
 public:
  // With `tls_dir` (holding cert.pem and key.pem) both listeners use TLS: mqtts:// and wss://.
  explicit broker_process(const std::string& tls_dir = {}) : mqtt(free_port()), ws(free_port()) {
    const std::string conf = ::testing::TempDir() + "sim_cli_" + std::to_string(getpid()) + ".conf";
    const std::string tls =
        tls_dir.empty() ? std::string() : "certfile " + tls_dir + "/cert.pem\nkeyfile " + tls_dir + "/key.pem\n";
    std::ofstream(conf) << "listener " << mqtt << " 127.0.0.1\n" << tls << "listener " << ws
                        << " 127.0.0.1\nprotocol websockets\n" << tls << "allow_anonymous true\n";
    pid_ = fork();
    if (pid_ == 0) {
      const int null_fd = open("/dev/null", O_WRONLY);
      dup2(null_fd, 1);
      dup2(null_fd, 2);
      execl(POSTCARD_BROKER_BIN, POSTCARD_BROKER_BIN, "-c", conf.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 100 && !(port_open(mqtt) && port_open(ws)); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~broker_process() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  const int mqtt;
  const int ws;

 private:
  pid_t pid_ = -1;
};

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
  const auto cert = run("mkdir -p " + dir + " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
                        "-nodes -days 1 -subj /CN=localhost -keyout " + dir + "/key.pem -out " + dir + "/cert.pem");
  if (cert.status != 0) GTEST_SKIP() << "openssl cannot make a certificate: " << cert.out;
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
