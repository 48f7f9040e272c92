// Broker engine benchmark: the engine alone, fed pre-encoded PUBLISH bytes, counting the bytes it emits.
// A plain main (no Google Benchmark) so the same file also builds with em++ and runs under Node:
//   native: build-<x>/bin/bench_broker
//   wasm:   em++ -O3 -std=c++20 -Icore tests/bench/bench_broker.cpp build-wasm-<x>/core/libpostcard_core.a
//             -sALLOW_MEMORY_GROWTH=1 -o /tmp/bench_broker.js && node /tmp/bench_broker.js
// Scenarios (one PUBLISH per receive() call, as one TCP read would carry it):
//   qos0 1->1        one publisher, one subscriber
//   qos0 16->16      16 publisher/subscriber pairs on 16 topics, interleaved
//   qos0 fan-out     one publisher, 1000 subscribers of the same topic
//   qos0 fan-in      16 publishers on 16 topics, one subscriber of "bench/in/+"
//   qos1 1->1        QoS 1 both ways: PUBACK to the publisher, the subscriber's PUBACK fed back
#include <chrono>
#include <ctime>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "broker/engine.hpp"
#include "broker/state.hpp"  // sizes of the per-connection and per-session records
#include "codec/codec.hpp"

// Every allocation in the process is counted, to show what the delivery path allocates.
static std::uint64_t g_allocations = 0;
void* operator new(std::size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  std::abort();
}
// g++ 12 (-O1, the sanitizer tree) inlines these into `new T` sites and warns of free() on memory from
// operator new: it does not see that the operator new above is malloc.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace {

using namespace postcard;
using namespace postcard::broker;
using bytes = std::vector<std::uint8_t>;

struct counting_sink : output_sink {
  std::uint64_t bytes_out = 0;
  std::uint64_t sends = 0;
  connection_id ack_conn = 0;           // subscriber whose QoS 1 publishes we acknowledge
  std::vector<std::uint16_t> to_ack;    // packet ids seen for ack_conn
  void send(connection_id conn, bytes_view b) override {
    bytes_out += b.size();
    ++sends;
    if (conn != ack_conn) return;
    for (std::size_t i = 0; i < b.size();) {  // walk the packets, collect QoS 1 PUBLISH ids
      const std::uint8_t first = b[i];
      std::size_t pos = i + 1;
      std::uint32_t len = 0;
      unsigned shift = 0;
      while (b[pos] & 0x80) {
        len |= static_cast<std::uint32_t>(b[pos] & 0x7F) << shift;
        shift += 7;
        ++pos;
      }
      len |= static_cast<std::uint32_t>(b[pos]) << shift;
      ++pos;
      if ((first >> 4) == 3 && (first & 0x06) == 0x02) {
        const std::size_t tl = std::size_t{b[pos]} << 8 | b[pos + 1];
        const std::size_t idp = pos + 2 + tl;
        to_ack.push_back(static_cast<std::uint16_t>(b[idp] << 8 | b[idp + 1]));
      }
      i = pos + len;
    }
  }
  void close(connection_id, disconnect_cause) override {}
};

// name + number, appended (g++ 12 -O3 warns falsely on operator+ of a literal and a temporary string)
std::string numbered(std::string_view name, std::size_t n) {
  std::string s(name);
  s += std::to_string(n);
  return s;
}

bytes encoded(const packet& p) {
  bytes b;
  encode(p, protocol_version::v5, b);
  return b;
}

void connect(engine& e, connection_id id, time_ms now) {
  e.open(id, connection_info{}, now);
  connect_packet c;
  const std::string cid = numbered("c", id);
  c.client_id = cid;
  c.keep_alive = 0;
  e.receive(id, encoded(packet{c}), now);
}

void subscribe(engine& e, connection_id id, std::string_view filter, std::uint8_t q, time_ms now) {
  subscribe_packet s;
  s.packet_id = 1;
  s.topics.push_back({filter, static_cast<qos>(q)});
  e.receive(id, encoded(packet{s}), now);
}

bytes publish_bytes(std::string_view topic, std::size_t payload_size, std::uint8_t q, std::uint16_t id) {
  publish_packet p;
  p.topic = topic;
  static const std::string payload(4096, 'x');
  p.payload = as_bytes(std::string_view(payload).substr(0, payload_size));
  p.qos_level = static_cast<qos>(q);
  p.packet_id = q ? id : 0;
  return encoded(packet{p});
}

struct result {
  const char* name;
  std::uint64_t deliveries;
  double seconds;      // wall clock
  double cpu_seconds;  // process CPU time (the machine may be shared: this is the figure to compare)
  std::uint64_t bytes_out;
  std::uint64_t messages;     // PUBLISH packets fed in
  std::uint64_t allocations;  // operator new calls during the measured loop
};

// Wall and CPU time since construction.
struct stopwatch {
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  std::clock_t cpu = std::clock();
  std::uint64_t allocations = g_allocations;
  std::uint64_t allocs() const { return g_allocations - allocations; }
  double wall_s() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count(); }
  double cpu_s() const { return static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC; }
};

