#pragma once
// The subscription trie's node and its for_each (templates, so they live in a header).
// Included at the end of subscription_trie.hpp; not meant to be included on its own.
//
// One node per filter level. Literal children are found by level in a hash map whose keys view
// the child's own `level` string (nodes never move: they are owned through unique_ptr). '+' and '#'
// children are separate pointers (in `extras`), so matching a topic of depth d costs at most one hash lookup
// per level and per '+' branch taken, whatever the number of subscriptions. Maps, wildcard children
// and shared groups are allocated only by nodes that have them, and the first subscriber is stored
// inline, so a leaf with one subscriber (most subscriptions) is one 72-byte node plus its map entry.
#include <algorithm>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "topic/subscriber_list.hpp"
#include "topic/subscription_trie.hpp"

namespace postcard::topic {

struct subscription_trie::node {
  using child_map = std::unordered_map<std::string_view, std::unique_ptr<node>>;
  using group_list = std::vector<std::unique_ptr<shared_group>>;  // sorted by name
  // What few nodes have: wildcard children and shared groups, in one block allocated on demand.
  struct extras {
    std::unique_ptr<node> plus;
    std::unique_ptr<node> hash;
    group_list groups;
    bool empty() const { return !plus && !hash && groups.empty(); }
  };

  std::string level;  // this node's level ("+" and "#" for wildcard children, empty for the root)
  std::unique_ptr<child_map> children;  // literal levels; null when there are none
  std::unique_ptr<extras> more;         // null when there are none
  subscriber_list subscribers;          // plain subscriptions, sorted by id

  bool empty() const { return !children && !more && subscribers.empty(); }
  node* plus() const { return more ? more->plus.get() : nullptr; }
  node* hash() const { return more ? more->hash.get() : nullptr; }
};

template <class F>
void subscription_trie::for_each(F&& f) const {
  if (!root_) return;
  std::string path;
  visit(*root_, path, f);
}

// Depth first with an explicit stack (a filter may have thousands of levels), children in
// ascending order of their level strings, so the order depends only on the set of subscriptions.
template <class F>
void subscription_trie::visit(const node& start, std::string& path, F& f) {
  struct frame {
    const node* n;
    std::size_t parent_length;  // path length before this node's level is appended
    std::size_t depth;
  };
  std::vector<frame> stack{{&start, path.size(), 0}};
  std::vector<const node*> kids;
  while (!stack.empty()) {
    const frame fr = stack.back();
    stack.pop_back();
    path.resize(fr.parent_length);
    if (fr.depth > 1) path += '/';
    if (fr.depth > 0) path += fr.n->level;
    const std::string_view filter = path;
    for (const subscriber_entry& s : fr.n->subscribers) f(filter, std::string_view{}, s);
    if (fr.n->more) {
      for (const auto& g : fr.n->more->groups) {
        for (const subscriber_entry& m : g->members) f(filter, std::string_view(g->name), m);
      }
    }
    kids.clear();
    if (fr.n->children) {
      for (const auto& [level, child] : *fr.n->children) kids.push_back(child.get());
    }
    if (fr.n->plus()) kids.push_back(fr.n->plus());
    if (fr.n->hash()) kids.push_back(fr.n->hash());
    // Pushed in descending order so that they pop in ascending order.
    std::sort(kids.begin(), kids.end(),
              [](const node* a, const node* b) { return a->level > b->level; });
    for (const node* k : kids) stack.push_back({k, path.size(), fr.depth + 1});
  }
}

}  // namespace postcard::topic
