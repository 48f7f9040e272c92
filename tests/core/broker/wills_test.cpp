// Will messages.
#include "world.hpp"

namespace postcard::broker_test {
namespace {

connect_options with_will(std::string_view topic, std::string_view payload, std::uint32_t delay = 0,
                          std::uint32_t expiry = 0, bool retain = false) {
  connect_options o;
  will_message wm;
  wm.topic = topic;
  wm.payload = as_bytes(payload);
  wm.qos_level = qos::at_least_once;
  wm.retain = retain;
  if (delay != 0) wm.props.will_delay_interval = delay;
  wm.props.content_type = "text/plain";
  o.will = wm;
  o.clean_start = expiry == 0;
  if (expiry != 0) o.props.session_expiry_interval = expiry;
  o.keep_alive = 10;
  return o;
}

struct will_world : world {
  connection_id watcher;
  will_world() {
    watcher = connect_v("watcher", protocol_version::v5);
    subscribe(watcher, "will/#", 1);
    take(watcher);
  }
};

TEST(Wills, MQTT_3_1_2_8_PublishedOnNetworkClose) {
  will_world w;
  const auto c = w.connect("dev", with_will("will/dev", "gone"));
  w.drop_transport(c);
  auto m = w.next<publish_packet>(w.watcher);
  EXPECT_EQ(m.topic, "will/dev");
  EXPECT_EQ(text(m.payload), "gone");
  EXPECT_EQ(m.props.content_type, std::optional<std::string_view>("text/plain"));  // [MQTT-3.1.3-10]
  EXPECT_EQ(w.count_events(event_kind::will_published), 1u);
}

TEST(Wills, MQTT_3_1_2_10_NotPublishedOnNormalDisconnect) {
  will_world w;
  const auto c = w.connect("dev", with_will("will/dev", "gone"));
  w.disconnect(c);
  EXPECT_EQ(w.pending(w.watcher), 0u);
}

TEST(Wills, PublishedOnDisconnectWithWillMessage0x04) {
  will_world w;
  const auto c = w.connect("dev", with_will("will/dev", "gone"));
  w.disconnect(c, reason_code::disconnect_with_will_message);
  EXPECT_EQ(text(w.next<publish_packet>(w.watcher).payload), "gone");
}

TEST(Wills, PublishedOnKeepAliveTimeout) {
  will_world w;
  w.connect("dev", with_will("will/dev", "gone"));
  w.advance(15'000);
  EXPECT_EQ(text(w.next<publish_packet>(w.watcher).payload), "gone");
}

TEST(Wills, PublishedOnProtocolError) {
  will_world w;
  const auto c = w.connect("dev", with_will("will/dev", "gone"));
  w.write(c, packet{connack_packet{}});  // a client must not send CONNACK
  EXPECT_TRUE(w.is_closed(c));
  EXPECT_EQ(text(w.next<publish_packet>(w.watcher).payload), "gone");
}

TEST(Wills, PublishedOnTakeover) {
  will_world w;
  w.connect("dev", with_will("will/dev", "gone"));
  w.connect_v("dev", protocol_version::v5);
  EXPECT_EQ(text(w.next<publish_packet>(w.watcher).payload), "gone");
}

TEST(Wills, MQTT_3_1_3_9_DelayedAndCancelledWhenSessionResumes) {
  will_world w;
  const auto c = w.connect("dev", with_will("will/dev", "gone", 30, 100));
  w.drop_transport(c);
  w.advance(20'000);
  EXPECT_EQ(w.pending(w.watcher), 0u);
  connect_options o;
  o.clean_start = false;
  o.props.session_expiry_interval = 100;
  w.connect("dev", o);
  w.advance(60'000);
  EXPECT_EQ(w.pending(w.watcher), 0u);
}

TEST(Wills, DelayedWillPublishedAfterDelay) {
  will_world w;
  const auto c = w.connect("dev", with_will("will/dev", "gone", 30, 100));
  w.drop_transport(c);
  w.advance(29'999);
  EXPECT_EQ(w.pending(w.watcher), 0u);
  w.advance(1);
  EXPECT_EQ(w.pending(w.watcher), 1u);
}

TEST(Wills, PublishedWhenSessionEndsBeforeDelay) {
  will_world w;
  const auto c = w.connect("dev", with_will("will/dev", "gone", 60, 10));
  w.drop_transport(c);
  w.advance(10'000);
  EXPECT_EQ(w.pending(w.watcher), 1u);
}

TEST(Wills, WillRetain) {
  world w;
  const auto c = w.connect("dev", with_will("will/dev", "gone", 0, 0, true));
  w.drop_transport(c);
  EXPECT_EQ(w.broker().retained().size(), 1u);
  const auto s = w.connect_v("late", protocol_version::v5);
  w.subscribe(s, "will/#", 1);
  w.next<suback_packet>(s);
  auto m = w.next<publish_packet>(s);
  EXPECT_TRUE(m.retain);
  EXPECT_EQ(text(m.payload), "gone");
}

TEST(Wills, V311WillPublishedOnClose) {
  will_world w;
  connect_options o = with_will("will/old", "bye");
  o.version = protocol_version::v3_1_1;
  o.will->props = {};
  const auto c = w.connect("old", o);
  w.drop_transport(c);
  EXPECT_EQ(text(w.next<publish_packet>(w.watcher).payload), "bye");
}

TEST(Wills, MQTT_3_2_2_12_WillQoSAboveMaximumRefused) {
  config cfg;
  cfg.max_qos = 0;
  world w(cfg);
  connack_packet a;
  const auto c = w.connect("dev", with_will("will/dev", "gone"), &a);
  EXPECT_EQ(a.reason, reason_code::qos_not_supported);
  EXPECT_TRUE(w.is_closed(c));
}

}  // namespace
}  // namespace postcard::broker_test
