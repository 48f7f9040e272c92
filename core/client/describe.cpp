// client_error descriptions and reading packet events back.
#include "client/engine.hpp"
#include "codec/codec.hpp"

namespace postcard::client {

std::string_view describe(client_error error) {
  switch (error) {
    case client_error::ok: return "ok";
    case client_error::ended: return "the client was ended by disconnect()";
    case client_error::not_connected: return "not connected";
    case client_error::offline_queue_full: return "the offline queue is full";
    case client_error::invalid_topic: return "invalid topic name";
    case client_error::invalid_filter: return "invalid topic filter";
    case client_error::no_topics: return "no topic filter given";
    case client_error::qos_not_supported: return "QoS above the server's Maximum QoS";
    case client_error::retain_not_supported: return "the server does not support retained messages";
    case client_error::packet_too_large: return "packet larger than the server's Maximum Packet Size";
    case client_error::topic_alias_invalid: return "topic alias outside the server's Topic Alias Maximum";
    case client_error::invalid_argument: return "a value the packet cannot carry";
    case client_error::not_supported_by_version: return "not available in this protocol version";
  }
  return "unknown client error";
}

codec_error decode_packet_event(const packet_event& p, protocol_version version, packet& out) {
  const auto& b = p.bytes;
  if (b.empty()) return codec_error::truncated;
  std::size_t pos = 1;
  std::uint32_t length = 0;
  unsigned shift = 0;
  for (;;) {
    if (pos >= b.size()) return codec_error::truncated;
    if (shift > 21) return codec_error::remaining_length_too_long;
    const std::uint8_t byte = b[pos++];
    length |= static_cast<std::uint32_t>(byte & 0x7Fu) << shift;
    shift += 7;
    if ((byte & 0x80u) == 0) break;
  }
  if (b.size() - pos != length) return codec_error::truncated;
  const bytes_view body{b.data() + pos, length};
  if ((b[0] >> 4) == static_cast<std::uint8_t>(packet_type::connect)) {
    connect_packet c;
    const codec_error e = decode_connect(b[0], body, c);
    out = c;
    return e;
  }
  return decode_packet(b[0], body, version, out);
}

}  // namespace postcard::client
