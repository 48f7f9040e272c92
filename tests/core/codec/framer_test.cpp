// The incremental framer: any split of a byte stream, views versus copies, limits, sticky errors.
#include "codec_test_util.hpp"

namespace postcard::test {
namespace {

// A stream of several packets of different sizes (one with a 2-byte Remaining Length).
bytes sample_stream() {
  bytes s;
  publish_packet p;
  p.topic = "a/b";
  p.payload = as_bytes("hello");
  (void)encode_publish(p, v311, s);
  (void)encode(pingreq_packet{}, v311, s);
  std::vector<std::uint8_t> big(300, 0x5A);
  p.payload = big;
  p.qos_level = qos::at_least_once;
  p.packet_id = 7;
  (void)encode_publish(p, v311, s);
  (void)encode(ack_packet{packet_type::puback, 7, reason_code::success, {}}, v311, s);
  return s;
}

// Splits `stream` into chunks at the given cut points and collects the frames as whole byte strings.
std::vector<bytes> frames_of(const bytes& stream, const std::vector<std::size_t>& cuts, framer& f) {
  std::vector<bytes> out;
  std::size_t begin = 0;
  auto drain = [&] {
    frame fr;
    frame_status st;
    while ((st = f.next(fr)) == frame_status::frame) {
      bytes whole{fr.first_byte};
      append_variable_byte_integer(static_cast<std::uint32_t>(fr.body.size()), whole);
      whole.insert(whole.end(), fr.body.begin(), fr.body.end());
      EXPECT_EQ(whole.size(), fr.total_size);
      out.push_back(std::move(whole));
    }
    EXPECT_EQ(st, frame_status::need_more);
  };
  for (std::size_t cut : cuts) {
    const bytes chunk(stream.begin() + static_cast<std::ptrdiff_t>(begin),
                      stream.begin() + static_cast<std::ptrdiff_t>(cut));
    f.feed(chunk);
    drain();
    begin = cut;
  }
  const bytes chunk(stream.begin() + static_cast<std::ptrdiff_t>(begin), stream.end());
  f.feed(chunk);
  drain();
  return out;
}

std::vector<bytes> expected_frames() {
  const bytes s = sample_stream();
  std::vector<bytes> out;
  framer f;
  return frames_of(s, {}, f);
}

TEST(Framer, ManyPacketsInOneChunk) {
  const auto frames = expected_frames();
  ASSERT_EQ(frames.size(), 4u);
  EXPECT_EQ(frames[1], (bytes{0xC0, 0x00}));
  EXPECT_EQ(frames[3], (bytes{0x40, 0x02, 0x00, 0x07}));
  bytes joined;
  for (const auto& f : frames) joined.insert(joined.end(), f.begin(), f.end());
  EXPECT_EQ(joined, sample_stream());
}

TEST(Framer, ByteAtATime) {
  const bytes s = sample_stream();
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < s.size(); ++i) cuts.push_back(i);
  framer f;
  EXPECT_EQ(frames_of(s, cuts, f), expected_frames());
  EXPECT_EQ(f.buffered(), 0u);
}

TEST(Framer, SplitAtEveryPosition) {
  const bytes s = sample_stream();
  const auto expected = expected_frames();
  for (std::size_t i = 1; i < s.size(); ++i) {
    framer f;
    EXPECT_EQ(frames_of(s, {i}, f), expected) << "split at " << i;
    // and in three pieces
    framer g;
    EXPECT_EQ(frames_of(s, {i / 2, i}, g), expected) << "split at " << i / 2 << ", " << i;
  }
}

TEST(Framer, WholeFramesAreViewsIntoTheChunk) {
  const bytes s = sample_stream();
  framer f;
  f.feed(s);
  frame fr;
  ASSERT_EQ(f.next(fr), frame_status::frame);
  EXPECT_EQ(fr.body.data(), s.data() + 2);
  EXPECT_EQ(f.buffered(), 0u);
}

TEST(Framer, OnlyThePartialTailIsCopied) {
  const bytes s{0xC0, 0x00, 0x40, 0x02, 0x00};  // PINGREQ, then 3 bytes of a PUBACK
  framer f;
  f.feed(s);
  frame fr;
  ASSERT_EQ(f.next(fr), frame_status::frame);
  EXPECT_EQ(f.next(fr), frame_status::need_more);
  EXPECT_EQ(f.buffered(), 3u);
  const bytes rest{0x01};
  f.feed(rest);
  ASSERT_EQ(f.next(fr), frame_status::frame);
  EXPECT_EQ(fr.first_byte, 0x40);
  EXPECT_EQ(fr.body.size(), 2u);
  EXPECT_EQ(f.next(fr), frame_status::need_more);
  EXPECT_EQ(f.buffered(), 0u);
}

TEST(Framer, FeedTwiceWithoutDraining) {
  const bytes a{0xC0, 0x00}, b{0xD0, 0x00};
  framer f;
  f.feed(a);
  f.feed(b);
  frame fr;
  ASSERT_EQ(f.next(fr), frame_status::frame);
  EXPECT_EQ(fr.first_byte, 0xC0);
  ASSERT_EQ(f.next(fr), frame_status::frame);
  EXPECT_EQ(fr.first_byte, 0xD0);
  EXPECT_EQ(f.next(fr), frame_status::need_more);
}

TEST(Framer, RemainingLengthOverFourBytes) {
  const bytes s{0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01};
  framer f;
  f.feed(s);
  frame fr;
  EXPECT_EQ(f.next(fr), frame_status::error);
  EXPECT_EQ(f.error(), codec_error::remaining_length_too_long);
  EXPECT_EQ(to_reason_code(f.error()), reason_code::malformed_packet);
}

TEST(Framer, RemainingLengthOverFourBytesByteAtATime) {
  const bytes s{0x30, 0x80, 0x80, 0x80, 0x80};
  framer f;
  frame fr;
  for (std::size_t i = 0; i < s.size(); ++i) {
    f.feed(bytes_view{&s[i], 1});
    const auto st = f.next(fr);
    EXPECT_EQ(st, i + 1 < s.size() ? frame_status::need_more : frame_status::error) << i;
  }
  EXPECT_EQ(f.error(), codec_error::remaining_length_too_long);
}

TEST(Framer, RemainingLengthNotMinimal) {
  const bytes s{0xC0, 0x80, 0x00};
  framer f;
  f.feed(s);
  frame fr;
  EXPECT_EQ(f.next(fr), frame_status::error);
  EXPECT_EQ(f.error(), codec_error::invalid_variable_byte_integer);
}

TEST(Framer, TooLargeRejectedBeforeBuffering) {
  // Header of a 1,000,000-byte PUBLISH plus a few body bytes; limit 1,024.
  bytes s{0x30};
  append_variable_byte_integer(1'000'000, s);
  s.insert(s.end(), {0x00, 0x01, 't'});
  framer f{1024};
  f.feed(s);
  frame fr;
  EXPECT_EQ(f.next(fr), frame_status::error);
  EXPECT_EQ(f.error(), codec_error::packet_too_large);
  EXPECT_EQ(to_reason_code(f.error()), reason_code::packet_too_large);
  EXPECT_EQ(f.buffered(), 0u);
}

TEST(Framer, TooLargeDetectedFromSplitHeader) {
  bytes s{0x30};
  append_variable_byte_integer(5000, s);  // two bytes
  framer f{100};
  frame fr;
  f.feed(bytes_view{s.data(), 2});
  EXPECT_EQ(f.next(fr), frame_status::need_more);
  f.feed(bytes_view{s.data() + 2, 1});
  EXPECT_EQ(f.next(fr), frame_status::error);
  EXPECT_EQ(f.error(), codec_error::packet_too_large);
  EXPECT_LE(f.buffered(), 3u);
}

TEST(Framer, MaximumIsTotalSize) {
  const bytes s{0x40, 0x02, 0x00, 0x01};  // 4 bytes in all
  {
    framer f{4};
    f.feed(s);
    frame fr;
    EXPECT_EQ(f.next(fr), frame_status::frame);
  }
  {
    framer f{3};
    f.feed(s);
    frame fr;
    EXPECT_EQ(f.next(fr), frame_status::error);
  }
}

TEST(Framer, ErrorIsSticky) {
  framer f{10};
  const bytes bad{0x30, 0x20};
  f.feed(bad);
  frame fr;
  EXPECT_EQ(f.next(fr), frame_status::error);
  const bytes good{0xC0, 0x00};
  f.feed(good);
  EXPECT_EQ(f.next(fr), frame_status::error);
  EXPECT_EQ(f.error(), codec_error::packet_too_large);
}

TEST(Framer, IdleFramerReleasesLargeBuffers) {
  bytes s{0x30};
  append_variable_byte_integer(100'000, s);
  s.resize(s.size() + 100'000, 'x');
  framer f;
  f.feed(bytes_view{s.data(), 10});
  frame fr;
  EXPECT_EQ(f.next(fr), frame_status::need_more);
  f.feed(bytes_view{s.data() + 10, s.size() - 10});
  ASSERT_EQ(f.next(fr), frame_status::frame);
  EXPECT_EQ(fr.body.size(), 100'000u);
  EXPECT_EQ(f.next(fr), frame_status::need_more);
  EXPECT_EQ(f.buffered(), 0u);
  EXPECT_LE(sizeof(framer), 64u);
}

}  // namespace
}  // namespace postcard::test
