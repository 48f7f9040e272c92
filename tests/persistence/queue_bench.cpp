// postcard-queue-bench: the cost of persisting a long queue, in process (the broker engine and the
// native durable_store, no sockets): every engine input's records are committed with one write() and
// compaction runs when due, as the native broker does (broker_persistence.cpp). Prints figures only.
//   postcard-queue-bench DIR queue N [SECONDS=60]
//       an offline persistent QoS 1 subscriber; N messages published to it (one input each); then the
//       state is reloaded (open + restore) and the queue drained, one PUBACK per input. A phase that
//       runs past SECONDS stops and prints how far it got.
//   postcard-queue-bench DIR recover RETAINED QUEUED
//       writes RETAINED retained messages and a session with QUEUED queued messages, compacts, then
//       times loading the files and engine.restore().
// Only the engine's and the store's public API is used, so the same file builds against older trees.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "broker/engine.hpp"
#include "persistence/durable_store.hpp"

namespace {

using namespace postcard;
namespace pp = postcard::native::persistence;
using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point t) {
  return std::chrono::duration<double>(clock_type::now() - t).count();
}

struct host : broker::output_sink {
  pp::durable_store* store = nullptr;
  std::vector<std::uint16_t> ids;  // QoS 1 PUBLISH packet ids sent, in order
  void send(broker::connection_id, bytes_view b) override {
    std::size_t at = 0;
    while (at < b.size()) {
      const std::uint8_t first = b[at];
      std::size_t len = 0, shift = 0, pos = at + 1;
      while (true) {
        len |= std::size_t{static_cast<std::uint8_t>(b[pos] & 0x7F)} << shift;
        shift += 7;
        if ((b[pos++] & 0x80) == 0) break;
      }
      if ((first & 0xF0) == 0x30 && ((first >> 1) & 3) == 1) {
        const std::size_t topic = std::size_t{b[pos]} << 8 | b[pos + 1];
        const std::size_t id_at = pos + 2 + topic;
        ids.push_back(static_cast<std::uint16_t>(b[id_at] << 8 | b[id_at + 1]));
      }
      at = pos + len;
    }
  }
  void close(broker::connection_id, broker::disconnect_cause) override {}
  void durable(const broker::durable_change& c) override {
    if (store) store->record(c);
  }
  bool wants_durable_changes() const override { return store != nullptr; }
};

struct rig {
  host h;
  broker::engine e;
  pp::durable_store store;
  broker::time_ms now = 1'800'000'000'000;
  explicit rig(const std::string& path, const broker::config& cfg)
      : e(cfg, h), store(options(path), [](pp::store_log_level, std::string_view line) {
          std::fprintf(stderr, "  [store] %.*s\n", static_cast<int>(line.size()), line.data());
        }) {
    h.store = &store;
  }
  static pp::store_options options(const std::string& path) {
    pp::store_options o;
    o.path = path;
    o.autosave_interval = 0;  // compaction by log size only, as a busy broker between autosaves
    return o;
  }
  // After every input, as broker_persistence does.
  void commit() {
    store.commit();
    if (store.compaction_due()) store.compact(e.save(now));
  }
  void receive(broker::connection_id c, std::vector<std::uint8_t> bytes) {
    e.receive(c, bytes_view{bytes.data(), bytes.size()}, ++now);
    commit();
  }
};

const std::vector<std::uint8_t> connect_sub = {0x10, 15, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x00, 0, 0, 0, 3, 's', 'u', 'b'};
const std::vector<std::uint8_t> subscribe_q = {0x82, 6, 0, 1, 0, 1, 'q', 1};

broker::config bench_config() {
  broker::config c;
  c.max_queued_messages = 0;  // unlimited
  return c;
}

