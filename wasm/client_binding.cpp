#include "client_binding.hpp"

#include <variant>

#include "codec/codec.hpp"
#include "from_js.hpp"
#include "to_json.hpp"

namespace postcard::wasm {
namespace {

client::options options_from(const val& o) {
  client::options opts;
  opts.protocol = static_cast<protocol_version>(static_cast<int>(number_or(o, "protocolVersion", 4)));
  opts.client_id = string_or(o, "clientId", "");
  opts.clean = bool_or(o, "clean", true);
  opts.keepalive = static_cast<std::uint16_t>(number_or(o, "keepalive", 60));
  if (has(o, "username")) opts.username = o["username"].as<std::string>();
  if (has(o, "password")) opts.password = bytes_of(o["password"]);
  if (has(o, "will")) {
    const val w = o["will"];
    client::will_options will;
    will.topic = string_or(w, "topic", "");
    if (has(w, "payload")) will.payload = bytes_of(w["payload"]);
    will.qos_level = static_cast<qos>(static_cast<int>(number_or(w, "qos", 0)));
    will.retain = bool_or(w, "retain", false);
    will.properties = properties_from(w["properties"]);
    opts.will = std::move(will);
  }
  opts.properties = properties_from(o["properties"]);
  opts.resubscribe = bool_or(o, "resubscribe", true);
  opts.queue_qos_zero = bool_or(o, "queueQoSZero", true);
  opts.auto_use_topic_alias = bool_or(o, "autoUseTopicAlias", false);
  opts.auto_assign_topic_alias = bool_or(o, "autoAssignTopicAlias", false);
  opts.reschedule_pings = bool_or(o, "reschedulePings", true);
  opts.reconnect.period_ms = static_cast<std::uint32_t>(number_or(o, "reconnectPeriod", 1000));
  opts.reconnect.multiplier_percent = static_cast<std::uint32_t>(number_or(o, "reconnectMultiplierPercent", 100));
  opts.reconnect.max_period_ms = static_cast<std::uint32_t>(number_or(o, "reconnectMaxPeriod", 60'000));
  opts.reconnect.jitter_percent = static_cast<std::uint32_t>(number_or(o, "reconnectJitterPercent", 0));
  opts.reconnect.jitter_seed = static_cast<std::uint64_t>(number_or(o, "reconnectJitterSeed", 0));
  opts.reconnect.max_attempts = static_cast<std::uint32_t>(number_or(o, "reconnectMaxAttempts", 0));
  opts.connect_timeout_ms = static_cast<std::uint32_t>(number_or(o, "connectTimeout", 30'000));
  opts.ping_timeout_ms = static_cast<std::uint32_t>(number_or(o, "pingTimeout", 0));
  opts.offline_queue_limit = static_cast<std::size_t>(number_or(o, "offlineQueueLimit", 0));
  opts.packet_events = true;
  return opts;
}

std::string_view cause_name(client::close_cause c) {
  switch (c) {
    case client::close_cause::transport_closed: return "transport_closed";
    case client::close_cause::client_disconnect: return "client_disconnect";
    case client::close_cause::server_disconnect: return "server_disconnect";
    case client::close_cause::connect_refused: return "connect_refused";
    case client::close_cause::protocol_error: return "protocol_error";
    case client::close_cause::keepalive_timeout: return "keepalive_timeout";
    case client::close_cause::connect_timeout: return "connect_timeout";
  }
  return "unknown";
}

std::uint64_t n(auto v) { return static_cast<std::uint64_t>(v); }

void codes(json_writer& w, const std::vector<reason_code>& reasons) {
  w.key("granted");
  w.open_array();
  for (auto r : reasons) {
    w.element();
    w.num(n(r));
  }
  w.close_array();
}

void props(json_writer& w, const client::property_set& p) {
  if (p.empty()) return;
  w.key("properties");
  properties_object(w, p.view());
}

}  // namespace

client_host::client_host(val opts) : engine_(options_from(opts)) {}

val client_host::take() {
  if (batch_.empty()) return val::undefined();
  const auto& data = batch_.data();
  val out = val(emscripten::typed_memory_view(data.size(), data.data())).call<val>("slice");
  batch_.clear();
  return out;
}

void client_host::pack() {
  engine_.drain(out_);
  if (!out_.bytes.empty()) {
    batch_.tag(record_tag::send);
    batch_.u32(0);
    batch_.blob(out_.bytes);
  }
  if (out_.close) {
    batch_.tag(record_tag::close);
    batch_.u32(0);
    batch_.u32(0);
  }
  for (const auto& e : out_.events) pack_event(e);
}

void client_host::pack_event(const client::event& ev) {
  if (const auto* m = std::get_if<client::message_event>(&ev)) {
    batch_.tag(record_tag::message);
    batch_.u8(static_cast<std::uint8_t>(static_cast<unsigned>(m->qos_level) | (m->retain ? 4u : 0u) |
                                        (m->dup ? 8u : 0u)));
    batch_.u16(m->packet_id);
    batch_.blob(std::string_view{m->topic});
    batch_.blob(m->payload);
    json_.clear();
    if (!m->properties.empty()) {
      json_writer w{json_};
      properties_object(w, m->properties.view());
    }
    batch_.blob(std::string_view{json_});
    return;
  }
  if (const auto* c = std::get_if<client::publish_completed_event>(&ev)) {
    // The hot completion path (every publish): binary, no JSON unless it carries properties.
    batch_.tag(record_tag::published);
    batch_.u32(c->token);
    batch_.u16(c->packet_id);
    batch_.u8(static_cast<std::uint8_t>(c->qos_level));
    batch_.u8(static_cast<std::uint8_t>(c->reason));
    batch_.u8(c->session_lost ? 1 : 0);
    json_.clear();
    if (!c->properties.empty()) {
      json_writer w{json_};
      properties_object(w, c->properties.view());
    }
    batch_.blob(std::string_view{json_});
    return;
  }
  const bool is_packet =
      std::holds_alternative<client::packet_sent_event>(ev) || std::holds_alternative<client::packet_received_event>(ev);
  if (is_packet && !packet_events_) return;

  json_.clear();
  json_writer w{json_};
  bytes_view attachment;
  w.open();
  std::visit(
      [&](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, client::connected_event>) {
          w.field("type", "connect");
          w.key("packet");
          w.open();
          w.field("cmd", "connack");
          w.field_bool("sessionPresent", e.session_present);
          w.field("returnCode", n(e.reason));
          w.field("reasonCode", n(e.reason));
          props(w, e.properties);
          w.close();
        } else if constexpr (std::is_same_v<T, client::connect_failed_event>) {
          w.field("type", "connect_failed");
          w.field("reasonCode", n(e.reason));
          if (e.server_reference) w.field("serverReference", *e.server_reference);
          props(w, e.properties);
        } else if constexpr (std::is_same_v<T, client::publish_completed_event>) {
          w.field("type", "published");
          w.field("token", n(e.token));
          w.field("messageId", n(e.packet_id));
          w.field("qos", n(e.qos_level));
          w.field("reasonCode", n(e.reason));
          w.field_bool("sessionLost", e.session_lost);
          props(w, e.properties);
        } else if constexpr (std::is_same_v<T, client::subscribed_event>) {
          w.field("type", "subscribed");
          w.field("token", n(e.token));
          w.field("messageId", n(e.packet_id));
          codes(w, e.reasons);
          w.field_bool("resubscribe", e.resubscribe);
          props(w, e.properties);
        } else if constexpr (std::is_same_v<T, client::unsubscribed_event>) {
          w.field("type", "unsubscribed");
          w.field("token", n(e.token));
          w.field("messageId", n(e.packet_id));
          codes(w, e.reasons);
          props(w, e.properties);
        } else if constexpr (std::is_same_v<T, client::auth_challenge_event>) {
          w.field("type", "auth");
          w.field("reasonCode", n(e.reason));
          props(w, e.properties);
        } else if constexpr (std::is_same_v<T, client::server_disconnect_event>) {
          w.field("type", "disconnect");
          w.key("packet");
          w.open();
          w.field("cmd", "disconnect");
          w.field("reasonCode", n(e.reason));
          props(w, e.properties);
          w.close();
          if (e.server_reference) w.field("serverReference", *e.server_reference);
        } else if constexpr (std::is_same_v<T, client::protocol_error_event>) {
          w.field("type", "protocol_error");
          w.field("error", describe(e.error));
          w.field("reasonCode", n(e.reason));
          w.field("description", e.description);
        } else if constexpr (std::is_same_v<T, client::keepalive_timeout_event>) {
          w.field("type", "keepalive_timeout");
        } else if constexpr (std::is_same_v<T, client::connect_timeout_event>) {
          w.field("type", "connect_timeout");
        } else if constexpr (std::is_same_v<T, client::offline_event>) {
          w.field("type", "offline");
          w.field("cause", cause_name(e.cause));
          if (e.reconnect_at_ms) w.field("reconnectAt", *e.reconnect_at_ms);
        } else if constexpr (std::is_same_v<T, client::reconnect_due_event>) {
          w.field("type", "reconnect");
          w.field("attempt", n(e.attempt));
        } else if constexpr (std::is_same_v<T, client::packet_sent_event> ||
                             std::is_same_v<T, client::packet_received_event>) {
          w.field("type", std::is_same_v<T, client::packet_sent_event> ? "packetsend" : "packetreceive");
          packet decoded;
          if (client::decode_packet_event(e, engine_.config().protocol, decoded) == codec_error::ok) {
            w.key("packet");
            packet_json(w, decoded, attachment);
          } else {
            w.field("packetType", n(e.type));
          }
        }
      },
      ev);
  w.close();
  batch_.tag(record_tag::event);
  batch_.blob(std::string_view{json_});
  batch_.blob(attachment);
}

val client_host::opened(double now) {
  engine_.connection_opened(to_time(now));
  pack();
  return take();
}

val client_host::receive(const std::string& bytes, double now) {
  engine_.receive(as_bytes(bytes), to_time(now));
  pack();
  return take();
}

val client_host::closed(double now) {
  engine_.connection_closed(to_time(now));
  pack();
  return take();
}

val client_host::tick(double now) {
  engine_.tick(to_time(now));
  pack();
  return take();
}

double client_host::next_deadline() const {
  const auto d = engine_.next_deadline();
  return d ? static_cast<double>(*d) : -1.0;
}

double client_host::result(const client::command_result& r) {
  pack();
  if (r.error != client::client_error::ok) return -static_cast<double>(r.error);
  return static_cast<double>(r.token);
}

double client_host::publish(const std::string& topic, const std::string& payload, int qos_level, bool retain,
                            bool dup, val properties, double now) {
  client::publish_options o;
  o.qos_level = static_cast<qos>(qos_level);
  o.retain = retain;
  o.dup = dup;
  if (!properties.isUndefined()) o.properties = properties_from(properties);
  return result(engine_.publish(topic, as_bytes(payload), o, to_time(now)));
}

double client_host::subscribe(val topics, val properties, double now) {
  std::vector<client::subscription> subs;
  const auto count = topics["length"].as<unsigned>();
  subs.reserve(count);
  for (unsigned i = 0; i < count; ++i) {
    const val t = topics[i];
    client::subscription s;
    s.filter = t["topic"].as<std::string>();
    s.max_qos = static_cast<qos>(static_cast<int>(number_or(t, "qos", 0)));
    s.no_local = bool_or(t, "nl", false);
    s.retain_as_published = bool_or(t, "rap", false);
    s.handling = static_cast<retain_handling>(static_cast<int>(number_or(t, "rh", 0)));
    subs.push_back(std::move(s));
  }
  return result(engine_.subscribe(subs, properties_from(properties), to_time(now)));
}

double client_host::unsubscribe(val filters, val properties, double now) {
  std::vector<std::string> list;
  const auto count = filters["length"].as<unsigned>();
  for (unsigned i = 0; i < count; ++i) list.push_back(filters[i].as<std::string>());
  return result(engine_.unsubscribe(list, properties_from(properties), to_time(now)));
}

int client_host::end(int reason, val properties, double now) {
  const auto e = engine_.disconnect(static_cast<reason_code>(reason), properties_from(properties), to_time(now));
  pack();
  return -static_cast<int>(e);
}

int client_host::auth(const std::string& data, val properties, double now) {
  const auto e = engine_.auth(as_bytes(data), to_time(now), properties_from(properties));
  pack();
  return -static_cast<int>(e);
}

int client_host::reauthenticate(const std::string& data, val properties, double now) {
  const auto e = engine_.reauthenticate(as_bytes(data), to_time(now), properties_from(properties));
  pack();
  return -static_cast<int>(e);
}

val client_host::negotiated() const {
  const auto& s = engine_.negotiated();
  val o = val::object();
  o.set("keepalive", static_cast<int>(s.keepalive));
  o.set("receiveMaximum", static_cast<int>(s.receive_maximum));
  o.set("maximumPacketSize", static_cast<double>(s.maximum_packet_size));
  o.set("topicAliasMaximum", static_cast<int>(s.topic_alias_maximum));
  o.set("maximumQoS", static_cast<int>(s.maximum_qos));
  o.set("retainAvailable", s.retain_available);
  o.set("clientId", s.client_id);
  return o;
}

}  // namespace postcard::wasm
