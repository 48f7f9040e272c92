// Subscription trie: insert / replace / remove / prune / match, '$' topics, empty levels,
// overlapping filters, shared groups, for_each order.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "topic/subscription_trie.hpp"

namespace postcard::topic {
namespace {

subscription_options qos(std::uint8_t q) {
  subscription_options o;
  o.max_qos = q;
  return o;
}

struct matched {
  std::vector<subscriber_id> ids;  // sorted
  std::vector<std::string> groups;
};

matched match(subscription_trie& trie, std::string_view topic) {
  std::vector<const subscriber_entry*> subs;
  std::vector<shared_group*> groups;
  trie.match(topic, subs, groups);
  matched m;
  for (const auto* s : subs) m.ids.push_back(s->id);
  std::sort(m.ids.begin(), m.ids.end());
  for (const auto* g : groups) m.groups.push_back(g->name);
  return m;
}

using ids = std::vector<subscriber_id>;

using row = std::tuple<std::string, std::string, subscriber_id, std::uint8_t>;
std::vector<row> dump(const subscription_trie& trie) {
  std::vector<row> rows;
  trie.for_each([&](std::string_view filter, std::string_view group, const subscriber_entry& e) {
    rows.emplace_back(std::string(filter), std::string(group), e.id, e.options.max_qos);
  });
  return rows;
}

TEST(SubscriptionTrie, EmptyTrieMatchesNothing) {
  subscription_trie trie;
  EXPECT_EQ(trie.size(), 0u);
  EXPECT_TRUE(match(trie, "a/b").ids.empty());
  EXPECT_TRUE(dump(trie).empty());
}

TEST(SubscriptionTrie, InsertThenMatchExact) {
  subscription_trie trie;
  EXPECT_FALSE(trie.insert("a/b", 1, qos(1)));
  EXPECT_EQ(trie.size(), 1u);
  EXPECT_EQ(match(trie, "a/b").ids, ids{1});
  EXPECT_TRUE(match(trie, "a").ids.empty());
  EXPECT_TRUE(match(trie, "a/b/c").ids.empty());
  EXPECT_TRUE(match(trie, "a/c").ids.empty());
}

TEST(SubscriptionTrie, InsertSameSubscriptionReplacesOptions) {
  subscription_trie trie;
  EXPECT_FALSE(trie.insert("a/+", 7, qos(0)));
  EXPECT_TRUE(trie.insert("a/+", 7, qos(2)));  // [MQTT-3.8.4-3]
  EXPECT_EQ(trie.size(), 1u);
  std::vector<const subscriber_entry*> subs;
  std::vector<shared_group*> groups;
  trie.match("a/x", subs, groups);
  ASSERT_EQ(subs.size(), 1u);
  EXPECT_EQ(subs[0]->options.max_qos, 2);
}

TEST(SubscriptionTrie, RemoveReportsWhetherItExisted) {
  subscription_trie trie;
  trie.insert("a/b", 1, qos(0));
  trie.insert("a/b", 2, qos(0));
  EXPECT_FALSE(trie.remove("a/b", 3));
  EXPECT_FALSE(trie.remove("a/c", 1));
  EXPECT_FALSE(trie.remove("a/b/c", 1));
  EXPECT_FALSE(trie.remove("a/b", 1, "group"));
  EXPECT_TRUE(trie.remove("a/b", 1));
  EXPECT_FALSE(trie.remove("a/b", 1));
  EXPECT_EQ(trie.size(), 1u);
  EXPECT_EQ(match(trie, "a/b").ids, ids{2});
}

TEST(SubscriptionTrie, RemovePrunesEmptyNodesButKeepsUsedOnes) {
  subscription_trie trie;
  trie.insert("a/b/c/d", 1, qos(0));
  trie.insert("a/b", 2, qos(0));
  trie.insert("a/+/#", 3, qos(0));
  EXPECT_TRUE(trie.remove("a/b/c/d", 1));
  EXPECT_TRUE(trie.remove("a/+/#", 3));
  // "a/b" still there, and still matched; the pruned branches leave no trace in for_each.
  EXPECT_EQ(match(trie, "a/b").ids, ids{2});
  EXPECT_EQ(dump(trie), (std::vector<row>{{"a/b", "", 2, 0}}));
  EXPECT_TRUE(trie.remove("a/b", 2));
  EXPECT_EQ(trie.size(), 0u);
  EXPECT_TRUE(dump(trie).empty());
  // The trie is reusable after being emptied.
  trie.insert("a/b", 4, qos(0));
  EXPECT_EQ(match(trie, "a/b").ids, ids{4});
}

TEST(SubscriptionTrie, PlusMatchesOneLevel) {
  subscription_trie trie;
  trie.insert("sport/+", 1, qos(0));
  trie.insert("+/tennis", 2, qos(0));
  trie.insert("+/+", 3, qos(0));
  trie.insert("+", 4, qos(0));
  EXPECT_EQ(match(trie, "sport/tennis").ids, (ids{1, 2, 3}));
  EXPECT_EQ(match(trie, "sport").ids, ids{4});
  EXPECT_EQ(match(trie, "sport/").ids, (ids{1, 3}));
  EXPECT_TRUE(match(trie, "sport/tennis/x").ids.empty());
}

TEST(SubscriptionTrie, HashMatchesParentAndBelow) {
  subscription_trie trie;
  trie.insert("sport/#", 1, qos(0));
  trie.insert("#", 2, qos(0));
  trie.insert("sport/tennis/#", 3, qos(0));
  EXPECT_EQ(match(trie, "sport").ids, (ids{1, 2}));
  EXPECT_EQ(match(trie, "sport/tennis").ids, (ids{1, 2, 3}));
  EXPECT_EQ(match(trie, "sport/tennis/player1/score").ids, (ids{1, 2, 3}));
  EXPECT_EQ(match(trie, "news").ids, ids{2});
}

TEST(SubscriptionTrie, DollarTopicsSkipLeadingWildcards) {  // [MQTT-4.7.2-1]
  subscription_trie trie;
  trie.insert("#", 1, qos(0));
  trie.insert("+/monitor/Clients", 2, qos(0));
  trie.insert("$SYS/#", 3, qos(0));
  trie.insert("$SYS/monitor/+", 4, qos(0));
  trie.insert("+/#", 5, qos(0));
  trie.insert("#", 6, qos(0), "g");
  EXPECT_EQ(match(trie, "$SYS/monitor/Clients").ids, (ids{3, 4}));
  EXPECT_TRUE(match(trie, "$SYS/monitor/Clients").groups.empty());
  EXPECT_EQ(match(trie, "SYS/monitor/Clients").ids, (ids{1, 2, 5}));
  EXPECT_EQ(match(trie, "SYS/monitor/Clients").groups, std::vector<std::string>{"g"});
}

TEST(SubscriptionTrie, EmptyLevelsAreLevels) {
  subscription_trie trie;
  trie.insert("a//b", 1, qos(0));
  trie.insert("/a", 2, qos(0));
  trie.insert("a/", 3, qos(0));
  trie.insert("a/+/b", 4, qos(0));
  trie.insert("+/a", 5, qos(0));
  trie.insert("a/+", 6, qos(0));
  trie.insert("/", 7, qos(0));
  EXPECT_EQ(match(trie, "a//b").ids, (ids{1, 4}));
  EXPECT_EQ(match(trie, "/a").ids, (ids{2, 5}));
  EXPECT_EQ(match(trie, "a/").ids, (ids{3, 6}));
  EXPECT_TRUE(match(trie, "a").ids.empty());
  EXPECT_EQ(match(trie, "/").ids, ids{7});
  EXPECT_EQ(dump(trie).size(), 7u);
  EXPECT_TRUE(trie.remove("/a", 2));
  EXPECT_EQ(match(trie, "/a").ids, ids{5});
}

TEST(SubscriptionTrie, OverlappingFiltersReportEachMatch) {
  subscription_trie trie;
  trie.insert("a/b/c", 1, qos(0));
  trie.insert("a/+/c", 1, qos(1));
  trie.insert("a/#", 1, qos(2));
  trie.insert("a/b/c", 2, qos(0));
  std::vector<const subscriber_entry*> subs;
  std::vector<shared_group*> groups;
  trie.match("a/b/c", subs, groups);
  ASSERT_EQ(subs.size(), 4u);
  int max_qos_of_1 = -1;
  for (const auto* s : subs) {
    if (s->id == 1) max_qos_of_1 = std::max(max_qos_of_1, int{s->options.max_qos});
  }
  EXPECT_EQ(max_qos_of_1, 2);
  EXPECT_EQ(trie.size(), 4u);
}

TEST(SubscriptionTrie, MatchAppendsToTheCallersVectors) {
  subscription_trie trie;
  trie.insert("a", 1, qos(0));
  std::vector<const subscriber_entry*> subs;
  std::vector<shared_group*> groups;
  trie.match("a", subs, groups);
  trie.match("a", subs, groups);
  EXPECT_EQ(subs.size(), 2u);
  // Warm vectors: clearing and matching again keeps their storage.
  subs.clear();
  const auto* storage = subs.data();
  trie.match("a", subs, groups);
  EXPECT_EQ(subs.data(), storage);
}

TEST(SubscriptionTrie, SharedGroupsKeepMembersInSubscriptionOrder) {
  subscription_trie trie;
  EXPECT_FALSE(trie.insert("sport/+", 30, qos(0), "g1"));
  EXPECT_FALSE(trie.insert("sport/+", 10, qos(1), "g1"));
  EXPECT_FALSE(trie.insert("sport/+", 20, qos(0), "g1"));
  EXPECT_FALSE(trie.insert("sport/+", 10, qos(0), "g2"));
  EXPECT_FALSE(trie.insert("sport/+", 10, qos(0)));  // plain, same filter
  EXPECT_TRUE(trie.insert("sport/+", 10, qos(2), "g1"));
  EXPECT_EQ(trie.size(), 5u);

  std::vector<const subscriber_entry*> subs;
  std::vector<shared_group*> groups;
  trie.match("sport/tennis", subs, groups);
  ASSERT_EQ(subs.size(), 1u);
  EXPECT_EQ(subs[0]->id, 10u);
  ASSERT_EQ(groups.size(), 2u);
  shared_group* g1 = groups[0]->name == "g1" ? groups[0] : groups[1];
  ASSERT_EQ(g1->name, "g1");
  ASSERT_EQ(g1->members.size(), 3u);
  EXPECT_EQ(g1->members[0].id, 30u);
  EXPECT_EQ(g1->members[1].id, 10u);
  EXPECT_EQ(g1->members[1].options.max_qos, 2);
  EXPECT_EQ(g1->members[2].id, 20u);
  EXPECT_TRUE(match(trie, "sport").groups.empty());
}

TEST(SubscriptionTrie, SharedGroupIsPerFilter) {
  subscription_trie trie;
  trie.insert("a/+", 1, qos(0), "g");
  trie.insert("a/b", 2, qos(0), "g");
  const auto m = match(trie, "a/b");
  EXPECT_EQ(m.groups, (std::vector<std::string>{"g", "g"}));
  EXPECT_EQ(match(trie, "a/c").groups, std::vector<std::string>{"g"});
}

TEST(SubscriptionTrie, RemovingSharedMembersKeepsTheCursorAndPrunes) {
  subscription_trie trie;
  trie.insert("x/#", 1, qos(0), "g");
  trie.insert("x/#", 2, qos(0), "g");
  trie.insert("x/#", 3, qos(0), "g");
  std::vector<const subscriber_entry*> subs;
  std::vector<shared_group*> groups;
  trie.match("x", subs, groups);
  ASSERT_EQ(groups.size(), 1u);
  groups[0]->next = 2;  // member 3 is due next
  EXPECT_TRUE(trie.remove("x/#", 1, "g"));
  groups.clear();
  trie.match("x/y", subs, groups);
  ASSERT_EQ(groups.size(), 1u);
  ASSERT_EQ(groups[0]->members.size(), 2u);
  EXPECT_EQ(groups[0]->members[groups[0]->next].id, 3u);
  EXPECT_TRUE(trie.remove("x/#", 3, "g"));
  EXPECT_LT(groups[0]->next, groups[0]->members.size());
  EXPECT_FALSE(trie.remove("x/#", 3, "g"));
  EXPECT_FALSE(trie.remove("x/#", 2, "other"));
  EXPECT_TRUE(trie.remove("x/#", 2, "g"));
  EXPECT_EQ(trie.size(), 0u);
  EXPECT_TRUE(dump(trie).empty());
  EXPECT_TRUE(match(trie, "x").groups.empty());
}

TEST(SubscriptionTrie, ForEachIsSortedByLevelsAndSubscriber) {
  // Levels in byte order: "" (of "/x") < "#" < "+" < "a" < "b".
  subscription_trie trie;
  trie.insert("b", 2, qos(0));
  trie.insert("a/+", 5, qos(1), "g2");
  trie.insert("a/+", 4, qos(1), "g1");
  trie.insert("a", 9, qos(0));
  trie.insert("a", 3, qos(0));
  trie.insert("#", 1, qos(2));
  trie.insert("a/b", 6, qos(0));
  trie.insert("/x", 8, qos(0));
  const std::vector<row> expected{
      {"/x", "", 8, 0},  {"#", "", 1, 2},    {"+", "", 7, 0},  {"a", "", 3, 0},
      {"a", "", 9, 0},   {"a/+", "g1", 4, 1}, {"a/+", "g2", 5, 1}, {"a/b", "", 6, 0},
      {"b", "", 2, 0},
  };
  trie.insert("+", 7, qos(0));
  EXPECT_EQ(dump(trie), expected);
}

TEST(SubscriptionTrie, MoveKeepsSubscriptions) {
  subscription_trie a;
  a.insert("a/b", 1, qos(0));
  subscription_trie b(std::move(a));
  EXPECT_EQ(b.size(), 1u);
  EXPECT_EQ(match(b, "a/b").ids, ids{1});
  subscription_trie c;
  c.insert("z", 2, qos(0));
  c = std::move(b);
  EXPECT_EQ(c.size(), 1u);
  EXPECT_EQ(match(c, "a/b").ids, ids{1});
  EXPECT_TRUE(match(c, "z").ids.empty());
  // A moved-from trie is empty and usable.
  EXPECT_EQ(a.size(), 0u);  // NOLINT(bugprone-use-after-move)
  EXPECT_TRUE(match(a, "a/b").ids.empty());
  EXPECT_FALSE(a.remove("a/b", 1));
  EXPECT_FALSE(a.insert("q", 3, qos(0)));
  EXPECT_EQ(match(a, "q").ids, ids{3});
}

TEST(SubscriptionTrie, ManySubscribersOnOneFilterGrowAndShrink) {
  subscription_trie trie;
  ids expected;
  for (subscriber_id i = 0; i < 200; ++i) {
    const subscriber_id id = (i * 7919) % 211;  // distinct ids in scrambled order
    trie.insert("a/b", id, qos(static_cast<std::uint8_t>(id % 3)));
    expected.push_back(id);
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(match(trie, "a/b").ids, expected);
  // for_each reports them sorted by id, each with its own options.
  subscriber_id previous = 0;
  std::size_t seen = 0;
  trie.for_each([&](std::string_view, std::string_view, const subscriber_entry& e) {
    if (seen++ > 0) {
      EXPECT_GT(e.id, previous);
    }
    EXPECT_EQ(e.options.max_qos, e.id % 3);
    previous = e.id;
  });
  EXPECT_EQ(seen, 200u);
  // Down to one (stored inline again), then none.
  for (std::size_t i = 1; i < expected.size(); ++i) EXPECT_TRUE(trie.remove("a/b", expected[i]));
  EXPECT_EQ(match(trie, "a/b").ids, ids{expected[0]});
  EXPECT_TRUE(trie.insert("a/b", expected[0], qos(2)));
  EXPECT_FALSE(trie.insert("a/b", 1000, qos(0)));
  EXPECT_EQ(match(trie, "a/b").ids, (ids{expected[0], 1000}));
  EXPECT_TRUE(trie.remove("a/b", expected[0]));
  EXPECT_TRUE(trie.remove("a/b", 1000));
  EXPECT_EQ(trie.size(), 0u);
  EXPECT_TRUE(match(trie, "a/b").ids.empty());
}

TEST(SubscriptionTrie, VeryDeepFiltersDoNotExhaustTheStack) {
  std::string deep = "a";
  for (int i = 0; i < 30000; ++i) deep += "/a";
  subscription_trie trie;
  trie.insert(deep, 1, qos(0));
  trie.insert(deep + "/#", 2, qos(0));
  EXPECT_EQ(match(trie, deep).ids, (ids{1, 2}));
  std::size_t visited = 0;
  trie.for_each([&](std::string_view filter, std::string_view, const subscriber_entry&) {
    visited += filter.size();
  });
  EXPECT_EQ(visited, deep.size() * 2 + 2);
}  // and the destructor must not recurse 30,000 deep either

}  // namespace
}  // namespace postcard::topic
