#include "security/passwd_command.hpp"

#include <sys/stat.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "config/config_values.hpp"
#include "security/password_file.hpp"
#include "security/scram_file.hpp"

namespace postcard::native {
namespace {

struct options {
  bool create = false, remove = false, batch = false, upgrade = false;
  hash_kind kind = hash_kind::pbkdf2_sha512;
  std::string scram_path;
  std::uint32_t scram_iterations = scram_default_iterations;
  std::vector<std::string> positional;
};

result<options> parse_options(int argc, const char* const* argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i] ? argv[i] : "";
    const auto value = [&]() -> result<std::string> {
      if (i + 1 >= argc || argv[i + 1] == nullptr) return error{"missing argument for " + arg};
      return std::string(argv[++i]);
    };
    if (!o.positional.empty() || arg.empty() || arg[0] != '-' || arg == "-") {
      o.positional.push_back(arg);
    } else if (arg == "-c") {
      o.create = true;
    } else if (arg == "-D") {
      o.remove = true;
    } else if (arg == "-b") {
      o.batch = true;
    } else if (arg == "-U") {
      o.upgrade = true;
    } else if (arg == "-H") {
      result<std::string> v = value();
      if (!v) return error{v.error_message()};
      if (v.value() == "sha512") o.kind = hash_kind::sha512;
      else if (v.value() == "sha512-pbkdf2") o.kind = hash_kind::pbkdf2_sha512;
      else return error{"invalid hash '" + v.value() + "' for -H (sha512 or sha512-pbkdf2)"};
    } else if (arg == "-s" || arg == "--scram-file") {
      result<std::string> v = value();
      if (!v) return error{v.error_message()};
      if (v.value().empty()) return error{"empty file name for " + arg};
      o.scram_path = v.value();
    } else if (arg == "--scram-iterations") {
      result<std::string> v = value();
      if (!v) return error{v.error_message()};
      std::int64_t n = 0;
      if (!parse_integer(v.value(), n) || n < 1 || n > 0x7FFFFFFF) {
        return error{"invalid iteration count '" + v.value() + "' for --scram-iterations"};
      }
      o.scram_iterations = static_cast<std::uint32_t>(n);
    } else {
      return error{"unknown option '" + arg + "'"};
    }
  }
  if (o.create && o.remove) return error{"-c and -D cannot be used together"};
  if (o.upgrade && (o.create || o.remove || o.batch || !o.scram_path.empty())) {
    return error{"-U cannot be combined with -c, -D, -b or -s"};
  }
  if (o.remove && o.batch) return error{"-D and -b cannot be used together"};
  const std::size_t wanted = o.upgrade ? 1 : (o.batch ? 3 : 2);
  if (o.positional.size() != wanted) return error{"wrong number of arguments"};
  return o;
}

result<std::string> ask_password(const password_reader& read_password) {
  if (!read_password) return error{"no terminal to read the password from (use -b)"};
  result<std::string> first = read_password("Password: ");
  if (!first) return first;
  result<std::string> second = read_password("Reenter password: ");
  if (!second) return second;
  if (first.value() != second.value()) return error{"Passwords do not match."};
  return first;
}

status validate_username(const std::string& username) {
  if (username.empty()) return error{"the user name must not be empty"};
  if (username.find(':') != std::string::npos) return error{"the user name must not contain the ':' character"};
  for (char c : username) {
    if (c == '\n' || c == '\r') return error{"the user name must not contain a line break"};
  }
  if (username.size() > 65535) return error{"the user name is longer than 65535 bytes"};
  return ok;
}

bool file_exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

