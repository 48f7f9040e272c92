#pragma once
// Client engine options: MQTT.js's option set (names in comments) where it has one, with its
// defaults, plus Postcard's reconnect backoff and packet-event settings.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "client/property_set.hpp"
#include "codec/types.hpp"

namespace postcard::client {

// `will`: the Will Message, with its v5 properties (Will Delay Interval, Message Expiry, ...).
struct will_options {
  std::string topic;
  std::vector<std::uint8_t> payload;
  qos qos_level = qos::at_most_once;
  bool retain = false;
  property_set properties;  // will properties (v5)
};

// Reconnect backoff: delay(attempt) = min(period * multiplier^(attempt-1), max_period), then
// reduced by up to jitter_percent, drawn from a generator seeded with (jitter_seed, attempt).
// attempt counts from 1 (the first reconnect after a loss). MQTT.js behaviour is multiplier 1,
// jitter 0: a fixed `reconnectPeriod`.
struct reconnect_options {
  std::uint32_t period_ms = 1000;        // `reconnectPeriod`; 0 disables automatic reconnect
  std::uint32_t multiplier_percent = 100; // 200 doubles the delay on every attempt
  std::uint32_t max_period_ms = 60'000;
  std::uint32_t jitter_percent = 0;      // 0..100
  std::uint64_t jitter_seed = 0;
  std::uint32_t max_attempts = 0;        // 0: unlimited
};

struct options {
  protocol_version protocol = protocol_version::v3_1_1;  // `protocolVersion` 3, 4 or 5
  std::string client_id;             // `clientId`; empty: v5 lets the server assign one
  bool clean = true;                 // `clean` (Clean Session 3.x / Clean Start v5)
  std::uint16_t keepalive = 60;      // `keepalive`, seconds; 0 disables
  std::optional<std::string> username;               // `username`
  std::optional<std::vector<std::uint8_t>> password; // `password`
  std::optional<will_options> will;                  // `will`
  // `properties` (v5 CONNECT): session expiry, receive maximum, maximum packet size, topic alias
  // maximum, request response / problem information, user properties, authentication method/data.
  property_set properties;
  bool resubscribe = true;               // `resubscribe`: on reconnect without a session
  bool queue_qos_zero = true;            // `queueQoSZero`: keep QoS 0 publishes while offline
  bool auto_use_topic_alias = false;     // `autoUseTopicAlias`
  bool auto_assign_topic_alias = false;  // `autoAssignTopicAlias`
  bool reschedule_pings = true;          // `reschedulePings`: any packet sent postpones PINGREQ
  reconnect_options reconnect;           // `reconnectPeriod` and Postcard's backoff
  std::uint32_t connect_timeout_ms = 30'000;  // `connectTimeout`: CONNECT sent -> CONNACK
  std::uint32_t ping_timeout_ms = 0;     // PINGREQ -> PINGRESP; 0: one keepalive interval
  std::size_t offline_queue_limit = 0;   // commands kept while offline; 0: unlimited
  bool packet_events = true;             // emit packet_sent / packet_received (MQTT.js packetsend/receive)
};

}  // namespace postcard::client
