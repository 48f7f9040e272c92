// durable_replay: the replay rule of durable.hpp.
#include "broker/durable_replay.hpp"

#include <utility>

namespace postcard::broker {

void number_deliveries(std::vector<delivery_data>& outgoing) {
  std::uint64_t last = 0;
  for (auto& d : outgoing) {
    if (d.seq <= last) d.seq = last + 1;
    last = d.seq;
  }
}

durable_replay::durable_replay(durable_state base) {
  for (auto& m : base.retained) {
    std::string topic = m.topic;
    retained_.insert_or_assign(std::move(topic), std::move(m));
  }
  for (auto& s : base.sessions) set_session(s, true);
}

void durable_replay::set_session(const session_data& s, bool with_outgoing) {
  session_entry& e = sessions_[s.client_id];
  e.header = s;
  e.header.outgoing.clear();
  if (!with_outgoing) return;
  e.outgoing.clear();
  std::vector<delivery_data> numbered = s.outgoing;
  number_deliveries(numbered);
  for (auto& d : numbered) {
    const std::uint64_t seq = d.seq;
    e.outgoing.insert_or_assign(seq, std::move(d));
  }
}

bool durable_replay::apply(const durable_change& ch) {
  using kind = durable_change::kind;
  switch (ch.what) {
    case kind::retained_set:
      if (!ch.retained) return false;
      retained_.insert_or_assign(ch.retained->topic, *ch.retained);
      return true;
    case kind::retained_erased:
      if (auto it = retained_.find(ch.key); it != retained_.end()) retained_.erase(it);
      return true;
    case kind::session_set:
      if (!ch.session) return false;
      set_session(*ch.session, ch.with_outgoing);
      return true;
    case kind::session_erased:
      if (auto it = sessions_.find(ch.key); it != sessions_.end()) sessions_.erase(it);
      return true;
    default:
      break;
  }
  auto it = sessions_.find(ch.key);
  if (it == sessions_.end()) return false;
  session_entry& e = it->second;
  switch (ch.what) {
    case kind::delivery_added:
      if (!ch.delivery || e.outgoing.count(ch.delivery->seq) != 0) return false;
      e.outgoing.emplace(ch.delivery->seq, *ch.delivery);
      e.header.next_packet_id = ch.next_packet_id;
      return true;
    case kind::delivery_updated: {
      auto d = e.outgoing.find(ch.seq);
      if (d == e.outgoing.end()) return false;
      d->second.st = ch.state;
      d->second.packet_id = ch.packet_id;
      if (ch.state == delivery_data::state::awaiting_pubcomp) d->second.message = {};
      e.header.next_packet_id = ch.next_packet_id;
      return true;
    }
    case kind::delivery_removed:
      e.header.next_packet_id = ch.next_packet_id;
      return e.outgoing.erase(ch.seq) != 0;
    default:
      return false;
  }
}

durable_state durable_replay::state() const {
  durable_state st;
  st.retained.reserve(retained_.size());
  for (const auto& [topic, m] : retained_) st.retained.push_back(m);
  st.sessions.reserve(sessions_.size());
  for (const auto& [id, e] : sessions_) {
    session_data s = e.header;
    for (const auto& [seq, d] : e.outgoing)
      if (d.st != delivery_data::state::queued) s.outgoing.push_back(d);
    for (const auto& [seq, d] : e.outgoing)
      if (d.st == delivery_data::state::queued) s.outgoing.push_back(d);
    st.sessions.push_back(std::move(s));
  }
  return st;
}

durable_state durable_replay::take() {
  durable_state st;
  st.retained.reserve(retained_.size());
  for (auto& [topic, m] : retained_) st.retained.push_back(std::move(m));
  st.sessions.reserve(sessions_.size());
  for (auto& [id, e] : sessions_) {
    session_data s = std::move(e.header);
    s.outgoing.reserve(e.outgoing.size());
    for (auto& [seq, d] : e.outgoing)
      if (d.st != delivery_data::state::queued) s.outgoing.push_back(std::move(d));
    for (auto& [seq, d] : e.outgoing)
      if (d.st == delivery_data::state::queued) s.outgoing.push_back(std::move(d));
    st.sessions.push_back(std::move(s));
  }
  retained_.clear();
  sessions_.clear();
  return st;
}

}  // namespace postcard::broker
