// CONNECT / CONNACK scenarios.
#include "world.hpp"

namespace postcard::broker_test {
namespace {

TEST(Connect, AcceptsV5AndAnnouncesLimits) {
  config cfg;
  cfg.max_qos = 1;
  cfg.retain_available = false;
  cfg.max_packet_size = 1000;
  world w(cfg);
  connack_packet a;
  w.connect("c1", {}, &a);
  EXPECT_EQ(a.reason, reason_code::success);
  EXPECT_FALSE(a.session_present);
  EXPECT_EQ(a.props.receive_maximum, std::optional<std::uint16_t>(20));
  EXPECT_EQ(a.props.maximum_qos, std::optional<std::uint8_t>(1));
  EXPECT_EQ(a.props.retain_available, std::optional<std::uint8_t>(0));
  EXPECT_EQ(a.props.maximum_packet_size, std::optional<std::uint32_t>(1000));
  EXPECT_EQ(a.props.topic_alias_maximum, std::optional<std::uint16_t>(10));
  EXPECT_FALSE(a.props.assigned_client_identifier);
  EXPECT_EQ(w.count_events(event_kind::connected), 1u);
}

TEST(Connect, AcceptsV311AndV31) {
  world w;
  const auto c4 = w.connect_v("a", protocol_version::v3_1_1);
  const auto c3 = w.connect_v("b", protocol_version::v3_1);
  EXPECT_FALSE(w.is_closed(c4));
  EXPECT_FALSE(w.is_closed(c3));
  EXPECT_EQ(w.broker().sessions().size(), 2u);
}

TEST(Connect, MQTT_3_1_0_1_FirstPacketMustBeConnect) {
  world w;
  const auto c = w.open();
  w.write(c, packet{pingreq_packet{}});
  EXPECT_TRUE(w.is_closed(c));
  EXPECT_EQ(w.pending(c), 0u);  // no CONNACK
}

TEST(Connect, MQTT_3_1_0_2_SecondConnectIsProtocolError) {
  world w;
  const auto c = w.connect_v("c1", protocol_version::v5);
  connect_packet p;
  p.client_id = "c1";
  w.write(c, packet{p});
  auto d = w.next<disconnect_packet>(c);
  EXPECT_EQ(d.reason, reason_code::protocol_error);
  EXPECT_TRUE(w.is_closed(c));
}

TEST(Connect, MQTT_3_1_0_2_SecondConnectClosesV311) {
  world w;
  const auto c = w.connect_v("c1", protocol_version::v3_1_1);
  connect_packet p;
  p.version = protocol_version::v3_1_1;
  p.client_id = "c1";
  w.write(c, packet{p});
  EXPECT_EQ(w.pending(c), 0u);
  EXPECT_TRUE(w.is_closed(c));
}

TEST(Connect, MQTT_3_1_2_2_UnsupportedProtocolLevel) {
  world w;
  const auto c = w.open(protocol_version::v3_1_1);
  // CONNECT, protocol name "MQTT", level 6
  w.write_raw(c, {0x10, 0x0D, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x06, 0x02, 0x00, 0x3C, 0x00, 0x01, 'x'});
  auto a = w.next<connack_packet>(c);
  EXPECT_EQ(static_cast<int>(a.reason), 1);  // unacceptable protocol version
  EXPECT_TRUE(w.is_closed(c));
}

TEST(Connect, MQTT_3_1_3_6_AssignsClientIdentifierV5) {
  world w;
  connack_packet a;
  w.connect("", {}, &a);
  EXPECT_EQ(a.reason, reason_code::success);
  ASSERT_TRUE(a.props.assigned_client_identifier);
  EXPECT_FALSE(a.props.assigned_client_identifier->empty());
  EXPECT_EQ(w.broker().sessions().at(0).client_id, std::string(*a.props.assigned_client_identifier));
}

TEST(Connect, MQTT_3_1_3_7_EmptyIdV311WithCleanSessionAccepted) {
  world w;
  connect_options o;
  o.version = protocol_version::v3_1_1;
  connack_packet a;
  w.connect("", o, &a);
  EXPECT_EQ(static_cast<int>(a.reason), 0);
}

TEST(Connect, MQTT_3_1_3_8_EmptyIdV311WithoutCleanSessionRejected) {
  world w;
  connect_options o;
  o.version = protocol_version::v3_1_1;
  o.clean_start = false;
  connack_packet a;
  const auto c = w.connect("", o, &a);
  EXPECT_EQ(static_cast<int>(a.reason), 2);  // identifier rejected
  EXPECT_TRUE(w.is_closed(c));
}

TEST(Connect, EmptyIdRefusedWhenConfigured) {
  config cfg;
  cfg.allow_zero_length_clientid = false;
  world w(cfg);
  connack_packet a;
  const auto c = w.connect("", {}, &a);
  EXPECT_EQ(a.reason, reason_code::client_identifier_not_valid);
  ASSERT_TRUE(a.props.reason_string);
  EXPECT_FALSE(a.props.reason_string->empty());
  EXPECT_TRUE(w.is_closed(c));
}

TEST(Connect, MQTT_3_1_4_3_TakeoverClosesOldConnectionWith0x8E) {
  world w;
  const auto old_c = w.connect_v("dup", protocol_version::v5);
  const auto new_c = w.connect_v("dup", protocol_version::v5);
  auto d = w.next<disconnect_packet>(old_c);
  EXPECT_EQ(d.reason, reason_code::session_taken_over);
  EXPECT_TRUE(w.is_closed(old_c));
  EXPECT_FALSE(w.is_closed(new_c));
  EXPECT_EQ(w.at(old_c).cause, disconnect_cause::taken_over);
}

TEST(Connect, ServerKeepAliveWhenClientAsksMore) {
  config cfg;
  cfg.max_keepalive = 30;
  world w(cfg);
  connect_options o;
  o.keep_alive = 600;
  connack_packet a;
  w.connect("k", o, &a);
  EXPECT_EQ(a.props.server_keep_alive, std::optional<std::uint16_t>(30));
}

TEST(Connect, MQTT_3_1_2_24_KeepAliveTimeoutAfterOneAndAHalfTimes) {
  world w;
  connect_options o;
  o.keep_alive = 10;
  const auto c = w.connect("k", o);
  w.take(c);
  w.advance(14'999);
  EXPECT_FALSE(w.is_closed(c));
  w.advance(1);
  auto d = w.next<disconnect_packet>(c);
  EXPECT_EQ(d.reason, reason_code::keep_alive_timeout);
  EXPECT_TRUE(w.is_closed(c));
}

TEST(Connect, KeepAliveResetByAnyPacket) {
  world w;
  connect_options o;
  o.keep_alive = 10;
  const auto c = w.connect("k", o);
  w.take(c);
  w.advance(10'000);
  w.write(c, packet{pingreq_packet{}});
  w.next<pingresp_packet>(c);
  w.advance(10'000);
  EXPECT_FALSE(w.is_closed(c));
  w.advance(5'001);
  EXPECT_TRUE(w.is_closed(c));
}

TEST(Connect, ConnectTimeoutClosesSilentConnection) {
  config cfg;
  cfg.connect_timeout_ms = 5000;
  world w(cfg);
  const auto c = w.open();
  w.advance(4999);
  EXPECT_FALSE(w.is_closed(c));
  w.advance(1);
  EXPECT_TRUE(w.is_closed(c));
  EXPECT_EQ(w.at(c).cause, disconnect_cause::connect_timeout);
}

TEST(Connect, MaxConnectionsRefusedWithQuotaExceeded) {
  config cfg;
  cfg.max_connections = 1;
  world w(cfg);
  w.connect_v("a", protocol_version::v5);
  connack_packet a;
  const auto c = w.connect("b", {}, &a);
  EXPECT_EQ(a.reason, reason_code::quota_exceeded);
  EXPECT_TRUE(w.is_closed(c));
}

TEST(Connect, RedirectSendsServerReference) {
  config cfg;
  cfg.redirect = redirect_mode::server_moved;
  cfg.server_reference = "other.example:1883";
  world w(cfg);
  connack_packet a;
  const auto c = w.connect("a", {}, &a);
  EXPECT_EQ(a.reason, reason_code::server_moved);
  EXPECT_EQ(a.props.server_reference, std::optional<std::string_view>("other.example:1883"));
  EXPECT_TRUE(w.is_closed(c));
}

class password_hooks : public hooks {
 public:
  reason_code authenticate(const auth_request& r) override {
    if (r.username && *r.username == "alice" && r.password && text(*r.password) == "secret") return reason_code::success;
    return reason_code::bad_user_name_or_password;
  }
};

TEST(Connect, UsernamePasswordCheckedByHook) {
  password_hooks h;
  world w({}, &h);
  connect_options good;
  good.username = "alice";
  const std::string pw = "secret";
  good.password = as_bytes(pw);
  connack_packet a;
  w.connect("ok", good, &a);
  EXPECT_EQ(a.reason, reason_code::success);
  connect_options bad = good;
  const std::string wrong = "nope";
  bad.password = as_bytes(wrong);
  const auto c = w.connect("bad", bad, &a);
  EXPECT_EQ(a.reason, reason_code::bad_user_name_or_password);
  EXPECT_TRUE(w.is_closed(c));
  bad.version = protocol_version::v3_1_1;
  const auto c3 = w.connect("bad3", bad, &a);
  EXPECT_EQ(static_cast<int>(a.reason), 4);  // 3.1.1 return code: bad user name or password
  EXPECT_TRUE(w.is_closed(c3));
}

TEST(Connect, MQTT_3_2_2_6_RefusedConnackHasNoSessionPresent) {
  password_hooks h;
  world w({}, &h);
  connect_options o;
  o.clean_start = false;
  connack_packet a;
  w.connect("x", o, &a);
  EXPECT_FALSE(a.session_present);
  EXPECT_NE(a.reason, reason_code::success);
}

}  // namespace
}  // namespace postcard::broker_test
