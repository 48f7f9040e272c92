// Admin commands (publish as the broker, disconnect, remove a session, shutdown) and listings.
#include "broker/state.hpp"
#include "topic/topic.hpp"

namespace postcard::broker {

admin_result engine::publish(std::string_view topic_name, bytes_view payload, std::uint8_t qos_level, bool retain,
                             const properties& props, time_ms now_ms) {
  auto& m = *impl_;
  if (topic::validate_name(topic_name) != topic::topic_error::ok) return admin_result::invalid_topic;
  if (qos_level > 2) return admin_result::invalid_argument;
  m.begin_input(now_ms);
  publish_packet p;
  p.topic = topic_name;
  p.payload = payload;
  p.qos_level = static_cast<qos>(qos_level);
  p.retain = retain;
  p.props = props;
  m.broker_publish(m.make_message(p, topic_name, no_slot));
  m.end_input();
  return admin_result::ok;
}

admin_result engine::disconnect(std::string_view client_id, reason_code reason, time_ms now_ms) {
  auto& m = *impl_;
  m.begin_input(now_ms);
  session* s = m.find_session(client_id);
  admin_result r = admin_result::not_found;
  if (s != nullptr && s->conn != nullptr) {
    m.close_connection(*s->conn, disconnect_cause::admin, reason, true);
    r = admin_result::ok;
  }
  m.end_input();
  return r;
}

admin_result engine::remove_session(std::string_view client_id, time_ms now_ms) {
  auto& m = *impl_;
  m.begin_input(now_ms);
  session* s = m.find_session(client_id);
  admin_result r = admin_result::not_found;
  if (s != nullptr) {
    r = admin_result::ok;
    if (s->conn != nullptr) {
      s->expiry_interval = 0;  // the session ends with its connection
      m.close_connection(*s->conn, disconnect_cause::admin, reason_code::administrative_action, true);
    } else {
      m.end_session(*s, false);
    }
  }
  m.end_input();
  return r;
}

void engine::shutdown(time_ms now_ms) {
  auto& m = *impl_;
  m.begin_input(now_ms);
  m.shutting_down = true;
  while (!m.conns.empty()) {
    connection& c = *m.conns.begin()->second;
    // v5 clients get DISCONNECT 0x8B; the sessions stay (for save()), wills are not published
    m.close_connection(c, disconnect_cause::shutdown, reason_code::server_shutting_down, false);
  }
  m.end_input();
}

counters engine::stats(time_ms now_ms) const {
  auto& m = *impl_;
  if (now_ms > m.now) m.now = now_ms;
  m.update_stats();
  return m.stats;
}

std::vector<session_summary> engine::sessions() const {
  std::vector<session_summary> out;
  for (const auto& [id, slot] : impl_->by_client_id) {
    const session& s = *impl_->slots[slot];
    session_summary x;
    x.client_id = s.client_id;
    x.connected = s.conn != nullptr;
    x.conn = s.conn ? s.conn->id : 0;
    x.version = s.version;
    x.expiry_interval = s.expiry_interval;
    x.subscriptions = s.subs.size();
    x.inflight = s.inflight.size();
    x.queued = s.queue.size();
    out.push_back(std::move(x));
  }
  return out;
}

std::vector<subscription_summary> engine::subscriptions() const {
  std::vector<subscription_summary> out;
  for (const auto& [id, slot] : impl_->by_client_id) {
    const session& s = *impl_->slots[slot];
    for (const auto& [filter, o] : s.subs) out.push_back({s.client_id, filter, o.max_qos, o.identifier});
  }
  return out;
}

std::vector<retained_summary> engine::retained() const {
  std::vector<retained_summary> out;
  impl_->retained.for_each([&](std::string_view topic_name, const message_ptr& m) {
    out.push_back({std::string(topic_name), m->payload.size(), m->qos});
  });
  return out;
}

}  // namespace postcard::broker
