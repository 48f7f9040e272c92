// ACL files: Mosquitto 2.0's format and checking rules.
#include <gtest/gtest.h>

#include "security/acl_file.hpp"

namespace postcard::native {
namespace {

constexpr acl_access R = acl_access::read;
constexpr acl_access W = acl_access::write;
constexpr acl_access S = acl_access::subscribe;
const std::optional<std::string_view> anonymous = std::nullopt;

acl_file parse_ok(std::string_view text) {
  result<acl_file> r = acl_file::parse(text, "acl");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error_message());
  return r.ok() ? std::move(r.value()) : acl_file{};
}

constexpr const char* example =
    "# anonymous clients\n"
    "topic read public/#\n"
    "\n"
    "user alice\n"
    "topic readwrite sensors/#\n"
    "topic deny sensors/secret\n"
    "topic write commands/+/set\n"
    "topic read $SYS/broker/load/#\n"
    "\n"
    "user bob\n"
    "topic sensors/room1/temp\n"
    "topic read sensors/+/humidity\n"
    "\n"
    "pattern write devices/%c/out\n"
    "pattern read users/%u/#\n"
    "pattern deny users/%u/private\n";

TEST(AclFile, AnonymousSectionIsTheRulesBeforeAnyUser) {
  const acl_file acl = parse_ok(example);
  EXPECT_TRUE(acl.allows("c1", anonymous, "public/news", R));
  EXPECT_TRUE(acl.allows("c1", anonymous, "public/a/b/c", R));
  EXPECT_TRUE(acl.allows("c1", anonymous, "public", R));  // '#' also matches the parent level
  EXPECT_FALSE(acl.allows("c1", anonymous, "public/news", W));
  EXPECT_FALSE(acl.allows("c1", anonymous, "sensors/a", R));
  // A user without a section of its own does not get the anonymous rules.
  EXPECT_FALSE(acl.allows("c1", "carol", "public/news", R));
}

TEST(AclFile, UserRulesAndDenyWins) {
  const acl_file acl = parse_ok(example);
  EXPECT_TRUE(acl.allows("c", "alice", "sensors/room1/temp", R));
  EXPECT_TRUE(acl.allows("c", "alice", "sensors/room1/temp", W));
  EXPECT_FALSE(acl.allows("c", "alice", "sensors/secret", R));  // deny listed after the grant still wins
  EXPECT_FALSE(acl.allows("c", "alice", "sensors/secret", W));
  EXPECT_TRUE(acl.allows("c", "alice", "sensors/secret/more", R));  // deny is exact here
  EXPECT_TRUE(acl.allows("c", "alice", "commands/lamp/set", W));
  EXPECT_FALSE(acl.allows("c", "alice", "commands/lamp/set", R));
  EXPECT_FALSE(acl.allows("c", "alice", "commands/lamp/x/set", W));  // '+' is one level
  EXPECT_FALSE(acl.allows("c", "alice", "public/news", R));
  EXPECT_TRUE(acl.allows("c", "bob", "sensors/room1/temp", W));  // no access word: readwrite
  EXPECT_TRUE(acl.allows("c", "bob", "sensors/room2/humidity", R));
  EXPECT_FALSE(acl.allows("c", "bob", "sensors/room2/humidity", W));
  EXPECT_FALSE(acl.allows("c", "bob", "sensors/room2/temp", R));
}

TEST(AclFile, PatternsSubstituteClientIdAndUsername) {
  const acl_file acl = parse_ok(example);
  EXPECT_TRUE(acl.allows("dev42", anonymous, "devices/dev42/out", W));
  EXPECT_FALSE(acl.allows("dev42", anonymous, "devices/dev43/out", W));
  EXPECT_FALSE(acl.allows("dev42", anonymous, "devices/dev42/out", R));
  EXPECT_TRUE(acl.allows("x", "bob", "users/bob/inbox", R));
  EXPECT_TRUE(acl.allows("x", "bob", "users/bob", R));
  EXPECT_FALSE(acl.allows("x", "bob", "users/alice/inbox", R));
  EXPECT_FALSE(acl.allows("x", "bob", "users/bob/private", R));  // deny pattern
  EXPECT_FALSE(acl.allows("x", anonymous, "users//inbox", R));   // %u never matches without a username
  EXPECT_FALSE(acl.allows("", "bob", "devices//out", W));        // nor %c an empty client id
  // Users with their own section still get the patterns after their rules.
  EXPECT_TRUE(acl.allows("dev1", "alice", "devices/dev1/out", W));
}

TEST(AclFile, SubstitutionsOnlyInPatternLines) {
  // As in Mosquitto, %c and %u in a `topic` line are plain text.
  const acl_file acl = parse_ok("user alice\ntopic read users/%u/inbox\n");
  EXPECT_FALSE(acl.allows("c", "alice", "users/alice/inbox", R));
  EXPECT_TRUE(acl.allows("c", "alice", "users/%u/inbox", R));
}

TEST(AclFile, WildcardsInClientIdOrUsernameAreRefusedByPatterns) {
  const acl_file acl = parse_ok(example);
  EXPECT_FALSE(acl.allows("+", anonymous, "devices/x/out", W));
  EXPECT_FALSE(acl.allows("#", anonymous, "devices/#/out", W));
  EXPECT_FALSE(acl.allows("x", "b+b", "users/b+b/inbox", R));
  EXPECT_FALSE(acl.allows("x", "#", "users/#", R));
}

TEST(AclFile, DollarTopicsOnlyMatchDollarRules) {
  const acl_file acl = parse_ok("topic readwrite #\ntopic read +/status\nuser alice\ntopic read $SYS/broker/load/#\n");
  EXPECT_TRUE(acl.allows("c", anonymous, "anything/at/all", W));
  EXPECT_FALSE(acl.allows("c", anonymous, "$SYS/broker/uptime", R));
  EXPECT_FALSE(acl.allows("c", anonymous, "$app/status", R));
  EXPECT_TRUE(acl.allows("c", "alice", "$SYS/broker/load/messages", R));
  EXPECT_FALSE(acl.allows("c", "alice", "$SYS/broker/load/messages", W));  // $SYS is never writable
  EXPECT_FALSE(acl.allows("c", "alice", "$SYS/broker/uptime", R));
}

TEST(AclFile, ReservedTopicRules) {
  EXPECT_EQ(reserved_topic_access("$SYS/broker/uptime", W), acl_decision::denied);
  EXPECT_FALSE(reserved_topic_access("$SYS/broker/uptime", R).has_value());
  EXPECT_FALSE(reserved_topic_access("$SYS/broker/connection/b1/state", W).has_value());
  EXPECT_EQ(reserved_topic_access("$share/g/t", W), acl_decision::denied);
  EXPECT_EQ(reserved_topic_access("$share/g/t", R), acl_decision::denied);
  EXPECT_FALSE(reserved_topic_access("$share/g/t", S).has_value());
  EXPECT_FALSE(reserved_topic_access("plain/topic", W).has_value());
}

TEST(AclFile, SubscribeIsGrantedAsMosquitto20DoesByDefault) {
  // Mosquitto 2.0.11 grants every SUBSCRIBE and filters deliveries by read access.
  const acl_file acl = parse_ok(example);
  EXPECT_FALSE(acl.subscribe_check());
  EXPECT_TRUE(acl.allows("c", "bob", "#", S));
  EXPECT_TRUE(acl.allows("c", anonymous, "sensors/secret", S));
  EXPECT_TRUE(acl.allows("c", "bob", "$share/g/sensors/#", S));
}

TEST(AclFile, SubscribeCheckCoversTheFilter) {
  acl_file acl = parse_ok(example);
  acl.set_subscribe_check(true);
  EXPECT_TRUE(acl.allows("c", "alice", "sensors/#", S));
  EXPECT_TRUE(acl.allows("c", "alice", "sensors/+/temp", S));
  EXPECT_TRUE(acl.allows("c", "alice", "sensors", S));
  EXPECT_FALSE(acl.allows("c", "alice", "#", S));            // wider than sensors/#
  EXPECT_FALSE(acl.allows("c", "alice", "sensors/secret", S));  // denied
  EXPECT_FALSE(acl.allows("c", "alice", "commands/+/set", S));  // write only
  EXPECT_TRUE(acl.allows("c", "bob", "sensors/+/humidity", S));
  EXPECT_TRUE(acl.allows("c", "bob", "sensors/kitchen/humidity", S));
  EXPECT_FALSE(acl.allows("c", "bob", "sensors/#", S));
  EXPECT_FALSE(acl.allows("c", "bob", "sensors/+/+", S));
  EXPECT_TRUE(acl.allows("c", "bob", "users/bob/#", S));
  EXPECT_FALSE(acl.allows("c", "bob", "users/+/inbox", S));
  EXPECT_FALSE(acl.allows("c", "bob", "users/bob/private", S));
  EXPECT_TRUE(acl.allows("c", "bob", "$share/group/sensors/+/humidity", S));
  EXPECT_FALSE(acl.allows("c", "bob", "$share/group/sensors/#", S));
  EXPECT_TRUE(acl.allows("c", "alice", "$SYS/broker/load/#", S));
  EXPECT_FALSE(acl.allows("c", "alice", "$SYS/#", S));
}

TEST(AclFile, FilterMatchingHelpers) {
  EXPECT_TRUE(acl_topic_matches("a/+/c", "a/b/c", "", std::nullopt));
  EXPECT_TRUE(acl_topic_matches("a/+/c", "a//c", "", std::nullopt));
  EXPECT_FALSE(acl_topic_matches("a/+/c", "a/b/c/d", "", std::nullopt));
  EXPECT_TRUE(acl_topic_matches("#", "a/b", "", std::nullopt));
  EXPECT_FALSE(acl_topic_matches("#", "$SYS/x", "", std::nullopt));
  EXPECT_TRUE(acl_topic_matches("+/+", "/x", "", std::nullopt));
  EXPECT_FALSE(acl_topic_matches("a/b", "a", "", std::nullopt));
  EXPECT_TRUE(acl_filter_covered("a/#", "a/+/c/#", "", std::nullopt));
  EXPECT_TRUE(acl_filter_covered("+/+", "x/+", "", std::nullopt));
  EXPECT_FALSE(acl_filter_covered("x/+", "+/+", "", std::nullopt));
  EXPECT_FALSE(acl_filter_covered("a/+", "a/#", "", std::nullopt));
  EXPECT_TRUE(acl_filter_covered("dev/%c/#", "dev/d1/x", "d1", std::nullopt));
  EXPECT_FALSE(acl_filter_covered("dev/%c/#", "dev/+/x", "d1", std::nullopt));
}

TEST(AclFile, SyntaxDetails) {
  const acl_file acl = parse_ok(
      "  # indented comment\r\n"
      "topic read  spaced topic/name  \r\n"
      "user  alice smith \r\n"
      "topic read a/b\r\n"
      "user bob\r\n"
      "topic read c/d\r\n"
      "user alice smith\r\n"
      "topic write e/f\r\n"
      "topic read\r\n");  // a topic literally named "read"
  EXPECT_TRUE(acl.allows("c", anonymous, "spaced topic/name", R));
  EXPECT_TRUE(acl.allows("c", "alice smith", "a/b", R));
  EXPECT_TRUE(acl.allows("c", "alice smith", "e/f", W));  // a repeated user adds to its section
  EXPECT_TRUE(acl.allows("c", "alice smith", "read", W));
  EXPECT_FALSE(acl.allows("c", "bob", "a/b", R));
  EXPECT_EQ(acl.rule_count(), 5u);
}

TEST(AclFile, EmptyFileDeniesEverything) {
  const acl_file acl = parse_ok("# nothing\n");
  EXPECT_FALSE(acl.allows("c", anonymous, "a", R));
  EXPECT_FALSE(acl.allows("c", "alice", "a", W));
}

TEST(AclFile, ParseErrors) {
  const auto error_of = [](std::string_view text) {
    result<acl_file> r = acl_file::parse(text, "acl.txt");
    EXPECT_FALSE(r.ok()) << text;
    return r.ok() ? std::string{} : r.error_message();
  };
  EXPECT_EQ(error_of("topic read a\nuser\n"), "acl.txt:2: user needs a user name");
  EXPECT_EQ(error_of("topic\n"), "acl.txt:1: topic needs a topic");
  EXPECT_EQ(error_of("pattern  \n"), "acl.txt:1: pattern needs a topic");
  EXPECT_EQ(error_of("topic readonly a/b\n"), "acl.txt:1: invalid access 'readonly' (read, write, readwrite or deny)");
  EXPECT_EQ(error_of("topic read a/#/b\n"), "acl.txt:1: invalid topic filter 'a/#/b'");
  EXPECT_EQ(error_of("topic read a/b+\n"), "acl.txt:1: invalid topic filter 'a/b+'");
  EXPECT_EQ(error_of("\n\nbogus line\n"), "acl.txt:3: invalid line (expected topic, pattern or user): bogus line");
  result<acl_file> missing = acl_file::load("/nonexistent/acl");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error_message(), "/nonexistent/acl: cannot open the acl file: No such file or directory");
}

}  // namespace
}  // namespace postcard::native
