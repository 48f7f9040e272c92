// postcard-store-bench: the append-only log (durable_store) against SQLite on the broker's write pattern.
//   postcard-store-bench DIR [INPUTS=20000] [RETAINED=1000000]
// 1. per input: one session_set of a session with K in-flight messages, committed (one write() / one
//    transaction): K = 1 and K = 64 (the QoS 1 benchmark's window).
// 2. RETAINED retained messages, 1000 per commit, then the time to load them back.
//   postcard-store-bench --make-state PATH RETAINED QUEUED
// writes a snapshot at PATH with RETAINED retained messages and one session ("queued-session",
// subscribed to queued/#) holding QUEUED queued QoS 1 messages: the broker's recovery benchmark.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "persistence/durable_store.hpp"
#include "persistence/record_codec.hpp"
#ifdef POSTCARD_HAVE_SQLITE
#include <sqlite3.h>
#endif

namespace pp = postcard::native::persistence;
using postcard::broker::durable_change;
using postcard::broker::durable_state;
using postcard::broker::message_data;
using postcard::broker::session_data;
using clock_type = std::chrono::steady_clock;

namespace {

double since(clock_type::time_point t) { return std::chrono::duration<double>(clock_type::now() - t).count(); }

session_data session_with(std::size_t inflight) {
  session_data s;
  s.client_id = "bench-subscriber";
  s.expiry_interval = 3600;
  s.subscriptions.push_back({"bench/#", "", 1, false, false, 0, 0});
  s.outgoing.resize(inflight);
  std::uint16_t id = 1;
  for (auto& d : s.outgoing) {
    d.st = postcard::broker::delivery_data::state::awaiting_puback;
    d.packet_id = id++;
    d.qos = 1;
    d.message.topic = "bench/persist";
    d.message.payload.assign(64, 'x');
    d.message.qos = 1;
  }
  return s;
}

message_data retained(std::size_t i) {
  message_data m;
  m.topic = "sensors/" + std::to_string(i / 1000) + "/" + std::to_string(i % 1000);
  m.payload.assign(64, 'r');
  m.retain = true;
  return m;
}

void log_bench(const std::string& dir, std::size_t inputs, std::size_t retained_count) {
  std::filesystem::remove_all(dir);
  pp::store_options o;
  o.path = dir + "/log.db";
  o.compact_log_bytes = ~std::uint64_t{0} >> 2;
  o.autosave_interval = 0;
  for (std::size_t k : {std::size_t{1}, std::size_t{64}}) {
    pp::durable_store store(o, [](pp::store_log_level, std::string_view) {});
    durable_state st;
    store.open(st);
    const auto s = session_with(k);
    durable_change ch;
    ch.what = durable_change::kind::session_set;
    ch.key = s.client_id;
    ch.session = &s;
    const auto t = clock_type::now();
    for (std::size_t i = 0; i < inputs; ++i) {
      store.record(ch);
      store.commit();
    }
    const double secs = since(t);
    std::printf("log     session_set K=%-3zu %8.0f commits/s  %6.2f us/commit  %zu bytes/record\n", k, static_cast<double>(inputs) / secs,
                secs * 1e6 / static_cast<double>(inputs), static_cast<std::size_t>(store.stats().log_bytes / inputs));
  }
  std::filesystem::remove_all(dir);
  {
    pp::durable_store store(o, [](pp::store_log_level, std::string_view) {});
    durable_state st;
    store.open(st);
    const auto t = clock_type::now();
    for (std::size_t i = 0; i < retained_count; ++i) {
      const auto m = retained(i);
      durable_change ch;
      ch.what = durable_change::kind::retained_set;
      ch.key = m.topic;
      ch.retained = &m;
      store.record(ch);
      if (i % 1000 == 999) store.commit();
    }
    store.commit();
    std::printf("log     %zu retained (1000 per commit): %.2f s\n", retained_count, since(t));
  }
  {
    pp::durable_store store(o, [](pp::store_log_level, std::string_view) {});
    durable_state st;
    auto t = clock_type::now();
    const auto c = std::clock();
    store.open(st);  // replays the log, then writes a snapshot (the log was not of a snapshot's generation)
    std::printf("log     load %zu retained from the log + first snapshot: %.2f s (%.2f s CPU)\n", st.retained.size(),
                since(t), static_cast<double>(std::clock() - c) / CLOCKS_PER_SEC);
  }
  {
    pp::durable_store store(o, [](pp::store_log_level, std::string_view) {});
    durable_state st;
    auto t = clock_type::now();
    const auto c = std::clock();
    store.open(st);
    std::printf("log     load %zu retained from the snapshot: %.2f s (%.2f s CPU)\n", st.retained.size(), since(t),
                static_cast<double>(std::clock() - c) / CLOCKS_PER_SEC);
  }
}

#ifdef POSTCARD_HAVE_SQLITE
void exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::fprintf(stderr, "sqlite: %s: %s\n", sql, err);
    std::exit(1);
  }
}

