#pragma once
// postcard-sim internals shared by main.cpp, summary.cpp and remote.cpp.
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

#include "world.hpp"

namespace postcard::sim::cli {

struct run_options {
  double speed = 0;                     // 0: as fast as possible; 1: real time; 10: x10 ...
  std::optional<std::uint64_t> until;   // virtual ms; default the scenario's duration
  std::FILE* trace = nullptr;           // JSON lines
  bool progress = true;
  bool quiet = false;
};

// Writes the recorded events to the trace file (if any).
void flush_trace(world& w, const run_options& o);
// A one-line progress report on stderr.
void print_progress(world& w, double real_seconds);
// The end-of-run summary on stdout: messages, latency percentiles, losses, wills, per-device counts,
// lesson steps and their expectations. Returns the number of failed expectations.
std::size_t print_summary(const world& w, double real_seconds, bool remote);

struct remote_url {
  std::string scheme;  // mqtt, mqtts, ws, wss
  std::string host;
  std::string port;
  std::string path = "/mqtt";
};
std::optional<remote_url> parse_url(const std::string& url);

// Runs the scenario against a real broker over real sockets, in real time (the broker's clock is real),
// then prints the summary. Returns the number of failed expectations, or -1 if nothing could connect.
int run_remote(scenario sc, const world_options& wo, const remote_url& url, const run_options& o);

}  // namespace postcard::sim::cli
