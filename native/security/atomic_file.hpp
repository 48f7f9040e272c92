#pragma once
// Replaces a file's contents atomically: a temporary file beside it, then rename(). An existing file
// keeps its mode. A new one gets 0600 when `private_file`, else the umask's default (as
// mosquitto_passwd 2.0 does, so that a root-started Mosquitto that drops to its own user can read it).
#include <string>
#include <string_view>

#include "config/result.hpp"

namespace postcard::native {

status write_file_atomically(const std::string& path, std::string_view contents, bool private_file);

}  // namespace postcard::native
