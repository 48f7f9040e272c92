#pragma once
// Helpers for fuzz_broker: the broker's durable state rebuilt from durable-change records (whole and
// per-delivery records, by the replay rule of durable.hpp), and a field
// by field comparison of two durable states (keyed by topic and client id, as a host would store them)
// that names the first difference.
#include <map>
#include <optional>
#include <string>

#include "broker/durable.hpp"
#include "broker/durable_replay.hpp"

namespace postcard::fuzz {

// The records replayed by the hosts' rule (broker::durable_replay, durable.hpp), counting records
// that name an unknown session or delivery (the engine must never emit one).
class durable_log {
 public:
  void apply(const broker::durable_change& ch) {
    if (!replay_.apply(ch)) ++unmatched_;
  }
  broker::durable_state state() const { return replay_.state(); }
  std::size_t unmatched() const { return unmatched_; }

 private:
  broker::durable_replay replay_;
  std::size_t unmatched_ = 0;
};

namespace detail {

inline std::optional<std::string> compare(const broker::message_data& a, const broker::message_data& b) {
  if (a.topic != b.topic) return "topic";
  if (a.payload != b.payload) return "payload";
  if (a.qos != b.qos) return "qos";
  if (a.retain != b.retain) return "retain";
  if (a.payload_format_indicator != b.payload_format_indicator) return "payload_format_indicator";
  if (a.content_type != b.content_type) return "content_type";
  if (a.response_topic != b.response_topic) return "response_topic";
  if (a.correlation_data != b.correlation_data) return "correlation_data";
  if (a.user_properties != b.user_properties) return "user_properties";
  if (a.expires_at_ms != b.expires_at_ms) return "expires_at_ms";
  return std::nullopt;
}

inline std::optional<std::string> compare(const broker::subscription_data& a, const broker::subscription_data& b) {
  if (a.filter != b.filter || a.share_group != b.share_group) return "filter";
  if (a.max_qos != b.max_qos || a.no_local != b.no_local || a.retain_as_published != b.retain_as_published ||
      a.retain_handling != b.retain_handling || a.identifier != b.identifier)
    return "options of " + a.filter;
  return std::nullopt;
}

inline std::optional<std::string> compare(const broker::delivery_data& a, const broker::delivery_data& b) {
  if (a.seq != b.seq) return "seq " + std::to_string(a.seq) + " vs " + std::to_string(b.seq);
  if (a.st != b.st) return "state";
  if (a.packet_id != b.packet_id) return "packet_id";
  if (a.qos != b.qos || a.retain != b.retain) return "qos/retain";
  if (a.subscription_identifiers != b.subscription_identifiers) return "subscription_identifiers";
  if (a.st == broker::delivery_data::state::awaiting_pubcomp) return std::nullopt;
  if (auto d = compare(a.message, b.message)) return "message " + *d;
  return std::nullopt;
}

inline std::optional<std::string> compare(const broker::session_data& a, const broker::session_data& b,
                                          bool times) {
  if (a.protocol_version != b.protocol_version) return "protocol_version";
  if (a.expiry_interval != b.expiry_interval) return "expiry_interval";
  if (times && a.disconnected_at_ms != b.disconnected_at_ms)
    return "disconnected_at_ms " + std::to_string(a.disconnected_at_ms) + " vs " + std::to_string(b.disconnected_at_ms);
  if (a.subscriptions.size() != b.subscriptions.size()) return "subscription count";
  for (std::size_t i = 0; i < a.subscriptions.size(); ++i)
    if (auto d = compare(a.subscriptions[i], b.subscriptions[i])) return "subscription " + *d;
  if (a.outgoing.size() != b.outgoing.size())
    return "outgoing count " + std::to_string(a.outgoing.size()) + " vs " + std::to_string(b.outgoing.size());
  for (std::size_t i = 0; i < a.outgoing.size(); ++i)
    if (auto d = compare(a.outgoing[i], b.outgoing[i])) return "outgoing[" + std::to_string(i) + "] " + *d;
  if (a.incoming_qos2 != b.incoming_qos2) return "incoming_qos2";
  if (a.next_packet_id != b.next_packet_id) return "next_packet_id";
  return std::nullopt;
}

}  // namespace detail

// The first difference between `a` and `b` ("session c1: outgoing count 2 vs 3"), or nullopt.
// `times`: compare disconnected_at_ms too (a restored engine sets it to the restore time).
inline std::optional<std::string> compare(const broker::durable_state& a, const broker::durable_state& b, bool times) {
  std::map<std::string, const broker::message_data*> ra, rb;
  for (const auto& m : a.retained) ra[m.topic] = &m;
  for (const auto& m : b.retained) rb[m.topic] = &m;
  for (const auto& [topic, m] : ra) {
    auto it = rb.find(topic);
    if (it == rb.end()) return "retained " + topic + " only in the first";
    if (auto d = detail::compare(*m, *it->second)) return "retained " + topic + ": " + *d;
  }
  for (const auto& [topic, m] : rb)
    if (!ra.count(topic)) return "retained " + topic + " only in the second";
  std::map<std::string, const broker::session_data*> sa, sb;
  for (const auto& s : a.sessions) sa[s.client_id] = &s;
  for (const auto& s : b.sessions) sb[s.client_id] = &s;
  for (const auto& [id, s] : sa) {
    auto it = sb.find(id);
    if (it == sb.end()) return "session " + id + " only in the first";
    if (auto d = detail::compare(*s, *it->second, times)) return "session " + id + ": " + *d;
  }
  for (const auto& [id, s] : sb)
    if (!sa.count(id)) return "session " + id + " only in the second";
  return std::nullopt;
}

}  // namespace postcard::fuzz
