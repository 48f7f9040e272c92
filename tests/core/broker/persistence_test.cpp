// Durable state: save / restore and durable-change records.
#include <algorithm>

#include "../../fuzz/durable_compare.hpp"
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
  const durable_state st = w.broker().save(w.now);
  const durable_state replayed = w.replayed.state();
  ASSERT_EQ(replayed.retained.size(), st.retained.size());
  EXPECT_EQ(replayed.retained[0].topic, "r2");
  ASSERT_EQ(replayed.sessions.size(), st.sessions.size());
  EXPECT_EQ(replayed.sessions[0].subscriptions.size(), 1u);
  ASSERT_EQ(replayed.sessions[0].outgoing.size(), 1u);
  EXPECT_EQ(replayed.sessions[0].outgoing[0].st, delivery_data::state::queued);
  EXPECT_EQ(fuzz::compare(replayed, st, true), std::nullopt);
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

// --- durable-change records sized by the change: a delivery joining, changing or leaving a session is
// one record of its own, and replaying the records (durable_replay, the hosts' rule) gives save()'s state.

using kind = durable_change::kind;

std::size_t count(const world& w, kind k, std::string_view key, std::size_t from = 0) {
  return static_cast<std::size_t>(std::count_if(w.changes.begin() + static_cast<std::ptrdiff_t>(from), w.changes.end(),
                                                [&](const recorded_change& c) { return c.what == k && c.key == key; }));
}

void expect_replay_matches(world& w) {
  EXPECT_EQ(fuzz::compare(w.replayed.state(), w.broker().save(w.now), true), std::nullopt);
}

// An offline persistent subscriber "s" on "t" (QoS `q`) and a publisher "p".
struct offline_subscriber {
  world w;
  connection_id s = 0, p = 0;
  explicit offline_subscriber(std::uint8_t q, config cfg = {}) : w(cfg) {
    s = w.connect("s", persistent());
    w.subscribe(s, "t", q);
    w.take(s);
    w.drop_transport(s);
    p = w.connect_v("p", protocol_version::v5);
  }
};

TEST(DurableRecords, QueuingOneMessageIsOneDeliveryRecord) {
  offline_subscriber o(1);
  for (int i = 0; i < 50; ++i) {
    const std::size_t before = o.w.changes.size();
    const char payload[] = {'m', static_cast<char>('0' + i % 10), 0};
    o.w.publish(o.p, "t", payload, 1, false, static_cast<std::uint16_t>(i + 1));
    // exactly one record for "s", carrying the new delivery, numbered in order
    ASSERT_EQ(count(o.w, kind::delivery_added, "s", before), 1u) << i;
    EXPECT_EQ(count(o.w, kind::session_set, "s", before), 0u) << i;
    const auto it = std::find_if(o.w.changes.begin() + static_cast<std::ptrdiff_t>(before), o.w.changes.end(),
                                 [](const recorded_change& c) { return c.what == kind::delivery_added; });
    EXPECT_EQ(it->seq, static_cast<std::uint64_t>(i + 1));
  }
  expect_replay_matches(o.w);
  EXPECT_EQ(o.w.broker().save(o.w.now).sessions.back().outgoing.size(), 50u);
}

TEST(DurableRecords, DrainingQoS1QueueRecordsUpdatesAndRemovalsOnly) {
  config cfg;
  cfg.max_inflight_messages = 4;
  offline_subscriber o(1, cfg);
  for (int i = 0; i < 20; ++i) o.w.publish(o.p, "t", "m", 1, false, static_cast<std::uint16_t>(i + 1));
  const std::size_t before = o.w.changes.size();
  const auto s = o.w.connect("s", persistent());
  o.w.next<connack_packet>(s);
  // the window fills: 4 deliveries leave the queue, and the only whole record is the session header
  EXPECT_EQ(count(o.w, kind::delivery_updated, "s", before), 4u);
  for (std::size_t i = before; i < o.w.changes.size(); ++i) {
    if (o.w.changes[i].what == kind::session_set) {
      EXPECT_FALSE(o.w.changes[i].with_outgoing);
    }
  }
  expect_replay_matches(o.w);
  for (int n = 0; n < 20; ++n) {
    const auto pub = o.w.next<publish_packet>(s);
    const std::size_t mark = o.w.changes.size();
    o.w.ack(s, packet_type::puback, pub.packet_id);
    EXPECT_EQ(count(o.w, kind::delivery_removed, "s", mark), 1u);
    EXPECT_EQ(count(o.w, kind::session_set, "s", mark), 0u);
    expect_replay_matches(o.w);
  }
  EXPECT_TRUE(o.w.broker().save(o.w.now).sessions.back().outgoing.empty());
}

