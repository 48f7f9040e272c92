#include "security/scram_file.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "security/atomic_file.hpp"
#include "security/base64.hpp"

namespace postcard::native {
namespace {

constexpr std::string_view prefix = "SCRAM-SHA-256$";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string format_scram_entry(const scram_credentials& c) {
  return std::string(prefix) + std::to_string(c.iterations) + ":" + base64_encode(c.salt) + "$" +
         base64_encode(c.stored_key) + ":" + base64_encode(c.server_key);
}

result<scram_credentials> parse_scram_entry(std::string_view text) {
  if (!text.starts_with(prefix)) return error{"expected SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey"};
  text.remove_prefix(prefix.size());
  const std::size_t dollar = text.find('$');
  if (dollar == std::string_view::npos) return error{"missing '$' before the keys"};
  const std::string_view params = text.substr(0, dollar);
  const std::string_view keys = text.substr(dollar + 1);
  const std::size_t colon1 = params.find(':');
  const std::size_t colon2 = keys.find(':');
  if (colon1 == std::string_view::npos || colon2 == std::string_view::npos) {
    return error{"expected SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey"};
  }
  scram_credentials c;
  std::uint64_t iterations = 0;
  const std::string_view digits = params.substr(0, colon1);
  if (digits.empty() || digits.size() > 10) return error{"invalid iteration count"};
  for (char ch : digits) {
    if (ch < '0' || ch > '9') return error{"invalid iteration count"};
    iterations = iterations * 10 + static_cast<std::uint64_t>(ch - '0');
  }
  if (iterations == 0 || iterations > 0x7FFFFFFF) return error{"invalid iteration count"};
  c.iterations = static_cast<std::uint32_t>(iterations);
  std::optional<std::vector<std::uint8_t>> salt = base64_decode(params.substr(colon1 + 1));
  std::optional<std::vector<std::uint8_t>> stored = base64_decode(keys.substr(0, colon2));
  std::optional<std::vector<std::uint8_t>> server = base64_decode(keys.substr(colon2 + 1));
  if (!salt || salt->empty()) return error{"invalid base64 salt"};
  if (!stored || stored->size() != 32) return error{"invalid StoredKey (32 bytes in base64)"};
  if (!server || server->size() != 32) return error{"invalid ServerKey (32 bytes in base64)"};
  c.salt = std::move(*salt);
  c.stored_key = std::move(*stored);
  c.server_key = std::move(*server);
  return c;
}

result<scram_file> scram_file::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return error{path + ": cannot open the SCRAM file: " + std::strerror(errno)};
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

result<scram_file> scram_file::load_or_empty(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 && errno == ENOENT) return scram_file{};
  return load(path);
}

result<scram_file> scram_file::parse(std::string_view text, const std::string& file_name) {
  scram_file file;
  std::size_t number = 0;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    const std::string_view line = trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++number;
    if (line.empty()) continue;
    if (line.front() == '#') {
      file.comments_.emplace_back(line);
      continue;
    }
    const std::string where = file_name + ":" + std::to_string(number) + ": ";
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return error{where + "expected username:SCRAM-SHA-256$..."};
    const std::string username(line.substr(0, colon));
    if (file.entries_.contains(username)) return error{where + "user '" + username + "' appears twice"};
    result<scram_credentials> c = parse_scram_entry(line.substr(colon + 1));
    if (!c) return error{where + "user '" + username + "': " + c.error_message()};
    file.entries_.emplace(username, std::move(c.value()));
  }
  return file;
}

std::optional<scram_credentials> scram_file::find(std::string_view username) const {
  auto it = entries_.find(username);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

void scram_file::set(const std::string& username, const scram_credentials& c) { entries_[username] = c; }

bool scram_file::remove(std::string_view username) {
  auto it = entries_.find(username);
  if (it == entries_.end()) return false;
  entries_.erase(it);
  return true;
}

std::string scram_file::serialize() const {
  std::string out;
  for (const std::string& c : comments_) out += c + "\n";
  for (const auto& [name, c] : entries_) out += name + ":" + format_scram_entry(c) + "\n";
  return out;
}

status scram_file::save(const std::string& path) const {
  return write_file_atomically(path, serialize(), true);
}

}  // namespace postcard::native
