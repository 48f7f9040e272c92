#include "security/atomic_file.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace postcard::native {

status write_file_atomically(const std::string& path, std::string_view contents, bool private_file) {
  struct stat existing {};
  const bool exists = ::stat(path.c_str(), &existing) == 0;
  const std::string temporary = path + ".tmp";
  const mode_t old_mask = private_file ? ::umask(077) : 0;
  std::FILE* f = std::fopen(temporary.c_str(), "wb");
  if (private_file) ::umask(old_mask);
  if (f == nullptr) return error{path + ": cannot create " + temporary + ": " + std::strerror(errno)};
  const bool written = std::fwrite(contents.data(), 1, contents.size(), f) == contents.size();
  const bool closed = std::fclose(f) == 0;
  if (!written || !closed) {
    std::remove(temporary.c_str());
    return error{path + ": cannot write " + temporary};
  }
  if (exists) ::chmod(temporary.c_str(), existing.st_mode & 07777);
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    std::remove(temporary.c_str());
    return error{path + ": cannot replace the file: " + reason};
  }
  return ok;
}

}  // namespace postcard::native
