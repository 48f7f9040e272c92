#pragma once
// postcard-passwd: mosquitto_passwd's interface, plus SCRAM-SHA-256 credentials.
//
//   postcard-passwd [-H sha512|sha512-pbkdf2] [-c | -D] [-s SCRAMFILE] PASSWORDFILE USERNAME
//   postcard-passwd [-H sha512|sha512-pbkdf2] [-c] [-s SCRAMFILE] -b PASSWORDFILE USERNAME PASSWORD
//   postcard-passwd -U PASSWORDFILE
//
//   -c  create the file(s), replacing existing ones     -D  delete the user
//   -b  take the password from the command line          -U  hash a plain-text file's passwords
//   -H  $7$ PBKDF2-SHA512 (sha512-pbkdf2, the default) or $6$ SHA-512 (sha512)
//   -s SCRAMFILE         also write the user's SCRAM-SHA-256 credentials to SCRAMFILE (the
//                        `scram_file` of postcard's configuration); with -D, delete them there too
//   --scram-iterations N PBKDF2 iterations for the SCRAM credentials (default 4096)
// Without -b the password is read twice through `read_password`. Every error names the file and
// what is wrong; the exit status is 0 on success and 1 otherwise.
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

#include "config/result.hpp"

namespace postcard::native {

using password_reader = std::function<result<std::string>(std::string_view prompt)>;

int run_passwd_command(int argc, const char* const* argv, const password_reader& read_password, std::ostream& out,
                       std::ostream& err);

std::string passwd_usage();

}  // namespace postcard::native
