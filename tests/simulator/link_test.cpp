// The link model: latency per direction, bandwidth, jitter without reordering, loss with a fixed seed,
// half-open links and partitions.
#include <map>

#include "sim_test_util.hpp"

namespace postcard::sim {
namespace {

using test::of_kind;
using test::parse;
using test::recording;

TEST(SimLink, LatencyPerDirection) {
  world w(parse(R"({"devices": [{"id": "a", "keepalive_s": 0, "link": {"up": {"latency_ms": 50}, "down": {"latency_ms": 30}}}]})"),
          recording());
  w.run_until(1000);
  const auto sent = of_kind(w.drain_events(), sim_event_kind::packet_sent);
  ASSERT_GE(sent.size(), 2u);
  EXPECT_EQ(sent[0].type, packet_type::connect);
  EXPECT_EQ(sent[0].time_ms, 0u);
  EXPECT_EQ(sent[0].deliver_at, 50u);
  EXPECT_EQ(sent[1].type, packet_type::connack);
  EXPECT_EQ(sent[1].dir, direction::down);
  EXPECT_EQ(sent[1].time_ms, 50u);
  EXPECT_EQ(sent[1].deliver_at, 80u);
  EXPECT_TRUE(w.device(0).connected);
}

TEST(SimLink, BandwidthSerializesPacketsOneAfterAnother) {
  // 8,000 bit/s: one byte per millisecond. Three publishes at the same instant queue behind each other.
  world w(parse(R"({"devices": [
      {"id": "a", "keepalive_s": 0, "link": {"latency_ms": 10, "up": {"latency_ms": 10, "bandwidth_bps": 8000}}}],
    "actions": [
      {"at_ms": 1000, "do": "publish", "device": "a", "publish": {"topic": "t", "payload": "0123456789012345678901234567890123456789"}},
      {"at_ms": 1000, "do": "publish", "device": "a", "publish": {"topic": "t", "payload": "0123456789012345678901234567890123456789"}},
      {"at_ms": 1000, "do": "publish", "device": "a", "publish": {"topic": "t", "payload": "0123456789012345678901234567890123456789"}}]})"),
          recording(sim_event_bit(sim_event_kind::packet_sent)));
  w.run_until(2000);
  std::vector<sim_event> pubs;
  for (const auto& e : w.drain_events()) {
    if (e.type == packet_type::publish) pubs.push_back(e);
  }
  ASSERT_EQ(pubs.size(), 3u);
  const std::uint64_t size = pubs[0].bytes.size();  // 2 + 3 + 40 = 45 bytes
  EXPECT_EQ(size, 45u);
  EXPECT_EQ(pubs[0].deliver_at, 1000 + size + 10);
  EXPECT_EQ(pubs[1].deliver_at, 1000 + 2 * size + 10);
  EXPECT_EQ(pubs[2].deliver_at, 1000 + 3 * size + 10);
}

TEST(SimLink, JitterNeverReordersAStream) {
  world w(parse(R"({"seed": 3, "devices": [
      {"id": "s", "kind": "sensor", "link": {"latency_ms": 20, "jitter_ms": 200},
       "sensor": {"topic": "t", "payload": "{seq}", "every_ms": 5, "count": 200}},
      {"id": "d", "kind": "subscriber", "subscriptions": ["t"], "link": {"latency_ms": 1, "jitter_ms": 100}}]})"),
          recording());
  w.run_until(5000);
  std::map<std::pair<std::uint32_t, int>, std::uint64_t> last;
  std::uint64_t spread = 0;
  for (const auto& e : of_kind(w.drain_events(), sim_event_kind::packet_sent)) {
    if (e.lost) continue;
    auto& l = last[{e.device, static_cast<int>(e.dir)}];
    EXPECT_GE(e.deliver_at, l);
    spread = std::max(spread, e.deliver_at - e.time_ms);
    l = e.deliver_at;
  }
  EXPECT_GT(spread, 100u);  // the jitter did apply
  // In order, every message once.
  const auto& got = w.messages(1);
  ASSERT_EQ(got.size(), 200u);
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].payload, std::to_string(i));
}

