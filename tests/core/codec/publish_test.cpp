// PUBLISH in MQTT 3.1, 3.1.1 and 5.0: byte literals, round trips, malformed variants.
#include "codec_test_util.hpp"

namespace postcard::test {
namespace {

const bytes publish_qos0{
    0x30, 0x07,                // PUBLISH, QoS 0, Remaining Length 7
    0x00, 0x03, 'a', '/', 'b', // topic "a/b"
    'h', 'i',                  // payload "hi"
};
const bytes publish_qos1_retain_dup{
    0x3B, 0x09,                // PUBLISH, DUP, QoS 1, retain, Remaining Length 9
    0x00, 0x03, 'a', '/', 'b', // topic "a/b"
    0x12, 0x34,                // packet id 0x1234
    'h', 'i',                  // payload "hi"
};
const bytes publish_v5_props{
    0x34, 0x1A,                      // PUBLISH, QoS 2, Remaining Length 26
    0x00, 0x01, 't',                 // topic "t"
    0x00, 0x07,                      // packet id 7
    0x13,                            // property length 19
    0x01, 0x01,                      //   Payload Format Indicator 1 (UTF-8)
    0x02, 0x00, 0x00, 0x00, 0x0A,    //   Message Expiry Interval 10
    0x0B, 0x05,                      //   Subscription Identifier 5
    0x23, 0x00, 0x02,                //   Topic Alias 2
    0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', // User Property k=v
    'x',                             // payload "x"
};
const bytes publish_v5_alias_only{
    0x30, 0x07,        // PUBLISH, QoS 0, Remaining Length 7
    0x00, 0x00,        // empty topic
    0x03,              // property length 3
    0x23, 0x00, 0x01,  //   Topic Alias 1
    'z',               // payload "z"
};

TEST(Publish, Qos0Literal) {
  for (auto v : {v31, v311}) {
    auto p = decode_as<publish_packet>(publish_qos0, v);
    EXPECT_EQ(p.topic, "a/b");
    EXPECT_EQ(p.qos_level, qos::at_most_once);
    EXPECT_FALSE(p.retain);
    EXPECT_FALSE(p.dup);
    EXPECT_EQ(as_chars(p.payload), "hi");
    expect_round_trip(publish_qos0, v);
  }
}

TEST(Publish, Qos1RetainDupLiteral) {
  auto p = decode_as<publish_packet>(publish_qos1_retain_dup, v311);
  EXPECT_TRUE(p.dup);
  EXPECT_TRUE(p.retain);
  EXPECT_EQ(p.qos_level, qos::at_least_once);
  EXPECT_EQ(p.packet_id, 0x1234);
  expect_round_trip(publish_qos1_retain_dup, v31);
  expect_round_trip(publish_qos1_retain_dup, v311);
}

TEST(Publish, V5PropertiesLiteral) {
  auto p = decode_as<publish_packet>(publish_v5_props, v5);
  EXPECT_EQ(p.qos_level, qos::exactly_once);
  EXPECT_EQ(p.packet_id, 7);
  EXPECT_EQ(p.props.payload_format_indicator, 1);
  EXPECT_EQ(p.props.message_expiry_interval, 10u);
  EXPECT_EQ(p.props.subscription_identifiers, std::vector<std::uint32_t>{5});
  EXPECT_EQ(p.props.topic_alias, 2);
  ASSERT_EQ(p.props.user_properties.size(), 1u);
  EXPECT_EQ(p.props.user_properties[0].name, "k");
  EXPECT_EQ(as_chars(p.payload), "x");
  expect_round_trip(publish_v5_props, v5);
}

TEST(Publish, V5EmptyTopicWithAlias) {
  auto p = decode_as<publish_packet>(publish_v5_alias_only, v5);
  EXPECT_TRUE(p.topic.empty());
  EXPECT_EQ(p.props.topic_alias, 1);
  expect_round_trip(publish_v5_alias_only, v5);
}

TEST(Publish, V5NoPropertiesAndEmptyPayload) {
  const bytes wire{0x30, 0x04, 0x00, 0x01, 't', 0x00};  // topic "t", property length 0, no payload
  auto p = decode_as<publish_packet>(wire, v5);
  EXPECT_TRUE(p.payload.empty());
  expect_round_trip(wire, v5);
}

TEST(Publish, ViewsPointIntoBody) {
  const bytes body{0x00, 0x01, 't', 'p'};
  publish_packet p;
  ASSERT_EQ(decode_publish(0x30, body, v311, p), codec_error::ok);
  EXPECT_EQ(reinterpret_cast<const std::uint8_t*>(p.topic.data()), body.data() + 2);
  EXPECT_EQ(p.payload.data(), body.data() + 3);
}

TEST(Publish, SeveralSubscriptionIdentifiersKeepOrder) {
  const auto wire = make_packet(0x30, {0, 1, 't', 4, 0x0B, 9, 0x0B, 3});
  auto p = decode_as<publish_packet>(wire, v5);
  EXPECT_EQ(p.props.subscription_identifiers, (std::vector<std::uint32_t>{9, 3}));
  expect_round_trip(wire, v5);
}

TEST(Publish, EncodeFromStructAndSize) {
  publish_packet p;
  p.topic = "a/b";
  p.payload = as_bytes("hi");
  EXPECT_EQ(encode_bytes(p, v311), publish_qos0);
  EXPECT_EQ(encoded_publish_size(p, v311), publish_qos0.size());
  bytes out;
  EXPECT_EQ(encode_publish(p, v5, out), codec_error::ok);
  EXPECT_EQ(out, (bytes{0x30, 0x08, 0, 3, 'a', '/', 'b', 0x00, 'h', 'i'}));  // v5 adds property length 0
}

TEST(Publish, LargePayloadUsesLongerRemainingLength) {
  publish_packet p;
  p.topic = "t";
  const std::vector<std::uint8_t> payload(200, 0xAB);
  p.payload = payload;
  const auto wire = encode_bytes(p, v311);
  ASSERT_EQ(wire.size(), 1u + 2u + 3u + 200u);
  EXPECT_EQ(wire[1], 0xCB);  // 203 = 0x4B | continuation
  EXPECT_EQ(wire[2], 0x01);
  expect_round_trip(wire, v311);
}

TEST(PublishEncode, TopicTooLong) {
  publish_packet p;
  const std::string topic(70'000, 'a');
  p.topic = topic;
  bytes out;
  EXPECT_EQ(encode_publish(p, v311, out), codec_error::string_too_long);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(encoded_publish_size(p, v311), 0u);
}

TEST(PublishEncode, PropertyNotAllowed) {
  publish_packet p;
  p.topic = "t";
  p.props.receive_maximum = 1;
  bytes out;
  EXPECT_EQ(encode_publish(p, v5, out), codec_error::property_not_allowed);
}

TEST(PublishMalformed, Qos3) {
  expect_error(make_packet(0x36, {0, 1, 't', 0, 1}), v311, codec_error::qos_invalid, reason_code::malformed_packet);
}
TEST(PublishMalformed, DupWithQos0) {
  expect_error(make_packet(0x38, {0, 1, 't'}), v311, codec_error::dup_with_qos_0, reason_code::malformed_packet);
}
TEST(PublishMalformed, PacketIdZero) {
  expect_error(make_packet(0x32, {0, 1, 't', 0, 0}), v311, codec_error::packet_id_zero, reason_code::protocol_error);
}
TEST(PublishMalformed, WildcardInTopic) {
  expect_error(make_packet(0x30, {0, 3, 'a', '/', '+'}), v311, codec_error::topic_name_has_wildcard,
               reason_code::topic_name_invalid);
  expect_error(make_packet(0x30, {0, 3, 0xC3, 0xA9, '#', 0}), v5, codec_error::topic_name_has_wildcard,
               reason_code::topic_name_invalid);
}
TEST(PublishMalformed, WildcardOrNullPastTheFirstWord) {
  // The topic check skips plain ASCII a word at a time: a wildcard, U+0000 or bad UTF-8 later on
  // must still be found.
  expect_error(make_packet(0x30, {0, 11, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', '/', '#'}), v311,
               codec_error::topic_name_has_wildcard, reason_code::topic_name_invalid);
  expect_error(make_packet(0x30, {0, 10, 'a', 'b', 'c', 'd', 'e', 'f', 'g', '+', 'i', 'j'}), v311,
               codec_error::topic_name_has_wildcard, reason_code::topic_name_invalid);
  expect_error(make_packet(0x30, {0, 9, 'a', 'b', 'c', 'd', 0, 'f', 'g', 'h', 'i'}), v311,
               codec_error::utf8_null_character, reason_code::malformed_packet);
  expect_error(make_packet(0x30, {0, 10, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 0xE2, 0x82}), v311,
               codec_error::invalid_utf8, reason_code::malformed_packet);
  const auto ok = make_packet(0x30, {0, 18, 's', 'e', 'n', 's', 'o', 'r', 's', '/', 't', 'e', 'm', 'p', '/',
                                     0xC3, 0xA9, 't', 0xC3, 0xA9});
  EXPECT_EQ(decode_as<publish_packet>(ok, v311).topic, "sensors/temp/\xC3\xA9t\xC3\xA9");
}

TEST(PublishMalformed, EmptyTopicWithoutAlias) {
  expect_error(make_packet(0x30, {0, 0, 0}), v5, codec_error::topic_name_empty, reason_code::protocol_error);
  expect_error(make_packet(0x30, {0, 0, 'x'}), v311, codec_error::topic_name_empty, reason_code::protocol_error);
}
TEST(PublishMalformed, TopicAliasZero) {
  expect_error(make_packet(0x30, {0, 1, 't', 3, 0x23, 0, 0}), v5, codec_error::topic_alias_zero,
               reason_code::topic_alias_invalid);
}
TEST(PublishMalformed, TopicTruncated) {
  expect_error(make_packet(0x30, {0, 5, 't'}), v311, codec_error::truncated, reason_code::malformed_packet);
}
TEST(PublishMalformed, PacketIdTruncated) {
  expect_error(make_packet(0x32, {0, 1, 't', 0}), v311, codec_error::truncated, reason_code::malformed_packet);
}
TEST(PublishMalformed, PropertiesLongerThanPacket) {
  expect_error(make_packet(0x30, {0, 1, 't', 9, 0x01, 0x01}), v5, codec_error::truncated,
               reason_code::malformed_packet);
}
TEST(PublishMalformed, TopicSurrogate) {
  // U+D800 encoded as ED A0 80 [MQTT-1.5.4-1]
  expect_error(make_packet(0x30, {0, 3, 0xED, 0xA0, 0x80}), v311, codec_error::invalid_utf8,
               reason_code::malformed_packet);
}
TEST(PublishMalformed, TopicNullCharacter) {
  expect_error(make_packet(0x30, {0, 2, 'a', 0}), v311, codec_error::utf8_null_character,
               reason_code::malformed_packet);
}
TEST(PublishMalformed, DuplicateProperty) {
  expect_error(make_packet(0x30, {0, 1, 't', 4, 0x01, 0x00, 0x01, 0x00}), v5, codec_error::duplicate_property,
               reason_code::protocol_error);
}
TEST(PublishMalformed, PayloadFormatIndicatorValue) {
  expect_error(make_packet(0x30, {0, 1, 't', 2, 0x01, 0x02}), v5, codec_error::invalid_property_value,
               reason_code::protocol_error);
}
TEST(PublishMalformed, SubscriptionIdentifierZero) {
  expect_error(make_packet(0x30, {0, 1, 't', 2, 0x0B, 0x00}), v5, codec_error::invalid_property_value,
               reason_code::protocol_error);
}
TEST(PublishMalformed, PropertyLengthNotMinimal) {
  expect_error(make_packet(0x30, {0, 1, 't', 0x80, 0x00}), v5, codec_error::invalid_variable_byte_integer,
               reason_code::malformed_packet);
}
TEST(PublishMalformed, UnknownProperty) {
  expect_error(make_packet(0x30, {0, 1, 't', 2, 0x05, 0x00}), v5, codec_error::unknown_property,
               reason_code::malformed_packet);
}

}  // namespace
}  // namespace postcard::test
