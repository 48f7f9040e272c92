// MQTT 5.0 properties (spec 2.2.2 and 3.x.2.x): the table of identifiers, types and allowed packets,
// decoding with duplicate / context / value checks, and encoding in ascending identifier order.
#include <array>
#include <type_traits>

#include "codec/codec.hpp"
#include "codec/wire.hpp"

namespace postcard {
namespace {

constexpr std::uint32_t bit(property_context c) { return 1u << static_cast<unsigned>(c); }
using pc = property_context;
using pt = property_type;
using pid = property_id;

constexpr std::uint32_t message_ctx = bit(pc::publish) | bit(pc::will);
constexpr std::uint32_t reason_string_ctx = bit(pc::connack) | bit(pc::puback) | bit(pc::pubrec) | bit(pc::pubrel) |
                                            bit(pc::pubcomp) | bit(pc::suback) | bit(pc::unsuback) |
                                            bit(pc::disconnect) | bit(pc::auth);
constexpr std::uint32_t user_property_ctx = reason_string_ctx | bit(pc::connect) | bit(pc::publish) | bit(pc::will) |
                                            bit(pc::subscribe) | bit(pc::unsubscribe);

// Spec table 2-4 (section 2.2.2.2).
constexpr std::array<property_info, 27> table{{
    {pid::payload_format_indicator, pt::byte, message_ctx, "Payload Format Indicator"},
    {pid::message_expiry_interval, pt::four_byte_integer, message_ctx, "Message Expiry Interval"},
    {pid::content_type, pt::utf8_string, message_ctx, "Content Type"},
    {pid::response_topic, pt::utf8_string, message_ctx, "Response Topic"},
    {pid::correlation_data, pt::binary_data, message_ctx, "Correlation Data"},
    {pid::subscription_identifier, pt::variable_byte_integer, bit(pc::publish) | bit(pc::subscribe),
     "Subscription Identifier"},
    {pid::session_expiry_interval, pt::four_byte_integer, bit(pc::connect) | bit(pc::connack) | bit(pc::disconnect),
     "Session Expiry Interval"},
    {pid::assigned_client_identifier, pt::utf8_string, bit(pc::connack), "Assigned Client Identifier"},
    {pid::server_keep_alive, pt::two_byte_integer, bit(pc::connack), "Server Keep Alive"},
    {pid::authentication_method, pt::utf8_string, bit(pc::connect) | bit(pc::connack) | bit(pc::auth),
     "Authentication Method"},
    {pid::authentication_data, pt::binary_data, bit(pc::connect) | bit(pc::connack) | bit(pc::auth),
     "Authentication Data"},
    {pid::request_problem_information, pt::byte, bit(pc::connect), "Request Problem Information"},
    {pid::will_delay_interval, pt::four_byte_integer, bit(pc::will), "Will Delay Interval"},
    {pid::request_response_information, pt::byte, bit(pc::connect), "Request Response Information"},
    {pid::response_information, pt::utf8_string, bit(pc::connack), "Response Information"},
    {pid::server_reference, pt::utf8_string, bit(pc::connack) | bit(pc::disconnect), "Server Reference"},
    {pid::reason_string, pt::utf8_string, reason_string_ctx, "Reason String"},
    {pid::receive_maximum, pt::two_byte_integer, bit(pc::connect) | bit(pc::connack), "Receive Maximum"},
    {pid::topic_alias_maximum, pt::two_byte_integer, bit(pc::connect) | bit(pc::connack), "Topic Alias Maximum"},
    {pid::topic_alias, pt::two_byte_integer, bit(pc::publish), "Topic Alias"},
    {pid::maximum_qos, pt::byte, bit(pc::connack), "Maximum QoS"},
    {pid::retain_available, pt::byte, bit(pc::connack), "Retain Available"},
    {pid::user_property, pt::utf8_string_pair, user_property_ctx, "User Property"},
    {pid::maximum_packet_size, pt::four_byte_integer, bit(pc::connect) | bit(pc::connack), "Maximum Packet Size"},
    {pid::wildcard_subscription_available, pt::byte, bit(pc::connack), "Wildcard Subscription Available"},
    {pid::subscription_identifier_available, pt::byte, bit(pc::connack), "Subscription Identifier Available"},
    {pid::shared_subscription_available, pt::byte, bit(pc::connack), "Shared Subscription Available"},
}};

constexpr std::array<std::int8_t, 64> make_index() {
  std::array<std::int8_t, 64> index{};
  for (auto& i : index) i = -1;
  for (std::size_t i = 0; i < table.size(); ++i) index[static_cast<std::size_t>(table[i].id)] = static_cast<std::int8_t>(i);
  return index;
}
constexpr auto index_by_id = make_index();

// Emits every present property in ascending identifier order (repeated ones in their given order).
// Sink is wire::sizer (which also checks the context) or wire::writer.
template <class Sink>
struct emitter {
  Sink& s;
  property_context ctx;

