// Topic aliases in both directions.
#include "world.hpp"

namespace postcard::broker_test {
namespace {

publish_packet aliased(std::string_view topic, std::uint16_t alias, std::string_view payload) {
  publish_packet p;
  p.topic = topic;
  p.payload = as_bytes(payload);
  p.props.topic_alias = alias;
  return p;
}

TEST(TopicAliases, InboundAliasSetThenUsed) {
  world w;
  const auto s = w.connect_v("s", protocol_version::v5);
  w.subscribe(s, "long/topic/name");
  w.take(s);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.write(p, packet{aliased("long/topic/name", 3, "first")});
  w.write(p, packet{aliased("", 3, "second")});
  EXPECT_EQ(w.next<publish_packet>(s).topic, "long/topic/name");
  auto m = w.next<publish_packet>(s);
  EXPECT_EQ(m.topic, "long/topic/name");
  EXPECT_EQ(text(m.payload), "second");
}

TEST(TopicAliases, InboundAliasRemapped) {
  world w;
  const auto s = w.connect_v("s", protocol_version::v5);
  w.subscribe(s, "#");
  w.take(s);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.write(p, packet{aliased("a", 1, "1")});
  w.write(p, packet{aliased("b", 1, "2")});
  w.write(p, packet{aliased("", 1, "3")});
  w.next<publish_packet>(s);
  w.next<publish_packet>(s);
  EXPECT_EQ(w.next<publish_packet>(s).topic, "b");
}

TEST(TopicAliases, MQTT_3_3_2_10_AliasAboveMaximumGets0x94) {
  config cfg;
  cfg.max_topic_alias = 2;
  world w(cfg);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.write(p, packet{aliased("a", 3, "1")});
  EXPECT_EQ(w.next<disconnect_packet>(p).reason, reason_code::topic_alias_invalid);
  EXPECT_TRUE(w.is_closed(p));
}

TEST(TopicAliases, UnknownAliasIsProtocolError) {
  world w;
  const auto p = w.connect_v("p", protocol_version::v5);
  w.write(p, packet{aliased("", 4, "1")});
  EXPECT_EQ(w.next<disconnect_packet>(p).reason, reason_code::protocol_error);
}

TEST(TopicAliases, AliasesAreNotSharedBetweenConnections) {
  world w;
  const auto p = w.connect_v("p", protocol_version::v5);
  w.write(p, packet{aliased("a", 1, "1")});
  const auto q = w.connect_v("q", protocol_version::v5);
  w.write(q, packet{aliased("", 1, "2")});
  EXPECT_EQ(w.next<disconnect_packet>(q).reason, reason_code::protocol_error);
}

TEST(TopicAliases, MQTT_3_3_2_11_OutboundAliasesWithinClientMaximum) {
  world w;
  connect_options o;
  o.props.topic_alias_maximum = 1;
  const auto s = w.connect("s", o);
  w.subscribe(s, "#");
  w.take(s);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "x/y", "1");
  w.publish(p, "x/y", "2");
  w.publish(p, "z", "3");
  auto m1 = w.next<publish_packet>(s);
  EXPECT_EQ(m1.topic, "x/y");
  EXPECT_EQ(m1.props.topic_alias, std::optional<std::uint16_t>(1));
  auto m2 = w.next<publish_packet>(s);
  EXPECT_EQ(m2.topic, "");
  EXPECT_EQ(m2.props.topic_alias, std::optional<std::uint16_t>(1));
  auto m3 = w.next<publish_packet>(s);
  EXPECT_EQ(m3.topic, "z");  // no alias left
  EXPECT_FALSE(m3.props.topic_alias);
}

TEST(TopicAliases, NoOutboundAliasWithoutClientMaximum) {
  world w;
  const auto s = w.connect_v("s", protocol_version::v5);
  w.subscribe(s, "#");
  w.take(s);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "x", "1");
  w.publish(p, "x", "2");
  EXPECT_FALSE(w.next<publish_packet>(s).props.topic_alias);
  EXPECT_FALSE(w.next<publish_packet>(s).props.topic_alias);
}

}  // namespace
}  // namespace postcard::broker_test
