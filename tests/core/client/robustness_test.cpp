// Seeded random server streams (valid packets, some corrupted, cut at random points): the client
// never writes a partial or undecodable packet, is deterministic, and is silent after closing.
#include "client_test_util.hpp"

namespace postcard::client_test {
namespace {

struct rng {
  std::uint64_t s;
  std::uint64_t next() {
    s += 0x9E3779B97F4A7C15ull;
    std::uint64_t x = s;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
  }
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(next() % n); }
};

bytes random_server_stream(rng& r, protocol_version v) {
  bytes out;
  const std::uint32_t count = 1 + r.below(40);
  for (std::uint32_t i = 0; i < count; ++i) {
    const auto id = static_cast<std::uint16_t>(1 + r.below(8));
    packet p;
    switch (r.below(9)) {
      case 0: case 1: case 2: {
        publish_packet pp = pub(r.below(2) ? "a/b" : "c", "payload", static_cast<qos>(r.below(3)));
        if (pp.qos_level != qos::at_most_once) pp.packet_id = id;
        if (v == protocol_version::v5 && r.below(4) == 0) pp.props.topic_alias = static_cast<std::uint16_t>(1 + r.below(3));
        p = pp;
        break;
      }
      case 3: p = ack(packet_type::puback, id); break;
      case 4: p = ack(packet_type::pubrec, id); break;
      case 5: p = ack(packet_type::pubrel, id); break;
      case 6: p = ack(packet_type::pubcomp, id); break;
      case 7: p = suback_packet{id, {}, {reason_code::granted_qos_1}}; break;
      default: p = pingresp_packet{}; break;
    }
    const std::size_t start = out.size();
    EXPECT_EQ(encode(p, v, out), codec_error::ok);
    if (r.below(25) == 0) {  // corrupt one byte of this packet
      const std::size_t at = start + r.below(static_cast<std::uint32_t>(out.size() - start));
      out[at] = static_cast<std::uint8_t>(r.next());
    }
  }
  return out;
}

struct run_result {
  bytes written;
  std::size_t events = 0;
  bool closed = false;
  friend bool operator==(const run_result&, const run_result&) = default;
};

run_result play(std::uint64_t seed, protocol_version v) {
  rng r{seed};
  options o = v == protocol_version::v5 ? v5_options() : v311_options();
  o.properties.topic_alias_maximum = 2;
  o.properties.receive_maximum = 4;
  o.packet_events = false;
  harness h{o};
  h.connect();
  for (int i = 0; i < 3; ++i) {
    publish_options po;
    po.qos_level = static_cast<qos>(r.below(3));
    h.c.publish("x", as_bytes("1"), po, 0);
  }
  run_result res;
  h.drain();
  const bytes stream = random_server_stream(r, v);
  for (std::size_t i = 0; i < stream.size();) {
    const std::size_t n = std::min<std::size_t>(1 + r.below(16), stream.size() - i);
    const output& out = h.feed(bytes(stream.begin() + static_cast<std::ptrdiff_t>(i),
                                     stream.begin() + static_cast<std::ptrdiff_t>(i + n)));
    if (res.closed) {
      EXPECT_TRUE(out.bytes.empty()) << "bytes after the close request, seed " << seed;
    }
    res.written.insert(res.written.end(), out.bytes.begin(), out.bytes.end());
    res.events += out.events.size();
    res.closed = res.closed || out.close;
    i += n;
  }
  return res;
}

TEST(ClientRobustness, RandomServerStreams) {
  std::size_t closes = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    for (protocol_version v : {protocol_version::v3_1_1, protocol_version::v5}) {
      const run_result a = play(seed, v);
      EXPECT_EQ(a, play(seed, v)) << "not deterministic, seed " << seed;
      packets_in(a.written, v);  // whole, decodable packets only (checked inside)
      closes += a.closed ? 1u : 0u;
    }
  }
  // Corruption and unmapped aliases must have triggered some closes, and not every run closed.
  EXPECT_GT(closes, 10u);
  EXPECT_LT(closes, 600u);
}

}  // namespace
}  // namespace postcard::client_test
