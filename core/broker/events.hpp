#pragma once
// What the broker engine tells its host besides bytes: decoded packets in and out, lifecycle, drops.
// Events are delivered synchronously while an input is processed; every view in an event is valid only
// during the sink call. The engine does no event work for kinds the sink's mask leaves out.
#include <cstdint>
#include <optional>
#include <string_view>

#include "codec/packets.hpp"
#include "codec/reason_codes.hpp"

namespace postcard::broker {

using connection_id = std::uint32_t;

enum class event_kind : std::uint8_t {
  packet_in = 0,         // `packet` decoded from the peer
  packet_out = 1,        // `packet` sent to the peer (routed PUBLISHes included)
  connected = 2,         // CONNACK success sent; `session_present`, `version`, `keep_alive`, `clean_start`, `username`
  disconnected = 3,      // the connection ended; `cause`, `reason`
  will_published = 4,    // `topic` of the will
  session_expired = 5,   // `client_id`
  message_dropped = 6,   // `topic`, `drop`
  subscribed = 7,        // `topic` = filter (as sent, "$share/..." included), `qos` granted
  unsubscribed = 8,      // `topic` = filter
  session_taken_over = 9,  // the old connection `conn` lost its session to a new one
};

constexpr std::uint32_t event_bit(event_kind k) { return 1u << static_cast<unsigned>(k); }
constexpr std::uint32_t all_events = 0x3FF;
constexpr std::uint32_t lifecycle_events = all_events & ~(event_bit(event_kind::packet_in) | event_bit(event_kind::packet_out));

// Why a connection ended.
enum class disconnect_cause : std::uint8_t {
  client_disconnect = 0,   // DISCONNECT from the client (`reason` is its reason code)
  network_closed = 1,      // closed() by the host without DISCONNECT
  protocol_error = 2,      // a malformed or forbidden packet (`reason`)
  keepalive_timeout = 3,   // 1.5 x keep alive without a packet [MQTT-3.1.2-24]
  connect_timeout = 4,     // no CONNECT in time
  taken_over = 5,          // another connection with the same client id [MQTT-3.1.4-3]
  refused = 6,             // CONNACK with a failure code
  admin = 7,               // engine::disconnect()
  shutdown = 8,            // engine::shutdown()
  auth_failed = 9,         // enhanced or re-authentication failed
};
std::string_view to_string(disconnect_cause c);

// Why a message did not reach a subscriber (or the broker).
enum class drop_reason : std::uint8_t {
  queue_full = 0,          // max_queued_messages / max_queued_bytes
  too_large_for_client = 1,  // over the client's Maximum Packet Size [MQTT-3.1.2-25]
  expired = 2,             // Message Expiry Interval elapsed [MQTT-3.3.2-5]
  not_authorized = 3,      // authorize_publish / authorize_delivery refused
  qos0_offline = 4,        // QoS 0 for an offline session (queue_qos0_messages false)
  no_subscribers = 5,      // published, nobody matched
  congested = 6,           // QoS 0 for a connection whose transport is congested (engine::congested)
  too_large = 7,           // payload over config::max_payload_size (message_size_limit)
};
std::string_view to_string(drop_reason r);

struct event {
  event_kind kind = event_kind::packet_in;
  connection_id conn = 0;            // 0 when no connection is involved (offline session)
  std::string_view client_id;
  const postcard::packet* packet = nullptr;  // packet_in / packet_out
  reason_code reason = reason_code::success;
  disconnect_cause cause = disconnect_cause::client_disconnect;
  drop_reason drop = drop_reason::queue_full;
  std::string_view topic;
  std::uint8_t qos = 0;
  bool session_present = false;
  // connected: what the client asked for, for connection log lines.
  protocol_version version = protocol_version::v5;
  std::uint16_t keep_alive = 0;  // seconds, as in force (after Server Keep Alive)
  bool clean_start = false;
  std::optional<std::string_view> username;
};

}  // namespace postcard::broker
