#pragma once
// Topic names and filters (spec section 4.7): validation, matching, and shared subscription
// filters ($share/{ShareName}/{filter}, section 4.8.2).
#include <cstdint>
#include <optional>
#include <string_view>

namespace postcard::topic {

enum class topic_error : std::uint8_t {
  ok = 0,
  empty,                 // zero-length name or filter [MQTT-4.7.3-1]
  too_long,              // over 65,535 bytes
  wildcard_in_name,      // '+' or '#' in a topic name [MQTT-4.7.0-1]
  hash_not_last,         // '#' not alone as the last level [MQTT-4.7.1-1]
  plus_not_alone,        // '+' sharing a level with other characters [MQTT-4.7.1-2]
  null_character,        // U+0000 [MQTT-4.7.3-2]
  share_name_empty,      // "$share//..." [MQTT-4.8.2-1]
  share_name_invalid,    // ShareName containing '/', '+' or '#' [MQTT-4.8.2-2]
  share_without_filter,  // "$share/group" with no "/filter" [MQTT-4.8.2-2]
};

std::string_view describe(topic_error error);

topic_error validate_name(std::string_view name);
topic_error validate_filter(std::string_view filter);  // also validates $share/{group}/{filter}

// True if `name` (a valid topic name) matches `filter` (a valid, non-shared filter).
// Names starting with '$' are not matched by filters starting with '+' or '#' [MQTT-4.7.2-1].
bool matches(std::string_view filter, std::string_view name);

struct shared_filter {
  std::string_view group;   // ShareName
  std::string_view filter;  // the topic filter after "$share/{group}/"
};
// For "$share/{group}/{filter}" returns its parts; nullopt for a filter that is not shared.
// Call on a filter that validate_filter accepted.
std::optional<shared_filter> parse_shared(std::string_view filter);

}  // namespace postcard::topic
