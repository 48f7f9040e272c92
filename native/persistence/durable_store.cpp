#include "persistence/durable_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "persistence/file_format.hpp"

namespace postcard::native::persistence {
namespace {

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

constexpr std::size_t write_chunk = 1u << 20;  // snapshot bytes buffered per write()

}  // namespace

durable_store::durable_store(store_options options, log_function log)
    : options_(std::move(options)), log_(std::move(log)), last_compaction_ms_(steady_ms()) {}

durable_store::~durable_store() {
  commit();
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (syncer_.joinable()) syncer_.join();
  if (fd_ >= 0) {
    ::fdatasync(fd_);
    ::close(fd_);
  }
}

void durable_store::syncer_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::milliseconds(options_.fsync_interval_ms));
    if (fd_ >= 0 && unsynced_.exchange(false)) ::fdatasync(fd_);
  }
}

void durable_store::record(const broker::durable_change& change) {
  append_change(pending_, change);
  ++pending_records_;
}

void durable_store::write_failed(std::string_view what) {
  if (write_error_logged_) return;
  write_error_logged_ = true;
  log_(store_log_level::error, "Persistence: cannot write " + log_path() + ": " + std::string(what) +
                                   ". Durable changes are NOT being saved.");
}

void durable_store::commit() {
  if (pending_.empty()) return;
  if (fd_ >= 0) {
    if (auto err = write_all(fd_, pending_); !err.empty()) {
      write_failed(err);
    } else {
      stats_.log_bytes += pending_.size();
      if (options_.fsync_interval_ms == 0) {
        ::fdatasync(fd_);
      } else {
        // Started at the first commit, not before: `postcard -d` forks after loading, and threads do
        // not survive fork().
        if (!syncer_.joinable()) syncer_ = std::thread([this] { syncer_loop(); });
        unsynced_.store(true, std::memory_order_relaxed);
      }
    }
  }
  stats_.records += pending_records_;
  stats_.commits += 1;
  changes_since_compaction_ += pending_records_;
  pending_records_ = 0;
  pending_.clear();
  if (pending_.capacity() > write_chunk) pending_.shrink_to_fit();
}

bool durable_store::compaction_due() const {
  if (stats_.log_bytes > std::max<std::uint64_t>(options_.compact_log_bytes, 2 * stats_.snapshot_bytes)) return true;
  if (options_.autosave_interval == 0 || changes_since_compaction_ == 0) return false;
  if (options_.autosave_on_changes) return changes_since_compaction_ >= options_.autosave_interval;
  return steady_ms() - last_compaction_ms_ >= std::int64_t{options_.autosave_interval} * 1000;
}

void durable_store::replace_log_fd(int fd) {
  int old = -1;
  {
    std::lock_guard lock(mutex_);
    old = fd_;
    fd_ = fd;
  }
  if (old >= 0) ::close(old);
}

void durable_store::sync() {
  std::lock_guard lock(mutex_);
  if (fd_ >= 0) ::fdatasync(fd_);
  unsynced_ = false;
}

std::string durable_store::compact(const broker::durable_state& state) {
  commit();
  const std::uint64_t generation = stats_.generation + 1;
  const std::string temporary = options_.path + ".tmp";
  auto fail = [&](int fd, const std::string& what) {
    if (fd >= 0) ::close(fd);
    std::remove(temporary.c_str());
    const std::string err = "Persistence: cannot write a snapshot to " + options_.path + ": " + what;
    log_(store_log_level::error, err);
    return err;
  };
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return fail(fd, std::strerror(errno));
  std::string buffer;
  buffer.reserve(write_chunk * 2);
  append_file_header(buffer, generation);
  std::uint64_t bytes = 0, records = 0;
  auto flush = [&](bool force) {
    if (buffer.size() < write_chunk && !force) return std::string{};
    bytes += buffer.size();
    auto err = write_all(fd, buffer);
    buffer.clear();
    return err;
  };
  for (const auto& m : state.retained) {
    append_retained(buffer, m);
    ++records;
    if (auto err = flush(false); !err.empty()) return fail(fd, err);
  }
  for (const auto& s : state.sessions) {
    append_session(buffer, s);
    ++records;
    if (auto err = flush(false); !err.empty()) return fail(fd, err);
  }
  append_snapshot_end(buffer, records);
  if (auto err = flush(true); !err.empty()) return fail(fd, err);
  if (::fdatasync(fd) != 0 || ::close(fd) != 0) return fail(-1, std::strerror(errno));
  if (std::rename(temporary.c_str(), options_.path.c_str()) != 0) return fail(-1, std::strerror(errno));
  sync_directory_of(options_.path);

  // The new, empty log of the same generation. Until it replaces the old one, the old log (of the old
  // generation) is ignored at start-up: the snapshot already holds its records.
  const std::string log_temporary = log_path() + ".tmp";
  int log_fd = ::open(log_temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  std::string header;
  append_file_header(header, generation);
  if (log_fd < 0 || !write_all(log_fd, header).empty() || ::fdatasync(log_fd) != 0 ||
      std::rename(log_temporary.c_str(), log_path().c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    if (log_fd >= 0) ::close(log_fd);
    // The old log belongs to the old generation now: appending to it would be ignored at start-up.
    replace_log_fd(-1);
    stats_.generation = generation;
    write_failed("cannot start a new log after the snapshot: " + reason);
    return reason;
  }
  sync_directory_of(log_path());
  replace_log_fd(log_fd);
  unsynced_ = false;
  stats_.generation = generation;
  stats_.snapshot_bytes = bytes;
  stats_.log_bytes = header.size();
  stats_.compactions += 1;
  changes_since_compaction_ = 0;
  last_compaction_ms_ = steady_ms();
  write_error_logged_ = false;
  return {};
}

}  // namespace postcard::native::persistence
