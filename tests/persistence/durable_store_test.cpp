// durable_store: open / record / commit / compact against real files in a temporary directory.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "persistence/durable_store.hpp"
#include "persistence/file_format.hpp"

namespace pp = postcard::native::persistence;
namespace fs = std::filesystem;
using postcard::broker::durable_change;
using postcard::broker::durable_state;
using postcard::broker::message_data;
using postcard::broker::session_data;
using postcard::broker::delivery_data;

namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("postcard-store-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    options_.path = (dir_ / "sub" / "state.db").string();
    options_.fsync_interval_ms = 0;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<pp::durable_store> open(durable_state& st) {
    auto s = std::make_unique<pp::durable_store>(options_, [this](pp::store_log_level, std::string_view line) {
      log_ += std::string(line) + "\n";
    });
    EXPECT_EQ(s->open(st), "");
    return s;
  }
  static void set_retained(pp::durable_store& s, const std::string& topic, const std::string& payload) {
    message_data m;
    m.topic = topic;
    m.payload.assign(payload.begin(), payload.end());
    m.retain = true;
    durable_change ch;
    ch.what = durable_change::kind::retained_set;
    ch.key = m.topic;
    ch.retained = &m;
    s.record(ch);
  }
  static void set_session(pp::durable_store& s, const std::string& id, std::size_t queued) {
    session_data d;
    d.client_id = id;
    d.expiry_interval = 3600;
    d.outgoing.resize(queued);
    for (auto& o : d.outgoing) o.message.topic = "q/" + id;
    durable_change ch;
    ch.what = durable_change::kind::session_set;
    ch.key = d.client_id;
    ch.session = &d;
    s.record(ch);
  }
  static void erase(pp::durable_store& s, durable_change::kind k, const std::string& key) {
    durable_change ch;
    ch.what = k;
    ch.key = key;
    s.record(ch);
  }
  static std::map<std::string, std::string> retained_of(const durable_state& st) {
    std::map<std::string, std::string> out;
    for (const auto& m : st.retained) out[m.topic] = std::string(m.payload.begin(), m.payload.end());
    return out;
  }
  static std::map<std::string, std::size_t> sessions_of(const durable_state& st) {
    std::map<std::string, std::size_t> out;
    for (const auto& s : st.sessions) out[s.client_id] = s.outgoing.size();
    return out;
  }
  std::uintmax_t log_size() const { return fs::file_size(options_.path + ".log"); }

  fs::path dir_;
  pp::store_options options_;
  std::string log_;
};

TEST_F(StoreTest, AFreshStoreCreatesItsFilesAndLoadsNothing) {
  durable_state st;
  auto s = open(st);
  EXPECT_TRUE(st.retained.empty());
  EXPECT_TRUE(st.sessions.empty());
  EXPECT_TRUE(fs::exists(options_.path));
  EXPECT_TRUE(fs::exists(options_.path + ".log"));
  EXPECT_EQ(s->stats().generation, 1u);
}

TEST_F(StoreTest, CommittedChangesAreReplayedLastRecordWins) {
  {
    durable_state st;
    auto s = open(st);
    set_retained(*s, "a", "1");
    set_retained(*s, "b", "2");
    set_session(*s, "c1", 3);
    s->commit();
    set_retained(*s, "a", "3");
    erase(*s, durable_change::kind::retained_erased, "b");
    set_session(*s, "c1", 1);
    set_session(*s, "c2", 0);
    set_session(*s, "c3", 0);
    erase(*s, durable_change::kind::session_erased, "c3");
    s->commit();
    EXPECT_EQ(s->stats().commits, 2u);
    EXPECT_EQ(s->stats().records, 9u);
  }
  durable_state st;
  auto s = open(st);
  EXPECT_EQ(retained_of(st), (std::map<std::string, std::string>{{"a", "3"}}));
  EXPECT_EQ(sessions_of(st), (std::map<std::string, std::size_t>{{"c1", 1}, {"c2", 0}}));
  EXPECT_NE(log_.find("restored 1 retained messages and 2 sessions"), std::string::npos) << log_;
}

TEST_F(StoreTest, OneCommitIsOneWriteOfTheWholeBatch) {
  durable_state st;
  auto s = open(st);
  const auto before = log_size();
  set_retained(*s, "a", "1");
  set_retained(*s, "b", "2");
  EXPECT_EQ(log_size(), before);  // buffered, not written
  s->commit();
  EXPECT_GT(log_size(), before);
  EXPECT_EQ(s->stats().commits, 1u);
  s->commit();  // nothing buffered: no write
  EXPECT_EQ(s->stats().commits, 1u);
}

