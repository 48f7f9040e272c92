#pragma once
// The broker's durable state as plain data (no views): what save() returns, what restore() takes, and
// what durable-change records carry. Times are absolute milliseconds of the host's clock.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace postcard::broker {

struct message_data {
  std::string topic;
  std::vector<std::uint8_t> payload;
  std::uint8_t qos = 0;
  bool retain = false;
  std::optional<std::uint8_t> payload_format_indicator;
  std::optional<std::string> content_type;
  std::optional<std::string> response_topic;
  std::optional<std::vector<std::uint8_t>> correlation_data;
  std::vector<std::pair<std::string, std::string>> user_properties;  // in order
  std::uint64_t expires_at_ms = 0;  // 0 = never (from Message Expiry Interval)
};

struct subscription_data {
  std::string filter;       // plain filter (without "$share/{group}/")
  std::string share_group;  // empty for a plain subscription
  std::uint8_t max_qos = 0;
  bool no_local = false;
  bool retain_as_published = false;
  std::uint8_t retain_handling = 0;
  std::uint32_t identifier = 0;
};

// A message on its way to the client, in the session's order.
struct delivery_data {
  enum class state : std::uint8_t {
    queued = 0,            // not yet sent (beyond the inflight window, or client offline)
    awaiting_puback = 1,   // QoS 1 sent
    awaiting_pubrec = 2,   // QoS 2 sent
    awaiting_pubcomp = 3,  // QoS 2, PUBREL sent
  };
  state st = state::queued;
  std::uint16_t packet_id = 0;  // 0 while queued
  std::uint8_t qos = 0;         // delivery QoS (after downgrade)
  bool retain = false;          // retain flag as delivered
  std::vector<std::uint32_t> subscription_identifiers;
  message_data message;         // unused when st == awaiting_pubcomp (only the id matters)
};

struct session_data {
  std::string client_id;
  std::uint8_t protocol_version = 5;
  std::uint32_t expiry_interval = 0;      // seconds; 0xFFFFFFFF = never
  std::uint64_t disconnected_at_ms = 0;   // 0 = connected when saved (treated as disconnected at restore)
  std::vector<subscription_data> subscriptions;
  std::vector<delivery_data> outgoing;    // inflight first, then queued
  std::vector<std::uint16_t> incoming_qos2;  // QoS 2 received, PUBREL not yet seen [MQTT-4.3.3-8]
  std::uint16_t next_packet_id = 1;
  // The will, while the client is connected or its will delay runs. After restore() it is published
  // will_delay seconds after disconnected_at_ms (or the restore time), unless the session resumes first.
  std::optional<message_data> will;
  std::uint32_t will_delay = 0;
};

struct durable_state {
  std::vector<message_data> retained;
  std::vector<session_data> sessions;
};

// One change of the durable state, emitted (when asked for) so a host can append it to a log.
// Replaying the records in order over a restored snapshot gives the current state.
struct durable_change {
  enum class kind : std::uint8_t {
    retained_set,     // `retained` holds the message (replaces any for its topic)
    retained_erased,  // `key` is the topic
    session_set,      // `session` holds the whole session (replaces any for its client id)
    session_erased,   // `key` is the client id
  };
  kind what = kind::retained_set;
  std::string_view key;
  const message_data* retained = nullptr;
  const session_data* session = nullptr;
};

}  // namespace postcard::broker
