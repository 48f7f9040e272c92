#include "to_json.hpp"

#include <string>

namespace postcard::wasm {
namespace {

std::uint64_t n(auto v) { return static_cast<std::uint64_t>(v); }

void reason_field(json_writer& w, reason_code r) { w.field("reasonCode", n(r)); }

struct packet_writer {
  json_writer& w;
  bytes_view& attachment;

  void operator()(const connect_packet& p) {
    w.field("cmd", "connect");
    w.field("protocolId", p.protocol_name);
    w.field("protocolVersion", n(p.version));
    w.field_bool("clean", p.clean_start);
    w.field("keepalive", n(p.keep_alive));
    w.field("clientId", p.client_id);
    if (p.username) w.field("username", *p.username);
    if (p.password) {
      w.key("password");
      w.bytes(*p.password);
    }
    if (p.will) {
      w.key("will");
      w.open();
      w.field("topic", p.will->topic);
      w.field("qos", n(p.will->qos_level));
      w.field_bool("retain", p.will->retain);
      properties_field(w, p.will->props);
      w.close();
      attachment = p.will->payload;
    }
    properties_field(w, p.props);
  }
  void operator()(const connack_packet& p) {
    w.field("cmd", "connack");
    w.field_bool("sessionPresent", p.session_present);
    w.field("returnCode", n(p.reason));
    reason_field(w, p.reason);
    properties_field(w, p.props);
  }
  void operator()(const publish_packet& p) {
    w.field("cmd", "publish");
    w.field("topic", p.topic);
    w.field("qos", n(p.qos_level));
    w.field_bool("retain", p.retain);
    w.field_bool("dup", p.dup);
    if (p.qos_level != qos::at_most_once) w.field("messageId", n(p.packet_id));
    properties_field(w, p.props);
    attachment = p.payload;
  }
  void operator()(const ack_packet& p) {
    const char* names[] = {"puback", "pubrec", "pubrel", "pubcomp"};
    const auto index = static_cast<unsigned>(p.type) - static_cast<unsigned>(packet_type::puback);
    w.field("cmd", index < 4 ? names[index] : "puback");
    w.field("messageId", n(p.packet_id));
    reason_field(w, p.reason);
    properties_field(w, p.props);
  }
  void operator()(const subscribe_packet& p) {
    w.field("cmd", "subscribe");
    w.field("messageId", n(p.packet_id));
    w.key("subscriptions");
    w.open_array();
    for (const auto& t : p.topics) {
      w.element();
      w.open();
      w.field("topic", t.filter);
      w.field("qos", n(t.max_qos));
      w.field_bool("nl", t.no_local);
      w.field_bool("rap", t.retain_as_published);
      w.field("rh", n(t.handling));
      w.close();
    }
    w.close_array();
    properties_field(w, p.props);
  }
  void codes(const std::vector<reason_code>& reasons) {
    w.key("granted");
    w.open_array();
    for (auto r : reasons) {
      w.element();
      w.num(n(r));
    }
    w.close_array();
  }
  void operator()(const suback_packet& p) {
    w.field("cmd", "suback");
    w.field("messageId", n(p.packet_id));
    codes(p.reasons);
    properties_field(w, p.props);
  }
  void operator()(const unsubscribe_packet& p) {
    w.field("cmd", "unsubscribe");
    w.field("messageId", n(p.packet_id));
    w.key("unsubscriptions");
    w.open_array();
    for (auto f : p.filters) {
      w.element();
      w.str(f);
    }
    w.close_array();
    properties_field(w, p.props);
  }
  void operator()(const unsuback_packet& p) {
    w.field("cmd", "unsuback");
    w.field("messageId", n(p.packet_id));
    codes(p.reasons);
    properties_field(w, p.props);
  }
  void operator()(const pingreq_packet&) { w.field("cmd", "pingreq"); }
  void operator()(const pingresp_packet&) { w.field("cmd", "pingresp"); }
  void operator()(const disconnect_packet& p) {
    w.field("cmd", "disconnect");
    reason_field(w, p.reason);
    properties_field(w, p.props);
  }
  void operator()(const auth_packet& p) {
    w.field("cmd", "auth");
    reason_field(w, p.reason);
    properties_field(w, p.props);
  }
};

}  // namespace

void properties_object(json_writer& w, const properties& p) {
  w.open();
  if (p.payload_format_indicator) w.field_bool("payloadFormatIndicator", *p.payload_format_indicator != 0);
  if (p.message_expiry_interval) w.field("messageExpiryInterval", n(*p.message_expiry_interval));
  if (p.content_type) w.field("contentType", *p.content_type);
  if (p.response_topic) w.field("responseTopic", *p.response_topic);
  if (p.correlation_data) {
    w.key("correlationData");
    w.bytes(*p.correlation_data);
  }
  if (p.subscription_identifiers.size() == 1) {
    w.field("subscriptionIdentifier", n(p.subscription_identifiers.front()));
  } else if (!p.subscription_identifiers.empty()) {
    w.key("subscriptionIdentifier");
    w.open_array();
    for (auto id : p.subscription_identifiers) {
      w.element();
      w.num(n(id));
    }
    w.close_array();
  }
  if (p.session_expiry_interval) w.field("sessionExpiryInterval", n(*p.session_expiry_interval));
  if (p.assigned_client_identifier) w.field("assignedClientIdentifier", *p.assigned_client_identifier);
  if (p.server_keep_alive) w.field("serverKeepAlive", n(*p.server_keep_alive));
  if (p.authentication_method) w.field("authenticationMethod", *p.authentication_method);
  if (p.authentication_data) {
    w.key("authenticationData");
    w.bytes(*p.authentication_data);
  }
  if (p.request_problem_information) w.field_bool("requestProblemInformation", *p.request_problem_information != 0);
  if (p.will_delay_interval) w.field("willDelayInterval", n(*p.will_delay_interval));
  if (p.request_response_information) w.field_bool("requestResponseInformation", *p.request_response_information != 0);
  if (p.response_information) w.field("responseInformation", *p.response_information);
  if (p.server_reference) w.field("serverReference", *p.server_reference);
  if (p.reason_string) w.field("reasonString", *p.reason_string);
  if (p.receive_maximum) w.field("receiveMaximum", n(*p.receive_maximum));
  if (p.topic_alias_maximum) w.field("topicAliasMaximum", n(*p.topic_alias_maximum));
  if (p.topic_alias) w.field("topicAlias", n(*p.topic_alias));
  if (p.maximum_qos) w.field("maximumQoS", n(*p.maximum_qos));
  if (p.retain_available) w.field_bool("retainAvailable", *p.retain_available != 0);
  if (!p.user_properties.empty()) {
    // MQTT.js shape: { name: value } or { name: [value, value] } for repeated names; order kept in
    // `userPropertyList` as [[name, value], ...].
    w.key("userPropertyList");
    w.open_array();
    for (const auto& u : p.user_properties) {
      w.element();
      w.open_array();
      w.element();
      w.str(u.name);
      w.element();
      w.str(u.value);
      w.close_array();
    }
    w.close_array();
  }
  if (p.maximum_packet_size) w.field("maximumPacketSize", n(*p.maximum_packet_size));
  if (p.wildcard_subscription_available)
    w.field_bool("wildcardSubscriptionAvailable", *p.wildcard_subscription_available != 0);
  if (p.subscription_identifier_available)
    w.field_bool("subscriptionIdentifiersAvailable", *p.subscription_identifier_available != 0);
  if (p.shared_subscription_available)
    w.field_bool("sharedSubscriptionAvailable", *p.shared_subscription_available != 0);
  w.close();
}

void properties_field(json_writer& w, const properties& p) {
  if (p.empty()) return;
  w.key("properties");
  properties_object(w, p);
}

void packet_json(json_writer& w, const packet& p, bytes_view& attachment) {
  w.open();
  std::visit(packet_writer{w, attachment}, p);
  w.close();
}

}  // namespace postcard::wasm