std::uint64_t lost_with_seed(std::uint64_t seed) {
  world_options o;
  o.seed = seed;
  world w(parse(R"({"devices": [
      {"id": "s", "kind": "sensor", "keepalive_s": 0, "sensor": {"topic": "t", "every_ms": 10, "start_ms": 1000, "count": 1000}},
      {"id": "d", "kind": "subscriber", "subscriptions": ["t"]}],
    "actions": [{"at_ms": 500, "do": "set_link", "device": "s", "link": {"up": {"loss": 0.2}}}]})"),
          o);
  w.run_until(20'000);
  EXPECT_EQ(w.stats().received + w.stats().packets_lost, 1000u);  // every loss is one QoS 0 PUBLISH
  return w.stats().packets_lost;
}

TEST(SimLink, LossFollowsTheSeed) {
  const std::uint64_t a = lost_with_seed(42);
  EXPECT_GT(a, 150u);
  EXPECT_LT(a, 250u);
  EXPECT_EQ(lost_with_seed(42), a);
  EXPECT_NE(lost_with_seed(43), a);
}

TEST(SimLink, HalfOpenDropsEverythingSilentlyAndHealRestores) {
  world w(parse(R"({"devices": [
      {"id": "s", "kind": "sensor", "keepalive_s": 0, "sensor": {"topic": "t", "payload": "{seq}", "every_ms": 100, "start_ms": 1000, "count": 30}},
      {"id": "d", "kind": "subscriber", "subscriptions": ["t"]}],
    "actions": [{"at_ms": 1450, "do": "half_open", "device": "s"}, {"at_ms": 2450, "do": "heal", "device": "s"}]})"));
  w.run_until(10'000);
  // Samples at 1000..1400 (5) and 2500..3900 (15) arrive; the ten in between vanished.
  EXPECT_EQ(w.stats().received, 20u);
  EXPECT_EQ(w.device(0).packets_lost, 10u);
  EXPECT_TRUE(w.device(0).connected);  // nobody noticed: keep alive is off
}

TEST(SimLink, PartitionCutsEveryDeviceOfABroker) {
  world w(parse(R"({"brokers": [{"name": "east"}, {"name": "west"}], "devices": [
      {"id": "e1", "broker": "east", "keepalive_s": 2}, {"id": "e2", "broker": "east", "keepalive_s": 2},
      {"id": "w1", "broker": "west", "keepalive_s": 2}],
    "actions": [{"at_ms": 1000, "do": "partition", "device": "east"}, {"at_ms": 20000, "do": "heal", "device": "east"}]})"));
  w.run_until(10'000);
  EXPECT_TRUE(w.device(0).link_down);
  EXPECT_TRUE(w.device(1).link_down);
  EXPECT_FALSE(w.device(2).link_down);
  EXPECT_FALSE(w.device(0).connected);  // keep alive found out
  EXPECT_FALSE(w.device(1).connected);
  EXPECT_TRUE(w.device(2).connected);
  ASSERT_NE(w.broker_engine(0), nullptr);
  EXPECT_EQ(w.broker_engine(0)->stats(w.now()).clients_connected, 0u);
  EXPECT_EQ(w.broker_engine(1)->stats(w.now()).clients_connected, 1u);
  w.run_until(40'000);
  EXPECT_TRUE(w.device(0).connected);
  EXPECT_TRUE(w.device(1).connected);
  EXPECT_EQ(w.broker_engine(0)->stats(w.now()).clients_connected, 2u);
}

TEST(SimLink, CloseTellsBothSidesAndTheClientReconnects) {
  world w(parse(R"({"devices": [{"id": "a", "reconnect_ms": 500, "link": {"latency_ms": 5}}],
    "actions": [{"at_ms": 1000, "do": "close", "device": "a"}]})"), recording());
  w.run_until(1001);
  EXPECT_FALSE(w.device(0).connected);
  EXPECT_EQ(w.broker_engine(0)->stats(w.now()).clients_connected, 0u);
  w.run_until(2000);
  EXPECT_TRUE(w.device(0).connected);
  EXPECT_EQ(w.device(0).connects, 2u);
}

}  // namespace
}  // namespace postcard::sim
