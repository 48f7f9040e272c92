#pragma once
// The client engine as one long-lived JavaScript class (`Client` in the module). Transport inputs
// return the packed batch of outputs (batch.hpp: SEND with conn 0, then CLOSE, then the events in
// order), or undefined when there is none. Commands return a token (> 0) or -client_error, and leave
// their outputs for take(). Options are the MQTT.js names, normalized by web/src/options.ts.
#include <emscripten/val.h>

#include <cstdint>
#include <string>

#include "batch.hpp"
#include "client/engine.hpp"

namespace postcard::wasm {

using emscripten::val;

class client_host {
 public:
  explicit client_host(val opts);

  val opened(double now);
  val receive(const std::string& bytes, double now);
  val closed(double now);
  val tick(double now);
  double next_deadline() const;  // -1: none
  val take();

  double publish(const std::string& topic, const std::string& payload, int qos, bool retain, bool dup, val props,
                 double now);
  double subscribe(val topics, val props, double now);  // [{ topic, qos, nl, rap, rh }]
  double unsubscribe(val filters, val props, double now);
  int end(int reason, val props, double now);
  int auth(const std::string& data, val props, double now);
  int reauthenticate(const std::string& data, val props, double now);

  void set_packet_events(bool on) { packet_events_ = on; }
  int state() const { return static_cast<int>(engine_.state()); }
  double inflight() const { return static_cast<double>(engine_.inflight()); }
  double queued() const { return static_cast<double>(engine_.queued()); }
  val negotiated() const;

 private:
  void pack();  // moves the engine's output into batch_
  void pack_event(const client::event& e);
  double result(const client::command_result& r);

  client::engine engine_;
  client::output out_;
  batch_writer batch_;
  std::string json_;
  bool packet_events_ = false;
};

}  // namespace postcard::wasm
