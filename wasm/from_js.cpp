#include "from_js.hpp"

#include <cmath>

namespace postcard::wasm {
namespace {

double to_number(const val& v) {
  if (v.typeOf().as<std::string>() == "boolean") return v.as<bool>() ? 1.0 : 0.0;
  return v.as<double>();
}

template <typename T>
void read(const val& obj, const char* key, std::optional<T>& out) {
  const val v = obj[key];
  if (v.isUndefined() || v.isNull()) return;
  if constexpr (std::is_same_v<T, std::string>) {
    out = v.as<std::string>();
  } else if constexpr (std::is_same_v<T, std::vector<std::uint8_t>>) {
    out = bytes_of(v);
  } else {
    out = static_cast<T>(to_number(v));
  }
}

}  // namespace

bool has(const val& obj, const char* key) {
  if (obj.isUndefined() || obj.isNull()) return false;
  const val v = obj[key];
  return !v.isUndefined() && !v.isNull();
}

double number_or(const val& obj, const char* key, double fallback) {
  return has(obj, key) ? to_number(obj[key]) : fallback;
}

bool bool_or(const val& obj, const char* key, bool fallback) {
  return has(obj, key) ? to_number(obj[key]) != 0.0 : fallback;
}

std::string string_or(const val& obj, const char* key, const std::string& fallback) {
  return has(obj, key) ? obj[key].as<std::string>() : fallback;
}

std::vector<std::uint8_t> bytes_of(const val& v) {
  // embind reads a Uint8Array (or a string) into std::string.
  const auto s = v.as<std::string>();
  return {s.begin(), s.end()};
}

std::uint64_t to_time(double now_ms) {
  if (!(now_ms > 0.0)) return 0;
  return static_cast<std::uint64_t>(std::floor(now_ms));
}

client::property_set properties_from(const val& props) {
  client::property_set p;
  if (props.isUndefined() || props.isNull()) return p;
  read(props, "payloadFormatIndicator", p.payload_format_indicator);
  read(props, "messageExpiryInterval", p.message_expiry_interval);
  read(props, "contentType", p.content_type);
  read(props, "responseTopic", p.response_topic);
  read(props, "correlationData", p.correlation_data);
  if (has(props, "subscriptionIdentifier")) {
    const val ids = props["subscriptionIdentifier"];
    if (ids.isArray()) {
      const auto count = ids["length"].as<unsigned>();
      for (unsigned i = 0; i < count; ++i) p.subscription_identifiers.push_back(ids[i].as<std::uint32_t>());
    } else {
      p.subscription_identifiers.push_back(static_cast<std::uint32_t>(to_number(ids)));
    }
  }
  read(props, "sessionExpiryInterval", p.session_expiry_interval);
  read(props, "assignedClientIdentifier", p.assigned_client_identifier);
  read(props, "serverKeepAlive", p.server_keep_alive);
  read(props, "authenticationMethod", p.authentication_method);
  read(props, "authenticationData", p.authentication_data);
  read(props, "requestProblemInformation", p.request_problem_information);
  read(props, "willDelayInterval", p.will_delay_interval);
  read(props, "requestResponseInformation", p.request_response_information);
  read(props, "responseInformation", p.response_information);
  read(props, "serverReference", p.server_reference);
  read(props, "reasonString", p.reason_string);
  read(props, "receiveMaximum", p.receive_maximum);
  read(props, "topicAliasMaximum", p.topic_alias_maximum);
  read(props, "topicAlias", p.topic_alias);
  read(props, "maximumQoS", p.maximum_qos);
  read(props, "retainAvailable", p.retain_available);
  read(props, "maximumPacketSize", p.maximum_packet_size);
  read(props, "wildcardSubscriptionAvailable", p.wildcard_subscription_available);
  read(props, "subscriptionIdentifiersAvailable", p.subscription_identifier_available);
  read(props, "sharedSubscriptionAvailable", p.shared_subscription_available);
  // userProperties: { name: value } or { name: [value, ...] }, in the object's key order.
  if (has(props, "userProperties")) {
    const val user = props["userProperties"];
    const val keys = val::global("Object").call<val>("keys", user);
    const auto count = keys["length"].as<unsigned>();
    for (unsigned i = 0; i < count; ++i) {
      const auto name = keys[i].as<std::string>();
      const val value = user[name];
      if (value.isArray()) {
        const auto values = value["length"].as<unsigned>();
        for (unsigned j = 0; j < values; ++j)
          p.user_properties.push_back({name, value[j].call<std::string>("toString")});
      } else {
        p.user_properties.push_back({name, value.call<std::string>("toString")});
      }
    }
  }
  return p;
}

}  // namespace postcard::wasm
