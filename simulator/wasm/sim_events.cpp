#include "sim_events.hpp"

#include <string_view>

namespace postcard::sim::wasm {
namespace {

void u32(std::vector<std::uint8_t>& out, std::uint64_t v64) {
  const auto v = static_cast<std::uint32_t>(v64 > 0xFFFFFFFFu ? 0xFFFFFFFFu : v64);
  out.push_back(static_cast<std::uint8_t>(v & 0xFF));
  out.push_back(static_cast<std::uint8_t>((v >> 8) & 0xFF));
  out.push_back(static_cast<std::uint8_t>((v >> 16) & 0xFF));
  out.push_back(static_cast<std::uint8_t>(v >> 24));
}

template <typename Bytes>
void blob(std::vector<std::uint8_t>& out, const Bytes& b) {
  u32(out, b.size());
  out.insert(out.end(), b.begin(), b.end());
}

}  // namespace

void write_events(const std::vector<sim_event>& events, std::vector<std::uint8_t>& out) {
  out.clear();
  u32(out, events.size());
  for (const sim_event& e : events) {
    out.push_back(static_cast<std::uint8_t>(e.kind));
    out.push_back(static_cast<std::uint8_t>(e.dir));
    out.push_back(static_cast<std::uint8_t>(e.type));
    out.push_back(static_cast<std::uint8_t>((e.lost ? 1 : 0) | (e.flag ? 2 : 0) | ((e.qos & 3) << 2)));
    u32(out, e.time_ms);
    u32(out, e.device);
    u32(out, e.broker);
    u32(out, e.deliver_at);
    u32(out, e.index);
    blob(out, e.bytes);
    blob(out, e.topic);
    blob(out, e.payload);
    blob(out, e.detail);
  }
}

}  // namespace postcard::sim::wasm
