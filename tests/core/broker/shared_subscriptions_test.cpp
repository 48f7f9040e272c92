// Shared subscriptions ($share/{group}/{filter}).
#include "world.hpp"

namespace postcard::broker_test {
namespace {

TEST(SharedSubscriptions, EachMessageToOneMemberRoundRobin) {
  world w;
  const auto a = w.connect_v("a", protocol_version::v5);
  const auto b = w.connect_v("b", protocol_version::v5);
  w.subscribe(a, "$share/g/t/#");
  w.subscribe(b, "$share/g/t/#");
  w.take(a);
  w.take(b);
  const auto p = w.connect_v("p", protocol_version::v5);
  for (int i = 0; i < 6; ++i) w.publish(p, "t/x", "m");
  EXPECT_EQ(w.pending(a), 3u);
  EXPECT_EQ(w.pending(b), 3u);
}

TEST(SharedSubscriptions, GroupsAndPlainSubscriptionsEachGetACopy) {
  world w;
  const auto a = w.connect_v("a", protocol_version::v5);
  const auto b = w.connect_v("b", protocol_version::v5);
  const auto c = w.connect_v("c", protocol_version::v5);
  w.subscribe(a, "$share/g1/t");
  w.subscribe(b, "$share/g2/t");
  w.subscribe(c, "t");
  w.take(a);
  w.take(b);
  w.take(c);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "m");
  EXPECT_EQ(w.pending(a), 1u);
  EXPECT_EQ(w.pending(b), 1u);
  EXPECT_EQ(w.pending(c), 1u);
}

TEST(SharedSubscriptions, PrefersConnectedMember) {
  world w;
  connect_options o;
  o.clean_start = false;
  o.props.session_expiry_interval = 100;
  const auto a = w.connect("a", o);
  w.subscribe(a, "$share/g/t", 1);
  const auto b = w.connect_v("b", protocol_version::v5);
  w.subscribe(b, "$share/g/t", 1);
  w.take(b);
  w.drop_transport(a);
  const auto p = w.connect_v("p", protocol_version::v5);
  for (std::uint16_t i = 1; i <= 4; ++i) w.publish(p, "t", "m", 1, false, i);
  EXPECT_EQ(w.pending(b), 4u);
}

TEST(SharedSubscriptions, UndeliveredMessagesOfLeavingMemberGoToOthers) {
  world w;
  connect_options o;
  o.props.receive_maximum = 1;
  const auto a = w.connect("a", o);
  w.subscribe(a, "$share/g/t", 1);
  w.take(a);
  const auto b = w.connect_v("b", protocol_version::v5);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "m1", 1, false, 1);  // to a (only member)
  w.publish(p, "t", "m2", 1, false, 2);  // queued for a (window 1)
  EXPECT_EQ(w.pending(a), 1u);
  w.subscribe(b, "$share/g/t", 1);
  w.take(b);
  w.drop_transport(a);  // session ends (expiry 0): both messages go to b
  EXPECT_EQ(w.pending(b), 2u);
}

TEST(SharedSubscriptions, UnavailableGets0x9E) {
  config cfg;
  cfg.shared_subscription_available = false;
  world w(cfg);
  const auto a = w.connect_v("a", protocol_version::v5);
  w.subscribe(a, "$share/g/t");
  EXPECT_EQ(w.next<suback_packet>(a).reasons.at(0), reason_code::shared_subscriptions_not_supported);
}

TEST(SharedSubscriptions, MQTT_3_8_3_4_NoLocalOnSharedIsProtocolError) {
  world w;
  const auto a = w.connect_v("a", protocol_version::v5);
  subscribe_topic o;
  o.no_local = true;
  w.subscribe(a, "$share/g/t", 0, 1, o);
  EXPECT_EQ(w.next<disconnect_packet>(a).reason, reason_code::protocol_error);
}

TEST(SharedSubscriptions, UnsubscribeShared) {
  world w;
  const auto a = w.connect_v("a", protocol_version::v5);
  w.subscribe(a, "$share/g/t");
  w.take(a);
  unsubscribe_packet u;
  u.packet_id = 3;
  u.filters = {"$share/g/t"};
  w.write(a, packet{u});
  EXPECT_EQ(w.next<unsuback_packet>(a).reasons.at(0), reason_code::success);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "m");
  EXPECT_EQ(w.pending(a), 0u);
}

TEST(SharedSubscriptions, InvalidShareNameRejected) {
  world w;
  const auto a = w.connect_v("a", protocol_version::v5);
  w.subscribe(a, "$share//t");
  EXPECT_EQ(w.next<suback_packet>(a).reasons.at(0), reason_code::topic_filter_invalid);
}

}  // namespace
}  // namespace postcard::broker_test