int run(const options& o, const password_reader& read_password, std::ostream& out, std::ostream& err) {
  const std::string& path = o.positional[0];
  const auto fail = [&](const std::string& message) {
    err << "postcard-passwd: " << message << "\n";
    return 1;
  };
  if (o.upgrade) {
    result<password_file> file = password_file::load(path);
    if (!file) return fail(file.error_message());
    result<std::size_t> converted = file->upgrade_plain_text(o.kind);
    if (!converted) return fail(path + ": " + converted.error_message());
    if (status s = file->save(path); !s) return fail(s.error_message());
    out << "Hashed " << converted.value() << " password(s) in " << path << "\n";
    return 0;
  }
  const std::string& username = o.positional[1];
  if (status s = validate_username(username); !s) return fail(s.error_message());

  password_file passwords;
  if (!o.create) {
    if (!file_exists(path)) return fail(path + ": the password file does not exist (use -c to create it)");
    result<password_file> loaded = password_file::load(path);
    if (!loaded) return fail(loaded.error_message());
    passwords = std::move(loaded.value());
  }
  std::optional<scram_file> scram;
  if (!o.scram_path.empty()) {
    if (o.create) {
      scram.emplace();
    } else {
      result<scram_file> loaded = scram_file::load_or_empty(o.scram_path);
      if (!loaded) return fail(loaded.error_message());
      scram = std::move(loaded.value());
    }
  }

  if (o.remove) {
    const bool in_passwords = passwords.remove(username);
    const bool in_scram = scram && scram->remove(username);
    if (!in_passwords && !in_scram) return fail(path + ": user '" + username + "' not found");
    if (status s = passwords.save(path); !s) return fail(s.error_message());
    if (scram) {
      if (status s = scram->save(o.scram_path); !s) return fail(s.error_message());
    }
    return 0;
  }

  result<std::string> password = o.batch ? result<std::string>(o.positional[2]) : ask_password(read_password);
  if (!password) return fail(password.error_message());
  if (password.value().size() > 65535) return fail("the password is longer than 65535 bytes");
  result<password_hash> hash = make_password_hash(password.value(), o.kind);
  if (!hash) return fail(hash.error_message());
  passwords.set(username, hash.value());
  if (scram) {
    result<scram_credentials> credentials = make_scram_credentials(password.value(), o.scram_iterations);
    if (!credentials) return fail(credentials.error_message());
    scram->set(username, credentials.value());
  }
  if (status s = passwords.save(path); !s) return fail(s.error_message());
  if (scram) {
    if (status s = scram->save(o.scram_path); !s) return fail(s.error_message());
  }
  return 0;
}

}  // namespace

std::string passwd_usage() {
  return "postcard-passwd manages password files for postcard (and mosquitto).\n"
         "\n"
         "Usage: postcard-passwd [-H sha512 | -H sha512-pbkdf2] [-c | -D] [-s scramfile] passwordfile username\n"
         "       postcard-passwd [-H sha512 | -H sha512-pbkdf2] [-c] [-s scramfile] -b passwordfile username password\n"
         "       postcard-passwd -U passwordfile\n"
         " -b : batch mode: the password is given on the command line.\n"
         " -c : create a new password file (and SCRAM file). This overwrites existing files.\n"
         " -D : delete the user rather than adding or updating its password.\n"
         " -H : the hash: sha512-pbkdf2 ($7$, the default, recommended) or sha512 ($6$).\n"
         " -U : hash the passwords of a plain-text password file.\n"
         " -s, --scram-file FILE : also write SCRAM-SHA-256 credentials for the user to FILE\n"
         "                         (postcard's scram_file option); with -D, delete them there too.\n"
         " --scram-iterations N  : PBKDF2 iterations for the SCRAM credentials (default 4096).\n";
}

int run_passwd_command(int argc, const char* const* argv, const password_reader& read_password, std::ostream& out,
                       std::ostream& err) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i] ? argv[i] : "";
    if (arg == "-h" || arg == "--help") {
      out << passwd_usage();
      return 0;
    }
  }
  result<options> o = parse_options(argc, argv);
  if (!o) {
    err << "postcard-passwd: " << o.error_message() << "\n\n" << passwd_usage();
    return 1;
  }
  return run(o.value(), read_password, out, err);
}

}  // namespace postcard::native
