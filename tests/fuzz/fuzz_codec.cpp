// libFuzzer target for the codec: the input's first byte seeds the chunk sizes; the rest is a byte
// stream fed to the framer in pseudo-random chunks. Every frame is decoded as 3.1, 3.1.1 and 5.0;
// whatever decodes is encoded (encoded_size() must agree), re-framed, re-decoded and re-encoded, and
// the two encodings must be equal. Any disagreement aborts.
#include <cstdio>
#include <cstdlib>

#include "codec/codec.hpp"
#include "codec/framer.hpp"

namespace {

using namespace postcard;

[[noreturn]] void fail(const char* what, protocol_version v, codec_error e = codec_error::ok) {
  std::fprintf(stderr, "fuzz_codec: %s (version %d, %s)\n", what, static_cast<int>(v), describe(e).data());
  std::abort();
}

void check_frame(const frame& fr) {
  for (auto v : {protocol_version::v3_1, protocol_version::v3_1_1, protocol_version::v5}) {
    packet p;
    if (decode_packet(fr.first_byte, fr.body, v, p) != codec_error::ok) continue;
    std::vector<std::uint8_t> first;
    if (auto e = encode(p, v, first); e != codec_error::ok) fail("a decoded packet does not encode", v, e);
    if (encoded_size(p, v) != first.size()) fail("encoded_size disagrees with encode", v);
    framer again;
    again.feed(first);
    frame fr2;
    if (again.next(fr2) != frame_status::frame || fr2.total_size != first.size()) fail("re-framing failed", v);
    packet q;
    if (auto e = decode_packet(fr2.first_byte, fr2.body, v, q); e != codec_error::ok)
      fail("an encoded packet does not decode", v, e);
    if (type_of(q) != type_of(p)) fail("packet type changed", v);
    std::vector<std::uint8_t> second;
    if (auto e = encode(q, v, second); e != codec_error::ok) fail("re-encoding failed", v, e);
    if (second != first) fail("re-encoding differs", v);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::uint32_t rng = 0x9E3779B9u * (data[0] + 1u);
  // A small maximum now and then exercises the packet-too-large path.
  framer f{(data[0] & 0xE0) == 0xE0 ? 64u : framer::protocol_maximum};
  ++data;
  --size;
  std::size_t pos = 0;
  while (pos < size) {
    rng = rng * 1103515245u + 12345u;
    std::size_t n = 1 + (rng >> 16) % 97;
    if (n > size - pos) n = size - pos;
    f.feed(postcard::bytes_view{data + pos, n});
    pos += n;
    frame fr;
    frame_status st;
    while ((st = f.next(fr)) == frame_status::frame) check_frame(fr);
    if (st == frame_status::error) {
      if (f.error() == codec_error::ok) std::abort();  // an error status always names its error
      break;
    }
  }
  return 0;
}
