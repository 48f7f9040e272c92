// Retained store: set / find / erase / match with '+', '#' and '$SYS' / for_each / erase_if.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "topic/retained_store.hpp"
#include "topic/topic.hpp"

namespace postcard::topic {
namespace {

struct message {
  std::string payload;
  int expiry = 0;
};

std::vector<std::string> matched(const retained_store<message>& store, std::string_view filter) {
  std::vector<std::string> topics;
  store.match(filter, [&](std::string_view topic, const message& m) {
    EXPECT_EQ(m.payload, "p:" + std::string(topic));
    topics.emplace_back(topic);
  });
  return topics;
}

retained_store<message> sample() {
  retained_store<message> store;
  for (const char* t : {"sport", "sport/tennis", "sport/tennis/player1", "sport/tennis/player2",
                        "sport/golf", "news/uk", "$SYS/broker/clients", "$SYS/uptime", "/finance",
                        "a//b", "a/"}) {
    store.set(t, message{std::string("p:") + t});
  }
  return store;
}

using topics = std::vector<std::string>;

TEST(RetainedStore, SetFindReplaceErase) {
  retained_store<message> store;
  EXPECT_EQ(store.find("a/b"), nullptr);
  EXPECT_FALSE(store.set("a/b", message{"one"}));
  EXPECT_TRUE(store.set("a/b", message{"two"}));
  EXPECT_EQ(store.size(), 1u);
  ASSERT_NE(store.find("a/b"), nullptr);
  EXPECT_EQ(store.find("a/b")->payload, "two");
  EXPECT_EQ(store.find("a"), nullptr);      // an inner node holds no message
  EXPECT_EQ(store.find("a/b/c"), nullptr);
  EXPECT_FALSE(store.erase("a"));
  EXPECT_TRUE(store.erase("a/b"));
  EXPECT_FALSE(store.erase("a/b"));
  EXPECT_EQ(store.size(), 0u);
  EXPECT_EQ(store.find("a/b"), nullptr);
}

TEST(RetainedStore, EraseKeepsNeighbours) {
  retained_store<message> store;
  store.set("a", message{"p:a"});
  store.set("a/b/c", message{"p:a/b/c"});
  store.set("a/b/d", message{"p:a/b/d"});
  EXPECT_TRUE(store.erase("a/b/c"));
  EXPECT_EQ(matched(store, "#"), (topics{"a", "a/b/d"}));
  EXPECT_TRUE(store.erase("a"));
  EXPECT_EQ(matched(store, "#"), (topics{"a/b/d"}));
  EXPECT_TRUE(store.erase("a/b/d"));
  EXPECT_TRUE(matched(store, "#").empty());
  store.set("a/b", message{"p:a/b"});
  EXPECT_EQ(matched(store, "a/+"), (topics{"a/b"}));
}

TEST(RetainedStore, ExactFilter) {
  const auto store = sample();
  EXPECT_EQ(matched(store, "sport/tennis"), (topics{"sport/tennis"}));
  EXPECT_TRUE(matched(store, "sport/cricket").empty());
  EXPECT_EQ(matched(store, "/finance"), (topics{"/finance"}));
  EXPECT_EQ(matched(store, "a//b"), (topics{"a//b"}));
  EXPECT_EQ(matched(store, "a/"), (topics{"a/"}));
}

TEST(RetainedStore, PlusFilter) {
  const auto store = sample();
  EXPECT_EQ(matched(store, "sport/+"), (topics{"sport/golf", "sport/tennis"}));
  EXPECT_EQ(matched(store, "sport/tennis/+"), (topics{"sport/tennis/player1", "sport/tennis/player2"}));
  EXPECT_EQ(matched(store, "+"), (topics{"sport"}));
  EXPECT_EQ(matched(store, "+/+"), (topics{"/finance", "a/", "news/uk", "sport/golf", "sport/tennis"}));
  EXPECT_EQ(matched(store, "a/+/b"), (topics{"a//b"}));
}

TEST(RetainedStore, HashFilter) {
  const auto store = sample();
  EXPECT_EQ(matched(store, "sport/#"), (topics{"sport", "sport/golf", "sport/tennis",
                                               "sport/tennis/player1", "sport/tennis/player2"}));
  EXPECT_EQ(matched(store, "sport/tennis/player1/#"), (topics{"sport/tennis/player1"}));
  EXPECT_EQ(matched(store, "+/tennis/#"),
            (topics{"sport/tennis", "sport/tennis/player1", "sport/tennis/player2"}));
  EXPECT_EQ(matched(store, "#").size(), 9u);  // everything but the two $SYS topics
}

TEST(RetainedStore, SysTopics) {  // [MQTT-4.7.2-1]
  const auto store = sample();
  for (const auto& t : matched(store, "#")) EXPECT_NE(t.front(), '$') << t;
  for (const auto& t : matched(store, "+/#")) EXPECT_NE(t.front(), '$') << t;
  EXPECT_TRUE(matched(store, "+/uptime").empty());
  EXPECT_EQ(matched(store, "$SYS/#"), (topics{"$SYS/broker/clients", "$SYS/uptime"}));
  EXPECT_EQ(matched(store, "$SYS/+"), (topics{"$SYS/uptime"}));
  EXPECT_EQ(matched(store, "$SYS/+/clients"), (topics{"$SYS/broker/clients"}));
}

TEST(RetainedStore, MatchAgreesWithMatchesOnEveryStoredTopic) {
  const auto store = sample();
  std::vector<std::string> all;
  store.for_each([&](std::string_view t, const message&) { all.emplace_back(t); });
  ASSERT_EQ(all.size(), store.size());
  for (const char* filter : {"#", "+", "+/+", "+/#", "sport/#", "a/#", "a/+", "/#", "+/+/+",
                             "$SYS/#", "+/tennis/+", "a/+/+", "news/uk/#"}) {
    std::vector<std::string> expected;
    for (const auto& t : all) {
      if (matches(filter, t)) expected.push_back(t);
    }
    auto got = matched(store, filter);
    std::sort(got.begin(), got.end());
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(got, expected) << filter;
  }
}

TEST(RetainedStore, ForEachVisitsEverythingInByteOrder) {
  const auto store = sample();
  topics all;
  store.for_each([&](std::string_view t, const message&) { all.emplace_back(t); });
  EXPECT_EQ(all, (topics{"/finance", "$SYS/broker/clients", "$SYS/uptime", "a/", "a//b",
                         "news/uk", "sport", "sport/golf", "sport/tennis", "sport/tennis/player1",
                         "sport/tennis/player2"}));
}

TEST(RetainedStore, EraseIfRemovesAndPrunes) {
  auto store = sample();
  std::size_t i = 0;
  store.for_each([&](std::string_view, const message&) { ++i; });
  EXPECT_EQ(i, 11u);
  const std::size_t removed = store.erase_if([](std::string_view topic, const message&) {
    return topic.starts_with("sport");
  });
  EXPECT_EQ(removed, 5u);
  EXPECT_EQ(store.size(), 6u);
  EXPECT_TRUE(matched(store, "sport/#").empty());
  EXPECT_EQ(store.find("sport/tennis"), nullptr);
  EXPECT_NE(store.find("news/uk"), nullptr);
  EXPECT_EQ(store.erase_if([](std::string_view, const message&) { return false; }), 0u);
}

TEST(RetainedStore, MoveOnlyMessagesAndMoves) {
  retained_store<std::unique_ptr<int>> store;
  store.set("a", std::make_unique<int>(1));
  store.set("a", std::make_unique<int>(2));
  ASSERT_NE(store.find("a"), nullptr);
  EXPECT_EQ(**store.find("a"), 2);
  retained_store<std::unique_ptr<int>> other(std::move(store));
  EXPECT_EQ(other.size(), 1u);
  EXPECT_EQ(**other.find("a"), 2);
  EXPECT_EQ(store.size(), 0u);  // NOLINT(bugprone-use-after-move): moved-from is empty, usable
  EXPECT_EQ(store.find("a"), nullptr);
  EXPECT_FALSE(store.set("b", std::make_unique<int>(3)));
  EXPECT_EQ(**store.find("b"), 3);
}

TEST(RetainedStore, VeryDeepTopics) {
  std::string deep = "a";
  for (int i = 0; i < 30000; ++i) deep += "/a";
  retained_store<message> store;
  store.set(deep, message{"p:" + deep});
  EXPECT_EQ(matched(store, "#").size(), 1u);
  EXPECT_EQ(matched(store, deep).size(), 1u);
  EXPECT_TRUE(store.erase(deep));
  store.set(deep, message{"p:" + deep});
}  // destruction must not recurse 30,000 deep

}  // namespace
}  // namespace postcard::topic
