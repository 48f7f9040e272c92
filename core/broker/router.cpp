// Routing: one trie match per message, one merged delivery per subscribing session (overlapping
// subscriptions: maximum QoS, every Subscription Identifier), one delivery per matching shared group
// (round robin, preferring connected members), and encoding once per (version, QoS, retain) variant.
//
// The fast path (no Subscription Identifier, no outbound topic alias, not a resend) copies the cached
// encoding into the connection's output buffer and patches the packet identifier: nothing allocates
// per subscriber once the scratch vectors are warm.
#include <algorithm>

#include "broker/state.hpp"

namespace postcard::broker {

properties message_properties(const message& m, time_ms now) {
  properties pr;
  pr.payload_format_indicator = m.payload_format_indicator;  // [MQTT-3.3.2-4] forwarded unchanged
  if (m.expires_at_ms != 0) {
    // [MQTT-3.3.2-6] the remaining lifetime is sent, not the original interval
    const time_ms left = m.expires_at_ms > now ? m.expires_at_ms - now : 0;
    pr.message_expiry_interval = static_cast<std::uint32_t>((left + 999) / 1000);
  }
  if (m.content_type) pr.content_type = *m.content_type;    // [MQTT-3.3.2-20]
  if (m.response_topic) pr.response_topic = *m.response_topic;  // [MQTT-3.3.2-15]
  if (m.correlation_data) pr.correlation_data = bytes_view{m.correlation_data->data(), m.correlation_data->size()};
  pr.user_properties.reserve(m.user_properties.size());
  for (const auto& [k, v] : m.user_properties) pr.user_properties.push_back({k, v});  // [MQTT-3.3.2-18] in order
  return pr;
}

std::size_t engine::impl::window(const session& s) const {
  const std::size_t ours = cfg.max_inflight_messages == 0 ? 65535 : cfg.max_inflight_messages;
  const std::size_t theirs = s.conn ? s.conn->client_receive_max : 65535;
  return std::min(ours, theirs);  // [MQTT-3.3.4-9] never more than the client's Receive Maximum
}

std::uint16_t engine::impl::allocate_packet_id(session& s) {
  for (;;) {
    const std::uint16_t id = s.next_packet_id;
    s.next_packet_id = static_cast<std::uint16_t>(id == 65535 ? 1 : id + 1);
    bool used = false;
    for (const auto& d : s.inflight) {
      if (d.packet_id == id) {
        used = true;
        break;
      }
    }
    if (!used) return id;  // [MQTT-2.2.1-3] unused identifier
  }
}

void engine::impl::drop(session& s, const message& m, drop_reason why) {
  ++stats.publish_dropped;
  if (wants(event_kind::message_dropped)) {
    event e;
    e.kind = event_kind::message_dropped;
    e.conn = s.conn ? s.conn->id : 0;
    e.client_id = s.client_id;
    e.topic = m.topic;
    e.qos = m.qos;
    e.drop = why;
    emit(e);
  }
}

std::size_t engine::impl::route(const message_ptr& m) {
  match_subs.clear();
  match_groups.clear();
  trie.match(m->topic, match_subs, match_groups);
  ++route_stamp;
  target_count = 0;
  auto next_target = [this]() -> target& {
    if (target_count == targets.size()) targets.emplace_back();
    target& t = targets[target_count++];
    t.ids.clear();
    t.share = nullptr;
    return t;
  };
  for (const topic::subscriber_entry* e : match_subs) {
    if (e->id >= slots.size() || !slots[e->id]) continue;
    if (e->options.no_local && e->id == m->origin_slot) continue;  // [MQTT-3.8.3-3]
    session& s = *slots[e->id];
    const bool rap = e->options.retain_as_published && m->retain;  // [MQTT-3.3.1-12] [MQTT-3.3.1-13]
    if (s.route_stamp != route_stamp) {
      s.route_stamp = route_stamp;
      s.route_index = static_cast<std::uint32_t>(target_count);
      target& t = next_target();
      t.s = &s;
      t.qos = e->options.max_qos;
      t.retain = rap;
    } else {
      target& t = targets[s.route_index];
      t.qos = std::max(t.qos, e->options.max_qos);  // [MQTT-3.3.4-2] maximum QoS of the overlapping ones
      t.retain = t.retain || rap;
    }
    if (e->options.identifier != 0) targets[s.route_index].ids.push_back(e->options.identifier);  // [MQTT-3.3.4-3]
  }
  for (topic::shared_group* g : match_groups) {
    const std::size_t n = g->members.size();
    if (n == 0) continue;
    // [MQTT-4.8.2-?] one member per group, round robin, preferring a connected member
    std::size_t pick = g->next % n;
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t idx = (g->next + i) % n;
      const auto id = g->members[idx].id;
      if (id < slots.size() && slots[id] && slots[id]->conn != nullptr) {
        pick = idx;
        break;
      }
    }
    g->next = pick + 1;
    const topic::subscriber_entry& e = g->members[pick];
    if (e.id >= slots.size() || !slots[e.id]) continue;
    target& t = next_target();
    t.s = slots[e.id].get();
    t.qos = e.options.max_qos;
    t.retain = e.options.retain_as_published && m->retain;
    if (e.options.identifier != 0) t.ids.push_back(e.options.identifier);
    t.share = &g->name;
  }
  for (std::size_t i = 0; i < target_count; ++i) {
    target& t = targets[i];
    const std::uint8_t q = cfg.upgrade_outgoing_qos ? t.qos : std::min(m->qos, t.qos);  // [MQTT-3.8.4-8]
    deliver(*t.s, m, q, t.retain, &t.ids, t.share);
  }
  if (target_count == 0 && wants(event_kind::message_dropped)) {
    event e;
    e.kind = event_kind::message_dropped;
    e.topic = m->topic;
    e.qos = m->qos;
    e.drop = drop_reason::no_subscribers;
    emit(e);
  }
  return target_count;
}

