// SUBSCRIBE / UNSUBSCRIBE and routed PUBLISH.
#include "world.hpp"

namespace postcard::broker_test {
namespace {

TEST(PublishSubscribe, QoS0RoutedToMatchingSubscribersOnly) {
  world w;
  const auto a = w.connect_v("a", protocol_version::v5);
  const auto b = w.connect_v("b", protocol_version::v3_1_1);
  const auto c = w.connect_v("c", protocol_version::v5);
  w.subscribe(a, "sport/+/score");
  w.subscribe(b, "sport/#");
  w.subscribe(c, "news/#");
  w.take(a);
  w.take(b);
  w.take(c);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "sport/tennis/score", "15-0");
  auto ma = w.next<publish_packet>(a);
  EXPECT_EQ(ma.topic, "sport/tennis/score");
  EXPECT_EQ(text(ma.payload), "15-0");
  auto mb = w.next<publish_packet>(b);
  EXPECT_EQ(text(mb.payload), "15-0");
  EXPECT_EQ(w.pending(c), 0u);
}

TEST(PublishSubscribe, MQTT_3_8_4_1_SubackWithGrantedQoSPerFilter) {
  config cfg;
  cfg.max_qos = 1;
  world w(cfg);
  const auto a = w.connect_v("a", protocol_version::v5);
  subscribe_packet s;
  s.packet_id = 7;
  s.topics.push_back({"x/0", qos::at_most_once});
  s.topics.push_back({"x/1", qos::at_least_once});
  s.topics.push_back({"x/2", qos::exactly_once});
  s.topics.push_back({"bad/#/x", qos::at_most_once});
  w.write(a, packet{s});
  auto ack = w.next<suback_packet>(a);
  EXPECT_EQ(ack.packet_id, 7);  // [MQTT-3.8.4-2]
  ASSERT_EQ(ack.reasons.size(), 4u);
  EXPECT_EQ(ack.reasons[0], reason_code::granted_qos_0);
  EXPECT_EQ(ack.reasons[1], reason_code::granted_qos_1);
  EXPECT_EQ(ack.reasons[2], reason_code::granted_qos_1);  // capped by maximum QoS
  EXPECT_EQ(ack.reasons[3], reason_code::topic_filter_invalid);
}

TEST(PublishSubscribe, InvalidFilterV311GetsFailure0x80) {
  world w;
  const auto a = w.connect_v("a", protocol_version::v3_1_1);
  w.subscribe(a, "a/#/b", 1);
  auto ack = w.next<suback_packet>(a);
  ASSERT_EQ(ack.reasons.size(), 1u);
  EXPECT_EQ(static_cast<int>(ack.reasons[0]), 0x80);
}

TEST(PublishSubscribe, MQTT_3_8_4_3_SubscriptionReplacedNotDuplicated) {
  world w;
  const auto a = w.connect_v("a", protocol_version::v5);
  w.subscribe(a, "t", 0);
  w.subscribe(a, "t", 1, 2);
  w.take(a);
  EXPECT_EQ(w.broker().subscriptions().size(), 1u);
  EXPECT_EQ(w.broker().subscriptions()[0].max_qos, 1);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "m", 1);
  auto m = w.next<publish_packet>(a);
  EXPECT_EQ(m.qos_level, qos::at_least_once);
  EXPECT_EQ(w.pending(a), 0u);
}

TEST(PublishSubscribe, MQTT_3_3_4_2_OverlappingSubscriptionsOneCopyAtMaximumQoS) {
  world w;
  const auto a = w.connect_v("a", protocol_version::v5);
  w.subscribe(a, "s/#", 0, 1);
  w.subscribe(a, "s/+", 2, 2);
  w.take(a);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "s/x", "m", 2);
  auto m = w.next<publish_packet>(a);
  EXPECT_EQ(m.qos_level, qos::exactly_once);
  EXPECT_EQ(w.pending(a), 0u);
}

TEST(PublishSubscribe, MQTT_3_3_4_3_AllMatchingSubscriptionIdentifiersInOneCopy) {
  world w;
  const auto a = w.connect_v("a", protocol_version::v5);
  w.subscribe(a, "s/#", 0, 1, {}, 11);
  w.subscribe(a, "s/+", 0, 2, {}, 22);
  w.take(a);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "s/x", "m");
  auto m = w.next<publish_packet>(a);
  ASSERT_EQ(m.props.subscription_identifiers.size(), 2u);
  EXPECT_NE(m.props.subscription_identifiers[0], m.props.subscription_identifiers[1]);
  EXPECT_EQ(m.props.subscription_identifiers[0] + m.props.subscription_identifiers[1], 33u);
  EXPECT_EQ(w.pending(a), 0u);
}

