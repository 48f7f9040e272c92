#include "config/config_values.hpp"

#include <charconv>
#include <filesystem>
#include <limits>
#include <system_error>

namespace postcard::native {

error directive_error(const directive& d, const std::string& message) {
  return error{d.where() + ": " + message};
}

result<std::string> one_word(const directive& d) {
  if (d.args.empty()) return directive_error(d, d.name + " needs a value");
  if (d.args.size() > 1) {
    return directive_error(d, d.name + " takes one value, found extra '" + d.args[1] + "'");
  }
  return d.args.front();
}

result<std::string> text_value(const directive& d) {
  if (d.rest.empty()) return directive_error(d, d.name + " needs a value");
  return d.rest;
}

result<std::string> path_value(const directive& d) {
  result<std::string> text = text_value(d);
  if (!text) return text;
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(text.value(), ec);
  if (ec) return directive_error(d, "cannot resolve the path '" + text.value() + "': " + ec.message());
  return absolute.lexically_normal().string();
}

result<bool> bool_value(const directive& d) {
  result<std::string> word = one_word(d);
  if (!word) return error{word.error_message()};
  if (word.value() == "true") return true;
  if (word.value() == "false") return false;
  return directive_error(d, "invalid " + d.name + " value '" + word.value() + "' (expected true or false)");
}

bool parse_integer(const std::string& text, std::int64_t& out) {
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (first == last) return false;
  auto [end, ec] = std::from_chars(first, last, out);
  return ec == std::errc{} && end == last;
}

result<std::int64_t> signed_value(const directive& d, std::int64_t min, std::int64_t max) {
  result<std::string> word = one_word(d);
  if (!word) return error{word.error_message()};
  std::int64_t value = 0;
  if (!parse_integer(word.value(), value)) {
    return directive_error(d, "invalid " + d.name + " value '" + word.value() + "' (expected an integer)");
  }
  if (value < min || value > max) {
    return directive_error(d, "invalid " + d.name + " value " + word.value() + " (allowed: " +
                                  std::to_string(min) + " to " + std::to_string(max) + ")");
  }
  return value;
}

result<std::uint64_t> unsigned_value(const directive& d, std::uint64_t min, std::uint64_t max) {
  result<std::string> word = one_word(d);
  if (!word) return error{word.error_message()};
  const std::string& text = word.value();
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec == std::errc::invalid_argument || end != text.data() + text.size()) {
    return directive_error(d, "invalid " + d.name + " value '" + text + "' (expected a non-negative integer)");
  }
  if (ec == std::errc::result_out_of_range || value < min || value > max) {
    return directive_error(d, "invalid " + d.name + " value " + text + " (allowed: " + std::to_string(min) +
                                  " to " + std::to_string(max) + ")");
  }
  return value;
}

result<std::uint64_t> duration_value(const directive& d) {
  result<std::string> word = one_word(d);
  if (!word) return error{word.error_message()};
  const std::string& text = word.value();
  const auto bad = [&] {
    return directive_error(d, "invalid " + d.name + " value '" + text +
                                  "' (expected a number followed by h, d, w, m or y, e.g. 14d)");
  };
  if (text.size() < 2) return bad();
  std::uint64_t unit = 0;
  switch (text.back()) {
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    case 'w': unit = 7 * 86400; break;
    case 'm': unit = 30 * 86400; break;   // Mosquitto: a month is 30 days
    case 'y': unit = 365 * 86400; break;  // and a year 365
    default: return bad();
  }
  std::uint64_t count = 0;
  const char* last = text.data() + text.size() - 1;
  auto [end, ec] = std::from_chars(text.data(), last, count);
  if (ec != std::errc{} || end != last) return bad();
  if (count > std::numeric_limits<std::uint64_t>::max() / unit) return bad();
  return count * unit;
}

}  // namespace postcard::native
