// The client engine's connection life cycle: CONNECT / CONNACK, enhanced authentication, keepalive,
// timeouts, server DISCONNECT, protocol violations, going offline and reconnecting.
//
// Theory of operation
//   state_ offline:    no transport. reconnect_at_ (if set) is when tick() emits reconnect_due; the
//                      host then opens a transport and calls connection_opened().
//   state_ connecting: CONNECT sent, waiting for CONNACK (AUTH exchanges may come first, v5).
//                      connect_deadline_ closes the transport if CONNACK does not come.
//   state_ connected:  commands flow; queue_ drains into the transport as the server's Receive
//                      Maximum allows; PINGREQ when nothing was sent for a keepalive interval, and
//                      ping_deadline_ closes the transport if PINGRESP does not come.
//   state_ ended:      after disconnect(): nothing more is sent, no reconnects.
//   Any loss (transport closed, our close request after a violation or timeout, server DISCONNECT)
//   goes through go_offline(), which emits offline_event and schedules the next attempt with
//   reconnect_delay(). Session state (inflight, inbound QoS 2 ids, subscriptions) survives the loss
//   and is resumed or discarded on the next CONNACK's Session Present (start_session()).
#include <algorithm>

#include "client/engine.hpp"
#include "codec/codec.hpp"

namespace postcard::client {

engine::engine(options opts) : opts_(std::move(opts)) {
  negotiated_.client_id = opts_.client_id;
  negotiated_.keepalive = opts_.keepalive;
}

void engine::send(const packet& p, std::uint64_t now_ms) {
  const std::size_t start = out_.bytes.size();
  if (encode(p, opts_.protocol, out_.bytes) != codec_error::ok) {
    out_.bytes.resize(start);  // the engine only builds encodable packets; a failure drops the packet
    return;
  }
  last_sent_ms_ = now_ms;
  if (opts_.packet_events) {
    packet_sent_event ev;
    ev.type = type_of(p);
    ev.bytes.assign(out_.bytes.begin() + static_cast<std::ptrdiff_t>(start), out_.bytes.end());
    out_.events.emplace_back(std::move(ev));
  }
}

void engine::send_connect(std::uint64_t now_ms) {
  connect_packet c;
  c.version = opts_.protocol;
  c.protocol_name = opts_.protocol == protocol_version::v3_1 ? "MQIsdp" : "MQTT";
  c.clean_start = opts_.clean;
  c.keep_alive = opts_.keepalive;
  if (opts_.protocol == protocol_version::v5) c.props = opts_.properties.view();
  c.client_id = negotiated_.client_id;  // the Assigned Client Identifier once the server gave one
  if (opts_.will) {
    const will_options& w = *opts_.will;
    will_message m;
    m.topic = w.topic;
    m.payload = bytes_view{w.payload.data(), w.payload.size()};
    m.qos_level = w.qos_level;
    m.retain = w.retain;
    if (opts_.protocol == protocol_version::v5) m.props = w.properties.view();
    c.will = std::move(m);
  }
  if (opts_.username) c.username = std::string_view{*opts_.username};
  if (opts_.password) c.password = bytes_view{opts_.password->data(), opts_.password->size()};
  send(c, now_ms);
  last_ping_ms_ = now_ms;
}

void engine::connection_opened(std::uint64_t now_ms) {
  if (state_ == connection_state::ended) return;
  if (transport_up_) go_offline(close_cause::transport_closed, now_ms);
  framer_ = framer{framer::protocol_maximum};
  if (opts_.protocol == protocol_version::v5 && opts_.properties.maximum_packet_size) {
    framer_.set_max_packet_size(*opts_.properties.maximum_packet_size);  // [MQTT-3.1.2-24] on the server
  }
  reset_aliases();  // Topic Alias mappings live for one Network Connection [MQTT-3.3.2-7]
  transport_up_ = true;
  awaiting_transport_ = false;
  auth_in_progress_ = false;
  reconnect_at_.reset();
  ping_deadline_.reset();
  state_ = connection_state::connecting;
  send_connect(now_ms);
  if (opts_.connect_timeout_ms != 0) connect_deadline_ = now_ms + opts_.connect_timeout_ms;
}

void engine::receive(bytes_view bytes, std::uint64_t now_ms) {
  if (!transport_up_) return;
  framer_.feed(bytes);
  frame fr;
  while (transport_up_) {
    const frame_status st = framer_.next(fr);
    if (st == frame_status::need_more) break;
    if (st == frame_status::error) {
      fail(framer_.error(), to_reason_code(framer_.error()), describe(framer_.error()), now_ms);
      break;
    }
    on_packet(fr.first_byte, fr.body, now_ms);
  }
}

void engine::on_packet(std::uint8_t first_byte, bytes_view body, std::uint64_t now_ms) {
  const auto type = static_cast<packet_type>(first_byte >> 4);
  if (opts_.packet_events) {
    packet_received_event ev;
    ev.type = type;
    ev.bytes.reserve(body.size() + 5);
    ev.bytes.push_back(first_byte);
    append_variable_byte_integer(static_cast<std::uint32_t>(body.size()), ev.bytes);
    ev.bytes.insert(ev.bytes.end(), body.begin(), body.end());
    out_.events.emplace_back(std::move(ev));
  }
  ping_deadline_.reset();  // the server is alive: any packet answers the PINGREQ
  switch (type) {
    case packet_type::connect: case packet_type::subscribe: case packet_type::unsubscribe:
    case packet_type::pingreq:
      return fail(codec_error::ok, reason_code::protocol_error, "packet type a server never sends", now_ms);
    default: break;
  }
  const bool before_connack = state_ != connection_state::connected;
  if (before_connack && type != packet_type::connack && type != packet_type::auth &&
      type != packet_type::disconnect) {
    // The first packet from the server is CONNACK (or AUTH during enhanced authentication) [MQTT-3.2.0-1]
    return fail(codec_error::ok, reason_code::protocol_error, "packet before CONNACK", now_ms);
  }
  if (type == packet_type::publish) {
    publish_packet p;
    if (const codec_error e = decode_publish(first_byte, body, opts_.protocol, p); e != codec_error::ok) {
      return fail(e, to_reason_code(e), describe(e), now_ms);
    }
    return on_publish(p, now_ms);
  }
  packet p;
  if (const codec_error e = decode_packet(first_byte, body, opts_.protocol, p); e != codec_error::ok) {
    return fail(e, to_reason_code(e), describe(e), now_ms);
  }
  if (auto* c = std::get_if<connack_packet>(&p)) return on_connack(*c, now_ms);
  if (auto* a = std::get_if<ack_packet>(&p)) return on_ack(*a, now_ms);
  if (auto* s = std::get_if<suback_packet>(&p)) return on_suback(*s, now_ms);
  if (auto* u = std::get_if<unsuback_packet>(&p)) return on_unsuback(*u, now_ms);
  if (auto* d = std::get_if<disconnect_packet>(&p)) return on_disconnect(*d, now_ms);
  if (auto* au = std::get_if<auth_packet>(&p)) return on_auth(*au, now_ms);
  // PINGRESP: handled above (ping_deadline_ cleared).
}

void engine::on_connack(const connack_packet& p, std::uint64_t now_ms) {
  if (state_ != connection_state::connecting) {
    // The server sends CONNACK once per connection [MQTT-3.2.0-2]
    return fail(codec_error::ok, reason_code::protocol_error, "second CONNACK", now_ms);
  }
  connect_deadline_.reset();
  auth_in_progress_ = false;
  if (p.reason != reason_code::success) {
    connect_failed_event ev;
    ev.reason = p.reason;
    if (p.props.server_reference) ev.server_reference = std::string{*p.props.server_reference};
    ev.properties = property_set::copy_of(p.props);
    out_.events.emplace_back(std::move(ev));
    out_.close = true;  // the server closes too [MQTT-3.2.2-7]
    return go_offline(close_cause::connect_refused, now_ms);
  }
  if (p.session_present && opts_.clean) {
    // Clean Start 1 means no Session State here: Session Present 1 is a violation [MQTT-3.2.2-4]
    return fail(codec_error::ok, reason_code::protocol_error, "Session Present with Clean Start", now_ms);
  }
  const properties& pr = p.props;
  negotiated_.receive_maximum = pr.receive_maximum.value_or(65535);
  negotiated_.maximum_packet_size = pr.maximum_packet_size.value_or(0);
  negotiated_.topic_alias_maximum = pr.topic_alias_maximum.value_or(0);
  negotiated_.maximum_qos = pr.maximum_qos.value_or(2);
  negotiated_.retain_available = pr.retain_available.value_or(1) != 0;
  negotiated_.keepalive = pr.server_keep_alive.value_or(opts_.keepalive);  // [MQTT-3.2.2-21]
  if (pr.assigned_client_identifier) {
    negotiated_.client_id = std::string{*pr.assigned_client_identifier};  // reused when reconnecting
  }
  state_ = connection_state::connected;
  attempt_ = 0;
  connected_event ev;
  ev.session_present = p.session_present;
  ev.reason = p.reason;
  ev.properties = property_set::copy_of(pr);
  out_.events.emplace_back(std::move(ev));
  start_session(p.session_present, now_ms);
}

void engine::on_disconnect(const disconnect_packet& p, std::uint64_t now_ms) {
  server_disconnect_event ev;
  ev.reason = p.reason;
  if (p.props.server_reference) ev.server_reference = std::string{*p.props.server_reference};
  ev.properties = property_set::copy_of(p.props);
  out_.events.emplace_back(std::move(ev));
  out_.close = true;
  go_offline(close_cause::server_disconnect, now_ms);
}

void engine::on_auth(const auth_packet& p, std::uint64_t now_ms) {
  const auto& method = opts_.properties.authentication_method;
  // AUTH only follows a CONNECT with an Authentication Method, and keeps that method (spec 4.12)
  if (!method || !p.props.authentication_method || *p.props.authentication_method != *method) {
    return fail(codec_error::ok, reason_code::protocol_error, "AUTH without the CONNECT's method", now_ms);
  }
  if (p.reason == reason_code::re_authenticate ||
      (p.reason == reason_code::success && (state_ != connection_state::connected || !auth_in_progress_))) {
    return fail(codec_error::ok, reason_code::protocol_error, "unexpected AUTH reason code", now_ms);
  }
  auth_in_progress_ = p.reason == reason_code::continue_authentication;
  auth_challenge_event ev;
  ev.reason = p.reason;
  ev.properties = property_set::copy_of(p.props);
  out_.events.emplace_back(std::move(ev));
}

void engine::fail(codec_error error, reason_code reason, std::string_view description, std::uint64_t now_ms) {
  protocol_error_event ev;
  ev.error = error;
  ev.reason = reason;
  ev.description = std::string{description};
  out_.events.emplace_back(std::move(ev));
  if (opts_.protocol == protocol_version::v5 && transport_up_) {
    disconnect_packet d;  // v5: tell the server why (spec 4.13); 3.x: a plain close
    d.reason = reason;
    send(d, now_ms);
  }
  out_.close = true;
  go_offline(close_cause::protocol_error, now_ms);
}

void engine::go_offline(close_cause cause, std::uint64_t now_ms) {
  transport_up_ = false;
  connect_deadline_.reset();
  ping_deadline_.reset();
  auth_in_progress_ = false;
  reconnect_at_.reset();
  if (state_ != connection_state::ended) {
    state_ = connection_state::offline;
    ++attempt_;
    if (const auto delay = reconnect_delay(opts_.reconnect, attempt_)) reconnect_at_ = now_ms + *delay;
  }
  offline_event ev;
  ev.cause = cause;
  ev.reconnect_at_ms = reconnect_at_;
  out_.events.emplace_back(ev);
}

void engine::connection_closed(std::uint64_t now_ms) {
  if (!transport_up_ && !awaiting_transport_) return;  // already offline (our own close request)
  awaiting_transport_ = false;
  go_offline(close_cause::transport_closed, now_ms);
}

std::uint16_t engine::keepalive_s() const {
  return state_ == connection_state::connected ? negotiated_.keepalive : opts_.keepalive;
}

std::optional<std::uint64_t> engine::ping_due() const {
  if (state_ != connection_state::connected || !transport_up_ || ping_deadline_) return std::nullopt;
  const std::uint16_t ka = keepalive_s();
  if (ka == 0) return std::nullopt;  // Keep Alive 0 turns the mechanism off (spec 3.1.2.10)
  // Nothing sent for Keep Alive seconds: PINGREQ [MQTT-3.1.2-20] (5.0), [MQTT-3.1.2-23] (3.1.1)
  return (opts_.reschedule_pings ? last_sent_ms_ : last_ping_ms_) + std::uint64_t{ka} * 1000;
}

void engine::tick(std::uint64_t now_ms) {
  if (state_ == connection_state::offline && reconnect_at_ && now_ms >= *reconnect_at_) {
    reconnect_at_.reset();
    awaiting_transport_ = true;
    out_.events.emplace_back(reconnect_due_event{attempt_});
  }
  if (!transport_up_) return;
  if (connect_deadline_ && now_ms >= *connect_deadline_) {
    out_.events.emplace_back(connect_timeout_event{});
    out_.close = true;
    return go_offline(close_cause::connect_timeout, now_ms);
  }
  if (ping_deadline_ && now_ms >= *ping_deadline_) {
    // No PINGRESP in a reasonable time: close the Network Connection (spec 3.1.2.10)
    out_.events.emplace_back(keepalive_timeout_event{});
    out_.close = true;
    return go_offline(close_cause::keepalive_timeout, now_ms);
  }
  if (const auto due = ping_due(); due && now_ms >= *due) {
    send(pingreq_packet{}, now_ms);
    last_ping_ms_ = now_ms;
    const std::uint64_t timeout = opts_.ping_timeout_ms != 0 ? opts_.ping_timeout_ms
                                                             : std::uint64_t{keepalive_s()} * 1000;
    ping_deadline_ = now_ms + timeout;
  }
}

std::optional<std::uint64_t> engine::next_deadline() const {
  std::optional<std::uint64_t> d;
  auto consider = [&d](const std::optional<std::uint64_t>& t) {
    if (t && (!d || *t < *d)) d = t;
  };
  if (state_ == connection_state::offline) consider(reconnect_at_);
  if (transport_up_) {
    consider(connect_deadline_);
    consider(ping_deadline_);
    consider(ping_due());
  }
  return d;
}

client_error engine::disconnect(reason_code reason, const property_set& props, std::uint64_t now_ms) {
  if (state_ == connection_state::ended) return client_error::ended;
  if (opts_.protocol == protocol_version::v5 && props.session_expiry_interval &&
      *props.session_expiry_interval != 0 && opts_.properties.session_expiry_interval.value_or(0) == 0) {
    return client_error::invalid_argument;  // not after a zero Session Expiry (spec 3.14.2.2.2)
  }
  const bool was_up = transport_up_;
  if (transport_up_ && state_ == connection_state::connected) {
    disconnect_packet d;
    d.reason = reason;
    if (opts_.protocol == protocol_version::v5) d.props = props.view();
    send(d, now_ms);
  }
  state_ = connection_state::ended;
  awaiting_transport_ = false;
  if (was_up) out_.close = true;
  go_offline(close_cause::client_disconnect, now_ms);
  return client_error::ok;
}

client_error engine::auth(bytes_view data, std::uint64_t now_ms, const property_set& extra) {
  if (state_ == connection_state::ended) return client_error::ended;
  if (opts_.protocol != protocol_version::v5) return client_error::not_supported_by_version;
  if (!opts_.properties.authentication_method) return client_error::invalid_argument;
  if (!transport_up_ || !auth_in_progress_) return client_error::not_connected;
  send_auth(reason_code::continue_authentication, data, extra, now_ms);
  return client_error::ok;
}

client_error engine::reauthenticate(bytes_view data, std::uint64_t now_ms, const property_set& extra) {
  if (state_ == connection_state::ended) return client_error::ended;
  if (opts_.protocol != protocol_version::v5) return client_error::not_supported_by_version;
  // Re-authentication uses the CONNECT's Authentication Method [MQTT-4.12.1-1]
  if (!opts_.properties.authentication_method) return client_error::invalid_argument;
  if (!transport_up_ || state_ != connection_state::connected) return client_error::not_connected;
  send_auth(reason_code::re_authenticate, data, extra, now_ms);
  auth_in_progress_ = true;
  return client_error::ok;
}

void engine::send_auth(reason_code reason, bytes_view data, const property_set& extra, std::uint64_t now_ms) {
  auth_packet a;
  a.reason = reason;
  a.props = extra.view();
  a.props.authentication_method = std::string_view{*opts_.properties.authentication_method};
  a.props.authentication_data = data;
  send(a, now_ms);
}

void engine::drain(output& out) {
  out.bytes.clear();
  out.events.clear();
  std::swap(out.bytes, out_.bytes);
  std::swap(out.events, out_.events);
  out.close = out_.close;
  out_.close = false;
}

output engine::drain() {
  output out;
  drain(out);
  return out;
}

}  // namespace postcard::client
