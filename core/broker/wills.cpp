// Will messages: stored with the session at CONNECT (connect.cpp), armed when the connection ends
// without a normal DISCONNECT (session.cpp detach), published here.
#include "broker/state.hpp"

namespace postcard::broker {

void engine::impl::publish_will(session& s) {
  message_ptr m = std::move(s.will);
  s.will.reset();
  s.will_at = 0;
  if (!m) return;
  mark_dirty(s);  // the durable record no longer holds a will
  if (wants(event_kind::will_published)) {
    event e;
    e.kind = event_kind::will_published;
    e.conn = s.conn ? s.conn->id : 0;
    e.client_id = s.client_id;
    e.topic = m->topic;
    e.qos = m->qos;
    emit(e);
  }
  // [MQTT-3.1.2-8] published with its properties [MQTT-3.1.3-10]; will retain [MQTT-3.1.2-17]
  broker_publish(std::move(m));
}

}  // namespace postcard::broker
