#pragma once
// The MQTT control packets of 3.1, 3.1.1 and 5.0 as plain structs. After decoding, every
// string_view / bytes_view points into the buffer that was decoded (no copies): keep that buffer
// alive while using the packet. For encoding, the views point at the caller's data.
// Fields that a protocol version does not have are ignored when encoding for that version
// (properties and reason codes below 5.0, for example).
#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

#include "codec/properties.hpp"
#include "codec/reason_codes.hpp"
#include "codec/types.hpp"

namespace postcard {

struct will_message {
  std::string_view topic;
  bytes_view payload;
  qos qos_level = qos::at_most_once;
  bool retain = false;
  properties props;  // will properties (v5)
};

struct connect_packet {
  protocol_version version = protocol_version::v5;
  std::string_view protocol_name;  // "MQTT" (v3.1.1, v5) or "MQIsdp" (v3.1); filled by decode
  bool clean_start = true;         // Clean Session in 3.x
  std::uint16_t keep_alive = 60;   // seconds
  properties props;
  std::string_view client_id;
  std::optional<will_message> will;
  std::optional<std::string_view> username;
  std::optional<bytes_view> password;
};

struct connack_packet {
  bool session_present = false;
  // v5 reason code; for 3.x the CONNACK return code value (0..5) is carried in the same byte.
  reason_code reason = reason_code::success;
  properties props;
};

struct publish_packet {
  bool dup = false;
  qos qos_level = qos::at_most_once;
  bool retain = false;
  std::string_view topic;       // may be empty in v5 when a topic alias is used
  std::uint16_t packet_id = 0;  // only present for QoS 1 and 2
  properties props;
  bytes_view payload;
};

// PUBACK, PUBREC, PUBREL and PUBCOMP share one shape.
struct ack_packet {
  packet_type type = packet_type::puback;
  std::uint16_t packet_id = 0;
  reason_code reason = reason_code::success;
  properties props;
};

enum class retain_handling : std::uint8_t { send_on_subscribe = 0, send_if_new = 1, do_not_send = 2 };

struct subscribe_topic {
  std::string_view filter;
  qos max_qos = qos::at_most_once;
  bool no_local = false;             // v5
  bool retain_as_published = false;  // v5
  retain_handling handling = retain_handling::send_on_subscribe;  // v5
};

struct subscribe_packet {
  std::uint16_t packet_id = 0;
  properties props;
  std::vector<subscribe_topic> topics;
};

struct suback_packet {
  std::uint16_t packet_id = 0;
  properties props;
  std::vector<reason_code> reasons;  // 3.x: 0x00..0x02 granted QoS or 0x80 failure
};

struct unsubscribe_packet {
  std::uint16_t packet_id = 0;
  properties props;
  std::vector<std::string_view> filters;
};

struct unsuback_packet {
  std::uint16_t packet_id = 0;
  properties props;
  std::vector<reason_code> reasons;  // v5 only; 3.x UNSUBACK has no payload
};

struct pingreq_packet {};
struct pingresp_packet {};

struct disconnect_packet {
  reason_code reason = reason_code::normal_disconnection;
  properties props;
};

struct auth_packet {
  reason_code reason = reason_code::success;
  properties props;
};

using packet = std::variant<connect_packet, connack_packet, publish_packet, ack_packet, subscribe_packet,
                            suback_packet, unsubscribe_packet, unsuback_packet, pingreq_packet, pingresp_packet,
                            disconnect_packet, auth_packet>;

packet_type type_of(const packet& p);

}  // namespace postcard
