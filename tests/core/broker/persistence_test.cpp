// Durable state: save / restore and durable-change records.
#include "world.hpp"

namespace postcard::broker_test {
namespace {

connect_options persistent(std::uint32_t expiry = 1000) {
  connect_options o;
  o.clean_start = false;
  o.props.session_expiry_interval = expiry;
  return o;
}

TEST(Persistence, SaveCapturesRetainedSessionsQueuedAndInflight) {
  world w;
  const auto s = w.connect("s", persistent());
  subscribe_topic opts;
  opts.no_local = true;
  w.subscribe(s, "t/#", 2, 1, opts, 7);
  w.take(s);
  const auto p = w.connect("p", persistent());
  w.publish(p, "t/a", "inflight", 1, false, 1);
  w.publish(p, "t/b", "pending-rel", 2, false, 2);  // p's incoming QoS 2, no PUBREL yet
  w.publish(p, "keep", "retained", 0, true);
  w.drop_transport(s);
  w.publish(p, "t/c", "queued", 1, false, 3);
  const durable_state st = w.broker().save(w.now);
  ASSERT_EQ(st.retained.size(), 1u);
  EXPECT_EQ(st.retained[0].topic, "keep");
  ASSERT_EQ(st.sessions.size(), 2u);
  const session_data& ps = st.sessions[0];
  EXPECT_EQ(ps.client_id, "p");
  EXPECT_EQ(ps.incoming_qos2, std::vector<std::uint16_t>{2});
  const session_data& ss = st.sessions[1];
  EXPECT_EQ(ss.client_id, "s");
  EXPECT_EQ(ss.expiry_interval, 1000u);
  ASSERT_EQ(ss.subscriptions.size(), 1u);
  EXPECT_EQ(ss.subscriptions[0].filter, "t/#");
  EXPECT_TRUE(ss.subscriptions[0].no_local);
  EXPECT_EQ(ss.subscriptions[0].identifier, 7u);
  ASSERT_EQ(ss.outgoing.size(), 3u);
  EXPECT_EQ(ss.outgoing[0].st, delivery_data::state::awaiting_puback);
  EXPECT_EQ(ss.outgoing[1].st, delivery_data::state::awaiting_pubrec);
  EXPECT_EQ(ss.outgoing[2].st, delivery_data::state::queued);
  EXPECT_EQ(std::string(ss.outgoing[2].message.payload.begin(), ss.outgoing[2].message.payload.end()), "queued");
}

TEST(Persistence, RestoredBrokerResumesSession) {
  durable_state st;
  {
    world w;
    const auto s = w.connect("s", persistent());
    w.subscribe(s, "t", 1);
    w.take(s);
    const auto p = w.connect_v("p", protocol_version::v5);
    w.publish(p, "t", "first", 1, false, 1);
    w.drop_transport(s);
    w.publish(p, "t", "second", 1, false, 2);
    w.publish(p, "r", "kept", 0, true);
    st = w.broker().save(w.now);
  }
  world w2;
  ASSERT_EQ(w2.broker().restore(st, w2.now), admin_result::ok);
  EXPECT_EQ(w2.broker().retained().size(), 1u);
  connack_packet a;
  const auto s = w2.connect("s", persistent(), &a);
  EXPECT_TRUE(a.session_present);
  auto again = w2.next<publish_packet>(s);
  EXPECT_TRUE(again.dup);
  EXPECT_EQ(text(again.payload), "first");
  EXPECT_EQ(text(w2.next<publish_packet>(s).payload), "second");
  const auto p = w2.connect_v("p2", protocol_version::v5);
  w2.publish(p, "t", "third", 0);
  EXPECT_EQ(text(w2.next<publish_packet>(s).payload), "third");  // subscription restored
}

TEST(Persistence, RestoredIncomingQoS2StillSuppressesDuplicate) {
  durable_state st;
  {
    world w;
    const auto p = w.connect("p", persistent());
    w.publish(p, "t", "m", 2, false, 9);
    st = w.broker().save(w.now);
  }
  world w2;
  w2.broker().restore(st, w2.now);
  const auto s = w2.connect_v("s", protocol_version::v5);
  w2.subscribe(s, "t", 2);
  w2.take(s);
  const auto p = w2.connect("p", persistent());
  w2.next<connack_packet>(p);
  w2.publish(p, "t", "m", 2, false, 9);  // the client resends before PUBREL
  EXPECT_EQ(w2.next<ack_packet>(p).type, packet_type::pubrec);
  EXPECT_EQ(w2.pending(s), 0u);
}

TEST(Persistence, RestoredSessionStillExpires) {
  durable_state st;
  {
    world w;
    const auto s = w.connect("s", persistent(10));
    w.drop_transport(s);
    st = w.broker().save(w.now);
  }
  world w2;
  w2.broker().restore(st, w2.now);
  EXPECT_EQ(w2.broker().sessions().size(), 1u);
  w2.advance(10'000);
  EXPECT_EQ(w2.broker().sessions().size(), 0u);
}

TEST(Persistence, DurableChangesReplayToTheSameState) {
  world w;
  const auto s = w.connect("s", persistent());
  w.subscribe(s, "t", 1);
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "r1", "a", 0, true);
  w.publish(p, "r2", "b", 0, true);
  w.publish(p, "r1", "", 0, true);
  w.drop_transport(s);
  w.publish(p, "t", "q", 1, false, 1);
  // Replay the records into plain maps
  std::map<std::string, message_data> retained;
  std::map<std::string, session_data> sessions;
  for (const auto& ch : w.changes) {
    switch (ch.what) {
      case durable_change::kind::retained_set: retained[ch.key] = *ch.retained; break;
      case durable_change::kind::retained_erased: retained.erase(ch.key); break;
      case durable_change::kind::session_set: sessions[ch.key] = *ch.session; break;
      case durable_change::kind::session_erased: sessions.erase(ch.key); break;
    }
  }
  const durable_state st = w.broker().save(w.now);
  ASSERT_EQ(retained.size(), st.retained.size());
  EXPECT_EQ(retained.begin()->first, "r2");
  ASSERT_EQ(sessions.size(), st.sessions.size());
  const session_data& replayed = sessions.at("s");
  EXPECT_EQ(replayed.subscriptions.size(), 1u);
  ASSERT_EQ(replayed.outgoing.size(), 1u);
  EXPECT_EQ(replayed.outgoing[0].st, delivery_data::state::queued);
}

TEST(Persistence, SessionEndedByDisconnectExpiryZeroIsErased) {
  world w;
  const auto c = w.connect("s", persistent());
  w.subscribe(c, "t");
  properties pr;
  pr.session_expiry_interval = 0;
  w.disconnect(c, reason_code::success, pr);
  ASSERT_FALSE(w.changes.empty());
  EXPECT_EQ(w.changes.back().what, durable_change::kind::session_erased);
  EXPECT_EQ(w.changes.back().key, "s");
}

TEST(Persistence, CleanSessionsAreNotDurable) {
  world w;
  const auto c = w.connect_v("c", protocol_version::v5);
  w.subscribe(c, "t");
  for (const auto& ch : w.changes) EXPECT_NE(ch.key, "c");
  EXPECT_TRUE(w.broker().save(w.now).sessions.empty());
}

TEST(Persistence, WillOfAConnectedClientPublishedAfterRestore) {
  durable_state st;
  {
    world w;
    connect_options o = persistent();
    will_message wm;
    wm.topic = "will/dev";
    wm.payload = as_bytes("lost");
    wm.props.will_delay_interval = 5;
    o.will = wm;
    w.connect("dev", o);
    st = w.broker().save(w.now);  // the broker stops while "dev" is connected
  }
  ASSERT_EQ(st.sessions.size(), 1u);
  ASSERT_TRUE(st.sessions[0].will);
  world w2;
  w2.broker().restore(st, w2.now);
  const auto s = w2.connect_v("watcher", protocol_version::v5);
  w2.subscribe(s, "will/#");
  w2.take(s);
  w2.advance(4'999);
  EXPECT_EQ(w2.pending(s), 0u);
  w2.advance(1);
  EXPECT_EQ(text(w2.next<publish_packet>(s).payload), "lost");
}

TEST(Persistence, RestoreRefusedWhileConnectionsOpen) {
  world w;
  w.connect_v("c", protocol_version::v5);
  EXPECT_EQ(w.broker().restore({}, w.now), admin_result::invalid_argument);
}

}  // namespace
}  // namespace postcard::broker_test
