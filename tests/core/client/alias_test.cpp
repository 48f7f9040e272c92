// Topic aliases, both directions (v5, spec 3.3.2.3.4).
#include "client_test_util.hpp"

namespace postcard::client_test {
namespace {

publish_packet aliased(std::string_view topic, std::uint16_t alias, std::string_view payload) {
  publish_packet p = pub(topic, payload);
  p.props.topic_alias = alias;
  return p;
}

connack_packet with_alias_maximum(std::uint16_t maximum) {
  connack_packet a = connack();
  a.props.topic_alias_maximum = maximum;
  return a;
}

TEST(ClientAlias, InboundAliasIsResolved) {
  options o = v5_options();
  o.properties.topic_alias_maximum = 4;
  harness h{o};
  h.connect();
  h.server(aliased("sensors/temp", 2, "1"));
  EXPECT_EQ(h.events<message_event>()[0].topic, "sensors/temp");
  h.server(aliased("", 2, "2"));
  ASSERT_EQ(h.events<message_event>().size(), 1u);
  EXPECT_EQ(h.events<message_event>()[0].topic, "sensors/temp");
  EXPECT_EQ(h.events<message_event>()[0].properties.topic_alias, 2);
  // A new topic for the same alias replaces the mapping.
  h.server(aliased("sensors/hum", 2, "3"));
  h.server(aliased("", 2, "4"));
  EXPECT_EQ(h.events<message_event>()[0].topic, "sensors/hum");
}

// [MQTT-3.3.2-11] The server sent an alias above our Topic Alias Maximum: DISCONNECT 0x94.
TEST(ClientAlias, MQTT_3_3_2_11_InboundAliasAboveOurMaximum) {
  options o = v5_options();
  o.properties.topic_alias_maximum = 4;
  harness h{o};
  h.connect();
  const output& out = h.server(aliased("t", 5, "x"));
  EXPECT_EQ(out.bytes, (bytes{0xE0, 0x01, 0x94}));
  EXPECT_TRUE(out.close);
  EXPECT_FALSE(h.has<message_event>());
}

TEST(ClientAlias, InboundAliasWhenWeAllowNone) {
  harness h{v5_options()};  // no Topic Alias Maximum sent: 0
  h.connect();
  EXPECT_EQ(h.server(aliased("t", 1, "x")).bytes, (bytes{0xE0, 0x01, 0x94}));
}

TEST(ClientAlias, InboundAliasWithoutMappingIsAProtocolError) {
  options o = v5_options();
  o.properties.topic_alias_maximum = 4;
  harness h{o};
  h.connect();
  EXPECT_EQ(h.server(aliased("", 1, "x")).bytes, (bytes{0xE0, 0x01, 0x82}));
}

TEST(ClientAlias, InboundMappingsEndWithTheConnection) {
  options o = v5_options();
  o.properties.topic_alias_maximum = 4;
  harness h{o};
  h.connect();
  h.server(aliased("t", 1, "x"));
  h.c.connection_closed(1);
  h.drain();
  h.connect(connack(), 1000);
  EXPECT_EQ(h.server(aliased("", 1, "x"), 1000).bytes, (bytes{0xE0, 0x01, 0x82}));
}

TEST(ClientAlias, AutoAssignUsesFreeAliasesThenLeastRecentlyUsed) {
  options o = v5_options();
  o.auto_assign_topic_alias = true;
  harness h{o};
  h.connect(with_alias_maximum(2));
  h.c.publish("t/1", as_bytes("a"), {}, 0);
  h.c.publish("t/2", as_bytes("b"), {}, 0);
  h.c.publish("t/1", as_bytes("c"), {}, 0);  // alias 1 alone
  h.c.publish("t/3", as_bytes("d"), {}, 0);  // evicts t/2 (least recently used): alias 2
  h.c.publish("t/2", as_bytes("e"), {}, 0);  // evicts t/1: alias 1
  EXPECT_EQ(h.drain().bytes, wire({aliased("t/1", 1, "a"), aliased("t/2", 2, "b"), aliased("", 1, "c"),
                                   aliased("t/3", 2, "d"), aliased("t/2", 1, "e")},
                                  protocol_version::v5));
}

TEST(ClientAlias, AutoUseSendsAnExplicitMappingAloneLater) {
  options o = v5_options();
  o.auto_use_topic_alias = true;
  harness h{o};
  h.connect(with_alias_maximum(5));
  publish_options explicit_alias;
  explicit_alias.properties.topic_alias = 3;
  h.c.publish("long/topic/name", as_bytes("a"), explicit_alias, 0);
  h.c.publish("long/topic/name", as_bytes("b"), {}, 0);
  h.c.publish("other", as_bytes("c"), {}, 0);  // no alias: auto-use does not assign
  EXPECT_EQ(h.drain().bytes, wire({aliased("long/topic/name", 3, "a"), aliased("", 3, "b"), pub("other", "c")},
                                  protocol_version::v5));
}

TEST(ClientAlias, ExplicitAliasWithEmptyTopicSendsTheAliasAlone) {
  harness h{v5_options()};
  h.connect(with_alias_maximum(5));
  publish_options a;
  a.properties.topic_alias = 1;
  h.c.publish("x/y", as_bytes("1"), a, 0);
  h.c.publish("x/y", as_bytes("2"), a, 0);  // without auto-use the topic is sent again (MQTT.js)
  EXPECT_EQ(h.c.publish("", as_bytes("3"), a, 0).error, client_error::ok);
  EXPECT_EQ(h.drain().bytes, wire({aliased("x/y", 1, "1"), aliased("x/y", 1, "2"), aliased("", 1, "3")},
                                  protocol_version::v5));
  publish_options unknown;
  unknown.properties.topic_alias = 2;
  EXPECT_EQ(h.c.publish("", as_bytes("4"), unknown, 0).error, client_error::invalid_topic);
}

// [MQTT-3.3.2-9] No alias above the server's Topic Alias Maximum; none at all when it is 0.
TEST(ClientAlias, MQTT_3_3_2_9_OutboundAliasesStayWithinTheServersMaximum) {
  options o = v5_options();
  o.auto_assign_topic_alias = true;
  harness h{o};
  h.connect();  // the server allows no alias
  h.c.publish("t", as_bytes("a"), {}, 0);
  EXPECT_EQ(h.drain().bytes, wire(pub("t", "a"), protocol_version::v5));
  publish_options a;
  a.properties.topic_alias = 1;
  EXPECT_EQ(h.c.publish("t", as_bytes("a"), a, 0).error, client_error::topic_alias_invalid);
  a.properties.topic_alias = 0;
  EXPECT_EQ(h.c.publish("t", as_bytes("a"), a, 0).error, client_error::topic_alias_invalid);  // [MQTT-3.3.2-8]
}

TEST(ClientAlias, OutboundMappingsAreNewOnEveryConnection) {
  options o = v5_options();
  o.auto_assign_topic_alias = true;
  harness h{o};
  h.connect(with_alias_maximum(2));
  h.c.publish("t", as_bytes("a"), {}, 0);
  h.drain();
  h.c.connection_closed(1);
  h.drain();
  h.connect(with_alias_maximum(2), 1000);
  h.c.publish("t", as_bytes("b"), {}, 1000);
  EXPECT_EQ(h.drain().bytes, wire(aliased("t", 1, "b"), protocol_version::v5));  // topic sent again
}

TEST(ClientAlias, ResentMessagesCarryTheirTopic) {
  options o = v5_options();
  o.clean = false;
  o.auto_assign_topic_alias = true;
  harness h{o};
  h.connect(with_alias_maximum(2));
  publish_options q1;
  q1.qos_level = qos::at_least_once;
  h.c.publish("t", as_bytes("a"), q1, 0);
  h.c.publish("t", as_bytes("b"), q1, 0);  // alias only
  h.drain();
  h.c.connection_closed(1);
  h.drain();
  h.open(1000);
  const auto ps = packets_in(h.server(connack(true), 1000).bytes, protocol_version::v5);
  ASSERT_EQ(ps.size(), 2u);
  for (const packet& p : ps) {
    EXPECT_EQ(std::get<publish_packet>(p).topic, "t");
    EXPECT_TRUE(std::get<publish_packet>(p).dup);
    EXPECT_FALSE(std::get<publish_packet>(p).props.topic_alias.has_value());
  }
}

}  // namespace
}  // namespace postcard::client_test
