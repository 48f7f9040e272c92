// Malformed and forbidden packets, and byte streams split anywhere.
#include "world.hpp"

namespace postcard::broker_test {
namespace {

bytes encoded(const packet& p, protocol_version v) {
  bytes b;
  encode(p, v, b);
  return b;
}

TEST(Malformed, MQTT_3_3_2_2_WildcardInTopicNameIsMalformed) {
  world w;
  const auto c = w.connect_v("c", protocol_version::v5);
  // PUBLISH QoS 0, topic "a/+", payload "x"
  w.write_raw(c, {0x30, 0x07, 0x00, 0x03, 'a', '/', '+', 0x00, 'x'});
  auto d = w.next<disconnect_packet>(c);
  EXPECT_TRUE(d.reason == reason_code::topic_name_invalid || d.reason == reason_code::malformed_packet ||
              d.reason == reason_code::protocol_error);
  EXPECT_TRUE(w.is_closed(c));
}

TEST(Malformed, MQTT_3_3_2_2_WildcardInTopicNameClosesV311) {
  world w;
  const auto c = w.connect_v("c", protocol_version::v3_1_1);
  w.write_raw(c, {0x30, 0x06, 0x00, 0x03, 'a', '/', '#', 'x'});
  EXPECT_EQ(w.pending(c), 0u);
  EXPECT_TRUE(w.is_closed(c));
}

TEST(Malformed, MQTT_2_1_3_1_ReservedFlagsClose) {
  world w;
  const auto c = w.connect_v("c", protocol_version::v5);
  w.write_raw(c, {0xC1, 0x00});  // PINGREQ with flags 0001
  EXPECT_EQ(w.next<disconnect_packet>(c).reason, reason_code::malformed_packet);
  EXPECT_TRUE(w.is_closed(c));
}

TEST(Malformed, MQTT_3_3_1_4_QoS3IsMalformed) {
  world w;
  const auto c = w.connect_v("c", protocol_version::v5);
  w.write_raw(c, {0x36, 0x06, 0x00, 0x01, 't', 0x00, 0x01, 0x00});
  EXPECT_TRUE(w.is_closed(c));
}

TEST(Malformed, TruncatedConnectClosesWithoutConnackBelowV5) {
  world w;
  const auto c = w.open(protocol_version::v3_1_1);
  w.write_raw(c, {0x10, 0x04, 0x00, 0x04, 'M', 'Q'});
  EXPECT_TRUE(w.is_closed(c));
}

TEST(Malformed, SubscribeWithoutTopicsIsMalformed) {
  world w;
  const auto c = w.connect_v("c", protocol_version::v5);
  w.write_raw(c, {0x82, 0x03, 0x00, 0x01, 0x00});  // SUBSCRIBE id 1, no properties, no filters
  EXPECT_TRUE(w.is_closed(c));
}

TEST(Malformed, ClientMustNotSendServerPackets) {
  world w;
  const auto c = w.connect_v("c", protocol_version::v5);
  w.write(c, packet{pingresp_packet{}});
  EXPECT_EQ(w.next<disconnect_packet>(c).reason, reason_code::protocol_error);
}

TEST(Malformed, PacketOverMaximumSizeGets0x95) {
  config cfg;
  cfg.max_packet_size = 64;
  world w(cfg);
  const auto c = w.connect_v("c", protocol_version::v5);
  w.publish(c, "t", std::string(100, 'x'));
  EXPECT_EQ(w.next<disconnect_packet>(c).reason, reason_code::packet_too_large);
  EXPECT_TRUE(w.is_closed(c));
}

TEST(Malformed, AnySplitOfTheByteStreamGivesTheSameResult) {
  connect_packet cp;
  cp.client_id = "split";
  subscribe_packet sp;
  sp.packet_id = 1;
  sp.topics.push_back({"t", qos::at_least_once});
  publish_packet pp;
  pp.topic = "t";
  pp.payload = as_bytes("payload");
  pp.qos_level = qos::at_least_once;
  pp.packet_id = 2;
  bytes stream = encoded(packet{cp}, protocol_version::v5);
  for (const packet& p : {packet{sp}, packet{pp}, packet{pingreq_packet{}}}) {
    bytes b = encoded(p, protocol_version::v5);
    stream.insert(stream.end(), b.begin(), b.end());
  }
  // All at once
  world whole;
  const auto c = whole.open();
  whole.write_raw(c, stream);
  auto expected = whole.take(c);
  ASSERT_EQ(expected.size(), 5u);  // CONNACK, SUBACK, PUBLISH (own), PUBACK, PINGRESP
  for (std::size_t chunk : {1u, 2u, 3u, 7u, 13u}) {
    world w;
    const auto d = w.open();
    for (std::size_t i = 0; i < stream.size(); i += chunk) {
      w.write_raw(d, bytes(stream.begin() + static_cast<std::ptrdiff_t>(i),
                           stream.begin() + static_cast<std::ptrdiff_t>(std::min(stream.size(), i + chunk))));
    }
    auto got = w.take(d);
    ASSERT_EQ(got.size(), expected.size()) << "chunk " << chunk;
    for (std::size_t k = 0; k < got.size(); ++k) EXPECT_EQ(got[k].raw, expected[k].raw) << "chunk " << chunk;
  }
}

TEST(Malformed, ManyPacketsInOneInputGiveOneSendPerConnection) {
  world w;
  const auto c = w.connect_v("c", protocol_version::v5);
  bytes stream;
  for (int i = 0; i < 10; ++i) {
    bytes b = encoded(packet{pingreq_packet{}}, protocol_version::v5);
    stream.insert(stream.end(), b.begin(), b.end());
  }
  const std::size_t before = w.at(c).sends;
  w.write_raw(c, stream);
  EXPECT_EQ(w.at(c).sends, before + 1);
  EXPECT_EQ(w.pending(c), 10u);  // 10 PINGRESP (connect_v took the CONNACK)
}

}  // namespace
}  // namespace postcard::broker_test

namespace postcard::broker_test {
namespace {

// Random garbage after a valid CONNECT, and random mutations of valid packets: the engine must never
// crash, and must either stay connected or end the connection (it never sends after closing).
TEST(Malformed, RandomBytesNeverCrashTheEngine) {
  std::uint32_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 1103515245u + 12345u;
    return static_cast<std::uint8_t>(seed >> 16);
  };
  publish_packet pp;
  pp.topic = "a/b";
  pp.payload = as_bytes("payload");
  pp.qos_level = qos::exactly_once;
  pp.packet_id = 3;
  pp.props.user_properties.push_back({"k", "v"});
  pp.props.topic_alias = 1;
  const bytes valid = encoded(packet{pp}, protocol_version::v5);
  config cfg;
  cfg.sys_interval = 0;
  for (int round = 0; round < 300; ++round) {
    world w(cfg);
    const auto s = w.connect_v("s", protocol_version::v5);
    w.subscribe(s, "#", 2);
    const auto c = w.connect_v("c", round % 2 ? protocol_version::v5 : protocol_version::v3_1_1);
    bytes b = valid;
    if (round % 3 == 0) {
      for (auto& x : b) x = next();
    } else {
      for (int k = 0; k < 1 + round % 4; ++k) b[next() % b.size()] = next();
    }
    w.write_raw(c, b);
    w.write_raw(c, b);
    w.advance(100'000);
    // the subscriber's connection is unaffected
    EXPECT_FALSE(w.is_closed(s));
  }
}

}  // namespace
}  // namespace postcard::broker_test
