#pragma once
// Logging like Mosquitto's: categories (log_type) and destinations (log_dest), one line per message,
// prefixed by the time (seconds since the epoch, or a strftime format). Destinations: stdout, stderr,
// a file (appended; reopened on SIGHUP for log rotation) and syslog.
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "config/broker_config.hpp"

namespace postcard::native {

class logger {
 public:
  explicit logger(logging_options options = {});
  ~logger();
  logger(const logger&) = delete;
  logger& operator=(const logger&) = delete;

  bool enabled(log_category category) const { return (options_.types & category) != 0; }
  void log(log_category category, std::string_view message);
  void error(std::string_view m) { log(log_error, m); }
  void warning(std::string_view m) { log(log_warning, m); }
  void notice(std::string_view m) { log(log_notice, m); }
  void info(std::string_view m) { log(log_information, m); }
  void debug(std::string_view m) { log(log_debug, m); }
  // Reopens the log file (after rotation). Returns "" or the error.
  std::string reopen();
  const logging_options& options() const { return options_; }

 private:
  logging_options options_;
  std::FILE* file_ = nullptr;
};

}  // namespace postcard::native
