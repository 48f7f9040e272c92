// PUBLISH from the server: QoS 0/1/2 receiver flows, duplicates, any split of the byte stream, and
// the server's protocol violations.
#include "client_test_util.hpp"

namespace postcard::client_test {
namespace {

TEST(ClientInbound, Qos0IsDeliveredWithoutAck) {
  harness h{v311_options()};
  h.connect();
  const output& o = h.feed({0x31, 0x05, 0x00, 0x01, 't', 'h', 'i'});  // retained QoS 0 "hi"
  EXPECT_TRUE(o.bytes.empty());
  ASSERT_EQ(h.events<message_event>().size(), 1u);
  const message_event m = h.events<message_event>()[0];
  EXPECT_EQ(m.topic, "t");
  EXPECT_EQ(m.payload, str_bytes("hi"));
  EXPECT_TRUE(m.retain);
  EXPECT_EQ(m.qos_level, qos::at_most_once);
}

// [MQTT-4.3.2-4] PUBACK carries the PUBLISH's identifier.
TEST(ClientInbound, MQTT_4_3_2_4_Qos1IsAcknowledged) {
  harness h{v311_options()};
  h.connect();
  const output& o = h.feed({0x32, 0x06, 0x00, 0x01, 't', 0x00, 0x07, 'x'});
  EXPECT_EQ(o.bytes, (bytes{0x40, 0x02, 0x00, 0x07}));
  ASSERT_EQ(h.events<message_event>().size(), 1u);
  EXPECT_EQ(h.events<message_event>()[0].packet_id, 7);
}

// [MQTT-4.3.3-8] PUBREC, hold the identifier until PUBREL; [MQTT-4.3.3-11] PUBCOMP. A duplicate
// PUBLISH while the identifier is held is not delivered again.
TEST(ClientInbound, Qos2DeliveredOnceAndReleased) {
  harness h{v5_options()};
  h.connect();
  EXPECT_EQ(h.server(pub("t", "x", qos::exactly_once, 9)).bytes, (bytes{0x50, 0x02, 0x00, 0x09}));
  EXPECT_EQ(h.events<message_event>().size(), 1u);
  publish_packet again = pub("t", "x", qos::exactly_once, 9);
  again.dup = true;
  EXPECT_EQ(h.server(again).bytes, (bytes{0x50, 0x02, 0x00, 0x09}));
  EXPECT_TRUE(h.events<message_event>().empty());
  EXPECT_EQ(h.server(ack(packet_type::pubrel, 9)).bytes, (bytes{0x70, 0x02, 0x00, 0x09}));
  // After PUBCOMP the identifier is free: a new PUBLISH with it is a new message.
  h.server(pub("t", "y", qos::exactly_once, 9));
  ASSERT_EQ(h.events<message_event>().size(), 1u);
  EXPECT_EQ(h.events<message_event>()[0].payload, str_bytes("y"));
}

TEST(ClientInbound, UnknownPubrelIsAnsweredWithPacketIdentifierNotFound) {
  harness h{v5_options()};
  h.connect();
  EXPECT_EQ(h.server(ack(packet_type::pubrel, 4)).bytes, (bytes{0x70, 0x03, 0x00, 0x04, 0x92}));
  harness h3{v311_options()};
  h3.connect();
  EXPECT_EQ(h3.server(ack(packet_type::pubrel, 4)).bytes, (bytes{0x70, 0x02, 0x00, 0x04}));
}

TEST(ClientInbound, Qos2HeldIdentifiersSurviveReconnectWithSession) {
  options o = v5_options();
  o.clean = false;
  harness h{o};
  h.connect();
  h.server(pub("t", "x", qos::exactly_once, 3));
  h.c.connection_closed(1);
  h.drain();
  h.open(1000);
  h.server(connack(true), 1000);
  publish_packet again = pub("t", "x", qos::exactly_once, 3);
  again.dup = true;
  EXPECT_EQ(h.server(again, 1000).bytes, (bytes{0x50, 0x02, 0x00, 0x03}));
  EXPECT_TRUE(h.events<message_event>().empty());
}

TEST(ClientInbound, ReceiveMaximumExceededIsDisconnected) {
  options o = v5_options();
  o.properties.receive_maximum = 1;
  harness h{o};
  h.connect();
  h.server(pub("t", "1", qos::exactly_once, 1));
  const output& out = h.server(pub("t", "2", qos::exactly_once, 2));
  EXPECT_EQ(out.bytes, (bytes{0xE0, 0x01, 0x93}));
  EXPECT_TRUE(out.close);
  EXPECT_TRUE(h.events<message_event>().empty());
}

TEST(ClientInbound, AnySplitOfTheStreamGivesTheSameResult) {
  publish_packet p = pub("sensors/1", "21.5", qos::at_least_once, 1);
  p.props.content_type = "text/plain";
  p.props.user_properties = {{"unit", "C"}};
  const bytes stream = wire({p, pub("x", "", qos::at_most_once), ack(packet_type::pubrel, 77)}, protocol_version::v5);
  bytes expected_out;
  std::vector<message_event> expected_msgs;
  for (std::size_t step : {stream.size(), std::size_t{1}, std::size_t{2}, std::size_t{7}}) {
    harness h{v5_options()};
    h.connect();
    bytes sent;
    std::vector<message_event> msgs;
    for (std::size_t i = 0; i < stream.size(); i += step) {
      const std::size_t n = std::min(step, stream.size() - i);
      const output& o = h.feed(bytes(stream.begin() + static_cast<std::ptrdiff_t>(i),
                                     stream.begin() + static_cast<std::ptrdiff_t>(i + n)));
      sent.insert(sent.end(), o.bytes.begin(), o.bytes.end());
      for (auto& m : h.events<message_event>()) msgs.push_back(m);
    }
    ASSERT_EQ(msgs.size(), 2u) << "step " << step;
    if (step == stream.size()) {
      expected_out = sent;
      expected_msgs = msgs;
      EXPECT_EQ(msgs[0].topic, "sensors/1");
      EXPECT_EQ(msgs[0].properties.content_type, "text/plain");
      ASSERT_EQ(msgs[0].properties.user_properties.size(), 1u);
      EXPECT_EQ(msgs[0].properties.user_properties[0].value, "C");
      EXPECT_EQ(sent, wire({ack(packet_type::puback, 1), ack(packet_type::pubcomp, 77,
                                                             reason_code::packet_identifier_not_found)},
                           protocol_version::v5));
    } else {
      EXPECT_EQ(sent, expected_out) << "step " << step;
      EXPECT_EQ(msgs[0].payload, expected_msgs[0].payload);
    }
  }
}

// Peer violations: v5 DISCONNECT with the codec's reason code; 3.x a plain close.
TEST(ClientInbound, MalformedPacketV5GetsDisconnectWithReasonCode) {
  harness h{v5_options()};
  h.connect();
  const output& o = h.feed({0x36, 0x04, 0x00, 0x01, 't', 0x00});  // PUBLISH with QoS 3
  EXPECT_EQ(o.bytes, (bytes{0xE0, 0x01, static_cast<std::uint8_t>(to_reason_code(codec_error::qos_invalid))}));
  EXPECT_TRUE(o.close);
  ASSERT_EQ(h.events<protocol_error_event>().size(), 1u);
  EXPECT_EQ(h.events<protocol_error_event>()[0].error, codec_error::qos_invalid);
  EXPECT_EQ(h.c.state(), connection_state::offline);
  // Bytes after the violation are ignored.
  EXPECT_TRUE(h.feed({0x30, 0x03, 0x00, 0x01, 't'}).events.empty());
}

TEST(ClientInbound, MalformedPacketV311IsAPlainClose) {
  harness h{v311_options()};
  h.connect();
  const output& o = h.feed({0x32, 0x05, 0x00, 0x01, 't', 0x00, 0x00});  // QoS 1 with packet id 0
  EXPECT_TRUE(o.bytes.empty());
  EXPECT_TRUE(o.close);
  ASSERT_EQ(h.events<protocol_error_event>().size(), 1u);
  EXPECT_EQ(h.events<protocol_error_event>()[0].error, codec_error::packet_id_zero);
}

// [MQTT-3.1.2-24] The server must not send packets above our Maximum Packet Size: 0x95.
TEST(ClientInbound, PacketAboveOurMaximumPacketSize) {
  options o = v5_options();
  o.properties.maximum_packet_size = 16;
  harness h{o};
  h.connect();
  const output& out = h.server(pub("topic", std::string(20, 'x')));
  EXPECT_EQ(out.bytes, (bytes{0xE0, 0x01, 0x95}));
  EXPECT_TRUE(out.close);
}

TEST(ClientInbound, ServerOnlyPacketTypesAreProtocolErrors) {
  harness h{v5_options()};
  h.connect();
  const output& o = h.feed({0xC0, 0x00});  // PINGREQ from the server
  EXPECT_EQ(o.bytes, (bytes{0xE0, 0x01, 0x82}));
  EXPECT_TRUE(o.close);
}

TEST(ClientInbound, PacketReceivedEventsCarryWholePackets) {
  harness h{v5_options()};
  h.connect();
  const bytes b = wire(pub("t", "x", qos::at_least_once, 5), protocol_version::v5);
  h.feed(b);
  ASSERT_EQ(h.events<packet_received_event>().size(), 1u);
  EXPECT_EQ(h.events<packet_received_event>()[0].bytes, b);
  packet p;
  ASSERT_EQ(decode_packet_event(h.events<packet_received_event>()[0], protocol_version::v5, p), codec_error::ok);
  EXPECT_EQ(std::get<publish_packet>(p).packet_id, 5);
  ASSERT_EQ(h.events<packet_sent_event>().size(), 1u);
  EXPECT_EQ(h.events<packet_sent_event>()[0].type, packet_type::puback);

  options quiet = v5_options();
  quiet.packet_events = false;
  harness q{quiet};
  q.connect();
  q.feed(b);
  EXPECT_FALSE(q.has<packet_received_event>());
  EXPECT_FALSE(q.has<packet_sent_event>());
  EXPECT_TRUE(q.has<message_event>());
}

}  // namespace
}  // namespace postcard::client_test
