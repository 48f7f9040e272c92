#pragma once
// Retained messages keyed by topic name, with lookup of every retained topic that matches a filter
// (wildcards included) in time proportional to what it visits, not to the number of stored topics.
// The message type is the broker's: this store only indexes it by topic.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace postcard::topic {

template <class Message>
class retained_store {
 public:
  // Stores or replaces. Returns true if a message for that topic already existed.
  bool set(std::string_view topic_name, Message message);
  bool erase(std::string_view topic_name);
  const Message* find(std::string_view topic_name) const;
  // f(std::string_view topic_name, const Message&) for each retained topic matching `filter`
  // (a valid non-shared filter). [MQTT-4.7.2-1] applies to '$' topics. Order is deterministic.
  template <class F>
  void match(std::string_view filter, F&& f) const;
  // f(std::string_view topic_name, const Message&) for every message, deterministic order.
  template <class F>
  void for_each(F&& f) const;
  // Removes every message for which pred(topic, message) is true (e.g. expired); returns how many.
  template <class Pred>
  std::size_t erase_if(Pred&& pred);
  std::size_t size() const { return size_; }

 private:
  // Implementation: a trie of topic levels (defined in this header, since it is a template).
  std::size_t size_ = 0;
};

}  // namespace postcard::topic
