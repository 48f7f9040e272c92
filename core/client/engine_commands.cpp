// Outbound side of the client engine: publish / subscribe / unsubscribe commands, the offline queue,
// the inflight window, and resuming (or discarding) the session after CONNACK.
//
// Every command goes to the back of queue_. flush_queue() sends from the front while connected; a
// QoS 1/2 PUBLISH waits (and with it everything behind it, keeping order) while the number of QoS 1/2
// publishes awaiting acknowledgement equals the server's Receive Maximum [MQTT-4.9.0-2]. Packet
// identifiers are allocated when a packet is sent, so a long offline queue does not exhaust them.
#include <algorithm>

#include "client/engine.hpp"
#include "codec/codec.hpp"
#include "topic/topic.hpp"

namespace postcard::client {

command_result engine::publish(std::string_view topic, bytes_view payload, const publish_options& opts,
                               std::uint64_t now_ms) {
  if (state_ == connection_state::ended) return {client_error::ended};
  const bool v5 = opts_.protocol == protocol_version::v5;
  if (static_cast<std::uint8_t>(opts.qos_level) > 2) return {client_error::invalid_argument};
  if (opts.dup && opts.qos_level == qos::at_most_once) return {client_error::invalid_argument};  // [MQTT-3.3.1-2]
  std::optional<publish_options> stripped;  // 3.x has no properties: they are dropped
  const publish_options* po = &opts;
  if (!v5 && !opts.properties.empty()) {
    stripped.emplace(opts);
    stripped->properties = {};
    po = &*stripped;
  }
  const auto& alias = po->properties.topic_alias;
  // A PUBLISH from a client carries no Subscription Identifier [MQTT-3.3.4-6]
  if (!po->properties.subscription_identifiers.empty()) return {client_error::invalid_argument};
  if (alias) {
    if (*alias == 0) return {client_error::topic_alias_invalid};  // [MQTT-3.3.2-8]
    if (state_ == connection_state::connected && *alias > negotiated_.topic_alias_maximum) {
      return {client_error::topic_alias_invalid};  // [MQTT-3.3.2-9]
    }
  }
  std::string aliased_topic;
  publish_view pv{topic, payload, po, false};
  if (topic.empty()) {
    // Alias only: the alias must already stand for a topic on this connection (spec 3.3.2.3.4)
    const std::size_t i = alias ? std::size_t{*alias} - 1 : 0;
    if (!alias || state_ != connection_state::connected || i >= outbound_aliases_.size() ||
        outbound_aliases_[i].topic.empty()) {
      return {client_error::invalid_topic};
    }
    aliased_topic = outbound_aliases_[i].topic;
    pv.topic = aliased_topic;
    pv.alias_only = true;
  } else if (topic::validate_name(topic) != topic::topic_error::ok) {
    return {client_error::invalid_topic};
  }
  const bool connected = state_ == connection_state::connected && transport_up_;
  if (connected) {
    if (const client_error e = check_publish(pv); e != client_error::ok) return {e};
    if (opts.qos_level == qos::at_most_once && queue_.empty()) {
      // Fast path: nothing waits ahead of it, so it goes out now without being copied.
      const std::uint32_t token = take_token();
      send_publish(pv, 0, false, true, now_ms);
      complete(token, qos::at_most_once, 0, reason_code::success, nullptr);
      return {client_error::ok, token, 0};
    }
  } else if (opts.qos_level == qos::at_most_once && !opts_.queue_qos_zero) {
    return {client_error::not_connected};
  }
  command cmd;
  cmd.kind = command_kind::publish;
  cmd.topic = std::string{pv.topic};
  cmd.payload.assign(payload.begin(), payload.end());
  cmd.publish = *po;
  cmd.alias_only = pv.alias_only;
  return enqueue(std::move(cmd), now_ms);
}

client_error engine::check_publish(const publish_view& p) const {
  if (static_cast<std::uint8_t>(p.opts->qos_level) > negotiated_.maximum_qos) {
    return client_error::qos_not_supported;  // [MQTT-3.2.2-11]
  }
  if (p.opts->retain && !negotiated_.retain_available) return client_error::retain_not_supported;  // [MQTT-3.2.2-14]
  if (negotiated_.maximum_packet_size != 0) {
    publish_packet pp;
    pp.qos_level = p.opts->qos_level;
    pp.topic = p.topic;
    pp.packet_id = 1;
    if (opts_.protocol == protocol_version::v5 && !p.opts->properties.empty()) pp.props = p.opts->properties.view();
    pp.payload = p.payload;
    if (encoded_publish_size(pp, opts_.protocol) > negotiated_.maximum_packet_size) {
      return client_error::packet_too_large;  // [MQTT-3.2.2-15]
    }
  }
  return client_error::ok;
}

command_result engine::subscribe(std::span<const subscription> topics, const property_set& props,
                                 std::uint64_t now_ms) {
  if (state_ == connection_state::ended) return {client_error::ended};
  if (topics.empty()) return {client_error::no_topics};  // [MQTT-3.8.3-3]
  for (const subscription& s : topics) {
    if (topic::validate_filter(s.filter) != topic::topic_error::ok) return {client_error::invalid_filter};
    if (static_cast<std::uint8_t>(s.max_qos) > 2 || static_cast<std::uint8_t>(s.handling) > 2) {
      return {client_error::invalid_argument};
    }
    // No Local on a shared subscription is a Protocol Error [MQTT-3.8.3-4]
    if (s.no_local && opts_.protocol == protocol_version::v5 && topic::parse_shared(s.filter)) {
      return {client_error::invalid_argument};
    }
  }
  command cmd;
  cmd.kind = command_kind::subscribe;
  cmd.topics.assign(topics.begin(), topics.end());
  if (opts_.protocol == protocol_version::v5) cmd.props = props;
  if (state_ == connection_state::connected && request_too_large(cmd)) return {client_error::packet_too_large};
  return enqueue(std::move(cmd), now_ms);
}

command_result engine::unsubscribe(std::span<const std::string> filters, const property_set& props,
                                   std::uint64_t now_ms) {
  if (state_ == connection_state::ended) return {client_error::ended};
  if (filters.empty()) return {client_error::no_topics};  // [MQTT-3.10.3-2]
  for (const std::string& f : filters) {
    if (topic::validate_filter(f) != topic::topic_error::ok) return {client_error::invalid_filter};
  }
  command cmd;
  cmd.kind = command_kind::unsubscribe;
  cmd.filters.assign(filters.begin(), filters.end());
  if (opts_.protocol == protocol_version::v5) cmd.props = props;
  if (state_ == connection_state::connected && request_too_large(cmd)) return {client_error::packet_too_large};
  return enqueue(std::move(cmd), now_ms);
}

command_result engine::enqueue(command cmd, std::uint64_t now_ms) {
  if (state_ != connection_state::connected && opts_.offline_queue_limit != 0 &&
      queue_.size() >= opts_.offline_queue_limit) {
    return {client_error::offline_queue_full};
  }
  const std::uint32_t token = take_token();
  cmd.token = token;
  queue_.push_back(std::move(cmd));
  flush_queue(now_ms);
  return {client_error::ok, token, last_sent_token_ == token ? last_sent_packet_id_ : std::uint16_t{0}};
}

void engine::flush_queue(std::uint64_t now_ms) {
  while (state_ == connection_state::connected && transport_up_ && !queue_.empty()) {
    if (!try_send(queue_.front(), now_ms)) break;
    queue_.pop_front();
  }
}

std::uint32_t engine::take_token() {
  if (next_token_ == 0) next_token_ = 1;  // 0 never names a command
  return next_token_++;
}

std::uint16_t engine::allocate_packet_id() {
  // A packet identifier stays in use until its exchange completes [MQTT-2.2.1-3]
  for (std::uint32_t tries = 0; tries < 65535; ++tries) {
    const std::uint16_t id = next_packet_id_;
    next_packet_id_ = next_packet_id_ == 65535 ? 1 : static_cast<std::uint16_t>(next_packet_id_ + 1);
    if (!inflight_.contains(id) && !pending_acks_.contains(id)) return id;
  }
  return 0;
}

bool engine::try_send(command& cmd, std::uint64_t now_ms) {
  if (cmd.kind == command_kind::publish) {
    if (const client_error e = check_publish(view_of(cmd)); e != client_error::ok) {
      // Queued while offline and refused by what the CONNACK said: finished without sending.
      const reason_code r = e == client_error::qos_not_supported    ? reason_code::qos_not_supported
                            : e == client_error::retain_not_supported ? reason_code::retain_not_supported
                                                                      : reason_code::packet_too_large;
      complete(cmd.token, cmd.publish.qos_level, 0, r, nullptr);
      return true;
    }
    if (cmd.publish.qos_level == qos::at_most_once) {
      send_publish(view_of(cmd), 0, false, true, now_ms);
      last_sent_token_ = cmd.token;
      last_sent_packet_id_ = 0;
      complete(cmd.token, qos::at_most_once, 0, reason_code::success, nullptr);
      return true;
    }
    if (inflight_.size() >= negotiated_.receive_maximum) return false;  // [MQTT-4.9.0-2]
    const std::uint16_t id = allocate_packet_id();
    if (id == 0) return false;
    send_publish(view_of(cmd), id, cmd.publish.dup, true, now_ms);
    last_sent_token_ = cmd.token;
    last_sent_packet_id_ = id;
    inflight_message m;
    m.sequence = next_sequence_++;
    m.cmd = std::move(cmd);
    inflight_.emplace(id, std::move(m));
    return true;
  }
  if (request_too_large(cmd)) {
    // Over the server's Maximum Packet Size [MQTT-3.2.2-15]: finished without sending.
    const std::size_t n = cmd.kind == command_kind::subscribe ? cmd.topics.size() : cmd.filters.size();
    const std::vector<reason_code> reasons(n, reason_code::packet_too_large);
    if (cmd.kind == command_kind::subscribe) {
      subscribed_event ev;
      ev.token = cmd.token;
      ev.reasons = reasons;
      ev.resubscribe = cmd.resubscribe;
      out_.events.emplace_back(std::move(ev));
    } else {
      unsubscribed_event ev;
      ev.token = cmd.token;
      ev.reasons = reasons;
      out_.events.emplace_back(std::move(ev));
    }
    return true;
  }
  const std::uint16_t id = allocate_packet_id();
  if (id == 0) return false;
  send(request_packet(cmd, id), now_ms);
  last_sent_token_ = cmd.token;
  last_sent_packet_id_ = id;
  pending_acks_.emplace(id, std::move(cmd));
  return true;
}

packet engine::request_packet(const command& cmd, std::uint16_t packet_id) const {
  if (cmd.kind == command_kind::subscribe) {
    subscribe_packet p;
    p.packet_id = packet_id;
    p.props = cmd.props.view();
    for (const subscription& s : cmd.topics) {
      p.topics.push_back({s.filter, s.max_qos, s.no_local, s.retain_as_published, s.handling});
    }
    return p;
  }
  unsubscribe_packet p;
  p.packet_id = packet_id;
  p.props = cmd.props.view();
  for (const std::string& f : cmd.filters) p.filters.push_back(f);
  return p;
}

bool engine::request_too_large(const command& cmd) const {
  return negotiated_.maximum_packet_size != 0 &&
         encoded_size(request_packet(cmd, 1), opts_.protocol) > negotiated_.maximum_packet_size;
}

void engine::send_publish(const publish_view& p, std::uint16_t packet_id, bool dup, bool allow_alias,
                          std::uint64_t now_ms) {
  publish_packet pp;
  pp.dup = dup;
  pp.qos_level = p.opts->qos_level;
  pp.retain = p.opts->retain;
  pp.topic = p.topic;
  pp.packet_id = packet_id;
  pp.payload = p.payload;
  if (opts_.protocol == protocol_version::v5) {
    if (!p.opts->properties.empty()) pp.props = p.opts->properties.view();
    pp.props.topic_alias.reset();
    if (allow_alias) {
      bool alias_only = p.alias_only;
      if (const std::uint16_t a = outbound_alias(p.topic, p.opts->properties, alias_only); a != 0) {
        pp.props.topic_alias = a;
        if (alias_only) pp.topic = {};
      }
    }
  }
  const std::size_t start = out_.bytes.size();
  if (encode_publish(pp, opts_.protocol, out_.bytes) != codec_error::ok) {
    out_.bytes.resize(start);
    return;
  }
  last_sent_ms_ = now_ms;
  if (opts_.packet_events) {
    packet_sent_event ev;
    ev.type = packet_type::publish;
    ev.bytes.assign(out_.bytes.begin() + static_cast<std::ptrdiff_t>(start), out_.bytes.end());
    out_.events.emplace_back(std::move(ev));
  }
}

void engine::complete(std::uint32_t token, qos qos_level, std::uint16_t packet_id, reason_code reason,
                      const properties* props, bool session_lost) {
  publish_completed_event ev;
  ev.token = token;
  ev.packet_id = packet_id;
  ev.qos_level = qos_level;
  ev.reason = reason;
  ev.session_lost = session_lost;
  if (props != nullptr && !props->empty()) ev.properties = property_set::copy_of(*props);
  out_.events.emplace_back(std::move(ev));
}

void engine::start_session(bool session_present, std::uint64_t now_ms) {
  std::vector<command> requeue;
  for (auto& [id, cmd] : pending_acks_) {
    // Unacknowledged SUBSCRIBE / UNSUBSCRIBE go out again as new packets (a resubscribe is redone below).
    if (!(cmd.resubscribe && !session_present)) requeue.push_back(std::move(cmd));
  }
  pending_acks_.clear();
  std::vector<std::pair<std::uint64_t, std::uint16_t>> order;
  for (const auto& [id, m] : inflight_) order.emplace_back(m.sequence, id);
  std::sort(order.begin(), order.end());
  if (session_present) {
    // Resend unacknowledged PUBLISH (DUP set) and PUBREL with their original identifiers [MQTT-4.4.0-1]
    for (const auto& [seq, id] : order) {
      const inflight_message& m = inflight_.at(id);
      if (m.stage == inflight_stage::awaiting_ack) {
        send_publish(view_of(m.cmd), id, true, false, now_ms);  // [MQTT-3.3.1-1] DUP on a redelivery
      } else {
        ack_packet rel;
        rel.type = packet_type::pubrel;
        rel.packet_id = id;
        send(rel, now_ms);
      }
    }
  } else {
    // No session on the server: discard the session state [MQTT-3.2.2-5]. Messages never acknowledged
    // are sent again as new ones (MQTT.js behaviour); those past PUBREC finish with an unknown outcome.
    inbound_qos2_.clear();
    for (const auto& [seq, id] : order) {
      inflight_message& m = inflight_.at(id);
      if (m.stage == inflight_stage::awaiting_pubcomp) {
        complete(m.cmd.token, m.cmd.publish.qos_level, id, reason_code::success, nullptr, true);
      } else {
        requeue.push_back(std::move(m.cmd));
      }
    }
    inflight_.clear();
  }
  std::stable_sort(requeue.begin(), requeue.end(),
                   [](const command& a, const command& b) { return a.token < b.token; });
  if (!session_present && opts_.resubscribe) {
    // MQTT.js behaviour: subscriptions come back first, grouped by identical properties.
    std::vector<command> resub;
    for (const auto& [sub, props] : subscriptions_) {
      if (resub.empty() || !(resub.back().props == props)) {
        command c;
        c.kind = command_kind::subscribe;
        c.resubscribe = true;
        c.props = props;
        resub.push_back(std::move(c));
      }
      resub.back().topics.push_back(sub);
    }
    requeue.insert(requeue.begin(), std::make_move_iterator(resub.begin()), std::make_move_iterator(resub.end()));
  }
  queue_.insert(queue_.begin(), std::make_move_iterator(requeue.begin()), std::make_move_iterator(requeue.end()));
  flush_queue(now_ms);
}

}  // namespace postcard::client
