// Sessions: persistence across connections, expiry, queued messages, resend.
#include "world.hpp"

namespace postcard::broker_test {
namespace {

connect_options persistent_v5(std::uint32_t expiry) {
  connect_options o;
  o.clean_start = false;
  o.props.session_expiry_interval = expiry;
  return o;
}

TEST(Sessions, MQTT_3_2_2_2_SessionPresentWhenResumed) {
  world w;
  connack_packet a;
  const auto c = w.connect("s", persistent_v5(100), &a);
  EXPECT_FALSE(a.session_present);
  w.subscribe(c, "t", 1);
  w.disconnect(c);
  w.connect("s", persistent_v5(100), &a);
  EXPECT_TRUE(a.session_present);
  EXPECT_EQ(w.broker().subscriptions().size(), 1u);
}

TEST(Sessions, MQTT_3_1_2_4_CleanStartDiscardsSession) {
  world w;
  const auto c = w.connect("s", persistent_v5(100));
  w.subscribe(c, "t", 1);
  w.disconnect(c);
  connect_options o = persistent_v5(100);
  o.clean_start = true;
  connack_packet a;
  w.connect("s", o, &a);
  EXPECT_FALSE(a.session_present);
  EXPECT_EQ(w.broker().subscriptions().size(), 0u);
}

TEST(Sessions, ZeroExpiryEndsWithConnection) {
  world w;
  const auto c = w.connect("s", persistent_v5(0));
  w.subscribe(c, "t", 1);
  w.disconnect(c);
  EXPECT_EQ(w.broker().sessions().size(), 0u);
}

TEST(Sessions, QueuedWhileOfflineDeliveredOnResume) {
  world w;
  const auto c = w.connect("s", persistent_v5(100));
  w.subscribe(c, "t", 1);
  w.disconnect(c);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "q1", 1, false, 1);
  w.publish(p, "t", "q0", 0);  // QoS 0 is not queued for offline clients
  w.publish(p, "t", "q2", 1, false, 2);
  EXPECT_EQ(w.broker().sessions().at(1).queued, 2u);
  const auto c2 = w.connect("s", persistent_v5(100));
  w.next<connack_packet>(c2);
  EXPECT_EQ(text(w.next<publish_packet>(c2).payload), "q1");
  EXPECT_EQ(text(w.next<publish_packet>(c2).payload), "q2");
  EXPECT_EQ(w.pending(c2), 0u);
}

TEST(Sessions, MQTT_4_4_0_1_UnacknowledgedResentWithDup) {
  world w;
  const auto c = w.connect("s", persistent_v5(100));
  w.subscribe(c, "t", 2);
  w.subscribe(c, "u", 2, 2);
  w.take(c);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "m", 1);
  w.publish(p, "u", "n", 2, false, 3);
  auto first = w.next<publish_packet>(c);
  auto second = w.next<publish_packet>(c);
  EXPECT_FALSE(first.dup);
  w.ack(c, packet_type::pubrec, second.packet_id);
  w.next<ack_packet>(c);  // PUBREL
  w.drop_transport(c);
  const auto c2 = w.connect("s", persistent_v5(100));
  w.next<connack_packet>(c2);
  auto again = w.next<publish_packet>(c2);
  EXPECT_TRUE(again.dup);  // [MQTT-3.3.1-1]
  EXPECT_EQ(again.packet_id, first.packet_id);
  EXPECT_EQ(text(again.payload), "m");
  auto rel = w.next<ack_packet>(c2);
  EXPECT_EQ(rel.type, packet_type::pubrel);
  EXPECT_EQ(rel.packet_id, second.packet_id);
}

