#pragma once
// The world's internals, shared by world.cpp (clock, queue, actions), links.cpp (virtual links and the
// broker sinks) and devices.cpp (device behaviour). Not part of the public API.
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "client/engine.hpp"
#include "event_queue.hpp"
#include "prng.hpp"
#include "world.hpp"

namespace postcard::sim {

constexpr std::uint64_t never = ~std::uint64_t{0};
constexpr std::uint32_t no_device = ~std::uint32_t{0};

enum class item_kind : std::uint8_t {
  deliver = 0,      // head of a link direction's FIFO
  device_timer,     // client engine deadline
  broker_timer,     // broker engine deadline
  device_start,     // first connection
  device_open,      // open a transport (reconnect)
  sample,           // sensor sample
  action,           // scenario action `index`
  step,             // lesson step `index`
};

struct queue_item {
  std::uint64_t time = 0;
  std::uint64_t seq = 0;
  item_kind kind = item_kind::deliver;
  direction dir = direction::up;
  std::uint32_t index = 0;
  friend bool operator>(const queue_item& a, const queue_item& b) {
    return a.time != b.time ? a.time > b.time : a.seq > b.seq;
  }
};

struct in_flight {
  broker::connection_id conn = 0;  // the transport the packet belongs to
  bool close = false;              // a transport close travelling behind the data (FIN / RST)
  std::uint32_t size = 0;          // bytes of the packet at the front of link_side::data
};

struct link_side {
  link_direction cfg;
  prng rng;
  std::uint64_t busy_until_us = 0;  // bandwidth: when the last packet leaves the sender
  std::uint64_t last_delivery = 0;  // FIFO: no packet overtakes the one before
  // The packets in flight, in order, from `fifo_head` on, and their bytes from `head` on: two buffers
  // per direction that keep their capacity, instead of allocations per packet. Emptied when drained,
  // compacted when the consumed prefix grows large.
  std::vector<in_flight> fifo;
  std::size_t fifo_head = 0;
  std::vector<std::uint8_t> data;
  std::size_t head = 0;

  bool empty() const { return fifo_head == fifo.size(); }
  const in_flight& first() const { return fifo[fifo_head]; }
  bytes_view front() const { return bytes_view(data.data() + head, fifo[fifo_head].size); }
  void push(const in_flight& f, bytes_view bytes) {
    fifo.push_back(f);
    data.insert(data.end(), bytes.begin(), bytes.end());
  }
  void pop() {
    head += fifo[fifo_head].size;
    ++fifo_head;
    if (fifo_head == fifo.size()) {
      fifo.clear();
      fifo_head = 0;
      data.clear();
      head = 0;
      return;
    }
    if (fifo_head > 4096 && fifo_head > fifo.size() / 2) {
      fifo.erase(fifo.begin(), fifo.begin() + static_cast<std::ptrdiff_t>(fifo_head));
      fifo_head = 0;
    }
    if (head > 65536 && head > data.size() / 2) {
      data.erase(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(head));
      head = 0;
    }
  }
  void clear() {
    fifo.clear();
    fifo_head = 0;
    data.clear();
    head = 0;
  }
};

// The fields a packet or a sample touches come first, packed into few cache lines (a world of 10,000
// devices does not fit in cache, and each delivery lands on a device touched long ago); the
// configuration, read when a device (re)connects or a template expands, comes last.
struct device_rt {
  std::unique_ptr<client::engine> client;
  broker::connection_id conn = 0;  // current transport, 0 when none
  bool powered = true;
  bool link_down = false;          // half-open or partition: everything vanishes
  bool subscribed = false;         // this engine instance has sent our subscriptions
  std::uint64_t timer_at = never;
  std::size_t broker = 0;
  // counters
  std::uint64_t published = 0, received = 0, connects = 0, offline = 0, packets_lost = 0;
  // sensor
  prng rng;
  double value = 0;
  std::size_t list_pos = 0;
  std::uint64_t seq = 0;
  link_side up, down;
  std::string state;               // actuator state / last sensor value
  std::vector<received_message> messages;
  // Remote mode: the transport the host holds for this device (0 once the world closed it), and the
  // bytes received from it that do not yet make a whole MQTT packet.
  broker::connection_id remote_conn = 0;
  std::vector<std::uint8_t> rx;
  std::uint32_t copy = 0;          // {i}
  device_config cfg;               // expanded: id and topics resolved
  client::options opts;
};

// A broker's open transports -> device. Connection ids are small and handed out in increasing order,
// so a vector indexed by id (no_device when closed) answers each send without hashing.
class conn_table {
 public:
  std::uint32_t device(broker::connection_id conn) const { return conn < devs_.size() ? devs_[conn] : no_device; }
  bool contains(broker::connection_id conn) const { return device(conn) != no_device; }
  void add(broker::connection_id conn, std::uint32_t dev) {
    if (conn >= devs_.size()) devs_.resize(std::size_t{conn} + 1, no_device);
    devs_[conn] = dev;
  }
  bool remove(broker::connection_id conn) {  // true when it was open
    if (!contains(conn)) return false;
    devs_[conn] = no_device;
    return true;
  }