TEST_F(StoreTest, CompactionWritesASnapshotAndEmptiesTheLog) {
  {
    durable_state st;
    auto s = open(st);
    set_retained(*s, "a", "1");
    s->commit();
    durable_state now;
    message_data m;
    m.topic = "a";
    m.payload = {'1'};
    now.retained.push_back(m);
    ASSERT_EQ(s->compact(now), "");
    EXPECT_EQ(s->stats().generation, 2u);
    EXPECT_EQ(log_size(), pp::file_header_size);
    set_retained(*s, "z", "26");
    s->commit();
  }
  durable_state st;
  auto s = open(st);
  EXPECT_EQ(retained_of(st), (std::map<std::string, std::string>{{"a", "1"}, {"z", "26"}}));
  EXPECT_EQ(log_.find("damaged"), std::string::npos) << log_;
}

TEST_F(StoreTest, LogRecordsOverrideAndEraseTheSnapshots) {
  {
    durable_state st;
    auto s = open(st);
    durable_state snap;
    for (const char* t : {"a", "b", "c"}) {
      message_data m;
      m.topic = t;
      m.payload = {'s'};
      snap.retained.push_back(m);
    }
    session_data gone;
    gone.client_id = "gone";
    snap.sessions.push_back(gone);
    ASSERT_EQ(s->compact(snap), "");
    erase(*s, durable_change::kind::retained_erased, "a");
    set_retained(*s, "b", "log");
    erase(*s, durable_change::kind::session_erased, "gone");
    set_session(*s, "new", 2);
    s->commit();
  }
  durable_state st;
  auto s = open(st);
  EXPECT_EQ(retained_of(st), (std::map<std::string, std::string>{{"b", "log"}, {"c", "s"}}));
  EXPECT_EQ(sessions_of(st), (std::map<std::string, std::size_t>{{"new", 2}}));
}

TEST_F(StoreTest, ALogOfAnOlderGenerationIsIgnored) {
  std::string old_log;
  {
    durable_state st;
    auto s = open(st);
    set_retained(*s, "stale", "x");
    s->commit();
    bool exists = false;
    ASSERT_EQ(pp::read_file(options_.path + ".log", old_log, exists), "");
    ASSERT_EQ(s->compact(durable_state{}), "");  // the snapshot says: nothing retained
  }
  // A crash between the snapshot's rename and the new log's: the old log is still there.
  std::ofstream(options_.path + ".log", std::ios::binary | std::ios::trunc) << old_log;
  durable_state st;
  auto s = open(st);
  EXPECT_TRUE(st.retained.empty());
  EXPECT_NE(log_.find("older generation"), std::string::npos) << log_;
}

TEST_F(StoreTest, ATruncatedLogIsRecoveredCutAndAppendedToAgain) {
  {
    durable_state st;
    auto s = open(st);
    for (int i = 0; i < 10; ++i) {
      set_retained(*s, "t" + std::to_string(i), std::string(100, 'p'));
      s->commit();
    }
  }
  fs::resize_file(options_.path + ".log", log_size() - 50);  // half of the last record
  {
    durable_state st;
    auto s = open(st);
    EXPECT_EQ(st.retained.size(), 9u);
    EXPECT_NE(log_.find("damaged at byte"), std::string::npos) << log_;
    EXPECT_NE(log_.find("recovered 9 records"), std::string::npos) << log_;
    set_retained(*s, "after", "ok");
    s->commit();
  }
  log_.clear();
  durable_state st;
  auto s = open(st);
  EXPECT_EQ(st.retained.size(), 10u);
  EXPECT_EQ(retained_of(st)["after"], "ok");
  EXPECT_EQ(log_.find("damaged"), std::string::npos) << log_;
}

TEST_F(StoreTest, ADamagedSnapshotKeepsItsGoodRecordsAndIsRewritten) {
  {
    durable_state st;
    auto s = open(st);
    durable_state full;
    for (int i = 0; i < 5; ++i) {
      message_data m;
      m.topic = "r" + std::to_string(i);
      m.payload = {'v'};
      full.retained.push_back(m);
    }
    ASSERT_EQ(s->compact(full), "");
  }
  {  // flip a byte inside the fourth record
    std::string snapshot;
    bool exists = false;
    ASSERT_EQ(pp::read_file(options_.path, snapshot, exists), "");
    std::size_t at = pp::file_header_size;
    std::size_t index = 0;
    pp::scan_records(snapshot, [&](const pp::record_view& v) {
      if (index++ < 3) at = static_cast<std::size_t>(v.fields.data() + v.fields.size() - snapshot.data());
    });
    snapshot[at + 12] = static_cast<char>(snapshot[at + 12] ^ 1);
    std::ofstream(options_.path, std::ios::binary | std::ios::trunc) << snapshot;
  }
  {
    durable_state st;
    auto s = open(st);
    EXPECT_EQ(st.retained.size(), 3u);
    EXPECT_NE(log_.find("checksum mismatch"), std::string::npos) << log_;
  }
  log_.clear();
  durable_state st;
  auto s = open(st);
  EXPECT_EQ(st.retained.size(), 3u);
  EXPECT_EQ(log_.find("damaged"), std::string::npos) << log_;  // rewritten whole at the last start
}

