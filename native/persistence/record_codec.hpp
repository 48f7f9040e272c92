#pragma once
// The byte layout of Postcard's durable-state files: one record per durable change (or per retained
// message and session in a snapshot), framed as
//     u32 body_length | u32 crc32(body) | body = u8 record_type | fields...
// Integers are little-endian and fixed-width; strings and byte strings are u32 length + bytes; optional
// fields are a u8 presence flag followed by the value. Decoding checks every length against the bytes
// left and never reads past them: a damaged body decodes to `false`, never to a crash.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "broker/durable.hpp"

namespace postcard::native::persistence {

enum class record_type : std::uint8_t {
  retained_set = 1,
  retained_erased = 2,
  session_set = 3,
  session_erased = 4,
  snapshot_end = 5,  // last record of a snapshot: u64 record count (a snapshot without it is truncated)
};

constexpr std::size_t record_header_size = 8;
constexpr std::uint32_t max_record_body = 1u << 30;  // larger lengths are damage, not data

// CRC-32 (IEEE 802.3, reflected, as zlib's crc32()).
std::uint32_t crc32(const void* data, std::size_t size, std::uint32_t crc = 0);

// Appends whole framed records to `out`.
void append_change(std::string& out, const broker::durable_change& change);
void append_retained(std::string& out, const broker::message_data& m);
void append_session(std::string& out, const broker::session_data& s);
void append_snapshot_end(std::string& out, std::uint64_t records);

// A record body (type byte first), as found by scan_records().
struct record_view {
  record_type type = record_type::retained_set;
  std::string_view fields;  // the body after the type byte
};

// Decoders of record fields: true when the fields are complete and well-formed.
bool decode_message(std::string_view fields, broker::message_data& out);
bool decode_session(std::string_view fields, broker::session_data& out);
bool decode_key(std::string_view fields, std::string_view& key);  // *_erased records, and the key of *_set
bool decode_count(std::string_view fields, std::uint64_t& count);  // snapshot_end

}  // namespace postcard::native::persistence