 private:
  std::vector<std::uint32_t> devs_;
};

struct broker_rt : broker::output_sink {
  world_impl* w = nullptr;
  std::uint32_t index = 0;
  std::string name;
  std::unique_ptr<broker::engine> engine;
  conn_table conns;  // open transports -> device
  std::uint64_t timer_at = never;

  void send(broker::connection_id conn, bytes_view bytes) override;
  void close(broker::connection_id conn, broker::disconnect_cause cause) override;
  void event(const broker::event& e) override;
  std::uint32_t event_mask() const override;
};

struct world_impl {
  scenario sc;
  world_options opts;
  transport_host* remote = nullptr;
  std::uint64_t now = 0;
  std::uint64_t next_seq = 0;
  broker::connection_id next_conn = 1;
  event_queue<queue_item> queue;
  std::vector<std::unique_ptr<broker_rt>> brokers;
  std::vector<device_rt> devices;
  std::unordered_map<std::string, std::uint32_t> device_by_id;
  std::vector<sim_event> events;
  sim_stats stats;
  std::vector<step_result> steps;
  std::vector<std::pair<std::uint64_t, std::string>> wills;  // (time, client id)
  // latency: hash(topic, payload) -> publish time, in a fixed open table where newer entries overwrite
  // older ones (a sample is lost only when 2^18 publishes later share its slot): no allocation per message.
  struct sent_slot {
    std::uint64_t key = 0;
    std::uint64_t time = 0;
  };
  static constexpr std::size_t sent_slots = std::size_t{1} << 18;
  std::vector<sent_slot> sent;
  client::output out;  // reused drain buffer
  // Event vectors handed back and forth with `out` (pump is re-entered from event handlers), so the
  // engines' event buffers keep their capacity instead of growing anew after every drain.
  std::vector<std::vector<client::event>> spare_events;

  void push(std::uint64_t t, item_kind k, std::uint32_t index, direction d = direction::up) {
    queue.push(queue_item{t, next_seq++, k, d, index});
  }
  bool recording(sim_event_kind k) const { return (opts.event_mask & sim_event_bit(k)) != 0; }
  sim_event& record(sim_event_kind k, std::uint32_t dev) {
    sim_event& e = events.emplace_back();
    e.kind = k;
    e.time_ms = now;
    e.device = dev;
    return e;
  }
  bool step_due(std::uint64_t limit);  // runs the first item if it is due by `limit`
  void prefetch(const queue_item* after_next, const queue_item* next) const;
  void dispatch(const queue_item& it);
  void apply_action(const action_config& a);
  expect_result check(const expect_config& e) const;  // expect.cpp

  // links.cpp
  void transmit(std::uint32_t dev, direction d, bytes_view bytes, broker::connection_id conn);
  void transmit_close(std::uint32_t dev, direction d, broker::connection_id conn);
  void deliver(std::uint32_t dev, direction d);
  void schedule_broker(std::uint32_t b);
  void open_transport(std::uint32_t dev);
  void set_link_down(std::uint32_t dev, bool down, std::string_view why);
  void close_link(std::uint32_t dev);
  void remote_received(std::uint32_t dev, bytes_view bytes);
  void remote_closed(std::uint32_t dev);

  // devices.cpp
  void start_device(std::uint32_t dev);
  void pump(std::uint32_t dev);
  void schedule_device(std::uint32_t dev);
  void sample(std::uint32_t dev);
  void crash(std::uint32_t dev);
  void device_publish(std::uint32_t dev, const publish_config& p, std::string_view value,
                      std::string_view in_topic = {}, std::string_view in_payload = {});
  void on_client_event(std::uint32_t dev, client::event& ev);
  void note_published(std::string_view topic, std::string_view payload);
  void note_received(std::string_view topic, std::string_view payload);
};

std::uint64_t message_key(std::string_view topic, std::string_view payload);

}  // namespace postcard::sim
