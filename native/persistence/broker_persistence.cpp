#include "persistence/broker_persistence.hpp"

#include "config/config_parser.hpp"

namespace postcard::native::persistence {

store_options store_options_of(const broker_config& cfg) {
  store_options o;
  o.path = persistence_file_path(cfg);
  o.autosave_interval = cfg.autosave_interval;
  o.autosave_on_changes = cfg.autosave_on_changes;
  return o;
}

broker_persistence::broker_persistence(const broker_config& cfg, logger& log, broker_host& host)
    : log_(log),
      host_(host),
      store_(store_options_of(cfg), [&log](store_log_level level, std::string_view line) {
        switch (level) {
          case store_log_level::notice: log.notice(line); break;
          case store_log_level::warning: log.warning(line); break;
          case store_log_level::error: log.error(line); break;
        }
      }) {}

std::string broker_persistence::attach() {
  broker::durable_state state;
  if (auto err = store_.open(state); !err.empty()) return "Persistence: " + err;
  if (host_.engine().restore(state, host_.engine_now()) != broker::admin_result::ok) {
    return "Persistence: the engine refused the saved state";
  }
  host_.set_durable_listener([this](const broker::durable_change& change) { store_.record(change); });
  host_.on_commit([this](bool end_of_input) {
    store_.commit();
    if (end_of_input && store_.compaction_due()) store_.compact(host_.engine().save(host_.engine_now()));
  });
  host_.on_shutdown([this] {
    store_.commit();
    if (store_.compact(host_.engine().save(host_.engine_now())).empty()) {
      log_.notice("Persistence: state saved (" + std::to_string(store_.stats().snapshot_bytes) + " bytes).");
    }
    store_.sync();
  });
  return {};
}

}  // namespace postcard::native::persistence
