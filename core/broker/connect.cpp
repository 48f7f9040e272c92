// CONNECT / CONNACK.
//
// Theory of operation
//   awaiting_connect --CONNECT--> (checks: version, redirect, connection limit, client id, will)
//     --enhanced auth method--> authenticating --AUTH...--> finish_connect      (auth.cpp)
//     --otherwise-----------------------------------------> finish_connect
//   finish_connect: authenticate hook, client id assignment, session takeover / clean start / resume,
//   keep alive, CONNACK with the broker's announced limits, then resend of the resumed session.
//   Any refusal is a CONNACK with a reason (v5) or return code (3.x) followed by a close.
#include <algorithm>
#include <string>

#include "broker/state.hpp"
#include "topic/topic.hpp"

namespace postcard::broker {
namespace {

// The protocol level byte of a CONNECT body that failed to decode, if it can be read.
std::optional<std::uint8_t> peek_level(bytes_view body) {
  if (body.size() < 2) return std::nullopt;
  const std::size_t name_len = std::size_t{body[0]} << 8 | body[1];
  if (body.size() < 2 + name_len + 1) return std::nullopt;
  return body[2 + name_len];
}

}  // namespace

client_info engine::impl::pre_connect_info(const connection& c, std::string_view client_id) const {
  client_info ci = c.who();
  ci.client_id = client_id;
  return ci;
}

void engine::impl::refuse_connect(connection& c, reason_code r, std::string_view server_reference) {
  connack_packet ack;
  ack.session_present = false;  // [MQTT-3.2.2-6] (3.1.1: [MQTT-3.2.2-4])
  if (c.version == protocol_version::v5) {
    ack.reason = r;
    if (!server_reference.empty()) ack.props.server_reference = server_reference;
    // [MQTT-3.1.2-29] a Reason String is always allowed on CONNACK: the spec's name of the reason
    ack.props.reason_string = to_string(r, static_cast<std::uint8_t>(packet_type::connack));
  } else {
    ack.reason = static_cast<reason_code>(to_connect_return_code(r));
  }
  send_packet(c, packet{std::move(ack)});
  // [MQTT-3.2.2-7] after a CONNACK with a failure code the server closes the connection
  close_connection(c, disconnect_cause::refused, std::nullopt, false);
}

void engine::impl::on_connect(connection& c, std::uint8_t first_byte, bytes_view body) {
  connect_packet p;
  if (codec_error err = decode_connect(first_byte, body, p); err != codec_error::ok) {
    if (err == codec_error::unsupported_protocol_version) {
      // [MQTT-3.1.2-2] CONNACK return code 0x01, then close. A level we do not know cannot be answered
      // in its own format: the 3.1.1 form (two bytes) is the one every client version can read.
      c.version = protocol_version::v3_1_1;
      return refuse_connect(c, reason_code::unsupported_protocol_version);
    }
    auto level = peek_level(body);
    if (level && *level == 5) {
      c.version = protocol_version::v5;  // [MQTT-4.13.1-1] a v5 server may answer with a CONNACK reason
      return refuse_connect(c, postcard::to_reason_code(err));
    }
    return close_connection(c, disconnect_cause::protocol_error, std::nullopt, false);
  }
  c.version = p.version;
  if (wants(event_kind::packet_in)) {
    packet pk{p};
    event e;
    e.kind = event_kind::packet_in;
    e.conn = c.id;
    e.client_id = p.client_id;
    e.packet = &pk;
    emit(e);
  }
  if (shutting_down) return refuse_connect(c, reason_code::server_shutting_down);
  if (cfg.redirect != redirect_mode::none) {
    if (c.version == protocol_version::v5) {
      return refuse_connect(c, static_cast<reason_code>(cfg.redirect), cfg.server_reference);
    }
    return refuse_connect(c, reason_code::server_unavailable);
  }
  if (cfg.max_connections != 0 && connected_count >= cfg.max_connections) {
    return refuse_connect(c, reason_code::quota_exceeded);
  }
  if (p.client_id.empty()) {
    // [MQTT-3.1.3-6] v5: the server may assign an identifier; [MQTT-3.1.3-7] 3.1.1 only with clean session;
    // [MQTT-3.1.3-8] otherwise CONNACK 0x85 / return code 0x02. 3.1 requires 1 to 23 characters.
    const bool allowed = cfg.allow_zero_length_clientid &&
                         (c.version == protocol_version::v5 || (c.version == protocol_version::v3_1_1 && p.clean_start));
    if (!allowed) return refuse_connect(c, reason_code::client_identifier_not_valid);
  }
  if (c.version != protocol_version::v5 && p.keep_alive > cfg.max_keepalive) {
    // 3.x has no Server Keep Alive: like Mosquitto, refuse with "identifier rejected"
    return refuse_connect(c, reason_code::client_identifier_not_valid);
  }
  if (p.will) {
    if (topic::validate_name(p.will->topic) != topic::topic_error::ok) {
      return refuse_connect(c, reason_code::topic_name_invalid);
    }
    // [MQTT-3.2.2-12] will QoS above Maximum QoS; [MQTT-3.2.2-13] will retain without retain available
    if (static_cast<std::uint8_t>(p.will->qos_level) > cfg.max_qos) return refuse_connect(c, reason_code::qos_not_supported);
    if (p.will->retain && !cfg.retain_available) return refuse_connect(c, reason_code::retain_not_supported);
  }
  if (c.version == protocol_version::v5 && p.props.authentication_method) {
    // [MQTT-4.12.0-1] enhanced authentication: the hook drives the exchange
    c.auth_method = std::string(*p.props.authentication_method);
    c.username = p.username ? std::optional<std::string>(std::string(*p.username)) : std::nullopt;
    const bytes_view data = p.props.authentication_data.value_or(bytes_view{});
    auth_step step = hk->auth_start(pre_connect_info(c, p.client_id), c.auth_method, data);
    if (step.result == auth_step::status::failure) return refuse_connect(c, step.failure);
    if (step.result == auth_step::status::continue_auth) {
      c.ph = phase::authenticating;
      c.pending_connect.assign(1, first_byte);
      c.pending_connect.insert(c.pending_connect.end(), body.begin(), body.end());
      auth_packet a;
      a.reason = reason_code::continue_authentication;
      a.props.authentication_method = c.auth_method;
      if (!step.data.empty()) a.props.authentication_data = bytes_view{step.data.data(), step.data.size()};
      return send_packet(c, packet{std::move(a)});
    }
    return finish_connect(c, p, &step.data);
  }
  finish_connect(c, p, nullptr);
}

void engine::impl::finish_connect(connection& c, const connect_packet& p, const std::vector<std::uint8_t>* auth_data) {
  c.username = p.username ? std::optional<std::string>(std::string(*p.username)) : std::nullopt;
  auth_request req;
  req.client = pre_connect_info(c, p.client_id);
  req.username = p.username;
  req.password = p.password;
  if (reason_code r = hk->authenticate(req); r != reason_code::success) return refuse_connect(c, r);

  std::string client_id(p.client_id);
  const bool assigned = client_id.empty();
  if (assigned) {
    do {
      client_id = cfg.auto_id_prefix + std::to_string(++auto_id_counter);
    } while (by_client_id.count(client_id) != 0);
  }

  session* existing = find_session(client_id);
  if (existing != nullptr && existing->conn != nullptr) {
    // [MQTT-3.1.4-3] takeover: the existing connection is closed (v5: DISCONNECT 0x8E), its will handled
    connection& old = *existing->conn;
    if (wants(event_kind::session_taken_over)) {
      event e;
      e.kind = event_kind::session_taken_over;
      e.conn = old.id;
      e.client_id = client_id;
      emit(e);
    }
    close_connection(old, disconnect_cause::taken_over, reason_code::session_taken_over, true);
    existing = find_session(client_id);
  }
  if (existing != nullptr && p.clean_start) {
    end_session(*existing, false);  // [MQTT-3.1.2-4] clean start discards the session
    existing = nullptr;
  }
  const bool session_present = existing != nullptr;  // [MQTT-3.2.2-2], [MQTT-3.2.2-3]
  session& s = existing ? *existing : create_session(client_id, p.version);
  s.version = p.version;

  std::uint32_t expiry = 0;
  if (c.version == protocol_version::v5) {
    expiry = p.props.session_expiry_interval.value_or(0);
    c.connect_session_expiry = expiry;
    expiry = std::min(expiry, cfg.max_session_expiry_interval);
  } else if (!p.clean_start) {
    expiry = cfg.persistent_client_expiration == 0 ? expiry_never : cfg.persistent_client_expiration;
  }
  s.expiry_interval = expiry;

  // [MQTT-3.1.3-9] a new connection before the will delay elapsed cancels the pending will
  s.will.reset();
  s.will_at = 0;
  s.will_delay = 0;
  if (p.will) {
    publish_packet wp;
    wp.topic = p.will->topic;
    wp.qos_level = p.will->qos_level;
    wp.retain = p.will->retain;
    wp.props = p.will->props;
    wp.payload = p.will->payload;
    s.will = make_message(wp, p.will->topic, no_slot);
    s.will_delay = p.will->props.will_delay_interval.value_or(0);
  }

  connack_packet ack;
  ack.session_present = session_present;
  std::uint16_t keep_alive = p.keep_alive;
  if (c.version == protocol_version::v5) {
    auto& pr = ack.props;
    if (keep_alive > cfg.max_keepalive || (keep_alive == 0 && cfg.max_keepalive != 65535)) {
      keep_alive = cfg.max_keepalive;  // [MQTT-3.2.2-21] the client must use the Server Keep Alive
      pr.server_keep_alive = keep_alive;
    }
    if (p.props.session_expiry_interval && expiry != *p.props.session_expiry_interval) pr.session_expiry_interval = expiry;
    const std::uint16_t receive_max = cfg.max_inflight_messages == 0 ? 65535 : cfg.max_inflight_messages;
    if (receive_max != 65535) pr.receive_maximum = receive_max;
    if (cfg.max_qos < 2) pr.maximum_qos = cfg.max_qos;
    if (!cfg.retain_available) pr.retain_available = 0;
    if (cfg.max_packet_size != 0) pr.maximum_packet_size = cfg.max_packet_size;
    if (cfg.max_topic_alias != 0) pr.topic_alias_maximum = cfg.max_topic_alias;
    if (assigned) pr.assigned_client_identifier = s.client_id;  // [MQTT-3.2.2-16]
    if (!cfg.wildcard_subscription_available) pr.wildcard_subscription_available = 0;
    if (!cfg.subscription_identifier_available) pr.subscription_identifier_available = 0;
    if (!cfg.shared_subscription_available) pr.shared_subscription_available = 0;
    if (auth_data != nullptr) {
      pr.authentication_method = c.auth_method;
      if (!auth_data->empty()) pr.authentication_data = bytes_view{auth_data->data(), auth_data->size()};
    }
    c.client_receive_max = p.props.receive_maximum.value_or(65535);
    c.client_max_packet = p.props.maximum_packet_size.value_or(0);
    c.client_alias_max = p.props.topic_alias_maximum.value_or(0);
    c.problem_information = p.props.request_problem_information.value_or(1) != 0;
  }
  c.keepalive_s = keep_alive;
  c.ph = phase::connected;
  c.sess = &s;
  c.pending_connect.clear();
  c.pending_connect.shrink_to_fit();
  s.conn = &c;
  ++connected_count;
  stats.clients_maximum = std::max<std::uint64_t>(stats.clients_maximum, connected_count);
  if (time_ms d = connection_deadline(c); d != no_deadline) arm(d, timer_kind::connection, c.id, 0);

  send_packet(c, packet{std::move(ack)});
  if (wants(event_kind::connected)) {
    event e;
    e.kind = event_kind::connected;
    e.conn = c.id;
    e.client_id = s.client_id;
    e.session_present = session_present;
    e.version = c.version;
    e.keep_alive = keep_alive;
    e.clean_start = p.clean_start;
    if (c.username) e.username = *c.username;
    emit(e);
  }
  mark_dirty(s);
  if (session_present) resume(s);  // [MQTT-4.4.0-1] resend unacknowledged PUBLISH and PUBREL
}

}  // namespace postcard::broker
