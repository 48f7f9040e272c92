#pragma once
// postcard::sim::world — virtual devices, virtual links and a virtual clock around real engines.
//
// Theory of operation
//   Every device is a real client::engine; every broker is a real broker::engine in the same process.
//   They never talk directly: each device has a link to its broker, one FIFO per direction. Bytes an
//   engine writes are cut into whole MQTT packets; each packet gets a delivery time (bandwidth queueing,
//   latency, jitter, but never reordering: a link is one TCP stream) or is lost (loss probability,
//   half-open link). One priority queue, ordered by (time, insertion sequence), holds everything that
//   will happen: packet deliveries, engine deadlines (keepalive, retries, will delay, expiry), sensor
//   samples, scripted actions and lesson steps. The clock jumps from one item to the next, so an hour of
//   keepalives runs in microseconds, and the engines' `now` is always the virtual clock.
//   Random draws come from seeded per-link and per-device streams, and every container is iterated in a
//   fixed order: the same scenario and seed give the same packets at the same times.
//
//   Clock control belongs to the host: step() runs one item, run_until(t) everything up to t. Paused is
//   "don't call"; real time at x1/x10/x100 is the host calling run_until(start + elapsed * speed).
//
//   Remote mode: with a transport_host the devices talk to a real broker through the host's sockets
//   (no in-process broker); the host feeds received bytes back in. The device's side of each link still
//   applies: the up side delivers to the socket (send/close at delivery time), and received bytes are
//   reassembled into whole packets and go through the down side; half-open and partition drop both ways
//   and hide closes while the socket stays open.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "broker/engine.hpp"
#include "codec/types.hpp"
#include "scenario.hpp"

