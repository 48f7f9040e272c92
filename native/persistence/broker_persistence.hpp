#pragma once
// broker_persistence: connects a durable_store to the native broker host (`persistence true`).
// attach() loads the files and restores the engine (before any connection), then the host's hooks:
// durable changes are buffered per input and committed before the input's first send() (and after the
// input); compaction runs after an input when due; at clean shutdown (SIGINT/SIGTERM) a final snapshot
// is written and synced.
#include <memory>
#include <string>

#include "config/broker_config.hpp"
#include "host/broker_host.hpp"
#include "host/logger.hpp"
#include "persistence/durable_store.hpp"

namespace postcard::native::persistence {

store_options store_options_of(const broker_config& cfg);

class broker_persistence {
 public:
  broker_persistence(const broker_config& cfg, logger& log, broker_host& host);
  // Returns "" or why the broker must not start.
  std::string attach();
  durable_store& store() { return store_; }

 private:
  logger& log_;
  broker_host& host_;
  durable_store store_;
};

}  // namespace postcard::native::persistence
