// CONNECT (spec 3.1; 3.1.1 section 3.1; 3.1 "MQIsdp") and CONNACK (3.2).
#include "codec/codec.hpp"
#include "codec/families.hpp"
#include "codec/wire.hpp"

namespace postcard {
namespace {

using wire::reader;

constexpr std::uint8_t flag_clean = 0x02, flag_will = 0x04, flag_will_retain = 0x20, flag_password = 0x40,
                       flag_username = 0x80;

bool has_wildcard(std::string_view topic) { return topic.find_first_of("+#") != std::string_view::npos; }

codec_error decode_will(reader& r, protocol_version v, std::uint8_t flags, will_message& w) {
  if (v == protocol_version::v5) {
    if (auto e = wire::decode_properties(r, property_context::will, w.props); e != codec_error::ok) return e;
  }
  if (auto e = r.utf8(w.topic); e != codec_error::ok) return e;
  // The Will Topic is a Topic Name: no wildcards, not empty [MQTT-3.1.3-11], [MQTT-4.7.3-1].
  if (has_wildcard(w.topic)) return codec_error::topic_name_has_wildcard;
  if (w.topic.empty()) return codec_error::topic_name_empty;
  if (auto e = r.binary(w.payload); e != codec_error::ok) return e;
  w.qos_level = static_cast<qos>((flags >> 3) & 0x03);
  w.retain = (flags & flag_will_retain) != 0;
  return codec_error::ok;
}

template <class Sink>
void emit_connect(Sink& s, const connect_packet& p) {
  const bool v5 = p.version == protocol_version::v5;
  s.str(p.version == protocol_version::v3_1 ? std::string_view{"MQIsdp"} : std::string_view{"MQTT"});
  s.u8(static_cast<std::uint8_t>(p.version));
  std::uint8_t flags = p.clean_start ? flag_clean : 0;
  if (p.will) {
    if (static_cast<std::uint8_t>(p.will->qos_level) > 2) s.fail(codec_error::value_out_of_range);
    flags = static_cast<std::uint8_t>(flags | flag_will | ((static_cast<unsigned>(p.will->qos_level) & 3u) << 3) |
                                      (p.will->retain ? flag_will_retain : 0));
  }
  if (p.username) flags |= flag_username;
  if (p.password) flags |= flag_password;
  s.u8(flags);
  s.u16(p.keep_alive);
  if (v5) wire::emit_properties(s, p.props, property_context::connect);
  s.str(p.client_id);
  if (p.will) {
    if (v5) wire::emit_properties(s, p.will->props, property_context::will);
    s.str(p.will->topic);
    s.bin(p.will->payload);
  }
  if (p.username) s.str(*p.username);
  if (p.password) s.bin(*p.password);
}

template <class Sink>
void emit_connack(Sink& s, const connack_packet& p, protocol_version v) {
  // 3.1 has no Session Present flag: the byte is unused.
  s.u8(p.session_present && v != protocol_version::v3_1 ? 1 : 0);
  auto code = static_cast<std::uint8_t>(p.reason);
  // 3.x carries a return code 0..5; a v5 reason code is mapped to the closest one.
  if (v != protocol_version::v5 && code > 5) code = static_cast<std::uint8_t>(to_connect_return_code(p.reason));
  s.u8(code);
  if (v == protocol_version::v5) wire::emit_properties(s, p.props, property_context::connack);
}

}  // namespace

codec_error decode_connect(std::uint8_t first_byte, bytes_view body, connect_packet& out) {
  if ((first_byte & 0x0F) != 0) return codec_error::reserved_flags_invalid;  // [MQTT-2.1.3-1]
  reader r{body};
  if (auto e = r.utf8(out.protocol_name); e != codec_error::ok) return e;
  std::uint8_t level = 0;
  if (auto e = r.u8(level); e != codec_error::ok) return e;
  // [MQTT-3.1.2-1] the name, then [MQTT-3.1.2-2] the level that goes with it.
  if (out.protocol_name == "MQTT") {
    if (level != 4 && level != 5) return codec_error::unsupported_protocol_version;
  } else if (out.protocol_name == "MQIsdp") {
    if (level != 3) return codec_error::unsupported_protocol_version;
  } else {
    return codec_error::invalid_protocol_name;
  }
  out.version = static_cast<protocol_version>(level);
  const bool v5 = out.version == protocol_version::v5;

  std::uint8_t flags = 0;
  if (auto e = r.u8(flags); e != codec_error::ok) return e;
  if ((flags & 0x01) != 0) return codec_error::connect_reserved_flag_set;  // [MQTT-3.1.2-3]
  const bool will = (flags & flag_will) != 0;
  const unsigned will_qos = (flags >> 3) & 0x03u;
  if (!will && (will_qos != 0 || (flags & flag_will_retain) != 0))
    return codec_error::will_flags_without_will;  // [MQTT-3.1.2-11], [MQTT-3.1.2-13]
  if (will && will_qos == 3) return codec_error::will_qos_invalid;  // [MQTT-3.1.2-12]
  // [MQTT-3.1.2-22] in 3.1.1 (and 3.1); 5.0 allows a password without a user name.
  if (!v5 && (flags & flag_password) != 0 && (flags & flag_username) == 0)
    return codec_error::password_without_username;
  out.clean_start = (flags & flag_clean) != 0;
  if (auto e = r.u16(out.keep_alive); e != codec_error::ok) return e;
  if (v5) {
    if (auto e = wire::decode_properties(r, property_context::connect, out.props); e != codec_error::ok) return e;
  } else {
    wire::clear(out.props);
  }
  if (auto e = r.utf8(out.client_id); e != codec_error::ok) return e;  // [MQTT-3.1.3-4]
  out.will.reset();
  if (will) {
    if (auto e = decode_will(r, out.version, flags, out.will.emplace()); e != codec_error::ok) return e;
  }
  out.username.reset();
  out.password.reset();
  if ((flags & flag_username) != 0) {
    if (auto e = r.utf8(out.username.emplace()); e != codec_error::ok) return e;  // [MQTT-3.1.3-11]
  }
  if ((flags & flag_password) != 0) {
    if (auto e = r.binary(out.password.emplace()); e != codec_error::ok) return e;
  }
  return r.done() ? codec_error::ok : codec_error::trailing_bytes;
}

namespace detail {

codec_error encode_connect(const connect_packet& p, buffer& out) {
  return wire::encode_frame(0x10, [&](auto& s) { emit_connect(s, p); }, out);
}
std::size_t connect_size(const connect_packet& p) {
  return wire::frame_size([&](auto& s) { emit_connect(s, p); });
}

codec_error decode_connack(std::uint8_t first, bytes_view body, version_t v, connack_packet& out) {
  if ((first & 0x0F) != 0) return codec_error::reserved_flags_invalid;  // [MQTT-2.1.3-1]
  reader r{body};
  std::uint8_t flags = 0, code = 0;
  if (auto e = r.u8(flags); e != codec_error::ok) return e;
  if ((flags & 0xFE) != 0) return codec_error::invalid_connack_flags;  // [MQTT-3.2.2-1]
  if (auto e = r.u8(code); e != codec_error::ok) return e;
  out.session_present = (flags & 0x01) != 0 && v != protocol_version::v3_1;
  out.reason = static_cast<reason_code>(code);
  if (v == protocol_version::v5) {
    if (!is_valid_reason_code(2, code)) return codec_error::invalid_reason_code;  // 3.2.2.2
    if (auto e = wire::decode_properties(r, property_context::connack, out.props); e != codec_error::ok) return e;
  } else {
    if (code > 5) return codec_error::invalid_reason_code;  // 3.1.1 table 3.1
    wire::clear(out.props);
  }
  // [MQTT-3.2.2-6] (3.1.1: [MQTT-3.2.2-4]): a refused connection has Session Present 0.
  if (code != 0 && out.session_present) return codec_error::invalid_connack_flags;
  return r.done() ? codec_error::ok : codec_error::trailing_bytes;
}

codec_error encode_connack(const connack_packet& p, version_t v, buffer& out) {
  return wire::encode_frame(0x20, [&](auto& s) { emit_connack(s, p, v); }, out);
}
std::size_t connack_size(const connack_packet& p, version_t v) {
  return wire::frame_size([&](auto& s) { emit_connack(s, p, v); });
}

}  // namespace detail
}  // namespace postcard
