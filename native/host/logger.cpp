#include "host/logger.hpp"

#include <syslog.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace postcard::native {

namespace {

int syslog_priority(log_category category) {
  switch (category) {
    case log_error: return LOG_ERR;
    case log_warning: return LOG_WARNING;
    case log_notice: return LOG_NOTICE;
    case log_debug: return LOG_DEBUG;
    default: return LOG_INFO;
  }
}

}  // namespace

logger::logger(logging_options options) : options_(std::move(options)) {
  if (options_.destinations & log_to_file) reopen();
  if (options_.destinations & log_to_syslog) {
    int facility = options_.facility_set ? (LOG_LOCAL0 + (options_.syslog_facility << 3)) : LOG_DAEMON;
    openlog("postcard", LOG_PID, facility);
  }
}

logger::~logger() {
  if (file_) std::fclose(file_);
  if (options_.destinations & log_to_syslog) closelog();
}

std::string logger::reopen() {
  if (!(options_.destinations & log_to_file) || options_.file.empty()) return {};
  if (file_) std::fclose(file_);
  file_ = std::fopen(options_.file.c_str(), "a");
  if (!file_) return "cannot open log file " + options_.file + ": " + std::strerror(errno);
  return {};
}

void logger::log(log_category category, std::string_view message) {
  if (!enabled(category) || options_.destinations == log_to_none) return;
  std::string line;
  if (options_.timestamp) {
    std::time_t now = std::time(nullptr);
    if (options_.timestamp_format.empty()) {
      line = std::to_string(static_cast<long long>(now));
    } else {
      char buffer[128];
      std::tm local{};
      localtime_r(&now, &local);
      line.assign(buffer, std::strftime(buffer, sizeof buffer, options_.timestamp_format.c_str(), &local));
    }
    line += ": ";
  }
  line += message;
  line += '\n';
  if (options_.destinations & log_to_stdout) {
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fflush(stdout);
  }
  if (options_.destinations & log_to_stderr) std::fwrite(line.data(), 1, line.size(), stderr);
  if ((options_.destinations & log_to_file) && file_) {
    std::fwrite(line.data(), 1, line.size(), file_);
    std::fflush(file_);
  }
  if (options_.destinations & log_to_syslog)
    syslog(syslog_priority(category), "%.*s", static_cast<int>(message.size()), message.data());
}

}  // namespace postcard::native
