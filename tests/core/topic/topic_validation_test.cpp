// validate_name / validate_filter: every topic_error, and describe() for each.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "topic/topic.hpp"

namespace postcard::topic {
namespace {

using namespace std::string_view_literals;

TEST(ValidateName, AcceptsOrdinaryNames) {
  for (std::string_view name : {"a"sv, "a/b/c"sv, "/"sv, "//"sv, "a//b"sv, "/a"sv, "a/"sv,
                                "$SYS/broker"sv, "caf\xC3\xA9/\xE2\x82\xAC"sv, "$share/g/x"sv}) {
    EXPECT_EQ(validate_name(name), topic_error::ok) << name;
  }
}

TEST(ValidateName, Empty) { EXPECT_EQ(validate_name(""), topic_error::empty); }

TEST(ValidateName, TooLong) {
  EXPECT_EQ(validate_name(std::string(70000, 'x')), topic_error::too_long);
}

TEST(ValidateName, WildcardInName) {  // [MQTT-4.7.0-1]
  EXPECT_EQ(validate_name("a/+/b"), topic_error::wildcard_in_name);
  EXPECT_EQ(validate_name("a/#"), topic_error::wildcard_in_name);
  EXPECT_EQ(validate_name("a+b"), topic_error::wildcard_in_name);
  EXPECT_EQ(validate_name("#"), topic_error::wildcard_in_name);
}

TEST(ValidateName, NullCharacter) {
  EXPECT_EQ(validate_name("\0"sv), topic_error::null_character);
  EXPECT_EQ(validate_name("abc\0"sv), topic_error::null_character);
}

TEST(ValidateFilter, AcceptsOrdinaryFilters) {
  for (std::string_view f : {"a"sv, "+"sv, "#"sv, "+/+"sv, "a/+/b/#"sv, "/#"sv, "a//+"sv,
                             "+/"sv, "$SYS/#"sv, "$share"sv, "$shared/a"sv}) {
    EXPECT_EQ(validate_filter(f), topic_error::ok) << f;
  }
}

TEST(ValidateFilter, Empty) { EXPECT_EQ(validate_filter(""), topic_error::empty); }

TEST(ValidateFilter, TooLong) {
  EXPECT_EQ(validate_filter(std::string(65536, '+')), topic_error::too_long);
}

TEST(ValidateFilter, HashNotLast) {  // [MQTT-4.7.1-1]
  EXPECT_EQ(validate_filter("#/a"), topic_error::hash_not_last);
  EXPECT_EQ(validate_filter("a/#/"), topic_error::hash_not_last);
  EXPECT_EQ(validate_filter("a/b#"), topic_error::hash_not_last);
  EXPECT_EQ(validate_filter("a/#b"), topic_error::hash_not_last);
  EXPECT_EQ(validate_filter("##"), topic_error::hash_not_last);
}

TEST(ValidateFilter, PlusNotAlone) {  // [MQTT-4.7.1-2]
  EXPECT_EQ(validate_filter("a+"), topic_error::plus_not_alone);
  EXPECT_EQ(validate_filter("a/+b/c"), topic_error::plus_not_alone);
  EXPECT_EQ(validate_filter("++"), topic_error::plus_not_alone);
}

TEST(ValidateFilter, NullCharacter) {  // [MQTT-4.7.3-2]
  EXPECT_EQ(validate_filter("a/\0/b"sv), topic_error::null_character);
  EXPECT_EQ(validate_filter("$share/g\0/a"sv), topic_error::null_character);
  EXPECT_EQ(validate_filter("$share/g/a\0"sv), topic_error::null_character);
}

TEST(ValidateFilter, ShareNameEmpty) {  // [MQTT-4.8.2-1]
  EXPECT_EQ(validate_filter("$share//a"), topic_error::share_name_empty);
  EXPECT_EQ(validate_filter("$share/"), topic_error::share_name_empty);
}

TEST(ValidateFilter, ShareNameInvalid) {  // [MQTT-4.8.2-2]
  EXPECT_EQ(validate_filter("$share/g+/a"), topic_error::share_name_invalid);
  EXPECT_EQ(validate_filter("$share/#/a"), topic_error::share_name_invalid);
  EXPECT_EQ(validate_filter("$share/+"), topic_error::share_name_invalid);
}

TEST(ValidateFilter, ShareWithoutFilter) {  // [MQTT-4.8.2-2]
  EXPECT_EQ(validate_filter("$share/group"), topic_error::share_without_filter);
  EXPECT_EQ(validate_filter("$share/group/"), topic_error::share_without_filter);
}

TEST(ValidateFilter, SharedFilterPartFollowsTheFilterRules) {
  EXPECT_EQ(validate_filter("$share/g/#"), topic_error::ok);
  EXPECT_EQ(validate_filter("$share/g/a/+/#"), topic_error::ok);
  EXPECT_EQ(validate_filter("$share/g/a/#/b"), topic_error::hash_not_last);
  EXPECT_EQ(validate_filter("$share/g/a+"), topic_error::plus_not_alone);
  EXPECT_EQ(validate_filter("$share/g//"), topic_error::ok);  // filter "/" is valid
}

TEST(ParseShared, SplitsGroupAndFilter) {
  const auto s = parse_shared("$share/g1/a/+/#");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->group, "g1");
  EXPECT_EQ(s->filter, "a/+/#");
}

TEST(Describe, EveryErrorHasItsOwnText) {
  std::set<std::string_view> texts;
  for (int e = 0; e <= static_cast<int>(topic_error::share_without_filter); ++e) {
    const std::string_view text = describe(static_cast<topic_error>(e));
    EXPECT_FALSE(text.empty());
    EXPECT_NE(text, describe(static_cast<topic_error>(200)));
    texts.insert(text);
  }
  EXPECT_EQ(texts.size(), static_cast<std::size_t>(topic_error::share_without_filter) + 1);
  EXPECT_EQ(describe(topic_error::ok), "ok");
}

}  // namespace
}  // namespace postcard::topic
