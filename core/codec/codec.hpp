#pragma once
// Decoding and encoding of whole MQTT control packets.
//
// decode_*: `first_byte` is the fixed header's first byte, `body` the bytes after the Remaining Length
// (exactly Remaining Length bytes, as the framer delivers them). On success the packet's views point
// into `body`. On failure the returned codec_error says what is wrong; `out` is unspecified.
//
// encode: appends the whole packet (fixed header included) to `out`. Encoding is deterministic.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "codec/errors.hpp"
#include "codec/packets.hpp"

namespace postcard {

// CONNECT carries its own protocol version; every other packet is decoded for the version the
// connection negotiated.
codec_error decode_connect(std::uint8_t first_byte, bytes_view body, connect_packet& out);
codec_error decode_publish(std::uint8_t first_byte, bytes_view body, protocol_version version, publish_packet& out);
codec_error decode_packet(std::uint8_t first_byte, bytes_view body, protocol_version version, packet& out);

codec_error encode(const packet& p, protocol_version version, std::vector<std::uint8_t>& out);
codec_error encode_publish(const publish_packet& p, protocol_version version, std::vector<std::uint8_t>& out);

// Size in bytes of the whole encoded packet (fixed header included), without encoding it.
std::size_t encoded_size(const packet& p, protocol_version version);
std::size_t encoded_publish_size(const publish_packet& p, protocol_version version);

// Low-level helpers shared by the framer, the engines and tests.
// Appends a Variable Byte Integer (1..4 bytes); value must be <= 268,435,455.
void append_variable_byte_integer(std::uint32_t value, std::vector<std::uint8_t>& out);
std::size_t variable_byte_integer_size(std::uint32_t value);

}  // namespace postcard
