// Reason code names and validity per packet type, the 3.x CONNACK mapping, and the codec error map.
#include <set>

#include "codec_test_util.hpp"

namespace postcard::test {
namespace {

TEST(ReasonCodes, NamesInContext) {
  EXPECT_EQ(to_string(reason_code::success, 14), "Normal disconnection");
  EXPECT_EQ(to_string(reason_code::success, 9), "Granted QoS 0");
  EXPECT_EQ(to_string(reason_code::success, 4), "Success");
  EXPECT_EQ(to_string(reason_code::success), "Success");
  EXPECT_EQ(to_string(reason_code::packet_too_large), "Packet too large");
  EXPECT_EQ(to_string(reason_code::wildcard_subscriptions_not_supported), "Wildcard Subscriptions not supported");
  EXPECT_EQ(to_string(static_cast<reason_code>(0x03)), "Unknown reason code");
}

TEST(ReasonCodes, EveryDefinedCodeHasAName) {
  int named = 0;
  for (unsigned c = 0; c < 256; ++c) {
    if (to_string(static_cast<reason_code>(c)) != "Unknown reason code") ++named;
  }
  EXPECT_EQ(named, 43);  // spec table 2-6: 43 distinct values
}

TEST(ReasonCodes, ValidityPerPacketType) {
  auto count = [](std::uint8_t type) {
    int n = 0;
    for (unsigned c = 0; c < 256; ++c) n += is_valid_reason_code(type, static_cast<std::uint8_t>(c)) ? 1 : 0;
    return n;
  };
  EXPECT_EQ(count(1), 0);   // CONNECT has none
  EXPECT_EQ(count(2), 22);  // CONNACK 3.2.2.2
  EXPECT_EQ(count(4), 9);   // PUBACK 3.4.2.1
  EXPECT_EQ(count(5), 9);   // PUBREC
  EXPECT_EQ(count(6), 2);   // PUBREL
  EXPECT_EQ(count(7), 2);   // PUBCOMP
  EXPECT_EQ(count(9), 12);  // SUBACK 3.9.3
  EXPECT_EQ(count(11), 7);  // UNSUBACK 3.11.3
  EXPECT_EQ(count(14), 29); // DISCONNECT 3.14.2.1
  EXPECT_EQ(count(15), 3);  // AUTH 3.15.2.1
  EXPECT_TRUE(is_valid_reason_code(14, 0x04));
  EXPECT_FALSE(is_valid_reason_code(2, 0x04));
  EXPECT_TRUE(is_valid_reason_code(9, 0xA1));
  EXPECT_FALSE(is_valid_reason_code(11, 0x01));
}

TEST(ReasonCodes, ConnectReturnCodes) {
  EXPECT_EQ(to_connect_return_code(reason_code::success), connect_return_code::accepted);
  EXPECT_EQ(to_connect_return_code(reason_code::unsupported_protocol_version),
            connect_return_code::unacceptable_protocol_version);
  EXPECT_EQ(to_connect_return_code(reason_code::client_identifier_not_valid), connect_return_code::identifier_rejected);
  EXPECT_EQ(to_connect_return_code(reason_code::server_busy), connect_return_code::server_unavailable);
  EXPECT_EQ(to_connect_return_code(reason_code::bad_user_name_or_password),
            connect_return_code::bad_user_name_or_password);
  EXPECT_EQ(to_connect_return_code(reason_code::banned), connect_return_code::not_authorized);
  EXPECT_EQ(to_string(connect_return_code::identifier_rejected), "identifier rejected");
}

TEST(CodecErrors, EveryErrorDescribedAndMapped) {
  std::set<std::string_view> descriptions;
  const auto last = static_cast<unsigned>(codec_error::value_out_of_range);
  for (unsigned e = 0; e <= last; ++e) {
    const auto err = static_cast<codec_error>(e);
    const auto text = describe(err);
    EXPECT_NE(text, "unknown codec error") << e;
    descriptions.insert(text);
    const auto code = static_cast<std::uint8_t>(to_reason_code(err));
    if (err == codec_error::ok) {
      EXPECT_EQ(code, 0x00);
    } else {
      // Every peer error maps to a code a v5 DISCONNECT (or, for CONNECT errors, a CONNACK) may carry.
      EXPECT_TRUE(is_valid_reason_code(14, code) || is_valid_reason_code(2, code)) << e;
    }
  }
  EXPECT_EQ(descriptions.size(), last + 1);  // all distinct
  EXPECT_EQ(to_reason_code(codec_error::packet_too_large), reason_code::packet_too_large);
  EXPECT_EQ(to_reason_code(codec_error::unsupported_protocol_version), reason_code::unsupported_protocol_version);
  EXPECT_EQ(to_reason_code(codec_error::topic_alias_zero), reason_code::topic_alias_invalid);
  EXPECT_EQ(to_reason_code(codec_error::duplicate_property), reason_code::protocol_error);
  EXPECT_EQ(to_reason_code(codec_error::invalid_utf8), reason_code::malformed_packet);
}

TEST(Utf8, WellFormednessTable) {
  struct item {
    bytes s;
    codec_error expected;
  };
  const item items[] = {
      {{'a', 'b'}, codec_error::ok},
      {{0xC3, 0xA9}, codec_error::ok},                // é
      {{0xE2, 0x82, 0xAC}, codec_error::ok},          // €
      {{0xF0, 0x9F, 0x98, 0x80}, codec_error::ok},    // U+1F600
      {{0xEF, 0xBF, 0xBF}, codec_error::ok},          // U+FFFF non-character: allowed on the wire
      {{0xF4, 0x8F, 0xBF, 0xBF}, codec_error::ok},    // U+10FFFF
      {{0x00}, codec_error::utf8_null_character},     // [MQTT-1.5.4-2]
      {{0xC0, 0x80}, codec_error::invalid_utf8},      // overlong U+0000
      {{0xC1, 0xBF}, codec_error::invalid_utf8},      // overlong
      {{0xE0, 0x80, 0xAF}, codec_error::invalid_utf8},// overlong '/'
      {{0xED, 0xA0, 0x80}, codec_error::invalid_utf8},// U+D800 surrogate [MQTT-1.5.4-1]
      {{0xED, 0xBF, 0xBF}, codec_error::invalid_utf8},// U+DFFF surrogate
      {{0xF4, 0x90, 0x80, 0x80}, codec_error::invalid_utf8},  // above U+10FFFF
      {{0xF5, 0x80, 0x80, 0x80}, codec_error::invalid_utf8},
      {{0x80}, codec_error::invalid_utf8},            // lone continuation
      {{0xC3}, codec_error::invalid_utf8},            // truncated sequence
      {{0xE2, 0x82}, codec_error::invalid_utf8},
      {{0xE2, 0x28, 0xA1}, codec_error::invalid_utf8},// bad continuation
  };
  for (const auto& it : items) {
    bytes body{0x00, static_cast<std::uint8_t>(it.s.size())};
    body.insert(body.end(), it.s.begin(), it.s.end());
    body.push_back(0x00);  // SUBSCRIBE options: QoS 0
    packet p;
    bytes wire{0x82};
    append_variable_byte_integer(static_cast<std::uint32_t>(body.size() + 2), wire);
    wire.push_back(0x00);
    wire.push_back(0x01);  // packet id 1
    wire.insert(wire.end(), body.begin(), body.end());
    EXPECT_EQ(decode_bytes(wire, v311, p), it.expected) << testing::PrintToString(it.s);
  }
}

}  // namespace
}  // namespace postcard::test
