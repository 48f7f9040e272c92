// MQTT 5.0 properties: the table, every property through encode and decode in every context that
// allows it, the fixed encoding order, and the malformed variants.
#include "codec_test_util.hpp"

namespace postcard::test {
namespace {

constexpr property_context all_contexts[] = {
    property_context::connect, property_context::connack, property_context::publish, property_context::puback,
    property_context::pubrec, property_context::pubrel, property_context::pubcomp, property_context::subscribe,
    property_context::suback, property_context::unsubscribe, property_context::unsuback,
    property_context::disconnect, property_context::auth, property_context::will};

const std::uint8_t blob[] = {0xDE, 0xAD};

// Every property `ctx` allows, each set to a value that is valid and not the default.
properties full_properties(property_context ctx) {
  properties p;
  for (unsigned id = 0; id < 128; ++id) {
    const property_info* info = find_property_info(static_cast<std::uint8_t>(id));
    if (info == nullptr || !property_allowed(*info, ctx)) continue;
    switch (info->id) {
      case property_id::payload_format_indicator: p.payload_format_indicator = 1; break;
      case property_id::message_expiry_interval: p.message_expiry_interval = 0x01020304; break;
      case property_id::content_type: p.content_type = "text/plain"; break;
      case property_id::response_topic: p.response_topic = "re/ply"; break;
      case property_id::correlation_data: p.correlation_data = bytes_view{blob}; break;
      case property_id::subscription_identifier: p.subscription_identifiers = {268'435'455}; break;
      case property_id::session_expiry_interval: p.session_expiry_interval = 0xFFFFFFFF; break;
      case property_id::assigned_client_identifier: p.assigned_client_identifier = "auto-1"; break;
      case property_id::server_keep_alive: p.server_keep_alive = 30; break;
      case property_id::authentication_method: p.authentication_method = "SCRAM-SHA-1"; break;
      case property_id::authentication_data: p.authentication_data = bytes_view{blob}; break;
      case property_id::request_problem_information: p.request_problem_information = 0; break;
      case property_id::will_delay_interval: p.will_delay_interval = 15; break;
      case property_id::request_response_information: p.request_response_information = 1; break;
      case property_id::response_information: p.response_information = "resp/"; break;
      case property_id::server_reference: p.server_reference = "other:1883"; break;
      case property_id::reason_string: p.reason_string = "why \xC3\xA9"; break;
      case property_id::receive_maximum: p.receive_maximum = 65535; break;
      case property_id::topic_alias_maximum: p.topic_alias_maximum = 0; break;
      case property_id::topic_alias: p.topic_alias = 9; break;
      case property_id::maximum_qos: p.maximum_qos = 0; break;
      case property_id::retain_available: p.retain_available = 1; break;
      case property_id::user_property: p.user_properties = {{"a", "1"}, {"b", ""}, {"a", "2"}}; break;
      case property_id::maximum_packet_size: p.maximum_packet_size = 1024; break;
      case property_id::wildcard_subscription_available: p.wildcard_subscription_available = 0; break;
      case property_id::subscription_identifier_available: p.subscription_identifier_available = 1; break;
      case property_id::shared_subscription_available: p.shared_subscription_available = 0; break;
    }
  }
  return p;
}

// A packet that carries `props` in context `ctx`.
packet carrier(property_context ctx, const properties& props) {
  switch (ctx) {
    case property_context::connect: {
      connect_packet c;
      c.client_id = "c";
      c.props = props;
      return c;
    }
    case property_context::will: {
      connect_packet c;
      c.client_id = "c";
      c.will = will_message{"w", {}, qos::at_most_once, false, props};
      return c;
    }
    case property_context::connack: return connack_packet{false, reason_code::success, props};
    case property_context::publish: return publish_packet{false, qos::at_least_once, false, "t", 1, props, {}};
    case property_context::puback:
    case property_context::pubrec:
    case property_context::pubrel:
    case property_context::pubcomp:
      return ack_packet{static_cast<packet_type>(ctx), 1, reason_code::success, props};
    case property_context::subscribe: return subscribe_packet{1, props, {{"f"}}};
    case property_context::suback: return suback_packet{1, props, {reason_code::granted_qos_0}};
    case property_context::unsubscribe: return unsubscribe_packet{1, props, {"f"}};
    case property_context::unsuback: return unsuback_packet{1, props, {reason_code::success}};
    case property_context::disconnect: return disconnect_packet{reason_code::success, props};
    case property_context::auth: return auth_packet{reason_code::success, props};
  }
  return pingreq_packet{};
}

const properties& props_of(const packet& p, property_context ctx) {
  static const properties none;
  if (ctx == property_context::will) return std::get<connect_packet>(p).will->props;
  return std::visit(
      [](const auto& x) -> const properties& {
        if constexpr (requires { x.props; }) return x.props;
        return none;
      },
      p);
}

TEST(Properties, TableCoversTheSpec) {
  int defined = 0;
  for (unsigned id = 0; id < 256; ++id) {
    if (const auto* info = find_property_info(static_cast<std::uint8_t>(id))) {
      ++defined;
      EXPECT_EQ(static_cast<unsigned>(info->id), id);
      EXPECT_FALSE(info->name.empty());
      EXPECT_NE(info->allowed_contexts, 0u);
    }
  }
  EXPECT_EQ(defined, 27);
  EXPECT_EQ(find_property_info(0x00), nullptr);
  EXPECT_EQ(find_property_info(0x04), nullptr);
  EXPECT_EQ(find_property_info(0x2B), nullptr);
  const auto* alias = find_property_info(0x23);
  ASSERT_NE(alias, nullptr);
  EXPECT_EQ(alias->name, "Topic Alias");
  EXPECT_EQ(alias->type, property_type::two_byte_integer);
  EXPECT_TRUE(property_allowed(*alias, property_context::publish));
  EXPECT_FALSE(property_allowed(*alias, property_context::will));
  const auto* delay = find_property_info(0x18);
  EXPECT_TRUE(property_allowed(*delay, property_context::will));
  EXPECT_FALSE(property_allowed(*delay, property_context::connect));
  EXPECT_EQ(find_property_info(0x0B)->type, property_type::variable_byte_integer);
  EXPECT_EQ(find_property_info(0x26)->type, property_type::utf8_string_pair);
}

TEST(Properties, EveryPropertyRoundTripsInEveryContext) {
  for (auto ctx : all_contexts) {
    SCOPED_TRACE(static_cast<int>(ctx));
    const properties full = full_properties(ctx);
    ASSERT_FALSE(full.empty());
    const packet original = carrier(ctx, full);
    const bytes wire = encode_bytes(original, v5);
    packet decoded;
    ASSERT_EQ(decode_bytes(wire, v5, decoded), codec_error::ok);
    const properties& got = props_of(decoded, ctx);
    EXPECT_EQ(got.payload_format_indicator, full.payload_format_indicator);
    EXPECT_EQ(got.message_expiry_interval, full.message_expiry_interval);
    EXPECT_EQ(got.content_type, full.content_type);
    EXPECT_EQ(got.response_topic, full.response_topic);
    EXPECT_EQ(got.correlation_data.has_value(), full.correlation_data.has_value());
    EXPECT_EQ(got.subscription_identifiers, full.subscription_identifiers);
    EXPECT_EQ(got.session_expiry_interval, full.session_expiry_interval);
    EXPECT_EQ(got.assigned_client_identifier, full.assigned_client_identifier);
    EXPECT_EQ(got.server_keep_alive, full.server_keep_alive);
    EXPECT_EQ(got.authentication_method, full.authentication_method);
    EXPECT_EQ(got.authentication_data.has_value(), full.authentication_data.has_value());
    EXPECT_EQ(got.request_problem_information, full.request_problem_information);
    EXPECT_EQ(got.will_delay_interval, full.will_delay_interval);
    EXPECT_EQ(got.request_response_information, full.request_response_information);
    EXPECT_EQ(got.response_information, full.response_information);
    EXPECT_EQ(got.server_reference, full.server_reference);
    EXPECT_EQ(got.reason_string, full.reason_string);
    EXPECT_EQ(got.receive_maximum, full.receive_maximum);
    EXPECT_EQ(got.topic_alias_maximum, full.topic_alias_maximum);
    EXPECT_EQ(got.topic_alias, full.topic_alias);
    EXPECT_EQ(got.maximum_qos, full.maximum_qos);
    EXPECT_EQ(got.retain_available, full.retain_available);
    EXPECT_EQ(got.user_properties, full.user_properties);
    EXPECT_EQ(got.maximum_packet_size, full.maximum_packet_size);
    EXPECT_EQ(got.wildcard_subscription_available, full.wildcard_subscription_available);
    EXPECT_EQ(got.subscription_identifier_available, full.subscription_identifier_available);
    EXPECT_EQ(got.shared_subscription_available, full.shared_subscription_available);
    EXPECT_EQ(encode_bytes(decoded, v5), wire);  // and the bytes come back identical
  }
}

TEST(Properties, EncodedInAscendingIdentifierOrder) {
  connack_packet c;
  c.props.maximum_qos = 1;                       // 0x24
  c.props.user_properties = {{"z", "1"}, {"a", "2"}};  // 0x26, kept in given order
  c.props.session_expiry_interval = 5;           // 0x11
  c.props.reason_string = "r";                   // 0x1F
  const bytes expected{0x20, 0x1C,                    // CONNACK, Remaining Length 28
                       0x00, 0x00,                    // flags, Success
                       0x19,                          // property length 25
                       0x11, 0x00, 0x00, 0x00, 0x05,  //   Session Expiry Interval 5
                       0x1F, 0x00, 0x01, 'r',         //   Reason String "r"
                       0x24, 0x01,                    //   Maximum QoS 1
                       0x26, 0x00, 0x01, 'z', 0x00, 0x01, '1',   //   User Property z=1
                       0x26, 0x00, 0x01, 'a', 0x00, 0x01, '2'};  //   User Property a=2
  EXPECT_EQ(encode_bytes(c, v5), expected);
}

TEST(Properties, EmptyAndVersionsBelow5) {
  properties p;
  EXPECT_TRUE(p.empty());
  p.user_properties.push_back({"k", "v"});
  EXPECT_FALSE(p.empty());
  // Below 5.0 properties are not encoded.
  EXPECT_EQ(encode_bytes(connack_packet{false, reason_code::success, p}, v311), (bytes{0x20, 0x02, 0x00, 0x00}));
}

TEST(PropertiesMalformed, NotAllowedInEveryContext) {
  // Assigned Client Identifier (CONNACK only) in a DISCONNECT.
  expect_error(make_packet(0xE0, {0x00, 0x04, 0x12, 0x00, 0x01, 'x'}), v5, codec_error::property_not_allowed,
               reason_code::malformed_packet);
}
TEST(PropertiesMalformed, Unknown) {
  expect_error(make_packet(0xE0, {0x00, 0x02, 0x7F, 0x00}), v5, codec_error::unknown_property,
               reason_code::malformed_packet);
}
TEST(PropertiesMalformed, Duplicate) {
  expect_error(make_packet(0x20, {0x00, 0x00, 0x06, 0x21, 0x00, 0x01, 0x21, 0x00, 0x02}), v5,
               codec_error::duplicate_property, reason_code::protocol_error);
}
TEST(PropertiesMalformed, InvalidValues) {
  const std::initializer_list<std::uint8_t> bad[] = {
      {0x00, 0x00, 0x03, 0x21, 0x00, 0x00},              // Receive Maximum 0
      {0x00, 0x00, 0x05, 0x27, 0x00, 0x00, 0x00, 0x00},  // Maximum Packet Size 0
      {0x00, 0x00, 0x02, 0x24, 0x02},                    // Maximum QoS 2
      {0x00, 0x00, 0x02, 0x25, 0x02},                    // Retain Available 2
      {0x00, 0x00, 0x02, 0x28, 0x02},                    // Wildcard Subscription Available 2
      {0x00, 0x00, 0x02, 0x29, 0x02},                    // Subscription Identifier Available 2
      {0x00, 0x00, 0x02, 0x2A, 0x02},                    // Shared Subscription Available 2
  };
  for (const auto& body : bad) {
    expect_error(make_packet(0x20, body), v5, codec_error::invalid_property_value, reason_code::protocol_error);
  }
  // Request Problem / Response Information 2 in CONNECT
  expect_error(make_packet(0x10, {0, 4, 'M', 'Q', 'T', 'T', 5, 2, 0, 0, 2, 0x17, 2, 0, 0}), v5,
               codec_error::invalid_property_value, reason_code::protocol_error);
  expect_error(make_packet(0x10, {0, 4, 'M', 'Q', 'T', 'T', 5, 2, 0, 0, 2, 0x19, 2, 0, 0}), v5,
               codec_error::invalid_property_value, reason_code::protocol_error);
}
TEST(PropertiesMalformed, ValueTruncated) {
  expect_error(make_packet(0x20, {0x00, 0x00, 0x03, 0x11, 0x00, 0x00}), v5, codec_error::truncated,
               reason_code::malformed_packet);
}
TEST(PropertiesMalformed, UserPropertyInvalidUtf8) {
  expect_error(make_packet(0xE0, {0x00, 0x06, 0x26, 0x00, 0x01, 0x80, 0x00, 0x00}), v5, codec_error::invalid_utf8,
               reason_code::malformed_packet);
}
TEST(PropertiesMalformed, SubscriptionIdentifierTooLong) {
  expect_error(make_packet(0x30, {0, 1, 't', 6, 0x0B, 0x80, 0x80, 0x80, 0x80, 0x01}), v5,
               codec_error::invalid_variable_byte_integer, reason_code::malformed_packet);
}

TEST(PropertiesEncode, SubscriptionIdentifierOutOfRange) {
  publish_packet p;
  p.topic = "t";
  p.props.subscription_identifiers = {268'435'456};
  bytes out;
  EXPECT_EQ(encode_publish(p, v5, out), codec_error::value_out_of_range);
  p.props.subscription_identifiers = {0};
  EXPECT_EQ(encode_publish(p, v5, out), codec_error::value_out_of_range);
}

TEST(VariableByteInteger, SizesAndBytes) {
  const std::pair<std::uint32_t, bytes> cases[] = {
      {0, {0x00}},
      {127, {0x7F}},
      {128, {0x80, 0x01}},
      {16'383, {0xFF, 0x7F}},
      {16'384, {0x80, 0x80, 0x01}},
      {2'097'151, {0xFF, 0xFF, 0x7F}},
      {2'097'152, {0x80, 0x80, 0x80, 0x01}},
      {268'435'455, {0xFF, 0xFF, 0xFF, 0x7F}},
  };
  for (const auto& [value, expected] : cases) {
    bytes out;
    append_variable_byte_integer(value, out);
    EXPECT_EQ(out, expected) << value;
    EXPECT_EQ(variable_byte_integer_size(value), expected.size()) << value;
  }
}

}  // namespace
}  // namespace postcard::test
