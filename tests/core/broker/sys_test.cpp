// $SYS topics, counters, events, admin commands and determinism.
#include "world.hpp"

namespace postcard::broker_test {
namespace {

TEST(Sys, PublishedAtInterval) {
  config cfg;
  cfg.sys_interval = 5;
  world w(cfg);
  const auto s = w.connect_v("s", protocol_version::v5);
  w.advance(0);  // the first $SYS round is due at once
  w.subscribe(s, "$SYS/broker/clients/connected");
  w.next<suback_packet>(s);
  auto first = w.next<publish_packet>(s);  // retained from the first $SYS round
  EXPECT_EQ(text(first.payload), "1");
  EXPECT_TRUE(first.retain);
  w.connect_v("t", protocol_version::v5);
  w.advance(4999);
  EXPECT_EQ(w.pending(s), 0u);
  w.advance(1);
  auto m = w.next<publish_packet>(s);
  EXPECT_EQ(m.topic, "$SYS/broker/clients/connected");
  EXPECT_EQ(text(m.payload), "2");
  w.advance(5000);
  EXPECT_EQ(w.pending(s), 0u);  // unchanged values are not republished
}

TEST(Sys, UptimeAndVersion) {
  world w;
  const auto s = w.connect_v("s", protocol_version::v5);
  w.advance(0);
  w.subscribe(s, "$SYS/broker/version");
  w.next<suback_packet>(s);
  EXPECT_EQ(text(w.next<publish_packet>(s).payload), "postcard 0.1.0");
  w.subscribe(s, "$SYS/broker/uptime", 0, 2);
  w.next<suback_packet>(s);
  w.take(s);
  w.advance(10'000);
  EXPECT_EQ(text(w.next<publish_packet>(s).payload), "10 seconds");
}

TEST(Sys, DisabledWithZeroInterval) {
  config cfg;
  cfg.sys_interval = 0;
  world w(cfg);
  w.advance(100'000);
  EXPECT_EQ(w.broker().retained().size(), 0u);
  EXPECT_EQ(w.broker().next_deadline(), no_deadline);
}

TEST(Sys, CountersCountTraffic) {
  world w;
  const auto s = w.connect_v("s", protocol_version::v5);
  w.subscribe(s, "t");
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "m");
  auto st = w.broker().stats(w.now);
  EXPECT_EQ(st.clients_connected, 2u);
  EXPECT_EQ(st.publish_received, 1u);
  EXPECT_GE(st.publish_sent, 1u);
  EXPECT_EQ(st.subscriptions, 1u);
  EXPECT_GT(st.bytes_received, 0u);
  EXPECT_GT(st.bytes_sent, 0u);
}

TEST(Sys, EventsDescribePacketsAndLifecycle) {
  world w;
  const auto c = w.connect_v("c", protocol_version::v5);
  w.subscribe(c, "t");
  w.publish(c, "t", "m");
  w.drop_transport(c);
  std::vector<event_kind> kinds;
  for (const auto& e : w.events) kinds.push_back(e.kind);
  ASSERT_GE(kinds.size(), 8u);
  EXPECT_EQ(kinds[0], event_kind::packet_in);  // CONNECT
  EXPECT_EQ(w.events[0].type, std::optional<packet_type>(packet_type::connect));
  EXPECT_EQ(kinds[1], event_kind::packet_out);  // CONNACK
  EXPECT_EQ(kinds[2], event_kind::connected);
  EXPECT_EQ(w.count_events(event_kind::subscribed), 1u);
  EXPECT_EQ(w.last_event(event_kind::disconnected)->cause, disconnect_cause::network_closed);
}

TEST(Sys, NoEventsWhenMaskIsEmpty) {
  world w;
  w.mask = 0;
  const auto c = w.connect_v("c", protocol_version::v5);
  w.publish(c, "t", "m");
  EXPECT_TRUE(w.events.empty());
}

TEST(Sys, AdminDisconnect) {
  world w;
  const auto c = w.connect_v("c", protocol_version::v5);
  w.take(c);
  EXPECT_EQ(w.broker().disconnect("c", reason_code::administrative_action, w.now), admin_result::ok);
  EXPECT_EQ(w.next<disconnect_packet>(c).reason, reason_code::administrative_action);
  EXPECT_TRUE(w.is_closed(c));
  EXPECT_EQ(w.broker().disconnect("c", reason_code::administrative_action, w.now), admin_result::not_found);
}

TEST(Sys, ShutdownSends0x8BAndRefusesNewConnections) {
  world w;
  const auto c5 = w.connect_v("c5", protocol_version::v5);
  const auto c3 = w.connect_v("c3", protocol_version::v3_1_1);
  w.take(c5);
  w.take(c3);
  w.broker().shutdown(w.now);
  EXPECT_EQ(w.next<disconnect_packet>(c5).reason, reason_code::server_shutting_down);
  EXPECT_EQ(w.pending(c3), 0u);
  EXPECT_TRUE(w.is_closed(c5));
  EXPECT_TRUE(w.is_closed(c3));
  const auto late = w.open();
  EXPECT_TRUE(w.is_closed(late));
}

TEST(Sys, ListingsAreDeterministic) {
  world w;
  const auto b = w.connect_v("b", protocol_version::v5);
  const auto a = w.connect_v("a", protocol_version::v3_1_1);
  w.subscribe(b, "y");
  w.subscribe(a, "x");
  w.publish(a, "r", "1", 0, true);
  auto ss = w.broker().sessions();
  ASSERT_EQ(ss.size(), 2u);
  EXPECT_EQ(ss[0].client_id, "a");
  EXPECT_EQ(ss[0].version, protocol_version::v3_1_1);
  EXPECT_TRUE(ss[1].connected);
  auto subs = w.broker().subscriptions();
  ASSERT_EQ(subs.size(), 2u);
  EXPECT_EQ(subs[0].filter, "x");
  bool found = false;
  for (const auto& r : w.broker().retained()) found = found || r.topic == "r";
  EXPECT_TRUE(found);
}

TEST(Sys, SameInputsSameOutputs) {
  auto run = [] {
    world w;
    const auto s = w.connect_v("s", protocol_version::v5);
    w.subscribe(s, "#", 2);
    const auto p = w.connect_v("p", protocol_version::v5);
    for (std::uint16_t i = 1; i <= 20; ++i) w.publish(p, "t/" + std::to_string(i % 3), "m", static_cast<std::uint8_t>(i % 3), i % 2 == 0, i);
    w.advance(30'000);
    std::vector<bytes> out;
    for (auto& r : w.take(s)) out.push_back(r.raw);
    for (auto& r : w.take(p)) out.push_back(r.raw);
    return std::make_pair(out, w.send_log);
  };
  EXPECT_EQ(run(), run());
}

}  // namespace
}  // namespace postcard::broker_test
