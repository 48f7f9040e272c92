#pragma once
// The plain subscribers of one trie node, sorted by id. Most filters have exactly one subscriber
// (an exact "site/N/device/M/sensor/K" filter per device), so the first entry lives inline and
// only a second one moves the list to the heap: 24 bytes per node instead of a vector's 24 plus
// a heap block. Nodes never move, so neither does this list (no copy, no move).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "topic/subscription_trie.hpp"

namespace postcard::topic {

class subscriber_list {
 public:
  subscriber_list() : inline_{} {}
  ~subscriber_list() {
    if (capacity_ > 1) delete[] heap_;
  }
  subscriber_list(const subscriber_list&) = delete;
  subscriber_list& operator=(const subscriber_list&) = delete;

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  subscriber_entry* begin() { return capacity_ > 1 ? heap_ : &inline_; }
  subscriber_entry* end() { return begin() + size_; }
  const subscriber_entry* begin() const { return capacity_ > 1 ? heap_ : &inline_; }
  const subscriber_entry* end() const { return begin() + size_; }

  // The entry for `id`, or where it would be inserted.
  subscriber_entry* lower_bound(subscriber_id id) {
    return std::lower_bound(begin(), end(), id,
                            [](const subscriber_entry& e, subscriber_id v) { return e.id < v; });
  }

  void insert(subscriber_entry* at, const subscriber_entry& e) {
    const auto index = static_cast<std::size_t>(at - begin());
    if (size_ == capacity_) grow();
    subscriber_entry* first = begin();
    std::copy_backward(first + index, first + size_, first + size_ + 1);
    first[index] = e;
    ++size_;
  }

  void erase(subscriber_entry* at) {
    std::copy(at + 1, end(), at);
    --size_;
    if (size_ == 1 && capacity_ > 1) {  // back inline: a node that had many keeps no heap block
      const subscriber_entry last = heap_[0];
      delete[] heap_;
      capacity_ = 1;
      inline_ = last;
    }
  }

 private:
  void grow() {
    const std::uint32_t capacity = capacity_ * 2;
    auto* bigger = new subscriber_entry[capacity];
    std::copy(begin(), end(), bigger);
    if (capacity_ > 1) delete[] heap_;
    heap_ = bigger;
    capacity_ = capacity;
  }

  std::uint32_t size_ = 0;
  std::uint32_t capacity_ = 1;  // 1: the entry (if any) is inline_; more: heap_ holds capacity_
  union {
    subscriber_entry inline_;
    subscriber_entry* heap_;
  };
};

}  // namespace postcard::topic
