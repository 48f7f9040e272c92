// Faults and what the protocol does about them: half-open link -> keepalive -> will at the right time,
// crashes, QoS 2 exactly once under 30% loss, retained values for late subscribers, offline queueing.
#include "sim_test_util.hpp"

namespace postcard::sim {
namespace {

using test::index_of;
using test::of_kind;
using test::parse;
using test::recording;

TEST(SimFaults, HalfOpenLinkKeepaliveTimeoutFiresTheWillOnTime) {
  // Keep alive 4 s, latency 25 ms: pings at 4 s and 8 s; the link dies at 9 s. The broker last heard the
  // PINGREQ at 8.025 s and allows 1.5 x 4 s [MQTT-3.1.2-24]: the will goes out at 14.025 s.
  world w(parse(R"({"devices": [
      {"id": "dev", "keepalive_s": 4, "link": {"latency_ms": 25}, "will": {"topic": "status/dev", "payload": "gone", "qos": 1}},
      {"id": "mon", "kind": "subscriber", "keepalive_s": 0, "link": {"latency_ms": 25}, "subscriptions": [{"filter": "status/#", "qos": 1}]}],
    "actions": [{"at_ms": 9000, "do": "half_open", "device": "dev"}]})"),
          recording(sim_event_bit(sim_event_kind::will_fired) | sim_event_bit(sim_event_kind::device_offline)));
  w.run_until(14'024);
  EXPECT_EQ(w.stats().wills_fired, 0u);
  w.run_until(30'000);
  const auto events = w.drain_events();
  const auto wills = of_kind(events, sim_event_kind::will_fired);
  ASSERT_EQ(wills.size(), 1u);
  EXPECT_EQ(wills[0].time_ms, 14'025u);
  EXPECT_EQ(wills[0].detail, "dev");
  EXPECT_EQ(wills[0].topic, "status/dev");
  const auto& got = w.messages(index_of(w, "mon"));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].time_ms, 14'050u);
  EXPECT_EQ(got[0].payload, "gone");
  // The client noticed on its own: the PINGREQ at 12 s got no PINGRESP within one keep alive interval.
  const auto offline = of_kind(events, sim_event_kind::device_offline);
  ASSERT_FALSE(offline.empty());
  EXPECT_EQ(offline[0].time_ms, 16'000u);
  EXPECT_EQ(offline[0].detail, "keepalive timeout");
}

TEST(SimFaults, CrashResetsTheConnectionAndTheWillFollowsTheLatency) {
  world w(parse(R"({"devices": [
      {"id": "dev", "link": {"latency_ms": 40}, "will": {"topic": "status/dev", "payload": "crashed"}},
      {"id": "mon", "kind": "subscriber", "link": {"latency_ms": 10}, "subscriptions": ["status/#"]}],
    "actions": [{"at_ms": 3000, "do": "crash", "device": "dev"}, {"at_ms": 6000, "do": "reconnect", "device": "dev"}]})"),
          recording(sim_event_bit(sim_event_kind::will_fired)));
  w.run_until(5000);
  const auto wills = of_kind(w.drain_events(), sim_event_kind::will_fired);
  ASSERT_EQ(wills.size(), 1u);
  EXPECT_EQ(wills[0].time_ms, 3040u);
  EXPECT_FALSE(w.device(0).powered);
  EXPECT_FALSE(w.device(0).connected);
  w.run_until(7000);
  EXPECT_TRUE(w.device(0).powered);
  EXPECT_TRUE(w.device(0).connected);
  EXPECT_EQ(w.stats().crashes, 1u);
}

TEST(SimFaults, CleanDisconnectDiscardsTheWillAndDisconnectWithWillSendsIt) {
  world w(parse(R"({"devices": [
      {"id": "a", "will": {"topic": "w/a", "payload": "x"}},
      {"id": "b", "protocol": "5", "will": {"topic": "w/b", "payload": "x"}},
      {"id": "mon", "kind": "subscriber", "subscriptions": ["w/#"]}],
    "actions": [{"at_ms": 1000, "do": "disconnect", "device": "a"}, {"at_ms": 1000, "do": "disconnect_with_will", "device": "b"}]})"));
  w.run_until(3000);
  const auto& got = w.messages(index_of(w, "mon"));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].topic, "w/b");  // DISCONNECT reason 0x04, Disconnect with Will Message (MQTT 5 section 3.14.2.1)
  EXPECT_EQ(w.stats().wills_fired, 1u);
}

