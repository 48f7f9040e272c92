#pragma once
// The broker's own protocol errors (beyond what the codec detects), each with the reason code the
// spec assigns. engine::impl::fail() is the single place that turns one into a CONNACK or DISCONNECT
// (v5) or a plain close (3.x).
#include <cstdint>
#include <string_view>

#include "codec/reason_codes.hpp"

namespace postcard::broker {

enum class engine_error : std::uint8_t {
  first_packet_not_connect,      // [MQTT-3.1.0-1] -> close
  second_connect,                // [MQTT-3.1.0-2] -> 0x82
  packet_before_connack,         // anything but AUTH while authenticating -> 0x82
  unexpected_packet_type,        // CONNACK, SUBACK, ... from a client -> 0x82
  topic_alias_invalid,           // alias 0 or over our maximum [MQTT-3.3.2-9] -> 0x94
  topic_alias_unknown,           // empty topic with an alias never set -> 0x82
  receive_maximum_exceeded,      // more QoS>0 PUBLISH than our Receive Maximum [MQTT-3.3.4-7] -> 0x93
  qos_not_supported,             // PUBLISH above our Maximum QoS [MQTT-3.2.2-11] -> 0x9B
  retain_not_supported,          // retained PUBLISH when retain is unavailable [MQTT-3.2.2-14] -> 0x9A
  session_expiry_from_zero,      // DISCONNECT sets a non-zero expiry after 0 in CONNECT [MQTT-3.14.2-2] -> 0x82
  subscription_ids_unsupported,  // Subscription Identifier when not available -> 0xA1
  shared_no_local,               // No Local on a shared subscription [MQTT-3.8.3-4] -> 0x82
  auth_method_mismatch,          // AUTH with another method, or AUTH without enhanced auth -> 0x82
  auth_bad_reason,               // AUTH reason code not allowed in this state -> 0x82
  packet_too_large,              // over our Maximum Packet Size [MQTT-3.2.2-15] -> 0x95
  keepalive_timeout,             // [MQTT-3.1.2-24] -> 0x8D
};

reason_code to_reason_code(engine_error e);
std::string_view describe(engine_error e);

}  // namespace postcard::broker
