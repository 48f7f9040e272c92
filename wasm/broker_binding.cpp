#include "broker_binding.hpp"

#include <string_view>

#include "from_js.hpp"
#include "to_json.hpp"

namespace postcard::wasm {
namespace {

broker::config config_from(const val& c) {
  broker::config cfg;
  auto u32 = [&](const char* key, std::uint32_t fallback) {
    return static_cast<std::uint32_t>(number_or(c, key, fallback));
  };
  cfg.max_connections = u32("maxConnections", cfg.max_connections);
  cfg.connect_timeout_ms = u32("connectTimeout", cfg.connect_timeout_ms);
  cfg.max_packet_size = u32("maxPacketSize", cfg.max_packet_size);
  cfg.max_keepalive = static_cast<std::uint16_t>(u32("maxKeepalive", cfg.max_keepalive));
  cfg.allow_zero_length_clientid = bool_or(c, "allowZeroLengthClientId", cfg.allow_zero_length_clientid);
  cfg.auto_id_prefix = string_or(c, "autoIdPrefix", cfg.auto_id_prefix);
  cfg.max_inflight_messages = static_cast<std::uint16_t>(u32("maxInflightMessages", cfg.max_inflight_messages));
  cfg.max_queued_messages = u32("maxQueuedMessages", cfg.max_queued_messages);
  cfg.queue_qos0_messages = bool_or(c, "queueQos0Messages", cfg.queue_qos0_messages);
  cfg.max_qos = static_cast<std::uint8_t>(u32("maxQos", cfg.max_qos));
  cfg.upgrade_outgoing_qos = bool_or(c, "upgradeOutgoingQos", cfg.upgrade_outgoing_qos);
  cfg.retain_available = bool_or(c, "retainAvailable", cfg.retain_available);
  cfg.wildcard_subscription_available =
      bool_or(c, "wildcardSubscriptionAvailable", cfg.wildcard_subscription_available);
  cfg.subscription_identifier_available =
      bool_or(c, "subscriptionIdentifierAvailable", cfg.subscription_identifier_available);
  cfg.shared_subscription_available = bool_or(c, "sharedSubscriptionAvailable", cfg.shared_subscription_available);
  cfg.max_topic_alias = static_cast<std::uint16_t>(u32("maxTopicAlias", cfg.max_topic_alias));
  cfg.persistent_client_expiration = u32("persistentClientExpiration", cfg.persistent_client_expiration);
  cfg.max_session_expiry_interval = u32("maxSessionExpiryInterval", cfg.max_session_expiry_interval);
  cfg.sys_interval = u32("sysInterval", 0);  // in-tab brokers publish no $SYS unless asked
  cfg.version = string_or(c, "version", cfg.version);
  return cfg;
}

std::string_view kind_name(broker::event_kind k) {
  switch (k) {
    case broker::event_kind::packet_in: return "packetIn";
    case broker::event_kind::packet_out: return "packetOut";
    case broker::event_kind::connected: return "clientConnected";
    case broker::event_kind::disconnected: return "clientDisconnected";
    case broker::event_kind::will_published: return "willPublished";
    case broker::event_kind::session_expired: return "sessionExpired";
    case broker::event_kind::message_dropped: return "messageDropped";
    case broker::event_kind::subscribed: return "subscribed";
    case broker::event_kind::unsubscribed: return "unsubscribed";
    case broker::event_kind::session_taken_over: return "sessionTakenOver";
  }
  return "unknown";
}

val owning_copy(const std::vector<std::uint8_t>& data) {
  return val(emscripten::typed_memory_view(data.size(), data.data())).call<val>("slice");
}

double as_double(std::uint64_t v) { return static_cast<double>(v); }

}  // namespace

broker_host::broker_host(val cfg) : engine_(std::make_unique<broker::engine>(config_from(cfg), *this, this)) {}

val broker_host::take() {
  if (!durable_.empty()) return take_with_durable();
  if (batch_.empty()) return val::undefined();
  val out = owning_copy(batch_.data());
  batch_.clear();
  return out;
}

val broker_host::open(std::uint32_t conn, const std::string& remote_address, const std::string& listener,
                      double now) {
  broker::connection_info info;
  info.remote_address = remote_address;
  info.listener = listener;
  engine_->open(conn, info, to_time(now));
  return take();
}

val broker_host::receive(std::uint32_t conn, const std::string& bytes, double now) {
  engine_->receive(conn, as_bytes(bytes), to_time(now));
  return take();
}

val broker_host::closed(std::uint32_t conn, double now) {
  engine_->closed(conn, to_time(now));
  return take();
}

val broker_host::tick(double now) {
  engine_->tick(to_time(now));
  return take();
}

double broker_host::next_deadline() const {
  const auto d = engine_->next_deadline();
  return d == broker::no_deadline ? -1.0 : as_double(d);
}

void broker_host::set_hooks(val h) {
  hooks_ = h;
  has_authenticate_ = has(h, "authenticate");
  has_authorize_publish_ = has(h, "authorizePublish");
  has_authorize_subscribe_ = has(h, "authorizeSubscribe");
}

int broker_host::publish(const std::string& topic, const std::string& payload, int qos, bool retain, val props,
                         double now) {
  const auto owned = properties_from(props);
  return static_cast<int>(engine_->publish(topic, as_bytes(payload), static_cast<std::uint8_t>(qos), retain,
                                           owned.view(), to_time(now)));
}

int broker_host::disconnect(const std::string& client_id, int reason, double now) {
  return static_cast<int>(engine_->disconnect(client_id, static_cast<reason_code>(reason), to_time(now)));
}

int broker_host::remove_session(const std::string& client_id, double now) {
  return static_cast<int>(engine_->remove_session(client_id, to_time(now)));
}

void broker_host::shutdown(double now) { engine_->shutdown(to_time(now)); }

val broker_host::stats(double now) const {
  const auto s = engine_->stats(to_time(now));
  val o = val::object();
  o.set("clientsConnected", as_double(s.clients_connected));
  o.set("clientsTotal", as_double(s.clients_total));
  o.set("clientsMaximum", as_double(s.clients_maximum));
  o.set("clientsExpired", as_double(s.clients_expired));
  o.set("messagesReceived", as_double(s.messages_received));
  o.set("messagesSent", as_double(s.messages_sent));
  o.set("publishReceived", as_double(s.publish_received));
  o.set("publishSent", as_double(s.publish_sent));
  o.set("publishDropped", as_double(s.publish_dropped));
  o.set("bytesReceived", as_double(s.bytes_received));
  o.set("bytesSent", as_double(s.bytes_sent));
  o.set("subscriptions", as_double(s.subscriptions));
  o.set("retainedMessages", as_double(s.retained_messages));
  o.set("storedMessages", as_double(s.stored_messages));
  o.set("uptimeMs", as_double(s.uptime_ms));
  return o;
}

val broker_host::sessions() const {
  val list = val::array();
  for (const auto& s : engine_->sessions()) {
    val o = val::object();
    o.set("clientId", s.client_id);
    o.set("connected", s.connected);
    o.set("conn", s.conn);
    o.set("protocolVersion", static_cast<int>(s.version));
    o.set("expiryInterval", as_double(s.expiry_interval));
    o.set("subscriptions", as_double(s.subscriptions));
    o.set("inflight", as_double(s.inflight));
    o.set("queued", as_double(s.queued));
    list.call<void>("push", o);
  }
  return list;
}

val broker_host::subscriptions() const {
  val list = val::array();
  for (const auto& s : engine_->subscriptions()) {
    val o = val::object();
    o.set("clientId", s.client_id);
    o.set("topic", s.filter);
    o.set("qos", static_cast<int>(s.max_qos));
    o.set("identifier", as_double(s.identifier));
    list.call<void>("push", o);
  }
  return list;
}

val broker_host::retained() const {
  val list = val::array();
  for (const auto& r : engine_->retained()) {
    val o = val::object();
    o.set("topic", r.topic);
    o.set("payloadSize", as_double(r.payload_size));
    o.set("qos", static_cast<int>(r.qos));
    list.call<void>("push", o);
  }
  return list;
}

void broker_host::send(broker::connection_id conn, bytes_view bytes) {
  batch_.tag(record_tag::send);
  batch_.u32(conn);
  batch_.blob(bytes);
}

void broker_host::close(broker::connection_id conn, broker::disconnect_cause cause) {
  batch_.tag(record_tag::close);
  batch_.u32(conn);
  batch_.u32(static_cast<std::uint32_t>(cause));
}

void broker_host::event(const broker::event& e) {
  json_.clear();
  json_writer w{json_};
  bytes_view attachment;
  w.open();
  w.field("type", kind_name(e.kind));
  w.field("conn", std::uint64_t{e.conn});
  w.field("clientId", e.client_id);
  switch (e.kind) {
    case broker::event_kind::packet_in:
    case broker::event_kind::packet_out:
      if (e.packet != nullptr) {
        w.key("packet");
        packet_json(w, *e.packet, attachment);
      }
      break;
    case broker::event_kind::connected:
      w.field_bool("sessionPresent", e.session_present);
      break;
    case broker::event_kind::disconnected:
      w.field("cause", to_string(e.cause));
      w.field("reasonCode", static_cast<std::uint64_t>(e.reason));
      break;
    case broker::event_kind::message_dropped:
      w.field("topic", e.topic);
      w.field("reason", to_string(e.drop));
      break;
    case broker::event_kind::subscribed:
      w.field("topic", e.topic);
      w.field("qos", std::uint64_t{e.qos});
      break;
    default:
      if (!e.topic.empty()) w.field("topic", e.topic);
      break;
  }
  w.close();
  batch_.tag(record_tag::event);
  batch_.blob(std::string_view{json_});
  batch_.blob(attachment);
}

namespace {
val optional_string(std::optional<std::string_view> s) {
  return s ? val(std::string{*s}) : val::undefined();
}
reason_code reason_from(const val& r) {
  return (r.isUndefined() || r.isNull()) ? reason_code::success : static_cast<reason_code>(r.as<int>());
}
}  // namespace

reason_code broker_host::authenticate(const broker::auth_request& r) {
  if (!has_authenticate_) return reason_code::success;
  val password = val::undefined();
  if (r.password) password = val(emscripten::typed_memory_view(r.password->size(), r.password->data())).call<val>("slice");
  return reason_from(hooks_.call<val>("authenticate", std::string{r.client.client_id}, optional_string(r.username),
                                      password));
}

reason_code broker_host::authorize_publish(const broker::client_info& c, std::string_view topic, std::uint8_t qos,
                                           bool retain) {
  if (!has_authorize_publish_) return reason_code::success;
  return reason_from(hooks_.call<val>("authorizePublish", std::string{c.client_id}, std::string{topic},
                                      static_cast<int>(qos), retain));
}

reason_code broker_host::authorize_subscribe(const broker::client_info& c, std::string_view filter,
                                             std::uint8_t qos) {
  if (!has_authorize_subscribe_) return reason_code::success;
  return reason_from(hooks_.call<val>("authorizeSubscribe", std::string{c.client_id}, std::string{filter},
                                      static_cast<int>(qos)));
}

}  // namespace postcard::wasm
