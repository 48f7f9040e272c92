// durable_store::open(): snapshot + log replay, damage reporting, and the log reopened for appending.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <unordered_map>
#include <vector>

#include "broker/durable_replay.hpp"
#include "persistence/durable_store.hpp"
#include "persistence/file_format.hpp"

namespace postcard::native::persistence {
namespace {

// Retained records: the snapshot's are unique per topic and kept in a list; the log's last record per
// topic is kept in a map, which also masks the snapshot's record of that topic. Session and delivery
// records are kept in order (snapshot, then log) and replayed by the engine's rule (durable_replay).
// Views into the file buffers, decoded once at the end.
struct replay {
  struct table {
    std::vector<std::pair<std::string_view, std::string_view>> snapshot;  // key, fields
    std::unordered_map<std::string_view, std::string_view> log;           // key -> fields, or empty = erased
  };
  table retained;
  std::vector<record_view> sessions;  // session_* and delivery_* records in order
  bool in_log = false;
  std::uint64_t snapshot_end = ~std::uint64_t{0};  // the count the snapshot_end record announced
  std::uint64_t seen = 0;

  void apply(const record_view& r) {
    std::string_view key;
    if (r.type == record_type::snapshot_end) {
      if (!decode_count(r.fields, snapshot_end)) snapshot_end = ~std::uint64_t{0} - 1;
      return;
    }
    ++seen;
    if (r.type != record_type::retained_set && r.type != record_type::retained_erased) {
      sessions.push_back(r);
      return;
    }
    if (!decode_key(r.fields, key)) return;
    const bool set = r.type == record_type::retained_set;
    if (in_log) {
      retained.log[key] = set ? r.fields : std::string_view{};
    } else if (set) {
      retained.snapshot.emplace_back(key, r.fields);
    }
  }

  // The surviving retained records, in snapshot order then log order.
  template <class F>
  static void for_each(const table& t, F&& f) {
    for (const auto& [key, fields] : t.snapshot) {
      if (t.log.empty() || t.log.find(key) == t.log.end()) f(fields);
    }
    for (const auto& [key, fields] : t.log) {
      if (!fields.empty()) f(fields);
    }
  }
};

std::string describe(const std::string& path, const scan_result& r, std::size_t size) {
  return path + ": damaged at byte " + std::to_string(r.good_end) + " (" + r.damage + "): recovered " +
         std::to_string(r.records) + " records, ignored the last " + std::to_string(size - r.good_end) + " bytes";
}

}  // namespace

std::string durable_store::open(broker::durable_state& state) {
  const auto started = std::chrono::steady_clock::now();
  state = {};
  std::error_code ec;
  const auto dir = std::filesystem::path(options_.path).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);

  std::string snapshot, log;
  bool snapshot_exists = false, log_exists = false;
  if (auto err = read_file(options_.path, snapshot, snapshot_exists); !err.empty()) return err;
  if (auto err = read_file(log_path(), log, log_exists); !err.empty()) return err;

  replay rp;
  bool snapshot_good = !snapshot_exists;  // no files yet: a fresh start
  bool old_format = false;  // a format 1 file: converted by writing a format 2 snapshot at once
  std::uint64_t generation = 0;
  if (snapshot_exists) {
    auto r = scan_records(snapshot, [&](const record_view& v) { rp.apply(v); });
    generation = r.generation;
    old_format = old_format || (r.header_ok && r.format < file_format_version);
    if (!r.damage.empty()) {
      log_(store_log_level::warning, "Persistence: snapshot " + describe(options_.path, r, snapshot.size()) + ".");
    } else if (rp.snapshot_end != rp.seen) {
      log_(store_log_level::warning, "Persistence: snapshot " + options_.path + " is incomplete (" +
                                         std::to_string(rp.seen) + " records, no valid end record): using them.");
    } else {
      snapshot_good = true;
    }
    stats_.snapshot_bytes = snapshot.size();
  }

  bool log_usable = false;
  std::size_t log_good_end = 0;
  std::uint64_t log_records = 0;
  if (log_exists) {
    // A log of another generation is stale (a compaction stopped between its two renames) unless the
    // snapshot is unreadable, when whatever the log holds is better than nothing.
    auto header = scan_records(std::string_view(log).substr(0, std::min(log.size(), file_header_size)),
                               [](const record_view&) {});
    const bool applies = header.header_ok && (header.generation == generation || !snapshot_exists || !snapshot_good);
    if (header.header_ok && !applies) {
      log_(store_log_level::notice, "Persistence: ignoring " + log_path() + " of an older generation (its records are in the snapshot).");
    } else if (!header.header_ok) {
      log_(store_log_level::warning, "Persistence: " + log_path() + " is unreadable (" + header.damage + "): ignored.");
    } else {
      rp.in_log = true;
      auto r = scan_records(log, [&](const record_view& v) { rp.apply(v); });
      old_format = old_format || header.format < file_format_version;
      log_records = r.records;
      log_good_end = r.good_end;
      log_usable = header.generation == generation;
      if (!r.damage.empty()) log_(store_log_level::warning, "Persistence: log " + describe(log_path(), r, log.size()) + ".");
    }
  }

  std::uint64_t undecodable = 0;
  state.retained.reserve(rp.retained.snapshot.size() + rp.retained.log.size());
  replay::for_each(rp.retained, [&](std::string_view fields) {
    broker::message_data m;
    if (decode_message(fields, m)) state.retained.push_back(std::move(m)); else ++undecodable;
  });
  {
    broker::durable_replay sessions;
    std::uint64_t unmatched = 0;
    for (const auto& r : rp.sessions) {
      decoded_change d;
      if (!decode_session_change(r, d)) {
        ++undecodable;
      } else if (!sessions.apply(d.change)) {
        ++unmatched;
      }
    }
    if (unmatched) {
      log_(store_log_level::warning, "Persistence: " + std::to_string(unmatched) +
                                         " delivery records name no saved session or delivery: skipped.");
    }
    state.sessions = sessions.take().sessions;
  }
  if (undecodable) log_(store_log_level::warning, "Persistence: " + std::to_string(undecodable) + " malformed records skipped.");
  stats_.generation = generation;

  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (snapshot_exists || log_exists) {
    log_(store_log_level::notice, "Persistence: restored " + std::to_string(state.retained.size()) + " retained messages and " +
                                      std::to_string(state.sessions.size()) + " sessions from " + options_.path + " (" +
                                      std::to_string(log_records) + " log records) in " + std::to_string(static_cast<long long>(ms)) + " ms.");
  }

  if (old_format) {
    log_(store_log_level::notice, "Persistence: " + options_.path + " is in file format 1 (whole-session records): converting it to format " +
                                      std::to_string(file_format_version) + " (per-delivery records) by writing a new snapshot; Postcard versions before format " +
                                      std::to_string(file_format_version) + " cannot read it afterwards.");
  }
  if (!snapshot_good || !log_usable || old_format) {
    // Nothing to append to safely: start over from what was recovered.
    if (auto err = compact(state); !err.empty()) return err;
    return {};
  }
  const int fd = ::open(log_path().c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return log_path() + ": " + std::strerror(errno);
  if (log_good_end < log.size() && ::ftruncate(fd, static_cast<off_t>(log_good_end)) != 0) {
    const std::string err = log_path() + ": cannot cut the damaged tail: " + std::strerror(errno);
    ::close(fd);
    return err;
  }
  ::lseek(fd, static_cast<off_t>(log_good_end), SEEK_SET);
  replace_log_fd(fd);
  stats_.log_bytes = log_good_end;
  return {};
}

}  // namespace postcard::native::persistence
