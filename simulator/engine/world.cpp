// The world: building devices from the scenario, the clock and its queue, scripted actions.
#include <algorithm>

#include "world_impl.hpp"

namespace postcard::sim {

std::string expand_device_template(std::string_view text, std::string_view id, std::uint32_t i) {
  std::string s(text);
  for (std::size_t pos = s.find("{id}"); pos != std::string::npos; pos = s.find("{id}", pos + id.size())) {
    s.replace(pos, 4, id);
  }
  const std::string n = std::to_string(i);
  for (std::size_t pos = s.find("{i}"); pos != std::string::npos; pos = s.find("{i}", pos + n.size())) {
    s.replace(pos, 3, n);
  }
  return s;
}

namespace {

client::options client_options(const device_config& d, std::uint64_t seed, std::uint32_t index) {
  client::options o;
  o.protocol = d.protocol;
  o.client_id = d.id;
  o.clean = d.clean_start;
  o.keepalive = d.keepalive_s;
  o.username = d.username;
  if (d.password) o.password = std::vector<std::uint8_t>(d.password->begin(), d.password->end());
  if (d.will) {
    client::will_options w;
    w.topic = d.will->topic;
    w.payload.assign(d.will->payload.begin(), d.will->payload.end());
    w.qos_level = d.will->qos_level;
    w.retain = d.will->retain;
    if (d.protocol == protocol_version::v5) {
      if (d.will->delay_s > 0) w.properties.will_delay_interval = d.will->delay_s;
      w.properties.message_expiry_interval = d.will->message_expiry_s;
    }
    o.will = std::move(w);
  }
  if (d.protocol == protocol_version::v5) {
    if (d.session_expiry_s > 0) o.properties.session_expiry_interval = d.session_expiry_s;
    if (d.topic_alias_maximum > 0) {
      o.properties.topic_alias_maximum = d.topic_alias_maximum;
      o.auto_assign_topic_alias = true;
    }
  }
  o.reconnect.period_ms = d.reconnect_ms;
  o.reconnect.jitter_seed = seed ^ index;
  o.connect_timeout_ms = d.connect_timeout_ms;
  o.packet_events = false;  // the links see every packet already
  return o;
}

void expand_publish(publish_config& p, std::string_view id, std::uint32_t i) {
  p.topic = expand_device_template(p.topic, id, i);
}

}  // namespace

world::world(scenario sc, world_options opts, transport_host* remote) : impl_(std::make_unique<world_impl>()) {
  world_impl& w = *impl_;
  w.sc = std::move(sc);
  w.opts = opts;
  w.remote = remote;
  const std::uint64_t seed = opts.seed.value_or(w.sc.seed);
  if (w.sc.brokers.empty()) w.sc.brokers.push_back({});
  for (std::size_t b = 0; b < w.sc.brokers.size(); ++b) {
    auto br = std::make_unique<broker_rt>();
    br->w = &w;
    br->index = static_cast<std::uint32_t>(b);
    br->name = w.sc.brokers[b].name;
    if (remote == nullptr) br->engine = std::make_unique<broker::engine>(w.sc.brokers[b].config, *br);
    w.brokers.push_back(std::move(br));
  }
  std::size_t total = 0;
  for (const auto& d : w.sc.devices) total += d.count;
  w.devices.reserve(total);
  for (const auto& tmpl : w.sc.devices) {
    for (std::uint32_t i = 0; i < tmpl.count; ++i) {
      const auto index = static_cast<std::uint32_t>(w.devices.size());
      device_rt& dv = w.devices.emplace_back();
      dv.cfg = tmpl;
      dv.copy = i;
      std::string id = tmpl.id;
      if (tmpl.count > 1 && id.find("{i}") == std::string::npos) id += "-{i}";
      dv.cfg.id = expand_device_template(id, "", i);
      const std::string& did = dv.cfg.id;
      for (auto& s : dv.cfg.subscriptions) s.filter = expand_device_template(s.filter, did, i);
      if (dv.cfg.sensor) expand_publish(dv.cfg.sensor->publish, did, i);
      if (dv.cfg.actuator) {
        dv.cfg.actuator->command_topic = expand_device_template(dv.cfg.actuator->command_topic, did, i);
        dv.cfg.actuator->state_topic = expand_device_template(dv.cfg.actuator->state_topic, did, i);
        dv.state = dv.cfg.actuator->initial;
      }
      if (dv.cfg.will) dv.cfg.will->topic = expand_device_template(dv.cfg.will->topic, did, i);
      for (auto& r : dv.cfg.rules) {
        r.on = expand_device_template(r.on, did, i);
        expand_publish(r.publish, did, i);
      }
      for (std::size_t b = 0; b < w.sc.brokers.size(); ++b) {
        if (w.sc.brokers[b].name == tmpl.broker) dv.broker = b;
      }
      dv.opts = client_options(dv.cfg, seed, index);
      dv.up.cfg = dv.cfg.link.up;
      dv.down.cfg = dv.cfg.link.down;
      dv.up.rng = prng::stream(seed, index, 0);
      dv.down.rng = prng::stream(seed, index, 1);
      dv.rng = prng::stream(seed, index, 2);
      if (dv.cfg.sensor) dv.value = dv.cfg.sensor->generator.value;
      w.device_by_id.emplace(dv.cfg.id, index);
      const std::uint64_t start = dv.cfg.start_ms + std::uint64_t{tmpl.ramp_up_ms} * i / tmpl.count;
      w.push(start, item_kind::device_start, index);
      if (dv.cfg.sensor) w.push(start + dv.cfg.sensor->start_ms, item_kind::sample, index);
    }
  }
  for (std::size_t a = 0; a < w.sc.actions.size(); ++a) {
    w.push(w.sc.actions[a].at_ms, item_kind::action, static_cast<std::uint32_t>(a));
  }
  for (std::size_t s = 0; s < w.sc.steps.size(); ++s) {
    w.push(w.sc.steps[s].at_ms, item_kind::step, static_cast<std::uint32_t>(s));
  }
}

world::~world() = default;

std::uint64_t world::now() const { return impl_->now; }

std::optional<std::uint64_t> world::next_time() const {
  const queue_item* top = impl_->queue.top();
  if (top == nullptr) return std::nullopt;
  return top->time;
}

bool world::step() { return impl_->step_due(never); }

namespace {

void prefetch_lines(const void* p, std::size_t bytes) {
  const char* c = static_cast<const char*>(p);
  for (std::size_t off = 0; off < bytes; off += 64) __builtin_prefetch(c + off);
}

}  // namespace

// A busy world is a walk over memory that does not fit in cache: each item lands on a device (and its
// engine and link buffers) last touched long ago. While one item runs, the next ones are known, so their
// memory is requested ahead: the device's fields for the item after next, and, for the next item (whose
// device fields were requested a step ago), what those fields point to. Hints only: no effect on order.
void world_impl::prefetch(const queue_item* after_next, const queue_item* next) const {
  if (after_next != nullptr && after_next->index < devices.size()) {
    const device_rt& dv = devices[after_next->index];
    switch (after_next->kind) {
      case item_kind::deliver:
        prefetch_lines(&dv, 64);
        prefetch_lines(after_next->dir == direction::up ? &dv.up : &dv.down, sizeof(link_side));
        break;
      case item_kind::sample:
        prefetch_lines(&dv, static_cast<std::size_t>(reinterpret_cast<const char*>(&dv.cfg) -
                                                      reinterpret_cast<const char*>(&dv)));  // the hot fields
        prefetch_lines(&dv.cfg.sensor, sizeof(dv.cfg.sensor));
        break;
      case item_kind::device_timer: prefetch_lines(&dv, 64); break;
      default: break;
    }
  }
  if (next != nullptr && next->index < devices.size()) {
    const device_rt& dv = devices[next->index];
    switch (next->kind) {
      case item_kind::deliver: {
        const link_side& side = next->dir == direction::up ? dv.up : dv.down;
        if (!side.empty()) {
          __builtin_prefetch(side.data.data() + side.head);
          __builtin_prefetch(&side.fifo[side.fifo_head]);
        }
        if (next->dir == direction::down && dv.client) prefetch_lines(dv.client.get(), 256);
        break;
      }
      case item_kind::sample:
        if (dv.client) prefetch_lines(dv.client.get(), 256);
        break;
      default: break;
    }
  }
}

bool world_impl::step_due(std::uint64_t limit) {
  queue_item it;
  if (!queue.pop_due(limit, it)) return false;
  prefetch(queue.peek(2), queue.peek(1));
  now = std::max(now, it.time);
  ++stats.items_processed;
  dispatch(it);
  return true;
}

void world::run_until(std::uint64_t t_ms) {
  world_impl& w = *impl_;
  while (w.step_due(t_ms)) {
  }
  w.now = std::max(w.now, t_ms);
}

void world::run() { run_until(impl_->sc.duration_ms); }
bool world::finished() const { return impl_->now >= impl_->sc.duration_ms; }

void world_impl::dispatch(const queue_item& it) {
  switch (it.kind) {
    case item_kind::deliver: deliver(it.index, it.dir); break;
    case item_kind::device_timer: {
      device_rt& dv = devices[it.index];
      if (dv.timer_at != it.time || !dv.client) break;  // superseded
      dv.timer_at = never;
      dv.client->tick(now);
      pump(it.index);
      break;
    }
    case item_kind::broker_timer: {
      broker_rt& b = *brokers[it.index];
      if (b.timer_at != it.time) break;
      b.timer_at = never;
      b.engine->tick(now);
      schedule_broker(it.index);
      break;
    }
    case item_kind::device_start: start_device(it.index); break;
    case item_kind::device_open: open_transport(it.index); break;
    case item_kind::sample: sample(it.index); break;
    case item_kind::action: {
      const action_config a = sc.actions[it.index];
      apply_action(a);
      break;
    }
    case item_kind::step: {
      step_result r;
      r.step = it.index;
      r.time_ms = now;
      bool all = true;
      for (const auto& e : sc.steps[it.index].expect) {
        r.results.push_back(check(e));
        all = all && (r.results.back().met || !r.results.back().checked);
      }
      steps.push_back(std::move(r));
      if (recording(sim_event_kind::step)) {
        sim_event& e = record(sim_event_kind::step, no_device);
        e.index = it.index;
        e.flag = all;
        e.detail = sc.steps[it.index].title;
      }
      break;
    }
  }
}

void world_impl::apply_action(const action_config& a) {
  static constexpr std::string_view names[] = {"crash", "reconnect", "disconnect", "disconnect_with_will",
                                               "publish", "subscribe", "unsubscribe", "half_open",
                                               "close", "partition", "heal", "set_link"};
  const auto found = device_by_id.find(a.device);
  const std::uint32_t dev = found == device_by_id.end() ? no_device : found->second;
  if (recording(sim_event_kind::action)) {
    sim_event& e = record(sim_event_kind::action, dev);
    e.detail = names[static_cast<std::size_t>(a.kind)];
    e.topic = a.device;
  }
  if (a.kind == action_kind::partition || a.kind == action_kind::heal) {
    const bool down = a.kind == action_kind::partition;
    for (std::uint32_t d = 0; d < devices.size(); ++d) {
      const bool selected = dev != no_device ? d == dev
                            : a.device.empty() || brokers[devices[d].broker]->name == a.device;
      if (selected) set_link_down(d, down, down ? "partition" : "heal");
    }
    return;
  }
  if (dev == no_device) return;
  device_rt& dv = devices[dev];
  switch (a.kind) {
    case action_kind::crash:
      if (dv.powered) crash(dev);
      break;
    case action_kind::reconnect:
      if (!dv.powered || !dv.client || dv.client->state() == client::connection_state::ended) {
        start_device(dev);
      } else {
        open_transport(dev);
      }
      break;
    case action_kind::disconnect:
    case action_kind::disconnect_with_will:
      if (dv.client) {
        const reason_code rc = a.kind == action_kind::disconnect ? reason_code::normal_disconnection
                                                                 : reason_code::disconnect_with_will_message;
        dv.client->disconnect(rc, {}, now);
        pump(dev);
      }
      break;
    case action_kind::publish:
      if (a.publish) device_publish(dev, *a.publish, dv.state);
      break;
    case action_kind::subscribe:
      if (a.subscription && dv.client) {
        const auto& s = *a.subscription;
        const client::subscription sub{s.filter, s.max_qos, s.no_local, s.retain_as_published,
                                       static_cast<retain_handling>(s.retain_handling)};
        dv.client->subscribe(std::span<const client::subscription>(&sub, 1), {}, now);
        pump(dev);
      }
      break;
    case action_kind::unsubscribe:
      if (a.subscription && dv.client) {
        const std::string f = a.subscription->filter;
        dv.client->unsubscribe(std::span<const std::string>(&f, 1), {}, now);
        pump(dev);
      }
      break;
    case action_kind::half_open: set_link_down(dev, true, "half-open"); break;
    case action_kind::heal: set_link_down(dev, false, "heal"); break;
    case action_kind::close_link: close_link(dev); break;
    case action_kind::set_link:
      if (a.link) {
        dv.up.cfg = a.link->up;
        dv.down.cfg = a.link->down;
        if (recording(sim_event_kind::link_changed)) record(sim_event_kind::link_changed, dev).detail = "model";
      }
      break;
    case action_kind::partition: break;
  }
}

void world::apply(const action_config& a) { impl_->apply_action(a); }

const scenario& world::config() const { return impl_->sc; }

std::vector<sim_event> world::drain_events() {
  std::vector<sim_event> r = std::move(impl_->events);
  impl_->events.clear();
  return r;
}

const sim_stats& world::stats() const { return impl_->stats; }
std::size_t world::device_count() const { return impl_->devices.size(); }

device_info world::device(std::size_t i) const {
  const device_rt& dv = impl_->devices.at(i);
  device_info d;
  d.id = dv.cfg.id;
  d.broker = dv.broker;
  d.protocol = dv.cfg.protocol;
  d.connected = dv.client && dv.client->state() == client::connection_state::connected;
  d.powered = dv.powered;
  d.link_down = dv.link_down;
  d.state = dv.state;
  d.published = dv.published;
  d.received = dv.received;
  d.connects = dv.connects;
  d.offline = dv.offline;
  d.packets_lost = dv.packets_lost;
  return d;
}

std::optional<std::size_t> world::find_device(std::string_view id) const {
  const auto it = impl_->device_by_id.find(std::string(id));
  if (it == impl_->device_by_id.end()) return std::nullopt;
  return it->second;
}

const std::vector<received_message>& world::messages(std::size_t device) const {
  return impl_->devices.at(device).messages;
}

std::size_t world::broker_count() const { return impl_->brokers.size(); }
broker::engine* world::broker_engine(std::size_t i) { return impl_->brokers.at(i)->engine.get(); }
const std::vector<step_result>& world::step_results() const { return impl_->steps; }
expect_result world::check(const expect_config& e) const { return impl_->check(e); }

// The host's reports run the world up to their time first, so they take their place among queued items.
void world::transport_opened(std::uint32_t dev, std::uint64_t now_ms) {
  run_until(now_ms);
  world_impl& w = *impl_;
  device_rt& dv = w.devices.at(dev);
  if (!dv.client || dv.conn == 0) return;
  dv.client->connection_opened(w.now);
  w.pump(dev);
}

void world::transport_received(std::uint32_t dev, bytes_view bytes, std::uint64_t now_ms) {
  run_until(now_ms);
  (void)impl_->devices.at(dev);  // bounds
  impl_->remote_received(dev, bytes);
}

void world::transport_closed(std::uint32_t dev, std::uint64_t now_ms) {
  run_until(now_ms);
  (void)impl_->devices.at(dev);  // bounds
  impl_->remote_closed(dev);
}

std::uint32_t sim_stats::latency_percentile(double p) const {
  if (latency_ms.empty()) return 0;
  std::vector<std::uint32_t> v = latency_ms;
  const auto k = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

}  // namespace postcard::sim
