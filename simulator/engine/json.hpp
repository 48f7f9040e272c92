#pragma once
// A small JSON reader for scenario files: RFC 8259 values, objects keep their member order, numbers as
// double (with an exact-integer check). Parse errors give line and column; the scenario loader reports
// semantic errors by JSON path ("$.devices[2].link.loss"). Standard library only, no exceptions, so the
// simulator engine compiles under em++ and stays dependency-free.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace postcard::sim {

class json {
 public:
  enum class type : std::uint8_t { null = 0, boolean, number, string, array, object };

  json() = default;
  static json make_bool(bool b);
  static json make_number(double d);
  static json make_string(std::string s);
  static json make_array();
  static json make_object();

  type kind() const { return kind_; }
  bool is_null() const { return kind_ == type::null; }
  bool is_bool() const { return kind_ == type::boolean; }
  bool is_number() const { return kind_ == type::number; }
  bool is_string() const { return kind_ == type::string; }
  bool is_array() const { return kind_ == type::array; }
  bool is_object() const { return kind_ == type::object; }
  // A number with no fractional part that fits in an int64.
  bool is_integer() const;

  bool as_bool() const { return bool_; }
  double as_number() const { return number_; }
  std::int64_t as_int() const { return static_cast<std::int64_t>(number_); }
  const std::string& as_string() const { return string_; }
  const std::vector<json>& items() const { return items_; }
  const std::vector<std::pair<std::string, json>>& members() const { return members_; }

  // Object member or nullptr.
  const json* find(std::string_view key) const;
  void push(json v) { items_.push_back(std::move(v)); }
  void set(std::string key, json v) { members_.emplace_back(std::move(key), std::move(v)); }

 private:
  type kind_ = type::null;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<json> items_;
  std::vector<std::pair<std::string, json>> members_;
};

struct json_parse_result {
  bool ok = false;
  json value;
  std::string error;  // "line 3, column 7: expected ':'"
};

// Parses a whole document (one value, surrounded by whitespace only). Nesting deeper than 64 is refused.
json_parse_result parse_json(std::string_view text);

// Name of a JSON type for messages ("string", "object", ...).
std::string_view type_name(json::type t);

// Appends `s` as a JSON string literal (quotes and escapes; control characters as \u00XX).
void append_json_string(std::string& out, std::string_view s);

}  // namespace postcard::sim
