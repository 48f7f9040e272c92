#pragma once
// sim_host: the one long-lived embind class around postcard::sim::world.
//
// Theory of operation
//   JavaScript loads a scenario (JSON text; problems come back as data, never as a throw), then drives
//   the virtual clock with step() / runUntil(t) and drains what happened with drain(): one Uint8Array
//   per call holding every recorded sim_event (layout in sim_events.hpp), so a frame crosses the border
//   a handful of times however many devices run. State the panels show (devices, broker sessions,
//   subscriptions, retained messages, counters, lesson results) comes back as JSON text, built on
//   demand. reset(seed) rebuilds the world from the same scenario: same seed, same packets.
//
//   Remote mode: the world gets a transport_host whose open/send/close call a JavaScript object
//   (WebSockets, one per device); JavaScript reports back with transportOpened / transportReceived /
//   transportClosed. There is no in-process broker then.
#include <emscripten/val.h>

#include <cstdint>
#include <memory>
#include <string>

#include "world.hpp"

namespace postcard::sim::wasm {

class js_transport_host final : public transport_host {
 public:
  explicit js_transport_host(emscripten::val js) : js_(std::move(js)) {}
  void open(std::uint32_t dev) override;
  void send(std::uint32_t dev, bytes_view bytes) override;
  void close(std::uint32_t dev) override;

 private:
  emscripten::val js_;
};

class sim_host {
 public:
  sim_host() = default;

  // Parses and validates `json_text`; on success (re)builds the world. Returns
  // { ok, errors: [{ path, message }], title, description, seed, durationMs, devices, steps }.
  // `seed` < 0 keeps the scenario's own seed.
  std::string load(const std::string& json_text, double seed);
  // The same, in remote mode: `host` has open(dev), send(dev, Uint8Array view), close(dev).
  std::string load_remote(const std::string& json_text, double seed, emscripten::val host);
  bool reset(double seed);  // rebuilds from the loaded scenario; false when none is loaded
  void set_event_mask(std::uint32_t mask);

  // ---- clock
  double now() const;
  double next_time() const;  // -1 when nothing is queued
  double duration() const;
  bool finished() const;
  bool step();
  // Runs every item due by t; returns the number of queue items processed. `budget` > 0 stops early
  // after that many items (the clock then stays at the last item run).
  double run_until(double t, double budget);

  // ---- observation
  emscripten::val drain();                // Uint8Array, see sim_events.hpp
  // { total, rows } for devices [first, first + count): the visible window of a virtualised list.
  std::string devices(std::uint32_t first, std::uint32_t count) const;
  // { counters, sessions, subscriptions, retained }, at most `limit` rows per list. Retained payloads
  // come from the durable snapshot, taken only while the broker holds at most 1,000 sessions.
  std::string broker_state(std::uint32_t b, std::uint32_t limit) const;
  std::string stats() const;              // sim_stats + latency percentiles
  std::string step_results() const;       // [{ step, timeMs, results: [{ met, checked, message }] }]
  std::string messages(std::uint32_t dev) const;       // received messages of one device
  // A whole MQTT packet decoded in MQTT.js's shape (every field and property), as JSON text.
  std::string decode(const std::string& packet, int protocol) const;

  // ---- commands: one scenario action as JSON ({ "do": "crash", "device": "pump", ... }); returns the
  // load errors as JSON ("[]" when applied).
  std::string apply(const std::string& action_json);

  // ---- remote transports
  void transport_opened(std::uint32_t dev);
  void transport_received(std::uint32_t dev, const std::string& bytes);
  void transport_closed(std::uint32_t dev);

 private:
  std::string build(const std::string& json_text, double seed);

  std::string json_text_;
  std::unique_ptr<scenario> scenario_;
  std::unique_ptr<js_transport_host> remote_;
  std::unique_ptr<world> world_;
  std::uint32_t mask_ = all_sim_events;
};

}  // namespace postcard::sim::wasm
