// CONNECT and CONNACK in MQTT 3.1, 3.1.1 and 5.0: byte literals, round trips, malformed variants.
#include "codec_test_util.hpp"

namespace postcard::test {
namespace {

const bytes connect_v31{
    0x10, 0x0F,                               // CONNECT, Remaining Length 15
    0x00, 0x06, 'M', 'Q', 'I', 's', 'd', 'p', // protocol name "MQIsdp"
    0x03,                                     // protocol level 3 (3.1)
    0x02,                                     // flags: clean session
    0x00, 0x3C,                               // keep alive 60
    0x00, 0x01, 'c',                          // client id "c"
};

const bytes connect_v311_minimal{
    0x10, 0x0F,                          // CONNECT, Remaining Length 15
    0x00, 0x04, 'M', 'Q', 'T', 'T',      // protocol name "MQTT"
    0x04,                                // protocol level 4 (3.1.1)
    0x02,                                // flags: clean session
    0x00, 0x3C,                          // keep alive 60
    0x00, 0x03, 'a', 'b', 'c',           // client id "abc"
};

const bytes connect_v311_full{
    0x10, 0x1E,                          // CONNECT, Remaining Length 30
    0x00, 0x04, 'M', 'Q', 'T', 'T',      // protocol name
    0x04,                                // level 4
    0xEE,                                // user name, password, will retain, will QoS 1, will, clean session
    0x00, 0x0A,                          // keep alive 10
    0x00, 0x02, 'i', 'd',                // client id "id"
    0x00, 0x03, 'w', '/', 't',           // will topic "w/t"
    0x00, 0x03, 'b', 'y', 'e',           // will payload "bye"
    0x00, 0x01, 'u',                     // user name "u"
    0x00, 0x01, 'p',                     // password "p"
};

const bytes connect_v5_full{
    0x10, 0x2D,                          // CONNECT, Remaining Length 45
    0x00, 0x04, 'M', 'Q', 'T', 'T',      // protocol name
    0x05,                                // level 5
    0xEE,                                // user name, password, will retain, will QoS 1, will, clean start
    0x00, 0x0A,                          // keep alive 10
    0x08,                                // property length 8
    0x11, 0x00, 0x00, 0x00, 0x3C,        //   Session Expiry Interval 60
    0x21, 0x00, 0x0A,                    //   Receive Maximum 10
    0x00, 0x02, 'i', 'd',                // client id "id"
    0x05,                                // will property length 5
    0x18, 0x00, 0x00, 0x00, 0x05,        //   Will Delay Interval 5
    0x00, 0x03, 'w', '/', 't',           // will topic "w/t"
    0x00, 0x03, 'b', 'y', 'e',           // will payload "bye"
    0x00, 0x01, 'u',                     // user name "u"
    0x00, 0x01, 'p',                     // password "p"
};

TEST(Connect, V31Literal) {
  auto c = decode_as<connect_packet>(connect_v31, v5);  // CONNECT carries its own version
  EXPECT_EQ(c.version, protocol_version::v3_1);
  EXPECT_EQ(c.protocol_name, "MQIsdp");
  EXPECT_TRUE(c.clean_start);
  EXPECT_EQ(c.keep_alive, 60);
  EXPECT_EQ(c.client_id, "c");
  EXPECT_FALSE(c.will);
  EXPECT_FALSE(c.username);
  expect_round_trip(connect_v31, v31);
}

TEST(Connect, V311MinimalLiteral) {
  auto c = decode_as<connect_packet>(connect_v311_minimal, v311);
  EXPECT_EQ(c.version, protocol_version::v3_1_1);
  EXPECT_EQ(c.client_id, "abc");
  EXPECT_TRUE(c.props.empty());
  expect_round_trip(connect_v311_minimal, v311);
}

TEST(Connect, V311FullLiteral) {
  auto c = decode_as<connect_packet>(connect_v311_full, v311);
  EXPECT_EQ(c.keep_alive, 10);
  ASSERT_TRUE(c.will);
  EXPECT_EQ(c.will->topic, "w/t");
  EXPECT_EQ(as_chars(c.will->payload), "bye");
  EXPECT_EQ(c.will->qos_level, qos::at_least_once);
  EXPECT_TRUE(c.will->retain);
  EXPECT_EQ(c.username, "u");
  ASSERT_TRUE(c.password);
  EXPECT_EQ(as_chars(*c.password), "p");
  expect_round_trip(connect_v311_full, v311);
}

TEST(Connect, V5FullLiteral) {
  auto c = decode_as<connect_packet>(connect_v5_full, v5);
  EXPECT_EQ(c.version, protocol_version::v5);
  EXPECT_EQ(c.props.session_expiry_interval, 60u);
  EXPECT_EQ(c.props.receive_maximum, 10);
  ASSERT_TRUE(c.will);
  EXPECT_EQ(c.will->props.will_delay_interval, 5u);
  EXPECT_EQ(c.will->topic, "w/t");
  expect_round_trip(connect_v5_full, v5);
}

TEST(Connect, EncodeFromStruct) {
  connect_packet c;
  c.version = protocol_version::v3_1_1;
  c.keep_alive = 60;
  c.client_id = "abc";
  EXPECT_EQ(encode_bytes(c, v311), connect_v311_minimal);
}

TEST(Connect, V5PasswordWithoutUserNameAllowed) {
  const auto wire = make_packet(0x10, {0, 4, 'M', 'Q', 'T', 'T', 5, 0x42, 0, 0, 0, 0, 1, 'c', 0, 1, 'p'});
  auto c = decode_as<connect_packet>(wire, v5);
  EXPECT_FALSE(c.username);
  ASSERT_TRUE(c.password);
  expect_round_trip(wire, v5);
}

TEST(ConnectMalformed, FixedHeaderFlags) {
  expect_error(make_packet(0x11, {0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 0, 0, 0}), v311,
               codec_error::reserved_flags_invalid, reason_code::malformed_packet);
}
TEST(ConnectMalformed, ProtocolName) {
  expect_error(make_packet(0x10, {0, 4, 'M', 'Q', 'T', 'X', 4, 2, 0, 0, 0, 0}), v311,
               codec_error::invalid_protocol_name, reason_code::unsupported_protocol_version);
}
TEST(ConnectMalformed, ProtocolLevel) {
  expect_error(make_packet(0x10, {0, 4, 'M', 'Q', 'T', 'T', 6, 2, 0, 0, 0, 0}), v5,
               codec_error::unsupported_protocol_version, reason_code::unsupported_protocol_version);
  expect_error(make_packet(0x10, {0, 4, 'M', 'Q', 'T', 'T', 3, 2, 0, 0, 0, 0}), v5,
               codec_error::unsupported_protocol_version, reason_code::unsupported_protocol_version);
  expect_error(make_packet(0x10, {0, 6, 'M', 'Q', 'I', 's', 'd', 'p', 4, 2, 0, 0, 0, 0}), v5,
               codec_error::unsupported_protocol_version, reason_code::unsupported_protocol_version);
}
TEST(ConnectMalformed, ReservedFlag) {
  expect_error(make_packet(0x10, {0, 4, 'M', 'Q', 'T', 'T', 4, 0x03, 0, 0, 0, 0}), v311,
               codec_error::connect_reserved_flag_set, reason_code::malformed_packet);
}
TEST(ConnectMalformed, WillQosWithoutWill) {
  expect_error(make_packet(0x10, {0, 4, 'M', 'Q', 'T', 'T', 4, 0x0A, 0, 0, 0, 0}), v311,
               codec_error::will_flags_without_will, reason_code::malformed_packet);
}
TEST(ConnectMalformed, WillRetainWithoutWill) {
  expect_error(make_packet(0x10, {0, 4, 'M', 'Q', 'T', 'T', 5, 0x22, 0, 0, 0, 0, 0}), v5,
               codec_error::will_flags_without_will, reason_code::malformed_packet);
}
TEST(ConnectMalformed, WillQos3) {
  expect_error(make_packet(0x10, {0, 4, 'M', 'Q', 'T', 'T', 4, 0x1E, 0, 0, 0, 0, 0, 1, 't', 0, 0}), v311,
               codec_error::will_qos_invalid, reason_code::malformed_packet);
}
TEST(ConnectMalformed, PasswordWithoutUserName311) {
  expect_error(make_packet(0x10, {0, 4, 'M', 'Q', 'T', 'T', 4, 0x42, 0, 0, 0, 1, 'c', 0, 1, 'p'}), v311,
               codec_error::password_without_username, reason_code::protocol_error);
}
TEST(ConnectMalformed, Truncated) {
  expect_error(make_packet(0x10, {0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 0, 0, 3, 'a'}), v311, codec_error::truncated,
               reason_code::malformed_packet);
}
TEST(ConnectMalformed, TrailingBytes) {
  expect_error(make_packet(0x10, {0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 0, 0, 1, 'a', 0xFF}), v311,
               codec_error::trailing_bytes, reason_code::malformed_packet);
}
TEST(ConnectMalformed, ClientIdInvalidUtf8) {
  expect_error(make_packet(0x10, {0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 0, 0, 2, 0xC0, 0x80}), v311,
               codec_error::invalid_utf8, reason_code::malformed_packet);
}
TEST(ConnectMalformed, ClientIdNullCharacter) {
  expect_error(make_packet(0x10, {0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 0, 0, 2, 'a', 0x00}), v311,
               codec_error::utf8_null_character, reason_code::malformed_packet);
}
TEST(ConnectMalformed, WillPropertyInConnectProperties) {
  // Will Delay Interval belongs to the will properties only.
  expect_error(make_packet(0x10, {0, 4, 'M', 'Q', 'T', 'T', 5, 2, 0, 0, 5, 0x18, 0, 0, 0, 1, 0, 0}), v5,
               codec_error::property_not_allowed, reason_code::malformed_packet);
}
TEST(ConnectMalformed, ConnectPropertyInWillProperties) {
  expect_error(make_packet(0x10, {0, 4, 'M', 'Q', 'T', 'T', 5, 0x06, 0, 0, 0, 0, 1, 'c', 5, 0x11, 0, 0, 0, 1, 0, 1,
                                  't', 0, 0}),
               v5, codec_error::property_not_allowed, reason_code::malformed_packet);
}
TEST(ConnectMalformed, WillTopicWildcard) {
  expect_error(make_packet(0x10, {0, 4, 'M', 'Q', 'T', 'T', 4, 0x06, 0, 0, 0, 1, 'c', 0, 1, '#', 0, 0}), v311,
               codec_error::topic_name_has_wildcard, reason_code::topic_name_invalid);
}

const bytes connack_v31{
    0x20, 0x02,  // CONNACK, Remaining Length 2
    0x00,        // no acknowledge flags in 3.1
    0x05,        // return code 5: not authorized
};
const bytes connack_v311{
    0x20, 0x02,  // CONNACK, Remaining Length 2
    0x01,        // session present
    0x00,        // return code 0: accepted
};
const bytes connack_v5{
    0x20, 0x08,        // CONNACK, Remaining Length 8
    0x00,              // session present 0
    0x00,              // reason code Success
    0x05,              // property length 5
    0x21, 0x00, 0x14,  //   Receive Maximum 20
    0x24, 0x01,        //   Maximum QoS 1
};

TEST(Connack, V31Literal) {
  auto c = decode_as<connack_packet>(connack_v31, v31);
  EXPECT_FALSE(c.session_present);
  EXPECT_EQ(static_cast<int>(c.reason), 5);
  expect_round_trip(connack_v31, v31);
}
TEST(Connack, V311Literal) {
  auto c = decode_as<connack_packet>(connack_v311, v311);
  EXPECT_TRUE(c.session_present);
  EXPECT_EQ(c.reason, reason_code::success);
  expect_round_trip(connack_v311, v311);
}
TEST(Connack, V5Literal) {
  auto c = decode_as<connack_packet>(connack_v5, v5);
  EXPECT_EQ(c.props.receive_maximum, 20);
  EXPECT_EQ(c.props.maximum_qos, 1);
  expect_round_trip(connack_v5, v5);
}
TEST(Connack, V5ReasonEncodedAsReturnCodeFor311) {
  connack_packet c;
  c.reason = reason_code::not_authorized;
  EXPECT_EQ(encode_bytes(c, v311), (bytes{0x20, 0x02, 0x00, 0x05}));
}
TEST(Connack, V31HasNoSessionPresent) {
  EXPECT_FALSE(decode_as<connack_packet>(bytes{0x20, 0x02, 0x01, 0x00}, v31).session_present);
  EXPECT_EQ(encode_bytes(connack_packet{true, reason_code::success, {}}, v31), (bytes{0x20, 0x02, 0x00, 0x00}));
}
TEST(ConnackMalformed, Flags) {
  expect_error(make_packet(0x20, {0x02, 0x00}), v311, codec_error::invalid_connack_flags,
               reason_code::malformed_packet);
}
TEST(ConnackMalformed, SessionPresentWithRefusal) {
  expect_error(make_packet(0x20, {0x01, 0x87, 0x00}), v5, codec_error::invalid_connack_flags,
               reason_code::malformed_packet);
}
TEST(ConnackMalformed, ReturnCode311) {
  expect_error(make_packet(0x20, {0x00, 0x06}), v311, codec_error::invalid_reason_code, reason_code::protocol_error);
}
TEST(ConnackMalformed, ReasonCode5) {
  expect_error(make_packet(0x20, {0x00, 0x10, 0x00}), v5, codec_error::invalid_reason_code,
               reason_code::protocol_error);
}
TEST(ConnackMalformed, PropertyNotAllowed) {
  // Topic Alias is a PUBLISH property.
  expect_error(make_packet(0x20, {0x00, 0x00, 0x03, 0x23, 0x00, 0x01}), v5, codec_error::property_not_allowed,
               reason_code::malformed_packet);
}

}  // namespace
}  // namespace postcard::test
