// The durable-state record format: round trips of every field, and scanning of damaged files.
#include <gtest/gtest.h>

#include "persistence/file_format.hpp"
#include "persistence/record_codec.hpp"

namespace pp = postcard::native::persistence;
using postcard::broker::delivery_data;
using postcard::broker::message_data;
using postcard::broker::session_data;

namespace {

message_data full_message() {
  message_data m;
  m.topic = "sensors/room 1/temp";
  m.payload = {0, 1, 2, 0xFF};
  m.qos = 2;
  m.retain = true;
  m.payload_format_indicator = 1;
  m.content_type = "text/plain";
  m.response_topic = "replies/x";
  m.correlation_data = std::vector<std::uint8_t>{9, 8};
  m.user_properties = {{"a", "1"}, {"a", "2"}, {"", ""}};
  m.expires_at_ms = 1'764'000'000'123ull;
  return m;
}

session_data full_session() {
  session_data s;
  s.client_id = "client-7";
  s.protocol_version = 4;
  s.expiry_interval = 0xFFFFFFFF;
  s.disconnected_at_ms = 1'764'000'000'000ull;
  s.subscriptions.push_back({"a/+/c", "", 1, true, false, 2, 17});
  s.subscriptions.push_back({"jobs/#", "workers", 2, false, true, 0, 0});
  delivery_data inflight;
  inflight.st = delivery_data::state::awaiting_puback;
  inflight.packet_id = 42;
  inflight.qos = 1;
  inflight.subscription_identifiers = {17, 3};
  inflight.message = full_message();
  delivery_data pubcomp;
  pubcomp.st = delivery_data::state::awaiting_pubcomp;
  pubcomp.packet_id = 43;
  pubcomp.qos = 2;
  delivery_data queued;
  queued.qos = 2;
  queued.retain = true;
  queued.message.topic = "q";
  queued.message.payload = {'x'};
  s.outgoing = {inflight, pubcomp, queued};
  s.incoming_qos2 = {5, 65535};
  s.next_packet_id = 44;
  return s;
}

bool same(const message_data& a, const message_data& b) {
  return a.topic == b.topic && a.payload == b.payload && a.qos == b.qos && a.retain == b.retain &&
         a.payload_format_indicator == b.payload_format_indicator && a.content_type == b.content_type &&
         a.response_topic == b.response_topic && a.correlation_data == b.correlation_data &&
         a.user_properties == b.user_properties && a.expires_at_ms == b.expires_at_ms;
}

std::vector<pp::record_view> records_of(std::string_view file, pp::scan_result* result = nullptr) {
  std::vector<pp::record_view> out;
  auto r = pp::scan_records(file, [&](const pp::record_view& v) { out.push_back(v); });
  if (result) *result = r;
  return out;
}

}  // namespace

TEST(RecordCodec, MessageRoundTripsEveryField) {
  std::string out;
  pp::append_retained(out, full_message());
  auto file = std::string();
  pp::append_file_header(file, 3);
  file += out;
  auto recs = records_of(file);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].type, pp::record_type::retained_set);
  message_data back;
  ASSERT_TRUE(pp::decode_message(recs[0].fields, back));
  EXPECT_TRUE(same(back, full_message()));
  std::string_view key;
  ASSERT_TRUE(pp::decode_key(recs[0].fields, key));
  EXPECT_EQ(key, "sensors/room 1/temp");
}

TEST(RecordCodec, MessageWithoutOptionalsRoundTrips) {
  message_data m;
  m.topic = "t";
  std::string file;
  pp::append_file_header(file, 0);
  pp::append_retained(file, m);
  auto recs = records_of(file);
  ASSERT_EQ(recs.size(), 1u);
  message_data back;
  ASSERT_TRUE(pp::decode_message(recs[0].fields, back));
  EXPECT_TRUE(same(back, m));
  EXPECT_FALSE(back.content_type.has_value());
  EXPECT_FALSE(back.payload_format_indicator.has_value());
}

