// Subscription trie (see subscription_trie_node.hpp for the node layout).
//
// Theory of operation: insert walks the filter level by level, creating nodes as needed, and
// stores the subscription in the last node (plain ones sorted by subscriber id, shared ones in
// their (filter, group) member list in subscription order). remove walks the same path without
// creating anything and then prunes, bottom up, every node left with nothing in it. match walks
// the topic name: from each reached node it follows the literal child for the next level and the
// '+' child, and collects everything under the '#' child (which also matches the parent level);
// once every level is consumed, it collects the node itself. Work list instead of recursion, so a
// deep topic cannot exhaust the (small, in wasm) call stack; destruction is iterative for the same
// reason.
#include "topic/subscription_trie.hpp"

#include <algorithm>
#include <utility>

#include "topic/levels.hpp"

namespace postcard::topic {

subscription_trie::subscription_trie() : root_(std::make_unique<node>()) {}

subscription_trie::~subscription_trie() { destroy(std::move(root_)); }

subscription_trie::subscription_trie(subscription_trie&& other) noexcept
    : root_(std::move(other.root_)), size_(std::exchange(other.size_, 0)) {}

subscription_trie& subscription_trie::operator=(subscription_trie&& other) noexcept {
  if (this != &other) {
    destroy(std::move(root_));
    root_ = std::move(other.root_);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

void subscription_trie::destroy(std::unique_ptr<node> n) {
  std::vector<std::unique_ptr<node>> pending;
  if (n) pending.push_back(std::move(n));
  while (!pending.empty()) {
    std::unique_ptr<node> current = std::move(pending.back());
    pending.pop_back();
    if (current->children) {
      for (auto& [level, child] : *current->children) pending.push_back(std::move(child));
    }
    if (current->more) {
      if (current->more->plus) pending.push_back(std::move(current->more->plus));
      if (current->more->hash) pending.push_back(std::move(current->more->hash));
    }
  }  // each node dies childless, so no destructor recurses
}

bool subscription_trie::insert(std::string_view filter, subscriber_id id,
                               const subscription_options& options,
                               std::string_view share_group) {
  if (!root_) root_ = std::make_unique<node>();  // a moved-from trie becomes usable again
  node* n = root_.get();
  level_cursor cursor(filter);
  while (!cursor.done()) {
    const std::string_view level = cursor.next();
    std::unique_ptr<node>* slot = nullptr;
    if (level == "+" || level == "#") {
      if (!n->more) n->more = std::make_unique<node::extras>();
      slot = level == "+" ? &n->more->plus : &n->more->hash;
    } else {
      if (!n->children) n->children = std::make_unique<node::child_map>();
      auto it = n->children->find(level);
      if (it == n->children->end()) {
        auto child = std::make_unique<node>();
        child->level = std::string(level);
        node* raw = child.get();
        n->children->emplace(std::string_view(raw->level), std::move(child));
        n = raw;
        continue;
      }
      n = it->second.get();
      continue;
    }
    if (!*slot) {
      *slot = std::make_unique<node>();
      (*slot)->level = std::string(level);
    }
    n = slot->get();
  }

  if (share_group.empty()) {
    subscriber_entry* it = n->subscribers.lower_bound(id);
    if (it != n->subscribers.end() && it->id == id) {
      it->options = options;  // [MQTT-3.8.4-3] a repeated subscription replaces the old one
      return true;
    }
    n->subscribers.insert(it, subscriber_entry{id, options});
    ++size_;
    return false;
  }

  if (!n->more) n->more = std::make_unique<node::extras>();
  auto& groups = n->more->groups;
  auto g = std::lower_bound(groups.begin(), groups.end(), share_group,
                            [](const auto& a, std::string_view v) { return a->name < v; });
  if (g == groups.end() || (*g)->name != share_group) {
    auto created = std::make_unique<shared_group>();
    created->name = std::string(share_group);
    g = groups.insert(g, std::move(created));
  }
  for (subscriber_entry& m : (*g)->members) {
    if (m.id == id) {
      m.options = options;  // [MQTT-3.8.4-3]
      return true;
    }
  }
  (*g)->members.push_back(subscriber_entry{id, options});
  ++size_;
  return false;
}

bool subscription_trie::remove(std::string_view filter, subscriber_id id,
                               std::string_view share_group) {
  if (!root_) return false;
  path_.clear();
  node* n = root_.get();
  path_.push_back(n);
  level_cursor cursor(filter);
  while (!cursor.done()) {
    const std::string_view level = cursor.next();
    if (level == "+") {
      n = n->plus();
    } else if (level == "#") {
      n = n->hash();
    } else {
      if (!n->children) return false;
      auto it = n->children->find(level);
      n = it == n->children->end() ? nullptr : it->second.get();
    }
    if (!n) return false;
    path_.push_back(n);
  }

  if (share_group.empty()) {
    subscriber_entry* it = n->subscribers.lower_bound(id);
    if (it == n->subscribers.end() || it->id != id) return false;
    n->subscribers.erase(it);
  } else {
    if (!n->more) return false;
    auto& groups = n->more->groups;
    auto g = std::find_if(groups.begin(), groups.end(),
                          [&](const auto& a) { return a->name == share_group; });
    if (g == groups.end()) return false;
    auto& members = (*g)->members;
    auto m = std::find_if(members.begin(), members.end(),
                          [&](const subscriber_entry& e) { return e.id == id; });
    if (m == members.end()) return false;
    const auto index = static_cast<std::size_t>(m - members.begin());
    members.erase(m);
    // Keep the round-robin cursor on the member that was due next.
    if ((*g)->next > index) --(*g)->next;
    if ((*g)->next >= members.size()) (*g)->next = 0;
    if (members.empty()) groups.erase(g);
    if (n->more->empty()) n->more.reset();
  }
  --size_;
  prune();
  return true;
}

void subscription_trie::prune() {
  for (std::size_t i = path_.size() - 1; i > 0 && path_[i]->empty(); --i) {
    node* n = path_[i];
    node* parent = path_[i - 1];
    if (n == parent->plus()) {
      parent->more->plus.reset();
    } else if (n == parent->hash()) {
      parent->more->hash.reset();
    } else {
      auto it = parent->children->find(std::string_view(n->level));
      parent->children->erase(it);
      if (parent->children->empty()) parent->children.reset();
    }
    if (parent->more && parent->more->empty()) parent->more.reset();
  }
}

void subscription_trie::match(std::string_view topic_name,
                              std::vector<const subscriber_entry*>& subscribers,
                              std::vector<shared_group*>& groups) {
  if (!root_) return;
  const auto collect = [&](node& n) {
    for (const subscriber_entry& s : n.subscribers) subscribers.push_back(&s);
    if (n.more) {
      for (auto& g : n.more->groups) groups.push_back(g.get());
    }
  };
  const bool dollar = !topic_name.empty() && topic_name.front() == '$';
  stack_.clear();
  stack_.push_back({root_.get(), 0});
  while (!stack_.empty()) {
    const match_frame fr = stack_.back();
    stack_.pop_back();
    // [MQTT-4.7.2-1] filters starting with a wildcard do not match topics starting with '$'.
    const bool wildcards = !(dollar && fr.n == root_.get());
    // [MQTT-4.7.1-1] '#' matches the parent level and any number of levels below it.
    if (fr.n->more && wildcards && fr.n->more->hash) collect(*fr.n->more->hash);
    if (fr.pos > topic_name.size()) {
      collect(*fr.n);
      continue;
    }
    level_cursor cursor(topic_name, fr.pos);
    const std::string_view level = cursor.next();
    if (fr.n->more && wildcards && fr.n->more->plus) {
      stack_.push_back({fr.n->more->plus.get(), cursor.position()});
    }
    if (fr.n->children) {
      auto it = fr.n->children->find(level);
      if (it != fr.n->children->end()) stack_.push_back({it->second.get(), cursor.position()});
    }
  }
}

}  // namespace postcard::topic
