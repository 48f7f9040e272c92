#pragma once
// postcard::client::engine — one MQTT client connection (3.1, 3.1.1, 5.0), sans-I/O.
//
// The host feeds it transport events, bytes and time; after every input it drains the output:
// bytes to write (everything one input produced, batched into one buffer), whether to close the
// transport, and events. The engine never reads a clock, opens a socket or throws; the same inputs
// give the same bytes and events.
//
//   client::engine c{opts};
//   c.connection_opened(now);            // -> CONNECT
//   c.receive(bytes, now);               // any split: half a packet or ten
//   c.tick(now);                         // at or after c.next_deadline()
//   auto r = c.publish("a/b", payload, {.qos_level = qos::at_least_once}, now);
//   client::output out; c.drain(out);    // write out.bytes, then close if out.close
//
// Life cycle: offline -> (connection_opened) connecting -> (CONNACK 0) connected -> (loss) offline
// -> (reconnect delay, event reconnect_due) -> the host opens a transport -> connecting ...
// disconnect() ends it: no more reconnects; commands then fail with client_error::ended.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "client/events.hpp"
#include "client/options.hpp"
#include "client/property_set.hpp"
#include "codec/framer.hpp"
#include "codec/packets.hpp"

namespace postcard::client {

// Local misuse of the API (never a peer's mistake: those become DISCONNECT / close + events).
enum class client_error : std::uint8_t {
  ok = 0,
  ended,                  // disconnect() was called
  not_connected,          // QoS 0 while offline with queue_qos_zero off; auth() outside an exchange
  offline_queue_full,     // offline_queue_limit reached
  invalid_topic,          // empty, wildcard, U+0000, too long [MQTT-3.3.2-2]
  invalid_filter,         // topic filter rules [MQTT-4.7.1-1], [MQTT-4.7.1-2]
  no_topics,              // SUBSCRIBE / UNSUBSCRIBE without a filter [MQTT-3.8.3-3], [MQTT-3.10.3-2]
  qos_not_supported,      // above the server's Maximum QoS [MQTT-3.2.2-11]
  retain_not_supported,   // server's Retain Available is 0 [MQTT-3.2.2-14]
  packet_too_large,       // above the server's Maximum Packet Size [MQTT-3.2.2-15]
  topic_alias_invalid,    // 0 or above the server's Topic Alias Maximum [MQTT-3.3.2-9]
  invalid_argument,       // a value the packet cannot carry (e.g. DUP on QoS 0 [MQTT-3.3.1-2])
  not_supported_by_version,  // AUTH / v5-only feature on a 3.x connection
};
std::string_view describe(client_error error);

enum class connection_state : std::uint8_t { offline, connecting, connected, ended };

struct publish_options {
  qos qos_level = qos::at_most_once;
  bool retain = false;
  bool dup = false;
  property_set properties;  // v5: topic_alias picks an alias explicitly (MQTT.js `properties.topicAlias`)
};

struct subscription {
  std::string filter;
  qos max_qos = qos::at_most_once;
  bool no_local = false;             // v5
  bool retain_as_published = false;  // v5
  retain_handling handling = retain_handling::send_on_subscribe;  // v5
  friend bool operator==(const subscription&, const subscription&) = default;
};

// Every command returns a token (non-zero, unique per engine) that its completion event carries,
// and the packet identifier when the packet went out at once (0 if queued or QoS 0).
struct command_result {
  client_error error = client_error::ok;
  std::uint32_t token = 0;
  std::uint16_t packet_id = 0;
};

struct output {
  std::vector<std::uint8_t> bytes;  // write these, in order
  bool close = false;               // then close the transport
  std::vector<event> events;
};

// What the server granted in CONNACK (v5; 3.x gets the defaults).
struct negotiated_settings {
  std::uint16_t keepalive = 0;                 // seconds, after Server Keep Alive [MQTT-3.2.2-21]
  std::uint16_t receive_maximum = 65535;       // server's: our inflight window
  std::uint32_t maximum_packet_size = 0;       // server's; 0: no limit
  std::uint16_t topic_alias_maximum = 0;       // server's: aliases we may send
  std::uint8_t maximum_qos = 2;
  bool retain_available = true;
  std::string client_id;                       // ours, or the Assigned Client Identifier
};

class engine {
 public:
  explicit engine(options opts);

