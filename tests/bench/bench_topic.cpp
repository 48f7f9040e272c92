// Topic engine benchmarks (Google Benchmark). Run a Release build by hand:
//   build/bin/bench_topic --benchmark_counters_tabular=true
//
// Subscriptions follow an IoT-like mix (fixed seed): 90% exact filters such as
// "site/S/device/D/sensor/K", 7% with a '+' level, 3% ending in '#'. The probed topics sit in
// site 0 and get 1, 10 or 100 matches from a few extra wildcard filters with many subscribers;
// every benchmark reports the matches it actually got. Depth 3, 6 and 9 use the same mix with
// shorter or longer topics ("S/D/K", ..., "region/eu/site/S/device/D/sensor/K/value": two nodes
// per subscription at depth 9). Memory: B/sub is the heap in use (mallinfo2) after the build,
// divided by the subscriptions; RSS_B/sub is only meaningful for the first world built (later
// ones reuse pages the previous world freed). On a busy machine, read the CPU column.
#include <benchmark/benchmark.h>

#include <malloc.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "topic/retained_store.hpp"
#include "topic/subscription_trie.hpp"

namespace {

using namespace postcard::topic;

// A topic pattern: "{s}", "{d}", "{k}" stand for the site, device and sensor numbers.
std::vector<std::string> pattern(int depth) {
  switch (depth) {
    case 3: return {"{s}", "{d}", "{k}"};
    case 9: return {"region", "eu", "site", "{s}", "device", "{d}", "sensor", "{k}", "value"};
    default: return {"site", "{s}", "device", "{d}", "sensor", "{k}"};
  }
}

// wild: the placeholder replaced by '+' (or 0); hash_after: cut after that placeholder, add '#'.
std::string make(const std::vector<std::string>& p, long s, long d, long k, char wild = 0,
                 char hash_after = 0) {
  std::string out;
  for (const std::string& level : p) {
    if (!out.empty()) out += '/';
    if (level.size() == 3 && level[0] == '{') {
      const char which = level[1];
      if (which == wild) {
        out += '+';
      } else {
        out += std::to_string(which == 's' ? s : which == 'd' ? d : k);
      }
      if (which == hash_after) return out + "/#";
    } else {
      out += level;
    }
  }
  return out;
}

struct world {
  long subscriptions = 0;
  int depth = 0;
  subscription_trie trie;
  double heap_bytes_per_subscription = 0;
  double rss_bytes_per_subscription = 0;
  double build_seconds = 0;
};

std::size_t heap_in_use() { return mallinfo2().uordblks; }

// Resident set size in bytes (Linux), for the RSS delta of a build.
double rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  double pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * 4096.0;
}

// Probe topic for m matches: site 0, device and sensor n = probe_number(m) (1 -> exact only).
long probe_number(long m) { return m == 100 ? 50 : m; }
std::string probe(int depth, long m) {
  return make(pattern(depth), 0, probe_number(m), probe_number(m));
}

std::unique_ptr<world> build(long n, int depth) {
  auto w = std::make_unique<world>();
  w->subscriptions = n;
  w->depth = depth;
  const auto p = pattern(depth);
  std::mt19937 rng(42);
  const std::size_t heap_before = heap_in_use();
  const double rss_before = rss_bytes();
  const auto t0 = std::chrono::steady_clock::now();
  const long exact = n * 90 / 100;
  const long sites = exact / 10000 + 1;
  subscriber_id id = 1;
  subscription_options o;
  // 90% exact: every (site, device, sensor) in turn.
  for (long i = 0; i < exact; ++i) w->trie.insert(make(p, i / 10000, i / 100 % 100, i % 100), id++, o);
  // 7% with a '+' for the site or the device; sensors 100..199 never match the probes.
  std::uniform_int_distribution<long> site(0, sites - 1), num(0, 99), sensor(100, 199);
  for (long i = 0; i < n * 7 / 100; ++i) {
    w->trie.insert(make(p, site(rng), num(rng), sensor(rng), i % 2 ? 's' : 'd'), id++, o);
  }
  // 3% ending in '#', in other sites (after a site or a device level).
  for (long i = 0; i < n * 3 / 100; ++i) {
    w->trie.insert(make(p, sites + site(rng), num(rng), 0, 0, i % 4 ? 'd' : 's'), id++, o);
  }
  // The probes: topic m gets m matches: its exact filter plus (m - 1) subscribers spread over
  // "...{d}/#", a '+' site and a '+' sensor.
  for (long m : {10L, 100L}) {
    for (long j = 0; j < m - 1; ++j) {
      const char kind = j % 3 == 0 ? 'h' : j % 3 == 1 ? 's' : 'k';
      const long x = probe_number(m);
      const std::string f = kind == 'h' ? make(p, 0, x, x, 0, 'd') : make(p, 0, x, x, kind);
      w->trie.insert(f, id++, o);
    }
  }
  w->build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  w->heap_bytes_per_subscription =
      static_cast<double>(heap_in_use() - heap_before) / static_cast<double>(w->trie.size());
  w->rss_bytes_per_subscription = (rss_bytes() - rss_before) / static_cast<double>(w->trie.size());
  return w;
}

