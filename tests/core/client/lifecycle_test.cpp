// Keepalive, the reconnect cycle and its backoff policy, and disconnect().
#include "client_test_util.hpp"

namespace postcard::client_test {
namespace {

// [MQTT-3.1.2-20] (5.0) / [MQTT-3.1.2-23] (3.1.1): PINGREQ when nothing was sent for Keep Alive seconds.
TEST(ClientKeepalive, MQTT_3_1_2_20_PingreqWhenIdle) {
  options o = v311_options();
  o.keepalive = 10;
  harness h{o};
  h.connect(connack(), 0);
  EXPECT_EQ(h.c.next_deadline(), 10'000u);
  EXPECT_TRUE(h.tick(9'999).bytes.empty());
  EXPECT_EQ(h.tick(10'000).bytes, (bytes{0xC0, 0x00}));
  EXPECT_EQ(h.c.next_deadline(), 20'000u);  // PINGRESP due within one keepalive
  h.feed({0xD0, 0x00}, 10'050);              // PINGRESP
  EXPECT_EQ(h.c.next_deadline(), 20'000u);  // next PINGREQ: keepalive after the last packet sent
  EXPECT_FALSE(h.out.close);
}

TEST(ClientKeepalive, SendingPostponesThePing) {
  options o = v311_options();
  o.keepalive = 10;
  harness h{o};
  h.connect(connack(), 0);
  h.c.publish("t", {}, {}, 6'000);
  h.drain();
  EXPECT_EQ(h.c.next_deadline(), 16'000u);
  EXPECT_TRUE(h.tick(10'000).bytes.empty());

  o.reschedule_pings = false;
  harness fixed{o};
  fixed.connect(connack(), 0);
  fixed.c.publish("t", {}, {}, 6'000);
  fixed.drain();
  EXPECT_EQ(fixed.c.next_deadline(), 10'000u);
}

TEST(ClientKeepalive, NoPingrespClosesTheConnection) {
  options o = v5_options();
  o.keepalive = 10;
  o.ping_timeout_ms = 3'000;
  harness h{o};
  h.connect(connack(), 0);
  h.tick(10'000);
  EXPECT_EQ(h.c.next_deadline(), 13'000u);
  const output& out = h.tick(13'000);
  EXPECT_TRUE(out.bytes.empty());
  EXPECT_TRUE(out.close);
  EXPECT_TRUE(h.has<keepalive_timeout_event>());
  ASSERT_EQ(h.events<offline_event>().size(), 1u);
  EXPECT_EQ(h.events<offline_event>()[0].cause, close_cause::keepalive_timeout);
  EXPECT_EQ(h.events<offline_event>()[0].reconnect_at_ms, 14'000u);
}

// [MQTT-3.2.2-21] The server's Server Keep Alive replaces ours.
TEST(ClientKeepalive, MQTT_3_2_2_21_ServerKeepAliveIsUsed) {
  options o = v5_options();
  o.keepalive = 60;
  harness h{o};
  connack_packet a = connack();
  a.props.server_keep_alive = 5;
  h.connect(a, 0);
  EXPECT_EQ(h.c.negotiated().keepalive, 5);
  EXPECT_EQ(h.c.next_deadline(), 5'000u);
  EXPECT_EQ(h.tick(5'000).bytes, (bytes{0xC0, 0x00}));
}

TEST(ClientKeepalive, ZeroKeepaliveSchedulesNothing) {
  options o = v311_options();
  o.keepalive = 0;
  harness h{o};
  h.connect(connack(), 0);
  EXPECT_FALSE(h.c.next_deadline().has_value());
  EXPECT_TRUE(h.tick(1'000'000).bytes.empty());
}

TEST(ClientReconnect, LossSchedulesReconnectDue) {
  options o = v311_options();
  o.reconnect.period_ms = 2'000;
  harness h{o};
  h.connect(connack(), 0);
  h.c.connection_closed(100);
  h.drain();
  ASSERT_EQ(h.events<offline_event>().size(), 1u);
  EXPECT_EQ(h.events<offline_event>()[0].cause, close_cause::transport_closed);
  EXPECT_EQ(h.c.next_deadline(), 2'100u);
  EXPECT_TRUE(h.tick(2'099).events.empty());
  h.tick(2'100);
  ASSERT_EQ(h.events<reconnect_due_event>().size(), 1u);
  EXPECT_EQ(h.events<reconnect_due_event>()[0].attempt, 1u);
  EXPECT_FALSE(h.c.next_deadline().has_value());  // waiting for the host's transport
  // The transport fails to open: the next attempt is scheduled.
  h.c.connection_closed(2'200);
  h.drain();
  EXPECT_EQ(h.c.next_deadline(), 4'200u);
  h.tick(4'200);
  EXPECT_EQ(h.events<reconnect_due_event>()[0].attempt, 2u);
  h.connect(connack(), 4'300);
  EXPECT_EQ(h.c.reconnect_attempt(), 0u);  // reset by a successful CONNACK
  h.c.connection_closed(4'400);  // a second close report for the same loss is harmless
  h.c.connection_closed(4'400);
  h.drain();
  EXPECT_EQ(h.events<offline_event>().size(), 1u);
}

TEST(ClientReconnect, DisabledReconnectSchedulesNothing) {
  options o = v311_options();
  o.reconnect.period_ms = 0;
  harness h{o};
  h.connect(connack(), 0);
  h.c.connection_closed(100);
  h.drain();
  EXPECT_FALSE(h.events<offline_event>()[0].reconnect_at_ms.has_value());
  EXPECT_FALSE(h.c.next_deadline().has_value());
}

TEST(ClientBackoff, FixedPeriodIsMqttJsBehaviour) {
  reconnect_options r;
  r.period_ms = 1000;
  for (std::uint32_t a = 1; a < 50; ++a) EXPECT_EQ(reconnect_delay(r, a), 1000u);
  r.period_ms = 0;
  EXPECT_FALSE(reconnect_delay(r, 1).has_value());
}

TEST(ClientBackoff, ExponentialCappedAndLimited) {
  reconnect_options r;
  r.period_ms = 500;
  r.multiplier_percent = 200;
  r.max_period_ms = 5000;
  r.max_attempts = 6;
  EXPECT_EQ(reconnect_delay(r, 1), 500u);
  EXPECT_EQ(reconnect_delay(r, 2), 1000u);
  EXPECT_EQ(reconnect_delay(r, 3), 2000u);
  EXPECT_EQ(reconnect_delay(r, 4), 4000u);
  EXPECT_EQ(reconnect_delay(r, 5), 5000u);
  EXPECT_EQ(reconnect_delay(r, 6), 5000u);
  EXPECT_FALSE(reconnect_delay(r, 7).has_value());
  EXPECT_FALSE(reconnect_delay(r, 0).has_value());
}

TEST(ClientBackoff, JitterIsSeededAndBounded) {
  reconnect_options r;
  r.period_ms = 10'000;
  r.jitter_percent = 50;
  r.jitter_seed = 7;
  std::vector<std::uint64_t> first;
  for (std::uint32_t a = 1; a <= 20; ++a) {
    const auto d = reconnect_delay(r, a);
    ASSERT_TRUE(d.has_value());
    EXPECT_GE(*d, 5'000u);
    EXPECT_LE(*d, 10'000u);
    first.push_back(*d);
  }
  EXPECT_NE(std::count(first.begin(), first.end(), first[0]), 20);  // it does vary
  for (std::uint32_t a = 1; a <= 20; ++a) EXPECT_EQ(reconnect_delay(r, a), first[a - 1]);  // pure
  r.jitter_seed = 8;
  std::size_t same = 0;
  for (std::uint32_t a = 1; a <= 20; ++a) same += reconnect_delay(r, a) == first[a - 1] ? 1u : 0u;
  EXPECT_LT(same, 20u);
}

TEST(ClientReconnect, EngineUsesTheBackoffPolicy) {
  options o = v311_options();
  o.reconnect.period_ms = 100;
  o.reconnect.multiplier_percent = 300;
  harness h{o};
  h.c.connection_closed(0);  // the first transport never opened
  h.drain();
  EXPECT_EQ(h.c.next_deadline(), 100u);
  h.tick(100);
  h.c.connection_closed(150);
  h.drain();
  EXPECT_EQ(h.c.next_deadline(), 450u);
}

TEST(ClientDisconnect, SendsDisconnectClosesAndEnds) {
  options o = v5_options();
  o.properties.session_expiry_interval = 0;
  harness h{o};
  h.connect(connack(), 0);
  property_set bad;
  bad.session_expiry_interval = 30;
  EXPECT_EQ(h.c.disconnect(reason_code::normal_disconnection, bad, 1), client_error::invalid_argument);  // spec 3.14.2.2.2
  EXPECT_EQ(h.c.disconnect(reason_code::disconnect_with_will_message, {}, 1), client_error::ok);
  const output& out = h.drain();
  EXPECT_EQ(out.bytes, (bytes{0xE0, 0x01, 0x04}));
  EXPECT_TRUE(out.close);
  EXPECT_EQ(h.events<offline_event>()[0].cause, close_cause::client_disconnect);
  EXPECT_FALSE(h.events<offline_event>()[0].reconnect_at_ms.has_value());
  EXPECT_EQ(h.c.state(), connection_state::ended);
  EXPECT_FALSE(h.c.next_deadline().has_value());
  EXPECT_EQ(h.c.publish("t", {}, {}, 2).error, client_error::ended);
  EXPECT_EQ(h.c.disconnect(reason_code::normal_disconnection, {}, 2), client_error::ended);
  h.c.connection_opened(3);
  EXPECT_TRUE(h.drain().bytes.empty());
}

TEST(ClientDisconnect, V311DisconnectBytesAndOfflineEnd) {
  harness h{v311_options()};
  h.connect(connack(), 0);
  h.c.disconnect(reason_code::normal_disconnection, {}, 1);
  EXPECT_EQ(h.drain().bytes, (bytes{0xE0, 0x00}));

  harness off{v311_options()};
  EXPECT_EQ(off.c.disconnect(reason_code::normal_disconnection, {}, 1), client_error::ok);
  EXPECT_TRUE(off.drain().bytes.empty());
  EXPECT_FALSE(off.out.close);
  EXPECT_EQ(off.c.state(), connection_state::ended);
}

}  // namespace
}  // namespace postcard::client_test
