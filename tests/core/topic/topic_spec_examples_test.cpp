// Every example of spec section 4.7 (v5.0 text; 3.1.1 has the same ones), one test each,
// named by clause, plus the shared-subscription examples of 4.8.2.
#include <gtest/gtest.h>

#include "topic/topic.hpp"

namespace postcard::topic {
namespace {

// 4.7.1.2 Multi-level wildcard

TEST(Spec_4_7_1_2, HashMatchesParentAndAnyNumberOfChildLevels) {
  // "sport/tennis/player1/#" receives messages published to these three topic names.
  EXPECT_TRUE(matches("sport/tennis/player1/#", "sport/tennis/player1"));
  EXPECT_TRUE(matches("sport/tennis/player1/#", "sport/tennis/player1/ranking"));
  EXPECT_TRUE(matches("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon"));
  EXPECT_FALSE(matches("sport/tennis/player1/#", "sport/tennis/player2"));
  EXPECT_FALSE(matches("sport/tennis/player1/#", "sport/tennis"));
}

TEST(Spec_4_7_1_2, SportHashMatchesSingularSport) {
  EXPECT_TRUE(matches("sport/#", "sport"));  // '#' includes the parent level
  EXPECT_TRUE(matches("sport/#", "sport/"));
  EXPECT_FALSE(matches("sport/#", "sports"));
}

TEST(Spec_4_7_1_2, HashAloneIsValidAndMatchesEveryMessage) {
  EXPECT_EQ(validate_filter("#"), topic_error::ok);
  EXPECT_TRUE(matches("#", "sport"));
  EXPECT_TRUE(matches("#", "sport/tennis/player1"));
  EXPECT_TRUE(matches("#", "/"));
}

TEST(Spec_4_7_1_2, SportTennisHashIsValid) {
  EXPECT_EQ(validate_filter("sport/tennis/#"), topic_error::ok);
}

TEST(Spec_4_7_1_2, SportTennisHashWithoutSeparatorIsInvalid) {
  EXPECT_EQ(validate_filter("sport/tennis#"), topic_error::hash_not_last);  // [MQTT-4.7.1-1]
}

TEST(Spec_4_7_1_2, HashNotLastIsInvalid) {
  EXPECT_EQ(validate_filter("sport/tennis/#/ranking"), topic_error::hash_not_last);
}

// 4.7.1.3 Single-level wildcard

TEST(Spec_4_7_1_3, PlusMatchesExactlyOneLevel) {
  EXPECT_TRUE(matches("sport/tennis/+", "sport/tennis/player1"));
  EXPECT_TRUE(matches("sport/tennis/+", "sport/tennis/player2"));
  EXPECT_FALSE(matches("sport/tennis/+", "sport/tennis/player1/ranking"));
}

TEST(Spec_4_7_1_3, SportPlusDoesNotMatchSportButMatchesSportSlash) {
  EXPECT_FALSE(matches("sport/+", "sport"));
  EXPECT_TRUE(matches("sport/+", "sport/"));
}

TEST(Spec_4_7_1_3, ValidAndInvalidPlusFilters) {
  EXPECT_EQ(validate_filter("+"), topic_error::ok);
  EXPECT_EQ(validate_filter("+/tennis/#"), topic_error::ok);
  EXPECT_EQ(validate_filter("sport+"), topic_error::plus_not_alone);  // [MQTT-4.7.1-2]
  EXPECT_EQ(validate_filter("sport/+/player1"), topic_error::ok);
}

TEST(Spec_4_7_1_3, LeadingSlashFinance) {
  // "/finance" matches "+/+" and "/+", but not "+".
  EXPECT_TRUE(matches("+/+", "/finance"));
  EXPECT_TRUE(matches("/+", "/finance"));
  EXPECT_FALSE(matches("+", "/finance"));
}

// 4.7.2 Topics beginning with $

TEST(Spec_4_7_2, HashDoesNotMatchDollarTopics) {
  EXPECT_FALSE(matches("#", "$SYS/broker/clients"));  // [MQTT-4.7.2-1]
  EXPECT_FALSE(matches("#", "$SYS"));
}

TEST(Spec_4_7_2, PlusMonitorClientsDoesNotMatchSysMonitorClients) {
  EXPECT_FALSE(matches("+/monitor/Clients", "$SYS/monitor/Clients"));  // [MQTT-4.7.2-1]
  EXPECT_TRUE(matches("+/monitor/Clients", "SYS/monitor/Clients"));
}

TEST(Spec_4_7_2, SysHashMatchesSysTopics) {
  EXPECT_TRUE(matches("$SYS/#", "$SYS/monitor/Clients"));
  EXPECT_TRUE(matches("$SYS/#", "$SYS"));
}

TEST(Spec_4_7_2, SysMonitorPlusMatchesSysMonitorClients) {
  EXPECT_TRUE(matches("$SYS/monitor/+", "$SYS/monitor/Clients"));
}

TEST(Spec_4_7_2, BothHashAndSysHashCoverEverything) {
  const auto either = [](std::string_view name) {
    return matches("#", name) || matches("$SYS/#", name);
  };
  EXPECT_TRUE(either("$SYS/monitor/Clients"));
  EXPECT_TRUE(either("sport/tennis"));
  EXPECT_FALSE(either("$other/x"));  // only $SYS is covered by the second filter
}

TEST(Spec_4_7_2, WildcardAfterDollarLevelMatches) {
  // Only a wildcard in the *first* level is excluded.
  EXPECT_TRUE(matches("$SYS/+/Clients", "$SYS/monitor/Clients"));
}

// 4.7.3 Topic semantic and usage

TEST(Spec_4_7_3, AllTopicsMustBeAtLeastOneCharacterLong) {
  EXPECT_EQ(validate_name(""), topic_error::empty);    // [MQTT-4.7.3-1]
  EXPECT_EQ(validate_filter(""), topic_error::empty);  // [MQTT-4.7.3-1]
}

TEST(Spec_4_7_3, TopicsAreCaseSensitive) {
  EXPECT_FALSE(matches("ACCOUNTS", "Accounts"));
  EXPECT_FALSE(matches("Accounts", "ACCOUNTS"));
  EXPECT_TRUE(matches("Accounts", "Accounts"));
}

TEST(Spec_4_7_3, TopicsCanIncludeSpaces) {
  EXPECT_EQ(validate_name("Accounts payable"), topic_error::ok);
  EXPECT_TRUE(matches("Accounts payable", "Accounts payable"));
  EXPECT_FALSE(matches("Accounts", "Accounts payable"));
}

TEST(Spec_4_7_3, LeadingOrTrailingSlashMakesADistinctTopic) {
  EXPECT_FALSE(matches("finance", "/finance"));
  EXPECT_FALSE(matches("/finance", "finance"));
  EXPECT_FALSE(matches("finance", "finance/"));
}

TEST(Spec_4_7_3, SlashAloneIsValid) {
  EXPECT_EQ(validate_name("/"), topic_error::ok);
  EXPECT_EQ(validate_filter("/"), topic_error::ok);
  EXPECT_TRUE(matches("/", "/"));
  EXPECT_TRUE(matches("+/+", "/"));
  EXPECT_FALSE(matches("+", "/"));
}

TEST(Spec_4_7_3, NullCharacterIsInvalid) {
  using namespace std::string_view_literals;
  EXPECT_EQ(validate_name("a\0b"sv), topic_error::null_character);    // [MQTT-4.7.3-2]
  EXPECT_EQ(validate_filter("a/\0"sv), topic_error::null_character);  // [MQTT-4.7.3-2]
}

TEST(Spec_4_7_3, AtMost65535Bytes) {
  EXPECT_EQ(validate_name(std::string(65535, 'a')), topic_error::ok);
  EXPECT_EQ(validate_name(std::string(65536, 'a')), topic_error::too_long);
  EXPECT_EQ(validate_filter(std::string(65535, 'a')), topic_error::ok);
  EXPECT_EQ(validate_filter(std::string(65536, 'a')), topic_error::too_long);
}

TEST(Spec_4_7_3, NoLimitOnTheNumberOfLevels) {
  std::string deep;
  for (int i = 0; i < 10000; ++i) deep += "a/";
  deep += "a";
  EXPECT_EQ(validate_name(deep), topic_error::ok);
  EXPECT_TRUE(matches(deep, deep));
  EXPECT_TRUE(matches("a/#", deep));
}

// 4.8.2 Shared subscriptions

TEST(Spec_4_8_2, SharedFiltersParseIntoGroupAndFilter) {
  EXPECT_EQ(validate_filter("$share/consumer1/sport/tennis/+"), topic_error::ok);
  const auto shared = parse_shared("$share/consumer1/sport/tennis/+");
  ASSERT_TRUE(shared.has_value());
  EXPECT_EQ(shared->group, "consumer1");
  EXPECT_EQ(shared->filter, "sport/tennis/+");
}

TEST(Spec_4_8_2, SharedFilterWithLeadingSlash) {
  // "$share/consumer1//finance" subscribes to "/finance".
  EXPECT_EQ(validate_filter("$share/consumer1//finance"), topic_error::ok);
  const auto shared = parse_shared("$share/consumer1//finance");
  ASSERT_TRUE(shared.has_value());
  EXPECT_EQ(shared->group, "consumer1");
  EXPECT_EQ(shared->filter, "/finance");
  EXPECT_TRUE(matches(shared->filter, "/finance"));
}

TEST(Spec_4_8_2, PlainFiltersAreNotShared) {
  EXPECT_FALSE(parse_shared("sport/tennis").has_value());
  EXPECT_FALSE(parse_shared("$share").has_value());
  EXPECT_FALSE(parse_shared("$SYS/#").has_value());
  EXPECT_FALSE(parse_shared("$shared/x/y").has_value());
}

}  // namespace
}  // namespace postcard::topic
