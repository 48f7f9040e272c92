// Randomized cross-check (fixed seed): subscription_trie::match and retained_store::match
// against brute-force matches() over thousands of random filters and names.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "topic/retained_store.hpp"
#include "topic/subscription_trie.hpp"
#include "topic/topic.hpp"

namespace postcard::topic {
namespace {

// Small alphabet of levels so that random filters and names collide often.
const char* const name_levels[] = {"a", "b", "c", "", "$SYS", "$x", "dd"};

std::string random_level_string(std::mt19937& rng) {
  std::uniform_int_distribution<int> depth(1, 5);
  std::uniform_int_distribution<int> pick(0, 6);
  std::string s;
  const int d = depth(rng);
  for (int i = 0; i < d; ++i) {
    if (i) s += '/';
    const int p = pick(rng);
    if (i > 0 && p >= 4 && p <= 5) { s += 'a'; continue; }  // '$' mostly as a first level
    s += name_levels[p];
  }
  return s;
}

std::string random_filter_string(std::mt19937& rng) {
  std::uniform_int_distribution<int> depth(1, 5);
  std::uniform_int_distribution<int> pick(0, 9);
  std::string s;
  const int d = depth(rng);
  for (int i = 0; i < d; ++i) {
    if (i) s += '/';
    const int p = pick(rng);
    if (p == 7 || p == 8) {
      s += '+';
    } else if (p == 9) {
      s += '#';
      break;
    } else {
      s += (i > 0 && (p == 4 || p == 5)) ? "a" : name_levels[p];
    }
  }
  return s;
}

// A single empty level is the one invalid string the generators make: draw again.
std::string random_name(std::mt19937& rng) {
  std::string s;
  while (s.empty()) s = random_level_string(rng);
  return s;
}

std::string random_filter(std::mt19937& rng) {
  std::string s;
  while (s.empty()) s = random_filter_string(rng);
  return s;
}

TEST(CrossCheck, TrieMatchEqualsBruteForce) {
  std::mt19937 rng(20261124);
  subscription_trie trie;
  std::vector<std::pair<std::string, subscriber_id>> subs;
  for (subscriber_id id = 0; id < 3000; ++id) {
    std::string f = random_filter(rng);
    ASSERT_EQ(validate_filter(f), topic_error::ok) << f;
    trie.insert(f, id, subscription_options{});
    subs.emplace_back(std::move(f), id);
  }
  // Remove a third, so that pruning is exercised too.
  for (std::size_t i = 0; i < subs.size(); i += 3) ASSERT_TRUE(trie.remove(subs[i].first, subs[i].second));
  std::vector<std::pair<std::string, subscriber_id>> live;
  for (std::size_t i = 0; i < subs.size(); ++i) {
    if (i % 3) live.push_back(subs[i]);
  }
  ASSERT_EQ(trie.size(), live.size());

  std::vector<const subscriber_entry*> got_ptrs;
  std::vector<shared_group*> groups;
  std::size_t total_matches = 0;
  for (int i = 0; i < 3000; ++i) {
    const std::string name = random_name(rng);
    ASSERT_EQ(validate_name(name), topic_error::ok) << name;
    std::vector<subscriber_id> expected;
    for (const auto& [f, id] : live) {
      if (matches(f, name)) expected.push_back(id);
    }
    got_ptrs.clear();
    groups.clear();
    trie.match(name, got_ptrs, groups);
    std::vector<subscriber_id> got;
    for (const auto* e : got_ptrs) got.push_back(e->id);
    std::sort(got.begin(), got.end());
    std::sort(expected.begin(), expected.end());
    ASSERT_EQ(got, expected) << name;
    EXPECT_TRUE(groups.empty());
    total_matches += got.size();
  }
  EXPECT_GT(total_matches, 10000u);  // the alphabet is small enough to make matches common
}

TEST(CrossCheck, RetainedMatchEqualsBruteForce) {
  std::mt19937 rng(7);
  retained_store<int> store;
  std::vector<std::string> names;
  for (int i = 0; i < 2000; ++i) {
    std::string n = random_name(rng);
    if (!store.set(n, i)) names.push_back(std::move(n));
  }
  ASSERT_EQ(store.size(), names.size());
  std::size_t total = 0;
  for (int i = 0; i < 2000; ++i) {
    const std::string filter = random_filter(rng);
    std::vector<std::string> expected;
    for (const auto& n : names) {
      if (matches(filter, n)) expected.push_back(n);
    }
    std::vector<std::string> got;
    store.match(filter, [&](std::string_view t, const int&) { got.emplace_back(t); });
    std::vector<std::string> first_run = got;
    std::sort(got.begin(), got.end());
    std::sort(expected.begin(), expected.end());
    ASSERT_EQ(got, expected) << filter;
    // Deterministic: a second run reports the same topics in the same order.
    std::vector<std::string> second_run;
    store.match(filter, [&](std::string_view t, const int&) { second_run.emplace_back(t); });
    ASSERT_EQ(first_run, second_run);
    total += got.size();
  }
  EXPECT_GT(total, 1000u);
}

}  // namespace
}  // namespace postcard::topic