TEST(RecordCodec, SessionRoundTripsEveryField) {
  const auto s = full_session();
  std::string file;
  pp::append_file_header(file, 1);
  pp::append_session(file, s);
  auto recs = records_of(file);
  ASSERT_EQ(recs.size(), 1u);
  session_data b;
  ASSERT_TRUE(pp::decode_session(recs[0].fields, b));
  EXPECT_EQ(b.client_id, s.client_id);
  EXPECT_EQ(b.protocol_version, 4);
  EXPECT_EQ(b.expiry_interval, 0xFFFFFFFFu);
  EXPECT_EQ(b.disconnected_at_ms, s.disconnected_at_ms);
  ASSERT_EQ(b.subscriptions.size(), 2u);
  EXPECT_EQ(b.subscriptions[0].filter, "a/+/c");
  EXPECT_TRUE(b.subscriptions[0].no_local);
  EXPECT_FALSE(b.subscriptions[0].retain_as_published);
  EXPECT_EQ(b.subscriptions[0].retain_handling, 2);
  EXPECT_EQ(b.subscriptions[0].identifier, 17u);
  EXPECT_EQ(b.subscriptions[1].share_group, "workers");
  EXPECT_TRUE(b.subscriptions[1].retain_as_published);
  EXPECT_EQ(b.subscriptions[1].max_qos, 2);
  ASSERT_EQ(b.outgoing.size(), 3u);
  EXPECT_EQ(b.outgoing[0].st, delivery_data::state::awaiting_puback);
  EXPECT_EQ(b.outgoing[0].packet_id, 42);
  EXPECT_EQ(b.outgoing[0].subscription_identifiers, (std::vector<std::uint32_t>{17, 3}));
  EXPECT_TRUE(same(b.outgoing[0].message, full_message()));
  EXPECT_EQ(b.outgoing[1].st, delivery_data::state::awaiting_pubcomp);
  EXPECT_EQ(b.outgoing[1].packet_id, 43);
  EXPECT_EQ(b.outgoing[2].st, delivery_data::state::queued);
  EXPECT_TRUE(b.outgoing[2].retain);
  EXPECT_EQ(b.outgoing[2].message.topic, "q");
  EXPECT_EQ(b.incoming_qos2, (std::vector<std::uint16_t>{5, 65535}));
  EXPECT_EQ(b.next_packet_id, 44);
}

TEST(RecordCodec, ErasedRecordsCarryTheirKey) {
  postcard::broker::durable_change ch;
  ch.what = postcard::broker::durable_change::kind::session_erased;
  ch.key = "gone";
  std::string file;
  pp::append_file_header(file, 0);
  pp::append_change(file, ch);
  auto recs = records_of(file);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].type, pp::record_type::session_erased);
  std::string_view key;
  ASSERT_TRUE(pp::decode_key(recs[0].fields, key));
  EXPECT_EQ(key, "gone");
}

TEST(RecordCodec, Crc32MatchesTheStandardCheckValue) {
  EXPECT_EQ(pp::crc32("123456789", 9), 0xCBF43926u);
}

TEST(FileScan, EveryTruncationKeepsExactlyTheWholeRecordsBeforeIt) {
  std::string file;
  pp::append_file_header(file, 9);
  std::vector<std::size_t> ends;
  for (int i = 0; i < 5; ++i) {
    auto m = full_message();
    m.topic += std::to_string(i);
    pp::append_retained(file, m);
    ends.push_back(file.size());
  }
  for (std::size_t cut = pp::file_header_size; cut <= file.size(); ++cut) {
    pp::scan_result r;
    auto recs = records_of(std::string_view(file).substr(0, cut), &r);
    std::size_t whole = 0;
    while (whole < ends.size() && ends[whole] <= cut) ++whole;
    ASSERT_EQ(recs.size(), whole) << "cut at " << cut;
    EXPECT_EQ(r.good_end, whole ? ends[whole - 1] : pp::file_header_size);
    EXPECT_EQ(r.damage.empty(), cut == r.good_end) << "cut at " << cut;
    EXPECT_EQ(r.generation, 9u);
  }
}

TEST(FileScan, AFlippedByteStopsAtTheDamagedRecord) {
  std::string file;
  pp::append_file_header(file, 1);
  std::vector<std::size_t> ends;
  for (int i = 0; i < 4; ++i) {
    pp::append_session(file, full_session());
    ends.push_back(file.size());
  }
  for (std::size_t at = pp::file_header_size; at < file.size(); at += 7) {
    std::string damaged = file;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x5A);
    pp::scan_result r;
    auto recs = records_of(damaged, &r);
    std::size_t before = 0;
    while (before < ends.size() && ends[before] <= at) ++before;
    ASSERT_EQ(recs.size(), before) << "byte " << at;
    EXPECT_FALSE(r.damage.empty());
    for (const auto& v : recs) {
      session_data s;
      EXPECT_TRUE(pp::decode_session(v.fields, s));
    }
  }
}

TEST(FileScan, ADamagedHeaderIsReportedAndNothingIsRead) {
  std::string file;
  pp::append_file_header(file, 1);
  pp::append_retained(file, full_message());
  file[10] = 'x';
  pp::scan_result r;
  EXPECT_TRUE(records_of(file, &r).empty());
  EXPECT_FALSE(r.header_ok);
  EXPECT_FALSE(r.damage.empty());
  EXPECT_TRUE(records_of("PCD", &r).empty());
  EXPECT_FALSE(r.header_ok);
}

