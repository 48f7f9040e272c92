#pragma once
// Basic MQTT vocabulary shared by the codec, the topic engine and the engines.
#include <cstdint>
#include <span>
#include <string_view>

namespace postcard {

using bytes_view = std::span<const std::uint8_t>;

// The protocol level byte of CONNECT: 3 = MQTT 3.1 ("MQIsdp"), 4 = 3.1.1, 5 = 5.0.
enum class protocol_version : std::uint8_t { v3_1 = 3, v3_1_1 = 4, v5 = 5 };

enum class qos : std::uint8_t { at_most_once = 0, at_least_once = 1, exactly_once = 2 };

enum class packet_type : std::uint8_t {
  connect = 1, connack = 2, publish = 3, puback = 4, pubrec = 5, pubrel = 6, pubcomp = 7,
  subscribe = 8, suback = 9, unsubscribe = 10, unsuback = 11, pingreq = 12, pingresp = 13,
  disconnect = 14, auth = 15,
};

std::string_view to_string(packet_type type);   // "CONNECT", "PUBACK", ...
std::string_view to_string(protocol_version v); // "3.1", "3.1.1", "5.0"

inline bytes_view as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string_view as_chars(bytes_view b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

}  // namespace postcard
