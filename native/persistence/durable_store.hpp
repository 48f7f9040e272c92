#pragma once
// durable_store: the native broker's durable state on disk, as a snapshot plus an append-only log.
//
// Theory of operation
//   open() loads the snapshot (`path`) and replays the log (`path` + ".log") of the same generation over
//   it, keeping the last record per retained topic and per client id, and hands back the state for
//   engine::restore(). A damaged or truncated file is used up to its last good record (checksummed
//   records) and the damage is logged; the log is then truncated there (or, when the snapshot itself is
//   damaged, a fresh snapshot is written at once), so new records never follow garbage.
//
//   While serving, record() buffers the durable changes of one engine input and commit() writes them in
//   one write() call. The host commits before the first send() of the input reaches the network, so a
//   PUBACK or PUBREC is never sent for a message that is not in the kernel's page cache: it survives
//   SIGKILL. Power loss is covered by fdatasync(): a background thread syncs the log every
//   `fsync_interval_ms` when it has new records (0 = sync inside every commit, the slow, safest policy).
//
//   compact() writes a fresh snapshot of the whole state (temp file, fdatasync, rename) with generation
//   + 1, then starts an empty log of that generation the same way. A crash between the two renames
//   leaves a log of the old generation, which open() ignores: the new snapshot already holds its records.
//   compaction_due() says when: every `autosave_interval` seconds (or changes, with autosave_on_changes)
//   and whenever the log outgrows max(compact_log_bytes, 2 x the last snapshot).
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "broker/durable.hpp"

namespace postcard::native::persistence {

struct store_options {
  std::string path = "postcard.db";  // the snapshot; the log is path + ".log"
  std::uint32_t autosave_interval = 1800;  // seconds, or changes with autosave_on_changes; 0 = by size only
  bool autosave_on_changes = false;
  std::uint64_t compact_log_bytes = 64u << 20;
  std::uint32_t fsync_interval_ms = 1000;
};

struct store_stats {
  std::uint64_t log_bytes = 0;
  std::uint64_t snapshot_bytes = 0;
  std::uint64_t records = 0;      // appended to the log since start
  std::uint64_t commits = 0;      // write() calls to the log
  std::uint64_t compactions = 0;
  std::uint64_t generation = 0;
};

enum class store_log_level : std::uint8_t { notice, warning, error };

class durable_store {
 public:
  using log_function = std::function<void(store_log_level, std::string_view)>;
  durable_store(store_options options, log_function log);
  ~durable_store();  // commits, syncs and closes
  durable_store(const durable_store&) = delete;
  durable_store& operator=(const durable_store&) = delete;

  // Loads the state into `state`; returns "" or why the files cannot be used at all (damage is not that).
  std::string open(broker::durable_state& state);
  // Buffers one change (written by the next commit()).
  void record(const broker::durable_change& change);
  // Writes the buffered records with one write() call; nothing to do when none are buffered.
  void commit();
  bool compaction_due() const;
  // A fresh snapshot of `state` and an empty log; returns "" or the error (the old files stay in use).
  std::string compact(const broker::durable_state& state);
  // fdatasync() of the log now (clean shutdown).
  void sync();
  const store_stats& stats() const { return stats_; }
  std::string log_path() const { return options_.path + ".log"; }

 private:
  void syncer_loop();
  void replace_log_fd(int fd);
  void write_failed(std::string_view what);

  store_options options_;
  log_function log_;
  std::string pending_;
  std::uint64_t pending_records_ = 0;
  std::uint64_t changes_since_compaction_ = 0;
  std::int64_t last_compaction_ms_ = 0;
  store_stats stats_;
  bool write_error_logged_ = false;

  int fd_ = -1;  // the log, written by the engine's thread only
  std::mutex mutex_;  // guards fd_ changes against the syncer
  std::condition_variable wake_;
  std::atomic<bool> unsynced_{false};
  bool stopping_ = false;
  std::thread syncer_;
};

}  // namespace postcard::native::persistence
