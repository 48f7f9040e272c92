// Simulator benchmark (prints figures): simulated packets per second as fast as possible, and the CPU a
// 10,000-device world at 1 message/s costs in real time.
//   postcard-sim-bench [--realtime-seconds N] [--pattern 1-4]   (--pattern: run only that world, e.g. to profile it)
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "world.hpp"

namespace {

using namespace postcard;
using namespace postcard::sim;
using steady = std::chrono::steady_clock;

scenario load_world(std::uint32_t sensors, std::uint32_t every_ms, std::uint32_t dashboards, qos q,
                    std::uint64_t duration_ms) {
  scenario sc;
  sc.title = "bench";
  sc.duration_ms = duration_ms;
  sc.brokers.push_back({});
  sc.brokers[0].config.sys_interval = 0;
  device_config s;
  s.id = "sensor-{i}";
  s.count = sensors;
  s.kind = device_kind::sensor;
  s.link.up.latency_ms = s.link.down.latency_ms = 5;
  s.link.up.jitter_ms = s.link.down.jitter_ms = 2;
  sensor_config sen;
  sen.publish.topic = "bench/{id}/value";
  sen.publish.qos_level = q;
  sen.every_ms = every_ms;
  sen.jitter_ms = every_ms / 10;
  sen.generator.kind = generator_kind::random_walk;
  sen.generator.value = 50;
  s.sensor = sen;
  sc.devices.push_back(s);
  device_config d;
  d.id = "dashboard-{i}";
  d.count = dashboards;
  d.kind = device_kind::subscriber;
  d.link.up.latency_ms = d.link.down.latency_ms = 5;
  d.subscriptions.push_back({"bench/#", q});
  sc.devices.push_back(d);
  return sc;
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

void fast(const char* name, scenario sc) {
  world_options o;
  o.keep_messages = false;
  world w(std::move(sc), o);
  const auto t1 = steady::now();
  const double cpu0 = cpu_seconds();
  w.run();
  const double cpu = cpu_seconds() - cpu0;
  const double s = std::chrono::duration<double>(steady::now() - t1).count();
  const sim_stats& st = w.stats();
  // Packets per CPU second is the figure to compare: on a shared machine wall time includes waiting.
  std::printf("%-46s %9.0f packets/CPU-s %9.0f packets/s wall  %9.0f deliveries/CPU-s  (%llu packets, %llu delivered, "
              "%.0f virtual s in %.2f CPU s / %.2f s; p50 %u ms p99 %u ms)\n",
              name, static_cast<double>(st.packets_sent) / cpu, static_cast<double>(st.packets_sent) / s,
              static_cast<double>(st.received) / cpu, static_cast<unsigned long long>(st.packets_sent),
              static_cast<unsigned long long>(st.received), static_cast<double>(w.now()) / 1000.0, cpu, s,
              st.latency_percentile(50), st.latency_percentile(99));
}

void realtime(std::uint32_t devices, double seconds) {
  scenario sc = load_world(devices, 1000, 10, qos::at_most_once, static_cast<std::uint64_t>(seconds * 1000) + 1000);
  world_options o;
  o.keep_messages = false;
  world w(std::move(sc), o);
  const double cpu0 = cpu_seconds();
  const auto t0 = steady::now();
  for (;;) {
    const double el = std::chrono::duration<double>(steady::now() - t0).count();
    if (el >= seconds) break;
    w.run_until(static_cast<std::uint64_t>(el * 1000));
    const auto next = w.next_time().value_or(w.now() + 10);
    const auto wait = std::min<std::uint64_t>(10, next > w.now() ? next - w.now() : 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(wait));
  }
  const double wall = std::chrono::duration<double>(steady::now() - t0).count();
  const double cpu = cpu_seconds() - cpu0;
  std::printf("real time x1: %u sensors at 1 msg/s + 10 dashboards for %.0f s: CPU %.1f%% of one core "
              "(%.2f s CPU / %.2f s), %llu published, %llu delivered, lag %lld ms\n",
              devices, seconds, 100.0 * cpu / wall, cpu, wall, static_cast<unsigned long long>(w.stats().published),
              static_cast<unsigned long long>(w.stats().received),
              static_cast<long long>(wall * 1000) - static_cast<long long>(w.now()));
}

}  // namespace

int main(int argc, char** argv) {
  double rt_seconds = 10;
  long pattern = 0;  // 0: all
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--realtime-seconds") == 0) rt_seconds = std::strtod(argv[i + 1], nullptr);
    if (std::strcmp(argv[i], "--pattern") == 0) pattern = std::strtol(argv[i + 1], nullptr, 10);
  }
  std::printf("postcard-sim-bench: one core, the in-process broker engine, virtual links (5 ms latency)\n");
  if (pattern == 0 || pattern == 1) {
    fast("1,000 devices, QoS 0, 10 msg/s, 1 dashboard", load_world(999, 100, 1, qos::at_most_once, 20'000));
  }
  if (pattern == 0 || pattern == 2) {
    fast("1,000 devices, QoS 1, 1 msg/s, 10 dashboards", load_world(990, 1000, 10, qos::at_least_once, 60'000));
  }
  if (pattern == 0 || pattern == 3) {
    fast("1,000 devices, QoS 0, 1 msg/s, 10 dashboards", load_world(990, 1000, 10, qos::at_most_once, 60'000));
  }
  if (pattern == 0 || pattern == 4) {
    fast("10,000 devices, QoS 0, 1 msg/s, 10 dashboards", load_world(9990, 1000, 10, qos::at_most_once, 20'000));
  }
  if (pattern != 0) return 0;
  if (rt_seconds > 0) realtime(9990, rt_seconds);
  return 0;
}
