// The world's agenda (timing wheel + overflow heap) pops exactly in (time, insertion) order, like a binary
// heap would; sensor values print as snprintf("%.*f") prints them.
#include <cstdio>
#include <functional>
#include <queue>
#include <vector>

#include "event_queue.hpp"
#include "number_format.hpp"
#include "prng.hpp"
#include "sim_test_util.hpp"

namespace postcard::sim {
namespace {

struct item {
  std::uint64_t time = 0;
  std::uint64_t seq = 0;
  friend bool operator>(const item& a, const item& b) { return a.time != b.time ? a.time > b.time : a.seq > b.seq; }
};

// Drives the agenda and a reference heap with the same pushes and pops; every pop must agree.
class agenda_vs_heap {
 public:
  void push(std::uint64_t t) {
    const item it{t, seq_++};
    agenda_.push(it);
    heap_.push(it);
  }
  // Pops everything due by `limit`, checking each item against the heap; returns how many.
  std::size_t run_until(std::uint64_t limit, prng* rng, std::uint64_t max_ahead) {
    std::size_t n = 0;
    item got;
    while (agenda_.pop_due(limit, got)) {
      EXPECT_FALSE(heap_.empty());
      if (heap_.empty()) return n;
      const item want = heap_.top();
      heap_.pop();
      EXPECT_EQ(got.time, want.time) << "pop " << n;
      EXPECT_EQ(got.seq, want.seq) << "pop " << n;
      now_ = got.time;
      ++n;
      // Items push more items, at or after the current time, as the world's do.
      if (rng != nullptr && rng->below_or_equal(3) != 0) push(now_ + rng->below_or_equal(max_ahead));
    }
    EXPECT_TRUE(heap_.empty() || heap_.top().time > limit);
    EXPECT_EQ(agenda_.size(), heap_.size());
    const item* top = agenda_.top();
    EXPECT_EQ(top == nullptr, heap_.empty());
    if (top != nullptr && !heap_.empty()) {
      EXPECT_EQ(top->seq, heap_.top().seq);
    }
    return n;
  }
  std::uint64_t now() const { return now_; }

 private:
  event_queue<item> agenda_;
  std::priority_queue<item, std::vector<item>, std::greater<>> heap_;
  std::uint64_t seq_ = 0;
  std::uint64_t now_ = 0;
};

TEST(SimAgenda, SameInstantItemsComeOutInInsertionOrder) {
  event_queue<item> q;
  for (std::uint64_t s = 0; s < 5; ++s) q.push({7, s});
  q.push({3, 5});
  item it;
  ASSERT_TRUE(q.pop_due(100, it));
  EXPECT_EQ(it.time, 3u);
  for (std::uint64_t s = 0; s < 5; ++s) {
    ASSERT_TRUE(q.pop_due(100, it));
    EXPECT_EQ(it.seq, s);
  }
  EXPECT_FALSE(q.pop_due(100, it));
  EXPECT_TRUE(q.empty());
}

TEST(SimAgenda, NothingPopsBeforeItIsDue) {
  event_queue<item> q;
  q.push({50, 0});
  item it;
  EXPECT_FALSE(q.pop_due(49, it));
  ASSERT_NE(q.top(), nullptr);
  EXPECT_EQ(q.top()->time, 50u);
  EXPECT_TRUE(q.pop_due(50, it));
}

TEST(SimAgenda, FarItemsWaitingInOverflowKeepTheirPlaceAheadOfLaterInsertions) {
  // t = 10,000 is beyond the wheel when pushed (seq 0); once the clock is near, an item for the same
  // millisecond pushed later (seq 2) must still come after it.
  event_queue<item> q;
  q.push({10'000, 0});
  q.push({9'000, 1});
  item it;
  ASSERT_TRUE(q.pop_due(9'000, it));
  EXPECT_EQ(it.seq, 1u);
  q.push({10'000, 2});
  ASSERT_TRUE(q.pop_due(20'000, it));
  EXPECT_EQ(it.seq, 0u);
  ASSERT_TRUE(q.pop_due(20'000, it));
  EXPECT_EQ(it.seq, 2u);
}

TEST(SimAgenda, PeekShowsTheNextItemsOfThisMillisecondAndTheNext) {
  event_queue<item> q;
  for (std::uint64_t s = 0; s < 3; ++s) q.push({4, s});
  q.push({5, 3});
  item it;
  ASSERT_TRUE(q.pop_due(10, it));
  ASSERT_NE(q.peek(1), nullptr);
  EXPECT_EQ(q.peek(1)->seq, 1u);
  ASSERT_NE(q.peek(2), nullptr);
  EXPECT_EQ(q.peek(2)->seq, 2u);
  ASSERT_NE(q.peek(3), nullptr);  // then the next millisecond's
  EXPECT_EQ(q.peek(3)->seq, 3u);
  EXPECT_EQ(q.peek(4), nullptr);
}

TEST(SimAgenda, RandomWorkloadsPopInHeapOrder) {
  // Near items (packets), items seconds ahead (samples), minutes ahead (keepalive, overflow), hours ahead
  // (a jump across an empty wheel), items at the current time, and host limits that stop mid-millisecond.
  const std::uint64_t aheads[] = {0, 3, 20, 1'500, 4'095, 4'096, 4'097, 70'000, 3'600'000};
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    prng rng(seed);
    agenda_vs_heap q;
    for (int i = 0; i < 400; ++i) q.push(rng.below_or_equal(9'000));
    std::size_t popped = 0;
    for (int round = 0; round < 300; ++round) {
      const std::uint64_t ahead = aheads[rng.below_or_equal(8)];
      for (std::uint64_t k = rng.below_or_equal(5); k > 0; --k) q.push(q.now() + rng.below_or_equal(ahead));
      popped += q.run_until(q.now() + rng.below_or_equal(ahead), &rng, aheads[rng.below_or_equal(7)]);
    }
    popped += q.run_until(~std::uint64_t{0} - 1, nullptr, 0);
    EXPECT_GT(popped, 1'000u) << seed;
  }
}

TEST(SimNumberFormat, PrintsWhatSnprintfPrints) {
  auto printf_text = [](double v, int decimals) {
    char buf[64];  // the simulator always printed into 64 bytes: 1e300 is cut at 63 characters
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return std::string(buf);
  };
  // Ties (0.125 is exact in binary: printf rounds it to even), values just off a tie, signs, zero,
  // beyond the fast range, not finite.
  const double special[] = {0.0, -0.0, 0.125, -0.125, 0.375, 0.625, 2.5, 3.5, 0.5, -0.5, 1e-9, -1e-9, 0.005,
                            0.015, 1.005, 2.675, 99.995, 50, 21.3, -7.25, 1e9, 2.2e9, -2.2e9, 1e300,
                            std::nan(""), HUGE_VAL, -HUGE_VAL};
  for (const double v : special) {
    for (int d = 0; d <= 8; ++d) EXPECT_EQ(format_number(v, d), printf_text(v, d)) << v << " " << d;
  }
  prng rng(42);
  for (int i = 0; i < 200'000; ++i) {
    const int d = static_cast<int>(rng.below_or_equal(7));
    const double walk = (rng.uniform() * 2 - 1) * 1000;                                   // random walks
    const double grid = static_cast<double>(rng.below_or_equal(400'000)) / 8000.0 - 25;  // ramps, many ties
    ASSERT_EQ(format_number(walk, d), printf_text(walk, d)) << walk << " " << d;
    ASSERT_EQ(format_number(grid, d), printf_text(grid, d)) << grid << " " << d;
  }
}

}  // namespace
}  // namespace postcard::sim
