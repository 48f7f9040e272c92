// Incremental framer. Theory of operation:
//  - pending_ views the unconsumed rest of the last fed chunk; buffer_ holds bytes that arrived before
//    it (a partial packet, or whole packets when feed() was called again before draining), starting at
//    consumed_from_buffer_.
//  - next() first completes the packet at the front of buffer_, taking just the bytes it needs from
//    pending_; then it returns packets lying wholly in pending_ as views. A partial packet left at the
//    end of pending_ is copied into buffer_.
//  - The fixed header is checked as soon as it is complete (or as soon as it cannot be valid): a
//    Remaining Length over four bytes [MQTT-1.5.5-1] or a total size over the maximum
//    [MQTT-3.2.2-15] is an error before any of the body is buffered. Errors are sticky.
#include "codec/framer.hpp"

#include <algorithm>

namespace postcard {
namespace {

struct header {
  std::size_t header_size = 0;
  std::size_t total_size = 0;
};

// need_more while the Remaining Length is incomplete; error with `err` set when it is invalid.
frame_status parse_header(const std::uint8_t* p, std::size_t n, std::uint32_t max, header& h, codec_error& err) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    if (1 + i >= n) return frame_status::need_more;
    const std::uint8_t b = p[1 + i];
    value |= std::uint32_t{static_cast<std::uint8_t>(b & 0x7Fu)} << (7 * i);
    if ((b & 0x80u) == 0) {
      if (i > 0 && b == 0) {  // not the minimum number of bytes [MQTT-1.5.5-1]
        err = codec_error::invalid_variable_byte_integer;
        return frame_status::error;
      }
      h.header_size = 2 + i;
      h.total_size = h.header_size + value;
      if (h.total_size > max) {
        err = codec_error::packet_too_large;
        return frame_status::error;
      }
      return frame_status::frame;
    }
  }
  err = codec_error::remaining_length_too_long;
  return frame_status::error;
}

constexpr std::size_t keep_capacity = 4096;  // an idle framer keeps at most this much buffer

}  // namespace

framer::framer(std::uint32_t max_packet_size) : max_packet_size_(max_packet_size) {}

void framer::feed(bytes_view chunk) {
  if (error_ != codec_error::ok) return;
  if (!pending_.empty()) {  // the caller did not drain: keep the old bytes, the chunk may go away
    buffer_.insert(buffer_.end(), pending_.begin(), pending_.end());
  }
  pending_ = chunk;
}

frame_status framer::next(frame& out) {
  if (error_ != codec_error::ok) return frame_status::error;
  // Drop what the previous call returned from buffer_ (its view is no longer valid).
  if (consumed_from_buffer_ != 0) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(consumed_from_buffer_));
    consumed_from_buffer_ = 0;
    if (buffer_.empty() && buffer_.capacity() > keep_capacity) std::vector<std::uint8_t>{}.swap(buffer_);
  }
  header h;
  if (!buffer_.empty()) {
    // Complete the header byte by byte (at most four bytes), then the body in one copy.
    frame_status st;
    while ((st = parse_header(buffer_.data(), buffer_.size(), max_packet_size_, h, error_)) ==
               frame_status::need_more &&
           !pending_.empty()) {
      buffer_.push_back(pending_.front());
      pending_ = pending_.subspan(1);
    }
    if (st == frame_status::error) return st;
    if (st == frame_status::need_more) return st;
    if (buffer_.size() < h.total_size) {
      const std::size_t take = std::min(h.total_size - buffer_.size(), pending_.size());
      buffer_.insert(buffer_.end(), pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(take));
      pending_ = pending_.subspan(take);
      if (buffer_.size() < h.total_size) return frame_status::need_more;
    }
    out.first_byte = buffer_[0];
    out.body = bytes_view{buffer_.data() + h.header_size, h.total_size - h.header_size};
    out.total_size = h.total_size;
    consumed_from_buffer_ = h.total_size;
    return frame_status::frame;
  }
  if (pending_.empty()) return frame_status::need_more;
  const frame_status st = parse_header(pending_.data(), pending_.size(), max_packet_size_, h, error_);
  if (st == frame_status::error) return st;
  if (st == frame_status::frame && pending_.size() >= h.total_size) {  // whole packet in the chunk: a view
    out.first_byte = pending_[0];
    out.body = pending_.subspan(h.header_size, h.total_size - h.header_size);
    out.total_size = h.total_size;
    pending_ = pending_.subspan(h.total_size);
    return frame_status::frame;
  }
  buffer_.insert(buffer_.end(), pending_.begin(), pending_.end());  // a partial tail: copy it
  pending_ = {};
  return frame_status::need_more;
}

}  // namespace postcard
