#pragma once
// The broker engine as one long-lived JavaScript class (`Broker` in the module). Every transport input
// returns the packed batch of outputs it produced (see batch.hpp), or undefined when there is none;
// admin commands return a result code and leave their outputs for take().
// Hooks: an optional JS object { authenticate(clientId, username, password) -> reason code,
// authorizePublish(clientId, topic, qos, retain) -> reason code, authorizeSubscribe(clientId, filter, qos)
// -> reason code }, called synchronously while an input is processed.
#include <emscripten/val.h>

#include <cstdint>
#include <memory>
#include <string>

#include "batch.hpp"
#include "broker/engine.hpp"

namespace postcard::wasm {

using emscripten::val;

class broker_host final : public broker::output_sink, public broker::hooks {
 public:
  explicit broker_host(val cfg);

  val open(std::uint32_t conn, const std::string& remote_address, const std::string& listener, double now);
  val receive(std::uint32_t conn, const std::string& bytes, double now);
  val closed(std::uint32_t conn, double now);
  val tick(double now);
  double next_deadline() const;  // -1: none
  val take();

  void set_event_mask(std::uint32_t mask) { mask_ = mask; }
  void set_hooks(val h);

  int publish(const std::string& topic, const std::string& payload, int qos, bool retain, val props, double now);
  int disconnect(const std::string& client_id, int reason, double now);
  int remove_session(const std::string& client_id, double now);
  void shutdown(double now);

  val stats(double now) const;
  val sessions() const;
  val subscriptions() const;
  val retained() const;

  // Durable state (durable_binding.cpp): save() / restore() in the record format, change records on request.
  val save(double now) const;
  val restore(const std::string& bytes, val sizes, double now);
  void set_durable_changes(bool on) { durable_on_ = on; }

  // output_sink
  void send(broker::connection_id conn, bytes_view bytes) override;
  void close(broker::connection_id conn, broker::disconnect_cause cause) override;
  void event(const broker::event& e) override;
  std::uint32_t event_mask() const override { return mask_; }
  void durable(const broker::durable_change& change) override;
  bool wants_durable_changes() const override { return durable_on_; }
  // hooks
  reason_code authenticate(const broker::auth_request& r) override;
  reason_code authorize_publish(const broker::client_info& c, std::string_view topic, std::uint8_t qos,
                                bool retain) override;
  reason_code authorize_subscribe(const broker::client_info& c, std::string_view filter, std::uint8_t qos) override;

 private:
  batch_writer batch_;
  std::string json_;
  std::uint32_t mask_ = 0;
  val hooks_ = val::undefined();
  bool has_authenticate_ = false, has_authorize_publish_ = false, has_authorize_subscribe_ = false;
  val take_with_durable();
  std::string durable_;  // framed change records of the current input
  bool durable_on_ = false;
  std::unique_ptr<broker::engine> engine_;
};

}  // namespace postcard::wasm
