// The client engine against the real broker engine, in one process with a virtual clock.
#include "client_test_util.hpp"
#include "client_world.hpp"

namespace postcard::client_test {
namespace {

options named(std::string id, protocol_version v = protocol_version::v5) {
  options o;
  o.protocol = v;
  o.client_id = std::move(id);
  o.packet_events = false;
  return o;
}

publish_options at(qos q, bool retain = false) {
  publish_options p;
  p.qos_level = q;
  p.retain = retain;
  return p;
}

void sub(client_world& w, std::size_t i, std::string filter, qos q) {
  subscription s{std::move(filter), q};
  ASSERT_EQ(w.client(i).subscribe(std::span{&s, 1}, {}, w.now).error, client_error::ok);
  w.run();
}

class ClientWorld : public ::testing::TestWithParam<protocol_version> {};

TEST_P(ClientWorld, AllQosLevelsRoundTrip) {
  client_world w;
  const auto pub_i = w.add(named("pub", GetParam()));
  const auto sub_i = w.add(named("sub", GetParam()));
  ASSERT_EQ(w.client(pub_i).state(), connection_state::connected);
  sub(w, sub_i, "room/+/temp", qos::exactly_once);
  ASSERT_EQ(w.at(sub_i).all<subscribed_event>().size(), 1u);
  EXPECT_EQ(w.at(sub_i).all<subscribed_event>()[0].reasons[0], reason_code::granted_qos_2);
  for (int q = 0; q < 3; ++q) {
    w.client(pub_i).publish("room/" + std::to_string(q) + "/temp", as_bytes("21"), at(static_cast<qos>(q)), w.now);
    w.run();
  }
  const auto msgs = w.at(sub_i).all<message_event>();
  ASSERT_EQ(msgs.size(), 3u);
  for (int q = 0; q < 3; ++q) {
    EXPECT_EQ(msgs[static_cast<std::size_t>(q)].topic, "room/" + std::to_string(q) + "/temp");
    EXPECT_EQ(msgs[static_cast<std::size_t>(q)].qos_level, static_cast<qos>(q));
    EXPECT_EQ(msgs[static_cast<std::size_t>(q)].payload, str_bytes("21"));
  }
  const auto done = w.at(pub_i).all<publish_completed_event>();
  ASSERT_EQ(done.size(), 3u);
  for (const auto& d : done) EXPECT_EQ(d.reason, reason_code::success);
  EXPECT_EQ(w.client(pub_i).inflight(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Versions, ClientWorld,
                         ::testing::Values(protocol_version::v3_1, protocol_version::v3_1_1, protocol_version::v5));

TEST(ClientWorldTest, RetainedMessageReachesALaterSubscriber) {
  client_world w;
  const auto a = w.add(named("a"));
  w.client(a).publish("status", as_bytes("up"), at(qos::at_least_once, true), w.now);
  w.run();
  const auto b = w.add(named("b", protocol_version::v3_1_1));
  sub(w, b, "status", qos::at_least_once);
  const auto msgs = w.at(b).all<message_event>();
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_TRUE(msgs[0].retain);
  EXPECT_EQ(msgs[0].payload, str_bytes("up"));
}

// The broker's Receive Maximum bounds the client's inflight window; every message still arrives, in order.
TEST(ClientWorldTest, InflightWindowFollowsTheBrokersReceiveMaximum) {
  broker::config cfg;
  cfg.max_inflight_messages = 2;
  client_world w{cfg};
  const auto a = w.add(named("a"));
  const auto b = w.add(named("b"));
  sub(w, b, "q", qos::at_least_once);
  EXPECT_EQ(w.client(a).negotiated().receive_maximum, 2);
  for (int i = 0; i < 10; ++i) {
    w.client(a).publish("q", as_bytes(std::to_string(i)), at(qos::at_least_once), w.now);
    EXPECT_LE(w.client(a).inflight(), 2u);
  }
  EXPECT_EQ(w.client(a).queued(), 8u);
  w.run();
  EXPECT_EQ(w.at(a).all<publish_completed_event>().size(), 10u);
  const auto msgs = w.at(b).all<message_event>();
  ASSERT_EQ(msgs.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(msgs[static_cast<std::size_t>(i)].payload, str_bytes(std::to_string(i)));
}

// Acknowledgements lost with the connection: the client resends with DUP on the resumed session and
// the QoS 2 message still reaches the subscriber exactly once [MQTT-4.4.0-1].
TEST(ClientWorldTest, ReconnectResendsUnacknowledgedMessages) {
  client_world w;
  options o = named("pub");
  o.clean = false;
  o.properties.session_expiry_interval = 600;
  o.reconnect.period_ms = 500;
  const auto a = w.add(o);
  const auto b = w.add(named("sub"));
  sub(w, b, "t/#", qos::exactly_once);
  w.partition(a, true);  // the PUBLISH packets are lost on the way
  w.client(a).publish("t/1", as_bytes("one"), at(qos::at_least_once), w.now);
  w.client(a).publish("t/2", as_bytes("two"), at(qos::exactly_once), w.now);
  w.run();
  EXPECT_EQ(w.client(a).inflight(), 2u);
  w.partition(a, false);
  w.cut(a);
  EXPECT_EQ(w.client(a).state(), connection_state::offline);
  w.advance(500);  // reconnect_due -> new transport -> CONNACK with session present -> resend
  EXPECT_EQ(w.client(a).state(), connection_state::connected);
  ASSERT_EQ(w.at(a).all<connected_event>().size(), 2u);
  EXPECT_TRUE(w.at(a).all<connected_event>()[1].session_present);
  EXPECT_EQ(w.client(a).inflight(), 0u);
  EXPECT_EQ(w.at(a).all<publish_completed_event>().size(), 2u);
  const auto msgs = w.at(b).all<message_event>();
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0].payload, str_bytes("one"));
  EXPECT_EQ(msgs[1].payload, str_bytes("two"));
}

TEST(ClientWorldTest, LostPubrecIsRecoveredWithoutDuplicateDelivery) {
  client_world w;
  options o = named("pub");
  o.clean = false;
  o.properties.session_expiry_interval = 600;
  const auto a = w.add(o);
  const auto b = w.add(named("sub"));
  sub(w, b, "t", qos::exactly_once);
  w.client(a).publish("t", as_bytes("x"), at(qos::exactly_once), w.now);
  // Deliver the PUBLISH to the broker but lose its PUBREC: partition after the client wrote.
  output out;
  w.client(a).drain(out);
  ASSERT_FALSE(out.bytes.empty());
  w.broker().receive(w.at(a).conn, out.bytes, w.now);
  w.partition(a, true);
  w.run();
  w.partition(a, false);
  w.cut(a);
  w.advance(1000);
  EXPECT_EQ(w.client(a).state(), connection_state::connected);
  EXPECT_EQ(w.client(a).inflight(), 0u);
  ASSERT_EQ(w.at(a).all<publish_completed_event>().size(), 1u);
  EXPECT_EQ(w.at(b).all<message_event>().size(), 1u);  // delivered once
}

TEST(ClientWorldTest, KeepaliveTimeoutThenReconnect) {
  client_world w;
  options o = named("k");
  o.keepalive = 5;
  o.reconnect.period_ms = 1000;
  const auto a = w.add(o);
  w.advance(60'000);  // healthy: PINGREQ / PINGRESP keep it up
  EXPECT_EQ(w.client(a).state(), connection_state::connected);
  EXPECT_TRUE(w.at(a).all<keepalive_timeout_event>().empty());
  w.partition(a, true);
  w.advance(10'000);  // PINGREQ at +5 s lost, no PINGRESP by +10 s
  ASSERT_EQ(w.at(a).all<keepalive_timeout_event>().size(), 1u);
  w.partition(a, false);
  w.advance(2'000);
  EXPECT_EQ(w.client(a).state(), connection_state::connected);
  EXPECT_EQ(w.at(a).all<connected_event>().size(), 2u);
}

TEST(ClientWorldTest, TopicAliasesBothWaysThroughTheBroker) {
  broker::config cfg;
  cfg.max_topic_alias = 2;
  client_world w{cfg};
  options o = named("a");
  o.auto_assign_topic_alias = true;
  const auto a = w.add(o);
  const auto b = w.add(named("b"));
  sub(w, b, "#", qos::at_most_once);
  EXPECT_EQ(w.client(a).negotiated().topic_alias_maximum, 2);
  const std::vector<std::string> topics{"x/1", "x/2", "x/1", "x/3", "x/2", "x/1", "x/1"};
  for (const auto& t : topics) w.client(a).publish(t, as_bytes(t), {}, w.now);
  w.run();
  const auto msgs = w.at(b).all<message_event>();
  ASSERT_EQ(msgs.size(), topics.size());
  for (std::size_t i = 0; i < topics.size(); ++i) {
    EXPECT_EQ(msgs[i].topic, topics[i]);
    EXPECT_EQ(msgs[i].payload, str_bytes(topics[i]));
  }
  EXPECT_EQ(w.client(a).state(), connection_state::connected);
}

TEST(ClientWorldTest, WillIsPublishedWhenTheConnectionDrops) {
  client_world w;
  const auto watcher = w.add(named("watcher"));
  sub(w, watcher, "dev/+/status", qos::at_least_once);
  options o = named("dev1");
  will_options will;
  will.topic = "dev/1/status";
  will.payload = str_bytes("gone");
  will.qos_level = qos::at_least_once;
  will.properties.content_type = "text/plain";
  o.will = will;
  o.reconnect.period_ms = 0;
  const auto d = w.add(o);
  w.cut(d);
  const auto msgs = w.at(watcher).all<message_event>();
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].topic, "dev/1/status");
  EXPECT_EQ(msgs[0].payload, str_bytes("gone"));
  EXPECT_EQ(msgs[0].properties.content_type, "text/plain");
}

TEST(ClientWorldTest, ResubscribeAfterReconnectWithoutSession) {
  client_world w;
  const auto a = w.add(named("a"));
  options o = named("b");
  o.reconnect.period_ms = 100;
  const auto b = w.add(o);
  sub(w, b, "news", qos::at_least_once);
  w.cut(b);
  w.advance(100);
  ASSERT_EQ(w.client(b).state(), connection_state::connected);
  EXPECT_FALSE(w.at(b).all<connected_event>()[1].session_present);
  const auto subs = w.at(b).all<subscribed_event>();
  ASSERT_EQ(subs.size(), 2u);
  EXPECT_TRUE(subs[1].resubscribe);
  w.client(a).publish("news", as_bytes("hello"), at(qos::at_least_once), w.now);
  w.run();
  ASSERT_EQ(w.at(b).all<message_event>().size(), 1u);
}

TEST(ClientWorldTest, OfflineQueueIsFlushedOnConnect) {
  client_world w;
  const auto b = w.add(named("b"));
  sub(w, b, "q", qos::at_least_once);
  const auto a = w.add(named("a"), false);
  w.client(a).publish("q", as_bytes("early"), at(qos::at_least_once), w.now);
  EXPECT_EQ(w.client(a).queued(), 1u);
  w.open(a);
  ASSERT_EQ(w.at(b).all<message_event>().size(), 1u);
  EXPECT_EQ(w.at(b).all<message_event>()[0].payload, str_bytes("early"));
}

TEST(ClientWorldTest, RedirectionIsSurfaced) {
  broker::config cfg;
  cfg.redirect = broker::redirect_mode::server_moved;
  cfg.server_reference = "mqtt2.example:1883";
  client_world w{cfg};
  options o = named("r");
  o.reconnect.period_ms = 0;
  const auto a = w.add(o);
  const auto failed = w.at(a).all<connect_failed_event>();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].reason, reason_code::server_moved);
  EXPECT_EQ(failed[0].server_reference, "mqtt2.example:1883");
  EXPECT_EQ(w.client(a).state(), connection_state::offline);
}

TEST(ClientWorldTest, ServerAssignsTheClientIdentifier) {
  client_world w;
  options o = named("");
  o.reconnect.period_ms = 100;
  const auto a = w.add(o);
  ASSERT_EQ(w.client(a).state(), connection_state::connected);
  const std::string assigned = w.client(a).negotiated().client_id;
  EXPECT_FALSE(assigned.empty());
  w.cut(a);
  w.advance(100);
  EXPECT_EQ(w.client(a).negotiated().client_id, assigned);
  ASSERT_EQ(w.broker().sessions().size(), 1u);
  EXPECT_EQ(w.broker().sessions()[0].client_id, assigned);
}

}  // namespace
}  // namespace postcard::client_test