TEST_F(StoreTest, CompactionIsDueBySizeAndByChanges) {
  options_.compact_log_bytes = 4096;
  options_.autosave_interval = 0;
  durable_state st;
  auto s = open(st);
  set_session(*s, "big", 10);
  s->commit();
  EXPECT_FALSE(s->compaction_due());
  for (int i = 0; i < 20; ++i) set_session(*s, "big", 10);
  s->commit();
  EXPECT_TRUE(s->compaction_due());
  ASSERT_EQ(s->compact(durable_state{}), "");
  EXPECT_FALSE(s->compaction_due());

  options_.autosave_interval = 3;
  options_.autosave_on_changes = true;
  options_.compact_log_bytes = 1u << 30;
  s.reset();
  durable_state st2;
  s = open(st2);
  set_retained(*s, "a", "1");
  set_retained(*s, "b", "1");
  s->commit();
  EXPECT_FALSE(s->compaction_due());
  set_retained(*s, "c", "1");
  s->commit();
  EXPECT_TRUE(s->compaction_due());
}

TEST_F(StoreTest, TheSyncThreadRunsAlongsideCommitsAndCompactions) {
  options_.fsync_interval_ms = 5;
  {
    durable_state st;
    auto s = open(st);
    for (int i = 0; i < 50; ++i) {
      std::string topic = "t";
      topic += std::to_string(i);
      set_retained(*s, topic, "v");
      s->commit();
      if (i % 10 == 9) {
        ::usleep(6000);
        durable_state partial;
        ASSERT_EQ(s->compact(partial), "");  // swaps the log under the sync thread
      }
    }
    set_retained(*s, "last", "v");
    s->commit();
  }
  durable_state st;
  auto s = open(st);
  EXPECT_EQ(retained_of(st), (std::map<std::string, std::string>{{"last", "v"}}));
}

TEST_F(StoreTest, AFileThatIsNotOursIsReportedNotTrusted) {
  fs::create_directories(fs::path(options_.path).parent_path());
  std::ofstream(options_.path, std::ios::binary) << "this is not a state file at all";
  durable_state st;
  auto s = open(st);
  EXPECT_TRUE(st.retained.empty());
  EXPECT_NE(log_.find("not a Postcard state file"), std::string::npos) << log_;
}

// --- per-delivery records (file format 2)

TEST_F(StoreTest, DeliveryRecordsReplayOverTheSnapshotInOrder) {
  using state = postcard::broker::delivery_data::state;
  {
    durable_state st;
    auto s = open(st);
    set_session(*s, "c", 3);  // seq 1, 2, 3 queued
    s->compact([&] {
      durable_state snap;
      snap.sessions.push_back({});
      snap.sessions[0].client_id = "c";
      snap.sessions[0].expiry_interval = 3600;
      snap.sessions[0].outgoing.resize(3);
      for (auto& o : snap.sessions[0].outgoing) o.message.topic = "q/c";
      return snap;
    }());
    postcard::broker::delivery_data added;
    added.seq = 4;
    added.qos = 1;
    added.message.topic = "q/new";
    durable_change ch;
    ch.what = durable_change::kind::delivery_added;
    ch.key = "c";
    ch.delivery = &added;
    ch.next_packet_id = 1;
    s->record(ch);
    ch = {};
    ch.what = durable_change::kind::delivery_updated;
    ch.key = "c";
    ch.seq = 1;
    ch.state = state::awaiting_puback;
    ch.packet_id = 7;
    ch.next_packet_id = 8;
    s->record(ch);
    ch = {};
    ch.what = durable_change::kind::delivery_removed;
    ch.key = "c";
    ch.seq = 2;
    ch.next_packet_id = 8;
    s->record(ch);
    session_data header;  // a header-only session_set keeps the deliveries
    header.client_id = "c";
    header.expiry_interval = 60;
    header.next_packet_id = 8;
    ch = {};
    ch.what = durable_change::kind::session_set;
    ch.key = "c";
    ch.session = &header;
    ch.with_outgoing = false;
    s->record(ch);
    s->commit();
  }
  durable_state st;
  auto s = open(st);
  ASSERT_EQ(st.sessions.size(), 1u);
  const auto& c = st.sessions[0];
  EXPECT_EQ(c.expiry_interval, 60u);
  EXPECT_EQ(c.next_packet_id, 8);
  ASSERT_EQ(c.outgoing.size(), 3u);
  EXPECT_EQ(c.outgoing[0].seq, 1u);
  EXPECT_EQ(c.outgoing[0].st, state::awaiting_puback);
  EXPECT_EQ(c.outgoing[0].packet_id, 7);
  EXPECT_EQ(c.outgoing[1].seq, 3u);
  EXPECT_EQ(c.outgoing[1].st, state::queued);
  EXPECT_EQ(c.outgoing[2].seq, 4u);
  EXPECT_EQ(c.outgoing[2].message.topic, "q/new");
}

