#include "security/password_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "security/atomic_file.hpp"
#include "security/base64.hpp"
#include "security/crypto.hpp"

namespace postcard::native {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Splits "a$b$c" after the leading '$' into fields.
std::vector<std::string_view> dollar_fields(std::string_view text) {
  std::vector<std::string_view> fields;
  text.remove_prefix(1);
  while (true) {
    std::size_t end = text.find('$');
    fields.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return fields;
}

}  // namespace

result<password_hash> parse_password_hash(std::string_view text) {
  if (text.empty()) return error{"empty password hash"};
  if (text.front() != '$') return error{"not a hashed password (plain text? run postcard-passwd -U)"};
  const std::vector<std::string_view> f = dollar_fields(text);
  password_hash h;
  std::size_t salt_index = 1;
  if (f[0] == "6") {
    if (f.size() != 3) return error{"a $6$ hash needs the form $6$salt$hash"};
    h.kind = hash_kind::sha512;
  } else if (f[0] == "7") {
    if (f.size() != 4) return error{"a $7$ hash needs the form $7$iterations$salt$hash"};
    h.kind = hash_kind::pbkdf2_sha512;
    std::uint64_t iterations = 0;
    if (f[1].empty() || f[1].size() > 10) return error{"invalid iteration count in $7$ hash"};
    for (char c : f[1]) {
      if (c < '0' || c > '9') return error{"invalid iteration count in $7$ hash"};
      iterations = iterations * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (iterations == 0 || iterations > 0x7FFFFFFF) return error{"invalid iteration count in $7$ hash"};
    h.iterations = static_cast<std::uint32_t>(iterations);
    salt_index = 2;
  } else {
    return error{"unknown password hash type $" + std::string(f[0]) + "$ (Postcard reads $6$ and $7$)"};
  }
  std::optional<std::vector<std::uint8_t>> salt = base64_decode(f[salt_index]);
  if (!salt || salt->empty()) return error{"invalid base64 salt"};
  std::optional<std::vector<std::uint8_t>> hash = base64_decode(f[salt_index + 1]);
  if (!hash || hash->size() != 64) return error{"invalid base64 hash (expected 64 bytes)"};
  h.salt = std::move(*salt);
  h.hash = std::move(*hash);
  return h;
}

std::string format_password_hash(const password_hash& h) {
  if (h.kind == hash_kind::sha512) return "$6$" + base64_encode(h.salt) + "$" + base64_encode(h.hash);
  return "$7$" + std::to_string(h.iterations) + "$" + base64_encode(h.salt) + "$" + base64_encode(h.hash);
}

namespace {

crypto::bytes compute(const password_hash& h, std::string_view password) {
  if (h.kind == hash_kind::sha512) return crypto::sha512(crypto::as_bytes(password), h.salt);
  return crypto::pbkdf2(crypto::digest::sha512, password, h.salt, h.iterations, 64);
}

}  // namespace

result<password_hash> make_password_hash(std::string_view password, hash_kind kind, std::uint32_t iterations) {
  std::optional<crypto::bytes> salt = crypto::random_bytes(mosquitto_salt_length);
  if (!salt) return error{"the random number generator failed"};
  if (kind == hash_kind::pbkdf2_sha512 && (iterations == 0 || iterations > 0x7FFFFFFF)) {
    return error{"invalid iteration count"};
  }
  password_hash h;
  h.kind = kind;
  h.iterations = kind == hash_kind::pbkdf2_sha512 ? iterations : 0;
  h.salt = std::move(*salt);
  h.hash = compute(h, password);
  return h;
}

bool verify_password(const password_hash& h, std::string_view password) {
  return crypto::equal(compute(h, password), h.hash);
}

result<password_file> password_file::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return error{path + ": cannot open the password file: " + std::strerror(errno)};
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

result<password_file> password_file::parse(std::string_view text, const std::string& file_name) {
  password_file file;
  std::size_t number = 0;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view raw = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++number;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    line l{std::string(raw), {}, {}};
    const std::string_view content = trim(raw);
    const std::size_t colon = content.find(':');
    if (content.empty() || content.front() == '#' || colon == std::string_view::npos) {
      file.lines_.push_back(std::move(l));  // Mosquitto ignores these too
      continue;
    }
    const std::string where = file_name + ":" + std::to_string(number) + ": ";
    const std::string username(trim(content.substr(0, colon)));
    if (username.empty()) {
      file.warnings_.push_back(where + "empty user name, line ignored");
    } else if (username.size() > 65535) {
      file.warnings_.push_back(where + "user name longer than 65535 bytes, line ignored");
    } else if (file.contains(username)) {
      file.warnings_.push_back(where + "user '" + username + "' appears again, this line is ignored");
      l.username = username;  // kept for editing, unusable
    } else {
      result<password_hash> h = parse_password_hash(trim(content.substr(colon + 1)));
      l.username = username;
      if (h) {
        l.hash = std::move(h.value());
        file.index_.emplace(username, file.lines_.size());
      } else {
        file.warnings_.push_back(where + "user '" + username + "': " + h.error_message() + ", user ignored");
      }
    }
    file.lines_.push_back(std::move(l));
  }
  return file;
}

void password_file::reindex() {
  index_.clear();
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    if (lines_[i].hash) index_.emplace(lines_[i].username, i);  // the first usable line of a user wins
  }
}

const password_hash* password_file::find(std::string_view username) const {
  auto it = index_.find(username);
  return it == index_.end() ? nullptr : &*lines_[it->second].hash;
}

std::size_t password_file::user_count() const { return index_.size(); }

bool password_file::check(std::string_view username, std::string_view password) const {
  if (const password_hash* h = find(username)) return verify_password(*h, password);
  // Spend the time a real check would, so that response times do not reveal which users exist.
  static const password_hash dummy = [] {
    password_hash d;
    d.iterations = mosquitto_pbkdf2_iterations;
    d.salt.assign(mosquitto_salt_length, 0x5A);
    d.hash.assign(64, 0);
    return d;
  }();
  (void)verify_password(dummy, password);
  return false;
}

void password_file::set(const std::string& username, const password_hash& h) {
  const std::string text = username + ":" + format_password_hash(h);
  bool replaced = false;
  for (line& l : lines_) {
    if (l.username == username) {
      l = line{text, username, h};
      replaced = true;
      break;
    }
  }
  if (!replaced) lines_.push_back(line{text, username, h});
  reindex();
}

bool password_file::remove(std::string_view username) {
  const std::size_t before = lines_.size();
  std::erase_if(lines_, [&](const line& l) { return !l.username.empty() && l.username == username; });
  reindex();
  return lines_.size() != before;
}

result<std::size_t> password_file::upgrade_plain_text(hash_kind kind) {
  std::size_t converted = 0;
  for (line& l : lines_) {
    if (l.username.empty() || l.hash) continue;
    const std::string_view content = trim(l.text);
    const std::string_view plain = content.substr(content.find(':') + 1);
    if (!plain.empty() && plain.front() == '$') continue;  // a hash, just not one we read: leave it
    result<password_hash> h = make_password_hash(plain, kind);
    if (!h) return error{h.error_message()};
    l = line{l.username + ":" + format_password_hash(h.value()), l.username, h.value()};
    ++converted;
  }
  reindex();
  return converted;
}

std::string password_file::serialize() const {
  std::string out;
  for (const line& l : lines_) out += l.text + "\n";
  return out;
}

status password_file::save(const std::string& path) const {
  return write_file_atomically(path, serialize(), false);
}

}  // namespace postcard::native
