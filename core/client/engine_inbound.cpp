// Inbound side of the client engine: PUBLISH from the server (QoS 0/1/2 receiver flows) and the
// acknowledgements of our own packets (PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK).
//
// QoS 2 receiver (method B of the spec's 4.3.3): the message is delivered when its PUBLISH first
// arrives, its identifier is held in inbound_qos2_ until PUBREL, and a PUBLISH that reuses a held
// identifier is a duplicate: it is answered with PUBREC again but not delivered again [MQTT-4.3.3-10].
#include <algorithm>

#include "client/engine.hpp"

namespace postcard::client {

void engine::on_publish(const publish_packet& p, std::uint64_t now_ms) {
  const std::optional<std::string_view> topic = resolve_inbound_alias(p, now_ms);
  if (!topic) return;  // resolve_inbound_alias failed the connection
  if (p.qos_level == qos::exactly_once) {
    if (inbound_qos2_.contains(p.packet_id)) {
      ack_packet rec;  // a duplicate: acknowledge again, do not deliver twice
      rec.type = packet_type::pubrec;
      rec.packet_id = p.packet_id;
      return send(rec, now_ms);
    }
    const std::uint16_t our_maximum =
        opts_.protocol == protocol_version::v5 ? opts_.properties.receive_maximum.value_or(65535) : 65535;
    if (inbound_qos2_.size() >= our_maximum) {
      // More unacknowledged QoS 2 PUBLISH than our Receive Maximum: 0x93 (spec 3.3.4)
      return fail(codec_error::ok, reason_code::receive_maximum_exceeded, "Receive Maximum exceeded", now_ms);
    }
  }
  message_event ev;
  ev.topic = std::string{*topic};
  ev.payload.assign(p.payload.begin(), p.payload.end());
  ev.qos_level = p.qos_level;
  ev.retain = p.retain;
  ev.dup = p.dup;
  ev.packet_id = p.packet_id;
  if (!p.props.empty()) ev.properties = property_set::copy_of(p.props);
  out_.events.emplace_back(std::move(ev));
  if (p.qos_level == qos::at_least_once) {
    ack_packet ack;  // [MQTT-4.3.2-4] PUBACK with the PUBLISH's identifier
    ack.type = packet_type::puback;
    ack.packet_id = p.packet_id;
    send(ack, now_ms);
  } else if (p.qos_level == qos::exactly_once) {
    inbound_qos2_.insert(p.packet_id);
    ack_packet rec;  // [MQTT-4.3.3-8] PUBREC with the PUBLISH's identifier
    rec.type = packet_type::pubrec;
    rec.packet_id = p.packet_id;
    send(rec, now_ms);
  }
}

void engine::on_ack(const ack_packet& p, std::uint64_t now_ms) {
  const bool v5 = opts_.protocol == protocol_version::v5;
  switch (p.type) {
    case packet_type::puback:
    case packet_type::pubcomp: {
      const auto it = inflight_.find(p.packet_id);
      const bool expected =
          it != inflight_.end() &&
          (p.type == packet_type::puback
               ? it->second.cmd.publish.qos_level == qos::at_least_once
               : it->second.stage == inflight_stage::awaiting_pubcomp);
      if (!expected) return;  // a late or unknown acknowledgement: nothing to complete
      complete(it->second.cmd.token, it->second.cmd.publish.qos_level, p.packet_id, p.reason, &p.props);
      inflight_.erase(it);
      return flush_queue(now_ms);  // the window has room again
    }
    case packet_type::pubrec: {
      const auto it = inflight_.find(p.packet_id);
      if (it == inflight_.end() || it->second.cmd.publish.qos_level != qos::exactly_once) {
        ack_packet rel;
        rel.type = packet_type::pubrel;
        rel.packet_id = p.packet_id;
        rel.reason = v5 ? reason_code::packet_identifier_not_found : reason_code::success;
        return send(rel, now_ms);
      }
      if (static_cast<std::uint8_t>(p.reason) >= 0x80) {
        // An error PUBREC ends the exchange; no PUBREL [MQTT-4.3.3-4], the identifier is free again
        complete(it->second.cmd.token, qos::exactly_once, p.packet_id, p.reason, &p.props);
        inflight_.erase(it);
        return flush_queue(now_ms);
      }
      it->second.stage = inflight_stage::awaiting_pubcomp;
      ack_packet rel;  // [MQTT-4.3.3-4] PUBREL with the PUBREC's identifier
      rel.type = packet_type::pubrel;
      rel.packet_id = p.packet_id;
      return send(rel, now_ms);
    }
    case packet_type::pubrel: {
      ack_packet comp;
      comp.type = packet_type::pubcomp;
      comp.packet_id = p.packet_id;
      if (inbound_qos2_.erase(p.packet_id) == 0 && v5) comp.reason = reason_code::packet_identifier_not_found;
      return send(comp, now_ms);  // [MQTT-4.3.3-11] PUBCOMP with the PUBREL's identifier
    }
    default:
      return;
  }
}

void engine::on_suback(const suback_packet& p, std::uint64_t now_ms) {
  const auto it = pending_acks_.find(p.packet_id);
  if (it == pending_acks_.end() || it->second.kind != command_kind::subscribe) return;
  const command& cmd = it->second;
  if (p.reasons.size() != cmd.topics.size()) {
    // One reason code per topic filter, in order [MQTT-3.9.3-1]
    return fail(codec_error::ok, reason_code::protocol_error, "SUBACK count differs from SUBSCRIBE", now_ms);
  }
  for (std::size_t i = 0; i < cmd.topics.size(); ++i) {
    if (static_cast<std::uint8_t>(p.reasons[i]) >= 0x80) continue;
    const subscription& s = cmd.topics[i];
    const auto same = std::find_if(subscriptions_.begin(), subscriptions_.end(),
                                   [&s](const auto& e) { return e.first.filter == s.filter; });
    if (same != subscriptions_.end()) {
      *same = {s, cmd.props};
    } else {
      subscriptions_.emplace_back(s, cmd.props);
    }
  }
  subscribed_event ev;
  ev.token = cmd.token;
  ev.packet_id = p.packet_id;
  ev.reasons = p.reasons;
  ev.resubscribe = cmd.resubscribe;
  ev.properties = property_set::copy_of(p.props);
  out_.events.emplace_back(std::move(ev));
  pending_acks_.erase(it);
  flush_queue(now_ms);
}

void engine::on_unsuback(const unsuback_packet& p, std::uint64_t now_ms) {
  const auto it = pending_acks_.find(p.packet_id);
  if (it == pending_acks_.end() || it->second.kind != command_kind::unsubscribe) return;
  const command& cmd = it->second;
  const bool v5 = opts_.protocol == protocol_version::v5;
  if (v5 && p.reasons.size() != cmd.filters.size()) {
    // One reason code per topic filter, in order [MQTT-3.11.3-1]
    return fail(codec_error::ok, reason_code::protocol_error, "UNSUBACK count differs from UNSUBSCRIBE", now_ms);
  }
  for (std::size_t i = 0; i < cmd.filters.size(); ++i) {
    if (v5 && static_cast<std::uint8_t>(p.reasons[i]) >= 0x80) continue;
    std::erase_if(subscriptions_, [&](const auto& e) { return e.first.filter == cmd.filters[i]; });
  }
  unsubscribed_event ev;
  ev.token = cmd.token;
  ev.packet_id = p.packet_id;
  ev.reasons = p.reasons;
  ev.properties = property_set::copy_of(p.props);
  out_.events.emplace_back(std::move(ev));
  pending_acks_.erase(it);
  flush_queue(now_ms);
}

}  // namespace postcard::client
