#pragma once
// Walks a topic name or filter one level at a time, without allocating. Levels are the pieces
// between '/' separators, empty ones included: "a//b" is {"a", "", "b"}, "/a" is {"", "a"} and
// "a/" is {"a", ""} (spec 4.7.1.1). A non-empty string has at least one level.
#include <cstddef>
#include <string_view>

namespace postcard::topic {

class level_cursor {
 public:
  explicit level_cursor(std::string_view s, std::size_t pos = 0) : s_(s), pos_(pos) {}

  // True once every level has been returned.
  bool done() const { return pos_ > s_.size(); }
  // The next level; call only while !done().
  std::string_view next() {
    std::size_t end = s_.find('/', pos_);
    if (end == std::string_view::npos) end = s_.size();
    const std::string_view level = s_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return level;
  }
  // Where the next level starts (s.size() + 1 once done): resume with level_cursor(s, position()).
  std::size_t position() const { return pos_; }

 private:
  std::string_view s_;
  std::size_t pos_;
};

}  // namespace postcard::topic
