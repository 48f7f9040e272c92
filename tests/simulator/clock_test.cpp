// The virtual clock: paused until told, one item per step, run until a time, fast-forward through hours.
#include <chrono>

#include "sim_test_util.hpp"

namespace postcard::sim {
namespace {

using test::parse;

constexpr const char* two_devices = R"({"devices": [
    {"id": "s", "kind": "sensor", "link": {"latency_ms": 10}, "sensor": {"topic": "t", "every_ms": 1000, "start_ms": 500}},
    {"id": "d", "kind": "subscriber", "link": {"latency_ms": 10}, "subscriptions": ["t"]}]})";

TEST(SimClock, NothingHappensUntilTheHostAsks) {
  world w(parse(two_devices));
  EXPECT_EQ(w.now(), 0u);
  EXPECT_EQ(w.next_time(), 0u);
  EXPECT_EQ(w.stats().items_processed, 0u);
  EXPECT_FALSE(w.device(0).connected);
}

TEST(SimClock, StepRunsOneItemAndMovesTheClockToIt) {
  world w(parse(two_devices));
  ASSERT_TRUE(w.step());  // s starts: CONNECT on its way
  EXPECT_EQ(w.stats().items_processed, 1u);
  EXPECT_EQ(w.stats().packets_sent, 1u);
  ASSERT_TRUE(w.step());  // d starts
  EXPECT_EQ(w.stats().packets_sent, 2u);
  EXPECT_EQ(w.now(), 0u);
  EXPECT_EQ(w.next_time(), 10u);  // the first CONNECT arrives
  ASSERT_TRUE(w.step());
  EXPECT_EQ(w.now(), 10u);
  EXPECT_EQ(w.stats().packets_sent, 3u);  // CONNACK sent back
}

TEST(SimClock, RunUntilStopsAtTheGivenTime) {
  world w(parse(two_devices));
  w.run_until(2600);
  EXPECT_EQ(w.now(), 2600u);
  EXPECT_EQ(w.device(0).published, 3u);  // 500, 1500, 2500
  EXPECT_EQ(w.device(1).received, 3u);   // each 20 ms later
  EXPECT_GT(*w.next_time(), 2600u);
  w.run_until(2600);
  EXPECT_EQ(w.device(0).published, 3u);
}

TEST(SimClock, HoursOfKeepaliveFastForwardInMoments) {
  // 20 idle clients with a 30 s keep alive for almost a virtual day.
  world w(parse(R"({"devices": [{"id": "c-{i}", "count": 20, "keepalive_s": 30, "link": {"latency_ms": 40}}]})"));
  const auto t0 = std::chrono::steady_clock::now();
  w.run_until(24ull * 3600 * 1000 - 1000);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(s, 5.0);
  EXPECT_EQ(w.stats().connects, 20u);
  EXPECT_EQ(w.stats().disconnects, 0u);
  // CONNECT + CONNACK + 2,879 PINGREQ / PINGRESP pairs per client (every 30 s from 30 s to 86,370 s).
  EXPECT_EQ(w.stats().packets_sent, 20u * (2 + 2 * 2879));
}

TEST(SimClock, RealTimeIsTheHostMappingWallClockToVirtualTime) {
  // What a host does at x100: each slice of real time runs 100 times as much virtual time.
  world w(parse(two_devices));
  const std::uint64_t speed = 100;
  for (std::uint64_t real_ms = 0; real_ms <= 100; real_ms += 10) w.run_until(real_ms * speed);
  EXPECT_EQ(w.now(), 10'000u);
  EXPECT_EQ(w.device(0).published, 10u);
}

}  // namespace
}  // namespace postcard::sim