TEST(PublishSubscribe, MQTT_3_8_4_8_DeliveredAtMinimumOfPublishedAndGrantedQoS) {
  world w;
  const auto a = w.connect_v("a", protocol_version::v5);
  w.subscribe(a, "t", 1);
  w.take(a);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "m", 2);
  EXPECT_EQ(w.next<publish_packet>(a).qos_level, qos::at_least_once);
  w.publish(p, "t", "m0", 0);
  EXPECT_EQ(w.next<publish_packet>(a).qos_level, qos::at_most_once);
}

TEST(PublishSubscribe, UpgradeOutgoingQoSWhenConfigured) {
  config cfg;
  cfg.upgrade_outgoing_qos = true;
  world w(cfg);
  const auto a = w.connect_v("a", protocol_version::v5);
  w.subscribe(a, "t", 2);
  w.take(a);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "m", 0);
  EXPECT_EQ(w.next<publish_packet>(a).qos_level, qos::exactly_once);
}

TEST(PublishSubscribe, MQTT_3_8_3_3_NoLocalNotDeliveredToPublisher) {
  world w;
  const auto a = w.connect_v("a", protocol_version::v5);
  subscribe_topic o;
  o.no_local = true;
  w.subscribe(a, "t", 0, 1, o);
  const auto b = w.connect_v("b", protocol_version::v5);
  w.subscribe(b, "t", 0, 1, o);
  w.take(a);
  w.take(b);
  w.publish(a, "t", "m");
  EXPECT_EQ(w.pending(a), 0u);
  EXPECT_EQ(w.pending(b), 1u);
}

TEST(PublishSubscribe, WithoutNoLocalPublisherGetsItsOwnMessage) {
  world w;
  const auto a = w.connect_v("a", protocol_version::v5);
  w.subscribe(a, "t");
  w.take(a);
  w.publish(a, "t", "m");
  EXPECT_EQ(text(w.next<publish_packet>(a).payload), "m");
}

TEST(PublishSubscribe, MQTT_3_3_1_9_V311SubscriberGetsRetainZeroOnLiveMessage) {
  world w;
  const auto a = w.connect_v("a", protocol_version::v3_1_1);
  w.subscribe(a, "t");
  w.take(a);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "m", 0, true);
  EXPECT_FALSE(w.next<publish_packet>(a).retain);
}

TEST(PublishSubscribe, MQTT_3_3_1_12_RetainAsPublished) {
  world w;
  const auto a = w.connect_v("a", protocol_version::v5);
  subscribe_topic rap;
  rap.retain_as_published = true;
  w.subscribe(a, "t", 0, 1, rap);
  const auto b = w.connect_v("b", protocol_version::v5);
  w.subscribe(b, "t");
  w.take(a);
  w.take(b);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "m", 0, true);
  EXPECT_TRUE(w.next<publish_packet>(a).retain);
  EXPECT_FALSE(w.next<publish_packet>(b).retain);  // [MQTT-3.3.1-13]
}

TEST(PublishSubscribe, MQTT_3_10_4_5_UnsubscribeReasonCodes) {
  world w;
  const auto a = w.connect_v("a", protocol_version::v5);
  w.subscribe(a, "t");
  w.take(a);
  unsubscribe_packet u;
  u.packet_id = 9;
  u.filters = {"t", "never"};
  w.write(a, packet{u});
  auto ack = w.next<unsuback_packet>(a);
  EXPECT_EQ(ack.packet_id, 9);
  ASSERT_EQ(ack.reasons.size(), 2u);
  EXPECT_EQ(ack.reasons[0], reason_code::success);
  EXPECT_EQ(ack.reasons[1], reason_code::no_subscription_existed);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "m");
  EXPECT_EQ(w.pending(a), 0u);
}

TEST(PublishSubscribe, MQTT_4_7_2_1_WildcardDoesNotMatchDollarTopics) {
  world w;
  const auto a = w.connect_v("a", protocol_version::v5);
  w.subscribe(a, "#");
  w.take(a);
  w.broker().publish("$SYS/x", as_bytes("1"), 0, false, {}, w.now);
  EXPECT_EQ(w.pending(a), 0u);
  w.broker().publish("x", as_bytes("1"), 0, false, {}, w.now);
  EXPECT_EQ(w.pending(a), 1u);
}

TEST(PublishSubscribe, ClientsCannotPublishToDollarTopics) {
  world w;
  const auto a = w.connect_v("a", protocol_version::v5);
  w.subscribe(a, "$SYS/#");
  w.take(a);
  w.publish(a, "$SYS/fake", "x", 1);
  auto ack = w.next<ack_packet>(a);
  EXPECT_EQ(ack.reason, reason_code::not_authorized);
  EXPECT_EQ(w.pending(a), 0u);
}

