// libFuzzer target for the native host's text parsers: the input's first byte picks one (byte % 4),
// the rest is the text.
//   0  mosquitto.conf (parse_config_text); a parsed configuration also gives persistence_file_path()
//   1  ACL file (acl_file::parse); a parsed file answers access() for a fixed set of clients and topics
//      in both subscribe-check modes, and the reserved-topic rules always win ($SYS is never writable)
//   2  password file (password_file::parse); serialize() parses again to the same users and is stable
//   3  SCRAM file (scram_file::parse); serialize() re-parses to the same users and is then stable
// "Stable" ignores carriage returns at line ends: a line whose text ends in a stray '\r' is written as
// "...\r\n", which reads back as a CRLF line end (lines are kept as read, with '\n' ends).
// Beyond these checks: no crash, no leak, no undefined behaviour (the parsers never throw).
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "config/config_parser.hpp"
#include "security/acl_file.hpp"
#include "security/password_file.hpp"
#include "security/scram_file.hpp"

namespace {

using namespace postcard::native;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_config: %s\n", what);
  std::abort();
}

// The text with every run of '\r' before a '\n' removed.
std::string without_cr_line_ends(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n')
      while (!out.empty() && out.back() == '\r') out.pop_back();
    out += c;
  }
  return out;
}

void config(std::string_view text) {
  auto r = parse_config_text(text, "fuzz.conf");
  if (!r) {
    if (r.error_message().empty()) fail("a configuration error without a message");
    return;
  }
  (void)persistence_file_path(r.value());
}

void acl(std::string_view text) {
  auto r = acl_file::parse(text, "fuzz.acl");
  if (!r) {
    if (r.error_message().empty()) fail("an ACL error without a message");
    return;
  }
  acl_file& f = r.value();
  static constexpr std::string_view topics[] = {"a/b", "a/+", "#", "$SYS/x", "room/c1/t", "u/alice", "$share/g/a", ""};
  static constexpr acl_access kinds[] = {acl_access::read, acl_access::write, acl_access::subscribe};
  const std::optional<std::string_view> users[] = {std::nullopt, "alice", "a+b"};
  for (bool check : {false, true}) {
    f.set_subscribe_check(check);
    for (const auto& user : users)
      for (auto topic : topics)
        for (auto what : kinds) {
          const bool allowed = f.allows("c1", user, topic, what);
          if (allowed && reserved_topic_access(topic, what) == acl_decision::denied)
            fail("an ACL rule overrides the reserved-topic rules");
        }
  }
}

void passwords(std::string_view text) {
  auto r = password_file::parse(text, "fuzz.passwd");
  if (!r) return;
  const password_file& f = r.value();
  auto again = password_file::parse(f.serialize(), "fuzz.passwd");
  if (!again) fail("a serialized password file does not parse");
  if (again->user_count() != f.user_count()) fail("serialize() changed the password file's users");
  if (without_cr_line_ends(again->serialize()) != without_cr_line_ends(f.serialize()))
    fail("serialize() is not stable");
}

void scram(std::string_view text) {
  auto r = scram_file::parse(text, "fuzz.scram");
  if (!r) {
    if (r.error_message().empty()) fail("a SCRAM file error without a message");
    return;
  }
  const std::string once = r->serialize();
  auto again = scram_file::parse(once, "fuzz.scram");
  if (!again) fail("a serialized SCRAM file does not parse");
  if (again->user_count() != r->user_count()) fail("serialize() changed the SCRAM file's users");
  if (without_cr_line_ends(again->serialize()) != without_cr_line_ends(once)) fail("serialize() is not stable");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text{reinterpret_cast<const char*>(data + 1), size - 1};
  switch (data[0] % 4) {
    case 0: config(text); break;
    case 1: acl(text); break;
    case 2: passwords(text); break;
    default: scram(text); break;
  }
  return 0;
}
