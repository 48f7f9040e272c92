// Topic aliases (v5, spec 3.3.2.3.4), both directions, reset with every Network Connection.
//
// Inbound: the server may use aliases 1..our Topic Alias Maximum (options.properties). A PUBLISH
// with a topic and an alias sets the mapping; one with an empty topic uses it.
// Outbound: we may use aliases 1..the server's Topic Alias Maximum (CONNACK).
//   - explicit (publish_options.properties.topic_alias): maps that alias to the topic; an empty
//     topic with an explicit alias sends the alias alone (MQTT.js).
//   - auto_use_topic_alias: a topic that already has an alias is sent as the alias alone.
//   - auto_assign_topic_alias: a topic without an alias gets the next free one, or the least
//     recently used one when all are taken; later publishes send the alias alone.
#include "client/engine.hpp"

namespace postcard::client {

void engine::reset_aliases() {
  inbound_aliases_.clear();
  outbound_aliases_.clear();
  outbound_alias_of_.clear();
  alias_clock_ = 0;
}

std::optional<std::string_view> engine::resolve_inbound_alias(const publish_packet& p, std::uint64_t now_ms) {
  if (!p.props.topic_alias) return p.topic;  // the codec refuses an empty topic without alias
  const std::uint16_t alias = *p.props.topic_alias;
  const std::uint16_t maximum =
      opts_.protocol == protocol_version::v5 ? opts_.properties.topic_alias_maximum.value_or(0) : 0;
  if (alias == 0 || alias > maximum) {
    // 0, or above the Topic Alias Maximum we sent [MQTT-3.3.2-8], [MQTT-3.3.2-11]: 0x94
    fail(codec_error::ok, reason_code::topic_alias_invalid, "topic alias outside our Topic Alias Maximum", now_ms);
    return std::nullopt;
  }
  const std::size_t i = alias - std::size_t{1};
  if (!p.topic.empty()) {
    if (inbound_aliases_.size() <= i) inbound_aliases_.resize(i + 1);
    inbound_aliases_[i].assign(p.topic);
    return std::string_view{inbound_aliases_[i]};
  }
  if (i >= inbound_aliases_.size() || inbound_aliases_[i].empty()) {
    // An alias the server never mapped on this connection is a Protocol Error (spec 3.3.2.3.4)
    fail(codec_error::ok, reason_code::protocol_error, "topic alias without a mapping", now_ms);
    return std::nullopt;
  }
  return std::string_view{inbound_aliases_[i]};
}

std::uint16_t engine::outbound_alias(std::string_view topic, const property_set& props, bool& alias_only) {
  const std::uint16_t maximum = negotiated_.topic_alias_maximum;
  if (maximum == 0) return 0;  // the server allows none [MQTT-3.3.2-9]
  ++alias_clock_;
  const auto known = outbound_alias_of_.find(topic);
  if (props.topic_alias) {
    const std::uint16_t a = *props.topic_alias;
    if (a == 0 || a > maximum) {
      alias_only = false;  // the server's maximum shrank since the command: send the topic in full
      return 0;
    }
    if (outbound_aliases_.size() < a) outbound_aliases_.resize(a);
    alias_slot& slot = outbound_aliases_[a - 1u];
    const bool mapped = slot.topic == topic;
    if (!mapped) {
      if (!slot.topic.empty()) outbound_alias_of_.erase(slot.topic);
      if (known != outbound_alias_of_.end()) outbound_aliases_[known->second - 1u].topic.clear();
      outbound_alias_of_.insert_or_assign(std::string{topic}, a);
      slot.topic = topic;
    }
    slot.last_used = alias_clock_;
    alias_only = mapped && (alias_only || opts_.auto_use_topic_alias);
    return a;
  }
  if (known != outbound_alias_of_.end() && (opts_.auto_use_topic_alias || opts_.auto_assign_topic_alias)) {
    outbound_aliases_[known->second - 1u].last_used = alias_clock_;
    alias_only = true;
    return known->second;
  }
  if (!opts_.auto_assign_topic_alias) return 0;
  std::uint16_t a = 0;
  for (std::size_t i = 0; i < outbound_aliases_.size(); ++i) {
    if (outbound_aliases_[i].topic.empty()) {
      a = static_cast<std::uint16_t>(i + 1);
      break;
    }
  }
  if (a == 0 && outbound_aliases_.size() < maximum) {
    outbound_aliases_.emplace_back();
    a = static_cast<std::uint16_t>(outbound_aliases_.size());
  }
  if (a == 0) {  // all taken: replace the least recently used
    std::size_t lru = 0;
    for (std::size_t i = 1; i < outbound_aliases_.size(); ++i) {
      if (outbound_aliases_[i].last_used < outbound_aliases_[lru].last_used) lru = i;
    }
    a = static_cast<std::uint16_t>(lru + 1);
    outbound_alias_of_.erase(outbound_aliases_[lru].topic);
  }
  alias_slot& slot = outbound_aliases_[a - 1u];
  slot.topic = topic;
  slot.last_used = alias_clock_;
  outbound_alias_of_.insert_or_assign(std::string{topic}, a);
  alias_only = false;  // the first use carries the topic to set up the mapping
  return a;
}

}  // namespace postcard::client