TEST(PublishSubscribe, OrderKeptPerSubscription) {
  world w;
  const auto a = w.connect_v("a", protocol_version::v5);
  w.subscribe(a, "t", 1);
  w.take(a);
  const auto p = w.connect_v("p", protocol_version::v5);
  for (int i = 0; i < 10; ++i) {
    const std::string payload = std::to_string(i);
    w.publish(p, "t", payload, static_cast<std::uint8_t>(i % 2), false, static_cast<std::uint16_t>(i + 1));
  }
  for (int i = 0; i < 10; ++i) EXPECT_EQ(text(w.next<publish_packet>(a).payload), std::to_string(i));
}

TEST(PublishSubscribe, AdminPublishReachesSubscribers) {
  world w;
  const auto a = w.connect_v("a", protocol_version::v5);
  w.subscribe(a, "admin/t", 1);
  w.take(a);
  EXPECT_EQ(w.broker().publish("admin/t", as_bytes("hi"), 1, false, {}, w.now), admin_result::ok);
  auto m = w.next<publish_packet>(a);
  EXPECT_EQ(text(m.payload), "hi");
  EXPECT_NE(m.packet_id, 0);
  EXPECT_EQ(w.broker().publish("bad/+", as_bytes("x"), 0, false, {}, w.now), admin_result::invalid_topic);
}

class acl_hooks : public hooks {
 public:
  reason_code authorize_publish(const client_info& c, std::string_view topic, std::uint8_t, bool) override {
    return topic.substr(0, c.client_id.size()) == c.client_id ? reason_code::success : reason_code::not_authorized;
  }
  reason_code authorize_subscribe(const client_info&, std::string_view filter, std::uint8_t) override {
    return filter == "secret" ? reason_code::not_authorized : reason_code::success;
  }
  bool authorize_delivery(const client_info& c, std::string_view topic, std::uint8_t) override {
    return !(c.client_id == "picky" && topic == "a/no");
  }
  bool checks_delivery() const override { return true; }
};

TEST(PublishSubscribe, AuthorizationHooks) {
  acl_hooks h;
  world w({}, &h);
  const auto s = w.connect_v("sub", protocol_version::v5);
  w.subscribe(s, "#");
  subscribe_packet sp;
  sp.packet_id = 2;
  sp.topics.push_back({"secret", qos::at_most_once});
  w.write(s, packet{sp});
  w.take(s);
  const auto picky = w.connect_v("picky", protocol_version::v5);
  w.subscribe(picky, "a/#");
  w.take(picky);
  const auto a = w.connect_v("a", protocol_version::v5);
  w.publish(a, "b/x", "denied", 1);
  EXPECT_EQ(w.next<ack_packet>(a).reason, reason_code::not_authorized);
  EXPECT_EQ(w.pending(s), 0u);
  w.publish(a, "a/no", "ok", 1, false, 2);
  EXPECT_EQ(w.next<ack_packet>(a).reason, reason_code::success);
  EXPECT_EQ(w.pending(s), 1u);
  EXPECT_EQ(w.pending(picky), 0u);
}

TEST(PublishSubscribe, SubscribeRefusedByHookGets0x87) {
  acl_hooks h;
  world w({}, &h);
  const auto s = w.connect_v("sub", protocol_version::v5);
  w.subscribe(s, "secret");
  auto ack = w.next<suback_packet>(s);
  ASSERT_EQ(ack.reasons.size(), 1u);
  EXPECT_EQ(ack.reasons[0], reason_code::not_authorized);
}

TEST(PublishSubscribe, WildcardSubscriptionsUnavailable0xA2) {
  config cfg;
  cfg.wildcard_subscription_available = false;
  world w(cfg);
  const auto s = w.connect_v("sub", protocol_version::v5);
  w.subscribe(s, "a/+");
  EXPECT_EQ(w.next<suback_packet>(s).reasons.at(0), reason_code::wildcard_subscriptions_not_supported);
}

TEST(PublishSubscribe, SubscriptionIdentifiersUnavailable0xA1) {
  config cfg;
  cfg.subscription_identifier_available = false;
  world w(cfg);
  const auto s = w.connect_v("sub", protocol_version::v5);
  w.subscribe(s, "a", 0, 1, {}, 5);
  EXPECT_EQ(w.next<disconnect_packet>(s).reason, reason_code::subscription_identifiers_not_supported);
  EXPECT_TRUE(w.is_closed(s));
}

}  // namespace
}  // namespace postcard::broker_test
