// sim_host: loading, the clock, commands and remote transports (see sim_binding.hpp).
#include "sim_binding.hpp"

#include <cmath>

#include "batch.hpp"
#include "scenario_load.hpp"
#include "sim_events.hpp"

namespace postcard::sim::wasm {
namespace {

using emscripten::val;

std::uint64_t to_ms(double t) { return t <= 0 || std::isnan(t) ? 0 : static_cast<std::uint64_t>(t); }
double as_double(std::uint64_t v) { return static_cast<double>(v); }

void write_errors(postcard::wasm::json_writer& w, const std::vector<load_error>& errors) {
  w.key("errors");
  w.open_array();
  for (const auto& e : errors) {
    w.element();
    w.open();
    w.field("path", e.path);
    w.field("message", e.message);
    w.close();
  }
  w.close_array();
}

}  // namespace

void js_transport_host::open(std::uint32_t dev) { js_.call<void>("open", dev); }

void js_transport_host::send(std::uint32_t dev, bytes_view bytes) {
  // The view is valid only during the call: the JavaScript side copies it.
  js_.call<void>("send", dev, val(emscripten::typed_memory_view(bytes.size(), bytes.data())));
}

void js_transport_host::close(std::uint32_t dev) { js_.call<void>("close", dev); }

std::string sim_host::build(const std::string& json_text, double seed) {
  load_result r = load_scenario(json_text);
  std::string out;
  postcard::wasm::json_writer w{out};
  w.open();
  w.field_bool("ok", r.ok);
  write_errors(w, r.errors);
  if (r.ok) {
    json_text_ = json_text;
    scenario_ = std::make_unique<scenario>(std::move(r.value));
    world_.reset();
    if (!reset(seed)) return "{\"ok\":false,\"errors\":[]}";
    const scenario& sc = world_->config();
    w.field("title", sc.title);
    w.field("description", sc.description);
    w.field("seed", seed >= 0 ? to_ms(seed) : sc.seed);
    w.field("durationMs", sc.duration_ms);
    w.field("devices", static_cast<std::uint64_t>(world_->device_count()));
    w.field("brokers", static_cast<std::uint64_t>(world_->broker_count()));
    w.field_bool("remote", remote_ != nullptr);
    w.key("steps");
    w.open_array();
    for (const auto& s : sc.steps) {
      w.element();
      w.open();
      w.field("atMs", s.at_ms);
      w.field("title", s.title);
      w.field("text", s.text);
      w.key("expect");
      w.open_array();
      for (const auto& e : s.expect) {
        w.element();
        w.str(e.describe);
      }
      w.close_array();
      w.close();
    }
    w.close_array();
  }
  w.close();
  return out;
}

std::string sim_host::load(const std::string& json_text, double seed) {
  world_.reset();
  remote_.reset();
  return build(json_text, seed);
}

std::string sim_host::load_remote(const std::string& json_text, double seed, val host) {
  world_.reset();
  remote_ = std::make_unique<js_transport_host>(std::move(host));
  return build(json_text, seed);
}

bool sim_host::reset(double seed) {
  if (!scenario_) return false;
  world_options o;
  o.event_mask = mask_;
  if (seed >= 0) o.seed = to_ms(seed);
  world_.reset();
  world_ = std::make_unique<world>(*scenario_, o, remote_.get());
  return true;
}

void sim_host::set_event_mask(std::uint32_t mask) { mask_ = mask; }

double sim_host::now() const { return world_ ? as_double(world_->now()) : 0; }

double sim_host::next_time() const {
  if (!world_) return -1;
  const auto t = world_->next_time();
  return t ? as_double(*t) : -1;
}

double sim_host::duration() const { return world_ ? as_double(world_->config().duration_ms) : 0; }
bool sim_host::finished() const { return world_ && world_->finished(); }
bool sim_host::step() { return world_ && world_->step(); }

double sim_host::run_until(double t, double budget) {
  if (!world_) return 0;
  const std::uint64_t until = to_ms(t);
  if (budget <= 0) {
    const std::uint64_t before = world_->stats().items_processed;
    world_->run_until(until);
    return as_double(world_->stats().items_processed - before);
  }
  double n = 0;
  while (n < budget) {
    const auto next = world_->next_time();
    if (!next || *next > until) {
      world_->run_until(until);
      break;
    }
    world_->step();
    n += 1;
  }
  return n;
}

val sim_host::drain() {
  static std::vector<std::uint8_t> buffer;
  if (!world_) {
    buffer.assign(4, 0);
  } else {
    write_events(world_->drain_events(), buffer);
  }
  return val(emscripten::typed_memory_view(buffer.size(), buffer.data())).call<val>("slice");
}

std::string sim_host::apply(const std::string& action_json) {
  // The action is read by the scenario loader, so it accepts exactly what a scenario file does. Device
  // names are checked by the world itself (an unknown one does nothing), not against an empty list.
  load_result r = load_scenario("{\"devices\":[],\"actions\":[" + action_json + "]}");
  std::vector<load_error> errors;
  for (auto& e : r.errors) {
    if (e.message.rfind("no device", 0) != 0) errors.push_back(std::move(e));
  }
  if (errors.empty() && world_ && !r.value.actions.empty()) world_->apply(r.value.actions.front());
  std::string out;
  postcard::wasm::json_writer w{out};
  w.open();
  write_errors(w, errors);
  w.close();
  return out;
}

void sim_host::transport_opened(std::uint32_t dev) {
  if (world_ && dev < world_->device_count()) world_->transport_opened(dev, world_->now());
}

void sim_host::transport_received(std::uint32_t dev, const std::string& bytes) {
  if (world_ && dev < world_->device_count()) world_->transport_received(dev, as_bytes(bytes), world_->now());
}

void sim_host::transport_closed(std::uint32_t dev) {
  if (world_ && dev < world_->device_count()) world_->transport_closed(dev, world_->now());
}

}  // namespace postcard::sim::wasm
