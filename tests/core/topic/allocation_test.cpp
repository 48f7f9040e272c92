// matches(), validate_*() and a warm subscription_trie::match allocate nothing: this test binary
// replaces the global operator new to count allocations.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "topic/subscription_trie.hpp"
#include "topic/topic.hpp"

namespace {
std::size_t allocations = 0;
}  // namespace

void* operator new(std::size_t size) {
  ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  std::abort();  // the topic tests never run out of memory
}
// g++ 12 (-O1, the sanitizer tree) inlines these into `new T` sites and warns of free() on memory from
// operator new: it does not see that the operator new above is malloc.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace postcard::topic {
namespace {

TEST(Allocation, CounterSeesAllocations) {
  const std::size_t before = allocations;
  auto* p = new std::string(100, 'x');
  delete p;
  EXPECT_GE(allocations - before, 1u);
}

TEST(Allocation, MatchesAndValidateAllocateNothing) {
  const std::string filter = "sport/+/player1/#";
  const std::string name = "sport/tennis/player1/score/wimbledon";
  const std::string shared = "$share/group/sport/+";
  const std::size_t before = allocations;
  bool all = true;
  all = all && matches(filter, name);
  all = all && !matches("#", "$SYS/x");
  all = all && validate_filter(filter) == topic_error::ok;
  all = all && validate_filter(shared) == topic_error::ok;
  all = all && validate_name(name) == topic_error::ok;
  all = all && parse_shared(shared).has_value();
  EXPECT_EQ(allocations - before, 0u);
  EXPECT_TRUE(all);
}

TEST(Allocation, WarmTrieMatchAllocatesNothing) {
  subscription_trie trie;
  for (subscriber_id i = 0; i < 100; ++i) {
    trie.insert("site/" + std::to_string(i % 10) + "/device/" + std::to_string(i), i, {});
  }
  trie.insert("site/+/device/#", 500, {});
  trie.insert("#", 501, {}, "g");
  std::vector<const subscriber_entry*> subs;
  std::vector<shared_group*> groups;
  trie.match("site/3/device/13", subs, groups);  // warms the vectors and the trie's work list
  ASSERT_EQ(subs.size(), 2u);
  ASSERT_EQ(groups.size(), 1u);
  const std::size_t before = allocations;
  for (int i = 0; i < 10; ++i) {
    subs.clear();
    groups.clear();
    trie.match("site/3/device/13", subs, groups);
  }
  EXPECT_EQ(allocations - before, 0u);
  EXPECT_EQ(subs.size(), 2u);
}

}  // namespace
}  // namespace postcard::topic
