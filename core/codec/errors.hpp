#pragma once
// Every way a peer's bytes can violate the protocol, as a distinct value. The codec reports these;
// to_reason_code() is the one place that maps them to the spec's reason codes, so the broker and the
// client engine turn them into a CONNACK / DISCONNECT (v5) or a plain close (3.x) consistently.
#include <cstdint>
#include <string_view>

#include "codec/reason_codes.hpp"

namespace postcard {

enum class codec_error : std::uint8_t {
  ok = 0,
  // Framing
  remaining_length_too_long,   // more than 4 bytes of Remaining Length [MQTT-1.5.5-1]
  packet_too_large,            // over the configured maximum packet size [MQTT-3.2.2-15] -> 0x95
  // Fixed header
  reserved_packet_type,        // type 0, or 15 (AUTH) below v5
  reserved_flags_invalid,      // fixed-header flags other than the ones the spec requires [MQTT-2.1.3-1]
  qos_invalid,                 // PUBLISH with both QoS bits set [MQTT-3.3.1-4]
  dup_with_qos_0,              // DUP set on a QoS 0 PUBLISH [MQTT-3.3.1-2]
  // Content
  truncated,                   // the content needs more bytes than Remaining Length gives
  trailing_bytes,              // Remaining Length covers bytes the packet does not use
  invalid_utf8,                // ill-formed UTF-8 or a surrogate code point [MQTT-1.5.4-1]
  utf8_null_character,         // U+0000 in a UTF-8 string [MQTT-1.5.4-2]
  invalid_variable_byte_integer,  // more than 4 bytes, or not minimally encoded in a property
  // CONNECT
  invalid_protocol_name,       // not "MQTT" / "MQIsdp" [MQTT-3.1.2-1]
  unsupported_protocol_version,  // level other than 3, 4, 5 [MQTT-3.1.2-2] -> 0x84
  connect_reserved_flag_set,   // CONNECT flags bit 0 [MQTT-3.1.2-3]
  will_flags_without_will,     // will QoS / retain set while Will Flag is 0 [MQTT-3.1.2-11, -13, -15]
  will_qos_invalid,            // will QoS 3 [MQTT-3.1.2-12]
  password_without_username,   // 3.1.1: password flag without user name flag [MQTT-3.1.2-22]
  // Properties
  unknown_property,            // identifier the spec does not define
  property_not_allowed,        // a property this packet type does not allow
  duplicate_property,          // a property that may appear only once, twice [MQTT-2.2.2-?]
  invalid_property_value,      // e.g. Receive Maximum 0, Maximum QoS 2, a boolean byte that is not 0 or 1
  // Packet specific
  packet_id_zero,              // packet identifier 0 where a non-zero one is required [MQTT-2.2.1-3]
  topic_name_has_wildcard,     // '+' or '#' in a PUBLISH topic name [MQTT-3.3.2-2]
  topic_name_empty,            // empty topic name without a topic alias [MQTT-3.3.2-1]
  topic_alias_zero,            // Topic Alias 0 [MQTT-3.3.2-8]
  subscribe_without_topics,    // SUBSCRIBE with no topic filter [MQTT-3.8.3-3]
  unsubscribe_without_topics,  // UNSUBSCRIBE with no topic filter [MQTT-3.10.3-2]
  subscription_options_reserved,  // reserved bits of Subscription Options [MQTT-3.8.3-5]
  subscription_qos_invalid,    // requested QoS 3 [MQTT-3-8.3-4]
  retain_handling_invalid,     // Retain Handling 3
  invalid_reason_code,         // a reason code the packet type does not allow
  invalid_connack_flags,       // CONNACK acknowledge flags bits 7-1 [MQTT-3.2.2-1]
  // Encoding (local misuse, never from a peer)
  string_too_long,             // a string or binary field over 65,535 bytes
  value_out_of_range,          // e.g. a variable byte integer over 268,435,455
};

// The reason code the spec assigns to a peer's violation (0x81 Malformed Packet, 0x82 Protocol Error,
// 0x84, 0x95, ...). The single mapping from codec errors to the wire.
reason_code to_reason_code(codec_error error);

// A short human sentence for logs and the simulator, e.g. "PUBLISH topic name contains a wildcard".
std::string_view describe(codec_error error);

}  // namespace postcard
