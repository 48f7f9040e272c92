// Virtual links: bytes an engine writes are cut into whole MQTT packets, each given a delivery time or
// lost, and queued in the link direction's FIFO; the broker engines' output sinks feed the down side.
//
// Remote mode keeps the device's half of the same model: the up side delivers to the host's socket
// (remote->send / remote->close at the delivery time) instead of a broker engine, and the down side is
// fed by remote_received, which reassembles the socket's arbitrary chunks into whole packets first. A
// lost packet is a whole MQTT packet left out of the stream, so what reaches either end stays well formed.
// half_open and partition drop both ways and keep the socket open; nobody hears a close.
#include <algorithm>

#include "world_impl.hpp"

namespace postcard::sim {
namespace {

constexpr std::size_t malformed = ~std::size_t{0};

// Length of the packet starting at b[0] (fixed header + Remaining Length), whether or not b holds all of
// it; 0 while the Remaining Length itself is incomplete; `malformed` past its 4 bytes [MQTT-1.5.5].
std::size_t packet_length(bytes_view b) {
  std::size_t pos = 1;
  std::size_t length = 0;
  for (unsigned shift = 0; shift < 28; shift += 7) {
    if (pos >= b.size()) return 0;
    const std::uint8_t byte = b[pos++];
    length |= static_cast<std::size_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return pos + length;
  }
  return malformed;
}

// Size of the whole packet starting at b[0], or 0 if b does not hold all of it or it is malformed.
// Engines write whole packets, so a chunk always splits cleanly.
std::size_t packet_size(bytes_view b) {
  const std::size_t n = packet_length(b);
  return n != malformed && n <= b.size() ? n : 0;
}

}  // namespace

void world_impl::transmit(std::uint32_t dev, direction d, bytes_view bytes, broker::connection_id conn) {
  device_rt& dv = devices[dev];
  link_side& side = d == direction::up ? dv.up : dv.down;
  while (!bytes.empty()) {
    std::size_t size = packet_size(bytes);
    if (size == 0) size = bytes.size();
    const bytes_view pkt = bytes.first(size);
    bytes = bytes.subspan(size);

    // Bandwidth: the packet leaves when the link is free, taking bits / bandwidth.
    std::uint64_t start_us = std::max(now * 1000, side.busy_until_us);
    if (side.cfg.bandwidth_bps > 0) start_us += size * 8 * 1'000'000 / side.cfg.bandwidth_bps;
    side.busy_until_us = start_us;
    std::uint64_t at = (start_us + 999) / 1000 + side.cfg.latency_ms;
    if (side.cfg.jitter_ms > 0) at += side.rng.below_or_equal(side.cfg.jitter_ms);
    at = std::max(at, side.last_delivery);  // one stream: no overtaking
    const bool lost = dv.link_down || (side.cfg.loss > 0 && side.rng.uniform() < side.cfg.loss);

    ++stats.packets_sent;
    stats.bytes_sent += size;
    if (recording(sim_event_kind::packet_sent)) {
      sim_event& e = record(sim_event_kind::packet_sent, dev);
      e.broker = static_cast<std::uint32_t>(dv.broker);
      e.dir = d;
      e.type = static_cast<packet_type>(pkt[0] >> 4);
      e.deliver_at = lost ? 0 : at;
      e.lost = lost;
      e.bytes.assign(pkt.begin(), pkt.end());
    }
    if (lost) {
      ++stats.packets_lost;
      ++dv.packets_lost;
      continue;
    }
    side.last_delivery = at;
    side.push(in_flight{conn, false, static_cast<std::uint32_t>(size)}, pkt);
    push(at, item_kind::deliver, dev, d);
  }
}

void world_impl::transmit_close(std::uint32_t dev, direction d, broker::connection_id conn) {
  device_rt& dv = devices[dev];
  if (dv.link_down) return;  // nobody hears it
  link_side& side = d == direction::up ? dv.up : dv.down;
  const std::uint64_t at = std::max(now + side.cfg.latency_ms, side.last_delivery);
  side.last_delivery = at;
  side.push(in_flight{conn, true, 0}, {});
  push(at, item_kind::deliver, dev, d);
}

void world_impl::deliver(std::uint32_t dev, direction d) {
  device_rt& dv = devices[dev];
  link_side& side = d == direction::up ? dv.up : dv.down;
  if (side.empty()) return;
  const in_flight f = side.first();
  // The packet's bytes stay in the link buffer during the engine call (nothing transmits on this side
  // meanwhile: engines answer on the other direction), then leave it.
  const bytes_view bytes = side.front();
  if (!f.close) {
    ++stats.packets_delivered;
    if (recording(sim_event_kind::packet_delivered)) {
      sim_event& e = record(sim_event_kind::packet_delivered, dev);
      e.broker = static_cast<std::uint32_t>(dv.broker);
      e.dir = d;
      e.type = static_cast<packet_type>(bytes[0] >> 4);
      e.bytes.assign(bytes.begin(), bytes.end());
    }
  }
  if (d == direction::up && remote != nullptr) {
    if (f.conn == dv.remote_conn) {  // else the host no longer holds that transport
      if (f.close) {
        dv.remote_conn = 0;
        remote->close(dev);
      } else {
        remote->send(dev, bytes);
      }
    }
    dv.up.pop();
    return;
  }
  if (d == direction::up) {
    broker_rt& b = *brokers[dv.broker];
    if (b.conns.contains(f.conn)) {  // else the broker already closed that transport
      if (f.close) {
        b.conns.remove(f.conn);
        b.engine->closed(f.conn, now);
      } else {
        b.engine->receive(f.conn, bytes, now);
      }
      schedule_broker(static_cast<std::uint32_t>(dv.broker));
    }
    dv.up.pop();
    return;
  }
  if (f.conn != dv.conn || !dv.client) {  // a transport the device no longer has
    dv.down.pop();
    return;
  }
  if (f.close) {
    dv.down.pop();
    dv.conn = 0;
    dv.client->connection_closed(now);
  } else {
    dv.client->receive(bytes, now);
    dv.down.pop();
  }
  pump(dev);
}

void world_impl::schedule_broker(std::uint32_t b) {
  broker_rt& br = *brokers[b];
  const std::uint64_t t = br.engine->next_deadline();
  if (t == broker::no_deadline || t >= br.timer_at) return;
  br.timer_at = std::max(t, now);
  push(br.timer_at, item_kind::broker_timer, b);
}

void world_impl::open_transport(std::uint32_t dev) {
  device_rt& dv = devices[dev];
  if (!dv.powered || !dv.client || dv.client->state() == client::connection_state::ended) return;
  if (dv.conn != 0) return;
  if (remote != nullptr) {
    // The host holds one transport per device: the old one's last packets and close leave first.
    if (!dv.up.empty()) {
      push(dv.up.last_delivery, item_kind::device_open, dev);
      return;
    }
    dv.conn = next_conn++;
    dv.remote_conn = dv.conn;
    dv.rx.clear();
    remote->open(dev);
    return;
  }
  broker_rt& b = *brokers[dv.broker];
  dv.conn = next_conn++;
  b.conns.add(dv.conn, dev);
  b.engine->open(dv.conn, broker::connection_info{"sim:" + dv.cfg.id, "sim", ""}, now);
  schedule_broker(static_cast<std::uint32_t>(dv.broker));
  dv.client->connection_opened(now);
  pump(dev);
}

void world_impl::set_link_down(std::uint32_t dev, bool down, std::string_view why) {
  device_rt& dv = devices[dev];
  dv.link_down = down;
  if (recording(sim_event_kind::link_changed)) record(sim_event_kind::link_changed, dev).detail = why;
}

void world_impl::close_link(std::uint32_t dev) {
  device_rt& dv = devices[dev];
  if (recording(sim_event_kind::link_changed)) record(sim_event_kind::link_changed, dev).detail = "closed";
  if (dv.conn == 0) return;
  const broker::connection_id conn = dv.conn;
  dv.conn = 0;
  dv.up.clear();
  dv.down.clear();
  if (remote != nullptr) {
    dv.remote_conn = 0;
    dv.rx.clear();
    remote->close(dev);
  } else {
    broker_rt& b = *brokers[dv.broker];
    if (b.conns.remove(conn)) b.engine->closed(conn, now);
    schedule_broker(static_cast<std::uint32_t>(dv.broker));
  }
  if (dv.client) {
    dv.client->connection_closed(now);
    pump(dev);
  }
}

// ---- remote mode: what the host's transport brought

void world_impl::remote_received(std::uint32_t dev, bytes_view bytes) {
  device_rt& dv = devices[dev];
  if (!dv.client || dv.conn == 0) return;
  dv.rx.insert(dv.rx.end(), bytes.begin(), bytes.end());
  // Whole packets go down the link; a partial one waits for the rest.
  std::size_t whole = 0;
  while (whole < dv.rx.size()) {
    const std::size_t n = packet_length(bytes_view(dv.rx).subspan(whole));
    if (n == malformed) {
      whole = dv.rx.size();  // the client engine rejects it (and closes)
      break;
    }
    if (n == 0 || whole + n > dv.rx.size()) break;
    whole += n;
  }
  if (whole == 0) return;
  transmit(dev, direction::down, bytes_view(dv.rx).first(whole), dv.conn);
  dv.rx.erase(dv.rx.begin(), dv.rx.begin() + static_cast<std::ptrdiff_t>(whole));
}

void world_impl::remote_closed(std::uint32_t dev) {
  device_rt& dv = devices[dev];
  if (!dv.client || dv.conn == 0) return;
  dv.rx.clear();
  if (dv.remote_conn == dv.conn) dv.remote_conn = 0;  // the host has let it go
  transmit_close(dev, direction::down, dv.conn);    // behind the data, unless the link is down
}

// ---- broker sinks

void broker_rt::send(broker::connection_id conn, bytes_view bytes) {
  const std::uint32_t dev = conns.device(conn);
  if (dev == no_device) return;
  w->transmit(dev, direction::down, bytes, conn);
}

void broker_rt::close(broker::connection_id conn, broker::disconnect_cause) {
  const std::uint32_t dev = conns.device(conn);
  if (dev == no_device) return;
  conns.remove(conn);
  w->transmit_close(dev, direction::down, conn);
}

std::uint32_t broker_rt::event_mask() const {
  return broker::event_bit(broker::event_kind::will_published) | broker::event_bit(broker::event_kind::message_dropped) |
         broker::event_bit(broker::event_kind::session_taken_over);
}

void broker_rt::event(const broker::event& e) {
  if (e.kind == broker::event_kind::will_published) {
    ++w->stats.wills_fired;
    w->wills.emplace_back(w->now, std::string(e.client_id));
    if (w->recording(sim_event_kind::will_fired)) {
      sim_event& r = w->record(sim_event_kind::will_fired, no_device);
      r.broker = index;
      r.detail = e.client_id;
      r.topic = e.topic;
    }
  } else if (e.kind == broker::event_kind::message_dropped) {
    ++w->stats.broker_dropped;
    if (w->recording(sim_event_kind::message_dropped)) {
      sim_event& r = w->record(sim_event_kind::message_dropped, no_device);
      r.broker = index;
      r.topic = e.topic;
      r.detail = broker::to_string(e.drop);
    }
  } else if (e.kind == broker::event_kind::session_taken_over) {
    // [MQTT-3.1.4-3] emitted before the old connection is closed: it is still in `conns`
    if (w->recording(sim_event_kind::session_taken_over)) {
      sim_event& r = w->record(sim_event_kind::session_taken_over, conns.device(e.conn));
      r.broker = index;
      r.detail = e.client_id;
    }
  }
}

}  // namespace postcard::sim
