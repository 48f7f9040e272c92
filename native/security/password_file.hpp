#pragma once
// Password files in mosquitto_passwd's format, one user a line:
//   username:$6$<salt>$<hash>                 SHA-512(password || salt), base64 salt and hash
//   username:$7$<iterations>$<salt>$<hash>    PBKDF2-HMAC-SHA512, 64-byte hash (Mosquitto 2.0's default,
//                                             101 iterations, 12-byte salt)
// Lines starting with '#' and blank lines are kept but mean nothing. As Mosquitto 2.0 does, a line
// whose hash cannot be read drops that user with a warning ("file:line: ..."); the file still loads.
// The editing functions (set, remove, plain-text upgrade) keep every other line as it was, for
// postcard-passwd.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/result.hpp"

namespace postcard::native {

enum class hash_kind : std::uint8_t { sha512 = 6, pbkdf2_sha512 = 7 };

struct password_hash {
  hash_kind kind = hash_kind::pbkdf2_sha512;
  std::uint32_t iterations = 0;  // $7$ only
  std::vector<std::uint8_t> salt;
  std::vector<std::uint8_t> hash;
};

inline constexpr std::uint32_t mosquitto_pbkdf2_iterations = 101;  // what mosquitto_passwd 2.0 writes
inline constexpr std::size_t mosquitto_salt_length = 12;

// "$6$..." or "$7$..." -> the hash; an error saying what is wrong otherwise.
result<password_hash> parse_password_hash(std::string_view text);
std::string format_password_hash(const password_hash& h);
// A new hash with a random salt; fails only if the system's random generator does.
result<password_hash> make_password_hash(std::string_view password, hash_kind kind = hash_kind::pbkdf2_sha512,
                                         std::uint32_t iterations = mosquitto_pbkdf2_iterations);
bool verify_password(const password_hash& h, std::string_view password);

class password_file {
 public:
  static result<password_file> load(const std::string& path);
  static result<password_file> parse(std::string_view text, const std::string& file_name);

  // True if `username` is in the file and `password` is its password. Takes about as long for an
  // unknown user as for a known one.
  bool check(std::string_view username, std::string_view password) const;
  const password_hash* find(std::string_view username) const;
  bool contains(std::string_view username) const { return find(username) != nullptr; }
  std::size_t user_count() const;
  // Lines skipped while loading, as "file:line: reason".
  const std::vector<std::string>& warnings() const { return warnings_; }

  // Editing. set() replaces the user's line in place or appends one.
  void set(const std::string& username, const password_hash& h);
  bool remove(std::string_view username);
  // -U: hashes every plain-text "user:password" line; returns how many were converted.
  result<std::size_t> upgrade_plain_text(hash_kind kind);
  std::string serialize() const;
  // Writes atomically (temporary file + rename); see atomic_file.hpp for the mode of a new file.
  status save(const std::string& path) const;

 private:
  struct line {
    std::string text;                    // the line as read, without its line end
    std::string username;                // empty for comments, blank and unusable lines
    std::optional<password_hash> hash;   // set for usable user lines
  };
  void reindex();

  std::vector<line> lines_;
  std::map<std::string, std::size_t, std::less<>> index_;  // username -> its usable line
  std::vector<std::string> warnings_;
};

}  // namespace postcard::native
