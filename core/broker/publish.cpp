// Inbound PUBLISH: limits, topic aliases, QoS 2 duplicate suppression, authorization, retained store,
// routing, and the acknowledgement (PUBACK / PUBREC).
#include <algorithm>

#include "broker/state.hpp"

namespace postcard::broker {

std::shared_ptr<message> engine::impl::make_message(const publish_packet& p, std::string_view topic, std::uint32_t origin) {
  auto m = std::make_shared<message>();
  m->topic.assign(topic);
  m->payload.assign(p.payload.begin(), p.payload.end());
  m->qos = static_cast<std::uint8_t>(p.qos_level);
  m->retain = p.retain;
  const properties& pr = p.props;
  m->payload_format_indicator = pr.payload_format_indicator;
  if (pr.content_type) m->content_type.emplace(*pr.content_type);
  if (pr.response_topic) m->response_topic.emplace(*pr.response_topic);
  if (pr.correlation_data) m->correlation_data.emplace(pr.correlation_data->begin(), pr.correlation_data->end());
  m->user_properties.reserve(pr.user_properties.size());
  for (const auto& up : pr.user_properties) m->user_properties.emplace_back(std::string(up.name), std::string(up.value));
  if (pr.message_expiry_interval) m->expires_at_ms = now + time_ms{*pr.message_expiry_interval} * 1000;
  m->origin_slot = origin;
  return m;
}

void engine::impl::set_retained(const message_ptr& m) {
  if (m->payload.empty()) {
    // [MQTT-3.3.1-6] an empty retained payload removes the retained message (and is not stored)
    if (retained.erase(m->topic)) emit_retained_erased(m->topic);
  } else {
    retained.set(m->topic, m);  // [MQTT-3.3.1-5] stored, replacing any previous one
    emit_retained_set(*m);
  }
}

std::size_t engine::impl::broker_publish(message_ptr m) {
  if (m->retain && cfg.retain_available) set_retained(m);
  return route(m);
}

void engine::impl::on_publish(connection& c, const publish_packet& p) {
  session& s = *c.sess;
  const auto q = static_cast<std::uint8_t>(p.qos_level);
  if (q > cfg.max_qos) return fail(c, engine_error::qos_not_supported);              // [MQTT-3.2.2-11]
  if (p.retain && !cfg.retain_available) return fail(c, engine_error::retain_not_supported);  // [MQTT-3.2.2-14]

  std::string_view topic = p.topic;
  if (c.version == protocol_version::v5 && p.props.topic_alias) {
    const std::uint16_t alias = *p.props.topic_alias;
    // [MQTT-3.3.2-9] [MQTT-3.3.2-10] alias 0 or above our Topic Alias Maximum
    if (alias == 0 || alias > cfg.max_topic_alias) return fail(c, engine_error::topic_alias_invalid);
    if (topic.empty()) {
      if (alias >= c.in_aliases.size() || c.in_aliases[alias].empty()) return fail(c, engine_error::topic_alias_unknown);
      topic = c.in_aliases[alias];
    } else {
      if (c.in_aliases.size() <= alias) c.in_aliases.resize(std::size_t{cfg.max_topic_alias} + 1);
      c.in_aliases[alias].assign(topic);  // [MQTT-3.3.2-12] the alias now maps to this topic
      topic = c.in_aliases[alias];
    }
  }

  if (q == 2) {
    auto& ids = s.incoming_qos2;
    if (std::find(ids.begin(), ids.end(), p.packet_id) != ids.end()) {
      // [MQTT-4.3.3-9] a duplicate before PUBREL is acknowledged again, not delivered again
      return send_ack(c, packet_type::pubrec, p.packet_id, reason_code::success);
    }
    // [MQTT-3.3.4-7] more unacknowledged QoS>0 PUBLISH than our Receive Maximum. MQTT 3.x has no
    // Receive Maximum: a 3.x client may have as many QoS 2 messages open as it has packet ids.
    const std::size_t receive_max = cfg.max_inflight_messages == 0 ? 65535 : cfg.max_inflight_messages;
    if (c.version == protocol_version::v5 && ids.size() >= receive_max)
      return fail(c, engine_error::receive_maximum_exceeded);
  }
  ++stats.publish_received;

  reason_code r = reason_code::success;
  drop_reason why = drop_reason::not_authorized;
  if (cfg.max_payload_size != 0 && p.payload.size() > cfg.max_payload_size) {
    // Mosquitto's message_size_limit: not routed; PUBACK / PUBREC 0x95 as Mosquitto 2 answers (v5's
    // PUBACK table does not list 0x95; any code >= 0x80 tells the client the message was refused)
    r = reason_code::packet_too_large;
    why = drop_reason::too_large;
  } else if (!topic.empty() && topic.front() == '$') {
    r = reason_code::not_authorized;  // clients cannot publish to '$' topics ($SYS is the broker's)
  } else {
    r = hk->authorize_publish(c.who(), topic, q, p.retain);
  }
  if (r == reason_code::success) {
    std::shared_ptr<message> fresh = make_message(p, topic, s.slot);
    if (p.retain && cfg.check_retain_source) {
      fresh->origin_client_id = s.client_id;
      fresh->origin_username = c.username;
    }
    message_ptr m = std::move(fresh);
    if (p.retain) set_retained(m);
    // v5: PUBACK / PUBREC 0x10 tells the publisher nobody matched (as Mosquitto does)
    if (route(m) == 0) r = reason_code::no_matching_subscribers;
  } else {
    ++stats.publish_dropped;
    if (wants(event_kind::message_dropped)) {
      event e;
      e.kind = event_kind::message_dropped;
      e.conn = c.id;
      e.client_id = s.client_id;
      e.topic = topic;
      e.qos = q;
      e.drop = why;
      emit(e);
    }
  }
  if (c.ph != phase::connected) return;
  if (q == 1) {
    send_ack(c, packet_type::puback, p.packet_id, r);  // [MQTT-4.3.2-4]
  } else if (q == 2) {
    if (static_cast<std::uint8_t>(r) < 0x80) {
      s.incoming_qos2.push_back(p.packet_id);  // [MQTT-4.3.3-8] remembered until PUBREL
      mark_dirty(s);
    }
    send_ack(c, packet_type::pubrec, p.packet_id, r);
  }
}

}  // namespace postcard::broker
