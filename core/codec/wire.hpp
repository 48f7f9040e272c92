#pragma once
// Internal to the codec: bounds-checked big-endian readers over a packet body and the two sinks
// (size counter, byte writer) that every packet's emit_* template is run against, so that
// encoded_size() and encode() can never disagree.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "codec/errors.hpp"
#include "codec/properties.hpp"
#include "codec/types.hpp"

namespace postcard::wire {

inline constexpr std::uint32_t max_variable_byte_integer = 268'435'455;
inline constexpr std::size_t max_string = 65'535;

// Full UTF-8 check of an MQTT string: well-formed, no surrogates, no U+0000 [MQTT-1.5.4-1..2].
codec_error validate_utf8(std::string_view s);

struct reader {
  const std::uint8_t* p;
  const std::uint8_t* end;

  explicit reader(bytes_view b) : p(b.data()), end(b.data() + b.size()) {}
  std::size_t left() const { return static_cast<std::size_t>(end - p); }
  bool done() const { return p == end; }

  codec_error u8(std::uint8_t& v) {
    if (left() < 1) return codec_error::truncated;
    v = *p++;
    return codec_error::ok;
  }
  codec_error u16(std::uint16_t& v) {
    if (left() < 2) return codec_error::truncated;
    v = static_cast<std::uint16_t>((p[0] << 8) | p[1]);
    p += 2;
    return codec_error::ok;
  }
  codec_error u32(std::uint32_t& v) {
    if (left() < 4) return codec_error::truncated;
    v = (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
    p += 4;
    return codec_error::ok;
  }
  // Variable Byte Integer, minimally encoded, at most four bytes [MQTT-1.5.5-1].
  codec_error vbi(std::uint32_t& v) {
    v = 0;
    for (unsigned i = 0; i < 4; ++i) {
      if (done()) return codec_error::truncated;
      const std::uint8_t b = *p++;
      v |= std::uint32_t{static_cast<std::uint8_t>(b & 0x7Fu)} << (7 * i);
      if ((b & 0x80u) == 0) {
        if (i > 0 && b == 0) return codec_error::invalid_variable_byte_integer;
        return codec_error::ok;
      }
    }
    return codec_error::invalid_variable_byte_integer;
  }
  // Binary Data: two-byte length, then bytes [MQTT-1.5.6].
  codec_error binary(bytes_view& v) {
    std::uint16_t n = 0;
    if (auto e = u16(n); e != codec_error::ok) return e;
    if (left() < n) return codec_error::truncated;
    v = bytes_view{p, n};
    p += n;
    return codec_error::ok;
  }
  // UTF-8 Encoded String [MQTT-1.5.4]: a binary field whose contents are checked.
  codec_error utf8(std::string_view& v) {
    bytes_view b;
    if (auto e = binary(b); e != codec_error::ok) return e;
    v = as_chars(b);
    return validate_utf8(v);
  }
  bytes_view rest() {
    bytes_view b{p, left()};
    p = end;
    return b;
  }
};

// Counts bytes and records local misuse (over-long strings, out-of-range integers, properties the
// packet does not allow).
struct sizer {
  std::size_t n = 0;
  codec_error error = codec_error::ok;
  // Property Lengths in emission order (CONNECT has two blocks), handed to the writer pass.
  std::uint32_t blocks[2] = {0, 0};
  unsigned block_count = 0;

  void fail(codec_error e) {
    if (error == codec_error::ok) error = e;
  }
  void u8(std::uint8_t) { n += 1; }
  void u16(std::uint16_t) { n += 2; }
  void u32(std::uint32_t) { n += 4; }
  void vbi(std::uint32_t v);
  void raw(bytes_view b) { n += b.size(); }
  void bin(bytes_view b) {
    if (b.size() > max_string) fail(codec_error::string_too_long);
    n += 2 + b.size();
  }
  void str(std::string_view s) { bin(as_bytes(s)); }
};

// Writes into memory already sized by a sizer pass.
struct writer {
  std::uint8_t* p;
  const std::uint32_t* blocks = nullptr;  // Property Lengths the sizer pass computed
  unsigned block_index = 0;

  void fail(codec_error) {}  // misuse was already reported by the sizer pass
  void u8(std::uint8_t v) { *p++ = v; }
  void u16(std::uint16_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 8);
    p[1] = static_cast<std::uint8_t>(v);
    p += 2;
  }
  void u32(std::uint32_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 24);
    p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8);
    p[3] = static_cast<std::uint8_t>(v);
    p += 4;
  }
  void vbi(std::uint32_t v) {
    do {
      std::uint8_t b = static_cast<std::uint8_t>(v & 0x7Fu);
      v >>= 7;
      if (v != 0) b = static_cast<std::uint8_t>(b | 0x80u);
      *p++ = b;
    } while (v != 0);
  }
  void raw(bytes_view b) {
    if (!b.empty()) std::memcpy(p, b.data(), b.size());
    p += b.size();
  }
  void bin(bytes_view b) {
    u16(static_cast<std::uint16_t>(b.size()));
    raw(b);
  }
  void str(std::string_view s) { bin(as_bytes(s)); }
};

// Properties (properties.cpp). decode_properties reads the Property Length and the properties of one
// context into `out` (cleared first); the encoders write Property Length + properties.
codec_error decode_properties(reader& r, property_context ctx, properties& out);
// Size of the properties alone (without the Property Length); records misuse in `s`.
std::size_t properties_size(const properties& p, property_context ctx, sizer& s);
void emit_properties(sizer& s, const properties& p, property_context ctx);
void emit_properties(writer& w, const properties& p, property_context ctx);
void clear(properties& p);

std::size_t vbi_size(std::uint32_t v);

// Runs `emit` (a generic callable taking a sink) once to size the body and once to write it, after a
// fixed header with `first_byte`. Nothing is appended on error.
template <class Emit>
codec_error encode_frame(std::uint8_t first_byte, Emit&& emit, std::vector<std::uint8_t>& out) {
  sizer s;
  emit(s);
  if (s.error != codec_error::ok) return s.error;
  if (s.n > max_variable_byte_integer) return codec_error::value_out_of_range;
  const auto body = static_cast<std::uint32_t>(s.n);
  const std::size_t old = out.size();
  out.resize(old + 1 + vbi_size(body) + s.n);
  writer w{out.data() + old, s.blocks};
  w.u8(first_byte);
  w.vbi(body);
  emit(w);
  return codec_error::ok;
}

// Whole encoded size, or 0 when encoding would fail.
template <class Emit>
std::size_t frame_size(Emit&& emit) {
  sizer s;
  emit(s);
  if (s.error != codec_error::ok || s.n > max_variable_byte_integer) return 0;
  return 1 + vbi_size(static_cast<std::uint32_t>(s.n)) + s.n;
}

}  // namespace postcard::wire
