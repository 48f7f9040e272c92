// SUBSCRIBE, SUBACK, UNSUBSCRIBE and UNSUBACK in every version.
#include "codec_test_util.hpp"

namespace postcard::test {
namespace {

const bytes subscribe_v3{
    0x82, 0x0E,                // SUBSCRIBE (flags 0b0010), Remaining Length 14
    0x00, 0x0A,                // packet id 10
    0x00, 0x03, 'a', '/', '#', // filter "a/#"
    0x01,                      //   QoS 1
    0x00, 0x03, 'b', '/', '+', // filter "b/+"
    0x02,                      //   QoS 2
};
const bytes subscribe_v5{
    0x82, 0x0B,                // SUBSCRIBE, Remaining Length 11
    0x00, 0x0B,                // packet id 11
    0x02,                      // property length 2
    0x0B, 0x07,                //   Subscription Identifier 7
    0x00, 0x03, 'a', '/', 'b', // filter "a/b"
    0x2D,                      //   retain handling 2, retain as published, no local, QoS 1
};

TEST(Subscribe, V3Literal) {
  for (auto v : {v31, v311}) {
    auto s = decode_as<subscribe_packet>(subscribe_v3, v);
    EXPECT_EQ(s.packet_id, 10);
    ASSERT_EQ(s.topics.size(), 2u);
    EXPECT_EQ(s.topics[0].filter, "a/#");
    EXPECT_EQ(s.topics[0].max_qos, qos::at_least_once);
    EXPECT_EQ(s.topics[1].filter, "b/+");
    EXPECT_EQ(s.topics[1].max_qos, qos::exactly_once);
    expect_round_trip(subscribe_v3, v);
  }
}
TEST(Subscribe, V5Literal) {
  auto s = decode_as<subscribe_packet>(subscribe_v5, v5);
  EXPECT_EQ(s.props.subscription_identifiers, std::vector<std::uint32_t>{7});
  ASSERT_EQ(s.topics.size(), 1u);
  EXPECT_EQ(s.topics[0].max_qos, qos::at_least_once);
  EXPECT_TRUE(s.topics[0].no_local);
  EXPECT_TRUE(s.topics[0].retain_as_published);
  EXPECT_EQ(s.topics[0].handling, retain_handling::do_not_send);
  expect_round_trip(subscribe_v5, v5);
}
TEST(Subscribe, FilterSyntaxIsNotTheCodecsJob) {
  // "a/#/b" is an invalid filter; the broker answers 0x8F for it, the codec passes it through.
  const auto wire = make_packet(0x82, {0, 1, 0, 5, 'a', '/', '#', '/', 'b', 0});
  EXPECT_EQ(decode_as<subscribe_packet>(wire, v311).topics[0].filter, "a/#/b");
}
TEST(SubscribeMalformed, Flags) {
  expect_error(make_packet(0x80, {0, 1, 0, 1, 'a', 0}), v311, codec_error::reserved_flags_invalid,
               reason_code::malformed_packet);
}
TEST(SubscribeMalformed, PacketIdZero) {
  expect_error(make_packet(0x82, {0, 0, 0, 1, 'a', 0}), v311, codec_error::packet_id_zero,
               reason_code::protocol_error);
}
TEST(SubscribeMalformed, NoTopics) {
  expect_error(make_packet(0x82, {0, 1}), v311, codec_error::subscribe_without_topics, reason_code::protocol_error);
  expect_error(make_packet(0x82, {0, 1, 0}), v5, codec_error::subscribe_without_topics, reason_code::protocol_error);
}
TEST(SubscribeMalformed, V3ReservedBits) {
  expect_error(make_packet(0x82, {0, 1, 0, 1, 'a', 0x04}), v311, codec_error::subscription_options_reserved,
               reason_code::malformed_packet);
}
TEST(SubscribeMalformed, V5ReservedBits) {
  expect_error(make_packet(0x82, {0, 1, 0, 0, 1, 'a', 0x40}), v5, codec_error::subscription_options_reserved,
               reason_code::malformed_packet);
}
TEST(SubscribeMalformed, Qos3) {
  expect_error(make_packet(0x82, {0, 1, 0, 0, 1, 'a', 0x03}), v5, codec_error::subscription_qos_invalid,
               reason_code::malformed_packet);
}
TEST(SubscribeMalformed, RetainHandling3) {
  expect_error(make_packet(0x82, {0, 1, 0, 0, 1, 'a', 0x30}), v5, codec_error::retain_handling_invalid,
               reason_code::protocol_error);
}
TEST(SubscribeMalformed, MissingOptions) {
  expect_error(make_packet(0x82, {0, 1, 0, 1, 'a'}), v311, codec_error::truncated, reason_code::malformed_packet);
}
TEST(SubscribeMalformed, FilterInvalidUtf8) {
  expect_error(make_packet(0x82, {0, 1, 0, 1, 0xFF, 0}), v311, codec_error::invalid_utf8,
               reason_code::malformed_packet);
}
TEST(SubscribeMalformed, TwoSubscriptionIdentifiers) {
  expect_error(make_packet(0x82, {0, 1, 4, 0x0B, 1, 0x0B, 2, 0, 1, 'a', 0}), v5, codec_error::duplicate_property,
               reason_code::protocol_error);
}

const bytes suback_v311{0x90, 0x05,        // SUBACK, Remaining Length 5
                        0x00, 0x0A,        // packet id 10
                        0x01, 0x02, 0x80}; // granted QoS 1, granted QoS 2, failure
const bytes suback_v5{0x90, 0x07,               // SUBACK, Remaining Length 7
                      0x00, 0x0B,               // packet id 11
                      0x00,                     // property length 0
                      0x00, 0x8F, 0x9E, 0xA2};  // QoS 0, filter invalid, no shared, no wildcards

TEST(Suback, V3Literal) {
  for (auto v : {v31, v311}) {
    auto s = decode_as<suback_packet>(suback_v311, v);
    EXPECT_EQ(s.packet_id, 10);
    EXPECT_EQ(s.reasons, (std::vector<reason_code>{reason_code::granted_qos_1, reason_code::granted_qos_2,
                                                   reason_code::unspecified_error}));
    expect_round_trip(suback_v311, v);
  }
}
TEST(Suback, V5Literal) {
  auto s = decode_as<suback_packet>(suback_v5, v5);
  ASSERT_EQ(s.reasons.size(), 4u);
  EXPECT_EQ(s.reasons[1], reason_code::topic_filter_invalid);
  expect_round_trip(suback_v5, v5);
}
TEST(SubackMalformed, V3ReasonCode) {
  expect_error(make_packet(0x90, {0, 1, 0x8F}), v311, codec_error::invalid_reason_code, reason_code::protocol_error);
}
TEST(SubackMalformed, V5ReasonCode) {
  expect_error(make_packet(0x90, {0, 1, 0, 0x10}), v5, codec_error::invalid_reason_code, reason_code::protocol_error);
}
TEST(SubackMalformed, NoReasonCodes) {
  expect_error(make_packet(0x90, {0, 1}), v311, codec_error::truncated, reason_code::malformed_packet);
}

const bytes unsubscribe_v3{0xA2, 0x09,                  // UNSUBSCRIBE (flags 0b0010), Remaining Length 9
                           0x00, 0x0C,                  // packet id 12
                           0x00, 0x01, 'a',             // filter "a"
                           0x00, 0x02, 'b', '/'};       // filter "b/"
const bytes unsubscribe_v5{0xA2, 0x0C,                  // UNSUBSCRIBE, Remaining Length 12
                           0x00, 0x0D,                  // packet id 13
                           0x07,                        // property length 7
                           0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v',  // User Property k=v
                           0x00, 0x00};                 // filter "" (syntax is the broker's job)

TEST(Unsubscribe, V3Literal) {
  for (auto v : {v31, v311}) {
    auto u = decode_as<unsubscribe_packet>(unsubscribe_v3, v);
    EXPECT_EQ(u.packet_id, 12);
    EXPECT_EQ(u.filters, (std::vector<std::string_view>{"a", "b/"}));
    expect_round_trip(unsubscribe_v3, v);
  }
}
TEST(Unsubscribe, V5Literal) {
  auto u = decode_as<unsubscribe_packet>(unsubscribe_v5, v5);
  ASSERT_EQ(u.props.user_properties.size(), 1u);
  EXPECT_EQ(u.filters.size(), 1u);
  expect_round_trip(unsubscribe_v5, v5);
}
TEST(UnsubscribeMalformed, Flags) {
  expect_error(make_packet(0xA0, {0, 1, 0, 1, 'a'}), v311, codec_error::reserved_flags_invalid,
               reason_code::malformed_packet);
}
TEST(UnsubscribeMalformed, NoTopics) {
  expect_error(make_packet(0xA2, {0, 1}), v311, codec_error::unsubscribe_without_topics, reason_code::protocol_error);
}
TEST(UnsubscribeMalformed, PacketIdZero) {
  expect_error(make_packet(0xA2, {0, 0, 0, 0, 1, 'a'}), v5, codec_error::packet_id_zero, reason_code::protocol_error);
}

TEST(Unsuback, V3Literal) {
  const bytes wire{0xB0, 0x02, 0x00, 0x0C};  // UNSUBACK, Remaining Length 2, packet id 12
  for (auto v : {v31, v311}) {
    EXPECT_EQ(decode_as<unsuback_packet>(wire, v).packet_id, 12);
    expect_round_trip(wire, v);
  }
}
TEST(Unsuback, V5Literal) {
  const bytes wire{0xB0, 0x05,        // UNSUBACK, Remaining Length 5
                   0x00, 0x0D,        // packet id 13
                   0x00,              // property length 0
                   0x00, 0x11};       // Success, No subscription existed
  auto u = decode_as<unsuback_packet>(wire, v5);
  EXPECT_EQ(u.reasons, (std::vector<reason_code>{reason_code::success, reason_code::no_subscription_existed}));
  expect_round_trip(wire, v5);
}
TEST(UnsubackMalformed, V3TrailingBytes) {
  expect_error(make_packet(0xB0, {0, 1, 0}), v311, codec_error::trailing_bytes, reason_code::malformed_packet);
}
TEST(UnsubackMalformed, V5ReasonCode) {
  expect_error(make_packet(0xB0, {0, 1, 0, 0x01}), v5, codec_error::invalid_reason_code,
               reason_code::protocol_error);
}

TEST(SubscribeEncode, OptionsOutOfRange) {
  subscribe_packet s;
  s.packet_id = 1;
  s.topics.push_back({"a", static_cast<qos>(3)});
  bytes out;
  EXPECT_EQ(encode(s, v5, out), codec_error::value_out_of_range);
  EXPECT_EQ(encoded_size(s, v5), 0u);
}

}  // namespace
}  // namespace postcard::test
