// PUBLISH (spec 3.3; 3.1.1 section 3.3): the broker's hot path. Decoding copies nothing and
// allocates only for Subscription Identifiers or User Properties; encoding sizes, then writes once.
#include <cstring>

#include "codec/codec.hpp"
#include "codec/wire.hpp"

namespace postcard {
namespace {

constexpr std::uint64_t ones = 0x0101010101010101ull;
constexpr std::uint64_t highs = 0x8080808080808080ull;

// Non-zero if any byte of x is zero (the classic SWAR test).
constexpr std::uint64_t zero_byte(std::uint64_t x) { return (x - ones) & ~x & highs; }

// True if the 8 bytes hold only ASCII other than U+0000, '+' and '#'.
bool plain_ascii8(const char* p) {
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  return ((x & highs) | zero_byte(x) | zero_byte(x ^ (ones * '+')) | zero_byte(x ^ (ones * '#'))) == 0;
}

// Checks a Topic Name: UTF-8 [MQTT-1.5.4-1..3] and no wildcard [MQTT-3.3.2-2]. Plain ASCII is
// skipped eight bytes at a time.
codec_error check_topic_name(std::string_view topic) {
  std::size_t i = 0;
  while (i + 8 <= topic.size() && plain_ascii8(topic.data() + i)) i += 8;
  for (; i < topic.size(); ++i) {
    const auto c = static_cast<unsigned char>(topic[i]);
    if (c >= 0x80) {
      if (auto e = wire::validate_utf8(topic.substr(i)); e != codec_error::ok) return e;
      // Multi-byte sequences never contain the ASCII bytes '+' or '#', so a plain scan finishes the job.
      for (std::size_t j = i; j < topic.size(); ++j) {
        if (topic[j] == '+' || topic[j] == '#') return codec_error::topic_name_has_wildcard;
      }
      return codec_error::ok;
    }
    if (c == 0) return codec_error::utf8_null_character;  // [MQTT-1.5.4-2]
    if (c == '+' || c == '#') return codec_error::topic_name_has_wildcard;
  }
  return codec_error::ok;
}

template <class Sink>
void emit_publish(Sink& s, const publish_packet& p, protocol_version v) {
  s.str(p.topic);
  if (p.qos_level != qos::at_most_once) s.u16(p.packet_id);
  if (v == protocol_version::v5) wire::emit_properties(s, p.props, property_context::publish);
  s.raw(p.payload);
}

std::uint8_t publish_first_byte(const publish_packet& p) {
  return static_cast<std::uint8_t>(0x30 | (p.dup ? 0x08 : 0) | ((static_cast<unsigned>(p.qos_level) & 3u) << 1) |
                                   (p.retain ? 0x01 : 0));
}

}  // namespace

codec_error decode_publish(std::uint8_t first_byte, bytes_view body, protocol_version version, publish_packet& out) {
  if ((first_byte >> 4) != static_cast<unsigned>(packet_type::publish)) return codec_error::reserved_packet_type;
  const unsigned q = (first_byte >> 1) & 0x03u;
  if (q == 3) return codec_error::qos_invalid;  // [MQTT-3.3.1-4]
  out.dup = (first_byte & 0x08) != 0;
  if (out.dup && q == 0) return codec_error::dup_with_qos_0;  // [MQTT-3.3.1-2]
  out.qos_level = static_cast<qos>(q);
  out.retain = (first_byte & 0x01) != 0;

  wire::reader r{body};
  bytes_view topic;
  if (auto e = r.binary(topic); e != codec_error::ok) return e;
  out.topic = as_chars(topic);
  if (auto e = check_topic_name(out.topic); e != codec_error::ok) return e;
  out.packet_id = 0;
  if (q != 0) {
    if (auto e = r.u16(out.packet_id); e != codec_error::ok) return e;
    if (out.packet_id == 0) return codec_error::packet_id_zero;  // [MQTT-2.2.1-3]
  }
  if (version == protocol_version::v5) {
    if (auto e = wire::decode_properties(r, property_context::publish, out.props); e != codec_error::ok) return e;
    // [MQTT-3.3.2-1] / 3.3.2.3.4: an empty Topic Name needs a Topic Alias.
    if (out.topic.empty() && !out.props.topic_alias) return codec_error::topic_name_empty;
  } else {
    if (!out.props.empty()) wire::clear(out.props);
    if (out.topic.empty()) return codec_error::topic_name_empty;  // [MQTT-4.7.3-1]
  }
  out.payload = r.rest();
  return codec_error::ok;
}

codec_error encode_publish(const publish_packet& p, protocol_version version, std::vector<std::uint8_t>& out) {
  if (static_cast<unsigned>(p.qos_level) > 2) return codec_error::value_out_of_range;
  return wire::encode_frame(publish_first_byte(p), [&](auto& s) { emit_publish(s, p, version); }, out);
}

std::size_t encoded_publish_size(const publish_packet& p, protocol_version version) {
  if (static_cast<unsigned>(p.qos_level) > 2) return 0;
  return wire::frame_size([&](auto& s) { emit_publish(s, p, version); });
}

}  // namespace postcard
