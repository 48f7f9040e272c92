// The scenario JSON reader: values, escapes, order, errors with line and column.
#include <gtest/gtest.h>

#include "json.hpp"

namespace postcard::sim {
namespace {

TEST(SimJson, ParsesNestedValuesInOrder) {
  const auto r = parse_json(R"({"b": [1, 2.5, -3e2], "a": {"x": true, "y": null}, "s": "h\u00e9\n\ud83d\ude00"})");
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.value.members().size(), 3u);
  EXPECT_EQ(r.value.members()[0].first, "b");
  EXPECT_EQ(r.value.members()[1].first, "a");
  const json* b = r.value.find("b");
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(b->items()[0].is_integer());
  EXPECT_FALSE(b->items()[1].is_integer());
  EXPECT_DOUBLE_EQ(b->items()[2].as_number(), -300);
  EXPECT_TRUE(r.value.find("a")->find("x")->as_bool());
  EXPECT_TRUE(r.value.find("a")->find("y")->is_null());
  EXPECT_EQ(r.value.find("s")->as_string(), "h\xC3\xA9\n\xF0\x9F\x98\x80");
}

TEST(SimJson, ReportsLineAndColumn) {
  const auto r = parse_json("{\n  \"a\": 1,\n  \"b\" 2\n}");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "line 3, column 7: expected ':'");
}

TEST(SimJson, RejectsMalformedDocuments) {
  for (const char* bad : {"", "{", "[1,]", "{\"a\":1,}", "01", "1.", "\"abc", "tru", "{\"a\":1}x", "\"\\x\"",
                          "{\"a\":1,\"a\":2}", "\"\\ud800\""}) {
    EXPECT_FALSE(parse_json(bad).ok) << bad;
  }
}

TEST(SimJson, EscapesStringsOnOutput) {
  std::string out;
  append_json_string(out, "a\"b\\c\n\x01");
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\u0001\"");
}

}  // namespace
}  // namespace postcard::sim
