// Topic names and filters: validation (spec 4.7.1, 4.7.3, 4.8.2) and matching (4.7.1, 4.7.2).
// Everything here walks the string once, level by level, and allocates nothing.
#include "topic/topic.hpp"

#include <cstddef>

#include "topic/levels.hpp"

namespace postcard::topic {
namespace {

constexpr std::size_t max_topic_length = 65535;  // a UTF-8 string's two-byte length prefix
constexpr std::string_view share_prefix = "$share/";

// Filter rules without the $share part: '#' alone and last, '+' alone in its level.
topic_error validate_plain_filter(std::string_view filter) {
  if (filter.empty()) return topic_error::empty;  // [MQTT-4.7.3-1]
  level_cursor cursor(filter);
  while (!cursor.done()) {
    const std::string_view level = cursor.next();
    for (std::size_t i = 0; i < level.size(); ++i) {
      const char c = level[i];
      if (c == '\0') return topic_error::null_character;  // [MQTT-4.7.3-2]
      if (c == '#') {
        // [MQTT-4.7.1-1] '#' must occupy a whole level and be the last one.
        if (level.size() != 1 || !cursor.done()) return topic_error::hash_not_last;
      } else if (c == '+') {
        // [MQTT-4.7.1-2] '+' must occupy a whole level.
        if (level.size() != 1) return topic_error::plus_not_alone;
      }
    }
  }
  return topic_error::ok;
}

}  // namespace

std::string_view describe(topic_error error) {
  switch (error) {
    case topic_error::ok: return "ok";
    case topic_error::empty: return "topic is empty";
    case topic_error::too_long: return "topic is longer than 65535 bytes";
    case topic_error::wildcard_in_name: return "wildcard '+' or '#' in a topic name";
    case topic_error::hash_not_last: return "'#' must be alone in the last level of a filter";
    case topic_error::plus_not_alone: return "'+' must be alone in its level of a filter";
    case topic_error::null_character: return "topic contains U+0000";
    case topic_error::share_name_empty: return "shared subscription with an empty ShareName";
    case topic_error::share_name_invalid: return "ShareName contains '+' or '#'";
    case topic_error::share_without_filter: return "shared subscription without a topic filter";
  }
  return "unknown topic error";
}

topic_error validate_name(std::string_view name) {
  if (name.empty()) return topic_error::empty;  // [MQTT-4.7.3-1]
  if (name.size() > max_topic_length) return topic_error::too_long;
  for (const char c : name) {
    if (c == '\0') return topic_error::null_character;                  // [MQTT-4.7.3-2]
    if (c == '+' || c == '#') return topic_error::wildcard_in_name;  // [MQTT-4.7.0-1]
  }
  return topic_error::ok;
}

topic_error validate_filter(std::string_view filter) {
  if (filter.empty()) return topic_error::empty;  // [MQTT-4.7.3-1]
  if (filter.size() > max_topic_length) return topic_error::too_long;
  if (!filter.starts_with(share_prefix)) return validate_plain_filter(filter);

  // $share/{ShareName}/{filter}
  const std::string_view rest = filter.substr(share_prefix.size());
  const std::size_t slash = rest.find('/');
  const std::string_view group = rest.substr(0, slash);
  if (group.empty()) return topic_error::share_name_empty;  // [MQTT-4.8.2-1]
  for (const char c : group) {
    if (c == '\0') return topic_error::null_character;  // [MQTT-4.7.3-2]
    // [MQTT-4.8.2-2] the ShareName must not contain '/', '+' or '#' ('/' ends it here).
    if (c == '+' || c == '#') return topic_error::share_name_invalid;
  }
  // [MQTT-4.8.2-2] the ShareName must be followed by '/' and a Topic Filter.
  if (slash == std::string_view::npos || slash + 1 == rest.size()) {
    return topic_error::share_without_filter;
  }
  return validate_plain_filter(rest.substr(slash + 1));
}

bool matches(std::string_view filter, std::string_view name) {
  // [MQTT-4.7.2-1] a filter starting with a wildcard does not match a name starting with '$'.
  if (!name.empty() && name.front() == '$' && !filter.empty() &&
      (filter.front() == '+' || filter.front() == '#')) {
    return false;
  }
  level_cursor f(filter);
  level_cursor n(name);
  while (true) {
    if (f.done()) return n.done();
    const std::string_view fl = f.next();
    // [MQTT-4.7.1-1] '#' matches the parent level and any number of child levels:
    // "sport/#" matches "sport" as well as "sport/tennis/player1".
    if (fl == "#") return true;
    if (n.done()) return false;
    const std::string_view nl = n.next();
    if (fl != "+" && fl != nl) return false;  // [MQTT-4.7.1-2] '+' matches exactly one level
  }
}

std::optional<shared_filter> parse_shared(std::string_view filter) {
  if (!filter.starts_with(share_prefix)) return std::nullopt;
  const std::string_view rest = filter.substr(share_prefix.size());
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  return shared_filter{rest.substr(0, slash), rest.substr(slash + 1)};
}

}  // namespace postcard::topic
