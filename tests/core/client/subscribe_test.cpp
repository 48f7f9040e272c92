// SUBSCRIBE / UNSUBSCRIBE, their acknowledgements, and resubscribing on reconnect.
#include "client_test_util.hpp"

namespace postcard::client_test {
namespace {

TEST(ClientSubscribe, V311SubscribeAndSubackBytes) {
  harness h{v311_options()};
  h.connect();
  const std::vector<subscription> subs{{"a/+", qos::at_least_once}, {"b/#", qos::exactly_once}};
  const auto r = h.c.subscribe(subs, {}, 0);
  EXPECT_EQ(r.packet_id, 1);
  EXPECT_EQ(h.drain().bytes, (bytes{0x82, 0x0E, 0x00, 0x01,              // SUBSCRIBE id 1
                                    0x00, 0x03, 'a', '/', '+', 0x01,      // a/+ QoS 1
                                    0x00, 0x03, 'b', '/', '#', 0x02}));   // b/# QoS 2
  h.feed({0x90, 0x04, 0x00, 0x01, 0x01, 0x80});  // SUBACK: granted 1, failure
  ASSERT_EQ(h.events<subscribed_event>().size(), 1u);
  const subscribed_event s = h.events<subscribed_event>()[0];
  EXPECT_EQ(s.token, r.token);
  EXPECT_EQ(s.packet_id, 1);
  EXPECT_EQ(s.reasons, (std::vector<reason_code>{reason_code::granted_qos_1, reason_code::unspecified_error}));
  EXPECT_FALSE(s.resubscribe);
}

TEST(ClientSubscribe, V5SubscribeCarriesOptionsAndProperties) {
  harness h{v5_options()};
  h.connect();
  subscription s{"x/y", qos::at_least_once, true, true, retain_handling::do_not_send};
  property_set props;
  props.subscription_identifiers = {42};
  props.user_properties = {{"a", "b"}};
  h.c.subscribe(std::span{&s, 1}, props, 0);
  subscribe_packet expected;
  expected.packet_id = 1;
  expected.props.subscription_identifiers = {42};
  expected.props.user_properties = {{"a", "b"}};
  expected.topics = {{"x/y", qos::at_least_once, true, true, retain_handling::do_not_send}};
  const bytes sent = h.drain().bytes;
  EXPECT_EQ(sent, wire(expected, protocol_version::v5));
  EXPECT_EQ(sent.back(), 0x2D);  // options byte: retain handling 2, RAP, NL, QoS 1
}

TEST(ClientSubscribe, UnsubscribeAndUnsuback) {
  harness h{v5_options()};
  h.connect();
  const std::vector<std::string> filters{"a/+", "b"};
  const auto r = h.c.unsubscribe(filters, {}, 0);
  EXPECT_EQ(h.drain().bytes, (bytes{0xA2, 0x0B, 0x00, 0x01, 0x00,  // UNSUBSCRIBE id 1, no properties
                                    0x00, 0x03, 'a', '/', '+', 0x00, 0x01, 'b'}));
  unsuback_packet ua;
  ua.packet_id = 1;
  ua.reasons = {reason_code::success, reason_code::no_subscription_existed};
  h.server(ua);
  ASSERT_EQ(h.events<unsubscribed_event>().size(), 1u);
  EXPECT_EQ(h.events<unsubscribed_event>()[0].token, r.token);
  EXPECT_EQ(h.events<unsubscribed_event>()[0].reasons, ua.reasons);
}

// [MQTT-3.8.3-3] [MQTT-3.10.3-2] At least one filter; filters must be valid [MQTT-4.7.1-1].
TEST(ClientSubscribe, MisuseIsRefusedLocally) {
  harness h{v5_options()};
  h.connect();
  EXPECT_EQ(h.c.subscribe({}, {}, 0).error, client_error::no_topics);
  EXPECT_EQ(h.c.unsubscribe({}, {}, 0).error, client_error::no_topics);
  subscription bad{"a/#/b"};
  EXPECT_EQ(h.c.subscribe(std::span{&bad, 1}, {}, 0).error, client_error::invalid_filter);
  subscription shared_no_local{"$share/g/t", qos::at_most_once, true};
  EXPECT_EQ(h.c.subscribe(std::span{&shared_no_local, 1}, {}, 0).error, client_error::invalid_argument);
  EXPECT_TRUE(h.drain().bytes.empty());
}

TEST(ClientSubscribe, SubackWithWrongCountIsAProtocolError) {
  harness h{v5_options()};
  h.connect();
  const std::vector<subscription> subs{{"a"}, {"b"}};
  h.c.subscribe(subs, {}, 0);
  h.drain();
  suback_packet sa;
  sa.packet_id = 1;
  sa.reasons = {reason_code::granted_qos_0};
  EXPECT_EQ(h.server(sa).bytes, (bytes{0xE0, 0x01, 0x82}));
}

TEST(ClientSubscribe, ResubscribeWhenTheSessionIsGone) {
  harness h{v311_options()};
  h.connect();
  const std::vector<subscription> subs{{"a", qos::at_least_once}, {"b", qos::exactly_once}, {"c"}};
  h.c.subscribe(subs, {}, 0);
  h.drain();
  h.feed({0x90, 0x05, 0x00, 0x01, 0x01, 0x02, 0x80});  // "c" refused
  const std::vector<std::string> unsub{"b"};
  h.c.unsubscribe(unsub, {}, 0);
  h.drain();
  h.feed({0xB0, 0x02, 0x00, 0x02});  // UNSUBACK
  h.c.connection_closed(5);
  h.drain();
  h.open(1000);
  const auto ps = packets_in(h.server(connack(false), 1000).bytes, protocol_version::v3_1_1);
  ASSERT_EQ(ps.size(), 1u);
  const auto& s = std::get<subscribe_packet>(ps[0]);
  ASSERT_EQ(s.topics.size(), 1u);  // only what was granted and not unsubscribed
  EXPECT_EQ(s.topics[0].filter, "a");
  EXPECT_EQ(s.topics[0].max_qos, qos::at_least_once);
  h.server(suback_packet{s.packet_id, {}, {reason_code::granted_qos_1}}, 1000);
  ASSERT_EQ(h.events<subscribed_event>().size(), 1u);
  EXPECT_TRUE(h.events<subscribed_event>()[0].resubscribe);
  EXPECT_EQ(h.events<subscribed_event>()[0].token, 0u);
}

TEST(ClientSubscribe, NoResubscribeWhenTheSessionIsPresentOrOptionOff) {
  options o = v311_options();
  o.clean = false;
  harness h{o};
  h.connect();
  subscription s{"a"};
  h.c.subscribe(std::span{&s, 1}, {}, 0);
  h.drain();
  h.feed({0x90, 0x03, 0x00, 0x01, 0x00});
  h.c.connection_closed(5);
  h.drain();
  h.open(1000);
  EXPECT_TRUE(h.server(connack(true), 1000).bytes.empty());

  options off = v311_options();
  off.resubscribe = false;
  harness h2{off};
  h2.connect();
  h2.c.subscribe(std::span{&s, 1}, {}, 0);
  h2.drain();
  h2.feed({0x90, 0x03, 0x00, 0x01, 0x00});
  h2.c.connection_closed(5);
  h2.drain();
  h2.open(1000);
  EXPECT_TRUE(h2.server(connack(false), 1000).bytes.empty());
}

TEST(ClientSubscribe, UnacknowledgedSubscribeIsSentAgainAfterReconnect) {
  harness h{v311_options()};
  h.connect();
  subscription s{"a"};
  const auto r = h.c.subscribe(std::span{&s, 1}, {}, 0);
  h.drain();
  h.c.connection_closed(5);
  h.drain();
  h.open(1000);
  const auto ps = packets_in(h.server(connack(false), 1000).bytes, protocol_version::v3_1_1);
  ASSERT_EQ(ps.size(), 1u);
  const auto& sp = std::get<subscribe_packet>(ps[0]);
  h.server(suback_packet{sp.packet_id, {}, {reason_code::granted_qos_0}}, 1000);
  ASSERT_EQ(h.events<subscribed_event>().size(), 1u);
  EXPECT_EQ(h.events<subscribed_event>()[0].token, r.token);
}

}  // namespace
}  // namespace postcard::client_test