int queue(const std::string& dir, std::size_t n, double cap) {
  const std::string path = dir + "/queue.db";
  std::filesystem::remove_all(dir);
  const std::vector<std::uint8_t> payload(64, 'x');
  std::size_t filled = 0;
  {
    rig r(path, bench_config());
    broker::durable_state st;
    if (auto err = r.store.open(st); !err.empty()) return std::fprintf(stderr, "%s\n", err.c_str()), 1;
    r.e.open(1, {}, ++r.now);
    r.receive(1, connect_sub);
    r.receive(1, subscribe_q);
    r.e.closed(1, ++r.now);
    r.commit();
    const auto t0 = clock_type::now();
    for (; filled < n; ++filled) {
      r.e.publish("q", bytes_view{payload.data(), payload.size()}, 1, false, {}, ++r.now);
      r.commit();
      if ((filled & 255) == 0 && seconds_since(t0) > cap) break;
    }
    const double s = seconds_since(t0);
    std::printf("queue N=%zu: persisted %zu queued messages in %.3f s (%.1f us/message, %.0f messages/s)%s; "
                "%llu compactions, log %.1f MB\n",
                n, filled, s, 1e6 * s / static_cast<double>(filled ? filled : 1), static_cast<double>(filled) / s,
                filled < n ? " [stopped at the time cap]" : "",
                static_cast<unsigned long long>(r.store.stats().compactions),
                static_cast<double>(r.store.stats().log_bytes) / 1e6);
    std::fflush(stdout);
  }
  // Reload and drain, one PUBACK per input.
  const auto t_load = clock_type::now();
  rig r(path, bench_config());
  broker::durable_state st;
  if (auto err = r.store.open(st); !err.empty()) return std::fprintf(stderr, "%s\n", err.c_str()), 1;
  std::size_t queued = 0;
  for (const auto& s : st.sessions) queued += s.outgoing.size();
  if (r.e.restore(st, ++r.now) != broker::admin_result::ok) return std::fprintf(stderr, "restore failed\n"), 1;
  std::printf("queue N=%zu: reloaded %zu queued messages in %.3f s\n", n, queued, seconds_since(t_load));
  r.e.open(1, {}, ++r.now);
  r.receive(1, connect_sub);
  const auto t0 = clock_type::now();
  std::size_t acked = 0;
  while (acked < r.h.ids.size()) {
    const std::uint16_t id = r.h.ids[acked++];
    r.receive(1, {0x40, 2, static_cast<std::uint8_t>(id >> 8), static_cast<std::uint8_t>(id & 0xFF)});
    if ((acked & 255) == 0 && seconds_since(t0) > cap) break;
  }
  const double s = seconds_since(t0);
  std::printf("queue N=%zu: drained %zu of %zu messages in %.3f s (%.0f messages/s)%s; %llu compactions\n", n, acked,
              queued, s, static_cast<double>(acked) / s, acked < queued ? " [stopped at the time cap]" : "",
              static_cast<unsigned long long>(r.store.stats().compactions));
  std::filesystem::remove_all(dir);
  return 0;
}

int recover(const std::string& dir, std::size_t retained, std::size_t queued) {
  const std::string path = dir + "/recover.db";
  std::filesystem::remove_all(dir);
  const std::vector<std::uint8_t> payload(64, 'r');
  {
    rig r(path, bench_config());
    broker::durable_state st;
    if (auto err = r.store.open(st); !err.empty()) return std::fprintf(stderr, "%s\n", err.c_str()), 1;
    const auto t0 = clock_type::now();
    for (std::size_t i = 0; i < retained; ++i) {
      r.e.publish("r/" + std::to_string(i / 1000) + "/" + std::to_string(i % 1000),
                  bytes_view{payload.data(), payload.size()}, 0, true, {}, ++r.now);
      if (i % 1000 == 999) r.commit();
    }
    r.e.open(1, {}, ++r.now);
    r.receive(1, connect_sub);
    r.receive(1, subscribe_q);
    r.e.closed(1, ++r.now);
    for (std::size_t i = 0; i < queued; ++i) {
      r.e.publish("q", bytes_view{payload.data(), payload.size()}, 1, false, {}, ++r.now);
      r.commit();
    }
    r.store.compact(r.e.save(r.now));
    std::printf("recover: wrote %zu retained + %zu queued in %.2f s; snapshot %.1f MB\n", retained, queued,
                seconds_since(t0), static_cast<double>(r.store.stats().snapshot_bytes) / 1e6);
  }
  const auto t0 = clock_type::now();
  rig r(path, bench_config());
  broker::durable_state st;
  if (auto err = r.store.open(st); !err.empty()) return std::fprintf(stderr, "%s\n", err.c_str()), 1;
  const double loaded = seconds_since(t0);
  if (r.e.restore(st, ++r.now) != broker::admin_result::ok) return std::fprintf(stderr, "restore failed\n"), 1;
  std::printf("recover: files loaded and decoded in %.2f s, engine restored after %.2f s in all\n", loaded,
              seconds_since(t0));
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 4 && std::string(argv[2]) == "queue") {
    return queue(argv[1], std::strtoull(argv[3], nullptr, 10), argc > 4 ? std::atof(argv[4]) : 60.0);
  }
  if (argc >= 5 && std::string(argv[2]) == "recover") {
    return recover(argv[1], std::strtoull(argv[3], nullptr, 10), std::strtoull(argv[4], nullptr, 10));
  }
  std::fprintf(stderr, "usage: %s DIR queue N [SECONDS] | DIR recover RETAINED QUEUED\n", argv[0]);
  return 2;
}
