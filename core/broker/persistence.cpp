// Durable state as data: save(), restore(), and durable-change records. Retained set / erased are
// emitted at once; a delivery joining, changing or leaving a recorded session at once (delivery_*);
// any other change to a session marks it dirty, and at the end of the input it is emitted once as a
// session_set without its deliveries, or with them when the host's record does not hold them yet (a
// new session, or one whose deliveries changed while it was not persistent). $SYS retained messages
// are not durable.
#include "broker/durable_replay.hpp"
#include "broker/state.hpp"
#include "topic/topic.hpp"

namespace postcard::broker {
namespace {

bool is_sys(std::string_view topic) { return topic.substr(0, 5) == "$SYS/"; }

message_ptr from_data(const message_data& d) {
  auto m = std::make_shared<message>();
  static_cast<message_data&>(*m) = d;
  return m;
}

delivery_data delivery_to_data(const delivery& x) {
  delivery_data dd;
  dd.st = x.st;
  dd.packet_id = x.packet_id;
  dd.qos = x.qos;
  dd.retain = x.retain;
  dd.subscription_identifiers = x.sub_ids;
  dd.seq = x.seq;
  if (x.msg && x.st != delivery_data::state::awaiting_pubcomp) dd.message = static_cast<const message_data&>(*x.msg);
  return dd;
}

}  // namespace

session_data engine::impl::to_data(const session& s, bool with_outgoing) const {
  session_data d;
  d.client_id = s.client_id;
  d.protocol_version = static_cast<std::uint8_t>(s.version);
  d.expiry_interval = s.expiry_interval;
  d.disconnected_at_ms = s.conn ? 0 : s.disconnected_at;
  for (const auto& [filter, o] : s.subs) {
    subscription_data sd;
    if (auto shared = topic::parse_shared(filter)) {
      sd.filter = std::string(shared->filter);
      sd.share_group = std::string(shared->group);
    } else {
      sd.filter = filter;
    }
    sd.max_qos = o.max_qos;
    sd.no_local = o.no_local;
    sd.retain_as_published = o.retain_as_published;
    sd.retain_handling = o.retain_handling;
    sd.identifier = o.identifier;
    d.subscriptions.push_back(std::move(sd));
  }
  if (with_outgoing) {
    d.outgoing.reserve(s.inflight.size() + s.queue.size());
    for (const auto* q : {&s.inflight, &s.queue}) {
      for (const auto& x : *q) d.outgoing.push_back(delivery_to_data(x));
    }
  }
  d.incoming_qos2 = s.incoming_qos2;
  d.next_packet_id = s.next_packet_id;
  if (s.will) {
    d.will = static_cast<const message_data&>(*s.will);
    d.will_delay = s.will_delay;
  }
  return d;
}

void engine::impl::emit_dirty() {
  if (dirty.empty()) return;
  for (auto [slot, gen] : dirty) {
    if (slot >= slots.size() || !slots[slot] || slots[slot]->generation != gen) continue;
    session& s = *slots[slot];
    s.dirty = false;
    if (!persistent(s)) continue;
    const bool with_outgoing = !s.outgoing_recorded;
    session_data d = to_data(s, with_outgoing);
    s.recorded = true;
    s.outgoing_recorded = true;
    durable_change ch;
    ch.what = durable_change::kind::session_set;
    ch.key = s.client_id;
    ch.session = &d;
    ch.with_outgoing = with_outgoing;
    sink.durable(ch);
  }
  dirty.clear();
}

bool engine::impl::delivery_records(session& s) {
  if (!durable_on) return false;
  if (persistent(s) && s.outgoing_recorded) return true;
  // Not recordable alone: the session's next session_set carries all its deliveries.
  s.outgoing_recorded = false;
  mark_dirty(s);
  return false;
}

void engine::impl::emit_delivery_added(session& s, const delivery& d) {
  if (!delivery_records(s)) return;
  const delivery_data dd = delivery_to_data(d);
  durable_change ch;
  ch.what = durable_change::kind::delivery_added;
  ch.key = s.client_id;
  ch.delivery = &dd;
  ch.seq = d.seq;
  ch.next_packet_id = s.next_packet_id;
  sink.durable(ch);
}

void engine::impl::emit_delivery_updated(session& s, const delivery& d) {
  if (!delivery_records(s)) return;
  durable_change ch;
  ch.what = durable_change::kind::delivery_updated;
  ch.key = s.client_id;
  ch.seq = d.seq;
  ch.state = d.st;
  ch.packet_id = d.packet_id;
  ch.next_packet_id = s.next_packet_id;
  sink.durable(ch);
}

void engine::impl::emit_delivery_removed(session& s, std::uint64_t seq) {
  if (!delivery_records(s)) return;
  durable_change ch;
  ch.what = durable_change::kind::delivery_removed;
  ch.key = s.client_id;
  ch.seq = seq;
  ch.next_packet_id = s.next_packet_id;
  sink.durable(ch);
}

void engine::impl::emit_retained_set(const message& m) {
  if (!durable_on || is_sys(m.topic)) return;
  durable_change ch;
  ch.what = durable_change::kind::retained_set;
  ch.key = m.topic;
  ch.retained = &m;
  sink.durable(ch);
}

void engine::impl::emit_retained_erased(std::string_view topic_name) {
  if (!durable_on || is_sys(topic_name)) return;
  durable_change ch;
  ch.what = durable_change::kind::retained_erased;
  ch.key = topic_name;
  sink.durable(ch);
}

durable_state engine::save(time_ms) const {
  const auto& m = *impl_;
  durable_state st;
  m.retained.for_each([&](std::string_view topic_name, const message_ptr& msg) {
    if (!is_sys(topic_name)) st.retained.push_back(static_cast<const message_data&>(*msg));
  });
  for (const auto& [id, slot] : m.by_client_id) {
    const session& s = *m.slots[slot];
    if (m.persistent(s)) st.sessions.push_back(m.to_data(s));
  }
  return st;
}

admin_result engine::restore(const durable_state& st, time_ms now_ms) {
  auto& m = *impl_;
  if (!m.conns.empty()) return admin_result::invalid_argument;
  m.begin_input(now_ms);
  for (const auto& r : st.retained) {
    if (topic::validate_name(r.topic) != topic::topic_error::ok || r.payload.empty()) continue;
    m.retained.set(r.topic, from_data(r));
  }
  for (const auto& sd : st.sessions) {
    if (sd.client_id.empty() || m.find_session(sd.client_id) != nullptr) continue;
    auto v = static_cast<protocol_version>(sd.protocol_version);
    session& s = m.create_session(sd.client_id, v);
    s.expiry_interval = sd.expiry_interval;
    s.next_packet_id = sd.next_packet_id == 0 ? 1 : sd.next_packet_id;
    s.incoming_qos2 = sd.incoming_qos2;
    for (const auto& sub : sd.subscriptions) {
      topic::subscription_options o{sub.max_qos, sub.no_local, sub.retain_as_published, sub.retain_handling,
                                    sub.identifier};
      std::string full = sub.share_group.empty() ? sub.filter : "$share/" + sub.share_group + "/" + sub.filter;
      if (topic::validate_filter(full) != topic::topic_error::ok) continue;
      m.trie.insert(sub.filter, s.slot, o, sub.share_group);
      s.subs[full] = o;
    }
    std::vector<delivery_data> numbered;
    const std::vector<delivery_data>* outgoing = &sd.outgoing;
    for (std::uint64_t last = 0; const auto& dd : sd.outgoing) {
      if (dd.seq <= last) {  // data without (valid) numbers: numbered as durable_replay does
        numbered = sd.outgoing;
        number_deliveries(numbered);
        outgoing = &numbered;
        break;
      }
      last = dd.seq;
    }
    for (const auto& dd : *outgoing) {
      delivery d;
      d.seq = dd.seq;
      s.next_seq = dd.seq + 1;
      d.st = dd.st;
      d.packet_id = dd.packet_id;
      d.qos = dd.qos;
      d.retain = dd.retain;
      d.sub_ids = dd.subscription_identifiers;
      if (dd.st != delivery_data::state::awaiting_pubcomp) d.msg = from_data(dd.message);
      const std::size_t cost = d.msg ? d.msg->cost() : 0;
      if (dd.st == delivery_data::state::queued) {
        s.queued_bytes += cost;
        s.queue.push_back(std::move(d));
      } else {
        s.inflight_bytes += cost;
        s.inflight.push_back(std::move(d));
      }
    }
    // The host restores what its records hold: later delivery changes can be recorded alone.
    s.recorded = true;
    s.outgoing_recorded = true;
    s.disconnected_at = sd.disconnected_at_ms == 0 ? m.now : sd.disconnected_at_ms;
    if (sd.will && topic::validate_name(sd.will->topic) == topic::topic_error::ok) {
      // [MQTT-3.1.2-8] the connection is gone: the will is due after its delay [MQTT-3.1.3-9]
      s.will = from_data(*sd.will);
      s.will_delay = sd.will_delay;
      s.will_at = s.disconnected_at + time_ms{sd.will_delay} * 1000;
      if (s.will_at == 0) s.will_at = 1;
      m.arm(s.will_at, timer_kind::will, s.slot, s.generation);
    }
    if (s.expiry_interval != expiry_never) {
      m.arm(s.disconnected_at + time_ms{s.expiry_interval} * 1000, timer_kind::session_expiry, s.slot, s.generation);
    }
  }
  m.end_input();
  return admin_result::ok;
}

}  // namespace postcard::broker
