#pragma once
// What the client engine reports to its host, drained after every input (engine::drain()).
// Every event owns its data: it stays valid after the input buffer is gone.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "client/property_set.hpp"
#include "codec/errors.hpp"
#include "codec/reason_codes.hpp"
#include "codec/types.hpp"

namespace postcard::client {

// CONNACK accepted (MQTT.js `connect`). The CONNACK's properties, e.g. Assigned Client Identifier.
struct connected_event {
  bool session_present = false;
  reason_code reason = reason_code::success;
  property_set properties;
};

// CONNACK refused (v5 reason >= 0x80, or a 3.x return code other than 0, carried in `reason`).
// Redirection (0x9C Use another server / 0x9D Server moved) sets server_reference.
struct connect_failed_event {
  reason_code reason = reason_code::unspecified_error;
  std::optional<std::string> server_reference;
  property_set properties;
};

// An application message (MQTT.js `message`): topic resolved from the inbound topic alias.
struct message_event {
  std::string topic;
  std::vector<std::uint8_t> payload;
  qos qos_level = qos::at_most_once;
  bool retain = false;
  bool dup = false;
  std::uint16_t packet_id = 0;
  property_set properties;  // topic_alias is kept as received
};

// A publish command finished: QoS 0 written to the transport, QoS 1 PUBACK, QoS 2 PUBCOMP (or a
// PUBREC with an error reason, which ends the flow). `session_lost`: the connection came back without
// the session while the message waited for PUBCOMP, so its outcome is unknown.
struct publish_completed_event {
  std::uint32_t token = 0;
  std::uint16_t packet_id = 0;
  qos qos_level = qos::at_most_once;
  reason_code reason = reason_code::success;
  bool session_lost = false;
  property_set properties;
};

struct subscribed_event {
  std::uint32_t token = 0;  // 0 for the engine's own resubscribe
  std::uint16_t packet_id = 0;
  std::vector<reason_code> reasons;  // granted QoS or failure, one per filter
  bool resubscribe = false;
  property_set properties;
};

struct unsubscribed_event {
  std::uint32_t token = 0;
  std::uint16_t packet_id = 0;
  std::vector<reason_code> reasons;  // v5 only; empty for 3.x
  property_set properties;
};

// AUTH from the server (enhanced authentication, v5): answer with engine::auth().
struct auth_challenge_event {
  reason_code reason = reason_code::continue_authentication;
  property_set properties;  // authentication method and data, reason string, user properties
};

// DISCONNECT from the server (MQTT.js `disconnect`); 0x9C / 0x9D carry a server reference.
struct server_disconnect_event {
  reason_code reason = reason_code::normal_disconnection;
  std::optional<std::string> server_reference;
  property_set properties;
};

// The server broke the protocol; the engine sent DISCONNECT with `reason` (v5) and closed.
struct protocol_error_event {
  codec_error error = codec_error::ok;  // ok when the violation is not a decoding error
  reason_code reason = reason_code::protocol_error;
  std::string description;
};

struct keepalive_timeout_event {};  // no PINGRESP in time; the engine closed the connection
struct connect_timeout_event {};    // no CONNACK in time; the engine closed the connection

// The connection is gone (MQTT.js `close` + `offline`). reconnect_at_ms is set when the engine
// will ask to reconnect (reconnect_due) at that time.
enum class close_cause : std::uint8_t {
  transport_closed, client_disconnect, server_disconnect, connect_refused, protocol_error,
  keepalive_timeout, connect_timeout,
};
struct offline_event {
  close_cause cause = close_cause::transport_closed;
  std::optional<std::uint64_t> reconnect_at_ms;
};

// Time to open a new transport (MQTT.js `reconnect`); the host calls connection_opened() when it is up,
// or connection_closed() if it failed.
struct reconnect_due_event {
  std::uint32_t attempt = 0;  // 1 for the first reconnect after a loss
};

// A packet written or read (MQTT.js `packetsend` / `packetreceive`, the packet inspector): its
// type and whole encoded bytes, fixed header included. decode_packet() reads it back.
struct packet_event {
  packet_type type = packet_type::connect;
  std::vector<std::uint8_t> bytes;
};
struct packet_sent_event : packet_event {};
struct packet_received_event : packet_event {};

using event = std::variant<connected_event, connect_failed_event, message_event, publish_completed_event,
                           subscribed_event, unsubscribed_event, auth_challenge_event, server_disconnect_event,
                           protocol_error_event, keepalive_timeout_event, connect_timeout_event, offline_event,
                           reconnect_due_event, packet_sent_event, packet_received_event>;

}  // namespace postcard::client
