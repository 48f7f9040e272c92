#pragma once
// Shared by the postcard-sim end-to-end tests (native only): running a command, free loopback ports, the
// real `postcard` broker as a child process, and a throwaway TLS certificate.
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

namespace postcard_sim_test {

struct run_result {
  int status = -1;
  std::string out;
};

// Runs a shell command; stdout and stderr together.
inline run_result run(const std::string& cmd) {
  run_result r;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), static_cast<int>(buf.size()), p) != nullptr) r.out += buf.data();
  const int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

inline int free_port() {
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

inline bool port_open(int port) {
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
    conf_ = ::testing::TempDir() + "sim_cli_" + std::to_string(getpid()) + "_" + std::to_string(mqtt) + ".conf";
    const std::string tls =
        tls_dir.empty() ? std::string() : "certfile " + tls_dir + "/cert.pem\nkeyfile " + tls_dir + "/key.pem\n";
    std::ofstream(conf_) << "listener " << mqtt << " 127.0.0.1\n" << tls << "listener " << ws
                         << " 127.0.0.1\nprotocol websockets\n" << tls << "allow_anonymous true\n";
    pid_ = fork();
    if (pid_ == 0) {
      const int null_fd = open("/dev/null", O_WRONLY);
      dup2(null_fd, 1);
      dup2(null_fd, 2);
      execl(POSTCARD_BROKER_BIN, POSTCARD_BROKER_BIN, "-c", conf_.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 200 && !(port_open(mqtt) && port_open(ws)); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~broker_process() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    std::remove(conf_.c_str());
  }
  broker_process(const broker_process&) = delete;
  broker_process& operator=(const broker_process&) = delete;
  const int mqtt;
  const int ws;

 private:
  std::string conf_;
  pid_t pid_ = -1;
};

// A self-signed EC certificate in `dir` (cert.pem, key.pem); false if openssl cannot make one.
inline bool make_certificate(const std::string& dir, std::string* why = nullptr) {
  const auto r = run("mkdir -p " + dir + " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
                     "-nodes -days 1 -subj /CN=localhost -keyout " + dir + "/key.pem -out " + dir + "/cert.pem");
  if (r.status != 0 && why != nullptr) *why = r.out;
  return r.status == 0;
}

}  // namespace postcard_sim_test
