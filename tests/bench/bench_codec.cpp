// Codec throughput: decode and encode per packet type and version, and the framer splitting a
// stream of publishes. Run: build-*/bin/bench_codec (Release build).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>
#include <vector>

#include "codec/codec.hpp"
#include "codec/framer.hpp"

namespace {

using namespace postcard;
using bytes = std::vector<std::uint8_t>;

const std::vector<std::uint8_t> payload64(64, 0x42);

publish_packet sample_publish(protocol_version v) {
  publish_packet p{false, qos::at_least_once, false, "sensors/building-1/floor-2/temperature", 17, {}, payload64};
  if (v == protocol_version::v5) {
    p.props.payload_format_indicator = 1;
    p.props.message_expiry_interval = 3600;
    p.props.content_type = "application/json";
    p.props.topic_alias = 4;
  }
  return p;
}

packet sample(packet_type t, protocol_version v) {
  const bool v5 = v == protocol_version::v5;
  switch (t) {
    case packet_type::connect: {
      connect_packet c;
      c.version = v;
      c.client_id = "device-0001";
      c.username = "user";
      c.keep_alive = 30;
      if (v5) c.props.session_expiry_interval = 300, c.props.receive_maximum = 20;
      return c;
    }
    case packet_type::subscribe: {
      subscribe_packet s{9, {}, {{"a/+/c", qos::at_least_once}, {"sensors/#", qos::exactly_once}}};
      if (v5) s.props.subscription_identifiers = {3};
      return s;
    }
    case packet_type::puback: return ack_packet{packet_type::puback, 17, reason_code::success, {}};
    case packet_type::connack: return connack_packet{false, reason_code::success, {}};
    default: return sample_publish(v);
  }
}

void decode_bench(benchmark::State& state, packet_type t, protocol_version v) {
  bytes wire;
  if (encode(sample(t, v), v, wire) != codec_error::ok) state.SkipWithError("encode failed");
  framer f;
  f.feed(wire);
  frame fr;
  f.next(fr);
  packet out;
  for (auto _ : state) {
    auto e = decode_packet(fr.first_byte, fr.body, v, out);
    if (e != codec_error::ok) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(e);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(wire.size()));
}

void encode_bench(benchmark::State& state, packet_type t, protocol_version v) {
  const packet p = sample(t, v);
  bytes out;
  out.reserve(512);
  for (auto _ : state) {
    out.clear();
    auto e = encode(p, v, out);
    benchmark::DoNotOptimize(e);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(out.size()));
}

void decode_publish_bench(benchmark::State& state, protocol_version v) {
  bytes wire;
  (void)encode_publish(sample_publish(v), v, wire);
  framer f;
  f.feed(wire);
  frame fr;
  f.next(fr);
  publish_packet out;
  for (auto _ : state) {
    auto e = decode_publish(fr.first_byte, fr.body, v, out);
    if (e != codec_error::ok) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(e);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}

void encode_publish_bench(benchmark::State& state, protocol_version v) {
  const publish_packet p = sample_publish(v);
  bytes out;
  out.reserve(512);
  for (auto _ : state) {
    out.clear();
    auto e = encode_publish(p, v, out);
    benchmark::DoNotOptimize(e);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}

// 1,000 publishes fed in 1,460-byte chunks (a TCP segment's payload), every frame taken out.
void framer_bench(benchmark::State& state) {
  bytes stream;
  const publish_packet p = sample_publish(protocol_version::v3_1_1);
  for (int i = 0; i < 1000; ++i) (void)encode_publish(p, protocol_version::v3_1_1, stream);
  const std::size_t chunk = 1460;
  for (auto _ : state) {
    framer f;
    std::size_t frames = 0;
    for (std::size_t pos = 0; pos < stream.size(); pos += chunk) {
      f.feed(bytes_view{stream}.subspan(pos, std::min(chunk, stream.size() - pos)));
      frame fr;
      while (f.next(fr) == frame_status::frame) ++frames;
    }
    benchmark::DoNotOptimize(frames);
  }
  state.SetItemsProcessed(state.iterations() * 1000);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(stream.size()));
}

constexpr auto v311 = protocol_version::v3_1_1;
constexpr auto v5 = protocol_version::v5;

}  // namespace

BENCHMARK_CAPTURE(decode_publish_bench, v311, v311);
BENCHMARK_CAPTURE(decode_publish_bench, v5_4props, v5);
BENCHMARK_CAPTURE(encode_publish_bench, v311, v311);
BENCHMARK_CAPTURE(encode_publish_bench, v5_4props, v5);
BENCHMARK_CAPTURE(decode_bench, publish_v311, packet_type::publish, v311);
BENCHMARK_CAPTURE(decode_bench, connect_v311, packet_type::connect, v311);
BENCHMARK_CAPTURE(decode_bench, connect_v5, packet_type::connect, v5);
BENCHMARK_CAPTURE(decode_bench, connack_v5, packet_type::connack, v5);
BENCHMARK_CAPTURE(decode_bench, subscribe_v311, packet_type::subscribe, v311);
BENCHMARK_CAPTURE(decode_bench, subscribe_v5, packet_type::subscribe, v5);
BENCHMARK_CAPTURE(decode_bench, puback_v311, packet_type::puback, v311);
BENCHMARK_CAPTURE(decode_bench, puback_v5, packet_type::puback, v5);
BENCHMARK_CAPTURE(encode_bench, connect_v311, packet_type::connect, v311);
BENCHMARK_CAPTURE(encode_bench, connect_v5, packet_type::connect, v5);
BENCHMARK_CAPTURE(encode_bench, connack_v5, packet_type::connack, v5);
BENCHMARK_CAPTURE(encode_bench, subscribe_v311, packet_type::subscribe, v311);
BENCHMARK_CAPTURE(encode_bench, subscribe_v5, packet_type::subscribe, v5);
BENCHMARK_CAPTURE(encode_bench, puback_v311, packet_type::puback, v311);
BENCHMARK_CAPTURE(encode_bench, puback_v5, packet_type::puback, v5);
BENCHMARK(framer_bench);
