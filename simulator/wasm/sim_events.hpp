#pragma once
// The event batch drain() returns: a u32 count, then per sim_event (little-endian):
//   u8 kind, u8 direction (0 up, 1 down), u8 packet type, u8 flags (1 lost, 2 flag, qos << 2),
//   u32 time_ms, u32 device (0xFFFFFFFF: none), u32 broker, u32 deliver_at, u32 index,
//   then four blobs (u32 length + bytes): packet bytes, topic, payload, detail.
// web/app/src/sim/events.ts reads it.
#include <cstdint>
#include <vector>

#include "world.hpp"

namespace postcard::sim::wasm {

void write_events(const std::vector<sim_event>& events, std::vector<std::uint8_t>& out);

}  // namespace postcard::sim::wasm
