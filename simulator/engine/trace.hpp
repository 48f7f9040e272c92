#pragma once
// The packet trace: one JSON object per line for every recorded sim_event, packets with their decoded
// fields and raw bytes in hex. Byte-for-byte the same for the same scenario and seed.
#include <string>

#include "world.hpp"

namespace postcard::sim {

// One line (without the newline). `w` names devices and brokers and knows each device's protocol.
std::string trace_line(const sim_event& e, const world& w);

// The decoded fields of a packet as JSON members (",\"topic\":\"a/b\",\"qos\":1,..."), for the trace and
// the packet inspector.
std::string describe_packet(bytes_view packet, protocol_version version);

std::string_view to_string(sim_event_kind k);

}  // namespace postcard::sim
