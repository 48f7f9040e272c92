// SUBSCRIBE / SUBACK and UNSUBSCRIBE / UNSUBACK, and retained messages sent on subscribe.
#include <algorithm>
#include <tuple>

#include "broker/state.hpp"
#include "topic/topic.hpp"

namespace postcard::broker {
namespace {

bool has_wildcard(std::string_view filter) { return filter.find_first_of("+#") != std::string_view::npos; }

}  // namespace

void engine::impl::on_subscribe(connection& c, const subscribe_packet& p) {
  session& s = *c.sess;
  const bool v5 = c.version == protocol_version::v5;
  std::uint32_t identifier = 0;
  if (v5 && !p.props.subscription_identifiers.empty()) {
    if (!cfg.subscription_identifier_available) return fail(c, engine_error::subscription_ids_unsupported);
    identifier = p.props.subscription_identifiers.front();
  }
  for (const auto& t : p.topics) {
    if (t.no_local && topic::parse_shared(t.filter) && topic::validate_filter(t.filter) == topic::topic_error::ok) {
      return fail(c, engine_error::shared_no_local);  // [MQTT-3.8.3-4]
    }
  }
  suback_packet ack;
  ack.packet_id = p.packet_id;  // [MQTT-3.8.4-2] same packet identifier
  ack.reasons.reserve(p.topics.size());
  // (filter, granted, retain handling, existed) for the retained messages sent after the SUBACK
  std::vector<std::tuple<std::string_view, std::uint8_t, retain_handling, bool>> retained_todo;
  const auto failure = [&](reason_code r) { return v5 ? r : reason_code::unspecified_error; };  // 3.x: 0x80
  for (const auto& t : p.topics) {
    if (topic::validate_filter(t.filter) != topic::topic_error::ok) {
      ack.reasons.push_back(failure(reason_code::topic_filter_invalid));
      continue;
    }
    auto shared = topic::parse_shared(t.filter);
    const std::string_view plain = shared ? shared->filter : t.filter;
    if (shared && !cfg.shared_subscription_available) {
      ack.reasons.push_back(failure(reason_code::shared_subscriptions_not_supported));
      continue;
    }
    if (!cfg.wildcard_subscription_available && has_wildcard(plain)) {
      ack.reasons.push_back(failure(reason_code::wildcard_subscriptions_not_supported));
      continue;
    }
    const auto requested = static_cast<std::uint8_t>(t.max_qos);
    if (reason_code r = hk->authorize_subscribe(c.who(), t.filter, requested); r != reason_code::success) {
      ack.reasons.push_back(failure(r));
      continue;
    }
    const std::uint8_t granted = std::min(requested, cfg.max_qos);  // [MQTT-3.8.4-6]
    topic::subscription_options o;
    o.max_qos = granted;
    o.no_local = t.no_local;
    o.retain_as_published = t.retain_as_published;
    o.retain_handling = static_cast<std::uint8_t>(t.handling);
    o.identifier = identifier;
    // [MQTT-3.8.4-3] an identical filter replaces the existing subscription
    const bool existed = trie.insert(plain, s.slot, o, shared ? shared->group : std::string_view{});
    s.subs[std::string(t.filter)] = o;
    ack.reasons.push_back(static_cast<reason_code>(granted));
    if (!shared) retained_todo.emplace_back(plain, granted, t.handling, existed);  // [MQTT-4.8.2-?] none for shared
    if (wants(event_kind::subscribed)) {
      event e;
      e.kind = event_kind::subscribed;
      e.conn = c.id;
      e.client_id = s.client_id;
      e.topic = t.filter;
      e.qos = granted;
      emit(e);
    }
  }
  send_packet(c, packet{std::move(ack)});  // [MQTT-3.8.4-1]
  for (const auto& [filter, granted, handling, existed] : retained_todo) {
    // [MQTT-3.3.1-9] 0: send; [MQTT-3.3.1-10] 1: only for a new subscription; [MQTT-3.3.1-11] 2: never
    if (handling == retain_handling::do_not_send) continue;
    if (handling == retain_handling::send_if_new && existed) continue;
    send_retained(s, filter, granted, identifier);
  }
  mark_dirty(s);
}

void engine::impl::send_retained(session& s, std::string_view filter, std::uint8_t granted, std::uint32_t identifier) {
  std::vector<std::uint32_t> ids;
  if (identifier != 0) ids.push_back(identifier);
  std::vector<message_ptr> found;
  retained.match(filter, [&](std::string_view, const message_ptr& m) { found.push_back(m); });
  for (const message_ptr& m : found) {
    if (expired(*m)) continue;  // [MQTT-3.3.2-5] (swept from the store on the next $SYS tick)
    if (cfg.check_retain_source && !m->origin_client_id.empty()) {
      // The publisher of a retained message must still be allowed to publish it (Mosquitto's option)
      client_info publisher;
      publisher.client_id = m->origin_client_id;
      if (m->origin_username) publisher.username = *m->origin_username;
      if (hk->authorize_publish(publisher, m->topic, m->qos, true) != reason_code::success) {
        drop(s, *m, drop_reason::not_authorized);
        continue;
      }
    }
    const std::uint8_t q = cfg.upgrade_outgoing_qos ? granted : std::min(m->qos, granted);
    deliver(s, m, q, true, &ids, nullptr);  // [MQTT-3.3.1-8] retained on subscribe: RETAIN set
  }
}

void engine::impl::on_unsubscribe(connection& c, const unsubscribe_packet& p) {
  session& s = *c.sess;
  unsuback_packet ack;
  ack.packet_id = p.packet_id;  // [MQTT-3.10.4-4]
  for (std::string_view f : p.filters) {
    bool existed = false;
    auto it = s.subs.find(std::string(f));
    if (it != s.subs.end()) {
      auto shared = topic::parse_shared(f);
      existed = trie.remove(shared ? shared->filter : f, s.slot, shared ? shared->group : std::string_view{});
      s.subs.erase(it);
    }
    // [MQTT-3.10.4-5] one reason per filter; 0x11 when no such subscription existed
    ack.reasons.push_back(existed ? reason_code::success : reason_code::no_subscription_existed);
    if (existed && wants(event_kind::unsubscribed)) {
      event e;
      e.kind = event_kind::unsubscribed;
      e.conn = c.id;
      e.client_id = s.client_id;
      e.topic = f;
      emit(e);
    }
  }
  send_packet(c, packet{std::move(ack)});  // [MQTT-3.10.4-4] UNSUBACK even if nothing was removed
  mark_dirty(s);
}

}  // namespace postcard::broker
