// postcard-sim: runs a scenario headless, against the in-process broker or a real one, prints progress
// and a summary, writes the packet trace; doubles as a load tool (--devices N).
#include <sys/resource.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli.hpp"
#include "lessons.hpp"
#include "scenario_load.hpp"

namespace {

using namespace postcard::sim;
using steady = std::chrono::steady_clock;

constexpr const char* usage_text =
    "usage: postcard-sim [options] SCENARIO.json\n"
    "       postcard-sim [options] --lesson NAME\n"
    "       postcard-sim --list-lessons\n"
    "\n"
    "  --lesson NAME      run a shipped lesson (name or number prefix, e.g. 04 or last-will)\n"
    "  --broker URL       run against a real broker: mqtt://, mqtts://, ws://, wss://host:port[/path]\n"
    "                     (default: the in-process broker engine, virtual network)\n"
    "  --seed N           seed of the virtual network and generators (default: the scenario's)\n"
    "  --speed X          virtual time speed: max (default) = as fast as possible, 1 = real time, 10, 100 ...\n"
    "  --until MS         stop at this virtual time (default: the scenario's duration_ms)\n"
    "  --devices N        scale the template device (the first with \"count\", else the first sensor) to N copies\n"
    "  --trace FILE       write every packet and event as JSON lines\n"
    "  --quiet            no progress lines\n"
    "\n"
    "Exit status: 0 when every lesson expectation is met, 1 when one is not, 2 on a usage or scenario error.\n";

double seconds_since(steady::time_point t0) {
  return std::chrono::duration<double>(steady::now() - t0).count();
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

const lesson_file* find_lesson(const std::string& name) {
  for (const auto& l : builtin_lessons()) {
    if (l.name == name || l.name.rfind(name, 0) == 0 || l.name.find(name) != std::string_view::npos) return &l;
  }
  return nullptr;
}

void scale_template(scenario& sc, std::uint32_t n) {
  device_config* t = nullptr;
  for (auto& d : sc.devices) {
    if (d.count > 1) { t = &d; break; }
  }
  if (t == nullptr) {
    for (auto& d : sc.devices) {
      if (d.sensor) { t = &d; break; }
    }
  }
  if (t == nullptr && !sc.devices.empty()) t = &sc.devices.front();
  if (t != nullptr) t->count = n;
}

// In-process: as fast as possible, or real time x speed.
void run_local(world& w, const cli::run_options& o, steady::time_point t0) {
  const std::uint64_t until = o.until.value_or(w.config().duration_ms);
  double last_progress = 0;
  if (o.speed <= 0) {
    while (w.now() < until) {
      const auto next = w.next_time();
      const std::uint64_t chunk = std::min<std::uint64_t>(until, std::max<std::uint64_t>(w.now() + 100, next.value_or(until)));
      w.run_until(chunk);
      cli::flush_trace(w, o);
      const double s = seconds_since(t0);
      if (!o.quiet && s - last_progress >= 1.0) {
        cli::print_progress(w, s);
        last_progress = s;
      }
    }
    return;
  }
  const std::uint64_t start = w.now();
  while (w.now() < until) {
    const double s = seconds_since(t0);
    const auto target = std::min<std::uint64_t>(until, start + static_cast<std::uint64_t>(s * 1000.0 * o.speed));
    w.run_until(target);
    cli::flush_trace(w, o);
    if (!o.quiet && s - last_progress >= 1.0) {
      cli::print_progress(w, s);
      last_progress = s;
    }
    // Sleep until the next item is due in real time (at most 50 ms, to keep progress fresh).
    const auto next = w.next_time().value_or(until);
    const double wait_ms = std::min(50.0, static_cast<double>(std::max(next, w.now() + 1) - w.now()) / o.speed);
    std::this_thread::sleep_for(std::chrono::microseconds(static_cast<long>(wait_ms * 1000)));
  }
}

}  // namespace

int main(int argc, char** argv) {
  cli::run_options o;
  world_options wo;
  std::string file, lesson, broker_url, trace_path;
  std::optional<std::uint32_t> devices;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "postcard-sim: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    auto number = [&](const std::string& v) -> std::uint64_t {
      char* end = nullptr;
      const unsigned long long n = std::strtoull(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0') {
        std::fprintf(stderr, "postcard-sim: %s: not a number: %s\n", a.c_str(), v.c_str());
        std::exit(2);
      }
      return n;
    };
    if (a == "-h" || a == "--help") {
      std::fputs(usage_text, stdout);
      return 0;
    } else if (a == "--list-lessons") {
      for (const auto& l : builtin_lessons()) {
        const auto r = load_scenario(l.json);
        std::printf("%-28s %s\n", std::string(l.name).c_str(), r.value.title.c_str());
      }
      return 0;
    } else if (a == "--lesson") {
      lesson = value();
    } else if (a == "--broker") {
      broker_url = value();
    } else if (a == "--seed") {
      wo.seed = number(value());
    } else if (a == "--speed") {
      const std::string v = value();
      o.speed = v == "max" ? 0 : std::strtod(v.c_str(), nullptr);
    } else if (a == "--until") {
      o.until = number(value());
    } else if (a == "--devices") {
      devices = static_cast<std::uint32_t>(number(value()));
    } else if (a == "--trace") {
      trace_path = value();
    } else if (a == "--quiet") {
      o.quiet = true;
    } else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "postcard-sim: unknown option %s\n%s", a.c_str(), usage_text);
      return 2;
    } else {
      file = a;
    }
  }
  std::string text;
  if (!lesson.empty()) {
    const lesson_file* l = find_lesson(lesson);
    if (l == nullptr) {
      std::fprintf(stderr, "postcard-sim: no lesson matches \"%s\" (see --list-lessons)\n", lesson.c_str());
      return 2;
    }
    text = l->json;
  } else if (!file.empty()) {
    if (!read_file(file, text)) {
      std::fprintf(stderr, "postcard-sim: cannot read %s\n", file.c_str());
      return 2;
    }
  } else {
    std::fputs(usage_text, stderr);
    return 2;
  }
  load_result loaded = load_scenario(text);
  if (!loaded.ok) {
    for (const auto& e : loaded.errors) {
      std::fprintf(stderr, "%s: %s\n", file.empty() ? lesson.c_str() : file.c_str(), to_string(e).c_str());
    }
    return 2;
  }
  if (devices) scale_template(loaded.value, *devices);
  if (!trace_path.empty()) {
    o.trace = std::fopen(trace_path.c_str(), "wb");
    if (o.trace == nullptr) {
      std::fprintf(stderr, "postcard-sim: cannot write %s\n", trace_path.c_str());
      return 2;
    }
    wo.event_mask = all_sim_events & ~sim_event_bit(sim_event_kind::packet_delivered);
  }
  std::size_t total = 0;
  for (const auto& d : loaded.value.devices) total += d.count;
  wo.keep_messages = total <= 1000 || !loaded.value.steps.empty();

  int failed = 0;
  if (!broker_url.empty()) {
    const auto url = cli::parse_url(broker_url);
    if (!url) {
      std::fprintf(stderr, "postcard-sim: bad broker URL %s (mqtt://, mqtts://, ws://, wss://host:port[/path])\n",
                   broker_url.c_str());
      return 2;
    }
    rlimit lim{};
    if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
      lim.rlim_cur = lim.rlim_max;
      setrlimit(RLIMIT_NOFILE, &lim);
    }
    o.speed = 1;
    failed = cli::run_remote(std::move(loaded.value), wo, *url, o);
    if (failed < 0) return 2;
  } else {
    const auto t0 = steady::now();
    world w(std::move(loaded.value), wo);
    run_local(w, o, t0);
    cli::flush_trace(w, o);
    failed = static_cast<int>(cli::print_summary(w, seconds_since(t0), false));
  }
  if (o.trace != nullptr) std::fclose(o.trace);
  return failed == 0 ? 0 : 1;
}
