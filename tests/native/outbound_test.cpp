// Backpressure in the native host: the outbound buffer's high/low-water marks and read pause, and the
// max_outgoing_bytes / connect_timeout directives (values, defaults, file:line errors).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/config_parser.hpp"
#include "net/outbound_buffer.hpp"

namespace postcard::native {
namespace {

std::span<const std::uint8_t> bytes_of(const std::vector<std::uint8_t>& v) { return {v.data(), v.size()}; }

TEST(OutboundBuffer, CongestedOnceAboveHighWaterDrainedOnceAtLowWater) {
  const outbound_limits limits{100, 25, 400};
  outbound_buffer out(limits);
  const std::vector<std::uint8_t> sixty(60, 0x01);
  EXPECT_EQ(out.append(bytes_of(sixty)), outbound_buffer::change::none);  // 60
  ASSERT_TRUE(out.begin_write());                                          // 60 in flight
  EXPECT_EQ(out.append(bytes_of(sixty)), outbound_buffer::change::congested);  // 120 > 100
  EXPECT_EQ(out.append(bytes_of(sixty)), outbound_buffer::change::none);       // reported once
  EXPECT_TRUE(out.congested());
  EXPECT_EQ(out.waiting(), 180u);
  EXPECT_EQ(out.end_write(), outbound_buffer::change::none);  // 120 pending: still above low water
  ASSERT_TRUE(out.begin_write());
  EXPECT_EQ(out.in_flight().size(), 120u);
  EXPECT_EQ(out.end_write(), outbound_buffer::change::drained);  // 0 <= 25
  EXPECT_FALSE(out.congested());
  EXPECT_EQ(out.end_write(), outbound_buffer::change::none);
  EXPECT_FALSE(out.begin_write());
}

TEST(OutboundBuffer, NeverDropsBytesAndKeepsTheirOrder) {
  const outbound_limits limits{4, 1, 8};
  outbound_buffer out(limits);
  std::vector<std::uint8_t> written;
  for (std::uint8_t i = 0; i < 50; ++i) {
    const std::vector<std::uint8_t> one{i};
    out.append(bytes_of(one));
    if (i % 7 == 0 && out.begin_write()) {
      written.insert(written.end(), out.in_flight().begin(), out.in_flight().end());
      out.end_write();
    }
  }
  while (out.begin_write()) {
    written.insert(written.end(), out.in_flight().begin(), out.in_flight().end());
    out.end_write();
  }
  ASSERT_EQ(written.size(), 50u);
  for (std::size_t i = 0; i < written.size(); ++i) EXPECT_EQ(written[i], i);
}

TEST(OutboundBuffer, ReadingPausesAboveTheReadPauseMark) {
  const outbound_limits limits = outbound_limits::from_high_water(1000);
  outbound_buffer out(limits);
  const std::vector<std::uint8_t> k(1000, 0);
  for (int i = 0; i < 4; ++i) out.append(bytes_of(k));
  EXPECT_FALSE(out.reading_paused());  // 4000 = 4 x high water
  out.append(bytes_of(k));
  EXPECT_TRUE(out.reading_paused());
  ASSERT_TRUE(out.begin_write());
  EXPECT_TRUE(out.reading_paused());  // in flight still counts
  EXPECT_EQ(out.end_write(), outbound_buffer::change::drained);
  EXPECT_FALSE(out.reading_paused());
}

TEST(OutboundConfig, DefaultsAndValues) {
  auto d = parse_config_text("listener 1883\n", "t.conf");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().max_outgoing_bytes, 256u * 1024);
  EXPECT_EQ(d.value().connect_timeout, 10u);
  auto v = parse_config_text("listener 1883\nmax_outgoing_bytes 65536\nconnect_timeout 3\n", "t.conf");
  ASSERT_TRUE(v.ok()) << v.error_message();
  EXPECT_EQ(v.value().max_outgoing_bytes, 65536u);
  EXPECT_EQ(v.value().connect_timeout, 3u);
}

TEST(OutboundConfig, ErrorsNameFileAndLine) {
  auto e = parse_config_text("listener 1883\nmax_outgoing_bytes lots\n", "b.conf");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error_message(), "b.conf:2: invalid max_outgoing_bytes value 'lots' (expected a non-negative integer)");
  auto t = parse_config_text("connect_timeout 0\n", "b.conf");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error_message(), "b.conf:1: invalid connect_timeout value 0 (allowed: 1 to 3600)");
}

}  // namespace
}  // namespace postcard::native
