// Device behaviour: the client engine's options from the device config, draining its output onto the
// link, sensors and their generators, actuators, rules, and the per-device record of what arrived.
#include <cmath>
#include <cstdio>

#include "number_format.hpp"
#include "topic/topic.hpp"
#include "world_impl.hpp"

namespace postcard::sim {
namespace {

std::optional<double> parse_number(std::string_view s) {
  if (s.empty() || s.size() > 60) return std::nullopt;
  const std::string copy(s);
  char* end = nullptr;
  const double v = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size()) return std::nullopt;
  return v;
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

bool rule_matches(std::string_view filter, std::string_view topic_name) {
  if (const auto shared = topic::parse_shared(filter)) return topic::matches(shared->filter, topic_name);
  return topic::matches(filter, topic_name);
}

}  // namespace

std::uint64_t message_key(std::string_view topic_name, std::string_view payload) {
  std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a
  for (const char c : topic_name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  h = (h ^ 0xFF) * 0x100000001b3ull;
  for (const char c : payload) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  return h;
}

void world_impl::note_published(std::string_view topic_name, std::string_view payload) {
  if (!opts.measure_latency) return;
  if (sent.empty()) sent.resize(sent_slots);
  const std::uint64_t key = message_key(topic_name, payload) | 1;  // 0 marks an empty slot
  sent[key & (sent_slots - 1)] = {key, now};
}

void world_impl::note_received(std::string_view topic_name, std::string_view payload) {
  if (!opts.measure_latency || sent.empty()) return;
  const std::uint64_t key = message_key(topic_name, payload) | 1;
  const sent_slot& slot = sent[key & (sent_slots - 1)];
  if (slot.key == key && slot.time <= now) stats.latency_ms.push_back(static_cast<std::uint32_t>(now - slot.time));
}

void world_impl::start_device(std::uint32_t dev) {
  device_rt& dv = devices[dev];
  dv.client = std::make_unique<client::engine>(dv.opts);
  dv.subscribed = false;
  dv.powered = true;
  open_transport(dev);
}

void world_impl::schedule_device(std::uint32_t dev) {
  device_rt& dv = devices[dev];
  if (!dv.client) return;
  const auto t = dv.client->next_deadline();
  if (!t || *t >= dv.timer_at) return;
  dv.timer_at = std::max(*t, now);
  push(dv.timer_at, item_kind::device_timer, dev);
}

void world_impl::pump(std::uint32_t dev) {
  for (;;) {
    device_rt& dv = devices[dev];
    if (!dv.client) return;
    dv.client->drain(out);
    if (out.bytes.empty() && !out.close && out.events.empty()) break;
    if (!out.bytes.empty() && dv.conn != 0) transmit(dev, direction::up, out.bytes, dv.conn);
    if (out.close && dv.conn != 0) {
      const broker::connection_id conn = dv.conn;
      dv.conn = 0;
      transmit_close(dev, direction::up, conn);
    }
    std::vector<client::event> evs;
    if (!spare_events.empty()) {
      evs = std::move(spare_events.back());
      spare_events.pop_back();
    }
    evs.swap(out.events);  // `out` keeps an empty buffer with capacity for the next drain
    for (auto& ev : evs) on_client_event(dev, ev);
    evs.clear();
    spare_events.push_back(std::move(evs));
  }
  schedule_device(dev);
}

void world_impl::on_client_event(std::uint32_t dev, client::event& ev) {
  device_rt& dv = devices[dev];
  if (auto* c = std::get_if<client::connected_event>(&ev)) {
    ++dv.connects;
    ++stats.connects;
    if (recording(sim_event_kind::device_connected)) record(sim_event_kind::device_connected, dev).flag = c->session_present;
    if (!dv.subscribed && !c->session_present) {
      std::vector<client::subscription> subs;
      for (const auto& s : dv.cfg.subscriptions) {
        subs.push_back({s.filter, s.max_qos, s.no_local, s.retain_as_published,
                        static_cast<retain_handling>(s.retain_handling)});
      }
      if (dv.cfg.actuator) subs.push_back({dv.cfg.actuator->command_topic, dv.cfg.actuator->qos_level});
      for (const auto& r : dv.cfg.rules) subs.push_back({r.on, r.on_qos});
      if (!subs.empty()) {
        client::property_set props;
        for (const auto& s : dv.cfg.subscriptions) {
          if (s.identifier != 0 && dv.cfg.protocol == protocol_version::v5) {
            props.subscription_identifiers.push_back(s.identifier);
            break;
          }
        }
        dv.client->subscribe(subs, props, now);
      }
    }
    dv.subscribed = true;
    if (dv.cfg.actuator) {
      publish_config p;
      p.topic = dv.cfg.actuator->state_topic;
      p.payload = "{value}";
      p.qos_level = dv.cfg.actuator->qos_level;
      p.retain = true;
      device_publish(dev, p, dv.state);
    }
  } else if (auto* m = std::get_if<client::message_event>(&ev)) {
    ++dv.received;
    ++stats.received;
    if (m->dup) ++stats.duplicates;
    const std::string payload(m->payload.begin(), m->payload.end());
    note_received(m->topic, payload);
    if (recording(sim_event_kind::message_received)) {
      sim_event& e = record(sim_event_kind::message_received, dev);
      e.topic = m->topic;
      e.payload = payload;
      e.qos = static_cast<std::uint8_t>(m->qos_level);
      e.flag = m->retain;
    }
    if (opts.keep_messages) {
      dv.messages.push_back({now, m->topic, payload, static_cast<std::uint8_t>(m->qos_level), m->retain, m->dup});
    }
    if (dv.cfg.actuator && rule_matches(dv.cfg.actuator->command_topic, m->topic) && payload != dv.state) {
      dv.state = payload;
      publish_config p;
      p.topic = dv.cfg.actuator->state_topic;
      p.qos_level = dv.cfg.actuator->qos_level;
      p.retain = true;
      device_publish(dev, p, dv.state);
    }
    for (const auto& r : dv.cfg.rules) {
      if (!rule_matches(r.on, m->topic)) continue;
      const auto number = parse_number(payload);
      if (r.above && !(number && *number > *r.above)) continue;
      if (r.below && !(number && *number < *r.below)) continue;
      if (r.equals && payload != *r.equals) continue;
      publish_config p = r.publish;
      if (r.respond) {
        if (!m->properties.response_topic) continue;
        p.topic = *m->properties.response_topic;
        if (m->properties.correlation_data) p.properties.correlation_data = m->properties.correlation_data;
      }
      device_publish(dev, p, payload, m->topic, payload);
    }
  } else if (auto* o = std::get_if<client::offline_event>(&ev)) {
    ++dv.offline;
    ++stats.disconnects;
    dv.conn = 0;
    if (recording(sim_event_kind::device_offline)) {
      static constexpr std::string_view causes[] = {"transport closed", "client disconnect", "server disconnect",
                                                    "connect refused", "protocol error", "keepalive timeout",
                                                    "connect timeout"};
      record(sim_event_kind::device_offline, dev).detail = causes[static_cast<std::size_t>(o->cause)];
    }
  } else if (std::holds_alternative<client::reconnect_due_event>(ev)) {
    push(now, item_kind::device_open, dev);
  }
}

void world_impl::device_publish(std::uint32_t dev, const publish_config& p, std::string_view value,
                                std::string_view in_topic, std::string_view in_payload) {
  device_rt& dv = devices[dev];
  if (!dv.client || !dv.powered) return;
  std::string payload;
  if (p.payload == "{value}" && value.find('{') == std::string_view::npos) {  // the default template
    payload = value;
  } else {
    payload = p.payload;
    if (payload.find('{') != std::string::npos) {
      replace_all(payload, "{value}", value);
      if (payload.find("{seq}") != std::string::npos) replace_all(payload, "{seq}", std::to_string(dv.seq));
      if (payload.find("{time}") != std::string::npos) replace_all(payload, "{time}", std::to_string(now));
      replace_all(payload, "{id}", dv.cfg.id);
      if (payload.find("{i}") != std::string::npos) replace_all(payload, "{i}", std::to_string(dv.copy));
      replace_all(payload, "{payload}", in_payload);
      replace_all(payload, "{topic}", in_topic);
    }
  }
  client::publish_options po;
  po.qos_level = p.qos_level;
  po.retain = p.retain;
  if (dv.cfg.protocol == protocol_version::v5) po.properties = p.properties;
  const auto r = dv.client->publish(p.topic, as_bytes(payload), po, now);
  if (r.error != client::client_error::ok) {
    ++stats.publish_refused;
    return;
  }
  ++dv.published;
  ++stats.published;
  note_published(p.topic, payload);
  if (recording(sim_event_kind::published)) {
    sim_event& e = record(sim_event_kind::published, dev);
    e.topic = p.topic;
    e.payload = payload;
    e.qos = static_cast<std::uint8_t>(p.qos_level);
    e.flag = p.retain;
  }
  pump(dev);
}

void world_impl::sample(std::uint32_t dev) {
  device_rt& dv = devices[dev];
  const sensor_config& s = *dv.cfg.sensor;
  const generator_config& g = s.generator;
  std::string value;
  switch (g.kind) {
    case generator_kind::constant: dv.value = g.value; break;
    case generator_kind::random_walk:
      dv.value += (dv.rng.uniform() * 2 - 1) * g.step;
      dv.value = std::min(g.max, std::max(g.min, dv.value));
      break;
    case generator_kind::sine: {
      const double phase = 2 * 3.14159265358979323846 * static_cast<double>(now % g.period_ms) / g.period_ms;
      dv.value = g.min + (g.max - g.min) * (std::sin(phase) + 1) / 2;
      break;
    }
    case generator_kind::ramp:
      if (dv.seq > 0) dv.value += g.step;
      if (dv.value > g.max) dv.value = g.min;
      break;
    case generator_kind::list:
      value = g.values.empty() ? std::string() : g.values[dv.list_pos++ % g.values.size()];
      break;
  }
  if (g.kind != generator_kind::list) value = format_number(dv.value, g.decimals);
  dv.state = value;
  if (dv.powered) device_publish(dev, s.publish, value);
  ++dv.seq;
  if (s.count == 0 || dv.seq < s.count) {
    push(now + s.every_ms + dv.rng.below_or_equal(s.jitter_ms), item_kind::sample, dev);
  }
}

void world_impl::crash(std::uint32_t dev) {
  device_rt& dv = devices[dev];
  ++stats.crashes;
  if (recording(sim_event_kind::device_crashed)) record(sim_event_kind::device_crashed, dev);
  if (dv.conn != 0) {
    const broker::connection_id conn = dv.conn;
    dv.conn = 0;
    transmit_close(dev, direction::up, conn);  // the device's OS resets the TCP connection
  }
  dv.client.reset();  // memory is gone: inflight messages, queue, aliases
  dv.powered = false;
  dv.timer_at = never;
}

}  // namespace postcard::sim