namespace postcard::client_test {
namespace {

// [MQTT-3.2.2-15] No SUBSCRIBE / UNSUBSCRIBE above the server's Maximum Packet Size.
TEST(ClientSubscribe, MQTT_3_2_2_15_RequestsAboveMaximumPacketSize) {
  harness h{v5_options()};
  const std::vector<subscription> big{{std::string(40, 'a')}};
  const auto queued = h.c.subscribe(big, {}, 0);  // offline: refused when it would be sent
  connack_packet a = connack();
  a.props.maximum_packet_size = 30;
  h.connect(a);
  EXPECT_TRUE(packets_in(h.out.bytes, protocol_version::v5).empty());
  ASSERT_EQ(h.events<subscribed_event>().size(), 1u);
  EXPECT_EQ(h.events<subscribed_event>()[0].token, queued.token);
  EXPECT_EQ(h.events<subscribed_event>()[0].reasons, std::vector<reason_code>{reason_code::packet_too_large});
  EXPECT_EQ(h.c.subscribe(big, {}, 0).error, client_error::packet_too_large);
  const std::vector<std::string> filters{std::string(40, 'b')};
  EXPECT_EQ(h.c.unsubscribe(filters, {}, 0).error, client_error::packet_too_large);
  const std::vector<subscription> small{{"s"}};
  EXPECT_EQ(h.c.subscribe(small, {}, 0).error, client_error::ok);
  EXPECT_EQ(packets_in(h.drain().bytes, protocol_version::v5).size(), 1u);
}

}  // namespace
}  // namespace postcard::client_test
