#pragma once
// Helpers for the native tests: a temporary directory, files, child processes, free ports.
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

namespace postcard::native::testing {

// A fresh directory (mode 0755, so a broker that drops privileges can read it), removed on exit.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(std::string_view name) const { return path_ + "/" + std::string(name); }
  // Writes `name` (creating directories as needed) and returns its path.
  std::string write(std::string_view name, std::string_view contents) const;

 private:
  std::string path_;
};

std::string read_file(const std::string& path);

// Runs argv[0] (found on PATH) with the arguments, stdin from `input`; returns the exit status
// (-1 if it could not run or timed out after `timeout_ms`). Output goes to `output` if given.
int run_program(const std::vector<std::string>& argv, std::string_view input = {}, std::string* output = nullptr,
                int timeout_ms = 10000);

// A child process killed (SIGTERM, then SIGKILL) and reaped on destruction.
class child_process {
 public:
  explicit child_process(const std::vector<std::string>& argv, const std::string& log_file);
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;
  bool running() const { return pid_ > 0; }
  // Waits for the process to exit by itself; false on timeout (it keeps running).
  bool wait_exit(int timeout_ms);
  void stop();

 private:
  pid_t pid_ = -1;
};

// A TCP port on 127.0.0.1 below 32768 that nothing listens on right now.
int free_port();
// Waits until something accepts on 127.0.0.1:port.
bool wait_for_port(int port, int timeout_ms);

bool program_exists(const std::string& name);
// The mosquitto broker: "mosquitto" when on PATH, else /usr/sbin/mosquitto (Debian's place, often
// not on a normal user's PATH); empty when neither exists.
std::string mosquitto_program();

}  // namespace postcard::native::testing
