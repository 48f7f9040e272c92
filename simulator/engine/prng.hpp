#pragma once
// The simulator's seeded random numbers: splitmix64 to derive stream seeds, xoshiro256** per stream.
// Every link direction and every device draws from its own stream, so adding a device does not change
// what the others draw. No std::random_device, no global state.
#include <cstdint>

namespace postcard::sim {

inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

class prng {
 public:
  prng() : prng(0) {}
  explicit prng(std::uint64_t seed) {
    for (auto& w : s_) w = splitmix64(seed);
  }
  // A stream for (seed, a, b): independent of every other (a, b).
  static prng stream(std::uint64_t seed, std::uint64_t a, std::uint64_t b) {
    std::uint64_t x = seed ^ (a * 0xD1B54A32D192ED03ull) ^ (b * 0x8CB92BA72F3D8DD7ull);
    return prng{splitmix64(x)};
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform in [0, bound] (inclusive); 0 when bound is 0.
  std::uint64_t below_or_equal(std::uint64_t bound) { return bound == 0 ? 0 : next() % (bound + 1); }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4]{};
};

}  // namespace postcard::sim
