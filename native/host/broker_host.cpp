#include "host/broker_host.hpp"

#include <chrono>
#include <csignal>
#include <sstream>

namespace postcard::native {

namespace {

constexpr std::int64_t shutdown_grace_ms = 2000;  // longest wait for DISCONNECTs to be written

std::int64_t wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

broker_host::broker_host(const broker_config& cfg, logger& log, broker::hooks* hooks)
    : cfg_(cfg),
      log_(log),
      network_(static_cast<network_handler&>(*this)),
      engine_(std::make_unique<broker::engine>(engine_config_of(cfg), static_cast<broker::output_sink&>(*this), hooks)),
      listeners_(listener_settings_of(cfg)),
      listener_counters_(listeners_.size()),
      epoch_ms_(network::now_ms() - (cfg.persistence ? wall_clock_ms() : 0)) {
  network_.set_outbound_limits(outbound_limits_of(cfg));
  network_.set_handshake_timeout(cfg.connect_timeout * 1000);
  if (cfg.log.connection_messages) {
    event_mask_ |= broker::event_bit(broker::event_kind::connected) |
                   broker::event_bit(broker::event_kind::disconnected);
  }
  if (log.enabled(log_subscribe)) event_mask_ |= broker::event_bit(broker::event_kind::subscribed);
  if (log.enabled(log_unsubscribe)) event_mask_ |= broker::event_bit(broker::event_kind::unsubscribed);
  if (log.enabled(log_notice)) event_mask_ |= broker::event_bit(broker::event_kind::will_published);
  if (log.enabled(log_debug)) {
    event_mask_ |= broker::event_bit(broker::event_kind::session_expired) |
                   broker::event_bit(broker::event_kind::message_dropped);
  }
}

broker_host::~broker_host() = default;

// The engine's clock: milliseconds since the host started (network::now_ms() is the one clock read).
broker::time_ms broker_host::now() const { return static_cast<broker::time_ms>(network::now_ms() - epoch_ms_); }

std::string broker_host::start() {
  if (auto err = network_.listen(listeners_); !err.empty()) return err;
  auto ports = network_.bound_ports();
  for (std::size_t i = 0; i < listeners_.size(); ++i) {
    log_.notice("Opening " + std::string(listeners_[i].websocket ? "websockets" : "mqtt") + " listen socket on port " +
                std::to_string(ports[i]) + (listeners_[i].bind_address.empty() ? "" : " (" + listeners_[i].bind_address + ")") +
                (listeners_[i].tls ? " with TLS" : "") + ".");
  }
  network_.watch_signals({SIGINT, SIGTERM, SIGHUP});
  rearm();
  return {};
}

int broker_host::run() {
  network_.run();
  return 0;
}

void broker_host::shutdown() {
  if (shutting_down_) return;
  shutting_down_ = true;
  log_.notice("postcard shutting down.");
  network_.stop_accepting();
  engine_->shutdown(now());
  if (flush_) flush_();
  network_.close_all();
  if (network_.connection_count() == 0) return network_.stop();
  network_.arm_timer(network::now_ms() + shutdown_grace_ms);
}

void broker_host::rearm() {
  apply_congestion();
  if (commit_) commit_(true);
  if (shutting_down_) return;
  auto deadline = engine_->next_deadline();
  if (deadline == armed_) return;
  armed_ = deadline;
  if (deadline != broker::no_deadline) network_.arm_timer(epoch_ms_ + static_cast<std::int64_t>(deadline));
}

void broker_host::on_open(std::uint32_t conn, const connection_meta& meta) {
  if (conn >= connections_.size()) connections_.resize(conn + 1);
  connections_[conn] = {meta.listener_index, meta.remote_address};
  auto& counters = listener_counters_[meta.listener_index];
  const auto& listener = cfg_.listeners[meta.listener_index];
  if (shutting_down_ ||
      (listener.max_connections >= 0 && counters.connections >= static_cast<std::uint64_t>(listener.max_connections))) {
    ++counters.refused;
    log_.notice("Refusing connection from " + meta.remote_address + " on listener " + meta.listener_name +
                ": max_connections reached.");
    connections_[conn].listener = ~std::size_t{0};
    network_.close(conn);
    return;
  }
  ++counters.connections;
  ++counters.connections_total;
  broker::connection_info info;
  info.remote_address = meta.remote_address;
  info.listener = meta.listener_name;
  info.tls_identity = meta.tls_identity;
  engine_->open(conn, info, now());
  rearm();
}

void broker_host::on_data(std::uint32_t conn, bytes_view data) {
  auto listener = connections_[conn].listener;
  if (listener == ~std::size_t{0}) return;
  listener_counters_[listener].bytes_received += data.size();
  engine_->receive(conn, data, now());
  rearm();
}

void broker_host::on_closed(std::uint32_t conn) {
  auto listener = connections_[conn].listener;
  if (listener == ~std::size_t{0}) return;
  --listener_counters_[listener].connections;
  connections_[conn].listener = ~std::size_t{0};
  // Inside the engine's close() (nothing was left to write, so the network closed at once): the engine has
  // forgotten the connection already, and the sink must not call back into it.
  if (!in_close_) engine_->closed(conn, now());
  if (shutting_down_ && network_.connection_count() <= 1) return network_.stop();
  if (!in_close_) rearm();
}

void broker_host::on_congestion(std::uint32_t conn, bool congested) {
  if (congested) ++congestion_events_;
  congestion_.emplace_back(conn, congested);
  if (!in_send_) rearm();  // a finished write (drained): not inside an engine input
}

void broker_host::apply_congestion() {
  // Each change is an engine input of its own; draining may send, which may congest again (appended).
  for (std::size_t i = 0; i < congestion_.size(); ++i) {
    const auto [conn, congested] = congestion_[i];
    engine_->congested(conn, congested, now());
  }
  congestion_.clear();
}

void broker_host::on_timer() {
  if (shutting_down_) return network_.stop();  // the grace period is over
  armed_ = broker::no_deadline;
  engine_->tick(now());
  rearm();
}

void broker_host::on_signal(int signal_number) {
  if (signal_number == SIGHUP) {
    log_.notice("Reloading configuration files (SIGHUP).");
    if (auto err = log_.reopen(); !err.empty()) log_.error(err);
    if (reload_) {
      if (auto err = reload_(); !err.empty()) log_.error("Reload failed, keeping the previous files: " + err);
    }
    if (auto err = network_.reload_tls(); !err.empty()) log_.error("TLS reload failed, keeping the previous certificates: " + err);
    return;
  }
  shutdown();
}

void broker_host::send(broker::connection_id conn, bytes_view bytes) {
  auto listener = conn < connections_.size() ? connections_[conn].listener : ~std::size_t{0};
  if (listener != ~std::size_t{0}) listener_counters_[listener].bytes_sent += bytes.size();
  if (commit_) commit_(false);  // durable before acknowledged: the input's records reach the file first
  in_send_ = true;
  network_.send(conn, bytes);
  in_send_ = false;
}

void broker_host::close(broker::connection_id conn, broker::disconnect_cause) {
  in_close_ = true;
  network_.close(conn);
  in_close_ = false;
}

void broker_host::durable(const broker::durable_change& change) {
  if (durable_listener_) durable_listener_(change);
}

void broker_host::event(const broker::event& e) {
  using broker::event_kind;
  const std::string id(e.client_id);
  const std::string address = e.conn < connections_.size() ? connections_[e.conn].remote_address : "";
  switch (e.kind) {
    case event_kind::connected: {
      auto listener = connections_[e.conn].listener;
      // Mosquitto's line: p1 = MQTT 3.1, p2 = 3.1.1, p5 = 5.0; c = clean start; k = keep alive.
      const int p = e.version == protocol_version::v3_1 ? 1 : e.version == protocol_version::v3_1_1 ? 2 : 5;
      log_.notice("New client connected from " + address + " as " + id + " (p" + std::to_string(p) + ", c" +
                  (e.clean_start ? "1" : "0") + ", k" + std::to_string(e.keep_alive) +
                  (e.username ? ", u'" + std::string(*e.username) + "'" : "") + ") on listener " +
                  (listener < listeners_.size() ? listeners_[listener].name : "?") +
                  (e.session_present ? ", session present." : "."));
      break;
    }
    case event_kind::disconnected:
      log_.notice("Client " + (id.empty() ? "<unknown>" : id) + (address.empty() ? "" : " (" + address + ")") +
                  " disconnected: " + std::string(broker::to_string(e.cause)) +
                  (e.reason != reason_code::success ? ", reason " + std::string(to_string(e.reason, 14)) : "") + ".");
      break;
    case event_kind::subscribed:
      log_.log(log_subscribe, id + " " + std::to_string(e.qos) + " " + std::string(e.topic));
      break;
    case event_kind::unsubscribed:
      log_.log(log_unsubscribe, id + " " + std::string(e.topic));
      break;
    case event_kind::will_published:
      log_.notice("Will of " + id + " published to " + std::string(e.topic) + ".");
      break;
    case event_kind::session_expired:
      log_.debug("Session of " + id + " expired.");
      break;
    case event_kind::message_dropped:
      log_.debug("Message on " + std::string(e.topic) + " for " + id + " dropped: " + std::string(broker::to_string(e.drop)) + ".");
      break;
    default:
      break;
  }
}

std::string broker_host::metrics_text() {
  auto s = engine_->stats(now());
  std::ostringstream out;
  auto metric = [&](const char* name, const char* type, const char* help, std::uint64_t value) {
    out << "# HELP postcard_" << name << ' ' << help << "\n# TYPE postcard_" << name << ' ' << type << "\npostcard_"
        << name << ' ' << value << '\n';
  };
  metric("clients_connected", "gauge", "Clients connected now.", s.clients_connected);
  metric("clients_sessions", "gauge", "Sessions, connected or not.", s.clients_total);
  metric("clients_maximum", "gauge", "Most clients connected at once.", s.clients_maximum);
  metric("clients_expired_total", "counter", "Sessions expired.", s.clients_expired);
  metric("messages_received_total", "counter", "MQTT packets received.", s.messages_received);
  metric("messages_sent_total", "counter", "MQTT packets sent.", s.messages_sent);
  metric("publish_received_total", "counter", "PUBLISH packets received.", s.publish_received);
  metric("publish_sent_total", "counter", "PUBLISH packets sent.", s.publish_sent);
  metric("publish_dropped_total", "counter", "Messages dropped (queue full, congested, expired, too large, not authorized).",
         s.publish_dropped);
  metric("connections_congested_total", "counter",
         "Times a connection's unwritten bytes crossed max_outgoing_bytes (QoS 0 dropped while congested).",
         congestion_events_);
  metric("bytes_received_total", "counter", "Bytes received.", s.bytes_received);
  metric("bytes_sent_total", "counter", "Bytes sent.", s.bytes_sent);
  metric("subscriptions", "gauge", "Subscriptions.", s.subscriptions);
  metric("retained_messages", "gauge", "Retained messages.", s.retained_messages);
  metric("stored_messages", "gauge", "Queued and in-flight messages of all sessions.", s.stored_messages);
  metric("uptime_seconds", "gauge", "Seconds since the broker started.", s.uptime_ms / 1000);
  const char* per_listener[][3] = {
      {"listener_connections", "gauge", "Open connections per listener."},
      {"listener_connections_total", "counter", "Connections accepted per listener."},
      {"listener_connections_refused_total", "counter", "Connections refused per listener (max_connections)."},
      {"listener_bytes_received_total", "counter", "Bytes received per listener."},
      {"listener_bytes_sent_total", "counter", "Bytes sent per listener."},
  };
  for (std::size_t m = 0; m < 5; ++m) {
    out << "# HELP postcard_" << per_listener[m][0] << ' ' << per_listener[m][2] << "\n# TYPE postcard_"
        << per_listener[m][0] << ' ' << per_listener[m][1] << '\n';
    for (std::size_t i = 0; i < listeners_.size(); ++i) {
      const auto& c = listener_counters_[i];
      std::uint64_t values[] = {c.connections, c.connections_total, c.refused, c.bytes_received, c.bytes_sent};
      out << "postcard_" << per_listener[m][0] << "{listener=\"" << listeners_[i].name << "\"} " << values[m] << '\n';
    }
  }
  return out.str();
}

}  // namespace postcard::native