  // ---- transport and time -----------------------------------------------------------------
  // A transport is up: emits CONNECT (and starts the connect timeout).
  void connection_opened(std::uint64_t now_ms);
  // Bytes from the server, any split: CONNACK, PUBLISH, acks, AUTH, DISCONNECT -> events, acks,
  // queued packets; violations -> DISCONNECT (v5) + close.
  void receive(bytes_view bytes, std::uint64_t now_ms);
  // The transport is gone (or failed to open): offline event, reconnect scheduled. Harmless after
  // the engine itself asked to close.
  void connection_closed(std::uint64_t now_ms);
  // Time passed: PINGREQ, keepalive / connect timeouts, reconnect_due.
  void tick(std::uint64_t now_ms);
  // The earliest time tick() has something to do; nullopt when nothing is scheduled.
  std::optional<std::uint64_t> next_deadline() const;

  // ---- commands ------------------------------------------------------------------------------
  command_result publish(std::string_view topic, bytes_view payload, const publish_options& opts,
                         std::uint64_t now_ms);
  command_result subscribe(std::span<const subscription> topics, const property_set& props, std::uint64_t now_ms);
  command_result unsubscribe(std::span<const std::string> filters, const property_set& props,
                             std::uint64_t now_ms);
  // DISCONNECT (when connected) and close; no reconnect afterwards (MQTT.js `end`).
  client_error disconnect(reason_code reason, const property_set& props, std::uint64_t now_ms);
  // Enhanced authentication (v5): answer an auth_challenge (AUTH 0x18), or start re-authentication
  // (AUTH 0x19) once connected. The method is the one from options.properties.
  client_error auth(bytes_view data, std::uint64_t now_ms, const property_set& extra = {});
  client_error reauthenticate(bytes_view data, std::uint64_t now_ms, const property_set& extra = {});

  // ---- output and state ----------------------------------------------------------------------
  // Moves everything produced since the last drain into `out` (whose old contents are dropped;
  // its buffers' capacity is reused by the engine).
  void drain(output& out);
  output drain();

  connection_state state() const { return state_; }
  const options& config() const { return opts_; }
  const negotiated_settings& negotiated() const { return negotiated_; }
  std::size_t inflight() const { return inflight_.size(); }   // QoS 1/2 publishes awaiting acks
  std::size_t queued() const { return queue_.size(); }        // commands not yet sent
  std::uint32_t reconnect_attempt() const { return attempt_; }

 private:
  enum class command_kind : std::uint8_t { publish, subscribe, unsubscribe };
  struct command {
    command_kind kind = command_kind::publish;
    std::uint32_t token = 0;
    // publish
    std::string topic;
    std::vector<std::uint8_t> payload;
    publish_options publish;
    // subscribe / unsubscribe
    std::vector<subscription> topics;
    std::vector<std::string> filters;
    property_set props;
    bool resubscribe = false;
    bool alias_only = false;  // publish with an empty topic and an explicit alias (v5)
  };
  // A PUBLISH to send, as views (of a queued command, or of a publish() call's arguments).
  struct publish_view {
    std::string_view topic;
    bytes_view payload;
    const publish_options* opts = nullptr;
    bool alias_only = false;
  };
  static publish_view view_of(const command& cmd) {
    return {cmd.topic, bytes_view{cmd.payload.data(), cmd.payload.size()}, &cmd.publish, cmd.alias_only};
  }
  enum class inflight_stage : std::uint8_t { awaiting_ack, awaiting_pubcomp };
  struct inflight_message {
    command cmd;
    std::uint64_t sequence = 0;  // send order, for resending in order
    inflight_stage stage = inflight_stage::awaiting_ack;
  };

