#include "security/acl_match.hpp"

namespace postcard::native {
namespace {

// Splits off the first level of `rest` (which becomes the remainder, or nullopt after the last).
std::string_view next_level(std::optional<std::string_view>& rest) {
  const std::string_view s = *rest;
  const std::size_t slash = s.find('/');
  if (slash == std::string_view::npos) {
    rest.reset();
    return s;
  }
  rest = s.substr(slash + 1);
  return s.substr(0, slash);
}

}  // namespace

acl_pattern acl_pattern::compile(std::string_view topic, bool substitutions) {
  acl_pattern p;
  p.dollar_ = topic.starts_with('$');
  std::optional<std::string_view> rest = topic;
  while (rest) {
    const std::string_view text = next_level(rest);
    level l{kind::literal, std::string(text)};
    if (text == "+") l.what = kind::plus;
    else if (text == "#") l.what = kind::hash;
    else if (substitutions && text == "%c") l.what = kind::client_id;
    else if (substitutions && text == "%u") l.what = kind::username;
    p.levels_.push_back(std::move(l));
  }
  return p;
}

bool acl_pattern::level_equals(const level& l, std::string_view value, std::string_view client_id,
                               std::optional<std::string_view> username) const {
  switch (l.what) {
    case kind::literal: return value == l.text;
    case kind::client_id: return !client_id.empty() && value == client_id;
    case kind::username: return username && !username->empty() && value == *username;
    case kind::plus:
    case kind::hash: return true;
  }
  return false;
}

bool acl_pattern::matches(std::string_view topic, std::string_view client_id,
                          std::optional<std::string_view> username) const {
  if (topic.starts_with('$') != dollar_) return false;  // [MQTT-4.7.2-1]
  std::optional<std::string_view> t = topic;
  for (const level& l : levels_) {
    if (l.what == kind::hash) return true;  // also matches the parent level: "a/#" matches "a" [MQTT-4.7.1-2]
    if (!t) return false;
    const std::string_view value = next_level(t);
    if (l.what != kind::plus && !level_equals(l, value, client_id, username)) return false;
  }
  return !t;
}

bool acl_pattern::covers(std::string_view filter, std::string_view client_id,
                         std::optional<std::string_view> username) const {
  if (filter.starts_with('$') != dollar_) return false;
  std::optional<std::string_view> f = filter;
  for (const level& l : levels_) {
    if (l.what == kind::hash) return true;
    if (!f) return false;
    const std::string_view value = next_level(f);
    if (value == "#") return false;        // wider than any level but '#'
    if (l.what == kind::plus) continue;    // covers '+' and any single level
    if (value == "+" || !level_equals(l, value, client_id, username)) return false;
  }
  return !f;
}

bool valid_acl_filter(std::string_view filter) {
  if (filter.empty()) return false;
  std::optional<std::string_view> rest = filter;
  while (rest) {
    const std::string_view level = next_level(rest);
    if (level.find_first_of("+#") == std::string_view::npos || level == "+") continue;
    if (level == "#" && !rest) continue;
    return false;  // [MQTT-4.7.1-1] [MQTT-4.7.1-2]
  }
  return true;
}

}  // namespace postcard::native
