#pragma once
// An owning MQTT 5.0 property set. The codec's `properties` holds views into a buffer; the client
// engine keeps properties beyond the buffer's life (options, queued messages, events), so it copies
// them into this type. view() gives back a codec `properties` whose views point into this object:
// valid while the object lives and is not modified.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "codec/properties.hpp"

namespace postcard::client {

struct owned_user_property {
  std::string name;
  std::string value;
  friend bool operator==(const owned_user_property&, const owned_user_property&) = default;
};

struct property_set {
  std::optional<std::uint8_t> payload_format_indicator;
  std::optional<std::uint32_t> message_expiry_interval;
  std::optional<std::string> content_type;
  std::optional<std::string> response_topic;
  std::optional<std::vector<std::uint8_t>> correlation_data;
  std::vector<std::uint32_t> subscription_identifiers;
  std::optional<std::uint32_t> session_expiry_interval;
  std::optional<std::string> assigned_client_identifier;
  std::optional<std::uint16_t> server_keep_alive;
  std::optional<std::string> authentication_method;
  std::optional<std::vector<std::uint8_t>> authentication_data;
  std::optional<std::uint8_t> request_problem_information;
  std::optional<std::uint32_t> will_delay_interval;
  std::optional<std::uint8_t> request_response_information;
  std::optional<std::string> response_information;
  std::optional<std::string> server_reference;
  std::optional<std::string> reason_string;
  std::optional<std::uint16_t> receive_maximum;
  std::optional<std::uint16_t> topic_alias_maximum;
  std::optional<std::uint16_t> topic_alias;
  std::optional<std::uint8_t> maximum_qos;
  std::optional<std::uint8_t> retain_available;
  std::vector<owned_user_property> user_properties;
  std::optional<std::uint32_t> maximum_packet_size;
  std::optional<std::uint8_t> wildcard_subscription_available;
  std::optional<std::uint8_t> subscription_identifier_available;
  std::optional<std::uint8_t> shared_subscription_available;

  // Views into this object (see the note at the top).
  properties view() const;
  static property_set copy_of(const properties& p);
  bool empty() const;
  friend bool operator==(const property_set&, const property_set&) = default;
};

}  // namespace postcard::client
