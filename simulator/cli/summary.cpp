// postcard-sim output: progress lines, the trace file and the summary.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <ctime>

#include "cli.hpp"
#include "trace.hpp"

namespace postcard::sim::cli {

void flush_trace(world& w, const run_options& o) {
  std::vector<sim_event> events = w.drain_events();
  if (o.trace == nullptr) return;
  for (const auto& e : events) {
    const std::string line = trace_line(e, w);
    std::fwrite(line.data(), 1, line.size(), o.trace);
    std::fputc('\n', o.trace);
  }
}

void print_progress(world& w, double real_seconds) {
  const sim_stats& s = w.stats();
  std::size_t connected = 0;
  for (std::size_t i = 0; i < w.device_count(); ++i) connected += w.device(i).connected ? 1 : 0;
  std::fprintf(stderr, "[%7.1f s real] t=%9.1f s  connected %zu/%zu  published %" PRIu64 "  received %" PRIu64,
               real_seconds, static_cast<double>(w.now()) / 1000.0, connected, w.device_count(), s.published,
               s.received);
  std::fprintf(stderr, "  packets %" PRIu64 " (%" PRIu64 " lost)", s.packets_sent, s.packets_lost);
  std::fputc('\n', stderr);
}

std::size_t print_summary(const world& w, double real_seconds, bool remote) {
  const sim_stats& s = w.stats();
  const scenario& sc = w.config();
  std::printf("\n== %s ==\n", sc.title.empty() ? "scenario" : sc.title.c_str());
  std::printf("virtual time   %.3f s in %.3f s real (%s)\n", static_cast<double>(w.now()) / 1000.0, real_seconds,
              remote ? "remote broker" : "in-process broker");
  std::printf("devices        %zu\n", w.device_count());
  std::printf("messages       %" PRIu64 " published, %" PRIu64 " received (%" PRIu64 " with DUP), %" PRIu64
              " refused locally\n", s.published, s.received, s.duplicates, s.publish_refused);
  std::printf("latency        p50 %u ms  p90 %u ms  p99 %u ms  max %u ms  (%zu samples)\n",
              s.latency_percentile(50), s.latency_percentile(90), s.latency_percentile(99),
              s.latency_percentile(100), s.latency_ms.size());
  // Remote mode: the devices' side of the links (up and down) still applies, so these count too.
  std::printf("packets        %" PRIu64 " sent, %" PRIu64 " lost on links, %" PRIu64 " bytes\n", s.packets_sent,
              s.packets_lost, s.bytes_sent);
  if (!remote) {
    std::printf("broker         %" PRIu64 " wills fired, %" PRIu64 " messages dropped\n", s.wills_fired,
                s.broker_dropped);
  }
  std::printf("connections    %" PRIu64 " connects, %" PRIu64 " losses, %" PRIu64 " crashes\n", s.connects,
              s.disconnects, s.crashes);
  const double cpu = static_cast<double>(std::clock()) / CLOCKS_PER_SEC;  // process CPU time
  if (real_seconds > 0 && !remote) {
    std::printf("speed          %.0f packets/s wall, %.0f packets per CPU second (%.2f s CPU), %.0f queue items/s\n",
                static_cast<double>(s.packets_sent) / real_seconds,
                cpu > 0 ? static_cast<double>(s.packets_sent) / cpu : 0.0, cpu,
                static_cast<double>(s.items_processed) / real_seconds);
  } else if (remote) {
    std::printf("cpu            %.2f s for %.2f s (%.1f%% of one core)\n", cpu, real_seconds,
                real_seconds > 0 ? 100.0 * cpu / real_seconds : 0.0);
  }
  const std::size_t shown = std::min<std::size_t>(w.device_count(), 20);
  std::printf("\n%-24s %5s %10s %10s %8s %8s %6s\n", "device", "up", "published", "received", "connects", "losses",
              "lost");
  for (std::size_t i = 0; i < shown; ++i) {
    const device_info d = w.device(i);
    std::printf("%-24s %5s %10" PRIu64 " %10" PRIu64 " %8" PRIu64 " %8" PRIu64 " %6" PRIu64 "\n", d.id.c_str(),
                d.connected ? "yes" : "no", d.published, d.received, d.connects, d.offline, d.packets_lost);
  }
  if (shown < w.device_count()) std::printf("... and %zu more devices\n", w.device_count() - shown);

  std::size_t failed = 0;
  if (!w.step_results().empty()) std::printf("\nsteps\n");
  for (const auto& r : w.step_results()) {
    const step_config& st = sc.steps[r.step];
    std::printf("  %6.1f s  %s\n", static_cast<double>(r.time_ms) / 1000.0, st.title.c_str());
    for (const auto& e : r.results) {
      const char* mark = !e.checked ? "skip" : e.met ? " ok " : "FAIL";
      if (e.checked && !e.met) ++failed;
      std::printf("           [%s] %s\n", mark, e.message.c_str());
    }
  }
  if (!w.step_results().empty()) {
    std::printf("\n%s: %zu expectation(s) failed\n", failed == 0 ? "PASS" : "FAIL", failed);
  }
  return failed;
}

}  // namespace postcard::sim::cli
