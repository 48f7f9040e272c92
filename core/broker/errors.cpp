// The one place where a peer's mistake becomes a reason-coded CONNACK / DISCONNECT (v5) or a plain
// close (3.x), and the names of engine errors, disconnect causes and drop reasons.
#include "broker/errors.hpp"

#include "broker/state.hpp"

namespace postcard::broker {

reason_code to_reason_code(engine_error e) {
  switch (e) {
    case engine_error::first_packet_not_connect:
    case engine_error::second_connect:
    case engine_error::packet_before_connack:
    case engine_error::unexpected_packet_type:
    case engine_error::topic_alias_unknown:
    case engine_error::session_expiry_from_zero:
    case engine_error::shared_no_local:
    case engine_error::auth_method_mismatch:
    case engine_error::auth_bad_reason: return reason_code::protocol_error;
    case engine_error::topic_alias_invalid: return reason_code::topic_alias_invalid;
    case engine_error::receive_maximum_exceeded: return reason_code::receive_maximum_exceeded;
    case engine_error::qos_not_supported: return reason_code::qos_not_supported;
    case engine_error::retain_not_supported: return reason_code::retain_not_supported;
    case engine_error::subscription_ids_unsupported: return reason_code::subscription_identifiers_not_supported;
    case engine_error::packet_too_large: return reason_code::packet_too_large;
    case engine_error::keepalive_timeout: return reason_code::keep_alive_timeout;
  }
  return reason_code::unspecified_error;
}

std::string_view describe(engine_error e) {
  switch (e) {
    case engine_error::first_packet_not_connect: return "first packet is not CONNECT";
    case engine_error::second_connect: return "second CONNECT on a connection";
    case engine_error::packet_before_connack: return "packet before authentication completed";
    case engine_error::unexpected_packet_type: return "packet type a client must not send";
    case engine_error::topic_alias_invalid: return "topic alias out of range";
    case engine_error::topic_alias_unknown: return "topic alias never set";
    case engine_error::receive_maximum_exceeded: return "receive maximum exceeded";
    case engine_error::qos_not_supported: return "QoS above maximum QoS";
    case engine_error::retain_not_supported: return "retain not available";
    case engine_error::session_expiry_from_zero: return "session expiry set after 0 in CONNECT";
    case engine_error::subscription_ids_unsupported: return "subscription identifiers not available";
    case engine_error::shared_no_local: return "no local on a shared subscription";
    case engine_error::auth_method_mismatch: return "authentication method mismatch";
    case engine_error::auth_bad_reason: return "AUTH reason code not allowed";
    case engine_error::packet_too_large: return "packet too large";
    case engine_error::keepalive_timeout: return "keep alive timeout";
  }
  return "engine error";
}

std::string_view to_string(disconnect_cause c) {
  switch (c) {
    case disconnect_cause::client_disconnect: return "client disconnect";
    case disconnect_cause::network_closed: return "network closed";
    case disconnect_cause::protocol_error: return "protocol error";
    case disconnect_cause::keepalive_timeout: return "keep alive timeout";
    case disconnect_cause::connect_timeout: return "connect timeout";
    case disconnect_cause::taken_over: return "session taken over";
    case disconnect_cause::refused: return "connection refused";
    case disconnect_cause::admin: return "administrative disconnect";
    case disconnect_cause::shutdown: return "server shutting down";
    case disconnect_cause::auth_failed: return "authentication failed";
  }
  return "unknown";
}

std::string_view to_string(drop_reason r) {
  switch (r) {
    case drop_reason::queue_full: return "queue full";
    case drop_reason::too_large_for_client: return "too large for the client";
    case drop_reason::expired: return "message expired";
    case drop_reason::not_authorized: return "not authorized";
    case drop_reason::qos0_offline: return "QoS 0 for an offline client";
    case drop_reason::no_subscribers: return "no subscribers";
    case drop_reason::congested: return "connection congested";
    case drop_reason::too_large: return "payload over the size limit";
  }
  return "unknown";
}

void engine::impl::fail(connection& c, engine_error e) {
  if (e == engine_error::first_packet_not_connect) {
    // [MQTT-3.1.0-1] the server closes without a CONNACK
    return close_connection(c, disconnect_cause::protocol_error, std::nullopt, false);
  }
  const auto cause =
      e == engine_error::keepalive_timeout ? disconnect_cause::keepalive_timeout : disconnect_cause::protocol_error;
  fail_reason(c, to_reason_code(e), cause, describe(e));
}

void engine::impl::fail_codec(connection& c, codec_error e) {
  fail_reason(c, postcard::to_reason_code(e), disconnect_cause::protocol_error, postcard::describe(e));
}

void engine::impl::fail_reason(connection& c, reason_code r, disconnect_cause cause, std::string_view why) {
  if (c.ph == phase::closed) return;
  if (c.ph == phase::awaiting_connect) {
    return close_connection(c, cause, std::nullopt, false);
  }
  if (c.ph == phase::authenticating) {
    refuse_connect(c, r);
    return;
  }
  // [MQTT-4.13.1-1] a v5 server sends DISCONNECT with a reason code before closing; 3.x just closes.
  // The will is published: the connection did not end with a normal DISCONNECT [MQTT-3.1.2-8].
  close_connection(c, cause, r, true, why);
}

}  // namespace postcard::broker
