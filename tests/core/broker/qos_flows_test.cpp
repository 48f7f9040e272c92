// QoS 1 and 2 flows in both directions.
#include "world.hpp"

namespace postcard::broker_test {
namespace {

TEST(QosFlows, MQTT_4_3_2_4_InboundQoS1GetsPuback) {
  world w;
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "m", 1, false, 42);
  auto a = w.next<ack_packet>(p);
  EXPECT_EQ(a.type, packet_type::puback);
  EXPECT_EQ(a.packet_id, 42);
}

TEST(QosFlows, PubackReportsNoMatchingSubscribers0x10) {
  world w;
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "nobody/listens", "m", 1, false, 1);
  EXPECT_EQ(w.next<ack_packet>(p).reason, reason_code::no_matching_subscribers);
  w.publish(p, "nobody/listens", "m", 2, false, 2);
  auto rec = w.next<ack_packet>(p);
  EXPECT_EQ(rec.reason, reason_code::no_matching_subscribers);
  w.ack(p, packet_type::pubrel, 2);  // 0x10 is a success: the flow continues
  EXPECT_EQ(w.next<ack_packet>(p).reason, reason_code::success);
  const auto s = w.connect_v("s", protocol_version::v5);
  w.subscribe(s, "nobody/#");
  w.publish(p, "nobody/listens", "m", 1, false, 3);
  EXPECT_EQ(w.next<ack_packet>(p).reason, reason_code::success);
}

TEST(QosFlows, InboundQoS2FullFlow) {
  world w;
  const auto s = w.connect_v("s", protocol_version::v5);
  w.subscribe(s, "t", 2);
  w.take(s);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "m", 2, false, 5);
  auto rec = w.next<ack_packet>(p);
  EXPECT_EQ(rec.type, packet_type::pubrec);
  EXPECT_EQ(rec.packet_id, 5);
  EXPECT_EQ(w.pending(s), 1u);
  w.ack(p, packet_type::pubrel, 5);
  auto comp = w.next<ack_packet>(p);
  EXPECT_EQ(comp.type, packet_type::pubcomp);
  EXPECT_EQ(comp.packet_id, 5);
}

TEST(QosFlows, MQTT_4_3_3_9_DuplicateQoS2BeforePubrelNotDeliveredTwice) {
  world w;
  const auto s = w.connect_v("s", protocol_version::v5);
  w.subscribe(s, "t", 2);
  w.take(s);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "m", 2, false, 5);
  w.publish(p, "t", "m", 2, false, 5);  // resend (DUP would be set by a real client)
  EXPECT_EQ(w.next<ack_packet>(p).type, packet_type::pubrec);
  EXPECT_EQ(w.next<ack_packet>(p).type, packet_type::pubrec);
  EXPECT_EQ(w.pending(s), 1u);
  w.ack(p, packet_type::pubrel, 5);
  w.next<ack_packet>(p);
  w.publish(p, "t", "m2", 2, false, 5);  // the id is free again: a new message
  EXPECT_EQ(w.pending(s), 2u);
}

TEST(QosFlows, PubrelForUnknownIdGetsPubcomp0x92) {
  world w;
  const auto p = w.connect_v("p", protocol_version::v5);
  w.ack(p, packet_type::pubrel, 77);
  auto comp = w.next<ack_packet>(p);
  EXPECT_EQ(comp.type, packet_type::pubcomp);
  EXPECT_EQ(comp.reason, reason_code::packet_identifier_not_found);
}

TEST(QosFlows, OutboundQoS1AwaitsPuback) {
  world w;
  const auto s = w.connect_v("s", protocol_version::v5);
  w.subscribe(s, "t", 1);
  w.take(s);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "m", 1);
  auto m = w.next<publish_packet>(s);
  EXPECT_EQ(m.qos_level, qos::at_least_once);
  EXPECT_NE(m.packet_id, 0);  // [MQTT-2.2.1-3]
  EXPECT_EQ(w.broker().sessions().at(1).inflight, 1u);
  w.ack(s, packet_type::puback, m.packet_id);
  EXPECT_EQ(w.broker().sessions().at(1).inflight, 0u);
}

TEST(QosFlows, OutboundQoS2FullFlow) {
  world w;
  const auto s = w.connect_v("s", protocol_version::v5);
  w.subscribe(s, "t", 2);
  w.take(s);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "m", 2);
  auto m = w.next<publish_packet>(s);
  EXPECT_EQ(m.qos_level, qos::exactly_once);
  w.ack(s, packet_type::pubrec, m.packet_id);
  auto rel = w.next<ack_packet>(s);
  EXPECT_EQ(rel.type, packet_type::pubrel);  // [MQTT-4.3.3-3]
  EXPECT_EQ(rel.packet_id, m.packet_id);
  w.ack(s, packet_type::pubcomp, m.packet_id);
  EXPECT_EQ(w.broker().sessions().at(1).inflight, 0u);
}

TEST(QosFlows, PubrecWithErrorEndsFlowWithoutPubrel) {
  world w;
  const auto s = w.connect_v("s", protocol_version::v5);
  w.subscribe(s, "t", 2);
  w.take(s);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "m", 2);
  auto m = w.next<publish_packet>(s);
  w.ack(s, packet_type::pubrec, m.packet_id, reason_code::unspecified_error);
  EXPECT_EQ(w.pending(s), 0u);
  EXPECT_EQ(w.broker().sessions().at(1).inflight, 0u);
}

TEST(QosFlows, DistinctPacketIdsForConcurrentDeliveries) {
  world w;
  const auto s = w.connect_v("s", protocol_version::v5);
  w.subscribe(s, "t", 1);
  w.take(s);
  const auto p = w.connect_v("p", protocol_version::v5);
  for (int i = 0; i < 5; ++i) w.publish(p, "t", "m", 1, false, static_cast<std::uint16_t>(i + 1));
  std::set<std::uint16_t> ids;
  for (int i = 0; i < 5; ++i) ids.insert(w.next<publish_packet>(s).packet_id);
  EXPECT_EQ(ids.size(), 5u);  // [MQTT-2.2.1-3]
}

TEST(QosFlows, MaximumQoSExceededGets0x9B) {
  config cfg;
  cfg.max_qos = 1;
  world w(cfg);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "m", 2);
  EXPECT_EQ(w.next<disconnect_packet>(p).reason, reason_code::qos_not_supported);  // [MQTT-3.2.2-11]
  EXPECT_TRUE(w.is_closed(p));
}

}  // namespace
}  // namespace postcard::broker_test
