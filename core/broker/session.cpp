// Session lifetime.
//
// Theory of operation
//   created by CONNECT (clean start, or no session for that client id)
//   connected --connection ends--> detach: will now or armed (will delay); expiry 0 -> end now,
//                                   otherwise disconnected, expiry timer armed (never for 0xFFFFFFFF)
//   disconnected --CONNECT without clean start--> resume: pending will cancelled, inflight resent (DUP),
//                                                  queue pumped
//   disconnected --expiry timer / clean start / admin--> end: armed will published first [MQTT-3.1.3-9],
//                                   subscriptions removed, shared-subscription messages re-routed
#include <algorithm>

#include "broker/state.hpp"
#include "topic/topic.hpp"

namespace postcard::broker {

session* engine::impl::find_session(std::string_view client_id) {
  auto it = by_client_id.find(client_id);
  return it == by_client_id.end() ? nullptr : slots[it->second].get();
}

session& engine::impl::create_session(std::string_view client_id, protocol_version v) {
  std::uint32_t slot;
  if (!free_slots.empty()) {
    slot = free_slots.back();
    free_slots.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(slots.size());
    slots.emplace_back();
  }
  auto s = std::make_unique<session>();
  s->client_id.assign(client_id);
  s->slot = slot;
  s->generation = ++generation_counter;
  s->version = v;
  session& ref = *s;
  slots[slot] = std::move(s);
  by_client_id.emplace(ref.client_id, slot);
  return ref;
}

void engine::impl::mark_dirty(session& s) {
  if (!durable_on || s.dirty) return;
  s.dirty = true;
  dirty.emplace_back(s.slot, s.generation);
}

void engine::impl::detach(session& s, bool publish_will_now) {
  if (!publish_will_now) {
    s.will.reset();  // [MQTT-3.1.2-10] normal DISCONNECT: the will is discarded
    s.will_at = 0;
  } else if (s.will) {
    if (s.will_delay == 0 || s.expiry_interval == 0) {
      publish_will(s);  // [MQTT-3.1.2-8]
    } else {
      s.will_at = now + time_ms{s.will_delay} * 1000;  // [MQTT-3.1.3-9] will delay interval
      arm(s.will_at, timer_kind::will, s.slot, s.generation);
    }
  }
  if (s.expiry_interval == 0) return end_session(s, false);  // [MQTT-3.1.2-23] session ends with the connection
  s.disconnected_at = now;
  if (s.expiry_interval != expiry_never) {
    arm(now + time_ms{s.expiry_interval} * 1000, timer_kind::session_expiry, s.slot, s.generation);
  }
  mark_dirty(s);
}

void engine::impl::end_session(session& s, bool expired_now) {
  if (s.will && s.will_at != 0) publish_will(s);  // the session ends before the will delay [MQTT-3.1.3-9]
  // Remove every subscription; remember shared-subscription deliveries to hand to other members.
  for (const auto& [filter, opts] : s.subs) {
    auto shared = topic::parse_shared(filter);
    trie.remove(shared ? shared->filter : std::string_view{filter}, s.slot,
                shared ? shared->group : std::string_view{});
  }
  std::vector<delivery> orphans;
  for (auto* q : {&s.inflight, &s.queue}) {
    for (auto& d : *q) {
      if (!d.share_group.empty() && d.msg && d.st != delivery_data::state::awaiting_pubcomp) {
        orphans.push_back(std::move(d));
      }
    }
  }
  if (expired_now) ++stats.clients_expired;
  if (wants(event_kind::session_expired) && expired_now) {
    event e;
    e.kind = event_kind::session_expired;
    e.client_id = s.client_id;
    emit(e);
  }
  if (durable_on && (persistent(s) || s.recorded)) {
    durable_change ch;
    ch.what = durable_change::kind::session_erased;
    ch.key = s.client_id;
    sink.durable(ch);
  }
  if (s.dirty) {
    dirty.erase(std::remove(dirty.begin(), dirty.end(), std::make_pair(s.slot, s.generation)), dirty.end());
  }
  const std::uint32_t slot = s.slot;
  by_client_id.erase(s.client_id);
  slots[slot].reset();
  free_slots.push_back(slot);
  // Undelivered QoS 1/2 messages of a leaving shared-subscription member go to the other members.
  for (auto& d : orphans) {
    match_subs.clear();
    match_groups.clear();
    trie.match(d.msg->topic, match_subs, match_groups);
    for (topic::shared_group* g : match_groups) {
      if (g->name != d.share_group || g->members.empty()) continue;
      const std::size_t n = g->members.size();
      std::size_t pick = g->next % n;
      for (std::size_t i = 0; i < n; ++i) {
        const auto id = g->members[(g->next + i) % n].id;
        if (id < slots.size() && slots[id] && slots[id]->conn) {
          pick = (g->next + i) % n;
          break;
        }
      }
      g->next = pick + 1;
      const auto& e = g->members[pick];
      if (e.id >= slots.size() || !slots[e.id]) break;
      const std::uint8_t q = std::min(d.qos, e.options.max_qos);
      deliver(*slots[e.id], d.msg, q, d.retain, &d.sub_ids, &g->name);
      break;
    }
  }
}

void engine::impl::resume(session& s) {
  connection& c = *s.conn;
  for (auto it = s.inflight.begin(); it != s.inflight.end();) {
    delivery& d = *it;
    if (d.st == delivery_data::state::awaiting_pubcomp) {
      send_ack(c, packet_type::pubrel, d.packet_id, reason_code::success);  // [MQTT-4.4.0-1]
    } else if (d.msg && !send_publish(c, d.msg, d.qos, d.retain, d.packet_id, true, &d.sub_ids)) {
      // [MQTT-4.4.0-1] unacknowledged PUBLISH resent with DUP [MQTT-3.3.1-1]; one now too large for
      // the client's (new) Maximum Packet Size is dropped for it
      drop(s, *d.msg, drop_reason::too_large_for_client);
      s.inflight_bytes -= d.msg->cost();
      emit_delivery_removed(s, d.seq);
      it = s.inflight.erase(it);
      continue;
    }
    ++it;
  }
  pump(s);
}

}  // namespace postcard::broker
