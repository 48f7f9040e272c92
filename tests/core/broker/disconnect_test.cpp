// DISCONNECT in both directions.
#include "world.hpp"

namespace postcard::broker_test {
namespace {

TEST(Disconnect, MQTT_3_14_4_1_ClientDisconnectClosesTheConnection) {
  world w;
  const auto c = w.connect_v("c", protocol_version::v5);
  w.take(c);
  w.disconnect(c);
  EXPECT_EQ(w.pending(c), 0u);  // the server sends nothing back
  EXPECT_TRUE(w.is_closed(c));
  EXPECT_EQ(w.at(c).cause, disconnect_cause::client_disconnect);
  ASSERT_NE(w.last_event(event_kind::disconnected), nullptr);
  EXPECT_EQ(w.last_event(event_kind::disconnected)->cause, disconnect_cause::client_disconnect);
}

TEST(Disconnect, V311DisconnectClosesWithoutReply) {
  world w;
  const auto c = w.connect_v("c", protocol_version::v3_1_1);
  w.take(c);
  w.disconnect(c);
  EXPECT_EQ(w.pending(c), 0u);
  EXPECT_TRUE(w.is_closed(c));
}

TEST(Disconnect, NothingProcessedAfterDisconnectInTheSameChunk) {
  world w;
  const auto c = w.connect_v("c", protocol_version::v5);
  w.take(c);
  bytes b;
  encode(packet{disconnect_packet{}}, protocol_version::v5, b);
  encode(packet{pingreq_packet{}}, protocol_version::v5, b);
  w.write_raw(c, b);
  EXPECT_EQ(w.pending(c), 0u);  // no PINGRESP after DISCONNECT
}

TEST(Disconnect, AdminRedirectCarriesServerReference) {
  config cfg;
  cfg.server_reference = "backup.example:1883";
  world w(cfg);
  const auto c = w.connect_v("c", protocol_version::v5);
  w.take(c);
  w.broker().disconnect("c", reason_code::use_another_server, w.now);
  auto d = w.next<disconnect_packet>(c);
  EXPECT_EQ(d.reason, reason_code::use_another_server);
  EXPECT_EQ(d.props.server_reference, std::optional<std::string_view>("backup.example:1883"));
}

TEST(Disconnect, AdminDisconnectPublishesWill) {
  world w;
  const auto watcher = w.connect_v("watcher", protocol_version::v5);
  w.subscribe(watcher, "w");
  w.take(watcher);
  connect_options o;
  will_message wm;
  wm.topic = "w";
  wm.payload = as_bytes("bye");
  o.will = wm;
  w.connect("c", o);
  w.broker().disconnect("c", reason_code::administrative_action, w.now);
  EXPECT_EQ(text(w.next<publish_packet>(watcher).payload), "bye");
}

TEST(Disconnect, ClosedByHostIsNotAlsoClosedByEngine) {
  world w;
  const auto c = w.connect_v("c", protocol_version::v5);
  w.drop_transport(c);
  EXPECT_EQ(w.at(c).cause, disconnect_cause::network_closed);  // close() was not called back
  EXPECT_EQ(w.last_event(event_kind::disconnected)->cause, disconnect_cause::network_closed);
  w.write_raw(c, {0xC0, 0x00});  // bytes after closed() are ignored
  EXPECT_EQ(w.pending(c), 0u);
}

TEST(Disconnect, ServerDisconnectReasonsInEvents) {
  world w;
  connect_options o;
  o.keep_alive = 1;
  const auto c = w.connect("c", o);
  w.advance(1500);
  EXPECT_TRUE(w.is_closed(c));
  const recorded_event* e = w.last_event(event_kind::disconnected);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->cause, disconnect_cause::keepalive_timeout);
  EXPECT_EQ(e->reason, reason_code::keep_alive_timeout);
}

}  // namespace
}  // namespace postcard::broker_test
