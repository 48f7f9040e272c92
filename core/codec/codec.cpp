// Dispatch by packet type: decode_packet, encode, encoded_size, type_of, and the Variable Byte
// Integer helpers (spec 1.5.5).
#include "codec/codec.hpp"

#include "codec/families.hpp"
#include "codec/wire.hpp"

namespace postcard {
namespace {

// Reuses the variant's current alternative when it is already the right one (keeps vector capacity).
template <class T>
T& slot(packet& out) {
  if (auto* p = std::get_if<T>(&out)) return *p;
  return out.template emplace<T>();
}

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

}  // namespace

namespace wire {
std::size_t vbi_size(std::uint32_t v) { return variable_byte_integer_size(v); }
}  // namespace wire

void append_variable_byte_integer(std::uint32_t value, std::vector<std::uint8_t>& out) {
  do {
    auto b = static_cast<std::uint8_t>(value & 0x7Fu);
    value >>= 7;
    if (value != 0) b = static_cast<std::uint8_t>(b | 0x80u);
    out.push_back(b);
  } while (value != 0);
}

std::size_t variable_byte_integer_size(std::uint32_t value) {
  return value < 128u ? 1 : value < 16'384u ? 2 : value < 2'097'152u ? 3 : 4;
}

packet_type type_of(const packet& p) {
  return std::visit(overloaded{
                        [](const connect_packet&) { return packet_type::connect; },
                        [](const connack_packet&) { return packet_type::connack; },
                        [](const publish_packet&) { return packet_type::publish; },
                        [](const ack_packet& a) { return a.type; },
                        [](const subscribe_packet&) { return packet_type::subscribe; },
                        [](const suback_packet&) { return packet_type::suback; },
                        [](const unsubscribe_packet&) { return packet_type::unsubscribe; },
                        [](const unsuback_packet&) { return packet_type::unsuback; },
                        [](const pingreq_packet&) { return packet_type::pingreq; },
                        [](const pingresp_packet&) { return packet_type::pingresp; },
                        [](const disconnect_packet&) { return packet_type::disconnect; },
                        [](const auth_packet&) { return packet_type::auth; },
                    },
                    p);
}

codec_error decode_packet(std::uint8_t first_byte, bytes_view body, protocol_version version, packet& out) {
  using namespace detail;
  switch (static_cast<packet_type>(first_byte >> 4)) {
    case packet_type::connect: return decode_connect(first_byte, body, slot<connect_packet>(out));
    case packet_type::connack: return decode_connack(first_byte, body, version, slot<connack_packet>(out));
    case packet_type::publish: return decode_publish(first_byte, body, version, slot<publish_packet>(out));
    case packet_type::puback:
    case packet_type::pubrec:
    case packet_type::pubrel:
    case packet_type::pubcomp: return decode_ack(first_byte, body, version, slot<ack_packet>(out));
    case packet_type::subscribe: return decode_subscribe(first_byte, body, version, slot<subscribe_packet>(out));
    case packet_type::suback: return decode_suback(first_byte, body, version, slot<suback_packet>(out));
    case packet_type::unsubscribe:
      return decode_unsubscribe(first_byte, body, version, slot<unsubscribe_packet>(out));
    case packet_type::unsuback: return decode_unsuback(first_byte, body, version, slot<unsuback_packet>(out));
    case packet_type::pingreq: slot<pingreq_packet>(out); return decode_empty(first_byte, body);
    case packet_type::pingresp: slot<pingresp_packet>(out); return decode_empty(first_byte, body);
    case packet_type::disconnect:
      return decode_disconnect(first_byte, body, version, slot<disconnect_packet>(out));
    case packet_type::auth: return decode_auth(first_byte, body, version, slot<auth_packet>(out));
  }
  return codec_error::reserved_packet_type;  // type 0 [MQTT-2.1.2]
}

codec_error encode(const packet& p, protocol_version version, std::vector<std::uint8_t>& out) {
  using namespace detail;
  return std::visit(overloaded{
                        [&](const connect_packet& x) { return encode_connect(x, out); },
                        [&](const connack_packet& x) { return encode_connack(x, version, out); },
                        [&](const publish_packet& x) { return encode_publish(x, version, out); },
                        [&](const ack_packet& x) { return encode_ack(x, version, out); },
                        [&](const subscribe_packet& x) { return encode_subscribe(x, version, out); },
                        [&](const suback_packet& x) { return encode_suback(x, version, out); },
                        [&](const unsubscribe_packet& x) { return encode_unsubscribe(x, version, out); },
                        [&](const unsuback_packet& x) { return encode_unsuback(x, version, out); },
                        [&](const pingreq_packet&) { return encode_empty(packet_type::pingreq, out); },
                        [&](const pingresp_packet&) { return encode_empty(packet_type::pingresp, out); },
                        [&](const disconnect_packet& x) { return encode_disconnect(x, version, out); },
                        [&](const auth_packet& x) { return encode_auth(x, version, out); },
                    },
                    p);
}

std::size_t encoded_size(const packet& p, protocol_version version) {
  using namespace detail;
  return std::visit(overloaded{
                        [&](const connect_packet& x) { return connect_size(x); },
                        [&](const connack_packet& x) { return connack_size(x, version); },
                        [&](const publish_packet& x) { return encoded_publish_size(x, version); },
                        [&](const ack_packet& x) { return ack_size(x, version); },
                        [&](const subscribe_packet& x) { return subscribe_size(x, version); },
                        [&](const suback_packet& x) { return suback_size(x, version); },
                        [&](const unsubscribe_packet& x) { return unsubscribe_size(x, version); },
                        [&](const unsuback_packet& x) { return unsuback_size(x, version); },
                        [&](const pingreq_packet&) { return std::size_t{2}; },
                        [&](const pingresp_packet&) { return std::size_t{2}; },
                        [&](const disconnect_packet& x) { return disconnect_size(x, version); },
                        [&](const auth_packet& x) { return auth_size(x, version); },
                    },
                    p);
}

}  // namespace postcard