void sqlite_bench(const std::string& dir, std::size_t inputs, std::size_t retained_count, const char* sync) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  sqlite3* db = nullptr;
  sqlite3_open((dir + "/state.sqlite").c_str(), &db);
  exec(db, "PRAGMA journal_mode=WAL");
  exec(db, (std::string("PRAGMA synchronous=") + sync).c_str());
  exec(db, "CREATE TABLE sessions(id TEXT PRIMARY KEY, data BLOB)");
  exec(db, "CREATE TABLE retained(topic TEXT PRIMARY KEY, data BLOB)");
  sqlite3_stmt* put_session = nullptr;
  sqlite3_stmt* put_retained = nullptr;
  sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO sessions VALUES(?1, ?2)", -1, &put_session, nullptr);
  sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO retained VALUES(?1, ?2)", -1, &put_retained, nullptr);
  for (std::size_t k : {std::size_t{1}, std::size_t{64}}) {
    const auto s = session_with(k);
    std::string blob;
    const auto t = clock_type::now();
    for (std::size_t i = 0; i < inputs; ++i) {
      blob.clear();
      pp::append_session(blob, s);  // encoded per input, as the log does: the same bytes
      exec(db, "BEGIN");
      sqlite3_bind_text(put_session, 1, s.client_id.data(), static_cast<int>(s.client_id.size()), SQLITE_STATIC);
      sqlite3_bind_blob(put_session, 2, blob.data(), static_cast<int>(blob.size()), SQLITE_STATIC);
      sqlite3_step(put_session);
      sqlite3_reset(put_session);
      exec(db, "COMMIT");
    }
    const double secs = since(t);
    std::printf("sqlite(WAL, synchronous=%s) session_set K=%-3zu %8.0f commits/s  %6.2f us/commit\n", sync, k,
                static_cast<double>(inputs) / secs, secs * 1e6 / static_cast<double>(inputs));
  }
  auto t = clock_type::now();
  exec(db, "BEGIN");
  for (std::size_t i = 0; i < retained_count; ++i) {
    const auto m = retained(i);
    std::string blob;
    pp::append_retained(blob, m);
    sqlite3_bind_text(put_retained, 1, m.topic.data(), static_cast<int>(m.topic.size()), SQLITE_TRANSIENT);
    sqlite3_bind_blob(put_retained, 2, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    sqlite3_step(put_retained);
    sqlite3_reset(put_retained);
    if (i % 1000 == 999) {
      exec(db, "COMMIT");
      exec(db, "BEGIN");
    }
  }
  exec(db, "COMMIT");
  std::printf("sqlite(WAL, synchronous=%s) %zu retained (1000 per transaction): %.2f s\n", sync, retained_count, since(t));
  sqlite3_finalize(put_session);
  sqlite3_finalize(put_retained);
  sqlite3_close(db);
  sqlite3_open((dir + "/state.sqlite").c_str(), &db);
  t = clock_type::now();
  const auto c = std::clock();
  sqlite3_stmt* all = nullptr;
  sqlite3_prepare_v2(db, "SELECT data FROM retained", -1, &all, nullptr);
  std::size_t loaded = 0;
  while (sqlite3_step(all) == SQLITE_ROW) {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(all, 0));
    const auto n = static_cast<std::size_t>(sqlite3_column_bytes(all, 0));
    message_data m;
    // The blob is a framed record: skip the 8-byte frame and the type byte.
    if (n > 9 && pp::decode_message(std::string_view(p + 9, n - 9), m)) ++loaded;
  }
  sqlite3_finalize(all);
  sqlite3_close(db);
  std::printf("sqlite(WAL, synchronous=%s) load %zu retained: %.2f s (%.2f s CPU)\n", sync, loaded, since(t),
              static_cast<double>(std::clock() - c) / CLOCKS_PER_SEC);
}
#endif

}  // namespace

int make_state(const std::string& path, std::size_t retained_count, std::size_t queued) {
  pp::store_options o;
  o.path = path;
  pp::durable_store store(o, [](pp::store_log_level, std::string_view line) {
    std::printf("%.*s\n", static_cast<int>(line.size()), line.data());
  });
  durable_state st;
  if (auto err = store.open(st); !err.empty()) return 1;
  st = {};
  for (std::size_t i = 0; i < retained_count; ++i) st.retained.push_back(retained(i));
  session_data s;
  s.client_id = "queued-session";
  s.expiry_interval = 0xFFFFFFFF;
  s.subscriptions.push_back({"queued/#", "", 1, false, false, 0, 0});
  s.outgoing.resize(queued);
  for (std::size_t i = 0; i < queued; ++i) {
    auto& d = s.outgoing[i];
    d.qos = 1;
    d.message.topic = "queued/" + std::to_string(i);
    d.message.payload.assign(64, 'q');
    d.message.qos = 1;
  }
  st.sessions.push_back(std::move(s));
  return store.compact(st).empty() ? 0 : 1;
}

int main(int argc, char** argv) {
  if (argc == 5 && std::string(argv[1]) == "--make-state") {
    return make_state(argv[2], std::strtoull(argv[3], nullptr, 10), std::strtoull(argv[4], nullptr, 10));
  }
  const std::string dir = argc > 1 ? argv[1] : "/tmp/postcard-store-bench";
  const std::size_t inputs = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 20000;
  const std::size_t retained_count = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1000000;
  log_bench(dir + "/log", inputs, retained_count);
#ifdef POSTCARD_HAVE_SQLITE
  sqlite_bench(dir + "/sqlite-off", inputs, retained_count, "OFF");
  sqlite_bench(dir + "/sqlite-normal", inputs, retained_count, "NORMAL");
#else
  std::printf("sqlite: not built (libsqlite3-dev missing)\n");
#endif
  std::filesystem::remove_all(dir);
  return 0;
}