// A format 1 snapshot, written byte by byte as the previous version did (whole-session record, type 3,
// deliveries without sequence numbers), is read and converted to a format 2 snapshot with a log line.
TEST_F(StoreTest, AFormat1FileIsConvertedWithALogLine) {
  std::string body;
  auto le = [&](std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) body.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  };
  auto str = [&](std::string_view v) {
    le(v.size(), 4);
    body.append(v);
  };
  std::string file = "PCDURBL1";
  for (int i = 0; i < 8; ++i) file.push_back(static_cast<char>(i == 0 ? 5 : 0));  // generation 5
  const std::uint32_t hcrc = pp::crc32(file.data(), 16);
  for (int i = 0; i < 4; ++i) file.push_back(static_cast<char>((hcrc >> (8 * i)) & 0xFF));
  auto frame = [&] {
    const std::uint32_t crc = pp::crc32(body.data(), body.size());
    std::string rec;
    for (int i = 0; i < 4; ++i) rec.push_back(static_cast<char>((body.size() >> (8 * i)) & 0xFF));
    for (int i = 0; i < 4; ++i) rec.push_back(static_cast<char>((crc >> (8 * i)) & 0xFF));
    file += rec + body;
    body.clear();
  };
  body.push_back(3);  // session_set_v1
  str("old");
  le(5, 1);           // protocol version
  le(3600, 4);        // expiry
  le(0, 8);           // disconnected at
  le(0, 4);           // no subscriptions
  le(2, 4);           // two deliveries: one in flight, one queued
  for (int d = 0; d < 2; ++d) {
    le(d == 0 ? 1 : 0, 1);  // state
    le(d == 0 ? 3 : 0, 2);  // packet id
    le(1, 1);               // qos
    le(0, 1);               // retain
    le(0, 4);               // no subscription identifiers
    str(d == 0 ? "t/inflight" : "t/queued");
    str("p");
    le(1, 1); le(0, 1); le(0, 1); le(0, 1); le(0, 1); le(0, 1);  // qos, retain, no optional fields
    le(0, 4);  // no user properties
    le(0, 8);  // no expiry
  }
  le(0, 4);  // no incoming QoS 2
  le(4, 2);  // next packet id
  frame();
  body.push_back(5);  // snapshot_end
  le(1, 8);
  frame();
  fs::create_directories(fs::path(options_.path).parent_path());
  std::ofstream(options_.path, std::ios::binary) << file;

  durable_state st;
  auto s = open(st);
  ASSERT_EQ(st.sessions.size(), 1u);
  ASSERT_EQ(st.sessions[0].outgoing.size(), 2u);
  EXPECT_EQ(st.sessions[0].outgoing[0].message.topic, "t/inflight");
  EXPECT_EQ(st.sessions[0].outgoing[0].seq, 1u);  // numbered as restore() numbers them
  EXPECT_EQ(st.sessions[0].outgoing[1].seq, 2u);
  EXPECT_EQ(st.sessions[0].next_packet_id, 4);
  EXPECT_NE(log_.find("file format 1"), std::string::npos) << log_;
  EXPECT_EQ(s->stats().generation, 6u);  // a format 2 snapshot was written at once
  std::string now;
  bool exists = false;
  ASSERT_EQ(pp::read_file(options_.path, now, exists), "");
  EXPECT_EQ(now.substr(0, 8), pp::file_magic);
  s.reset();
  durable_state again;
  log_.clear();
  auto s2 = open(again);
  ASSERT_EQ(again.sessions.size(), 1u);
  EXPECT_EQ(again.sessions[0].outgoing.size(), 2u);
  EXPECT_EQ(log_.find("file format 1"), std::string::npos) << log_;
}

}  // namespace