namespace postcard::sim {

enum class direction : std::uint8_t { up = 0, down = 1 };  // up: device -> broker

enum class sim_event_kind : std::uint8_t {
  packet_sent = 0,       // a packet entered a link: `type`, `bytes`, `deliver_at`, `lost`
  packet_delivered = 1,  // the packet reached the other end
  device_connected = 2,  // CONNACK accepted: `flag` = session present
  device_offline = 3,    // the client lost its connection: `detail` = cause
  device_crashed = 4,    // scripted crash
  message_received = 5,  // an application message: `topic`, `payload`, `qos`, `flag` = retain
  will_fired = 6,        // the broker published a will: `detail` = client id, `topic`
  message_dropped = 7,   // the broker dropped a message: `topic`, `detail` = why
  link_changed = 8,      // half-open, heal, close, partition, new model: `detail`
  action = 9,            // a scripted action ran: `detail`
  step = 10,             // a lesson step was reached: `index`, `flag` = all expectations met
  published = 11,        // a device published: `topic`, `payload`, `qos`
  session_taken_over = 12,  // [MQTT-3.1.4-3] a new connection took the client id: `device` = the old connection's
                            // device (~0u when unknown), `detail` = client id
};
constexpr std::uint32_t sim_event_bit(sim_event_kind k) { return 1u << static_cast<unsigned>(k); }
constexpr std::uint32_t all_sim_events = 0x1FFF;

// Plain data, so a UI (or the wasm border) can take it as is.
struct sim_event {
  sim_event_kind kind = sim_event_kind::packet_sent;
  std::uint64_t time_ms = 0;
  std::uint32_t device = 0;         // device index (see world::device_info), ~0u when none
  std::uint32_t broker = 0;         // broker index
  direction dir = direction::up;
  packet_type type = packet_type::connect;
  std::uint64_t deliver_at = 0;
  bool lost = false;
  bool flag = false;
  std::uint8_t qos = 0;
  std::uint32_t index = 0;
  std::vector<std::uint8_t> bytes;  // the whole packet (packet_sent / packet_delivered)
  std::string topic;
  std::string payload;
  std::string detail;
};

struct received_message {
  std::uint64_t time_ms = 0;
  std::string topic;
  std::string payload;
  std::uint8_t qos = 0;
  bool retain = false;
  bool dup = false;
};

struct device_info {
  std::string id;
  std::size_t broker = 0;
  protocol_version protocol = protocol_version::v3_1_1;
  bool connected = false;
  bool powered = true;
  bool link_down = false;           // half-open or partitioned
  std::string state;                // actuator state, last sensor value
  std::uint64_t published = 0;
  std::uint64_t received = 0;
  std::uint64_t connects = 0;
  std::uint64_t offline = 0;
  std::uint64_t packets_lost = 0;
};

struct sim_stats {
  std::uint64_t published = 0;        // publishes the devices' engines accepted
  std::uint64_t publish_refused = 0;  // refused locally (e.g. offline with QoS 0 queueing off)
  std::uint64_t received = 0;         // application messages delivered to devices
  std::uint64_t duplicates = 0;       // deliveries with DUP set
  std::uint64_t packets_sent = 0;
  std::uint64_t packets_lost = 0;
  std::uint64_t packets_delivered = 0;
  std::uint64_t bytes_sent = 0;
  std::uint64_t wills_fired = 0;
  std::uint64_t connects = 0;
  std::uint64_t disconnects = 0;      // client offline events
  std::uint64_t crashes = 0;
  std::uint64_t broker_dropped = 0;   // messages the broker dropped (no subscribers included)
  std::uint64_t items_processed = 0;  // queue items
  std::vector<std::uint32_t> latency_ms;  // publish -> receive, one sample per delivery matched
  // p in [0, 100]; 0 without samples.
  std::uint32_t latency_percentile(double p) const;
};

struct world_options {
  std::uint32_t event_mask = 0;       // which sim_events to record (drain_events)
  bool keep_messages = true;          // keep every received message per device (expectations need it)
  bool measure_latency = true;
  std::optional<std::uint64_t> seed;  // overrides the scenario's seed
};

// Remote mode: the host owns real transports, one per device.
class transport_host {
 public:
  virtual ~transport_host() = default;
  // Open a transport for device `dev`; answer later with world::transport_opened / transport_closed.
  virtual void open(std::uint32_t dev) = 0;
  virtual void send(std::uint32_t dev, bytes_view bytes) = 0;
  virtual void close(std::uint32_t dev) = 0;  // without DISCONNECT when the device crashes
};

struct expect_result {
  bool met = false;
  bool checked = true;   // false when it cannot be checked (e.g. broker state in remote mode)
  std::string message;   // what was expected and what was seen
};

struct step_result {
  std::size_t step = 0;
  std::uint64_t time_ms = 0;
  std::vector<expect_result> results;
};

struct world_impl;

class world {
 public:
  explicit world(scenario sc, world_options opts = {}, transport_host* remote = nullptr);
  ~world();
  world(const world&) = delete;
  world& operator=(const world&) = delete;

  // ---- clock
  std::uint64_t now() const;
  std::optional<std::uint64_t> next_time() const;  // of the next queued item
  bool step();                                     // runs one item; false when nothing is queued
  void run_until(std::uint64_t t_ms);              // runs every item due by t, then the clock shows t
  void run();                                      // run_until(duration)
  bool finished() const;                           // the clock reached the scenario's duration

  // ---- commands (at the current time), as scenario actions
  void apply(const action_config& a);

  // ---- observation
  const scenario& config() const;
  std::vector<sim_event> drain_events();
  const sim_stats& stats() const;
  std::size_t device_count() const;
  device_info device(std::size_t i) const;
  std::optional<std::size_t> find_device(std::string_view id) const;
  const std::vector<received_message>& messages(std::size_t device) const;
  std::size_t broker_count() const;
  broker::engine* broker_engine(std::size_t i);  // nullptr in remote mode
  const std::vector<step_result>& step_results() const;
  expect_result check(const expect_config& e) const;

  // ---- remote mode: the host reports its transports (bytes in any split); each report first runs the
  // world up to now_ms, so it takes its place among the queued items
  void transport_opened(std::uint32_t dev, std::uint64_t now_ms);
  void transport_received(std::uint32_t dev, bytes_view bytes, std::uint64_t now_ms);
  void transport_closed(std::uint32_t dev, std::uint64_t now_ms);

 private:
  std::unique_ptr<world_impl> impl_;
};

// Replaces {id}, {i} in a device template string.
std::string expand_device_template(std::string_view text, std::string_view id, std::uint32_t i);

}  // namespace postcard::sim