namespace postcard::client_test {
namespace {

// A challenge-response method: CONNECT carries "hello", the broker challenges with "nonce", the
// client must answer "nonce+1". Re-authentication with "again" succeeds at once.
struct challenge_hooks : broker::hooks {
  broker::auth_step auth_start(const broker::client_info&, std::string_view method, bytes_view data) override {
    if (method != "CHALLENGE") return {broker::auth_step::status::failure, {}, reason_code::bad_authentication_method};
    if (as_chars(data) == "again") return {broker::auth_step::status::success, {}, reason_code::success};
    return {broker::auth_step::status::continue_auth, str_bytes("nonce"), reason_code::success};
  }
  broker::auth_step auth_continue(const broker::client_info&, std::string_view, bytes_view data) override {
    if (as_chars(data) == "nonce+1") return {broker::auth_step::status::success, {}, reason_code::success};
    return {broker::auth_step::status::failure, {}, reason_code::not_authorized};
  }
};

options challenge_client(std::string id) {
  options o = named(std::move(id));
  o.properties.authentication_method = "CHALLENGE";
  o.properties.authentication_data = str_bytes("hello");
  o.reconnect.period_ms = 0;
  return o;
}

TEST(ClientWorldTest, EnhancedAuthenticationWithTheBroker) {
  client_world w;
  challenge_hooks hooks;
  w.broker().set_hooks(&hooks);
  const auto a = w.add(challenge_client("auth-ok"));
  ASSERT_EQ(w.at(a).all<auth_challenge_event>().size(), 1u);
  EXPECT_EQ(w.at(a).all<auth_challenge_event>()[0].properties.authentication_data, str_bytes("nonce"));
  EXPECT_EQ(w.client(a).state(), connection_state::connecting);
  ASSERT_EQ(w.client(a).auth(str_bytes("nonce+1"), w.now), client_error::ok);
  w.run();
  EXPECT_EQ(w.client(a).state(), connection_state::connected);
  ASSERT_EQ(w.client(a).reauthenticate(str_bytes("again"), w.now), client_error::ok);
  w.run();
  const auto steps = w.at(a).all<auth_challenge_event>();
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[1].reason, reason_code::success);
  EXPECT_EQ(w.client(a).state(), connection_state::connected);

  const auto b = w.add(challenge_client("auth-bad"));
  ASSERT_EQ(w.client(b).auth(str_bytes("wrong"), w.now), client_error::ok);
  w.run();
  const auto failed = w.at(b).all<connect_failed_event>();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].reason, reason_code::not_authorized);
}

}  // namespace
}  // namespace postcard::client_test
