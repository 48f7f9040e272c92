#pragma once
// Helpers for the client engine's byte-level tests: a client engine plus its drained output, server
// packets made with the codec's encode(), and the exact bytes the client is expected to write.
#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "client/engine.hpp"
#include "codec/codec.hpp"
#include "codec/framer.hpp"

namespace postcard::client_test {

using bytes = std::vector<std::uint8_t>;
using namespace postcard::client;

inline bytes wire(const packet& p, protocol_version v) {
  bytes out;
  const codec_error e = encode(p, v, out);
  EXPECT_EQ(e, codec_error::ok) << describe(e);
  return out;
}

inline bytes wire(std::initializer_list<packet> ps, protocol_version v) {
  bytes out;
  for (const packet& p : ps) {
    const codec_error e = encode(p, v, out);
    EXPECT_EQ(e, codec_error::ok) << describe(e);
  }
  return out;
}

inline bytes str_bytes(std::string_view s) { return bytes(s.begin(), s.end()); }

inline ack_packet ack(packet_type type, std::uint16_t id, reason_code reason = reason_code::success) {
  ack_packet a;
  a.type = type;
  a.packet_id = id;
  a.reason = reason;
  return a;
}

inline publish_packet pub(std::string_view topic, std::string_view payload, qos q = qos::at_most_once,
                          std::uint16_t id = 0) {
  publish_packet p;
  p.topic = topic;
  p.payload = as_bytes(payload);
  p.qos_level = q;
  p.packet_id = id;
  return p;
}

inline connack_packet connack(bool session_present = false, reason_code reason = reason_code::success) {
  connack_packet c;
  c.session_present = session_present;
  c.reason = reason;
  return c;
}

// The whole packets in a byte stream, decoded (views into `stream`, which must outlive them).
inline std::vector<packet> packets_in(const bytes& stream, protocol_version v) {
  std::vector<packet> out;
  framer f;
  f.feed(stream);
  frame fr;
  while (f.next(fr) == frame_status::frame) {
    packet p;
    const codec_error e = decode_packet(fr.first_byte, fr.body, v, p);
    if ((fr.first_byte >> 4) == 1) {
      connect_packet c;
      EXPECT_EQ(decode_connect(fr.first_byte, fr.body, c), codec_error::ok);
      p = c;
    } else {
      EXPECT_EQ(e, codec_error::ok) << describe(e);
    }
    out.push_back(p);
  }
  EXPECT_EQ(f.buffered(), 0u) << "a partial packet at the end of the client's output";
  return out;
}

// A client engine with its last drained output.
struct harness {
  engine c;
  output out;

  explicit harness(options o) : c(std::move(o)) {}
  protocol_version v() const { return c.config().protocol; }

  output& drain() {
    c.drain(out);
    return out;
  }
  output& open(std::uint64_t now = 0) {
    c.connection_opened(now);
    return drain();
  }
  output& feed(const bytes& b, std::uint64_t now = 0) {
    c.receive(b, now);
    return drain();
  }
  output& server(const packet& p, std::uint64_t now = 0) { return feed(wire(p, v()), now); }
  output& tick(std::uint64_t now) {
    c.tick(now);
    return drain();
  }
  // Opens and accepts with `ack`; the output of the CONNACK is returned.
  output& connect(const connack_packet& ack = connack(), std::uint64_t now = 0) {
    open(now);
    return server(ack, now);
  }

  template <class T>
  std::vector<T> events() const {
    std::vector<T> r;
    for (const event& e : out.events) {
      if (const T* t = std::get_if<T>(&e)) r.push_back(*t);
    }
    return r;
  }
  template <class T>
  bool has() const {
    return !events<T>().empty();
  }
};

inline options v5_options(std::string client_id = "c1") {
  options o;
  o.protocol = protocol_version::v5;
  o.client_id = std::move(client_id);
  return o;
}

inline options v311_options(std::string client_id = "c1") {
  options o;
  o.protocol = protocol_version::v3_1_1;
  o.client_id = std::move(client_id);
  return o;
}

}  // namespace postcard::client_test
