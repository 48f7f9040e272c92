#pragma once
// SCRAM-SHA-256 credential files (Postcard's `scram_file`), written by `postcard-passwd -s FILE`.
// One user a line, in the RFC 5803 storage format after the user name:
//   username:SCRAM-SHA-256$<iterations>:<base64 salt>$<base64 StoredKey>:<base64 ServerKey>
// '#' comments and blank lines are allowed. A separate file rather than extra lines in the
// password_file, because Mosquitto (which shares password files with Postcard) drops users whose
// line it cannot read. A malformed line is an error ("file:line: ..."): this format is ours.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/result.hpp"
#include "security/scram.hpp"

namespace postcard::native {

std::string format_scram_entry(const scram_credentials& c);                 // "SCRAM-SHA-256$..."
result<scram_credentials> parse_scram_entry(std::string_view text);

class scram_file {
 public:
  static result<scram_file> load(const std::string& path);
  // A file that does not exist yet is an empty scram_file (for postcard-passwd).
  static result<scram_file> load_or_empty(const std::string& path);
  static result<scram_file> parse(std::string_view text, const std::string& file_name);

  std::optional<scram_credentials> find(std::string_view username) const;
  std::size_t user_count() const { return entries_.size(); }

  void set(const std::string& username, const scram_credentials& c);
  bool remove(std::string_view username);
  std::string serialize() const;
  status save(const std::string& path) const;  // atomic; a new file gets mode 0600

 private:
  std::vector<std::string> comments_;  // kept at the top when rewriting
  std::map<std::string, scram_credentials, std::less<>> entries_;  // written in user name order
};

}  // namespace postcard::native
