// Engine inputs: framing and dispatch of received bytes, timers, and the output flush that ends every
// input (one send per connection with all its bytes, then the closes).
#include "broker/engine.hpp"

#include <utility>

#include "broker/state.hpp"

namespace postcard::broker {

client_info connection::who() const {
  client_info ci;
  ci.conn = id;
  if (sess != nullptr) ci.client_id = sess->client_id;
  if (username) ci.username = *username;
  ci.tls_identity = info.tls_identity;
  ci.info = &info;
  ci.version = version;
  return ci;
}

engine::impl::impl(config c, output_sink& s, hooks* h) : cfg(std::move(c)), sink(s), hk(h ? h : &default_hooks) {
  check_delivery = hk->checks_delivery();
}

engine::engine(config cfg, output_sink& sink, hooks* h) : impl_(std::make_unique<impl>(std::move(cfg), sink, h)) {}
engine::~engine() = default;

const config& engine::settings() const { return impl_->cfg; }

void engine::set_hooks(hooks* h) {
  impl_->hk = h ? h : &impl_->default_hooks;
  impl_->check_delivery = impl_->hk->checks_delivery();
}

void engine::impl::begin_input(time_ms t) {
  if (t > now || !started) now = t;
  mask = sink.event_mask();
  durable_on = sink.wants_durable_changes();
  if (!started) {
    started = true;
    started_at = now;
    if (cfg.sys_interval != 0) arm(now, timer_kind::sys, 0, 0);
  }
}

void engine::impl::touch(connection& c) {
  if (!c.touched) {
    c.touched = true;
    touched.push_back(&c);
  }
}

void engine::impl::end_input() {
  emit_dirty();
  for (connection* c : touched) {
    if (!c->out.empty()) {
      stats.bytes_sent += c->out.size();
      sink.send(c->id, bytes_view{c->out.data(), c->out.size()});
      c->out.clear();
    }
    if (c->closing) sink.close(c->id, c->cause);
    c->touched = false;
  }
  touched.clear();
  graveyard.clear();
  cache_msg.reset();
}

void engine::impl::send_packet(connection& c, const packet& p) {
  encode(p, c.version, c.out);
  ++stats.messages_sent;
  touch(c);
  if (wants(event_kind::packet_out)) {
    event e;
    e.kind = event_kind::packet_out;
    e.conn = c.id;
    if (c.sess) e.client_id = c.sess->client_id;
    e.packet = &p;
    emit(e);
  }
}

void engine::impl::arm(time_ms at, timer_kind k, std::uint32_t id, std::uint32_t gen) {
  timers.insert(timer{at, k, id, gen});
}

time_ms engine::impl::connection_deadline(const connection& c) const {
  if (c.ph == phase::awaiting_connect || c.ph == phase::authenticating) {
    return cfg.connect_timeout_ms == 0 ? no_deadline : c.opened_at + cfg.connect_timeout_ms;
  }
  if (c.ph == phase::connected && c.keepalive_s != 0) {
    return c.last_rx + time_ms{c.keepalive_s} * 1500;  // [MQTT-3.1.2-24] one and a half times
  }
  return no_deadline;
}

void engine::open(connection_id conn, const connection_info& info, time_ms now_ms) {
  auto& m = *impl_;
  m.begin_input(now_ms);
  auto c = std::make_unique<connection>();
  c->id = conn;
  c->info = info;
  c->opened_at = m.now;
  c->last_rx = m.now;
  c->fr.set_max_packet_size(m.cfg.max_packet_size == 0 ? framer::protocol_maximum : m.cfg.max_packet_size);
  if (m.shutting_down || m.conns.count(conn) != 0) {
    c->ph = phase::closed;
    c->closing = true;
    c->cause = disconnect_cause::shutdown;
    m.touch(*c);
    m.graveyard.push_back(std::move(c));
  } else {
    connection& ref = *c;
    m.conns.emplace(conn, std::move(c));
    time_ms d = m.connection_deadline(ref);
    if (d != no_deadline) m.arm(d, timer_kind::connection, conn, 0);
  }
  m.end_input();
}

void engine::receive(connection_id conn, bytes_view bytes, time_ms now_ms) {
  auto& m = *impl_;
  m.begin_input(now_ms);
  auto it = m.conns.find(conn);
  if (it != m.conns.end()) {
    connection& c = *it->second;
    m.stats.bytes_received += bytes.size();
    c.fr.feed(bytes);
    frame fr;
    while (c.ph != phase::closed) {
      frame_status st = c.fr.next(fr);
      if (st == frame_status::frame) {
        m.handle_frame(c, fr.first_byte, fr.body);
      } else {
        if (st == frame_status::error) m.fail_codec(c, c.fr.error());
        break;
      }
    }
  }
  m.end_input();
}

void engine::closed(connection_id conn, time_ms now_ms) {
  auto& m = *impl_;
  m.begin_input(now_ms);
  auto it = m.conns.find(conn);
  if (it != m.conns.end()) {
    connection& c = *it->second;
    // [MQTT-3.1.2-8] a network close without DISCONNECT publishes the will
    m.close_connection(c, disconnect_cause::network_closed, std::nullopt, true);
    c.closing = false;  // the host already knows
    c.out.clear();
  }
  m.end_input();
}

void engine::congested(connection_id conn, bool is_congested, time_ms now_ms) {
  auto& m = *impl_;
  m.begin_input(now_ms);
  auto it = m.conns.find(conn);
  if (it != m.conns.end()) {
    connection& c = *it->second;
    const bool drained = c.congested && !is_congested;
    c.congested = is_congested;
    // Drained: queued messages go out in order, as far as the inflight window allows
    if (drained && c.ph == phase::connected && c.sess != nullptr && !c.sess->queue.empty()) m.pump(*c.sess);
  }
  m.end_input();
}

void engine::tick(time_ms now_ms) {
  auto& m = *impl_;
  m.begin_input(now_ms);
  m.run_timers();
  m.end_input();
}

time_ms engine::next_deadline() const {
  const auto& t = impl_->timers;
  return t.empty() ? no_deadline : std::get<0>(*t.begin());
}

void engine::impl::run_timers() {
  while (!timers.empty() && std::get<0>(*timers.begin()) <= now) {
    auto [at, kind, id, gen] = *timers.begin();
    timers.erase(timers.begin());
    switch (kind) {
      case timer_kind::connection: {
        auto it = conns.find(id);
        if (it == conns.end()) break;
        connection& c = *it->second;
        time_ms d = connection_deadline(c);
        if (d == no_deadline) break;
        if (d > now) {
          arm(d, timer_kind::connection, id, 0);
        } else if (c.ph == phase::connected) {
          fail(c, engine_error::keepalive_timeout);
        } else {
          close_connection(c, disconnect_cause::connect_timeout, std::nullopt, false);
        }
        break;
      }
      case timer_kind::will:
      case timer_kind::session_expiry: {
        if (id >= slots.size() || !slots[id] || slots[id]->generation != gen) break;
        session& s = *slots[id];
        if (kind == timer_kind::will) {
          if (s.will_at != 0 && s.will_at <= now) publish_will(s);
        } else if (s.conn == nullptr && s.expiry_interval != expiry_never &&
                   s.disconnected_at + time_ms{s.expiry_interval} * 1000 <= now) {
          end_session(s, true);
        }
        break;
      }
      case timer_kind::sys:
        publish_sys();
        arm(now + time_ms{cfg.sys_interval} * 1000, timer_kind::sys, 0, 0);
        break;
    }
  }
}

void engine::impl::handle_frame(connection& c, std::uint8_t first_byte, bytes_view body) {
  ++stats.messages_received;
  c.last_rx = now;
  const auto type = static_cast<std::uint8_t>(first_byte >> 4);
  if (c.ph == phase::awaiting_connect) {
    if (type != static_cast<std::uint8_t>(packet_type::connect)) return fail(c, engine_error::first_packet_not_connect);
    return on_connect(c, first_byte, body);
  }
  if (type == static_cast<std::uint8_t>(packet_type::connect)) return fail(c, engine_error::second_connect);
  packet p;
  if (codec_error err = decode_packet(first_byte, body, c.version, p); err != codec_error::ok) {
    return fail_codec(c, err);
  }
  if (wants(event_kind::packet_in)) {
    event e;
    e.kind = event_kind::packet_in;
    e.conn = c.id;
    if (c.sess) e.client_id = c.sess->client_id;
    e.packet = &p;
    emit(e);
  }
  if (auto* a = std::get_if<auth_packet>(&p)) return on_auth(c, *a);
  if (c.ph == phase::authenticating) {
    if (auto* d = std::get_if<disconnect_packet>(&p)) {
      (void)d;
      return close_connection(c, disconnect_cause::client_disconnect, std::nullopt, false);
    }
    return fail(c, engine_error::packet_before_connack);
  }
  switch (p.index()) {
    case 2: return on_publish(c, std::get<publish_packet>(p));
    case 3: return on_ack(c, std::get<ack_packet>(p));
    case 4: return on_subscribe(c, std::get<subscribe_packet>(p));
    case 6: return on_unsubscribe(c, std::get<unsubscribe_packet>(p));
    case 8: return send_packet(c, packet{pingresp_packet{}});  // [MQTT-3.12.4-1]
    case 10: return on_disconnect(c, std::get<disconnect_packet>(p));
    default: return fail(c, engine_error::unexpected_packet_type);
  }
}

}  // namespace postcard::broker
