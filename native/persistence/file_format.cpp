#include "persistence/file_format.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace postcard::native::persistence {
namespace {

std::uint64_t read_le(const char* p, int n) {
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i) v |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
  return v;
}

void write_le(std::string& out, std::uint64_t v, int n) {
  for (int i = 0; i < n; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

}  // namespace

void append_file_header(std::string& out, std::uint64_t generation) {
  const std::size_t start = out.size();
  out.append(file_magic);
  write_le(out, generation, 8);
  write_le(out, crc32(out.data() + start, 16), 4);
}

scan_result scan_records(std::string_view file, const std::function<void(const record_view&)>& on_record) {
  scan_result r;
  if (file.size() < file_header_size) {
    r.damage = "file shorter than its header (" + std::to_string(file.size()) + " bytes)";
    return r;
  }
  const std::string_view magic = file.substr(0, 8);
  if ((magic != file_magic && magic != file_magic_v1) || read_le(file.data() + 16, 4) != crc32(file.data(), 16)) {
    r.damage = "not a Postcard state file, or its header is damaged";
    return r;
  }
  r.header_ok = true;
  r.format = magic == file_magic ? file_format_version : 1;
  r.generation = read_le(file.data() + 8, 8);
  std::size_t at = file_header_size;
  while (at < file.size()) {
    const std::size_t left = file.size() - at;
    if (left < record_header_size) {
      r.damage = "truncated record header";
      break;
    }
    const auto length = static_cast<std::size_t>(read_le(file.data() + at, 4));
    const auto crc = static_cast<std::uint32_t>(read_le(file.data() + at + 4, 4));
    if (length == 0 || length > max_record_body) {
      r.damage = "impossible record length " + std::to_string(length);
      break;
    }
    if (length > left - record_header_size) {
      r.damage = "truncated record (" + std::to_string(length) + " bytes announced, " +
                 std::to_string(left - record_header_size) + " present)";
      break;
    }
    const std::string_view body = file.substr(at + record_header_size, length);
    if (crc32(body.data(), body.size()) != crc) {
      r.damage = "checksum mismatch";
      break;
    }
    const auto type = static_cast<std::uint8_t>(body[0]);
    const bool known = r.format == 1 ? type >= 1 && type <= static_cast<std::uint8_t>(record_type::snapshot_end)
                                     : type >= 1 && type <= last_record_type &&
                                           type != static_cast<std::uint8_t>(record_type::session_set_v1);
    if (!known) {
      r.damage = "unknown record type " + std::to_string(type);
      break;
    }
    on_record(record_view{static_cast<record_type>(type), body.substr(1)});
    ++r.records;
    at += record_header_size + length;
  }
  r.good_end = at;
  return r;
}

std::string read_file(const std::string& path, std::string& out, bool& exists) {
  out.clear();
  exists = false;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? "" : path + ": " + std::strerror(errno);
  exists = true;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && st.st_size > 0) out.reserve(static_cast<std::size_t>(st.st_size));
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string err = path + ": " + std::strerror(errno);
      ::close(fd);
      return err;
    }
    if (n == 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return {};
}

std::string write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::strerror(errno);
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

void sync_directory_of(const std::string& path) {
  auto dir = std::filesystem::path(path).parent_path();
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace postcard::native::persistence
