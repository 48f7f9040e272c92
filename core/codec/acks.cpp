// The small packets: PUBACK, PUBREC, PUBREL, PUBCOMP (spec 3.4-3.7), DISCONNECT (3.14), AUTH (3.15),
// PINGREQ and PINGRESP (3.12, 3.13). In 5.0 the reason code and properties have short forms: a
// Remaining Length of 2 (acks) or 0 (DISCONNECT, AUTH) means Success without properties, one byte
// more means a reason code without properties. Encoding always picks the shortest form.
#include "codec/codec.hpp"
#include "codec/families.hpp"
#include "codec/wire.hpp"

namespace postcard::detail {
namespace {

using wire::reader;

// Reads the optional "reason code, then optional properties" tail of a v5 packet. AUTH may omit both
// but not the Property Length alone (3.15.2.1); acks and DISCONNECT may (3.4.2.2.1, 3.14.2.2.1).
codec_error decode_reason_tail(reader& r, std::uint8_t type, reason_code& reason, properties& props) {
  wire::clear(props);
  reason = reason_code::success;
  if (r.done()) return codec_error::ok;
  std::uint8_t code = 0;
  (void)r.u8(code);
  if (!is_valid_reason_code(type, code)) return codec_error::invalid_reason_code;
  reason = static_cast<reason_code>(code);
  if (r.done()) return type == 15 ? codec_error::truncated : codec_error::ok;
  if (auto e = wire::decode_properties(r, static_cast<property_context>(type), props); e != codec_error::ok) return e;
  return r.done() ? codec_error::ok : codec_error::trailing_bytes;
}

template <class Sink>
void emit_reason_tail(Sink& s, reason_code reason, const properties& props, property_context ctx) {
  if (props.empty()) {
    if (reason == reason_code::success) return;
    s.u8(static_cast<std::uint8_t>(reason));
    if (ctx == property_context::auth) s.u8(0);  // AUTH keeps its Property Length (3.15.2.1)
    return;
  }
  s.u8(static_cast<std::uint8_t>(reason));
  wire::emit_properties(s, props, ctx);
}

bool is_ack_type(packet_type t) { return t >= packet_type::puback && t <= packet_type::pubcomp; }

template <class Sink>
void emit_ack(Sink& s, const ack_packet& p, version_t v) {
  s.u16(p.packet_id);
  if (v == protocol_version::v5) emit_reason_tail(s, p.reason, p.props, static_cast<property_context>(p.type));
}

}  // namespace

codec_error decode_ack(std::uint8_t first, bytes_view body, version_t v, ack_packet& out) {
  out.type = static_cast<packet_type>(first >> 4);
  // PUBREL's flags are 0b0010 in every version, the others' 0 [MQTT-2.1.3-1], [MQTT-3.6.1-1].
  const unsigned required = out.type == packet_type::pubrel ? 0x02u : 0x00u;
  if ((first & 0x0Fu) != required) return codec_error::reserved_flags_invalid;
  reader r{body};
  if (auto e = r.u16(out.packet_id); e != codec_error::ok) return e;
  if (out.packet_id == 0) return codec_error::packet_id_zero;  // [MQTT-2.2.1-3]
  if (v != protocol_version::v5) {
    out.reason = reason_code::success;
    wire::clear(out.props);
    return r.done() ? codec_error::ok : codec_error::trailing_bytes;
  }
  return decode_reason_tail(r, static_cast<std::uint8_t>(out.type), out.reason, out.props);
}

codec_error encode_ack(const ack_packet& p, version_t v, buffer& out) {
  if (!is_ack_type(p.type)) return codec_error::value_out_of_range;
  const auto first = static_cast<std::uint8_t>((static_cast<unsigned>(p.type) << 4) |
                                               (p.type == packet_type::pubrel ? 0x02u : 0u));
  return wire::encode_frame(first, [&](auto& s) { emit_ack(s, p, v); }, out);
}
std::size_t ack_size(const ack_packet& p, version_t v) {
  if (!is_ack_type(p.type)) return 0;
  return wire::frame_size([&](auto& s) { emit_ack(s, p, v); });
}

codec_error decode_disconnect(std::uint8_t first, bytes_view body, version_t v, disconnect_packet& out) {
  if ((first & 0x0F) != 0) return codec_error::reserved_flags_invalid;  // [MQTT-2.1.3-1]
  reader r{body};
  if (v != protocol_version::v5) {  // 3.x DISCONNECT has no variable header
    out.reason = reason_code::normal_disconnection;
    wire::clear(out.props);
    return r.done() ? codec_error::ok : codec_error::trailing_bytes;
  }
  return decode_reason_tail(r, 14, out.reason, out.props);
}
codec_error encode_disconnect(const disconnect_packet& p, version_t v, buffer& out) {
  return wire::encode_frame(
      0xE0,
      [&](auto& s) {
        if (v == protocol_version::v5) emit_reason_tail(s, p.reason, p.props, property_context::disconnect);
      },
      out);
}
std::size_t disconnect_size(const disconnect_packet& p, version_t v) {
  return wire::frame_size([&](auto& s) {
    if (v == protocol_version::v5) emit_reason_tail(s, p.reason, p.props, property_context::disconnect);
  });
}

codec_error decode_auth(std::uint8_t first, bytes_view body, version_t v, auth_packet& out) {
  if (v != protocol_version::v5) return codec_error::reserved_packet_type;  // type 15 is reserved before 5.0
  if ((first & 0x0F) != 0) return codec_error::reserved_flags_invalid;       // [MQTT-3.15.1-1]
  reader r{body};
  return decode_reason_tail(r, 15, out.reason, out.props);
}
codec_error encode_auth(const auth_packet& p, version_t v, buffer& out) {
  if (v != protocol_version::v5) return codec_error::reserved_packet_type;
  return wire::encode_frame(0xF0, [&](auto& s) { emit_reason_tail(s, p.reason, p.props, property_context::auth); },
                            out);
}
std::size_t auth_size(const auth_packet& p, version_t v) {
  if (v != protocol_version::v5) return 0;
  return wire::frame_size([&](auto& s) { emit_reason_tail(s, p.reason, p.props, property_context::auth); });
}

codec_error decode_empty(std::uint8_t first, bytes_view body) {
  if ((first & 0x0F) != 0) return codec_error::reserved_flags_invalid;  // [MQTT-2.1.3-1]
  return body.empty() ? codec_error::ok : codec_error::trailing_bytes;
}
codec_error encode_empty(packet_type t, buffer& out) {
  out.push_back(static_cast<std::uint8_t>(static_cast<unsigned>(t) << 4));
  out.push_back(0);
  return codec_error::ok;
}

}  // namespace postcard::detail
