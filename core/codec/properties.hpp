#pragma once
// MQTT 5.0 properties (spec section 2.2.2): identifiers, data types, where each is allowed,
// and the decoded property set. Strings and binary data are views into the decoded buffer.
// Encoding order is fixed (ascending identifier; repeated properties in their given order), so the
// same property set always encodes to the same bytes.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "codec/types.hpp"

namespace postcard {

enum class property_id : std::uint8_t {
  payload_format_indicator = 0x01,
  message_expiry_interval = 0x02,
  content_type = 0x03,
  response_topic = 0x08,
  correlation_data = 0x09,
  subscription_identifier = 0x0B,
  session_expiry_interval = 0x11,
  assigned_client_identifier = 0x12,
  server_keep_alive = 0x13,
  authentication_method = 0x15,
  authentication_data = 0x16,
  request_problem_information = 0x17,
  will_delay_interval = 0x18,
  request_response_information = 0x19,
  response_information = 0x1A,
  server_reference = 0x1C,
  reason_string = 0x1F,
  receive_maximum = 0x21,
  topic_alias_maximum = 0x22,
  topic_alias = 0x23,
  maximum_qos = 0x24,
  retain_available = 0x25,
  user_property = 0x26,
  maximum_packet_size = 0x27,
  wildcard_subscription_available = 0x28,
  subscription_identifier_available = 0x29,
  shared_subscription_available = 0x2A,
};

enum class property_type : std::uint8_t {
  byte, two_byte_integer, four_byte_integer, variable_byte_integer, utf8_string, binary_data, utf8_string_pair,
};

// Where a property may appear: one bit per packet type (bit N = packet_type N), plus the will
// properties inside CONNECT, which are a context of their own.
enum class property_context : std::uint8_t {
  connect = 1, connack = 2, publish = 3, puback = 4, pubrec = 5, pubrel = 6, pubcomp = 7, subscribe = 8,
  suback = 9, unsubscribe = 10, unsuback = 11, disconnect = 14, auth = 15, will = 16,
};

struct property_info {
  property_id id;
  property_type type;
  std::uint32_t allowed_contexts;  // bit (1u << property_context)
  std::string_view name;           // the spec's name, e.g. "Message Expiry Interval"
};

// nullptr for an identifier the spec does not define.
const property_info* find_property_info(std::uint8_t id);
inline bool property_allowed(const property_info& info, property_context ctx) {
  return (info.allowed_contexts >> static_cast<unsigned>(ctx)) & 1u;
}

struct user_property {
  std::string_view name;
  std::string_view value;
  friend bool operator==(const user_property&, const user_property&) = default;
};

// A decoded (or to-be-encoded) property set. Absent properties are empty optionals / vectors.
struct properties {
  std::optional<std::uint8_t> payload_format_indicator;
  std::optional<std::uint32_t> message_expiry_interval;
  std::optional<std::string_view> content_type;
  std::optional<std::string_view> response_topic;
  std::optional<bytes_view> correlation_data;
  std::vector<std::uint32_t> subscription_identifiers;  // several only in a PUBLISH sent to a client
  std::optional<std::uint32_t> session_expiry_interval;
  std::optional<std::string_view> assigned_client_identifier;
  std::optional<std::uint16_t> server_keep_alive;
  std::optional<std::string_view> authentication_method;
  std::optional<bytes_view> authentication_data;
  std::optional<std::uint8_t> request_problem_information;
  std::optional<std::uint32_t> will_delay_interval;
  std::optional<std::uint8_t> request_response_information;
  std::optional<std::string_view> response_information;
  std::optional<std::string_view> server_reference;
  std::optional<std::string_view> reason_string;
  std::optional<std::uint16_t> receive_maximum;
  std::optional<std::uint16_t> topic_alias_maximum;
  std::optional<std::uint16_t> topic_alias;
  std::optional<std::uint8_t> maximum_qos;
  std::optional<std::uint8_t> retain_available;
  std::vector<user_property> user_properties;  // order preserved [MQTT-3.3.2-18]
  std::optional<std::uint32_t> maximum_packet_size;
  std::optional<std::uint8_t> wildcard_subscription_available;
  std::optional<std::uint8_t> subscription_identifier_available;
  std::optional<std::uint8_t> shared_subscription_available;

  bool empty() const;
};

}  // namespace postcard