void engine::impl::deliver(session& s, const message_ptr& m, std::uint8_t q, bool retain,
                           const std::vector<std::uint32_t>* ids, const std::string* share) {
  if (check_delivery) {
    client_info ci = s.conn ? s.conn->who() : client_info{};
    ci.client_id = s.client_id;
    if (!hk->authorize_delivery(ci, m->topic, q)) return drop(s, *m, drop_reason::not_authorized);
  }
  if (expired(*m)) return drop(s, *m, drop_reason::expired);  // [MQTT-3.3.2-5]
  if (q == 0 && s.conn != nullptr) {
    if (s.conn->congested) return drop(s, *m, drop_reason::congested);  // a slow consumer loses QoS 0
    if (!send_publish(*s.conn, m, 0, retain, 0, false, ids)) drop(s, *m, drop_reason::too_large_for_client);
    return;
  }
  if (q == 0 && !(cfg.queue_qos0_messages && persistent(s))) return drop(s, *m, drop_reason::qos0_offline);
  const std::size_t cost = m->cost();
  if (s.conn != nullptr && !s.conn->congested && s.queue.empty() && s.inflight.size() < window(s) &&
      (cfg.max_inflight_bytes == 0 || s.inflight.empty() || s.inflight_bytes + cost <= cfg.max_inflight_bytes)) {
    const std::uint16_t id = allocate_packet_id(s);
    if (!send_publish(*s.conn, m, q, retain, id, false, ids)) return drop(s, *m, drop_reason::too_large_for_client);
    delivery& d = s.inflight.emplace_back();
    d.msg = m;
    d.packet_id = id;
    d.qos = q;
    d.retain = retain;
    d.st = q == 1 ? delivery_data::state::awaiting_puback : delivery_data::state::awaiting_pubrec;
    if (ids && !ids->empty()) d.sub_ids = *ids;
    if (share) d.share_group = *share;
    s.inflight_bytes += cost;
  } else {
    if ((cfg.max_queued_messages != 0 && s.queue.size() >= cfg.max_queued_messages) ||
        (cfg.max_queued_bytes != 0 && s.queued_bytes + cost > cfg.max_queued_bytes)) {
      return drop(s, *m, drop_reason::queue_full);
    }
    delivery& d = s.queue.emplace_back();
    d.msg = m;
    d.qos = q;
    d.retain = retain;
    if (ids && !ids->empty()) d.sub_ids = *ids;
    if (share) d.share_group = *share;
    s.queued_bytes += cost;
  }
  mark_dirty(s);
}

void engine::impl::pump(session& s) {
  while (s.conn != nullptr && !s.conn->congested && !s.queue.empty() && s.inflight.size() < window(s)) {
    delivery& front = s.queue.front();
    const std::size_t cost = front.msg->cost();
    if (front.qos > 0 && cfg.max_inflight_bytes != 0 && !s.inflight.empty() &&
        s.inflight_bytes + cost > cfg.max_inflight_bytes) {
      break;
    }
    delivery d = std::move(front);
    s.queue.pop_front();
    s.queued_bytes -= cost;
    if (expired(*d.msg)) {
      drop(s, *d.msg, drop_reason::expired);
      continue;
    }
    const std::uint16_t id = d.qos == 0 ? 0 : allocate_packet_id(s);
    if (!send_publish(*s.conn, d.msg, d.qos, d.retain, id, false, &d.sub_ids)) {
      drop(s, *d.msg, drop_reason::too_large_for_client);
      continue;
    }
    if (d.qos == 0) continue;
    d.packet_id = id;
    d.st = d.qos == 1 ? delivery_data::state::awaiting_puback : delivery_data::state::awaiting_pubrec;
    s.inflight_bytes += cost;
    s.inflight.push_back(std::move(d));
  }
  mark_dirty(s);
}

