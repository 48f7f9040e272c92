#pragma once
// The outbound bytes of one network connection, with a high-water and a low-water mark.
//
// Theory of operation
//   append() adds bytes to `pending`; begin_write() moves everything pending into `in_flight` for one
//   write (one write at a time per connection); end_write() frees it. Bytes are never dropped here: the
//   engine decides what not to send, so what it already handed over (a QoS 1/2 PUBLISH, an ack) is
//   written as long as the connection lives.
//   `waiting` = pending + in flight. When an append takes it over the high-water mark the connection
//   becomes congested (append() says so once; the host tells the engine, which then stops writing
//   PUBLISHes to it). When a finished write leaves it at or under the low-water mark it is drained
//   (end_write() says so once). Over `read_pause` (a few times the high-water mark: the engine's output
//   after the congestion is bounded, but a peer that never reads could keep asking for acks and
//   PINGRESPs) the network stops reading from the peer until the buffer drains: TCP's own flow control
//   then holds the peer back.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

namespace postcard::native {

struct outbound_limits {
  std::size_t high_water = 256 * 1024;  // congested above it (max_outgoing_bytes)
  std::size_t low_water = 64 * 1024;    // drained at or under it (a quarter of the high-water mark)
  std::size_t read_pause = 1024 * 1024; // reading from the peer pauses above it (four times high water)

  static outbound_limits from_high_water(std::size_t high) {
    return outbound_limits{high, high / 4, high * 4};
  }
};

class outbound_buffer {
 public:
  enum class change : std::uint8_t { none, congested, drained };

  // `limits` must outlive the buffer (one set per network, not a copy per connection).
  explicit outbound_buffer(const outbound_limits& limits) : limits_(&limits) {}

  change append(std::span<const std::uint8_t> b) {
    if (!b.empty()) {
      const std::size_t at = pending_.size();
      pending_.resize(at + b.size());
      std::memcpy(pending_.data() + at, b.data(), b.size());
    }
    if (!congested_ && waiting() > limits_->high_water) {
      congested_ = true;
      return change::congested;
    }
    return change::none;
  }
  // Moves what is pending into in_flight() for one write; false when nothing is pending.
  bool begin_write() {
    if (pending_.empty()) return false;
    in_flight_.swap(pending_);
    pending_.clear();
    writing_ = true;
    return true;
  }
  const std::vector<std::uint8_t>& in_flight() const { return in_flight_; }
  change end_write() {
    writing_ = false;
    // A connection with nothing more to write keeps no small buffer (idle connections are most of them;
    // a small block is cheap to get again); busy ones keep theirs, except a burst's large buffer.
    const bool idle_small = pending_.empty() && in_flight_.capacity() <= 1024;
    if (idle_small || in_flight_.capacity() > 64 * 1024) std::vector<std::uint8_t>().swap(in_flight_);
    in_flight_.clear();
    if (pending_.empty() && pending_.capacity() > 64 * 1024) std::vector<std::uint8_t>().swap(pending_);
    if (congested_ && waiting() <= limits_->low_water) {
      congested_ = false;
      return change::drained;
    }
    return change::none;
  }
  std::size_t waiting() const { return pending_.size() + in_flight_.size(); }
  bool writing() const { return writing_; }
  bool empty() const { return pending_.empty(); }
  bool congested() const { return congested_; }
  bool reading_paused() const { return waiting() > limits_->read_pause; }

 private:
  const outbound_limits* limits_;
  std::vector<std::uint8_t> pending_;
  std::vector<std::uint8_t> in_flight_;
  bool writing_ = false;
  bool congested_ = false;
};

}  // namespace postcard::native
