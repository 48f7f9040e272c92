#pragma once
// Helpers for the codec tests: frame a byte literal, decode it, encode a packet and check that
// encoded_size() agrees with encode().
#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "codec/codec.hpp"
#include "codec/framer.hpp"

namespace postcard::test {

using bytes = std::vector<std::uint8_t>;
constexpr auto v31 = protocol_version::v3_1;
constexpr auto v311 = protocol_version::v3_1_1;
constexpr auto v5 = protocol_version::v5;

// A whole packet from its first byte and body; the Remaining Length is computed.
inline bytes make_packet(std::uint8_t first, std::initializer_list<std::uint8_t> body) {
  bytes out{first};
  append_variable_byte_integer(static_cast<std::uint32_t>(body.size()), out);
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

inline bytes str_bytes(std::string_view s) { return bytes(s.begin(), s.end()); }

// Frames `wire` (which must be exactly one packet) and decodes it.
inline codec_error decode_bytes(const bytes& wire, protocol_version v, packet& out) {
  framer f;
  f.feed(wire);
  frame fr;
  if (f.next(fr) != frame_status::frame) {
    ADD_FAILURE() << "not one whole frame";
    return codec_error::truncated;
  }
  EXPECT_EQ(fr.total_size, wire.size());
  return decode_packet(fr.first_byte, fr.body, v, out);
}

template <class T>
T decode_as(const bytes& wire, protocol_version v) {
  packet p;
  const codec_error e = decode_bytes(wire, v, p);
  EXPECT_EQ(e, codec_error::ok) << describe(e);
  if (auto* t = std::get_if<T>(&p)) return *t;
  ADD_FAILURE() << "decoded as another packet type";
  return T{};
}

inline bytes encode_bytes(const packet& p, protocol_version v) {
  bytes out;
  const codec_error e = encode(p, v, out);
  EXPECT_EQ(e, codec_error::ok) << describe(e);
  EXPECT_EQ(encoded_size(p, v), out.size());
  return out;
}

// Decoding then encoding gives the same bytes.
inline void expect_round_trip(const bytes& wire, protocol_version v) {
  packet p;
  const codec_error e = decode_bytes(wire, v, p);
  ASSERT_EQ(e, codec_error::ok) << describe(e);
  EXPECT_EQ(encode_bytes(p, v), wire);
}

// Decoding fails with `expected`, which maps to `code` on the wire.
inline void expect_error(const bytes& wire, protocol_version v, codec_error expected, reason_code code) {
  packet p;
  const codec_error e = decode_bytes(wire, v, p);
  EXPECT_EQ(e, expected) << "got: " << describe(e);
  EXPECT_EQ(to_reason_code(e), code);
}

}  // namespace postcard::test
