#pragma once
// Topic matching for ACL rules: a rule's topic is split into levels once, when the file is read, so
// that a check (made for every delivery when an acl_file is in use) walks the topic once per rule
// and allocates nothing.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace postcard::native {

class acl_pattern {
 public:
  // `substitutions`: a level that is exactly %c or %u stands for the client id or username (the
  // `pattern` lines of an ACL file; in `topic` lines they are plain text, as in Mosquitto).
  static acl_pattern compile(std::string_view topic, bool substitutions);

  // True if the topic name matches [MQTT-4.7.1]; a topic starting with '$' matches only a rule
  // starting with '$' [MQTT-4.7.2-1]. %c / %u never match an empty or missing value.
  bool matches(std::string_view topic, std::string_view client_id, std::optional<std::string_view> username) const;
  // True if every topic the filter can match is matched by this rule.
  bool covers(std::string_view filter, std::string_view client_id, std::optional<std::string_view> username) const;

 private:
  enum class kind : std::uint8_t { literal, plus, hash, client_id, username };
  struct level {
    kind what = kind::literal;
    std::string text;
  };
  bool level_equals(const level& l, std::string_view value, std::string_view client_id,
                    std::optional<std::string_view> username) const;

  std::vector<level> levels_;
  bool dollar_ = false;
};

// A valid topic filter: '+' alone in its level, '#' alone and last [MQTT-4.7.1-1] [MQTT-4.7.1-2].
bool valid_acl_filter(std::string_view filter);

}  // namespace postcard::native
