#pragma once
// Retained messages keyed by topic name, with lookup of every retained topic that matches a filter
// (wildcards included) in time proportional to what it visits, not to the number of stored topics.
// The message type is the broker's: this store only indexes it by topic.
//
// Theory of operation: a trie of topic-name levels (names have no wildcards, so every child is a
// literal, kept in an ordered map: iteration order is the byte order of the levels). A node holds
// the message retained on the topic that ends there. match walks the filter: a literal level
// follows one child, '+' follows every child, '#' takes the node itself (the parent level) and
// the whole subtree below it. [MQTT-4.7.2-1] '+' and '#' as the first level skip children whose
// level starts with '$'. Work lists instead of recursion: a topic may have thousands of levels.
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "topic/levels.hpp"

namespace postcard::topic {

template <class Message>
class retained_store {
 public:
  retained_store() : root_(std::make_unique<node>()) {}
  ~retained_store() { destroy(std::move(root_)); }
  retained_store(retained_store&& other) noexcept
      : root_(std::move(other.root_)), size_(std::exchange(other.size_, 0)) {}
  retained_store& operator=(retained_store&& other) noexcept {
    if (this != &other) {
      destroy(std::move(root_));
      root_ = std::move(other.root_);
      size_ = std::exchange(other.size_, 0);
    }
    return *this;
  }

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
  struct entry {
    std::string topic;
    Message message;
  };
  struct node {
    std::string_view level() const { return key ? std::string_view(*key) : std::string_view{}; }
    const std::string* key = nullptr;  // this node's level: its key in the parent's map
    node* parent = nullptr;
    std::map<std::string, std::unique_ptr<node>, std::less<>> children;
    std::unique_ptr<entry> value;
  };
  // Work-list marker: the whole subtree matches (below a '#').
  static constexpr std::size_t whole_subtree = static_cast<std::size_t>(-1);
  struct frame {
    const node* n;
    std::size_t pos;  // next filter level's start; size + 1 when consumed; whole_subtree
  };

  const node* walk(std::string_view topic_name) const;
  void prune(node* n);
  static void destroy(std::unique_ptr<node> n);
  static void push_children(std::vector<frame>& stack, const node& n, std::size_t pos,
                            bool skip_dollar);

  std::unique_ptr<node> root_;
  std::size_t size_ = 0;
};

template <class Message>
bool retained_store<Message>::set(std::string_view topic_name, Message message) {
  if (!root_) root_ = std::make_unique<node>();  // a moved-from store becomes usable again
  node* n = root_.get();
  level_cursor cursor(topic_name);
  while (!cursor.done()) {
    const std::string_view level = cursor.next();
    auto it = n->children.find(level);
    if (it == n->children.end()) {
      it = n->children.emplace(std::string(level), std::make_unique<node>()).first;
      it->second->key = &it->first;
      it->second->parent = n;
    }
    n = it->second.get();
  }
  if (n->value) {
    n->value->message = std::move(message);
    return true;
  }
  n->value = std::make_unique<entry>(entry{std::string(topic_name), std::move(message)});
  ++size_;
  return false;
}

template <class Message>
auto retained_store<Message>::walk(std::string_view topic_name) const -> const node* {
  const node* n = root_.get();
  level_cursor cursor(topic_name);
  while (n && !cursor.done()) {
    auto it = n->children.find(cursor.next());
    n = it == n->children.end() ? nullptr : it->second.get();
  }
  return n;
}

template <class Message>
const Message* retained_store<Message>::find(std::string_view topic_name) const {
  const node* n = walk(topic_name);
  return n && n->value ? &n->value->message : nullptr;
}

template <class Message>
bool retained_store<Message>::erase(std::string_view topic_name) {
  node* n = const_cast<node*>(walk(topic_name));
  if (!n || !n->value) return false;
  n->value.reset();
  --size_;
  prune(n);
  return true;
}

template <class Message>
void retained_store<Message>::prune(node* n) {
  while (n != root_.get() && !n->value && n->children.empty()) {
    node* parent = n->parent;
    parent->children.erase(parent->children.find(n->level()));
    n = parent;
  }
}

template <class Message>
void retained_store<Message>::destroy(std::unique_ptr<node> n) {
  std::vector<std::unique_ptr<node>> pending;
  if (n) pending.push_back(std::move(n));
  while (!pending.empty()) {
    std::unique_ptr<node> current = std::move(pending.back());
    pending.pop_back();
    for (auto& [level, child] : current->children) pending.push_back(std::move(child));
  }  // each node dies childless, so no destructor recurses
}

// Pushes in descending order, so that children pop (and are reported) in ascending order.
template <class Message>
void retained_store<Message>::push_children(std::vector<frame>& stack, const node& n,
                                            std::size_t pos, bool skip_dollar) {
  for (auto it = n.children.rbegin(); it != n.children.rend(); ++it) {
    if (skip_dollar && !it->first.empty() && it->first.front() == '$') continue;  // [MQTT-4.7.2-1]
    stack.push_back({it->second.get(), pos});
  }
}

template <class Message>
template <class F>
void retained_store<Message>::match(std::string_view filter, F&& f) const {
  if (!root_) return;
  std::vector<frame> stack{{root_.get(), 0}};
  while (!stack.empty()) {
    const frame fr = stack.back();
    stack.pop_back();
    const node& n = *fr.n;
    if (fr.pos == whole_subtree || fr.pos > filter.size()) {
      if (n.value) f(std::string_view(n.value->topic), std::as_const(n.value->message));
      if (fr.pos == whole_subtree) push_children(stack, n, whole_subtree, false);
      continue;
    }
    level_cursor cursor(filter, fr.pos);
    const std::string_view level = cursor.next();
    const bool at_root = &n == root_.get();
    if (level == "#") {
      // [MQTT-4.7.1-1] '#' also matches the parent level: "sport/#" matches "sport".
      if (n.value) f(std::string_view(n.value->topic), std::as_const(n.value->message));
      push_children(stack, n, whole_subtree, at_root);
    } else if (level == "+") {
      push_children(stack, n, cursor.position(), at_root);
    } else {
      auto it = n.children.find(level);
      if (it != n.children.end()) stack.push_back({it->second.get(), cursor.position()});
    }
  }
}

template <class Message>
template <class F>
void retained_store<Message>::for_each(F&& f) const {
  if (!root_) return;
  std::vector<frame> stack{{root_.get(), whole_subtree}};
  while (!stack.empty()) {
    const node& n = *stack.back().n;
    stack.pop_back();
    if (n.value) f(std::string_view(n.value->topic), std::as_const(n.value->message));
    push_children(stack, n, whole_subtree, false);
  }
}

template <class Message>
template <class Pred>
std::size_t retained_store<Message>::erase_if(Pred&& pred) {
  std::vector<node*> doomed;
  for_each([&](std::string_view topic_name, const Message& message) {
    if (pred(topic_name, message)) doomed.push_back(const_cast<node*>(walk(topic_name)));
  });
  for (node* n : doomed) {
    n->value.reset();
    --size_;
    prune(n);
  }
  return doomed.size();
}

}  // namespace postcard::topic
