// SUBSCRIBE (spec 3.8), SUBACK (3.9), UNSUBSCRIBE (3.10), UNSUBACK (3.11). Topic filter syntax is
// the broker's to judge (it answers 0x8F per filter); the codec checks filters' UTF-8 only.
#include "codec/codec.hpp"
#include "codec/families.hpp"
#include "codec/wire.hpp"

namespace postcard::detail {
namespace {

using wire::reader;

bool v5(version_t v) { return v == protocol_version::v5; }

// The head shared by all four: fixed-header flags, a non-zero Packet Identifier [MQTT-2.2.1-3], the
// properties in 5.0.
codec_error decode_head(std::uint8_t first, unsigned flags, reader& r, version_t v, property_context ctx,
                        std::uint16_t& packet_id, properties& props) {
  if ((first & 0x0Fu) != flags) return codec_error::reserved_flags_invalid;  // [MQTT-2.1.3-1]
  if (auto e = r.u16(packet_id); e != codec_error::ok) return e;
  if (packet_id == 0) return codec_error::packet_id_zero;
  if (v5(v)) return wire::decode_properties(r, ctx, props);
  wire::clear(props);
  return codec_error::ok;
}

codec_error decode_reasons(reader& r, version_t v, std::uint8_t type, std::vector<reason_code>& out) {
  out.clear();
  while (!r.done()) {
    std::uint8_t code = 0;
    (void)r.u8(code);
    // 3.1.1 SUBACK: 0x00..0x02 or 0x80 (3.9.3); 5.0: 3.9.3 / 3.11.3.
    const bool ok = v5(v) ? is_valid_reason_code(type, code) : (code <= 2 || code == 0x80);
    if (!ok) return codec_error::invalid_reason_code;
    out.push_back(static_cast<reason_code>(code));
  }
  // One reason code per filter, and a request has at least one filter.
  return out.empty() ? codec_error::truncated : codec_error::ok;
}

template <class Sink>
void emit_subscribe(Sink& s, const subscribe_packet& p, version_t v) {
  s.u16(p.packet_id);
  if (v5(v)) wire::emit_properties(s, p.props, property_context::subscribe);
  for (const auto& t : p.topics) {
    s.str(t.filter);
    const auto q = static_cast<unsigned>(t.max_qos);
    const auto rh = static_cast<unsigned>(t.handling);
    if (q > 2 || rh > 2) s.fail(codec_error::value_out_of_range);
    unsigned opts = q & 3u;
    if (v5(v)) opts |= (t.no_local ? 0x04u : 0u) | (t.retain_as_published ? 0x08u : 0u) | ((rh & 3u) << 4);
    s.u8(static_cast<std::uint8_t>(opts));
  }
}

template <class Sink>
void emit_suback(Sink& s, std::uint16_t packet_id, const properties& props, property_context ctx,
                 const std::vector<reason_code>& reasons, version_t v) {
  s.u16(packet_id);
  if (v5(v)) wire::emit_properties(s, props, ctx);
  for (auto r : reasons) s.u8(static_cast<std::uint8_t>(r));
}

template <class Sink>
void emit_unsubscribe(Sink& s, const unsubscribe_packet& p, version_t v) {
  s.u16(p.packet_id);
  if (v5(v)) wire::emit_properties(s, p.props, property_context::unsubscribe);
  for (auto f : p.filters) s.str(f);
}

}  // namespace

codec_error decode_subscribe(std::uint8_t first, bytes_view body, version_t v, subscribe_packet& out) {
  reader r{body};
  // [MQTT-3.8.1-1] flags 0b0010.
  if (auto e = decode_head(first, 0x02, r, v, property_context::subscribe, out.packet_id, out.props);
      e != codec_error::ok)
    return e;
  out.topics.clear();
  while (!r.done()) {
    subscribe_topic t;
    if (auto e = r.utf8(t.filter); e != codec_error::ok) return e;  // [MQTT-3.8.3-1]
    std::uint8_t opts = 0;
    if (auto e = r.u8(opts); e != codec_error::ok) return e;
    // Reserved bits: 7-2 in 3.x, 7-6 in 5.0 [MQTT-3.8.3-5] (3.1.1: [MQTT-3-8.3-4]).
    if ((opts & (v5(v) ? 0xC0u : 0xFCu)) != 0) return codec_error::subscription_options_reserved;
    if ((opts & 0x03u) == 3) return codec_error::subscription_qos_invalid;  // 3.8.3.1
    if (((opts >> 4) & 0x03u) == 3) return codec_error::retain_handling_invalid;  // 3.8.3.1
    t.max_qos = static_cast<qos>(opts & 0x03u);
    t.no_local = (opts & 0x04u) != 0;
    t.retain_as_published = (opts & 0x08u) != 0;
    t.handling = static_cast<retain_handling>((opts >> 4) & 0x03u);
    out.topics.push_back(t);
  }
  if (out.topics.empty()) return codec_error::subscribe_without_topics;  // [MQTT-3.8.3-2]
  return codec_error::ok;
}
codec_error encode_subscribe(const subscribe_packet& p, version_t v, buffer& out) {
  return wire::encode_frame(0x82, [&](auto& s) { emit_subscribe(s, p, v); }, out);
}
std::size_t subscribe_size(const subscribe_packet& p, version_t v) {
  return wire::frame_size([&](auto& s) { emit_subscribe(s, p, v); });
}

codec_error decode_suback(std::uint8_t first, bytes_view body, version_t v, suback_packet& out) {
  reader r{body};
  if (auto e = decode_head(first, 0x00, r, v, property_context::suback, out.packet_id, out.props);
      e != codec_error::ok)
    return e;
  return decode_reasons(r, v, 9, out.reasons);
}
codec_error encode_suback(const suback_packet& p, version_t v, buffer& out) {
  return wire::encode_frame(
      0x90, [&](auto& s) { emit_suback(s, p.packet_id, p.props, property_context::suback, p.reasons, v); }, out);
}
std::size_t suback_size(const suback_packet& p, version_t v) {
  return wire::frame_size(
      [&](auto& s) { emit_suback(s, p.packet_id, p.props, property_context::suback, p.reasons, v); });
}

codec_error decode_unsubscribe(std::uint8_t first, bytes_view body, version_t v, unsubscribe_packet& out) {
  reader r{body};
  // [MQTT-3.10.1-1] flags 0b0010.
  if (auto e = decode_head(first, 0x02, r, v, property_context::unsubscribe, out.packet_id, out.props);
      e != codec_error::ok)
    return e;
  out.filters.clear();
  while (!r.done()) {
    std::string_view f;
    if (auto e = r.utf8(f); e != codec_error::ok) return e;  // [MQTT-3.10.3-1]
    out.filters.push_back(f);
  }
  if (out.filters.empty()) return codec_error::unsubscribe_without_topics;  // [MQTT-3.10.3-2]
  return codec_error::ok;
}
codec_error encode_unsubscribe(const unsubscribe_packet& p, version_t v, buffer& out) {
  return wire::encode_frame(0xA2, [&](auto& s) { emit_unsubscribe(s, p, v); }, out);
}
std::size_t unsubscribe_size(const unsubscribe_packet& p, version_t v) {
  return wire::frame_size([&](auto& s) { emit_unsubscribe(s, p, v); });
}

codec_error decode_unsuback(std::uint8_t first, bytes_view body, version_t v, unsuback_packet& out) {
  reader r{body};
  if (auto e = decode_head(first, 0x00, r, v, property_context::unsuback, out.packet_id, out.props);
      e != codec_error::ok)
    return e;
  if (!v5(v)) {  // 3.x UNSUBACK is the Packet Identifier alone
    out.reasons.clear();
    return r.done() ? codec_error::ok : codec_error::trailing_bytes;
  }
  return decode_reasons(r, v, 11, out.reasons);
}
codec_error encode_unsuback(const unsuback_packet& p, version_t v, buffer& out) {
  static const std::vector<reason_code> none;
  return wire::encode_frame(
      0xB0,
      [&](auto& s) { emit_suback(s, p.packet_id, p.props, property_context::unsuback, v5(v) ? p.reasons : none, v); },
      out);
}
std::size_t unsuback_size(const unsuback_packet& p, version_t v) {
  static const std::vector<reason_code> none;
  return wire::frame_size(
      [&](auto& s) { emit_suback(s, p.packet_id, p.props, property_context::unsuback, v5(v) ? p.reasons : none, v); });
}

}  // namespace postcard::detail
