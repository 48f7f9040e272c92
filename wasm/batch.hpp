#pragma once
// The packed batch of outputs that crosses the wasm boundary once per input, and a small JSON writer
// for the records that carry structured data (events and decoded packets).
//
// Batch layout (little-endian), a sequence of records, each starting with a tag byte:
//   1 SEND     u32 conn, u32 length, bytes           (the client engine uses conn 0)
//   2 CLOSE    u32 conn, u32 cause                    (broker: disconnect_cause; client: 0)
//   3 EVENT    u32 json length, JSON object, u32 binary length, binary (a packet's payload)
//   4 MESSAGE  u8 flags (qos | retain << 2 | dup << 3), u16 message id, u32 topic length, topic,
//              u32 payload length, payload, u32 properties length, properties JSON (0: none)
//   5 PUBLISHED (client) u32 token, u16 message id, u8 qos, u8 reason code, u8 session lost,
//              u32 properties length, properties JSON (0: none)
//   6 DURABLE  (broker, first in its batch when asked for) u32 length, framed durable-change records
//              (native/persistence/record_codec.hpp); see durable_binding.cpp
// web/src/batch.ts reads it.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "codec/types.hpp"

namespace postcard::wasm {

enum class record_tag : std::uint8_t { send = 1, close = 2, event = 3, message = 4, published = 5, durable = 6 };

class batch_writer {
 public:
  void tag(record_tag t) { buf_.push_back(static_cast<std::uint8_t>(t)); }
  void u8(std::uint8_t v) { buf_.push_back(v); }
  void u16(std::uint16_t v) {
    buf_.push_back(static_cast<std::uint8_t>(v & 0xFF));
    buf_.push_back(static_cast<std::uint8_t>(v >> 8));
  }
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) buf_.push_back(static_cast<std::uint8_t>((v >> (8 * i)) & 0xFF));
  }
  void blob(bytes_view b) {
    u32(static_cast<std::uint32_t>(b.size()));
    buf_.insert(buf_.end(), b.begin(), b.end());
  }
  void blob(std::string_view s) { blob(as_bytes(s)); }
  bool empty() const { return buf_.empty(); }
  const std::vector<std::uint8_t>& data() const { return buf_; }
  void clear() { buf_.clear(); }

 private:
  std::vector<std::uint8_t> buf_;
};

// Appends JSON text to a string. Keys are trusted literals; values are escaped.
class json_writer {
 public:
  explicit json_writer(std::string& out) : out_(out) {}
  void open() { out_ += '{'; first_ = true; }
  void close() { out_ += '}'; first_ = false; }
  void open_array() { out_ += '['; first_ = true; }
  void close_array() { out_ += ']'; first_ = false; }
  void key(std::string_view k) {
    comma();
    out_ += '"';
    out_ += k;
    out_ += "\":";
    first_ = true;  // the value that follows needs no comma
  }
  void element() { comma(); first_ = true; }  // before an array element
  void str(std::string_view v);
  void num(double v);
  void num(std::uint64_t v);
  void boolean(bool v) { out_ += v ? "true" : "false"; first_ = false; }
  void null() { out_ += "null"; first_ = false; }
  void bytes(bytes_view v);  // an array of numbers
  // key + value shorthands
  void field(std::string_view k, std::string_view v) { key(k); str(v); }
  void field(std::string_view k, std::uint64_t v) { key(k); num(v); }
  void field_bool(std::string_view k, bool v) { key(k); boolean(v); }

 private:
  void comma() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  std::string& out_;
  bool first_ = true;
};

}  // namespace postcard::wasm