// One world at a time (1M subscriptions take a few hundred MB): rebuilt when the shape changes.
world& get(long n, int depth) {
  static std::unique_ptr<world> current;
  if (!current || current->subscriptions != n || current->depth != depth) {
    current.reset();
    current = build(n, depth);
  }
  return *current;
}

// Args: subscriptions, depth, wanted matches.
void BM_trie_match(benchmark::State& state) {
  world& w = get(state.range(0), static_cast<int>(state.range(1)));
  const std::string topic = probe(w.depth, state.range(2));
  std::vector<const subscriber_entry*> subs;
  std::vector<shared_group*> groups;
  for (auto _ : state) {
    subs.clear();
    groups.clear();
    w.trie.match(topic, subs, groups);
    benchmark::DoNotOptimize(subs.data());
  }
  state.counters["subs"] = static_cast<double>(w.trie.size());
  state.counters["depth"] = w.depth;
  state.counters["matches"] = static_cast<double>(subs.size());
  state.counters["B/sub"] = w.heap_bytes_per_subscription;
  state.counters["RSS_B/sub"] = w.rss_bytes_per_subscription;
  state.counters["build_s"] = w.build_seconds;
}
// Matches at 1M subscriptions, depth 6.
BENCHMARK(BM_trie_match)->Args({1000000, 6, 1})->Args({1000000, 6, 10})->Args({1000000, 6, 100});
// Subscription count, same topic: 10k, 100k, 1M.
BENCHMARK(BM_trie_match)->Args({10000, 6, 1})->Args({10000, 6, 10});
BENCHMARK(BM_trie_match)->Args({100000, 6, 1})->Args({100000, 6, 10});
// Depth at 1M subscriptions.
BENCHMARK(BM_trie_match)->Args({1000000, 3, 1})->Args({1000000, 3, 10});
BENCHMARK(BM_trie_match)->Args({1000000, 9, 1})->Args({1000000, 9, 10});

// Retained store with 100k topics "site/S/device/D/sensor/K" (10 sites x 100 x 100).
struct retained_world {
  retained_store<std::string> store;
  double heap_bytes_per_topic = 0;
};

retained_world& retained() {
  static retained_world* w = [] {
    auto* r = new retained_world;
    const std::size_t before = heap_in_use();
    const auto p = pattern(6);
    for (long i = 0; i < 100000; ++i) {
      r->store.set(make(p, i / 10000, i / 100 % 100, i % 100), std::string(16, 'x'));
    }
    r->heap_bytes_per_topic =
        static_cast<double>(heap_in_use() - before) / static_cast<double>(r->store.size());
    return r;
  }();
  return *w;
}

const char* const retained_filters[] = {
    "site/3/device/7/sensor/7",  // exact: 1
    "site/3/device/7/sensor/+",  // 100
    "site/3/device/+/sensor/7",  // 100, across 100 devices
    "site/+/device/7/sensor/7",  // 10
    "site/3/device/7/#",         // 100
    "site/3/#",                  // 10,000
    "#",                         // 100,000
    "other/#",                   // 0
};

void BM_retained_match(benchmark::State& state) {
  retained_world& w = retained();
  const char* filter = retained_filters[state.range(0)];
  std::size_t found = 0;
  for (auto _ : state) {
    found = 0;
    w.store.match(filter, [&](std::string_view, const std::string& m) { found += m.size() ? 1 : 0; });
    benchmark::DoNotOptimize(found);
  }
  state.SetLabel(filter);
  state.counters["retained"] = static_cast<double>(w.store.size());
  state.counters["matches"] = static_cast<double>(found);
  state.counters["B/topic"] = w.heap_bytes_per_topic;
}
BENCHMARK(BM_retained_match)->DenseRange(0, 7);

}  // namespace
