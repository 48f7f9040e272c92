// The one mapping from codec errors to the spec's reason codes, and their descriptions.
// Malformed Packet (0x81) where the spec says the bytes cannot be parsed or break an encoding rule;
// Protocol Error (0x82) where the bytes parse but break a rule on their contents.
#include "codec/errors.hpp"

namespace postcard {

reason_code to_reason_code(codec_error error) {
  switch (error) {
    case codec_error::ok: return reason_code::success;
    case codec_error::packet_too_large: return reason_code::packet_too_large;  // [MQTT-3.2.2-15]
    case codec_error::invalid_protocol_name:                                   // 3.1.2.1
    case codec_error::unsupported_protocol_version:                            // [MQTT-3.1.2-2]
      return reason_code::unsupported_protocol_version;
    case codec_error::topic_name_has_wildcard: return reason_code::topic_name_invalid;  // [MQTT-3.3.2-2]
    case codec_error::topic_alias_zero: return reason_code::topic_alias_invalid;        // 3.3.2.3.4
    // "It is a Protocol Error to ..."
    case codec_error::duplicate_property:             // 2.2.2.2 and each property's clause
    case codec_error::invalid_property_value:         // e.g. Receive Maximum 0 (3.1.2.11.3)
    case codec_error::packet_id_zero:                 // [MQTT-2.2.1-3]
    case codec_error::topic_name_empty:               // 3.3.2.3.4
    case codec_error::subscribe_without_topics:       // [MQTT-3.8.3-2]
    case codec_error::unsubscribe_without_topics:     // [MQTT-3.10.3-2]
    case codec_error::retain_handling_invalid:        // 3.8.3.1
    case codec_error::invalid_reason_code:            // a value the packet type does not define
    case codec_error::password_without_username:      // [MQTT-3.1.2-22] (3.x only)
      return reason_code::protocol_error;
    // Encoding misuse: never from a peer.
    case codec_error::string_too_long:
    case codec_error::value_out_of_range: return reason_code::implementation_specific_error;
    // Everything else is a Malformed Packet: framing, fixed header flags [MQTT-2.1.3-1], QoS 3
    // [MQTT-3.3.1-4], lengths, UTF-8 [MQTT-1.5.4-1..2], Variable Byte Integers [MQTT-1.5.5-1],
    // CONNECT flags [MQTT-3.1.2-3], will flags (3.1.2.6), properties unknown or out of context
    // (2.2.2.2), subscription option bits [MQTT-3.8.3-5], CONNACK flags [MQTT-3.2.2-1].
    case codec_error::remaining_length_too_long:
    case codec_error::reserved_packet_type:
    case codec_error::reserved_flags_invalid:
    case codec_error::qos_invalid:
    case codec_error::dup_with_qos_0:
    case codec_error::truncated:
    case codec_error::trailing_bytes:
    case codec_error::invalid_utf8:
    case codec_error::utf8_null_character:
    case codec_error::invalid_variable_byte_integer:
    case codec_error::connect_reserved_flag_set:
    case codec_error::will_flags_without_will:
    case codec_error::will_qos_invalid:
    case codec_error::unknown_property:
    case codec_error::property_not_allowed:
    case codec_error::subscription_options_reserved:
    case codec_error::subscription_qos_invalid:
    case codec_error::invalid_connack_flags: return reason_code::malformed_packet;
  }
  return reason_code::malformed_packet;
}

std::string_view describe(codec_error error) {
  switch (error) {
    case codec_error::ok: return "no error";
    case codec_error::remaining_length_too_long: return "Remaining Length longer than four bytes";
    case codec_error::packet_too_large: return "packet larger than the maximum packet size";
    case codec_error::reserved_packet_type: return "reserved packet type";
    case codec_error::reserved_flags_invalid: return "fixed header flags are not the ones the packet type requires";
    case codec_error::qos_invalid: return "PUBLISH with QoS 3";
    case codec_error::dup_with_qos_0: return "DUP flag set on a QoS 0 PUBLISH";
    case codec_error::truncated: return "packet content is shorter than its fields need";
    case codec_error::trailing_bytes: return "Remaining Length covers unused bytes";
    case codec_error::invalid_utf8: return "ill-formed UTF-8 string";
    case codec_error::utf8_null_character: return "UTF-8 string contains U+0000";
    case codec_error::invalid_variable_byte_integer: return "invalid Variable Byte Integer";
    case codec_error::invalid_protocol_name: return "CONNECT protocol name is neither MQTT nor MQIsdp";
    case codec_error::unsupported_protocol_version: return "unsupported protocol level";
    case codec_error::connect_reserved_flag_set: return "CONNECT reserved flag set";
    case codec_error::will_flags_without_will: return "will QoS or will retain set without a will";
    case codec_error::will_qos_invalid: return "will QoS 3";
    case codec_error::password_without_username: return "password flag without user name flag";
    case codec_error::unknown_property: return "unknown property identifier";
    case codec_error::property_not_allowed: return "property not allowed in this packet";
    case codec_error::duplicate_property: return "property included more than once";
    case codec_error::invalid_property_value: return "invalid property value";
    case codec_error::packet_id_zero: return "packet identifier 0";
    case codec_error::topic_name_has_wildcard: return "PUBLISH topic name contains a wildcard";
    case codec_error::topic_name_empty: return "PUBLISH topic name empty without a topic alias";
    case codec_error::topic_alias_zero: return "Topic Alias 0";
    case codec_error::subscribe_without_topics: return "SUBSCRIBE without topic filters";
    case codec_error::unsubscribe_without_topics: return "UNSUBSCRIBE without topic filters";
    case codec_error::subscription_options_reserved: return "subscription options reserved bits set";
    case codec_error::subscription_qos_invalid: return "subscription with QoS 3";
    case codec_error::retain_handling_invalid: return "Retain Handling 3";
    case codec_error::invalid_reason_code: return "reason code not allowed in this packet";
    case codec_error::invalid_connack_flags: return "CONNACK acknowledge flags reserved bits set";
    case codec_error::string_too_long: return "string or binary field over 65,535 bytes";
    case codec_error::value_out_of_range: return "value out of range for its field";
  }
  return "unknown codec error";
}

}  // namespace postcard
