#pragma once
// postcard::broker::engine: a complete MQTT 3.1 / 3.1.1 / 5.0 broker as a sans-I/O state machine.
//
// Theory of operation
//   The host owns transports and the clock. It feeds the engine inputs, each with `now_ms` (a monotonic
//   clock in milliseconds): open(), receive() (any split of the byte stream), closed(), tick(), and admin
//   commands. While an input is processed the engine calls the output_sink synchronously:
//     - event() for each event kind the sink's mask selects (views valid during the call only),
//     - durable() for each durable-state change, when the sink asks for them,
//   and when the input is done it flushes, in the order connections first got output during that input:
//     - send(conn, bytes) once per connection with everything for it (one write per connection per input),
//     - close(conn, reason) for connections the engine ends (after their last bytes).
//   After close() the engine has forgotten the connection; the host need not (but may) call closed().
//   The host arms one timer at next_deadline() and calls tick() when it fires (early or late is fine).
//   The sink must not call back into the engine.
//
//   Backpressure: the host tells the engine when a connection's transport is congested (its outbound
//   buffer crossed the host's high-water mark) and when it is drained again (under the low-water mark),
//   with congested(). A flag, not a byte budget: the host knows its buffers, the engine its queues.
//   While congested the engine writes no new PUBLISH to it: QoS 0 deliveries are dropped and counted
//   (publish_dropped, $SYS/broker/publish/messages/dropped, drop_reason::congested), QoS 1/2 deliveries
//   wait in the session queue up to max_queued_messages / max_queued_bytes, and beyond that are dropped
//   and counted (drop_reason::queue_full), as Mosquitto drops new messages when a queue is full.
//   Acknowledgements and other control packets are still written. When drained, the engine sends what the
//   queue and the inflight window allow, in order. So the host's overshoot past the high-water mark is
//   bounded by one input's output for that connection.
//
//   Deterministic: the same inputs give the same calls in the same order. Peer mistakes never surface as
//   return values: they become a reason-coded CONNACK / DISCONNECT (v5) or a plain close (3.x).
//
//   Subscription identifiers on overlapping subscriptions: a client whose subscriptions overlap gets ONE
//   copy of a message, at the maximum QoS granted [MQTT-3.3.4-2], carrying every matching Subscription
//   Identifier [MQTT-3.3.4-3, -4, -5] (in the order of the trie's match). Shared subscriptions are
//   delivered separately (one copy per matching shared group).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "broker/config.hpp"
#include "broker/durable.hpp"
#include "broker/events.hpp"
#include "broker/hooks.hpp"
#include "codec/properties.hpp"
#include "codec/reason_codes.hpp"
#include "codec/types.hpp"

namespace postcard::broker {

using time_ms = std::uint64_t;
constexpr time_ms no_deadline = ~time_ms{0};

class output_sink {
 public:
  virtual ~output_sink() = default;
  virtual void send(connection_id conn, bytes_view bytes) = 0;
  // The engine is done with the connection: close the transport (after writing what was sent).
  virtual void close(connection_id conn, disconnect_cause cause) = 0;
  virtual void event(const event&) {}
  virtual void durable(const durable_change&) {}
  // Which events to produce (event_bit(...) ORed); read at each input, so it can change at any time.
  virtual std::uint32_t event_mask() const { return 0; }
  // Whether to produce durable() records (read at each input).
  virtual bool wants_durable_changes() const { return false; }
};

// Counters, as $SYS publishes them.
struct counters {
  std::uint64_t clients_connected = 0;
  std::uint64_t clients_total = 0;         // sessions, connected or not
  std::uint64_t clients_maximum = 0;       // most connected at once
  std::uint64_t clients_expired = 0;
  std::uint64_t messages_received = 0;     // every packet received
  std::uint64_t messages_sent = 0;         // every packet sent
  std::uint64_t publish_received = 0;
  std::uint64_t publish_sent = 0;
  std::uint64_t publish_dropped = 0;
  std::uint64_t bytes_received = 0;
  std::uint64_t bytes_sent = 0;
  std::uint64_t subscriptions = 0;
  std::uint64_t retained_messages = 0;
  std::uint64_t stored_messages = 0;       // queued + inflight across sessions
  time_ms uptime_ms = 0;
};

struct session_summary {
  std::string client_id;
  bool connected = false;
  connection_id conn = 0;
  protocol_version version = protocol_version::v5;
  std::uint32_t expiry_interval = 0;
  std::size_t subscriptions = 0;
  std::size_t inflight = 0;
  std::size_t queued = 0;
};

struct subscription_summary {
  std::string client_id;
  std::string filter;       // as subscribed ("$share/{group}/..." for shared)
  std::uint8_t max_qos = 0;
  std::uint32_t identifier = 0;
};

struct retained_summary {
  std::string topic;
  std::size_t payload_size = 0;
  std::uint8_t qos = 0;
};

enum class admin_result : std::uint8_t { ok = 0, not_found, invalid_topic, invalid_argument, shutting_down };

class engine {
 public:
  engine(config cfg, output_sink& sink, hooks* h = nullptr);
  ~engine();
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  const config& settings() const;
  void set_hooks(hooks* h);  // nullptr = allow everything

  // --- transport inputs
  // A new transport connection. May produce close() at once (max_connections reached, shutting down).
  void open(connection_id conn, const connection_info& info, time_ms now_ms);
  // Bytes from the peer. Produces sends, events, closes.
  void receive(connection_id conn, bytes_view bytes, time_ms now_ms);
  // The transport is gone (network close). Publishes the will (now or after its delay) if due.
  void closed(connection_id conn, time_ms now_ms);
  // The transport's outbound buffer is over the host's high-water mark (true) or back under its low-water
  // mark (false); see Backpressure above. Draining produces the queued PUBLISHes the window allows.
  void congested(connection_id conn, bool is_congested, time_ms now_ms);
  // Time passes: keepalive / connect timeouts, will delays, session and message expiry, $SYS.
  void tick(time_ms now_ms);
  // The earliest time tick() has work to do, or no_deadline.
  time_ms next_deadline() const;

  // --- admin commands
  // Publish as the broker (no publisher: no-local never applies). Topic must be a valid name.
  admin_result publish(std::string_view topic, bytes_view payload, std::uint8_t qos, bool retain,
                       const properties& props, time_ms now_ms);
  // Disconnect a connected client (v5: DISCONNECT with `reason`, default 0x98 administrative action).
  admin_result disconnect(std::string_view client_id, reason_code reason, time_ms now_ms);
  // Delete a session (connected or not); its will is published if due.
  admin_result remove_session(std::string_view client_id, time_ms now_ms);
  // Every connection gets DISCONNECT 0x8B (v5) or a close; new connections are refused afterwards.
  void shutdown(time_ms now_ms);

  counters stats(time_ms now_ms) const;
  std::vector<session_summary> sessions() const;
  std::vector<subscription_summary> subscriptions() const;
  std::vector<retained_summary> retained() const;

  // --- durable state
  durable_state save(time_ms now_ms) const;
  // Replaces all sessions and retained messages; only valid before any connection is open.
  admin_result restore(const durable_state& state, time_ms now_ms);

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace postcard::broker
