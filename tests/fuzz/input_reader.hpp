#pragma once
// Reads a fuzzer input as a little program: one byte at a time, counted chunks, and a zero once the
// input is exhausted, so every input (even a truncated one) is a valid program.
#include <cstddef>
#include <cstdint>

#include "codec/types.hpp"

namespace postcard::fuzz {

class input_reader {
 public:
  input_reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool done() const { return pos_ >= size_; }
  std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  std::uint16_t u16() {
    const auto hi = byte();
    return static_cast<std::uint16_t>(hi << 8 | byte());
  }
  // Up to `n` bytes (fewer at the end of the input), as a view into the input.
  bytes_view take(std::size_t n) {
    if (n > size_ - pos_) n = size_ - pos_;
    bytes_view v{data_ + pos_, n};
    pos_ += n;
    return v;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

}  // namespace postcard::fuzz
