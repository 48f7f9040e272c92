// Outbound QoS 0/1/2 flows, the inflight window, the offline queue, the server's limits, and
// resending on reconnect.
#include "client_test_util.hpp"

namespace postcard::client_test {
namespace {

publish_options with_qos(qos q, bool retain = false) {
  publish_options o;
  o.qos_level = q;
  o.retain = retain;
  return o;
}

TEST(ClientPublish, Qos0Bytes) {
  harness h{v311_options()};
  h.connect();
  const auto r = h.c.publish("a/b", as_bytes("hi"), {}, 5);
  EXPECT_EQ(r.error, client_error::ok);
  EXPECT_NE(r.token, 0u);
  EXPECT_EQ(r.packet_id, 0);
  const output& o = h.drain();
  EXPECT_EQ(o.bytes, (bytes{0x30, 0x07, 0x00, 0x03, 'a', '/', 'b', 'h', 'i'}));
  ASSERT_EQ(h.events<publish_completed_event>().size(), 1u);
  EXPECT_EQ(h.events<publish_completed_event>()[0].token, r.token);
}

TEST(ClientPublish, Qos1FlowBytes) {
  harness h{v311_options()};
  h.connect();
  const auto r = h.c.publish("t", as_bytes("x"), with_qos(qos::at_least_once, true), 0);
  EXPECT_EQ(r.packet_id, 1);
  // PUBLISH QoS 1 retain, id 1
  EXPECT_EQ(h.drain().bytes, (bytes{0x33, 0x06, 0x00, 0x01, 't', 0x00, 0x01, 'x'}));
  EXPECT_EQ(h.c.inflight(), 1u);
  EXPECT_FALSE(h.has<publish_completed_event>());
  const output& o = h.feed({0x40, 0x02, 0x00, 0x01});  // PUBACK 1
  EXPECT_TRUE(o.bytes.empty());
  ASSERT_EQ(h.events<publish_completed_event>().size(), 1u);
  EXPECT_EQ(h.events<publish_completed_event>()[0].packet_id, 1);
  EXPECT_EQ(h.events<publish_completed_event>()[0].reason, reason_code::success);
  EXPECT_EQ(h.c.inflight(), 0u);
}

TEST(ClientPublish, Qos2FlowBytes) {
  harness h{v5_options()};
  h.connect();
  const auto r = h.c.publish("t", as_bytes("x"), with_qos(qos::exactly_once), 0);
  EXPECT_EQ(h.drain().bytes, (bytes{0x34, 0x07, 0x00, 0x01, 't', 0x00, 0x01, 0x00, 'x'}));
  // [MQTT-4.3.3-3] PUBREC -> PUBREL with the same identifier
  EXPECT_EQ(h.feed({0x50, 0x02, 0x00, 0x01}).bytes, (bytes{0x62, 0x02, 0x00, 0x01}));
  EXPECT_FALSE(h.has<publish_completed_event>());
  // A repeated PUBREC is answered with PUBREL again.
  EXPECT_EQ(h.feed({0x50, 0x02, 0x00, 0x01}).bytes, (bytes{0x62, 0x02, 0x00, 0x01}));
  h.feed({0x70, 0x02, 0x00, 0x01});  // PUBCOMP
  ASSERT_EQ(h.events<publish_completed_event>().size(), 1u);
  EXPECT_EQ(h.events<publish_completed_event>()[0].token, r.token);
  EXPECT_EQ(h.events<publish_completed_event>()[0].qos_level, qos::exactly_once);
  EXPECT_EQ(h.c.inflight(), 0u);
}

TEST(ClientPublish, ErrorPubrecEndsTheFlow) {
  harness h{v5_options()};
  h.connect();
  h.c.publish("t", as_bytes("x"), with_qos(qos::exactly_once), 0);
  h.drain();
  const output& o = h.server(ack(packet_type::pubrec, 1, reason_code::not_authorized));
  EXPECT_TRUE(o.bytes.empty());  // no PUBREL after an error PUBREC
  ASSERT_EQ(h.events<publish_completed_event>().size(), 1u);
  EXPECT_EQ(h.events<publish_completed_event>()[0].reason, reason_code::not_authorized);
  EXPECT_EQ(h.c.inflight(), 0u);
}

TEST(ClientPublish, Puback5ReasonAndPropertiesAreReported) {
  harness h{v5_options()};
  h.connect();
  h.c.publish("t", as_bytes("x"), with_qos(qos::at_least_once), 0);
  h.drain();
  ack_packet a = ack(packet_type::puback, 1, reason_code::no_matching_subscribers);
  a.props.reason_string = "nobody";
  h.server(a);
  ASSERT_EQ(h.events<publish_completed_event>().size(), 1u);
  EXPECT_EQ(h.events<publish_completed_event>()[0].reason, reason_code::no_matching_subscribers);
  EXPECT_EQ(h.events<publish_completed_event>()[0].properties.reason_string, "nobody");
}

// [MQTT-4.9.0-2] No more unacknowledged QoS 1/2 PUBLISH than the server's Receive Maximum.
TEST(ClientPublish, MQTT_4_9_0_2_InflightWindowHonoursReceiveMaximum) {
  harness h{v5_options()};
  connack_packet a = connack();
  a.props.receive_maximum = 2;
  h.connect(a);
  const auto r1 = h.c.publish("t", as_bytes("1"), with_qos(qos::at_least_once), 0);
  const auto r2 = h.c.publish("t", as_bytes("2"), with_qos(qos::exactly_once), 0);
  const auto r3 = h.c.publish("t", as_bytes("3"), with_qos(qos::at_least_once), 0);
  const auto r4 = h.c.publish("t", as_bytes("4"), {}, 0);  // QoS 0 keeps its place behind 3
  EXPECT_EQ(r1.packet_id, 1);
  EXPECT_EQ(r2.packet_id, 2);
  EXPECT_EQ(r3.packet_id, 0);
  EXPECT_EQ(r4.packet_id, 0);
  EXPECT_EQ(packets_in(h.drain().bytes, protocol_version::v5).size(), 2u);
  EXPECT_EQ(h.c.inflight(), 2u);
  EXPECT_EQ(h.c.queued(), 2u);
  // PUBREC does not free the slot: the QoS 2 message is still unacknowledged until PUBCOMP.
  EXPECT_EQ(h.server(ack(packet_type::pubrec, 2)).bytes, (bytes{0x62, 0x02, 0x00, 0x02}));
  EXPECT_EQ(h.c.queued(), 2u);
  // PUBACK 1 frees one slot: message 3 then the QoS 0 message 4 go out, in order.
  const bytes sent = h.server(ack(packet_type::puback, 1)).bytes;
  const auto ps = packets_in(sent, protocol_version::v5);
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(std::get<publish_packet>(ps[0]).packet_id, 3);
  EXPECT_EQ(as_chars(std::get<publish_packet>(ps[0]).payload), "3");
  EXPECT_EQ(as_chars(std::get<publish_packet>(ps[1]).payload), "4");
  EXPECT_EQ(h.c.queued(), 0u);
}

TEST(ClientPublish, OfflineQueueIsSentInOrderAfterConnack) {
  harness h{v311_options()};
  const auto r1 = h.c.publish("q", as_bytes("a"), with_qos(qos::at_least_once), 0);
  const auto r2 = h.c.publish("q", as_bytes("b"), {}, 0);
  subscription s{"f/#", qos::at_least_once};
  const auto r3 = h.c.subscribe(std::span{&s, 1}, {}, 0);
  EXPECT_EQ(r1.error, client_error::ok);
  EXPECT_EQ(r1.packet_id, 0);  // not sent yet
  EXPECT_EQ(h.c.queued(), 3u);
  EXPECT_TRUE(h.drain().bytes.empty());
  h.open();
  EXPECT_EQ(h.c.queued(), 3u);  // nothing before CONNACK
  const auto ps = packets_in(h.server(connack()).bytes, protocol_version::v3_1_1);
  ASSERT_EQ(ps.size(), 3u);
  EXPECT_EQ(as_chars(std::get<publish_packet>(ps[0]).payload), "a");
  EXPECT_EQ(std::get<publish_packet>(ps[0]).packet_id, 1);
  EXPECT_EQ(as_chars(std::get<publish_packet>(ps[1]).payload), "b");
  EXPECT_EQ(std::get<subscribe_packet>(ps[2]).packet_id, 2);
  ASSERT_EQ(h.events<publish_completed_event>().size(), 1u);  // the QoS 0 one
  EXPECT_EQ(h.events<publish_completed_event>()[0].token, r2.token);
  EXPECT_NE(r3.token, r2.token);
}

TEST(ClientPublish, QueueQosZeroOffRefusesQos0WhileOffline) {
  options o = v311_options();
  o.queue_qos_zero = false;
  harness h{o};
  EXPECT_EQ(h.c.publish("q", as_bytes("a"), {}, 0).error, client_error::not_connected);
  EXPECT_EQ(h.c.publish("q", as_bytes("a"), with_qos(qos::at_least_once), 0).error, client_error::ok);
}

TEST(ClientPublish, OfflineQueueLimit) {
  options o = v311_options();
  o.offline_queue_limit = 1;
  harness h{o};
  EXPECT_EQ(h.c.publish("q", as_bytes("a"), {}, 0).error, client_error::ok);
  EXPECT_EQ(h.c.publish("q", as_bytes("b"), {}, 0).error, client_error::offline_queue_full);
}

TEST(ClientPublish, LocalMisuseIsRefused) {
  harness h{v5_options()};
  h.connect();
  EXPECT_EQ(h.c.publish("a/+", {}, {}, 0).error, client_error::invalid_topic);  // [MQTT-3.3.2-2]
  EXPECT_EQ(h.c.publish("", {}, {}, 0).error, client_error::invalid_topic);
  publish_options dup0;
  dup0.dup = true;
  EXPECT_EQ(h.c.publish("a", {}, dup0, 0).error, client_error::invalid_argument);  // [MQTT-3.3.1-2]
  publish_options sid;
  sid.properties.subscription_identifiers = {3};
  EXPECT_EQ(h.c.publish("a", {}, sid, 0).error, client_error::invalid_argument);  // [MQTT-3.3.4-6]
  EXPECT_TRUE(h.drain().bytes.empty());
}

// [MQTT-3.2.2-11] [MQTT-3.2.2-14] [MQTT-3.2.2-15] The server's Maximum QoS, Retain Available and
// Maximum Packet Size bound what the client sends.
TEST(ClientPublish, ServerLimitsAreHonoured) {
  harness h{v5_options()};
  connack_packet a = connack();
  a.props.maximum_qos = 1;
  a.props.retain_available = 0;
  a.props.maximum_packet_size = 20;
  h.connect(a);
  EXPECT_EQ(h.c.publish("t", {}, with_qos(qos::exactly_once), 0).error, client_error::qos_not_supported);
  EXPECT_EQ(h.c.publish("t", {}, with_qos(qos::at_most_once, true), 0).error, client_error::retain_not_supported);
  const bytes big(30, 'x');
  EXPECT_EQ(h.c.publish("t", big, {}, 0).error, client_error::packet_too_large);
  EXPECT_TRUE(h.drain().bytes.empty());
  const bytes small(10, 'x');
  EXPECT_EQ(h.c.publish("t", small, {}, 0).error, client_error::ok);  // 2+3+1+10 = 16 bytes
  EXPECT_EQ(h.drain().bytes.size(), 16u);
}

TEST(ClientPublish, QueuedMessageRefusedByConnackFinishesWithReason) {
  harness h{v5_options()};
  const auto r = h.c.publish("t", {}, with_qos(qos::exactly_once), 0);
  connack_packet a = connack();
  a.props.maximum_qos = 1;
  const output& o = h.connect(a);
  EXPECT_TRUE(packets_in(o.bytes, protocol_version::v5).empty());
  ASSERT_EQ(h.events<publish_completed_event>().size(), 1u);
  EXPECT_EQ(h.events<publish_completed_event>()[0].token, r.token);
  EXPECT_EQ(h.events<publish_completed_event>()[0].reason, reason_code::qos_not_supported);
}

// [MQTT-4.4.0-1] With a session present, unacknowledged PUBLISH and PUBREL are resent with their
// original identifiers, in order; the PUBLISH with DUP set [MQTT-3.3.1-1].
TEST(ClientPublish, MQTT_4_4_0_1_ResendOnReconnectWithSession) {
  options o = v5_options();
  o.clean = false;
  o.properties.session_expiry_interval = 300;
  harness h{o};
  h.connect();
  h.c.publish("a", as_bytes("1"), with_qos(qos::at_least_once), 0);  // id 1, stays unacknowledged
  h.c.publish("b", as_bytes("2"), with_qos(qos::exactly_once), 0);   // id 2, gets PUBREC
  h.c.publish("c", as_bytes("3"), with_qos(qos::exactly_once), 0);   // id 3, unacknowledged
  h.drain();
  h.server(ack(packet_type::pubrec, 2));
  h.c.connection_closed(10);
  h.drain();
  EXPECT_EQ(h.events<offline_event>().size(), 1u);
  h.open(2000);
  const output& out = h.server(connack(true), 2000);
  publish_packet p1 = pub("a", "1", qos::at_least_once, 1);
  p1.dup = true;
  publish_packet p3 = pub("c", "3", qos::exactly_once, 3);
  p3.dup = true;
  EXPECT_EQ(out.bytes, wire({p1, ack(packet_type::pubrel, 2), p3}, protocol_version::v5));
  EXPECT_EQ(h.c.inflight(), 3u);
}

TEST(ClientPublish, WithoutSessionUnacknowledgedMessagesGoOutAsNew) {
  harness h{v311_options()};
  h.connect();
  const auto r1 = h.c.publish("a", as_bytes("1"), with_qos(qos::at_least_once), 0);
  const auto r2 = h.c.publish("b", as_bytes("2"), with_qos(qos::exactly_once), 0);
  h.drain();
  h.server(ack(packet_type::pubrec, 2));
  h.c.connection_closed(10);
  h.drain();
  h.open(2000);
  const output& out = h.server(connack(false), 2000);
  const auto ps = packets_in(out.bytes, protocol_version::v3_1_1);
  ASSERT_EQ(ps.size(), 1u);
  const auto& p = std::get<publish_packet>(ps[0]);
  EXPECT_FALSE(p.dup);
  EXPECT_EQ(p.topic, "a");
  ASSERT_EQ(h.events<publish_completed_event>().size(), 1u);  // the QoS 2 past PUBREC
  EXPECT_EQ(h.events<publish_completed_event>()[0].token, r2.token);
  EXPECT_TRUE(h.events<publish_completed_event>()[0].session_lost);
  h.server(ack(packet_type::puback, p.packet_id));
  ASSERT_EQ(h.events<publish_completed_event>().size(), 1u);
  EXPECT_EQ(h.events<publish_completed_event>()[0].token, r1.token);
}

TEST(ClientPublish, PacketIdentifiersSkipThoseInUse) {
  harness h{v311_options()};
  h.connect();
  for (int i = 0; i < 3; ++i) h.c.publish("t", {}, with_qos(qos::at_least_once), 0);
  h.drain();
  h.server(ack(packet_type::puback, 2));
  // ids 1 and 3 are still in use; the next ones are 4, 5, ...
  EXPECT_EQ(h.c.publish("t", {}, with_qos(qos::at_least_once), 0).packet_id, 4);
}

TEST(ClientPublish, UnknownPubrecIsAnsweredWithPacketIdentifierNotFound) {
  harness h{v5_options()};
  h.connect();
  EXPECT_EQ(h.server(ack(packet_type::pubrec, 9)).bytes, (bytes{0x62, 0x03, 0x00, 0x09, 0x92}));
  EXPECT_FALSE(h.out.close);
}

}  // namespace
}  // namespace postcard::client_test