  // engine.cpp: connection life cycle
  void on_packet(std::uint8_t first_byte, bytes_view body, std::uint64_t now_ms);
  void on_connack(const connack_packet& p, std::uint64_t now_ms);
  void on_disconnect(const disconnect_packet& p, std::uint64_t now_ms);
  void on_auth(const auth_packet& p, std::uint64_t now_ms);
  void start_session(bool session_present, std::uint64_t now_ms);
  void go_offline(close_cause cause, std::uint64_t now_ms);
  void fail(codec_error error, reason_code reason, std::string_view description, std::uint64_t now_ms);
  void send(const packet& p, std::uint64_t now_ms);
  void send_connect(std::uint64_t now_ms);
  void send_auth(reason_code reason, bytes_view data, const property_set& extra, std::uint64_t now_ms);
  std::uint16_t keepalive_s() const;
  std::optional<std::uint64_t> ping_due() const;
  // engine_flow.cpp: QoS flows, queue, inflight window
  void on_publish(const publish_packet& p, std::uint64_t now_ms);
  void on_ack(const ack_packet& p, std::uint64_t now_ms);
  void on_suback(const suback_packet& p, std::uint64_t now_ms);
  void on_unsuback(const unsuback_packet& p, std::uint64_t now_ms);
  void complete(std::uint32_t token, qos qos_level, std::uint16_t packet_id, reason_code reason,
                const properties* props, bool session_lost = false);
  command_result enqueue(command cmd, std::uint64_t now_ms);
  void flush_queue(std::uint64_t now_ms);
  bool try_send(command& cmd, std::uint64_t now_ms);
  void send_publish(const publish_view& p, std::uint16_t packet_id, bool dup, bool allow_alias, std::uint64_t now_ms);
  client_error check_publish(const publish_view& p) const;
  packet request_packet(const command& cmd, std::uint16_t packet_id) const;  // SUBSCRIBE / UNSUBSCRIBE
  bool request_too_large(const command& cmd) const;
  void resend_inflight(bool session_present, std::uint64_t now_ms);
  std::uint16_t allocate_packet_id();
  std::uint32_t take_token();
  // engine_alias.cpp: topic aliases
  std::optional<std::string_view> resolve_inbound_alias(const publish_packet& p, std::uint64_t now_ms);
  std::uint16_t outbound_alias(std::string_view topic, const property_set& props, bool& alias_only);
  void reset_aliases();

  options opts_;
  negotiated_settings negotiated_;
  connection_state state_ = connection_state::offline;
  framer framer_;
  output out_;
  bool transport_up_ = false;  // between connection_opened and loss / our close request

  std::uint32_t next_token_ = 1;
  std::uint16_t next_packet_id_ = 1;
  std::uint64_t next_sequence_ = 1;
  std::deque<command> queue_;                       // not yet sent, in order
  std::map<std::uint16_t, inflight_message> inflight_;  // QoS 1/2 publishes sent, awaiting acks
  std::map<std::uint16_t, command> pending_acks_;   // SUBSCRIBE / UNSUBSCRIBE awaiting SUBACK / UNSUBACK
  std::set<std::uint16_t> inbound_qos2_;            // PUBREC sent, awaiting PUBREL
  std::vector<std::pair<subscription, property_set>> subscriptions_;  // acknowledged, for resubscribe

  // topic aliases (per connection)
  std::vector<std::string> inbound_aliases_;        // index alias-1
  struct alias_slot {
    std::string topic;
    std::uint64_t last_used = 0;
  };
  std::vector<alias_slot> outbound_aliases_;        // index alias-1
  std::map<std::string, std::uint16_t, std::less<>> outbound_alias_of_;
  std::uint64_t alias_clock_ = 0;

  // timers
  std::uint64_t last_sent_ms_ = 0;
  std::uint64_t last_ping_ms_ = 0;
  std::optional<std::uint64_t> connect_deadline_;
  std::optional<std::uint64_t> ping_deadline_;      // PINGRESP due
  std::optional<std::uint64_t> reconnect_at_;
  std::uint32_t attempt_ = 0;
  bool auth_in_progress_ = false;
  bool awaiting_transport_ = true;  // the host is opening a transport (at start, after reconnect_due)
  std::uint32_t last_sent_token_ = 0;
  std::uint16_t last_sent_packet_id_ = 0;
};

// The pure reconnect-backoff policy (see reconnect_options): the delay before reconnect `attempt`
// (1-based); nullopt when reconnecting is off or max_attempts is exhausted.
std::optional<std::uint64_t> reconnect_delay(const reconnect_options& opts, std::uint32_t attempt);

// Decodes a packet_sent / packet_received event's bytes back into a codec packet (views into `p`).
codec_error decode_packet_event(const packet_event& p, protocol_version version, packet& out);

}  // namespace postcard::client
