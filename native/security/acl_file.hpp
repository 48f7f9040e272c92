#pragma once
// ACL files in Mosquitto's format and its 2.0 checking rules.
//
//   # comment
//   topic [read|write|readwrite|deny] TOPIC      rules before any `user` line: anonymous clients
//   user NAME                                    rules after it: that user
//   pattern [read|write|readwrite|deny] TOPIC    every client; a level that is exactly %c or %u
//                                                stands for its client id or username
// The access word is optional (readwrite). TOPIC may contain '+' and '#' and spaces.
//
// Theory of operation of access(): first the reserved-topic rules every Mosquitto broker applies
// ($SYS is never writable; $share/... names cannot be published to or read). Then, as Mosquitto 2.0:
// the client's own section (its username's, or the anonymous one without a username), then the
// patterns. %c and %u are substituted in `pattern` lines only (plain text in `topic` lines). In each
// list `deny` rules come first and win; the first rule whose topic matches and
// that grants the access allows it; nothing matching means denied. Patterns refuse clients whose
// id or username contains '+' or '#'. A topic starting with '$' only matches rules starting with '$'.
//
// SUBSCRIBE: Mosquitto 2.0 grants every subscription and checks each delivered message for read
// access instead (verified against mosquitto 2.0.11). access(subscribe) does the same unless
// `subscribe_check` is on (acl_subscribe_check true): then the filter must be covered by a rule
// granting read - every topic the filter can match is matched by the rule - and not by a deny rule.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/result.hpp"
#include "security/acl_match.hpp"

namespace postcard::native {

enum class acl_access : std::uint8_t { read = 1, write = 2, subscribe = 4 };
enum class acl_decision : std::uint8_t { allowed, denied };

class acl_file {
 public:
  static result<acl_file> load(const std::string& path);
  // `file_name` appears in error messages ("file:line: ...").
  static result<acl_file> parse(std::string_view text, const std::string& file_name);

  // `username` is nullopt for a client that gave none. For subscribe, `topic` is the topic filter.
  acl_decision access(std::string_view client_id, std::optional<std::string_view> username,
                      std::string_view topic, acl_access what) const;
  bool allows(std::string_view client_id, std::optional<std::string_view> username, std::string_view topic,
              acl_access what) const {
    return access(client_id, username, topic, what) == acl_decision::allowed;
  }

  void set_subscribe_check(bool on) { subscribe_check_ = on; }
  bool subscribe_check() const { return subscribe_check_; }
  std::size_t rule_count() const;

 private:
  struct rule {
    std::string topic;
    acl_pattern pattern;
    std::uint8_t access = 0;  // acl_access bits; 0 = deny
  };
  struct section {
    std::optional<std::string> username;  // nullopt = anonymous clients
    std::vector<rule> rules;               // deny rules first
  };
  static void add(std::vector<rule>& rules, rule r);
  // The decision of the first matching rule, or nullopt when none matches.
  static std::optional<acl_decision> check_list(const std::vector<rule>& rules, std::string_view client_id,
                                                std::optional<std::string_view> username, std::string_view topic,
                                                acl_access what);

  const section* section_of(std::optional<std::string_view> username) const;

  std::vector<section> sections_;
  std::map<std::string, std::size_t, std::less<>> user_index_;  // username -> sections_ index
  std::optional<std::size_t> anonymous_index_;                  // the section before any `user` line
  std::vector<rule> patterns_;  // deny patterns first
  bool subscribe_check_ = false;
};

// The reserved-topic rules alone (what a broker applies with no acl_file): nullopt when they say
// nothing, denied when they refuse.
std::optional<acl_decision> reserved_topic_access(std::string_view topic, acl_access what);

// Filter matching used by the ACL checks, exposed for tests. `rule` may contain %c / %u levels.
bool acl_topic_matches(std::string_view rule, std::string_view topic, std::string_view client_id,
                       std::optional<std::string_view> username);
bool acl_filter_covered(std::string_view rule, std::string_view filter, std::string_view client_id,
                        std::optional<std::string_view> username);

}  // namespace postcard::native
