#pragma once
// The world's agenda: items ordered by (time, insertion sequence), popped in exactly that order.
//
// Theory of operation
//   A timing wheel of one bucket per virtual millisecond covers [cursor, cursor + window); each bucket is a
//   FIFO, and items enter it in insertion order, so a bucket is already sorted by sequence. Items due at or
//   beyond cursor + window wait in an overflow heap ordered by (time, sequence). When the cursor moves, the
//   overflow items that fall inside the new window move into their buckets before anything else can be
//   pushed there (a direct push to bucket t needs t < cursor + window, which is exactly when t migrates),
//   so they keep their place ahead of later insertions. A bitmap of non-empty buckets finds the next due
//   bucket without walking empty ones.
//   Pushing and popping cost O(1) for the items a simulation is made of (packet deliveries milliseconds
//   ahead, samples and timers within seconds), against O(log n) sift work in a binary heap; the popping
//   order is the heap's, item for item, so the same scenario and seed still give the same trace.
//   Pushing an item earlier than the cursor never happens (the world pushes at or after its clock, which
//   is at or after the last popped time); such an item would be due at the cursor.
#include <array>
#include <bit>
#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

namespace postcard::sim {

template <typename Item>  // Item has `time` and `seq` (unique, increasing with insertion) and operator>
class event_queue {
 public:
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

  void push(const Item& it) {
    ++size_;
    if (it.time >= cursor_ + window) {
      overflow_.push(it);
      return;
    }
    const std::uint64_t t = it.time < cursor_ ? cursor_ : it.time;
    const std::size_t b = static_cast<std::size_t>(t & mask);
    bucket& bk = buckets_[b];
    if (bk.head == bk.items.size()) occupied_[b / 64] |= std::uint64_t{1} << (b % 64);
    bk.items.push_back(it);
    ++in_wheel_;
  }

  // The first item in order, or nullptr when empty; valid until the next push or pop.
  const Item* top() const {
    if (in_wheel_ == 0) return overflow_.empty() ? nullptr : &overflow_.top();
    const bucket& bk = buckets_[next_bucket()];
    return &bk.items[bk.head];
  }

  // Removes the first item into `out` when it is due by `limit`.
  bool pop_due(std::uint64_t limit, Item& out) {
    if (size_ == 0) return false;
    if (in_wheel_ == 0) {
      if (overflow_.top().time > limit) return false;
      advance(overflow_.top().time);
    }
    std::size_t b = next_bucket();
    const std::uint64_t t = cursor_ + ((b - static_cast<std::size_t>(cursor_ & mask)) & mask);
    if (t > limit) return false;
    if (t != cursor_) {
      advance(t);
      b = static_cast<std::size_t>(cursor_ & mask);
    }
    bucket& bk = buckets_[b];
    out = bk.items[bk.head++];
    if (bk.head == bk.items.size()) {
      bk.items.clear();
      bk.head = 0;
      occupied_[b / 64] &= ~(std::uint64_t{1} << (b % 64));
    }
    --in_wheel_;
    --size_;
    return true;
  }

  // The n-th item (n >= 1) after the one last popped, when it waits in the cursor's bucket or the next
  // millisecond's, else nullptr: a hint for prefetching the next items of a busy world.
  const Item* peek(std::size_t n) const {
    const bucket& bk = buckets_[static_cast<std::size_t>(cursor_ & mask)];
    std::size_t i = bk.head + n - 1;
    if (i < bk.items.size()) return &bk.items[i];
    i -= bk.items.size();
    const bucket& after = buckets_[static_cast<std::size_t>((cursor_ + 1) & mask)];
    return i < after.items.size() ? &after.items[i] : nullptr;
  }

 private:
  static constexpr std::uint64_t window = 4096;  // milliseconds covered by buckets
  static constexpr std::uint64_t mask = window - 1;
  struct bucket {
    std::vector<Item> items;
    std::size_t head = 0;
  };

  // First non-empty bucket at or after the cursor (in_wheel_ > 0).
  std::size_t next_bucket() const {
    const std::size_t start = static_cast<std::size_t>(cursor_ & mask);
    std::size_t word = start / 64;
    std::uint64_t bits = occupied_[word] & (~std::uint64_t{0} << (start % 64));
    for (std::size_t n = 0; n <= occupied_.size(); ++n) {
      if (bits != 0) return word * 64 + static_cast<std::size_t>(std::countr_zero(bits));
      word = (word + 1) % occupied_.size();
      bits = occupied_[word];
    }
    return start;  // unreachable while in_wheel_ > 0
  }

  // Moves the cursor to t (buckets before t are empty) and brings overflow items now inside the window
  // into their buckets, in (time, sequence) order, ahead of anything pushed later.
  void advance(std::uint64_t t) {
    cursor_ = t;
    while (!overflow_.empty() && overflow_.top().time < cursor_ + window) {
      const Item it = overflow_.top();
      overflow_.pop();
      const std::size_t b = static_cast<std::size_t>(it.time & mask);
      bucket& bk = buckets_[b];
      if (bk.head == bk.items.size()) occupied_[b / 64] |= std::uint64_t{1} << (b % 64);
      bk.items.push_back(it);
      ++in_wheel_;
    }
  }

  std::uint64_t cursor_ = 0;
  std::size_t size_ = 0;
  std::size_t in_wheel_ = 0;
  std::array<bucket, window> buckets_{};
  std::array<std::uint64_t, window / 64> occupied_{};
  std::priority_queue<Item, std::vector<Item>, std::greater<>> overflow_;
};

}  // namespace postcard::sim
