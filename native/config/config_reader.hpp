#pragma once
// First stage of reading mosquitto.conf syntax: files into a flat list of directives, one per
// non-blank, non-comment line, with include_dir expanded in place. No meaning is given here.
//
// Syntax (as Mosquitto 2.0): `name [arguments...]` separated by spaces or tabs; a line whose first
// non-blank character is '#' is a comment; LF or CRLF line ends; no inline comments (a '#' later in a
// line belongs to the value); a leading UTF-8 byte order mark is skipped. `include_dir DIR` loads DIR/*.conf in Mosquitto's order (case-sensitive
// alphabetical with each upper-case letter just before its lower-case one: 00, 01, A, a, B, b) and is
// allowed only in the main file.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "config/result.hpp"

namespace postcard::native {

struct directive {
  std::string name;
  std::vector<std::string> args;  // the words after the name
  std::string rest;               // everything after the name, trimmed (paths may contain spaces)
  std::string file;               // the file as named in messages
  std::size_t line = 0;           // 1-based
  std::string where() const { return file + ":" + std::to_string(line); }
};

// Reads `path` (level 0 = the main file) and the files it includes.
result<std::vector<directive>> read_config_file(const std::string& path);
// The same for text already in memory; `file_name` is used in messages and include_dir is allowed.
result<std::vector<directive>> read_config_text(std::string_view text, const std::string& file_name);

// Mosquitto's include_dir order; exposed for tests.
bool include_order_less(std::string_view a, std::string_view b);

}  // namespace postcard::native
