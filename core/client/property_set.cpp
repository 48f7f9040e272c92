#include "client/property_set.hpp"

namespace postcard::client {
namespace {

std::optional<std::string_view> view_of(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  return std::string_view{*s};
}
std::optional<bytes_view> view_of(const std::optional<std::vector<std::uint8_t>>& b) {
  if (!b) return std::nullopt;
  return bytes_view{b->data(), b->size()};
}
std::optional<std::string> copy_of_string(const std::optional<std::string_view>& s) {
  if (!s) return std::nullopt;
  return std::string{*s};
}
std::optional<std::vector<std::uint8_t>> copy_of_bytes(const std::optional<bytes_view>& b) {
  if (!b) return std::nullopt;
  return std::vector<std::uint8_t>(b->begin(), b->end());
}

}  // namespace

properties property_set::view() const {
  properties p;
  p.payload_format_indicator = payload_format_indicator;
  p.message_expiry_interval = message_expiry_interval;
  p.content_type = view_of(content_type);
  p.response_topic = view_of(response_topic);
  p.correlation_data = view_of(correlation_data);
  p.subscription_identifiers = subscription_identifiers;
  p.session_expiry_interval = session_expiry_interval;
  p.assigned_client_identifier = view_of(assigned_client_identifier);
  p.server_keep_alive = server_keep_alive;
  p.authentication_method = view_of(authentication_method);
  p.authentication_data = view_of(authentication_data);
  p.request_problem_information = request_problem_information;
  p.will_delay_interval = will_delay_interval;
  p.request_response_information = request_response_information;
  p.response_information = view_of(response_information);
  p.server_reference = view_of(server_reference);
  p.reason_string = view_of(reason_string);
  p.receive_maximum = receive_maximum;
  p.topic_alias_maximum = topic_alias_maximum;
  p.topic_alias = topic_alias;
  p.maximum_qos = maximum_qos;
  p.retain_available = retain_available;
  p.user_properties.reserve(user_properties.size());
  for (const auto& u : user_properties) p.user_properties.push_back({u.name, u.value});
  p.maximum_packet_size = maximum_packet_size;
  p.wildcard_subscription_available = wildcard_subscription_available;
  p.subscription_identifier_available = subscription_identifier_available;
  p.shared_subscription_available = shared_subscription_available;
  return p;
}

property_set property_set::copy_of(const properties& p) {
  property_set s;
  s.payload_format_indicator = p.payload_format_indicator;
  s.message_expiry_interval = p.message_expiry_interval;
  s.content_type = copy_of_string(p.content_type);
  s.response_topic = copy_of_string(p.response_topic);
  s.correlation_data = copy_of_bytes(p.correlation_data);
  s.subscription_identifiers = p.subscription_identifiers;
  s.session_expiry_interval = p.session_expiry_interval;
  s.assigned_client_identifier = copy_of_string(p.assigned_client_identifier);
  s.server_keep_alive = p.server_keep_alive;
  s.authentication_method = copy_of_string(p.authentication_method);
  s.authentication_data = copy_of_bytes(p.authentication_data);
  s.request_problem_information = p.request_problem_information;
  s.will_delay_interval = p.will_delay_interval;
  s.request_response_information = p.request_response_information;
  s.response_information = copy_of_string(p.response_information);
  s.server_reference = copy_of_string(p.server_reference);
  s.reason_string = copy_of_string(p.reason_string);
  s.receive_maximum = p.receive_maximum;
  s.topic_alias_maximum = p.topic_alias_maximum;
  s.topic_alias = p.topic_alias;
  s.maximum_qos = p.maximum_qos;
  s.retain_available = p.retain_available;
  s.user_properties.reserve(p.user_properties.size());
  for (const auto& u : p.user_properties) s.user_properties.push_back({std::string{u.name}, std::string{u.value}});
  s.maximum_packet_size = p.maximum_packet_size;
  s.wildcard_subscription_available = p.wildcard_subscription_available;
  s.subscription_identifier_available = p.subscription_identifier_available;
  s.shared_subscription_available = p.shared_subscription_available;
  return s;
}

bool property_set::empty() const {
  return !payload_format_indicator && !message_expiry_interval && !content_type && !response_topic &&
         !correlation_data && subscription_identifiers.empty() && !session_expiry_interval &&
         !assigned_client_identifier && !server_keep_alive && !authentication_method && !authentication_data &&
         !request_problem_information && !will_delay_interval && !request_response_information &&
         !response_information && !server_reference && !reason_string && !receive_maximum &&
         !topic_alias_maximum && !topic_alias && !maximum_qos && !retain_available && user_properties.empty() &&
         !maximum_packet_size && !wildcard_subscription_available && !subscription_identifier_available &&
         !shared_subscription_available;
}

}  // namespace postcard::client
