// The module's JavaScript surface: two long-lived classes, Broker and Client (see their headers).
#include <emscripten/bind.h>

#include "broker_binding.hpp"
#include "client_binding.hpp"

using postcard::wasm::broker_host;
using postcard::wasm::client_host;

EMSCRIPTEN_BINDINGS(postcard) {
  emscripten::class_<broker_host>("Broker")
      .constructor<emscripten::val>()
      .function("open", &broker_host::open)
      .function("receive", &broker_host::receive)
      .function("closed", &broker_host::closed)
      .function("tick", &broker_host::tick)
      .function("nextDeadline", &broker_host::next_deadline)
      .function("take", &broker_host::take)
      .function("setEventMask", &broker_host::set_event_mask)
      .function("setHooks", &broker_host::set_hooks)
      .function("publish", &broker_host::publish)
      .function("disconnect", &broker_host::disconnect)
      .function("removeSession", &broker_host::remove_session)
      .function("shutdown", &broker_host::shutdown)
      .function("stats", &broker_host::stats)
      .function("sessions", &broker_host::sessions)
      .function("subscriptions", &broker_host::subscriptions)
      .function("retained", &broker_host::retained)
      .function("save", &broker_host::save)
      .function("restore", &broker_host::restore)
      .function("setDurableChanges", &broker_host::set_durable_changes);

  emscripten::class_<client_host>("Client")
      .constructor<emscripten::val>()
      .function("opened", &client_host::opened)
      .function("receive", &client_host::receive)
      .function("closed", &client_host::closed)
      .function("tick", &client_host::tick)
      .function("nextDeadline", &client_host::next_deadline)
      .function("take", &client_host::take)
      .function("publish", &client_host::publish)
      .function("subscribe", &client_host::subscribe)
      .function("unsubscribe", &client_host::unsubscribe)
      .function("end", &client_host::end)
      .function("auth", &client_host::auth)
      .function("reauthenticate", &client_host::reauthenticate)
      .function("setPacketEvents", &client_host::set_packet_events)
      .function("state", &client_host::state)
      .function("inflight", &client_host::inflight)
      .function("queued", &client_host::queued)
      .function("negotiated", &client_host::negotiated);
}
