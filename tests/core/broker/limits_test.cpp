// Configurable limits and their refusals.
#include "world.hpp"

namespace postcard::broker_test {
namespace {

TEST(Limits, MaxConnectionsV311GetsServerUnavailable) {
  config cfg;
  cfg.max_connections = 1;
  world w(cfg);
  w.connect_v("a", protocol_version::v3_1_1);
  connect_options o;
  o.version = protocol_version::v3_1_1;
  connack_packet a;
  const auto c = w.connect("b", o, &a);
  EXPECT_EQ(static_cast<int>(a.reason), 3);  // server unavailable
  EXPECT_TRUE(w.is_closed(c));
}

TEST(Limits, ConnectionSlotFreedOnDisconnect) {
  config cfg;
  cfg.max_connections = 1;
  world w(cfg);
  const auto a = w.connect_v("a", protocol_version::v5);
  w.disconnect(a);
  connack_packet ack;
  w.connect("b", {}, &ack);
  EXPECT_EQ(ack.reason, reason_code::success);
}

TEST(Limits, MaxKeepaliveV311RefusedLikeMosquitto) {
  config cfg;
  cfg.max_keepalive = 60;
  world w(cfg);
  connect_options o;
  o.version = protocol_version::v3_1_1;
  o.keep_alive = 120;
  connack_packet a;
  const auto c = w.connect("k", o, &a);
  EXPECT_EQ(static_cast<int>(a.reason), 2);
  EXPECT_TRUE(w.is_closed(c));
}

TEST(Limits, ServerKeepAliveEnforced) {
  config cfg;
  cfg.max_keepalive = 10;
  world w(cfg);
  connect_options o;
  o.keep_alive = 1000;
  connack_packet a;
  const auto c = w.connect("k", o, &a);
  EXPECT_EQ(a.props.server_keep_alive, std::optional<std::uint16_t>(10));
  w.advance(15'000);
  EXPECT_TRUE(w.is_closed(c));  // 1.5 x the server's keep alive, not the client's
}

TEST(Limits, MaxPacketSizeAnnouncedAndEnforcedBeforeBuffering) {
  config cfg;
  cfg.max_packet_size = 128;
  world w(cfg);
  connack_packet a;
  const auto c = w.connect("c", {}, &a);
  EXPECT_EQ(a.props.maximum_packet_size, std::optional<std::uint32_t>(128));
  // Only the fixed header of a 1 MB PUBLISH: refused before its body arrives
  w.write_raw(c, {0x30, 0x80, 0x80, 0x40});
  EXPECT_EQ(w.next<disconnect_packet>(c).reason, reason_code::packet_too_large);
  EXPECT_TRUE(w.is_closed(c));
}

TEST(Limits, SessionExpiryClampedAndAnnounced) {
  config cfg;
  cfg.max_session_expiry_interval = 60;
  world w(cfg);
  connect_options o;
  o.clean_start = false;
  o.props.session_expiry_interval = 3600;
  connack_packet a;
  const auto c = w.connect("s", o, &a);
  EXPECT_EQ(a.props.session_expiry_interval, std::optional<std::uint32_t>(60));
  w.drop_transport(c);
  w.advance(60'000);
  EXPECT_EQ(w.broker().sessions().size(), 0u);
}

TEST(Limits, PersistentClientExpirationForV311) {
  config cfg;
  cfg.persistent_client_expiration = 30;
  world w(cfg);
  const auto c = w.connect_v("old", protocol_version::v3_1_1, false);
  w.drop_transport(c);
  w.advance(29'000);
  EXPECT_EQ(w.broker().sessions().size(), 1u);
  w.advance(1'000);
  EXPECT_EQ(w.broker().sessions().size(), 0u);
}

TEST(Limits, QueueQoS0ForOfflineSessionsWhenConfigured) {
  config cfg;
  cfg.queue_qos0_messages = true;
  world w(cfg);
  connect_options o;
  o.clean_start = false;
  o.props.session_expiry_interval = 100;
  const auto c = w.connect("s", o);
  w.subscribe(c, "t");
  w.disconnect(c);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "zero");
  const auto c2 = w.connect("s", o);
  w.next<connack_packet>(c2);
  auto m = w.next<publish_packet>(c2);
  EXPECT_EQ(text(m.payload), "zero");
  EXPECT_EQ(m.qos_level, qos::at_most_once);
}

class retain_source_hooks : public hooks {
 public:
  bool allow = true;
  reason_code authorize_publish(const client_info& c, std::string_view, std::uint8_t, bool) override {
    return allow || c.client_id != "p" ? reason_code::success : reason_code::not_authorized;
  }
};

TEST(Limits, CheckRetainSourceRechecksPublisher) {
  retain_source_hooks h;
  config cfg;
  cfg.check_retain_source = true;
  world w(cfg, &h);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "r", "x", 0, true);
  h.allow = false;
  const auto s = w.connect_v("s", protocol_version::v5);
  w.subscribe(s, "r");
  w.next<suback_packet>(s);
  EXPECT_EQ(w.pending(s), 0u);
  h.allow = true;
  w.subscribe(s, "r", 0, 2);
  w.next<suback_packet>(s);
  EXPECT_EQ(w.pending(s), 1u);
}

TEST(Limits, ResumedInflightTooLargeForNewMaximumIsDropped) {
  world w;
  connect_options o;
  o.clean_start = false;
  o.props.session_expiry_interval = 100;
  const auto c = w.connect("s", o);
  w.subscribe(c, "t", 1);
  w.take(c);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", std::string(200, 'x'), 1);
  w.next<publish_packet>(c);
  w.drop_transport(c);
  o.props.maximum_packet_size = 100;
  const auto c2 = w.connect("s", o);
  w.next<connack_packet>(c2);
  EXPECT_EQ(w.pending(c2), 0u);
  EXPECT_EQ(w.broker().sessions().at(1).inflight, 0u);
}

}  // namespace
}  // namespace postcard::broker_test
