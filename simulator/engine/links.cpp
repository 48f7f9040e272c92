// Virtual links: bytes an engine writes are cut into whole MQTT packets, each given a delivery time or
// lost, and queued in the link direction's FIFO; the broker engines' output sinks feed the down side.
#include <algorithm>

#include "world_impl.hpp"

namespace postcard::sim {
namespace {

// Size of the whole packet starting at b[0] (fixed header + Remaining Length), or 0 if malformed.
// Engines write whole packets, so a chunk always splits cleanly.
std::size_t packet_size(bytes_view b) {
  std::size_t pos = 1;
  std::uint32_t length = 0;
  for (unsigned shift = 0; shift < 28; shift += 7) {
    if (pos >= b.size()) return 0;
    const std::uint8_t byte = b[pos++];
    length |= static_cast<std::uint32_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return pos + length <= b.size() ? pos + length : 0;
  }
  return 0;
}

}  // namespace

void world_impl::transmit(std::uint32_t dev, direction d, bytes_view bytes, broker::connection_id conn) {
  device_rt& dv = devices[dev];
  if (remote != nullptr) {
    if (d == direction::up) remote->send(dev, bytes);
    return;
  }
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
  if (remote != nullptr) {
    if (d == direction::up) remote->close(dev);
    return;
  }
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
    dv.conn = next_conn++;
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
