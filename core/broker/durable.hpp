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
  // The delivery's identity in durable-change records: numbered from 1 in the order deliveries join the
  // session, never two live ones alike. 0 in data from older hosts: restore() numbers those itself.
  std::uint64_t seq = 0;
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
// Each record is sized by what changed: a delivery joining, changing or leaving a session is a record
// of its own, so persisting a queue of Q messages costs O(Q) in all, not O(Q) per change.
//
// Replay rule (durable_replay.hpp implements it; hosts and tests share it): start from a restored
// snapshot (a durable_state), apply the records in the order they were emitted.
//   retained_set / retained_erased   the retained message of topic `key` is replaced / removed
//   session_set                      session `key` is replaced by `*session`; when `with_outgoing` is
//                                    false, `session->outgoing` is empty and the session keeps the
//                                    deliveries it had (an unknown session starts with none)
//   session_erased                   session `key` and all its deliveries are removed
//   delivery_added                   `*delivery` joins session `key` (its `seq` is new in that session)
//   delivery_updated                 delivery `seq` of session `key` takes `state` and `packet_id`; on
//                                    awaiting_pubcomp its message is dropped (only the id matters)
//   delivery_removed                 delivery `seq` leaves session `key` (acknowledged, expired, dropped)
//   every delivery_* record also sets the session's `next_packet_id`.
// A session's `outgoing` is then: its deliveries not in state queued, by seq, followed by the queued
// ones, by seq. This is exactly the engine's order, because a delivery is sent only from the front of
// the queue or when the queue is empty: every in-flight delivery has a lower seq than every queued one.
// Delivery records name only sessions whose last session_set carried its outgoing list; a record for an
// unknown session or seq cannot come from the engine and is ignored by the replay.
struct durable_change {
  enum class kind : std::uint8_t {
    retained_set,      // `retained` holds the message (replaces any for its topic)
    retained_erased,   // `key` is the topic
    session_set,       // `session` holds the session (see with_outgoing)
    session_erased,    // `key` is the client id
    delivery_added,    // `key` client id, `delivery` (with its seq), `next_packet_id`
    delivery_updated,  // `key` client id, `seq`, `state`, `packet_id`, `next_packet_id`
    delivery_removed,  // `key` client id, `seq`, `next_packet_id`
  };
  kind what = kind::retained_set;
  std::string_view key;
  const message_data* retained = nullptr;
  const session_data* session = nullptr;
  bool with_outgoing = true;  // session_set: false = the session's deliveries are unchanged
  const delivery_data* delivery = nullptr;
  std::uint64_t seq = 0;
  delivery_data::state state = delivery_data::state::queued;
  std::uint16_t packet_id = 0;
  std::uint16_t next_packet_id = 1;
};

}  // namespace postcard::broker