TEST(SimFaults, Qos2IsExactlyOnceUnderThirtyPercentLoss) {
  world w(parse(R"({"seed": 11, "duration_ms": 300000, "devices": [
      {"id": "pub", "kind": "sensor", "protocol": "5", "clean_start": false, "session_expiry_s": 3600, "keepalive_s": 1,
       "reconnect_ms": 200, "connect_timeout_ms": 1000, "link": {"latency_ms": 10, "loss": 0.3},
       "sensor": {"topic": "q2", "qos": 2, "payload": "m{seq}", "every_ms": 500, "start_ms": 1000, "count": 100}},
      {"id": "sub", "kind": "subscriber", "protocol": "5", "clean_start": false, "session_expiry_s": 3600, "keepalive_s": 1,
       "reconnect_ms": 200, "connect_timeout_ms": 1000, "link": {"latency_ms": 10, "loss": 0.3},
       "subscriptions": [{"filter": "q2", "qos": 2}]}],
    "actions": [{"at_ms": 200000, "do": "set_link", "device": "pub", "link": {"latency_ms": 10}},
                {"at_ms": 200000, "do": "set_link", "device": "sub", "link": {"latency_ms": 10}}]})"));
  w.run();
  EXPECT_GT(w.stats().packets_lost, 100u);
  EXPECT_GT(w.stats().disconnects, 10u);  // the loss really did break connections
  std::map<std::string, int> seen;
  for (const auto& m : w.messages(index_of(w, "sub"))) ++seen[m.payload];
  EXPECT_EQ(seen.size(), 100u);
  for (const auto& [payload, n] : seen) EXPECT_EQ(n, 1) << payload;
}

TEST(SimFaults, RetainedValueReachesALateSubscriber) {
  world w(parse(R"({"devices": [
      {"id": "s", "kind": "sensor", "sensor": {"topic": "r/t", "retain": true, "qos": 1, "count": 3, "generator": {"kind": "list", "values": ["a", "b", "c"]}}},
      {"id": "late", "kind": "subscriber", "start_ms": 10000, "subscriptions": [{"filter": "r/#", "qos": 1}]}]})"));
  w.run_until(11'000);
  const auto& got = w.messages(index_of(w, "late"));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].payload, "c");
  EXPECT_TRUE(got[0].retain);
}

TEST(SimFaults, PersistentSessionQueuesWhileOffline) {
  world w(parse(R"({"devices": [
      {"id": "s", "kind": "sensor", "sensor": {"topic": "q", "qos": 1, "payload": "{seq}", "start_ms": 500, "every_ms": 1000, "count": 6}},
      {"id": "p", "kind": "subscriber", "protocol": "5", "clean_start": false, "session_expiry_s": 60, "reconnect_ms": 0,
       "subscriptions": [{"filter": "q", "qos": 1}]}],
    "actions": [{"at_ms": 1000, "do": "disconnect", "device": "p"}, {"at_ms": 4000, "do": "reconnect", "device": "p"}]})"));
  w.run_until(3900);
  EXPECT_EQ(w.messages(1).size(), 1u);
  ASSERT_NE(w.broker_engine(0), nullptr);
  const auto sessions = w.broker_engine(0)->sessions();
  std::size_t queued = 0;
  for (const auto& s : sessions) queued += s.client_id == "p" ? s.queued + s.inflight : 0;
  EXPECT_EQ(queued, 3u);  // 1.5 s, 2.5 s, 3.5 s
  w.run_until(10'000);
  std::vector<std::string> got;
  for (const auto& m : w.messages(1)) got.push_back(m.payload);
  EXPECT_EQ(got, (std::vector<std::string>{"0", "1", "2", "3", "4", "5"}));
}

}  // namespace
}  // namespace postcard::sim
