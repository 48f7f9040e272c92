#pragma once
// Subscription trie: topic filters -> subscribers, matched in time proportional to the topic's depth
// (and the number of matches), not to the number of subscriptions.
//
// Plain subscriptions are keyed by (filter, subscriber); shared subscriptions ($share/{group}/{filter})
// by (filter, group, subscriber): the trie keeps each (filter, group) as a shared_group whose members
// the broker picks from round robin. Pass the plain filter and the group name separately.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace postcard::topic {

using subscriber_id = std::uint32_t;

struct subscription_options {
  std::uint8_t max_qos = 0;
  bool no_local = false;
  bool retain_as_published = false;
  std::uint8_t retain_handling = 0;
  std::uint32_t identifier = 0;  // Subscription Identifier, 0 = none
  friend bool operator==(const subscription_options&, const subscription_options&) = default;
};

struct subscriber_entry {
  subscriber_id id = 0;
  subscription_options options;
};

struct shared_group {
  std::string name;                      // ShareName
  std::vector<subscriber_entry> members;  // in subscription order
  std::size_t next = 0;                   // round-robin cursor, advanced by the broker
};

class subscription_trie {
 public:
  subscription_trie();
  ~subscription_trie();
  subscription_trie(subscription_trie&&) noexcept;
  subscription_trie& operator=(subscription_trie&&) noexcept;

  // Adds the subscription, or replaces the options of an existing one. Returns true if it replaced.
  bool insert(std::string_view filter, subscriber_id id, const subscription_options& options,
              std::string_view share_group = {});
  // Returns true if the subscription existed. Empty nodes are pruned.
  bool remove(std::string_view filter, subscriber_id id, std::string_view share_group = {});

  // Appends to the two vectors (which the caller clears and reuses: no allocation once warm) every
  // plain subscription and every shared group whose filter matches `topic_name`.
  // [MQTT-4.7.2-1]: '$' topics are not matched by filters that start with a wildcard.
  // A subscriber whose filters overlap appears once per matching filter (the broker merges them,
  // [MQTT-3.3.4-2]). The pointers stay valid until the next insert or remove.
  void match(std::string_view topic_name, std::vector<const subscriber_entry*>& subscribers,
             std::vector<shared_group*>& groups);

  // Visits every subscription: f(std::string_view filter, std::string_view group, const subscriber_entry&).
  // Group is empty for plain subscriptions. Order is deterministic.
  template <class F>
  void for_each(F&& f) const;

  std::size_t size() const { return size_; }  // subscriptions, shared members included

 private:
  struct node;
  struct match_frame {
    node* n;
    std::size_t pos;  // where the topic's next level starts (size + 1: all levels consumed)
  };
  std::unique_ptr<node> root_;
  std::size_t size_ = 0;
  std::vector<match_frame> stack_;  // match's work list, kept to stay warm
  std::vector<node*> path_;         // remove's path from the root, for pruning
  template <class F>
  static void visit(const node& n, std::string& path, F& f);
  static void destroy(std::unique_ptr<node> n);
  void prune();  // along path_, bottom up
};

}  // namespace postcard::topic

#include "topic/subscription_trie_node.hpp"
