// The reconnect-backoff policy: a pure function of the attempt number and the options.
#include <algorithm>

#include "client/engine.hpp"

namespace postcard::client {
namespace {

// SplitMix64: a small, well-mixed generator; seeded per attempt so the policy stays a pure function.
std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

}  // namespace

std::optional<std::uint64_t> reconnect_delay(const reconnect_options& opts, std::uint32_t attempt) {
  if (opts.period_ms == 0 || attempt == 0) return std::nullopt;
  if (opts.max_attempts != 0 && attempt > opts.max_attempts) return std::nullopt;
  const std::uint64_t cap = std::max<std::uint64_t>(opts.max_period_ms, opts.period_ms);
  std::uint64_t delay = opts.period_ms;
  for (std::uint32_t i = 1; i < attempt && delay < cap; ++i) {
    delay = delay * opts.multiplier_percent / 100;
    if (delay == 0) break;
  }
  delay = std::min(delay, cap);
  if (opts.jitter_percent != 0) {
    const std::uint64_t jitter_span = delay * std::min<std::uint32_t>(opts.jitter_percent, 100) / 100;
    const std::uint64_t r = splitmix64(opts.jitter_seed ^ splitmix64(attempt));
    delay -= jitter_span * (r % 1001) / 1000;
  }
  return delay;
}

}  // namespace postcard::client
