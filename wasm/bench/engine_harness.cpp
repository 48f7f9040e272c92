// The broker engine alone, natively and as wasm: P publishers, S subscribers on "bench/#", QoS 0
// deliveries per second (16-byte payloads, 64 PUBLISHes per receive()). The same source gives the
// wasm/native ratio:
//   native: g++ -O3 -std=c++20 -Icore wasm/bench/engine_harness.cpp build/core/libpostcard_core.a -o /tmp/harness
//   wasm:   cmake --build build-wasm --target postcard_engine_harness && node build-wasm/bin/postcard_engine_harness.js
// Each shape runs `repeats` times (first argument, default 3) and prints the best run, by wall clock and
// by the process's CPU time (native: std::clock; Node: process.cpuUsage(), which also counts V8's
// compiler and GC threads). On a shared machine compare the CPU figures, native and wasm back to back.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

#include "broker/engine.hpp"
#include "codec/codec.hpp"

namespace {

using namespace postcard;

double cpu_seconds() {
#ifdef __EMSCRIPTEN__
  return EM_ASM_DOUBLE({
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  });
#else
  return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
#endif
}

struct rate {
  double wall = 0;  // deliveries per wall-clock second
  double cpu = 0;   // deliveries per CPU second
};

struct counting_sink final : broker::output_sink {
  std::uint32_t subscribers = 0;  // connections 1..subscribers are the subscribers
  std::uint64_t bytes = 0;
  void send(broker::connection_id conn, bytes_view b) override {
    if (conn <= subscribers) bytes += b.size();
  }
  void close(broker::connection_id, broker::disconnect_cause) override {}
};

std::vector<std::uint8_t> encoded(const packet& p) {
  std::vector<std::uint8_t> out;
  encode(p, protocol_version::v3_1_1, out);
  return out;
}

struct shape {
  const char* name;
  std::uint32_t pubs, subs, messages;
};

rate run(const shape& s, std::uint8_t qos_level) {
  counting_sink sink;
  sink.subscribers = s.subs;
  broker::config cfg;
  cfg.max_queued_messages = 0;
  cfg.sys_interval = 0;
  broker::engine engine{cfg, sink};
  std::uint64_t now = 1;
  auto connect_as = [&](broker::connection_id conn, const std::string& id) {
    engine.open(conn, {}, now);
    connect_packet c;
    c.version = protocol_version::v3_1_1;
    c.client_id = id;
    engine.receive(conn, encoded(c), now);
  };
  for (std::uint32_t i = 1; i <= s.subs; ++i) {
    connect_as(i, "sub" + std::to_string(i));
    subscribe_packet sub;
    sub.packet_id = 1;
    sub.topics.push_back({"bench/#", static_cast<qos>(qos_level)});
    engine.receive(i, encoded(sub), now);
  }
  std::vector<std::vector<std::uint8_t>> writes;
  const std::vector<std::uint8_t> payload(16, 'x');
  std::string topics[64];
  for (std::uint32_t p = 0; p < s.pubs; ++p) {
    connect_as(s.subs + 1 + p, "pub" + std::to_string(p));
    topics[p] = "bench/" + std::to_string(p);
    std::vector<std::uint8_t> chunk;
    for (std::uint16_t i = 0; i < 64; ++i) {
      publish_packet pub;
      pub.topic = topics[p];
      pub.qos_level = static_cast<qos>(qos_level);
      pub.packet_id = qos_level ? static_cast<std::uint16_t>(i + 1) : 0;
      pub.payload = payload;
      const auto one = encoded(pub);
      chunk.insert(chunk.end(), one.begin(), one.end());
    }
    writes.push_back(std::move(chunk));
  }
  publish_packet sample;
  sample.topic = "bench/0";
  sample.payload = payload;
  const auto delivered_size = encoded(sample).size();
  sink.bytes = 0;
  const std::uint32_t rounds = s.messages / 64 / s.pubs;
  const auto t0 = std::chrono::steady_clock::now();
  const double c0 = cpu_seconds();
  for (std::uint32_t r = 0; r < rounds; ++r)
    for (std::uint32_t p = 0; p < s.pubs; ++p) engine.receive(s.subs + 1 + p, writes[p], ++now);
  const double cpu = cpu_seconds() - c0;
  const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - t0;
  const auto deliveries = static_cast<double>(sink.bytes / delivered_size);
  return {deliveries / seconds.count(), deliveries / cpu};
}

}  // namespace

int main(int argc, char** argv) {
  const int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
  const shape shapes[] = {{"1->1", 1, 1, 2'000'000}, {"16->16", 16, 16, 250'000}, {"1->1000", 1, 1000, 4'000}};
  for (const auto& s : shapes) {
    rate best;
    for (int i = 0; i < repeats; ++i) {
      const rate r = run(s, 0);
      best.wall = std::max(best.wall, r.wall);
      best.cpu = std::max(best.cpu, r.cpu);
    }
    std::printf("engine QoS0 %-8s %12.0f deliveries/s wall %12.0f deliveries/cpu-s\n", s.name, best.wall,
                best.cpu);
  }
  return 0;
}
