// PUBACK / PUBREC / PUBREL / PUBCOMP from the client, and the acknowledgements the broker sends.
//
// Theory of operation (outgoing, per session, in send order):
//   QoS 1: awaiting_puback --PUBACK--> done
//   QoS 2: awaiting_pubrec --PUBREC--> (PUBREL sent) awaiting_pubcomp --PUBCOMP--> done
//          a PUBREC with a failure reason (v5) ends the flow at once [MQTT-4.3.3-4? see 4.9]
//   Every completion frees a slot of the client's Receive Maximum window: pump() sends queued messages.
// Incoming QoS 2: PUBREC sent and the packet id remembered (publish.cpp); PUBREL forgets it and gets PUBCOMP.
#include <algorithm>

#include "broker/state.hpp"

namespace postcard::broker {

void engine::impl::send_ack(connection& c, packet_type t, std::uint16_t id, reason_code r) {
  ack_packet a;
  a.type = t;
  a.packet_id = id;
  a.reason = c.version == protocol_version::v5 ? r : reason_code::success;
  send_packet(c, packet{std::move(a)});
}

void engine::impl::on_ack(connection& c, const ack_packet& p) {
  session& s = *c.sess;
  using st = delivery_data::state;
  auto find = [&](st want) {
    return std::find_if(s.inflight.begin(), s.inflight.end(),
                        [&](const delivery& d) { return d.packet_id == p.packet_id && d.st == want; });
  };
  auto finish = [&](lazy_deque<delivery>::iterator it) {
    if (it->msg) s.inflight_bytes -= it->msg->cost();
    emit_delivery_removed(s, it->seq);
    s.inflight.erase(it);
    pump(s);
  };
  switch (p.type) {
    case packet_type::puback: {
      if (auto it = find(st::awaiting_puback); it != s.inflight.end()) finish(it);  // [MQTT-4.3.2-?]
      return;
    }
    case packet_type::pubrec: {
      auto it = find(st::awaiting_pubrec);
      if (it == s.inflight.end()) {
        if (find(st::awaiting_pubcomp) != s.inflight.end()) {
          return send_ack(c, packet_type::pubrel, p.packet_id, reason_code::success);
        }
        return send_ack(c, packet_type::pubrel, p.packet_id, reason_code::packet_identifier_not_found);
      }
      if (c.version == protocol_version::v5 && static_cast<std::uint8_t>(p.reason) >= 0x80) {
        return finish(it);  // the receiver refused the message: the flow ends here
      }
      // [MQTT-4.3.3-3] after PUBREC the sender sends PUBREL and discards the message
      s.inflight_bytes -= it->msg ? it->msg->cost() : 0;
      it->msg.reset();
      it->st = st::awaiting_pubcomp;
      emit_delivery_updated(s, *it);
      return send_ack(c, packet_type::pubrel, p.packet_id, reason_code::success);
    }
    case packet_type::pubrel: {
      auto& ids = s.incoming_qos2;
      auto it = std::find(ids.begin(), ids.end(), p.packet_id);
      if (it == ids.end()) {
        return send_ack(c, packet_type::pubcomp, p.packet_id, reason_code::packet_identifier_not_found);
      }
      ids.erase(it);  // [MQTT-4.3.3-10] forget the id, answer PUBCOMP
      mark_dirty(s);
      return send_ack(c, packet_type::pubcomp, p.packet_id, reason_code::success);
    }
    case packet_type::pubcomp: {
      if (auto it = find(st::awaiting_pubcomp); it != s.inflight.end()) finish(it);
      return;
    }
    default:
      return fail(c, engine_error::unexpected_packet_type);
  }
}

}  // namespace postcard::broker