  void id(pid i) {
    if constexpr (std::is_same_v<Sink, wire::sizer>) {
      if (!property_allowed(*find_property_info(static_cast<std::uint8_t>(i)), ctx))
        s.fail(codec_error::property_not_allowed);
    }
    s.u8(static_cast<std::uint8_t>(i));
  }
  template <class T>
  void u8(pid i, const std::optional<T>& v) {
    if (v) id(i), s.u8(*v);
  }
  void u16(pid i, const std::optional<std::uint16_t>& v) {
    if (v) id(i), s.u16(*v);
  }
  void u32(pid i, const std::optional<std::uint32_t>& v) {
    if (v) id(i), s.u32(*v);
  }
  void str(pid i, const std::optional<std::string_view>& v) {
    if (v) id(i), s.str(*v);
  }
  void bin(pid i, const std::optional<bytes_view>& v) {
    if (v) id(i), s.bin(*v);
  }

  void all(const properties& p) {
    u8(pid::payload_format_indicator, p.payload_format_indicator);
    u32(pid::message_expiry_interval, p.message_expiry_interval);
    str(pid::content_type, p.content_type);
    str(pid::response_topic, p.response_topic);
    bin(pid::correlation_data, p.correlation_data);
    for (auto v : p.subscription_identifiers) {
      id(pid::subscription_identifier);
      if constexpr (std::is_same_v<Sink, wire::sizer>) {
        if (v == 0) s.fail(codec_error::value_out_of_range);
      }
      s.vbi(v);
    }
    u32(pid::session_expiry_interval, p.session_expiry_interval);
    str(pid::assigned_client_identifier, p.assigned_client_identifier);
    u16(pid::server_keep_alive, p.server_keep_alive);
    str(pid::authentication_method, p.authentication_method);
    bin(pid::authentication_data, p.authentication_data);
    u8(pid::request_problem_information, p.request_problem_information);
    u32(pid::will_delay_interval, p.will_delay_interval);
    u8(pid::request_response_information, p.request_response_information);
    str(pid::response_information, p.response_information);
    str(pid::server_reference, p.server_reference);
    str(pid::reason_string, p.reason_string);
    u16(pid::receive_maximum, p.receive_maximum);
    u16(pid::topic_alias_maximum, p.topic_alias_maximum);
    u16(pid::topic_alias, p.topic_alias);
    u8(pid::maximum_qos, p.maximum_qos);
    u8(pid::retain_available, p.retain_available);
    for (const auto& up : p.user_properties) {
      id(pid::user_property);
      s.str(up.name);
      s.str(up.value);
    }
    u32(pid::maximum_packet_size, p.maximum_packet_size);
    u8(pid::wildcard_subscription_available, p.wildcard_subscription_available);
    u8(pid::subscription_identifier_available, p.subscription_identifier_available);
    u8(pid::shared_subscription_available, p.shared_subscription_available);
  }
};

bool is_boolean(std::uint8_t v) { return v <= 1; }

}  // namespace

const property_info* find_property_info(std::uint8_t id) {
  if (id >= index_by_id.size() || index_by_id[id] < 0) return nullptr;
  return &table[static_cast<std::size_t>(index_by_id[id])];
}

bool properties::empty() const {
  return !payload_format_indicator && !message_expiry_interval && !content_type && !response_topic &&
         !correlation_data && subscription_identifiers.empty() && !session_expiry_interval &&
         !assigned_client_identifier && !server_keep_alive && !authentication_method && !authentication_data &&
         !request_problem_information && !will_delay_interval && !request_response_information &&
         !response_information && !server_reference && !reason_string && !receive_maximum &&
         !topic_alias_maximum && !topic_alias && !maximum_qos && !retain_available && user_properties.empty() &&
         !maximum_packet_size && !wildcard_subscription_available && !subscription_identifier_available &&
         !shared_subscription_available;
}

namespace wire {

void clear(properties& p) {
  // Keeps the vectors' capacity, so a reused packet decodes without allocating.
  auto ids = std::move(p.subscription_identifiers);
  auto ups = std::move(p.user_properties);
  ids.clear();
  ups.clear();
  p = properties{};
  p.subscription_identifiers = std::move(ids);
  p.user_properties = std::move(ups);
}

void sizer::vbi(std::uint32_t v) {
  if (v > max_variable_byte_integer) fail(codec_error::value_out_of_range);
  n += variable_byte_integer_size(v);
}

std::size_t properties_size(const properties& p, property_context ctx, sizer& s) {
  const std::size_t before = s.n;
  emitter<sizer>{s, ctx}.all(p);
  return s.n - before;
}

void emit_properties(sizer& s, const properties& p, property_context ctx) {
  const std::size_t len = properties_size(p, ctx, s);
  const auto value = static_cast<std::uint32_t>(len > max_variable_byte_integer ? max_variable_byte_integer + 1 : len);
  if (s.block_count < 2) s.blocks[s.block_count] = value;
  ++s.block_count;
  s.vbi(value);
}

void emit_properties(writer& w, const properties& p, property_context ctx) {
  std::uint32_t len = 0;
  if (w.blocks != nullptr && w.block_index < 2) {
    len = w.blocks[w.block_index++];
  } else {
    sizer s;
    len = static_cast<std::uint32_t>(properties_size(p, ctx, s));
  }
  w.vbi(len);
  emitter<writer>{w, ctx}.all(p);
}

codec_error decode_properties(reader& r, property_context ctx, properties& out) {
  clear(out);
  std::uint32_t len = 0;
  if (auto e = r.vbi(len); e != codec_error::ok) return e;
  if (len > r.left()) return codec_error::truncated;
  reader pr{bytes_view{r.p, len}};
  r.p += len;
  std::uint64_t seen = 0;
  while (!pr.done()) {
    std::uint32_t id = 0;
    if (auto e = pr.vbi(id); e != codec_error::ok) return e;
    const property_info* info = id < 64 ? find_property_info(static_cast<std::uint8_t>(id)) : nullptr;
    if (info == nullptr) return codec_error::unknown_property;  // [MQTT-2.2.2-2] malformed
    if (!property_allowed(*info, ctx)) return codec_error::property_not_allowed;
    const std::uint64_t mask = std::uint64_t{1} << id;
    // Only User Property may repeat, and Subscription Identifier in a PUBLISH [MQTT-3.3.4-4];
    // in SUBSCRIBE a second one is a Protocol Error (3.8.2.1.2).
    const bool repeatable = info->id == pid::user_property ||
                            (info->id == pid::subscription_identifier && ctx == property_context::publish);
    if ((seen & mask) != 0 && !repeatable) return codec_error::duplicate_property;
    seen |= mask;

    codec_error e = codec_error::ok;
    std::uint8_t b = 0;
    std::uint16_t s16 = 0;
    std::uint32_t s32 = 0;
    std::string_view sv;
    bytes_view bv;
    switch (info->type) {
      case pt::byte: e = pr.u8(b); break;
      case pt::two_byte_integer: e = pr.u16(s16); break;
      case pt::four_byte_integer: e = pr.u32(s32); break;
      case pt::variable_byte_integer: e = pr.vbi(s32); break;
      case pt::utf8_string: e = pr.utf8(sv); break;
      case pt::binary_data: e = pr.binary(bv); break;
      case pt::utf8_string_pair: {
        user_property up;
        e = pr.utf8(up.name);
        if (e == codec_error::ok) e = pr.utf8(up.value);
        if (e == codec_error::ok) out.user_properties.push_back(up);
        break;
      }
    }
    if (e != codec_error::ok) return e;

    switch (info->id) {
      case pid::payload_format_indicator:
        if (!is_boolean(b)) return codec_error::invalid_property_value;
        out.payload_format_indicator = b;
        break;
      case pid::message_expiry_interval: out.message_expiry_interval = s32; break;
      case pid::content_type: out.content_type = sv; break;
      case pid::response_topic: out.response_topic = sv; break;
      case pid::correlation_data: out.correlation_data = bv; break;
      case pid::subscription_identifier:
        if (s32 == 0) return codec_error::invalid_property_value;  // 1..268,435,455 (3.3.2.3.8)
        out.subscription_identifiers.push_back(s32);
        break;
      case pid::session_expiry_interval: out.session_expiry_interval = s32; break;
      case pid::assigned_client_identifier: out.assigned_client_identifier = sv; break;
      case pid::server_keep_alive: out.server_keep_alive = s16; break;
      case pid::authentication_method: out.authentication_method = sv; break;
      case pid::authentication_data: out.authentication_data = bv; break;
      case pid::request_problem_information:  // 0 or 1, else Protocol Error (3.1.2.11.7)
        if (!is_boolean(b)) return codec_error::invalid_property_value;
        out.request_problem_information = b;
        break;
      case pid::will_delay_interval: out.will_delay_interval = s32; break;
      case pid::request_response_information:  // 0 or 1 (3.1.2.11.6)
        if (!is_boolean(b)) return codec_error::invalid_property_value;
        out.request_response_information = b;
        break;
      case pid::response_information: out.response_information = sv; break;
      case pid::server_reference: out.server_reference = sv; break;
      case pid::reason_string: out.reason_string = sv; break;
      case pid::receive_maximum:  // 0 is a Protocol Error (3.1.2.11.3, 3.2.2.3.3)
        if (s16 == 0) return codec_error::invalid_property_value;
        out.receive_maximum = s16;
        break;
      case pid::topic_alias_maximum: out.topic_alias_maximum = s16; break;
      case pid::topic_alias:
        if (s16 == 0) return codec_error::topic_alias_zero;  // [MQTT-3.3.2-8]
        out.topic_alias = s16;
        break;
      case pid::maximum_qos:  // 0 or 1 (3.2.2.3.4)
        if (!is_boolean(b)) return codec_error::invalid_property_value;
        out.maximum_qos = b;
        break;
      case pid::retain_available:
        if (!is_boolean(b)) return codec_error::invalid_property_value;
        out.retain_available = b;
        break;
      case pid::user_property: break;
      case pid::maximum_packet_size:  // 0 is a Protocol Error (3.1.2.11.4)
        if (s32 == 0) return codec_error::invalid_property_value;
        out.maximum_packet_size = s32;
        break;
      case pid::wildcard_subscription_available:
        if (!is_boolean(b)) return codec_error::invalid_property_value;
        out.wildcard_subscription_available = b;
        break;
      case pid::subscription_identifier_available:
        if (!is_boolean(b)) return codec_error::invalid_property_value;
        out.subscription_identifier_available = b;
        break;
      case pid::shared_subscription_available:
        if (!is_boolean(b)) return codec_error::invalid_property_value;
        out.shared_subscription_available = b;
        break;
    }
  }
  return codec_error::ok;
}

}  // namespace wire
}  // namespace postcard