bool engine::impl::send_publish(connection& c, const message_ptr& mp, std::uint8_t q, bool retain, std::uint16_t id,
                                bool dup, const std::vector<std::uint32_t>* ids) {
  const message& m = *mp;
  const bool v5 = c.version == protocol_version::v5;
  const bool simple = (!v5 || ((ids == nullptr || ids->empty()) && c.client_alias_max == 0));
  auto make_packet = [&] {
    publish_packet pp;
    pp.qos_level = static_cast<qos>(q);
    pp.retain = retain;
    pp.topic = m.topic;
    pp.payload = bytes_view{m.payload.data(), m.payload.size()};
    pp.packet_id = q == 0 ? 0 : 1;
    if (v5) pp.props = message_properties(m, now);
    return pp;
  };
  const std::vector<std::uint8_t>* bytes = nullptr;
  std::uint16_t new_alias = 0;
  if (simple) {
    // Fast path: one encoding per (version, QoS, retain) of this message, shared by every subscriber
    if (cache_msg.get() != &m || cache_now != now) {
      cache_msg = mp;
      cache_now = now;
      std::fill(std::begin(cache_valid), std::end(cache_valid), false);
    }
    const std::size_t idx = (v5 ? 6u : 0u) + std::size_t{q} * 2 + (retain ? 1u : 0u);
    if (!cache_valid[idx]) {
      cache_bytes[idx].clear();
      encode_publish(make_packet(), c.version, cache_bytes[idx]);
      cache_valid[idx] = true;
    }
    bytes = &cache_bytes[idx];
  } else {
    publish_packet pp = make_packet();
    if (ids) pp.props.subscription_identifiers = *ids;
    if (c.client_alias_max != 0) {
      // Outbound topic aliases, within the client's Topic Alias Maximum [MQTT-3.3.2-11]
      auto it = c.out_aliases.find(m.topic);
      if (it != c.out_aliases.end()) {
        pp.props.topic_alias = it->second;
        pp.topic = {};
      } else if (c.next_out_alias <= c.client_alias_max) {
        new_alias = c.next_out_alias;
        pp.props.topic_alias = new_alias;
      }
    }
    scratch.clear();
    encode_publish(pp, c.version, scratch);
    bytes = &scratch;
  }
  // [MQTT-3.1.2-25] never send a packet over the client's Maximum Packet Size: drop it for this client
  if (c.client_max_packet != 0 && bytes->size() > c.client_max_packet) return false;
  if (new_alias != 0) {
    c.out_aliases.emplace(m.topic, new_alias);
    ++c.next_out_alias;
  }
  const std::size_t at = c.out.size();
  c.out.insert(c.out.end(), bytes->begin(), bytes->end());
  if (q > 0) {
    std::size_t pos = at + 1;
    while (c.out[pos] & 0x80) ++pos;
    ++pos;
    const std::size_t topic_len = std::size_t{c.out[pos]} << 8 | c.out[pos + 1];
    pos += 2 + topic_len;
    c.out[pos] = static_cast<std::uint8_t>(id >> 8);
    c.out[pos + 1] = static_cast<std::uint8_t>(id & 0xFF);
    if (dup) c.out[at] = static_cast<std::uint8_t>(c.out[at] | 0x08);  // [MQTT-3.3.1-1] DUP on a resend
  }
  ++stats.publish_sent;
  ++stats.messages_sent;
  touch(c);
  if (wants(event_kind::packet_out)) {
    // The event shows the packet as sent: decode the bytes just written (views into c.out, valid now)
    packet pk;
    const bytes_view sent{c.out.data() + at, c.out.size() - at};
    std::size_t body = 1;
    while (sent[body] & 0x80) ++body;
    ++body;
    publish_packet pp;
    if (decode_publish(sent[0], sent.subspan(body), c.version, pp) == codec_error::ok) {
      pk = std::move(pp);
      event e;
      e.kind = event_kind::packet_out;
      e.conn = c.id;
      if (c.sess) e.client_id = c.sess->client_id;
      e.packet = &pk;
      emit(e);
    }
  }
  return true;
}

}  // namespace postcard::broker
