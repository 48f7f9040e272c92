#pragma once
// Internal to the codec: one decoder, encoder and sizer per packet family, dispatched by codec.cpp.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "codec/errors.hpp"
#include "codec/packets.hpp"

namespace postcard::detail {

using buffer = std::vector<std::uint8_t>;
using version_t = protocol_version;

// connect.cpp
codec_error encode_connect(const connect_packet& p, buffer& out);
std::size_t connect_size(const connect_packet& p);
codec_error decode_connack(std::uint8_t first, bytes_view body, version_t v, connack_packet& out);
codec_error encode_connack(const connack_packet& p, version_t v, buffer& out);
std::size_t connack_size(const connack_packet& p, version_t v);

// acks.cpp: PUBACK, PUBREC, PUBREL, PUBCOMP, DISCONNECT, AUTH, PINGREQ, PINGRESP
codec_error decode_ack(std::uint8_t first, bytes_view body, version_t v, ack_packet& out);
codec_error encode_ack(const ack_packet& p, version_t v, buffer& out);
std::size_t ack_size(const ack_packet& p, version_t v);
codec_error decode_disconnect(std::uint8_t first, bytes_view body, version_t v, disconnect_packet& out);
codec_error encode_disconnect(const disconnect_packet& p, version_t v, buffer& out);
std::size_t disconnect_size(const disconnect_packet& p, version_t v);
codec_error decode_auth(std::uint8_t first, bytes_view body, version_t v, auth_packet& out);
codec_error encode_auth(const auth_packet& p, version_t v, buffer& out);
std::size_t auth_size(const auth_packet& p, version_t v);
codec_error decode_empty(std::uint8_t first, bytes_view body);
codec_error encode_empty(packet_type t, buffer& out);

// subscribe.cpp
codec_error decode_subscribe(std::uint8_t first, bytes_view body, version_t v, subscribe_packet& out);
codec_error encode_subscribe(const subscribe_packet& p, version_t v, buffer& out);
std::size_t subscribe_size(const subscribe_packet& p, version_t v);
codec_error decode_suback(std::uint8_t first, bytes_view body, version_t v, suback_packet& out);
codec_error encode_suback(const suback_packet& p, version_t v, buffer& out);
std::size_t suback_size(const suback_packet& p, version_t v);
codec_error decode_unsubscribe(std::uint8_t first, bytes_view body, version_t v, unsubscribe_packet& out);
codec_error encode_unsubscribe(const unsubscribe_packet& p, version_t v, buffer& out);
std::size_t unsubscribe_size(const unsubscribe_packet& p, version_t v);
codec_error decode_unsuback(std::uint8_t first, bytes_view body, version_t v, unsuback_packet& out);
codec_error encode_unsuback(const unsuback_packet& p, version_t v, buffer& out);
std::size_t unsuback_size(const unsuback_packet& p, version_t v);

}  // namespace postcard::detail
