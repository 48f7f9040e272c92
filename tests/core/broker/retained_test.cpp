// Retained messages.
#include "world.hpp"

namespace postcard::broker_test {
namespace {

TEST(Retained, MQTT_3_3_1_5_StoredAndSentOnSubscribeWithRetainFlag) {
  world w;
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "r/1", "one", 1, true);
  w.take(p);
  const auto s = w.connect_v("s", protocol_version::v3_1_1);
  w.subscribe(s, "r/#", 1);
  w.next<suback_packet>(s);  // SUBACK before the retained message
  auto m = w.next<publish_packet>(s);
  EXPECT_EQ(m.topic, "r/1");
  EXPECT_EQ(text(m.payload), "one");
  EXPECT_TRUE(m.retain);  // [MQTT-3.3.1-8]
  EXPECT_EQ(m.qos_level, qos::at_least_once);
}

TEST(Retained, ReplacedByNewerMessage) {
  world w;
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "r", "old", 0, true);
  w.publish(p, "r", "new", 0, true);
  EXPECT_EQ(w.broker().retained().size(), 1u);
  const auto s = w.connect_v("s", protocol_version::v5);
  w.subscribe(s, "r");
  w.next<suback_packet>(s);
  EXPECT_EQ(text(w.next<publish_packet>(s).payload), "new");
  EXPECT_EQ(w.pending(s), 0u);
}

TEST(Retained, MQTT_3_3_1_6_EmptyPayloadDeletes) {
  world w;
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "r", "x", 0, true);
  w.publish(p, "r", "", 0, true);
  EXPECT_EQ(w.broker().retained().size(), 0u);
  const auto s = w.connect_v("s", protocol_version::v5);
  w.subscribe(s, "r");
  w.next<suback_packet>(s);
  EXPECT_EQ(w.pending(s), 0u);
}

TEST(Retained, MQTT_3_3_1_10_RetainHandlingOneOnlyForNewSubscription) {
  world w;
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "r", "x", 0, true);
  const auto s = w.connect_v("s", protocol_version::v5);
  subscribe_topic o;
  o.handling = retain_handling::send_if_new;
  w.subscribe(s, "r", 0, 1, o);
  w.next<suback_packet>(s);
  EXPECT_EQ(w.pending(s), 1u);
  w.take(s);
  w.subscribe(s, "r", 0, 2, o);
  w.next<suback_packet>(s);
  EXPECT_EQ(w.pending(s), 0u);
}

TEST(Retained, MQTT_3_3_1_11_RetainHandlingTwoNeverSends) {
  world w;
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "r", "x", 0, true);
  const auto s = w.connect_v("s", protocol_version::v5);
  subscribe_topic o;
  o.handling = retain_handling::do_not_send;
  w.subscribe(s, "r", 0, 1, o);
  w.next<suback_packet>(s);
  EXPECT_EQ(w.pending(s), 0u);
}

TEST(Retained, MQTT_3_3_1_9_RetainHandlingZeroResendsOnEverySubscribe) {
  world w;
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "r", "x", 0, true);
  const auto s = w.connect_v("s", protocol_version::v5);
  w.subscribe(s, "r");
  w.subscribe(s, "r", 0, 2);
  w.take(s);
  w.subscribe(s, "r", 0, 3);
  EXPECT_EQ(w.take(s).size(), 2u);  // SUBACK + retained
}

TEST(Retained, RetainUnavailableRejects0x9A) {
  config cfg;
  cfg.retain_available = false;
  world w(cfg);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "r", "x", 0, true);
  EXPECT_EQ(w.next<disconnect_packet>(p).reason, reason_code::retain_not_supported);  // [MQTT-3.2.2-14]
}

TEST(Retained, ExpiredRetainedMessageNotDelivered) {
  world w;
  const auto p = w.connect_v("p", protocol_version::v5);
  properties pr;
  pr.message_expiry_interval = 5;
  w.publish(p, "r", "x", 0, true, 0, pr);
  w.advance(3000);
  const auto s = w.connect_v("s", protocol_version::v5);
  w.subscribe(s, "r");
  w.next<suback_packet>(s);
  auto m = w.next<publish_packet>(s);
  EXPECT_EQ(m.props.message_expiry_interval, std::optional<std::uint32_t>(2));  // remaining lifetime
  w.advance(2001);
  w.subscribe(s, "r", 0, 2);
  w.next<suback_packet>(s);
  EXPECT_EQ(w.pending(s), 0u);  // [MQTT-3.3.2-5]
}

TEST(Retained, NotSentOnSharedSubscribe) {
  world w;
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "r", "x", 0, true);
  const auto s = w.connect_v("s", protocol_version::v5);
  w.subscribe(s, "$share/g/r");
  w.next<suback_packet>(s);
  EXPECT_EQ(w.pending(s), 0u);
}

TEST(Retained, WildcardMatchesManyRetained) {
  world w;
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "a/1", "1", 0, true);
  w.publish(p, "a/2", "2", 0, true);
  w.publish(p, "b/1", "3", 0, true);
  const auto s = w.connect_v("s", protocol_version::v5);
  w.subscribe(s, "a/+");
  w.next<suback_packet>(s);
  EXPECT_EQ(w.pending(s), 2u);
}

}  // namespace
}  // namespace postcard::broker_test
