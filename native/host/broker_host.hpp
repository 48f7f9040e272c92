#pragma once
// The native broker host: the broker engine on the network layer. It turns network callbacks into engine
// inputs (with the time from the one clock function), engine outputs into writes and closes, keeps one
// timer armed at the engine's next deadline, logs connections like Mosquitto, serves /metrics, and
// handles signals: SIGINT/SIGTERM shut down cleanly (v5 clients get DISCONNECT 0x8B), SIGHUP reloads.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "broker/engine.hpp"
#include "config/broker_config.hpp"
#include "host/logger.hpp"
#include "net/network.hpp"

namespace postcard::native {

// broker_config -> the engine's settings and the network's listeners.
broker::config engine_config_of(const broker_config& cfg);
std::vector<listener_settings> listener_settings_of(const broker_config& cfg);
std::string describe_listener(const listener_config& l);
outbound_limits outbound_limits_of(const broker_config& cfg);

class broker_host final : private network_handler, private broker::output_sink {
 public:
  broker_host(const broker_config& cfg, logger& log, broker::hooks* hooks = nullptr);
  ~broker_host() override;

  // Opens every listener; "" or the error (the caller exits before serving anything).
  std::string start();
  // Serves until SIGINT/SIGTERM (or stop()); returns the process exit code.
  int run();
  // Begins a clean shutdown (what SIGTERM does).
  void shutdown();
  std::vector<std::uint16_t> bound_ports() const { return network_.bound_ports(); }
  broker::engine& engine() { return *engine_; }
  // Called on SIGHUP before TLS certificates are reloaded (password and ACL files); returns "" or an error.
  void on_reload(std::function<std::string()> reload) { reload_ = std::move(reload); }
  // Called just before the network stops at shutdown (to flush durable state).
  void on_shutdown(std::function<void()> flush) { flush_ = std::move(flush); }
  // Lets a persistence layer see durable changes (set before start()).
  void set_durable_listener(std::function<void(const broker::durable_change&)> listener) {
    durable_listener_ = std::move(listener);
  }
  // Lets a persistence layer write the durable changes of an input before the first byte it caused is
  // sent: called from send() (end_of_input false) and after every input (true).
  void on_commit(std::function<void(bool end_of_input)> commit) { commit_ = std::move(commit); }
  // The engine's clock. With persistence on it is wall-clock milliseconds (steady while running), so
  // saved expiry times stay meaningful across restarts.
  broker::time_ms engine_now() const { return now(); }

 private:
  // network_handler
  void on_open(std::uint32_t conn, const connection_meta& meta) override;
  void on_data(std::uint32_t conn, bytes_view data) override;
  void on_closed(std::uint32_t conn) override;
  void on_congestion(std::uint32_t conn, bool congested) override;
  void on_timer() override;
  void on_signal(int signal_number) override;
  std::string metrics_text() override;
  // output_sink
  void send(broker::connection_id conn, bytes_view bytes) override;
  void close(broker::connection_id conn, broker::disconnect_cause cause) override;
  void event(const broker::event& e) override;
  void durable(const broker::durable_change& change) override;
  std::uint32_t event_mask() const override { return event_mask_; }
  bool wants_durable_changes() const override { return static_cast<bool>(durable_listener_); }

  void rearm();
  void apply_congestion();  // tells the engine of congestion changes seen during its last input
  broker::time_ms now() const;

  struct connection_state {
    std::size_t listener = 0;
    std::string remote_address;
  };
  struct listener_counters {
    std::uint64_t connections = 0, connections_total = 0, bytes_received = 0, bytes_sent = 0, refused = 0;
  };

  const broker_config& cfg_;
  logger& log_;
  network network_;
  std::unique_ptr<broker::engine> engine_;
  std::vector<listener_settings> listeners_;
  std::vector<listener_counters> listener_counters_;
  std::vector<connection_state> connections_;  // indexed by connection id (ids are reused)
  std::uint32_t event_mask_ = 0;
  broker::time_ms armed_ = broker::no_deadline;
  std::int64_t epoch_ms_ = 0;
  bool shutting_down_ = false;
  bool in_close_ = false;  // inside the engine's close(): on_closed() must not re-enter the engine
  bool in_send_ = false;  // inside the engine's send(): congestion changes wait for apply_congestion()
  std::vector<std::pair<std::uint32_t, bool>> congestion_;
  std::uint64_t congestion_events_ = 0;  // connections that became congested (metrics)
  std::function<std::string()> reload_;
  std::function<void()> flush_;
  std::function<void(const broker::durable_change&)> durable_listener_;
  std::function<void(bool)> commit_;
};

}  // namespace postcard::native
