// MQTT 5 properties forwarded on PUBLISH, message expiry, maximum packet size.
#include "world.hpp"

namespace postcard::broker_test {
namespace {

TEST(V5Properties, MQTT_3_3_2_18_ForwardedUnchangedAndInOrder) {
  world w;
  const auto s = w.connect_v("s", protocol_version::v5);
  w.subscribe(s, "t");
  w.take(s);
  const auto p = w.connect_v("p", protocol_version::v5);
  properties pr;
  pr.payload_format_indicator = 1;
  pr.content_type = "application/json";
  pr.response_topic = "reply/here";
  const std::string corr = "\x01\x02\x03";
  pr.correlation_data = as_bytes(corr);
  pr.user_properties = {{"b", "2"}, {"a", "1"}, {"b", "3"}};
  w.publish(p, "t", "{}", 0, false, 0, pr);
  auto m = w.next<publish_packet>(s);
  EXPECT_EQ(m.props.payload_format_indicator, std::optional<std::uint8_t>(1));        // [MQTT-3.3.2-4]
  EXPECT_EQ(m.props.content_type, std::optional<std::string_view>("application/json"));  // [MQTT-3.3.2-20]
  EXPECT_EQ(m.props.response_topic, std::optional<std::string_view>("reply/here"));     // [MQTT-3.3.2-15]
  ASSERT_TRUE(m.props.correlation_data);
  EXPECT_EQ(text(*m.props.correlation_data), corr);                                    // [MQTT-3.3.2-16]
  ASSERT_EQ(m.props.user_properties.size(), 3u);
  EXPECT_EQ(m.props.user_properties[0], (user_property{"b", "2"}));
  EXPECT_EQ(m.props.user_properties[1], (user_property{"a", "1"}));
  EXPECT_EQ(m.props.user_properties[2], (user_property{"b", "3"}));
}

TEST(V5Properties, PropertiesNotSentToV311Subscriber) {
  world w;
  const auto s = w.connect_v("s", protocol_version::v3_1_1);
  w.subscribe(s, "t");
  w.take(s);
  const auto p = w.connect_v("p", protocol_version::v5);
  properties pr;
  pr.content_type = "x";
  w.publish(p, "t", "m", 0, false, 0, pr);
  auto m = w.next<publish_packet>(s);
  EXPECT_EQ(text(m.payload), "m");
}

TEST(V5Properties, MQTT_3_3_2_6_RemainingExpiryForwarded) {
  world w;
  const auto s = w.connect("s", [] {
    connect_options o;
    o.clean_start = false;
    o.props.session_expiry_interval = 1000;
    return o;
  }());
  w.subscribe(s, "t", 1);
  w.disconnect(s);
  const auto p = w.connect_v("p", protocol_version::v5);
  properties pr;
  pr.message_expiry_interval = 60;
  w.publish(p, "t", "m", 1, false, 1, pr);
  w.advance(20'000);
  connect_options o;
  o.clean_start = false;
  o.props.session_expiry_interval = 1000;
  const auto s2 = w.connect("s", o);
  w.next<connack_packet>(s2);
  auto m = w.next<publish_packet>(s2);
  EXPECT_EQ(m.props.message_expiry_interval, std::optional<std::uint32_t>(40));
}

TEST(V5Properties, MQTT_3_1_2_25_MessageOverClientMaximumPacketSizeDropped) {
  world w;
  connect_options o;
  o.props.maximum_packet_size = 40;
  const auto s = w.connect("s", o);
  w.subscribe(s, "t", 1);
  w.take(s);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", std::string(100, 'x'), 1);
  w.publish(p, "t", "small", 1, false, 2);
  auto m = w.next<publish_packet>(s);
  EXPECT_EQ(text(m.payload), "small");
  EXPECT_EQ(w.pending(s), 0u);
  ASSERT_NE(w.last_event(event_kind::message_dropped), nullptr);
  EXPECT_EQ(w.last_event(event_kind::message_dropped)->drop, drop_reason::too_large_for_client);
  EXPECT_GE(w.broker().stats(w.now).publish_dropped, 1u);
}

TEST(V5Properties, SubscriptionIdentifierOnDelivery) {
  world w;
  const auto s = w.connect_v("s", protocol_version::v5);
  w.subscribe(s, "t", 0, 1, {}, 268'435'455);
  w.take(s);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "m");
  auto m = w.next<publish_packet>(s);
  ASSERT_EQ(m.props.subscription_identifiers.size(), 1u);
  EXPECT_EQ(m.props.subscription_identifiers[0], 268'435'455u);
}

TEST(V5Properties, ReasonStringOnServerDisconnect) {
  world w;
  const auto c = w.connect_v("c", protocol_version::v5);
  w.write(c, packet{suback_packet{1, {}, {reason_code::success}}});
  auto d = w.next<disconnect_packet>(c);
  EXPECT_EQ(d.reason, reason_code::protocol_error);
  EXPECT_TRUE(d.props.reason_string);
}

TEST(V5Properties, NoReasonStringWhenProblemInformationOff) {
  world w;
  connect_options o;
  o.props.request_problem_information = 0;
  const auto c = w.connect("c", o);
  w.next<connack_packet>(c);
  w.write(c, packet{suback_packet{1, {}, {reason_code::success}}});
  auto d = w.next<disconnect_packet>(c);
  EXPECT_FALSE(d.props.reason_string);
}

}  // namespace
}  // namespace postcard::broker_test
