#include "security/acl_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace postcard::native {
namespace {

constexpr std::uint8_t read_bit = static_cast<std::uint8_t>(acl_access::read);
constexpr std::uint8_t write_bit = static_cast<std::uint8_t>(acl_access::write);

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

bool acl_topic_matches(std::string_view rule, std::string_view topic, std::string_view client_id,
                       std::optional<std::string_view> username) {
  return acl_pattern::compile(rule, true).matches(topic, client_id, username);
}

bool acl_filter_covered(std::string_view rule, std::string_view filter, std::string_view client_id,
                        std::optional<std::string_view> username) {
  return acl_pattern::compile(rule, true).covers(filter, client_id, username);
}

std::optional<acl_decision> reserved_topic_access(std::string_view topic, acl_access what) {
  if (topic.starts_with("$SYS")) {
    // Only the broker publishes $SYS (Mosquitto lets bridges write their connection state).
    static const acl_pattern bridge_state = acl_pattern::compile("$SYS/broker/connection/+/state", false);
    if (what == acl_access::write && !bridge_state.matches(topic, {}, {})) {
      return acl_decision::denied;
    }
    return std::nullopt;
  }
  if (topic.starts_with("$share")) {
    // A shared subscription filter is not a topic: no PUBLISH to it, no delivery from it.
    if (what != acl_access::subscribe) return acl_decision::denied;
  }
  return std::nullopt;
}

result<acl_file> acl_file::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return error{path + ": cannot open the acl file: " + std::strerror(errno)};
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

void acl_file::add(std::vector<rule>& rules, rule r) {
  if (r.access == 0) rules.insert(rules.begin(), std::move(r));  // deny rules are checked first
  else rules.push_back(std::move(r));
}

result<acl_file> acl_file::parse(std::string_view text, const std::string& file_name) {
  acl_file acl;
  constexpr std::size_t none = static_cast<std::size_t>(-1);
  std::size_t current = none;  // index into sections_; the anonymous section before any user
  std::size_t number = 0;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    const std::string_view line = trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++number;
    if (line.empty() || line.front() == '#') continue;
    const std::string where = file_name + ":" + std::to_string(number) + ": ";
    const std::size_t keyword_end = line.find_first_of(" \t");
    const std::string_view keyword = line.substr(0, keyword_end);
    std::string_view rest = keyword_end == std::string_view::npos ? std::string_view{} : trim(line.substr(keyword_end));
    if (keyword == "user") {
      if (rest.empty()) return error{where + "user needs a user name"};
      auto [it, added] = acl.user_index_.emplace(std::string(rest), acl.sections_.size());
      if (added) acl.sections_.push_back(section{std::string(rest), {}});
      current = it->second;  // a repeated user adds to its section
      continue;
    }
    if (keyword != "topic" && keyword != "pattern") {
      return error{where + "invalid line (expected topic, pattern or user): " + std::string(line)};
    }
    if (rest.empty()) return error{where + std::string(keyword) + " needs a topic"};
    rule r{{}, {}, read_bit | write_bit};
    const std::size_t word_end = rest.find_first_of(" \t");
    if (word_end != std::string_view::npos) {  // an access word, then the topic
      const std::string_view word = rest.substr(0, word_end);
      if (word == "read") r.access = read_bit;
      else if (word == "write") r.access = write_bit;
      else if (word == "readwrite") r.access = read_bit | write_bit;
      else if (word == "deny") r.access = 0;
      else return error{where + "invalid access '" + std::string(word) + "' (read, write, readwrite or deny)"};
      rest = trim(rest.substr(word_end));
    }
    if (!valid_acl_filter(rest)) return error{where + "invalid topic filter '" + std::string(rest) + "'"};
    r.topic = std::string(rest);
    r.pattern = acl_pattern::compile(rest, keyword == "pattern");
    if (keyword == "pattern") {
      add(acl.patterns_, std::move(r));  // patterns apply to everyone wherever they appear
      continue;
    }
    if (current == none) {
      acl.sections_.push_back(section{std::nullopt, {}});
      current = acl.sections_.size() - 1;
      acl.anonymous_index_ = current;
    }
    add(acl.sections_[current].rules, std::move(r));
  }
  return acl;
}

std::size_t acl_file::rule_count() const {
  std::size_t n = patterns_.size();
  for (const section& s : sections_) n += s.rules.size();
  return n;
}

std::optional<acl_decision> acl_file::check_list(const std::vector<rule>& rules, std::string_view client_id,
                                                 std::optional<std::string_view> username, std::string_view topic,
                                                 acl_access what) {
  const bool subscribing = what == acl_access::subscribe;
  const std::uint8_t needed = subscribing ? read_bit : static_cast<std::uint8_t>(what);
  for (const rule& r : rules) {
    const bool match = subscribing ? r.pattern.covers(topic, client_id, username)
                                   : r.pattern.matches(topic, client_id, username);
    if (!match) continue;
    if (r.access == 0) return acl_decision::denied;  // deny wins
    if ((r.access & needed) != 0) return acl_decision::allowed;
  }
  return std::nullopt;
}

const acl_file::section* acl_file::section_of(std::optional<std::string_view> username) const {
  if (!username) return anonymous_index_ ? &sections_[*anonymous_index_] : nullptr;
  auto it = user_index_.find(*username);
  return it == user_index_.end() ? nullptr : &sections_[it->second];
}

acl_decision acl_file::access(std::string_view client_id, std::optional<std::string_view> username,
                              std::string_view topic, acl_access what) const {
  if (std::optional<acl_decision> reserved = reserved_topic_access(topic, what)) return *reserved;
  if (what == acl_access::subscribe) {
    if (!subscribe_check_) return acl_decision::allowed;  // Mosquitto 2.0: checked on delivery instead
    if (topic.starts_with("$share/")) {  // check the filter inside $share/{group}/{filter}
      const std::size_t slash = topic.find('/', 7);
      if (slash == std::string_view::npos) return acl_decision::denied;
      topic = topic.substr(slash + 1);
    }
  }
  if (const section* own = section_of(username)) {
    if (std::optional<acl_decision> d = check_list(own->rules, client_id, username, topic, what)) return *d;
  }
  if (patterns_.empty()) return acl_decision::denied;
  // A client named "+" or "#" could otherwise widen every %c / %u pattern (CVE-2017-7650).
  if (client_id.find_first_of("+#") != std::string_view::npos) return acl_decision::denied;
  if (username && username->find_first_of("+#") != std::string_view::npos) return acl_decision::denied;
  return check_list(patterns_, client_id, username, topic, what).value_or(acl_decision::denied);
}

}  // namespace postcard::native
