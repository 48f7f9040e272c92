// DISCONNECT in both directions, and the single path by which a connection ends.
#include "broker/state.hpp"

namespace postcard::broker {

void engine::impl::on_disconnect(connection& c, const disconnect_packet& p) {
  session* s = c.sess;
  if (c.version == protocol_version::v5 && p.props.session_expiry_interval && s != nullptr) {
    // [MQTT-3.14.2-2] a session expiry of 0 in CONNECT cannot become non-zero in DISCONNECT
    if (c.connect_session_expiry == 0 && *p.props.session_expiry_interval != 0) {
      return fail(c, engine_error::session_expiry_from_zero);
    }
    s->expiry_interval = std::min(*p.props.session_expiry_interval, cfg.max_session_expiry_interval);
    mark_dirty(*s);
  }
  // [MQTT-3.1.2-10] a normal DISCONNECT discards the will; v5 0x04 asks for it to be published.
  const bool with_will = c.version == protocol_version::v5 && p.reason == reason_code::disconnect_with_will_message;
  close_connection(c, disconnect_cause::client_disconnect, std::nullopt, with_will);
  // [MQTT-3.14.4-1] the client closes after DISCONNECT; the server closes too
}

void engine::impl::close_connection(connection& c, disconnect_cause cause, std::optional<reason_code> send_reason,
                                    bool publish_will_now, std::string_view reason_string) {
  if (c.ph == phase::closed) return;
  if (send_reason && c.version == protocol_version::v5 && c.ph == phase::connected) {
    disconnect_packet d;
    d.reason = *send_reason;
    if (!reason_string.empty() && c.problem_information) d.props.reason_string = reason_string;
    if ((*send_reason == reason_code::use_another_server || *send_reason == reason_code::server_moved) &&
        !cfg.server_reference.empty()) {
      d.props.server_reference = cfg.server_reference;
    }
    send_packet(c, packet{std::move(d)});
  }
  const bool was_connected = c.ph == phase::connected;
  c.ph = phase::closed;
  c.closing = true;
  c.cause = cause;
  touch(c);
  std::string client_id;  // copied only for the event: the session may end below
  if (session* s = c.sess) {
    if (wants(event_kind::disconnected)) client_id = s->client_id;
    s->conn = nullptr;
    c.sess = nullptr;
    if (was_connected && connected_count > 0) --connected_count;
    detach(*s, publish_will_now);
  }
  if (wants(event_kind::disconnected)) {
    event e;
    e.kind = event_kind::disconnected;
    e.conn = c.id;
    e.client_id = client_id;
    e.cause = cause;
    e.reason = send_reason.value_or(reason_code::success);
    emit(e);
  }
  auto it = conns.find(c.id);
  if (it != conns.end() && it->second.get() == &c) {
    graveyard.push_back(std::move(it->second));
    conns.erase(it);
  }
}

}  // namespace postcard::broker
