// The broker's hot path allocates nothing: decode_publish into a reused packet and encode_publish
// into a reserved buffer, when there are no User Properties or Subscription Identifiers. Counted with
// a replaced global operator new (this test executable only).
#include <cstdlib>
#include <new>

#include "codec_test_util.hpp"

namespace {
std::size_t allocations = 0;
}

void* operator new(std::size_t n) {
  ++allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  std::abort();
}
// g++ 12 (-O1, the sanitizer tree) inlines these into `new T` sites and warns of free() on memory from
// operator new: it does not see that the operator new above is malloc.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace postcard::test {
namespace {

publish_packet sample(protocol_version v) {
  publish_packet p{false, qos::at_least_once, false, "sensors/building-1/floor-2/temperature", 17, {}, {}};
  p.payload = as_bytes("{\"t\":21.5}");
  if (v == protocol_version::v5) {
    p.props.payload_format_indicator = 1;
    p.props.message_expiry_interval = 3600;
    p.props.content_type = "application/json";
    p.props.topic_alias = 4;
  }
  return p;
}

TEST(Allocation, PublishHotPathAllocatesNothing) {
  for (auto v : {v311, v5}) {
    const publish_packet p = sample(v);
    bytes wire;
    wire.reserve(256);
    ASSERT_EQ(encode_publish(p, v, wire), codec_error::ok);
    framer f;
    f.feed(wire);
    frame fr;
    ASSERT_EQ(f.next(fr), frame_status::frame);
    publish_packet out;
    ASSERT_EQ(decode_publish(fr.first_byte, fr.body, v, out), codec_error::ok);  // warm up

    bytes again;
    again.reserve(256);
    const std::size_t before = allocations;
    for (int i = 0; i < 100; ++i) {
      ASSERT_EQ(decode_publish(fr.first_byte, fr.body, v, out), codec_error::ok);
      again.clear();
      ASSERT_EQ(encode_publish(out, v, again), codec_error::ok);
    }
    EXPECT_EQ(again, wire);
    EXPECT_EQ(allocations - before, 0u) << to_string(v);
    EXPECT_EQ(out.topic, p.topic);
  }
}

TEST(Allocation, UserPropertiesReuseCapacity) {
  // With User Properties the first decode allocates their vector; later decodes reuse it.
  const auto wire = make_packet(0x30, {0, 1, 't', 7, 0x26, 0, 1, 'k', 0, 1, 'v', 'x'});
  packet p;
  ASSERT_EQ(decode_bytes(wire, v5, p), codec_error::ok);
  auto& pub = std::get<publish_packet>(p);
  const bytes body(wire.begin() + 2, wire.end());
  const std::size_t before = allocations;
  for (int i = 0; i < 10; ++i) ASSERT_EQ(decode_publish(wire[0], body, v5, pub), codec_error::ok);
  EXPECT_EQ(allocations - before, 0u);
  EXPECT_EQ(pub.props.user_properties.size(), 1u);
}

}  // namespace
}  // namespace postcard::test
