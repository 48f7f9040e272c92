// Receive Maximum in both directions, inflight limits.
#include "world.hpp"

namespace postcard::broker_test {
namespace {

TEST(FlowControl, MQTT_3_3_4_9_BrokerNeverExceedsClientReceiveMaximum) {
  world w;
  connect_options o;
  o.props.receive_maximum = 2;
  const auto s = w.connect("s", o);
  w.subscribe(s, "t", 1);
  w.take(s);
  const auto p = w.connect_v("p", protocol_version::v5);
  for (std::uint16_t i = 1; i <= 5; ++i) w.publish(p, "t", std::to_string(i), 1, false, i);
  auto m1 = w.next<publish_packet>(s);
  auto m2 = w.next<publish_packet>(s);
  EXPECT_EQ(w.pending(s), 0u);
  w.ack(s, packet_type::puback, m1.packet_id);
  auto m3 = w.next<publish_packet>(s);
  EXPECT_EQ(text(m3.payload), "3");
  EXPECT_EQ(w.pending(s), 0u);
  w.ack(s, packet_type::puback, m2.packet_id);
  w.ack(s, packet_type::puback, m3.packet_id);
  EXPECT_EQ(text(w.next<publish_packet>(s).payload), "4");
  EXPECT_EQ(text(w.next<publish_packet>(s).payload), "5");
}

TEST(FlowControl, QoS2CountsUntilPubcomp) {
  world w;
  connect_options o;
  o.props.receive_maximum = 1;
  const auto s = w.connect("s", o);
  w.subscribe(s, "t", 2);
  w.take(s);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "1", 2, false, 1);
  w.publish(p, "t", "2", 2, false, 2);
  auto m1 = w.next<publish_packet>(s);
  w.ack(s, packet_type::pubrec, m1.packet_id);
  w.next<ack_packet>(s);  // PUBREL
  EXPECT_EQ(w.pending(s), 0u);
  w.ack(s, packet_type::pubcomp, m1.packet_id);
  EXPECT_EQ(text(w.next<publish_packet>(s).payload), "2");
}

TEST(FlowControl, MaxInflightMessagesConfigured) {
  config cfg;
  cfg.max_inflight_messages = 1;
  world w(cfg);
  const auto s = w.connect_v("s", protocol_version::v3_1_1);
  w.subscribe(s, "t", 1);
  w.take(s);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "1", 1, false, 1);
  w.publish(p, "t", "2", 1, false, 2);
  EXPECT_EQ(w.pending(s), 1u);
}

TEST(FlowControl, MaxInflightBytes) {
  config cfg;
  cfg.max_inflight_bytes = 10;
  world w(cfg);
  const auto s = w.connect_v("s", protocol_version::v5);
  w.subscribe(s, "t", 1);
  w.take(s);
  const auto p = w.connect_v("p", protocol_version::v5);
  for (std::uint16_t i = 1; i <= 3; ++i) w.publish(p, "t", "12345", 1, false, i);  // 6 bytes each
  auto m = w.next<publish_packet>(s);
  EXPECT_EQ(w.pending(s), 0u);
  w.ack(s, packet_type::puback, m.packet_id);
  EXPECT_EQ(w.pending(s), 1u);
}

TEST(FlowControl, MQTT_3_3_4_7_ClientExceedingOurReceiveMaximumGets0x93) {
  config cfg;
  cfg.max_inflight_messages = 2;
  world w(cfg);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "1", 2, false, 1);
  w.publish(p, "t", "2", 2, false, 2);
  w.take(p);
  w.publish(p, "t", "3", 2, false, 3);
  EXPECT_EQ(w.next<disconnect_packet>(p).reason, reason_code::receive_maximum_exceeded);
  EXPECT_TRUE(w.is_closed(p));
}

// MQTT 3.1.1 has no Receive Maximum: a 3.1.1 client with more QoS 2 messages awaiting PUBREL than
// max_inflight_messages is served, not disconnected (Mosquitto accepts them too).
TEST(FlowControl, V311ClientHasNoReceiveMaximum) {
  config cfg;
  cfg.max_inflight_messages = 2;
  world w(cfg);
  const auto p = w.connect_v("p", protocol_version::v3_1_1);
  for (std::uint16_t i = 1; i <= 5; ++i) w.publish(p, "t", std::to_string(i), 2, false, i);
  for (std::uint16_t i = 1; i <= 5; ++i) EXPECT_EQ(w.next<ack_packet>(p).packet_id, i);  // five PUBRECs
  EXPECT_FALSE(w.is_closed(p));
}

TEST(FlowControl, ReleasedQoS2FreesReceiveQuota) {
  config cfg;
  cfg.max_inflight_messages = 1;
  world w(cfg);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "1", 2, false, 1);
  w.ack(p, packet_type::pubrel, 1);
  w.publish(p, "t", "2", 2, false, 2);
  w.take(p);
  EXPECT_FALSE(w.is_closed(p));
}

}  // namespace
}  // namespace postcard::broker_test