TEST(Sessions, ExpiresAfterInterval) {
  world w;
  const auto c = w.connect("s", persistent_v5(10));
  w.subscribe(c, "t", 1);
  w.drop_transport(c);
  w.advance(9'999);
  EXPECT_EQ(w.broker().sessions().size(), 1u);
  w.advance(1);
  EXPECT_EQ(w.broker().sessions().size(), 0u);
  EXPECT_EQ(w.count_events(event_kind::session_expired), 1u);
  connack_packet a;
  w.connect("s", persistent_v5(10), &a);
  EXPECT_FALSE(a.session_present);
}

TEST(Sessions, NeverExpiresWithMaximumInterval) {
  config cfg;
  cfg.sys_interval = 0;
  world w(cfg);
  const auto c = w.connect("s", persistent_v5(0xFFFFFFFF));
  w.drop_transport(c);
  w.advance(1'000'000'000);
  EXPECT_EQ(w.broker().sessions().size(), 1u);
}

TEST(Sessions, ExpiryChangedOnDisconnect) {
  world w;
  const auto c = w.connect("s", persistent_v5(10));
  properties pr;
  pr.session_expiry_interval = 100;
  w.disconnect(c, reason_code::success, pr);
  w.advance(50'000);
  EXPECT_EQ(w.broker().sessions().size(), 1u);
  w.advance(50'000);
  EXPECT_EQ(w.broker().sessions().size(), 0u);
}

TEST(Sessions, MQTT_3_14_2_2_ExpiryFromZeroInDisconnectIsProtocolError) {
  world w;
  const auto c = w.connect("s", persistent_v5(0));
  w.next<connack_packet>(c);
  properties pr;
  pr.session_expiry_interval = 100;
  w.disconnect(c, reason_code::success, pr);
  EXPECT_EQ(w.next<disconnect_packet>(c).reason, reason_code::protocol_error);
  EXPECT_TRUE(w.is_closed(c));
}

TEST(Sessions, V311PersistentSessionKept) {
  world w;
  const auto c = w.connect_v("s", protocol_version::v3_1_1, false);
  w.subscribe(c, "t", 1);
  w.disconnect(c);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "m", 1);
  connect_options o;
  o.version = protocol_version::v3_1_1;
  o.clean_start = false;
  connack_packet a;
  const auto c2 = w.connect("s", o, &a);
  EXPECT_TRUE(a.session_present);
  EXPECT_EQ(text(w.next<publish_packet>(c2).payload), "m");
}

TEST(Sessions, QueueLimitDropsAndReports) {
  config cfg;
  cfg.max_queued_messages = 2;
  world w(cfg);
  const auto c = w.connect("s", persistent_v5(100));
  w.subscribe(c, "t", 1);
  w.disconnect(c);
  const auto p = w.connect_v("p", protocol_version::v5);
  for (std::uint16_t i = 1; i <= 4; ++i) w.publish(p, "t", "m", 1, false, i);
  EXPECT_EQ(w.broker().sessions().at(1).queued, 2u);
  ASSERT_NE(w.last_event(event_kind::message_dropped), nullptr);
  EXPECT_EQ(w.last_event(event_kind::message_dropped)->drop, drop_reason::queue_full);
  EXPECT_EQ(w.broker().stats(w.now).publish_dropped, 2u);
}

TEST(Sessions, QueuedBytesLimit) {
  config cfg;
  cfg.max_queued_bytes = 10;
  world w(cfg);
  const auto c = w.connect("s", persistent_v5(100));
  w.subscribe(c, "t", 1);
  w.disconnect(c);
  const auto p = w.connect_v("p", protocol_version::v5);
  for (std::uint16_t i = 1; i <= 4; ++i) w.publish(p, "t", "1234", 1, false, i);  // 5 bytes each
  EXPECT_EQ(w.broker().sessions().at(1).queued, 2u);
}

TEST(Sessions, QueuedMessageExpiresBeforeDelivery) {
  world w;
  const auto c = w.connect("s", persistent_v5(100));
  w.subscribe(c, "t", 1);
  w.disconnect(c);
  const auto p = w.connect_v("p", protocol_version::v5);
  properties pr;
  pr.message_expiry_interval = 2;
  w.publish(p, "t", "short", 1, false, 1, pr);
  w.publish(p, "t", "long", 1, false, 2);
  w.advance(3000);
  const auto c2 = w.connect("s", persistent_v5(100));
  w.next<connack_packet>(c2);
  EXPECT_EQ(text(w.next<publish_packet>(c2).payload), "long");  // [MQTT-3.3.2-5]
  EXPECT_EQ(w.pending(c2), 0u);
}

TEST(Sessions, AdminRemoveSession) {
  world w;
  const auto c = w.connect("s", persistent_v5(100));
  w.drop_transport(c);
  EXPECT_EQ(w.broker().remove_session("s", w.now), admin_result::ok);
  EXPECT_EQ(w.broker().sessions().size(), 0u);
  EXPECT_EQ(w.broker().remove_session("s", w.now), admin_result::not_found);
}

}  // namespace
}  // namespace postcard::broker_test
