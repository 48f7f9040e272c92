#pragma once
// A std::deque that allocates nothing until its first element. libstdc++'s deque allocates its map and
// a 512-byte block even when empty, and every session has two of them (in flight, queued): for an idle
// connection that was most of its memory. Only the operations the engine uses are provided.
#include <cstddef>
#include <deque>
#include <memory>
#include <utility>

namespace postcard::broker {

template <class T>
class lazy_deque {
 public:
  using container = std::deque<T>;
  using iterator = typename container::iterator;
  using const_iterator = typename container::const_iterator;

  lazy_deque() = default;
  lazy_deque(lazy_deque&&) noexcept = default;
  lazy_deque& operator=(lazy_deque&&) noexcept = default;
  lazy_deque(const lazy_deque& other) : items_(other.items_ ? std::make_unique<container>(*other.items_) : nullptr) {}
  lazy_deque& operator=(const lazy_deque& other) {
    if (this != &other) items_ = other.items_ ? std::make_unique<container>(*other.items_) : nullptr;
    return *this;
  }

  bool empty() const { return !items_ || items_->empty(); }
  std::size_t size() const { return items_ ? items_->size() : 0; }
  // Value-initialized iterators compare equal, so an unallocated deque is an empty range.
  iterator begin() { return items_ ? items_->begin() : iterator{}; }
  iterator end() { return items_ ? items_->end() : iterator{}; }
  const_iterator begin() const { return items_ ? const_iterator(items_->begin()) : const_iterator{}; }
  const_iterator end() const { return items_ ? const_iterator(items_->end()) : const_iterator{}; }
  T& front() { return items_->front(); }
  T& back() { return items_->back(); }

  void push_back(T value) { storage().push_back(std::move(value)); }
  template <class... Args>
  T& emplace_back(Args&&... args) {
    return storage().emplace_back(std::forward<Args>(args)...);
  }
  // Releases the storage when the last element leaves, so a drained session is small again.
  void pop_front() {
    items_->pop_front();
    if (items_->empty()) items_.reset();
  }
  iterator erase(iterator it) { return items_->erase(it); }
  void clear() { items_.reset(); }

 private:
  container& storage() {
    if (!items_) items_ = std::make_unique<container>();
    return *items_;
  }
  std::unique_ptr<container> items_;
};

}  // namespace postcard::broker
