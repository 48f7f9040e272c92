// The embind surface of postcard-sim.mjs: one class, SimWorld, and the list of shipped lessons.
#include <emscripten/bind.h>

#include "batch.hpp"
#include "lessons.hpp"
#include "sim_binding.hpp"

namespace {

// [{ name, json }] as JSON text.
std::string lessons() {
  std::string out;
  postcard::wasm::json_writer w{out};
  w.open_array();
  for (const auto& l : postcard::sim::builtin_lessons()) {
    w.element();
    w.open();
    w.field("name", l.name);
    w.field("json", l.json);
    w.close();
  }
  w.close_array();
  return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(postcard_sim) {
  using postcard::sim::wasm::sim_host;
  emscripten::function("lessons", &lessons);
  emscripten::class_<sim_host>("SimWorld")
      .constructor<>()
      .function("load", &sim_host::load)
      .function("loadRemote", &sim_host::load_remote)
      .function("reset", &sim_host::reset)
      .function("setEventMask", &sim_host::set_event_mask)
      .function("now", &sim_host::now)
      .function("nextTime", &sim_host::next_time)
      .function("duration", &sim_host::duration)
      .function("finished", &sim_host::finished)
      .function("step", &sim_host::step)
      .function("runUntil", &sim_host::run_until)
      .function("drain", &sim_host::drain)
      .function("devices", &sim_host::devices)
      .function("brokerState", &sim_host::broker_state)
      .function("stats", &sim_host::stats)
      .function("stepResults", &sim_host::step_results)
      .function("messages", &sim_host::messages)
      .function("decode", &sim_host::decode)
      .function("apply", &sim_host::apply)
      .function("transportOpened", &sim_host::transport_opened)
      .function("transportReceived", &sim_host::transport_received)
      .function("transportClosed", &sim_host::transport_closed);
}
