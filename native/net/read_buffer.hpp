#pragma once
// A connection's own read buffer (TLS and WebSocket connections: their stream stacks read into a buffer
// that must stay put while the read is pending, so they cannot share the network's one buffer as plain
// TCP connections do).
//
// Theory of operation
//   Small while the connection is idle (min_size: a CONNECT, a PINGREQ or a small PUBLISH fits), it
//   doubles after every read that filled it, up to max_size, so a busy connection soon reads in large
//   chunks; after shrink_after reads in a row that each used at most an eighth of a grown buffer, the
//   memory goes back (min_size again). The run of small reads keeps a connection whose reads alternate
//   between large and small (a long WebSocket message read in chunks, then its tail) from reallocating.
//   The buffer is allocated on the first prepare(), so a connection that never reads costs nothing here.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace postcard::native {

class read_buffer {
 public:
  static constexpr std::size_t min_size = 256;
  static constexpr std::size_t max_size = 64 * 1024;
  static constexpr std::uint32_t shrink_after = 32;

  // Where the next read goes.
  std::span<std::uint8_t> prepare() {
    if (buf_.empty()) buf_.resize(min_size);
    return {buf_.data(), buf_.size()};
  }
  // The first `n` bytes of the last prepare() were read; they stay valid until the next adjust().
  std::span<const std::uint8_t> received(std::size_t n) const { return {buf_.data(), n}; }
  // Sizes the buffer for the next read from how much the last one (`n` bytes) used.
  void adjust(std::size_t n) {
    const std::size_t size = buf_.size();
    if (size <= min_size || n > size / 8) {
      small_reads_ = 0;
    } else if (++small_reads_ >= shrink_after) {
      small_reads_ = 0;
      std::vector<std::uint8_t>(min_size).swap(buf_);
      return;
    }
    if (n >= size && size < max_size) std::vector<std::uint8_t>(size * 2).swap(buf_);  // delivered: no copy
  }
  std::size_t capacity() const { return buf_.capacity(); }

 private:
  std::vector<std::uint8_t> buf_;
  std::uint32_t small_reads_ = 0;  // reads in a row that used at most an eighth of the buffer
};

}  // namespace postcard::native
