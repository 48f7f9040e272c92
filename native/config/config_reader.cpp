#include "config/config_reader.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace postcard::native {
namespace {

namespace fs = std::filesystem;

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (is_blank(s.front()) || s.front() == '\r' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (is_blank(s.back()) || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_blank(s[i])) ++i;
    std::size_t start = i;
    while (i < s.size() && !is_blank(s[i])) ++i;
    if (i > start) words.emplace_back(s.substr(start, i - start));
  }
  return words;
}

result<std::string> read_whole_file(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return error{path + ": is a directory, not a configuration file"};
  std::ifstream in(path, std::ios::binary);
  if (!in) return error{path + ": cannot open the file"};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return error{path + ": read error"};
  return text.str();
}

struct reader {
  std::vector<directive> out;
  std::string main_file;

  status read_text(std::string_view text, const std::string& file, int level);
  status include_dir(const directive& d, int level);
};

status reader::read_text(std::string_view text, const std::string& file, int level) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte order mark (Windows editors)
  std::size_t line_number = 0;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view raw = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++line_number;
    std::string_view line = trim(raw);  // drops the '\r' of CRLF files too
    if (line.empty() || line.front() == '#') continue;
    directive d;
    d.file = file;
    d.line = line_number;
    std::size_t name_end = 0;
    while (name_end < line.size() && !is_blank(line[name_end])) ++name_end;
    d.name = std::string(line.substr(0, name_end));
    d.rest = std::string(trim(line.substr(name_end)));
    d.args = split_words(d.rest);
    if (d.name == "include_dir") {
      if (status s = include_dir(d, level); !s) return s;
      continue;
    }
    out.push_back(std::move(d));
  }
  return ok;
}

status reader::include_dir(const directive& d, int level) {
  if (level > 0) {
    return error{d.where() + ": include_dir is only allowed in the main configuration file"};
  }
  if (d.rest.empty()) return error{d.where() + ": include_dir needs a directory"};
  std::error_code ec;
  fs::directory_iterator it(d.rest, ec);
  if (ec) return error{d.where() + ": cannot open include_dir '" + d.rest + "': " + ec.message()};
  std::vector<std::string> names;
  for (; it != fs::directory_iterator{}; it.increment(ec)) {
    if (ec) return error{d.where() + ": cannot list include_dir '" + d.rest + "': " + ec.message()};
    const std::string name = it->path().filename().string();
    if (name.size() > 5 && name.ends_with(".conf") && !it->is_directory(ec)) names.push_back(name);
  }
  std::sort(names.begin(), names.end(),
            [](const std::string& a, const std::string& b) { return include_order_less(a, b); });
  for (const std::string& name : names) {
    const fs::path path = fs::path(d.rest) / name;
    if (!main_file.empty() && fs::equivalent(path, main_file, ec)) {
      return error{d.where() + ": include_dir '" + d.rest + "' contains the main configuration file"};
    }
    result<std::string> text = read_whole_file(path.string());
    if (!text) return error{d.where() + ": " + text.error_message()};
    if (status s = read_text(text.value(), path.string(), level + 1); !s) return s;
  }
  return ok;
}

}  // namespace

bool include_order_less(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto ca = static_cast<unsigned char>(a[i]);
    const auto cb = static_cast<unsigned char>(b[i]);
    const int la = std::tolower(ca);
    const int lb = std::tolower(cb);
    if (la != lb) return la < lb;
    if (ca != cb) return std::isupper(ca) != 0;  // 'A' just before 'a'
  }
  return a.size() < b.size();
}

result<std::vector<directive>> read_config_file(const std::string& path) {
  result<std::string> text = read_whole_file(path);
  if (!text) return error{text.error_message()};
  reader r;
  r.main_file = path;
  if (status s = r.read_text(text.value(), path, 0); !s) return error{s.error_message()};
  return std::move(r.out);
}

result<std::vector<directive>> read_config_text(std::string_view text, const std::string& file_name) {
  reader r;
  if (status s = r.read_text(text, file_name, 0); !s) return error{s.error_message()};
  return std::move(r.out);
}

}  // namespace postcard::native
