#pragma once
// Postcard's durable-state files: a snapshot (`postcard.db`) and an append-only log (`postcard.db.log`),
// both a 20-byte header followed by framed records (record_codec.hpp):
//     "PCDURBL2" | u64 generation | u32 crc32(first 16 bytes)
// A log applies only over the snapshot of the same generation; compaction writes generation + 1.
// Format 2 ("PCDURBL2") has per-delivery records (record_codec.hpp); format 1 ("PCDURBL1", whole-session
// records) is still read, and open() converts it by writing a format 2 snapshot at once.
// scan_records() walks the records and stops at the first damaged one (short header, impossible length,
// truncated body, checksum mismatch, unknown type): everything before it is good.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "persistence/record_codec.hpp"

namespace postcard::native::persistence {

constexpr std::string_view file_magic = "PCDURBL2";
constexpr std::string_view file_magic_v1 = "PCDURBL1";
constexpr std::uint8_t file_format_version = 2;
constexpr std::size_t file_header_size = 20;

void append_file_header(std::string& out, std::uint64_t generation);

struct scan_result {
  bool header_ok = false;
  std::uint8_t format = 0;  // 1 or 2 once the header is good
  std::uint64_t generation = 0;
  std::size_t good_end = 0;  // offset just past the last good record (or the header)
  std::uint64_t records = 0;
  std::string damage;        // empty when the whole file was good
};

scan_result scan_records(std::string_view file, const std::function<void(const record_view&)>& on_record);

// --- small POSIX helpers (errors as text; "" = success)
// Reads the whole file; `exists` false (and "") when there is none.
std::string read_file(const std::string& path, std::string& out, bool& exists);
// Writes every byte (retrying short writes and EINTR).
std::string write_all(int fd, std::string_view data);
// Makes a rename in `path`'s directory durable.
void sync_directory_of(const std::string& path);

}  // namespace postcard::native::persistence
