// Backpressure: engine::congested() from the host. While a connection is congested QoS 0 is dropped and
// counted, QoS 1/2 waits in the session queue up to its limits (then is dropped and counted), control
// packets still flow; draining sends the queue in order within the inflight window.
#include "world.hpp"

namespace postcard::broker_test {
namespace {

struct congested_world {
  config cfg = [] {
    config c;
    c.max_inflight_messages = 2;
    c.max_queued_messages = 3;
    return c;
  }();
  world w{cfg};
  connection_id slow = 0, fast = 0, pub = 0;

  congested_world() {
    slow = w.connect("slow");
    w.subscribe(slow, "q0", 0, 1);
    w.subscribe(slow, "q1", 1, 2);
    fast = w.connect("fast");
    w.subscribe(fast, "q0", 0, 1);
    w.subscribe(fast, "q1", 1, 2);
    pub = w.connect_v("pub", protocol_version::v3_1_1);
    w.take(slow);
    w.take(fast);
  }
  // Publishes at QoS 1 and lets `fast` acknowledge at once, as a healthy subscriber does.
  void publish(std::string_view topic, std::string_view payload, std::uint8_t q, std::uint16_t id) {
    w.publish(pub, topic, payload, q, false, id);
    w.take(pub);
    for (auto& r : w.take(fast)) {
      fast_got.emplace_back(text(r.as<publish_packet>()->payload));
      if (r.as<publish_packet>()->qos_level != qos::at_most_once) {
        w.ack(fast, packet_type::puback, r.as<publish_packet>()->packet_id);
      }
    }
  }
  std::vector<std::string> payloads(connection_id c) {
    std::vector<std::string> out;
    for (auto& r : w.take(c)) {
      if (auto* p = r.as<publish_packet>()) out.emplace_back(text(p->payload));
    }
    return out;
  }
  std::vector<std::string> fast_got;
};

using strings = std::vector<std::string>;

TEST(Backpressure, CongestedSubscriberLosesQoS0CountedOthersUnaffected) {
  congested_world t;
  auto& w = t.w;
  const auto dropped_before = w.broker().stats(w.now).publish_dropped;
  w.broker().congested(t.slow, true, w.now);
  for (std::string_view x : {"x1", "x2", "x3"}) t.publish("q0", x, 0, 0);
  EXPECT_EQ(w.pending(t.slow), 0u);
  EXPECT_EQ(t.fast_got, (strings{"x1", "x2", "x3"}));
  EXPECT_EQ(w.broker().stats(w.now).publish_dropped, dropped_before + 3);
  std::size_t congested_drops = 0;
  for (const auto& e : w.events) {
    if (e.kind == event_kind::message_dropped && e.drop == drop_reason::congested) {
      ++congested_drops;
      EXPECT_EQ(e.client_id, "slow");
      EXPECT_EQ(e.topic, "q0");
    }
  }
  EXPECT_EQ(congested_drops, 3u);
  // Draining does not bring dropped QoS 0 back
  w.broker().congested(t.slow, false, w.now);
  EXPECT_EQ(w.pending(t.slow), 0u);
  t.publish("q0", "after", 0, 0);
  EXPECT_EQ(t.payloads(t.slow), (strings{"after"}));
}

TEST(Backpressure, CongestedQoS1QueuedToTheLimitThenDroppedDrainResumesInOrder) {
  congested_world t;
  auto& w = t.w;
  t.publish("q1", "a", 1, 1);  // in flight before the congestion: one window slot stays free
  EXPECT_EQ(t.payloads(t.slow), (strings{"a"}));
  const auto dropped_before = w.broker().stats(w.now).publish_dropped;
  w.broker().congested(t.slow, true, w.now);
  for (std::uint16_t i = 1; i <= 5; ++i) t.publish("q1", std::to_string(i), 1, static_cast<std::uint16_t>(i + 1));
  EXPECT_EQ(w.pending(t.slow), 0u);  // nothing written although the window has room
  EXPECT_EQ(t.fast_got, (strings{"a", "1", "2", "3", "4", "5"}));
  // max_queued_messages = 3: messages 4 and 5 are dropped and counted
  EXPECT_EQ(w.broker().stats(w.now).publish_dropped, dropped_before + 2);
  EXPECT_EQ(w.last_event(event_kind::message_dropped)->drop, drop_reason::queue_full);
  EXPECT_EQ(w.broker().sessions().size(), 3u);
  for (const auto& s : w.broker().sessions()) {
    if (s.client_id == "slow") {
      EXPECT_EQ(s.queued, 3u);
      EXPECT_EQ(s.inflight, 1u);
    }
  }
  // Control packets still flow while congested
  w.write(t.slow, packet{pingreq_packet{}});
  auto got = w.take(t.slow);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_NE(got[0].as<pingresp_packet>(), nullptr);
  // Drained: the queue goes out in order, within the inflight window (2, one slot held by "a")
  w.broker().congested(t.slow, false, w.now);
  auto m1 = w.next<publish_packet>(t.slow);
  EXPECT_EQ(text(m1.payload), "1");
  EXPECT_EQ(w.pending(t.slow), 0u);
  w.ack(t.slow, packet_type::puback, 1);  // "a"
  auto m2 = w.next<publish_packet>(t.slow);
  EXPECT_EQ(text(m2.payload), "2");
  w.ack(t.slow, packet_type::puback, m1.packet_id);
  EXPECT_EQ(text(w.next<publish_packet>(t.slow).payload), "3");
  w.ack(t.slow, packet_type::puback, m2.packet_id);
  EXPECT_EQ(w.pending(t.slow), 0u);  // 4 and 5 were dropped
}

TEST(Backpressure, AcksWhileCongestedDoNotPumpTheQueue) {
  congested_world t;
  auto& w = t.w;
  t.publish("q1", "a", 1, 1);
  t.publish("q1", "b", 1, 2);
  EXPECT_EQ(t.payloads(t.slow), (strings{"a", "b"}));
  w.broker().congested(t.slow, true, w.now);
  t.publish("q1", "c", 1, 3);
  w.ack(t.slow, packet_type::puback, 1);  // a window slot opens, but the transport is congested
  EXPECT_EQ(w.pending(t.slow), 0u);
  w.broker().congested(t.slow, false, w.now);
  EXPECT_EQ(t.payloads(t.slow), (strings{"c"}));
}

TEST(Backpressure, CongestedQoS2QueuedAndDrained) {
  congested_world t;
  auto& w = t.w;
  w.subscribe(t.slow, "q2", 2, 3);
  w.take(t.slow);
  w.broker().congested(t.slow, true, w.now);
  w.publish(t.pub, "q2", "z", 2, false, 7);
  EXPECT_EQ(w.pending(t.slow), 0u);
  w.broker().congested(t.slow, false, w.now);
  auto m = w.next<publish_packet>(t.slow);
  EXPECT_EQ(text(m.payload), "z");
  EXPECT_EQ(m.qos_level, qos::exactly_once);
}

TEST(Backpressure, DrainWithEmptyQueueSendsNothingAndUnknownConnectionIsIgnored) {
  congested_world t;
  auto& w = t.w;
  const auto sends = w.send_log.size();
  w.broker().congested(t.slow, true, w.now);
  w.broker().congested(t.slow, false, w.now);
  w.broker().congested(9999, true, w.now);
  EXPECT_EQ(w.send_log.size(), sends);
  t.publish("q1", "direct", 1, 1);
  EXPECT_EQ(t.payloads(t.slow), (strings{"direct"}));
}

TEST(Backpressure, CongestionEndsWithTheConnectionNotTheSession) {
  congested_world t;
  auto& w = t.w;
  w.broker().congested(t.slow, true, w.now);
  w.drop_transport(t.slow);
  connect_options o;
  o.clean_start = false;
  // "slow" was a clean session: reconnecting gives a fresh, uncongested connection
  const auto again = w.connect("slow", o);
  w.subscribe(again, "q0", 0, 1);
  w.take(again);
  t.publish("q0", "fresh", 0, 0);
  EXPECT_EQ(t.payloads(again), (strings{"fresh"}));
}

}  // namespace
}  // namespace postcard::broker_test
