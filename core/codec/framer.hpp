#pragma once
// Incremental framer: turns any split of a byte stream (one byte at a time, or many packets at
// once) into whole packets. Usage:
//
//   framer f{max_packet_size};
//   f.feed(chunk);
//   frame fr;
//   while (f.next(fr) == frame_status::frame) { ... fr.first_byte, fr.body ... }
//   if (f.error() != codec_error::ok) { close the connection with to_reason_code(f.error()) }
//
// Frames that lie wholly inside the fed chunk are returned as views into it (no copy); only a
// partial packet at the end of a chunk is copied into the framer's buffer. A view is valid until the
// next call to feed() or next(). A Remaining Length over four bytes, or a packet whose total size
// exceeds the maximum, is rejected as soon as its fixed header is read, before its body is buffered.
// After an error the framer stays in that error.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "codec/errors.hpp"
#include "codec/types.hpp"

namespace postcard {

struct frame {
  std::uint8_t first_byte = 0;
  bytes_view body;  // the Remaining Length bytes after the fixed header
  std::size_t total_size = 0;  // fixed header + body
};

enum class frame_status : std::uint8_t { frame, need_more, error };

class framer {
 public:
  static constexpr std::uint32_t protocol_maximum = 268'435'455 + 5;

  explicit framer(std::uint32_t max_packet_size = protocol_maximum);
  void set_max_packet_size(std::uint32_t max_packet_size) { max_packet_size_ = max_packet_size; }
  std::uint32_t max_packet_size() const { return max_packet_size_; }

  void feed(bytes_view chunk);
  frame_status next(frame& out);
  codec_error error() const { return error_; }
  // Bytes held in the internal buffer (a partial packet); small for an idle connection.
  std::size_t buffered() const { return buffer_.size(); }
  // Frees the internal buffer's capacity (for idle connections).
  void shrink() { buffer_.shrink_to_fit(); }

 private:
  std::uint32_t max_packet_size_;
  codec_error error_ = codec_error::ok;
  std::vector<std::uint8_t> buffer_;  // partial packet carried across feeds
  bytes_view pending_;                // the unconsumed part of the last fed chunk
  std::size_t consumed_from_buffer_ = 0;
};

}  // namespace postcard