void print(const result& r) {
  const double ns = r.cpu_seconds * 1e9 / static_cast<double>(r.deliveries);
  std::printf("%-14s %12llu %8.3f %8.3f %14.0f %10.1f %14llu %12.2f\n", r.name,
              static_cast<unsigned long long>(r.deliveries), r.seconds, r.cpu_seconds,
              static_cast<double>(r.deliveries) / r.cpu_seconds, ns, static_cast<unsigned long long>(r.bytes_out),
              static_cast<double>(r.allocations) / static_cast<double>(r.messages));
}

config bench_config() {
  config cfg;
  cfg.sys_interval = 0;
  cfg.max_queued_messages = 0;
  return cfg;
}


// pubs publishers, subs subscribers; publisher i publishes to topics[i % topics.size()].
result run_qos0(const char* name, std::size_t pubs, std::size_t subs, const std::vector<std::string>& filters,
                const std::vector<std::string>& topics, std::size_t messages, std::size_t payload) {
  counting_sink sink;
  engine e(bench_config(), sink);
  time_ms now = 1;
  for (std::size_t i = 0; i < subs; ++i) {
    const auto id = static_cast<connection_id>(1 + i);
    connect(e, id, now);
    subscribe(e, id, filters[i % filters.size()], 0, now);
  }
  std::vector<bytes> frames;
  for (const auto& t : topics) frames.push_back(publish_bytes(t, payload, 0, 0));
  for (std::size_t i = 0; i < pubs; ++i) connect(e, static_cast<connection_id>(100000 + i), now);
  const std::uint64_t sent_before = e.stats(now).publish_sent;
  sink.bytes_out = 0;
  const stopwatch sw;
  for (std::size_t m = 0; m < messages; ++m) {
    const std::size_t p = m % pubs;
    e.receive(static_cast<connection_id>(100000 + p), frames[p % frames.size()], now);
  }
  return {name,           e.stats(now).publish_sent - sent_before, sw.wall_s(), sw.cpu_s(), sink.bytes_out,
          messages,       sw.allocs()};
}

result run_qos1(std::size_t messages, std::size_t payload) {
  counting_sink sink;
  engine e(bench_config(), sink);
  time_ms now = 1;
  connect(e, 1, now);
  subscribe(e, 1, "bench/q1", 1, now);
  connect(e, 2, now);
  sink.ack_conn = 1;
  std::vector<bytes> frames;
  for (std::uint16_t id = 1; id <= 64; ++id) frames.push_back(publish_bytes("bench/q1", payload, 1, id));
  bytes puback = encoded(packet{ack_packet{packet_type::puback, 1, reason_code::success, {}}});
  const std::size_t id_at = puback.size() - 2;  // v5 PUBACK success without properties: id is last
  sink.bytes_out = 0;
  const std::uint64_t sent_before = e.stats(now).publish_sent;
  const stopwatch sw;
  for (std::size_t m = 0; m < messages; ++m) {
    e.receive(2, frames[m % frames.size()], now);
    for (std::uint16_t id : sink.to_ack) {
      puback[id_at] = static_cast<std::uint8_t>(id >> 8);
      puback[id_at + 1] = static_cast<std::uint8_t>(id & 0xFF);
      e.receive(1, puback, now);
    }
    sink.to_ack.clear();
  }
  return {"qos1 1->1",    e.stats(now).publish_sent - sent_before, sw.wall_s(), sw.cpu_s(), sink.bytes_out,
          messages,       sw.allocs()};
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t scale = argc > 1 ? static_cast<std::size_t>(std::stoul(argv[1])) : 1;
  const std::size_t payload = 64;
  std::printf("broker engine, %zu-byte payloads, one PUBLISH per receive()\n", payload);
  std::printf("%-14s %12s %8s %8s %14s %10s %14s %12s\n", "scenario", "deliveries", "wall s", "cpu s",
              "deliv/cpu-s", "ns/deliv", "bytes out", "allocs/msg");
  std::vector<std::string> pair_topics;
  std::vector<std::string> in_topics;
  for (int i = 0; i < 16; ++i) {
    pair_topics.push_back(numbered("bench/pair/", static_cast<std::size_t>(i)));
    in_topics.push_back(numbered("bench/in/", static_cast<std::size_t>(i)));
  }
  print(run_qos0("qos0 1->1", 1, 1, {"bench/one"}, {"bench/one"}, 1'000'000 * scale, payload));
  print(run_qos0("qos0 16->16", 16, 16, pair_topics, pair_topics, 1'000'000 * scale, payload));
  print(run_qos0("qos0 fan-out", 1, 1000, {"bench/fan"}, {"bench/fan"}, 2'000 * scale, payload));
  print(run_qos0("qos0 fan-in", 16, 1, {"bench/in/+"}, in_topics, 1'000'000 * scale, payload));
  print(run_qos1(500'000 * scale, payload));
  std::printf("per idle connection: connection %zu bytes + session %zu bytes (before buffers and strings)\n",
              sizeof(postcard::broker::connection), sizeof(postcard::broker::session));
  return 0;
}
