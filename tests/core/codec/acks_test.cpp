// PUBACK, PUBREC, PUBREL, PUBCOMP, PINGREQ, PINGRESP, DISCONNECT and AUTH in every version.
#include "codec_test_util.hpp"

namespace postcard::test {
namespace {

TEST(Ack, V3LiteralsForEveryType) {
  // first byte, type: PUBREL's flags are 0b0010 [MQTT-3.6.1-1]
  const std::pair<std::uint8_t, packet_type> types[] = {
      {0x40, packet_type::puback}, {0x50, packet_type::pubrec}, {0x62, packet_type::pubrel},
      {0x70, packet_type::pubcomp}};
  for (auto [first, type] : types) {
    const bytes wire{first, 0x02,  // fixed header, Remaining Length 2
                     0x00, 0x2A};  // packet id 42
    for (auto v : {v31, v311, v5}) {
      auto a = decode_as<ack_packet>(wire, v);
      EXPECT_EQ(a.type, type);
      EXPECT_EQ(a.packet_id, 42);
      EXPECT_EQ(a.reason, reason_code::success);
      expect_round_trip(wire, v);
    }
  }
}

TEST(Ack, V5ReasonWithoutProperties) {
  const bytes wire{0x40, 0x03,  // PUBACK, Remaining Length 3
                   0x00, 0x01,  // packet id 1
                   0x10};       // No matching subscribers
  auto a = decode_as<ack_packet>(wire, v5);
  EXPECT_EQ(a.reason, reason_code::no_matching_subscribers);
  expect_round_trip(wire, v5);
}

TEST(Ack, V5ReasonAndProperties) {
  const bytes wire{0x50, 0x09,                       // PUBREC, Remaining Length 9
                   0x00, 0x02,                       // packet id 2
                   0x97,                             // Quota exceeded
                   0x05,                             // property length 5
                   0x1F, 0x00, 0x02, 'n', 'o'};      //   Reason String "no"
  auto a = decode_as<ack_packet>(wire, v5);
  EXPECT_EQ(a.reason, reason_code::quota_exceeded);
  EXPECT_EQ(a.props.reason_string, "no");
  expect_round_trip(wire, v5);
}

TEST(Ack, V5SuccessWithEmptyPropertiesEncodesShortForm) {
  // Remaining Length 4 with reason 0 and property length 0 decodes; encoding picks the 2-byte form.
  auto a = decode_as<ack_packet>(bytes{0x70, 0x04, 0x00, 0x05, 0x00, 0x00}, v5);
  EXPECT_EQ(encode_bytes(a, v5), (bytes{0x70, 0x02, 0x00, 0x05}));
}

TEST(Ack, V5PubrelNotFound) {
  const bytes wire{0x62, 0x03, 0x00, 0x09, 0x92};  // PUBREL id 9, Packet Identifier not found
  EXPECT_EQ(decode_as<ack_packet>(wire, v5).reason, reason_code::packet_identifier_not_found);
  expect_round_trip(wire, v5);
}

TEST(AckMalformed, PubrelFlags) {
  expect_error(bytes{0x60, 0x02, 0x00, 0x01}, v311, codec_error::reserved_flags_invalid,
               reason_code::malformed_packet);
}
TEST(AckMalformed, PubackFlags) {
  expect_error(bytes{0x42, 0x02, 0x00, 0x01}, v5, codec_error::reserved_flags_invalid, reason_code::malformed_packet);
}
TEST(AckMalformed, PacketIdZero) {
  expect_error(bytes{0x40, 0x02, 0x00, 0x00}, v311, codec_error::packet_id_zero, reason_code::protocol_error);
}
TEST(AckMalformed, V3TrailingBytes) {
  expect_error(bytes{0x40, 0x03, 0x00, 0x01, 0x00}, v311, codec_error::trailing_bytes, reason_code::malformed_packet);
}
TEST(AckMalformed, Truncated) {
  expect_error(bytes{0x40, 0x01, 0x00}, v5, codec_error::truncated, reason_code::malformed_packet);
}
TEST(AckMalformed, InvalidReasonCode) {
  expect_error(bytes{0x62, 0x03, 0x00, 0x01, 0x10}, v5, codec_error::invalid_reason_code,
               reason_code::protocol_error);
}
TEST(AckMalformed, PropertyNotAllowed) {
  expect_error(bytes{0x40, 0x06, 0x00, 0x01, 0x00, 0x02, 0x01, 0x01}, v5, codec_error::property_not_allowed,
               reason_code::malformed_packet);
}
TEST(AckMalformed, V5TrailingAfterProperties) {
  expect_error(bytes{0x40, 0x05, 0x00, 0x01, 0x00, 0x00, 0xAA}, v5, codec_error::trailing_bytes,
               reason_code::malformed_packet);
}

TEST(Ping, Literals) {
  for (auto v : {v31, v311, v5}) {
    packet p;
    ASSERT_EQ(decode_bytes(bytes{0xC0, 0x00}, v, p), codec_error::ok);  // PINGREQ
    EXPECT_EQ(type_of(p), packet_type::pingreq);
    expect_round_trip(bytes{0xC0, 0x00}, v);
    ASSERT_EQ(decode_bytes(bytes{0xD0, 0x00}, v, p), codec_error::ok);  // PINGRESP
    EXPECT_EQ(type_of(p), packet_type::pingresp);
    expect_round_trip(bytes{0xD0, 0x00}, v);
  }
}
TEST(PingMalformed, Flags) {
  expect_error(bytes{0xC1, 0x00}, v311, codec_error::reserved_flags_invalid, reason_code::malformed_packet);
}
TEST(PingMalformed, Body) {
  expect_error(bytes{0xD0, 0x01, 0x00}, v311, codec_error::trailing_bytes, reason_code::malformed_packet);
}

TEST(Disconnect, V3Literal) {
  for (auto v : {v31, v311}) {
    decode_as<disconnect_packet>(bytes{0xE0, 0x00}, v);  // DISCONNECT, Remaining Length 0
    expect_round_trip(bytes{0xE0, 0x00}, v);
  }
}
TEST(Disconnect, V5ShortForms) {
  EXPECT_EQ(decode_as<disconnect_packet>(bytes{0xE0, 0x00}, v5).reason, reason_code::normal_disconnection);
  expect_round_trip(bytes{0xE0, 0x00}, v5);
  const bytes with_will{0xE0, 0x01, 0x04};  // Disconnect with Will Message, no properties
  EXPECT_EQ(decode_as<disconnect_packet>(with_will, v5).reason, reason_code::disconnect_with_will_message);
  expect_round_trip(with_will, v5);
}
TEST(Disconnect, V5WithProperties) {
  const bytes wire{0xE0, 0x0C,                    // DISCONNECT, Remaining Length 12
                   0x9C,                          // Use another server
                   0x0A,                          // property length 10
                   0x11, 0x00, 0x00, 0x00, 0x00,  //   Session Expiry Interval 0
                   0x1C, 0x00, 0x02, 'h', '2'};   //   Server Reference "h2"
  auto d = decode_as<disconnect_packet>(wire, v5);
  EXPECT_EQ(d.reason, reason_code::use_another_server);
  EXPECT_EQ(d.props.session_expiry_interval, 0u);
  EXPECT_EQ(d.props.server_reference, "h2");
  expect_round_trip(wire, v5);
}
TEST(DisconnectMalformed, V3Body) {
  expect_error(bytes{0xE0, 0x01, 0x00}, v311, codec_error::trailing_bytes, reason_code::malformed_packet);
}
TEST(DisconnectMalformed, Flags) {
  expect_error(bytes{0xE2, 0x00}, v5, codec_error::reserved_flags_invalid, reason_code::malformed_packet);
}
TEST(DisconnectMalformed, ReasonCode) {
  expect_error(bytes{0xE0, 0x01, 0x01}, v5, codec_error::invalid_reason_code, reason_code::protocol_error);
}

TEST(Auth, V5Literals) {
  EXPECT_EQ(decode_as<auth_packet>(bytes{0xF0, 0x00}, v5).reason, reason_code::success);
  expect_round_trip(bytes{0xF0, 0x00}, v5);
  const bytes wire{0xF0, 0x0D,                               // AUTH, Remaining Length 13
                   0x18,                                     // Continue authentication
                   0x0B,                                     // property length 11
                   0x15, 0x00, 0x03, 'S', 'C', 'R',          //   Authentication Method "SCR"
                   0x16, 0x00, 0x02, 0x01, 0x02};            //   Authentication Data 01 02
  auto a = decode_as<auth_packet>(wire, v5);
  EXPECT_EQ(a.reason, reason_code::continue_authentication);
  EXPECT_EQ(a.props.authentication_method, "SCR");
  ASSERT_TRUE(a.props.authentication_data);
  EXPECT_EQ(a.props.authentication_data->size(), 2u);
  expect_round_trip(wire, v5);
}
TEST(AuthMalformed, BeforeV5IsReservedType) {
  expect_error(bytes{0xF0, 0x00}, v311, codec_error::reserved_packet_type, reason_code::malformed_packet);
  bytes out;
  EXPECT_EQ(encode(auth_packet{}, v311, out), codec_error::reserved_packet_type);
}
TEST(Auth, ReasonWithoutPropertiesKeepsPropertyLength) {
  const bytes wire{0xF0, 0x02,  // AUTH, Remaining Length 2
                   0x19,        // Re-authenticate
                   0x00};       // property length 0
  EXPECT_EQ(decode_as<auth_packet>(wire, v5).reason, reason_code::re_authenticate);
  expect_round_trip(wire, v5);
}
TEST(AuthMalformed, ReasonWithoutPropertyLength) {
  expect_error(bytes{0xF0, 0x01, 0x19}, v5, codec_error::truncated, reason_code::malformed_packet);
}
TEST(AuthMalformed, ReasonCode) {
  expect_error(bytes{0xF0, 0x02, 0x87, 0x00}, v5, codec_error::invalid_reason_code, reason_code::protocol_error);
}
TEST(AuthMalformed, Flags) {
  expect_error(bytes{0xF1, 0x00}, v5, codec_error::reserved_flags_invalid, reason_code::malformed_packet);
}

TEST(PacketType, Zero) {
  expect_error(bytes{0x00, 0x00}, v5, codec_error::reserved_packet_type, reason_code::malformed_packet);
}

}  // namespace
}  // namespace postcard::test
