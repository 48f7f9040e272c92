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

// Every record's first field is its key (topic or client id). Format 2 (file_format.hpp) writes types
// 1, 2, 4-9; type 3 is format 1's whole-session record, read only to convert old files.
enum class record_type : std::uint8_t {
  retained_set = 1,      // message
  retained_erased = 2,   // topic
  session_set_v1 = 3,    // format 1: session with every delivery, deliveries without seq
  session_erased = 4,    // client id
  snapshot_end = 5,      // last record of a snapshot: u64 record count (a snapshot without it is truncated)
  session_set = 6,       // session fields, u8 with_outgoing before the outgoing list (empty when 0)
  delivery_added = 7,    // client id | u16 next_packet_id | delivery (u64 seq first)
  delivery_updated = 8,  // client id | u64 seq | u8 state | u16 packet_id | u16 next_packet_id
  delivery_removed = 9,  // client id | u64 seq | u16 next_packet_id
};
constexpr std::uint8_t last_record_type = 9;

constexpr std::size_t record_header_size = 8;
constexpr std::uint32_t max_record_body = 1u << 30;  // larger lengths are damage, not data

// CRC-32 (IEEE 802.3, reflected, as zlib's crc32()).
std::uint32_t crc32(const void* data, std::size_t size, std::uint32_t crc = 0);

// Appends whole framed records to `out`.
void append_change(std::string& out, const broker::durable_change& change);
void append_retained(std::string& out, const broker::message_data& m);
void append_session(std::string& out, const broker::session_data& s, bool with_outgoing = true);
void append_snapshot_end(std::string& out, std::uint64_t records);

// A record body (type byte first), as found by scan_records().
struct record_view {
  record_type type = record_type::retained_set;
  std::string_view fields;  // the body after the type byte
};

// Decoders of record fields: true when the fields are complete and well-formed.
bool decode_message(std::string_view fields, broker::message_data& out);
bool decode_session(std::string_view fields, broker::session_data& out);  // session_set (v2)
bool decode_session_v1(std::string_view fields, broker::session_data& out);  // session_set_v1

// Any session or delivery record (types 3, 4, 6-9) decoded as the durable change it carries; `change`
// points into the holder, valid while it lives.
struct decoded_change {
  broker::durable_change change;
  broker::session_data session;
  broker::delivery_data delivery;
  std::string key;
};
bool decode_session_change(const record_view& record, decoded_change& out);
bool decode_key(std::string_view fields, std::string_view& key);  // *_erased records, and the key of *_set
bool decode_count(std::string_view fields, std::uint64_t& count);  // snapshot_end

}  // namespace postcard::native::persistence