TEST(RecordCodec, DecodersRejectEveryTruncatedBody) {
  std::string file;
  pp::append_file_header(file, 0);
  pp::append_session(file, full_session());
  auto recs = records_of(file);
  ASSERT_EQ(recs.size(), 1u);
  const auto fields = recs[0].fields;
  for (std::size_t n = 0; n < fields.size(); ++n) {
    session_data s;
    EXPECT_FALSE(pp::decode_session(fields.substr(0, n), s)) << n;
  }
}

TEST(RecordCodec, DeliveryRecordsRoundTrip) {
  using postcard::broker::durable_change;
  using kind = durable_change::kind;
  delivery_data d = full_session().outgoing[0];
  d.seq = 0x1'0000'0002ull;
  std::string file;
  pp::append_file_header(file, 1);
  durable_change ch;
  ch.what = kind::delivery_added;
  ch.key = "client-7";
  ch.delivery = &d;
  ch.next_packet_id = 43;
  pp::append_change(file, ch);
  ch = {};
  ch.what = kind::delivery_updated;
  ch.key = "client-7";
  ch.seq = 9;
  ch.state = delivery_data::state::awaiting_pubcomp;
  ch.packet_id = 300;
  ch.next_packet_id = 301;
  pp::append_change(file, ch);
  ch = {};
  ch.what = kind::delivery_removed;
  ch.key = "client-7";
  ch.seq = 10;
  ch.next_packet_id = 302;
  pp::append_change(file, ch);
  const auto s = full_session();
  ch = {};
  ch.what = kind::session_set;
  ch.key = s.client_id;
  ch.session = &s;
  ch.with_outgoing = false;
  pp::append_change(file, ch);
  auto recs = records_of(file);
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(recs[0].type, pp::record_type::delivery_added);
  pp::decoded_change a, u, r, h;
  ASSERT_TRUE(pp::decode_session_change(recs[0], a));
  EXPECT_EQ(a.change.what, kind::delivery_added);
  EXPECT_EQ(a.change.key, "client-7");
  EXPECT_EQ(a.change.next_packet_id, 43);
  ASSERT_NE(a.change.delivery, nullptr);
  EXPECT_EQ(a.change.delivery->seq, 0x1'0000'0002ull);
  EXPECT_EQ(a.change.delivery->packet_id, 42);
  EXPECT_EQ(a.change.delivery->subscription_identifiers, (std::vector<std::uint32_t>{17, 3}));
  EXPECT_TRUE(same(a.change.delivery->message, full_message()));
  ASSERT_TRUE(pp::decode_session_change(recs[1], u));
  EXPECT_EQ(u.change.what, kind::delivery_updated);
  EXPECT_EQ(u.change.seq, 9u);
  EXPECT_EQ(u.change.state, delivery_data::state::awaiting_pubcomp);
  EXPECT_EQ(u.change.packet_id, 300);
  EXPECT_EQ(u.change.next_packet_id, 301);
  ASSERT_TRUE(pp::decode_session_change(recs[2], r));
  EXPECT_EQ(r.change.what, kind::delivery_removed);
  EXPECT_EQ(r.change.seq, 10u);
  EXPECT_EQ(r.change.next_packet_id, 302);
  ASSERT_TRUE(pp::decode_session_change(recs[3], h));
  EXPECT_EQ(h.change.what, kind::session_set);
  EXPECT_FALSE(h.change.with_outgoing);
  EXPECT_TRUE(h.session.outgoing.empty());
  EXPECT_EQ(h.session.subscriptions.size(), 2u);
  EXPECT_EQ(h.session.next_packet_id, 44);
  // every truncation of a delivery record's fields is refused, never read past
  for (std::size_t n = 0; n < recs[0].fields.size(); ++n) {
    pp::decoded_change x;
    EXPECT_FALSE(pp::decode_session_change(pp::record_view{recs[0].type, recs[0].fields.substr(0, n)}, x)) << n;
  }
}

TEST(RecordCodec, AFormat2FileRefusesTheFormat1SessionRecordType) {
  std::string file;
  pp::append_file_header(file, 1);
  pp::append_session(file, full_session());
  file[pp::file_header_size + pp::record_header_size] = 3;  // as if a type 3 record were in it
  const std::uint32_t crc = pp::crc32(file.data() + pp::file_header_size + pp::record_header_size,
                                      file.size() - pp::file_header_size - pp::record_header_size);
  for (int i = 0; i < 4; ++i) file[pp::file_header_size + 4 + static_cast<std::size_t>(i)] = static_cast<char>((crc >> (8 * i)) & 0xFF);
  pp::scan_result r;
  EXPECT_TRUE(records_of(file, &r).empty());
  EXPECT_NE(r.damage.find("unknown record type 3"), std::string::npos) << r.damage;
}