TEST(DurableRecords, QoS2FlowMovesThroughPubrecAndPubcomp) {
  offline_subscriber o(2);
  o.w.publish(o.p, "t", "x", 2, false, 1);
  o.w.publish(o.p, "t", "y", 2, false, 2);
  const auto s = o.w.connect("s", persistent());
  o.w.next<connack_packet>(s);
  const auto first = o.w.next<publish_packet>(s);
  const auto second = o.w.next<publish_packet>(s);
  expect_replay_matches(o.w);
  o.w.ack(s, packet_type::pubrec, first.packet_id);
  EXPECT_EQ(o.w.next<ack_packet>(s).type, packet_type::pubrel);
  auto mid = o.w.replayed.state().sessions.back();
  ASSERT_EQ(mid.outgoing.size(), 2u);
  EXPECT_EQ(mid.outgoing[0].st, delivery_data::state::awaiting_pubcomp);
  EXPECT_TRUE(mid.outgoing[0].message.payload.empty());
  expect_replay_matches(o.w);
  o.w.ack(s, packet_type::pubcomp, first.packet_id);
  o.w.ack(s, packet_type::pubrec, second.packet_id);
  o.w.take(s);
  expect_replay_matches(o.w);
  // offline with a PUBREL outstanding, then resumed: PUBREL resent, state unchanged
  o.w.drop_transport(s);
  const auto again = o.w.connect("s", persistent());
  o.w.next<connack_packet>(again);
  EXPECT_EQ(o.w.next<ack_packet>(again).type, packet_type::pubrel);
  expect_replay_matches(o.w);
  o.w.ack(again, packet_type::pubcomp, second.packet_id);
  expect_replay_matches(o.w);
  EXPECT_TRUE(o.w.replayed.state().sessions.back().outgoing.empty());
}

TEST(DurableRecords, ExpiredQueuedMessageIsRemoved) {
  offline_subscriber o(1);
  properties pr;
  pr.message_expiry_interval = 1;
  o.w.publish(o.p, "t", "short", 1, false, 1, pr);
  o.w.publish(o.p, "t", "long", 1, false, 2);
  o.w.advance(2'000);
  const std::size_t before = o.w.changes.size();
  const auto s = o.w.connect("s", persistent());
  o.w.next<connack_packet>(s);
  EXPECT_EQ(text(o.w.next<publish_packet>(s).payload), "long");
  EXPECT_EQ(count(o.w, kind::delivery_removed, "s", before), 1u);
  expect_replay_matches(o.w);
}

TEST(DurableRecords, NewSessionCarriesItsDeliveriesWhole) {
  // CONNECT, SUBSCRIBE and a retained delivery in one input: the new session's one record holds them
  world w;
  const auto p = w.connect_v("p", protocol_version::v5);
  w.publish(p, "t", "kept", 1, true, 1);
  const std::size_t before = w.changes.size();
  const auto s = w.connect("s", persistent());
  w.subscribe(s, "t", 1);
  EXPECT_EQ(count(w, kind::delivery_added, "s", before), 1u);
  expect_replay_matches(w);
}

TEST(DurableRecords, RestoredSessionContinuesWithDeliveryRecords) {
  durable_state st;
  {
    offline_subscriber o(1);
    for (int i = 0; i < 5; ++i) o.w.publish(o.p, "t", "m", 1, false, static_cast<std::uint16_t>(i + 1));
    st = o.w.broker().save(o.w.now);
  }
  world w2;
  w2.replayed = durable_replay(st);  // the host's state before the restart
  ASSERT_EQ(w2.broker().restore(st, w2.now), admin_result::ok);
  const auto s = w2.connect("s", persistent());
  w2.next<connack_packet>(s);
  for (const auto& c : w2.changes) {
    if (c.what == kind::session_set) {
      EXPECT_FALSE(c.with_outgoing);
    }
  }
  const auto p = w2.connect_v("p", protocol_version::v5);
  w2.publish(p, "t", "after", 1, false, 9);
  for (int n = 0; n < 6; ++n) w2.ack(s, packet_type::puback, w2.next<publish_packet>(s).packet_id);
  EXPECT_EQ(fuzz::compare(w2.replayed.state(), w2.broker().save(w2.now), false), std::nullopt);
  EXPECT_TRUE(w2.broker().save(w2.now).sessions.front().outgoing.empty());
}

TEST(DurableRecords, UnnumberedDeliveriesAreNumberedAlikeByRestoreAndReplay) {
  durable_state st;
  {
    offline_subscriber o(1);
    for (int i = 0; i < 3; ++i) o.w.publish(o.p, "t", "m", 1, false, static_cast<std::uint16_t>(i + 1));
    st = o.w.broker().save(o.w.now);
  }
  for (auto& s : st.sessions)
    for (auto& d : s.outgoing) d.seq = 0;  // as written by an older host
  world w2;
  w2.replayed = durable_replay(st);
  ASSERT_EQ(w2.broker().restore(st, w2.now), admin_result::ok);
  const auto saved = w2.broker().save(w2.now);
  ASSERT_EQ(saved.sessions.size(), 1u);
  ASSERT_EQ(saved.sessions[0].outgoing.size(), 3u);
  EXPECT_EQ(saved.sessions[0].outgoing[2].seq, 3u);
  const auto s = w2.connect("s", persistent());
  w2.next<connack_packet>(s);
  w2.ack(s, packet_type::puback, w2.next<publish_packet>(s).packet_id);
  EXPECT_EQ(fuzz::compare(w2.replayed.state(), w2.broker().save(w2.now), false), std::nullopt);
}

TEST(DurableRecords, ReplayIgnoresRecordsOfUnknownSessions) {
  durable_replay r;
  durable_change ch;
  ch.what = kind::delivery_removed;
  ch.key = "nobody";
  ch.seq = 1;
  EXPECT_FALSE(r.apply(ch));
  EXPECT_EQ(r.session_count(), 0u);
}

}  // namespace
}  // namespace postcard::broker_test
