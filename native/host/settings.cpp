// broker_config (what mosquitto.conf says) -> the engine's config and the network's listeners.
#include "host/broker_host.hpp"

#include <algorithm>
#include <cstdint>

namespace postcard::native {

broker::config engine_config_of(const broker_config& cfg) {
  broker::config c;
  c.max_packet_size = cfg.max_packet_size;
  c.max_payload_size = cfg.message_size_limit;
  c.max_keepalive = cfg.max_keepalive;
  c.connect_timeout_ms = cfg.connect_timeout * 1000;  // a socket without CONNECT is closed after it
  c.allow_zero_length_clientid = cfg.security.allow_zero_length_clientid;
  c.auto_id_prefix = cfg.security.auto_id_prefix;
  c.max_inflight_messages = cfg.max_inflight_messages == 0 ? 65535 : cfg.max_inflight_messages;
  c.max_inflight_bytes = cfg.max_inflight_bytes;
  c.max_queued_messages = cfg.max_queued_messages;
  c.max_queued_bytes = cfg.max_queued_bytes;
  c.queue_qos0_messages = cfg.queue_qos0_messages;
  c.upgrade_outgoing_qos = cfg.upgrade_outgoing_qos;
  c.retain_available = cfg.retain_available;
  c.check_retain_source = cfg.check_retain_source;
  c.sys_interval = cfg.sys_interval;
  if (cfg.persistent_client_expiration) {
    auto seconds = *cfg.persistent_client_expiration;
    c.persistent_client_expiration = seconds > 0xFFFFFFFEu ? 0xFFFFFFFEu : static_cast<std::uint32_t>(seconds);
  }
  // The engine has one value for what Mosquitto sets per listener: take the most permissive.
  c.max_qos = 0;
  c.max_topic_alias = 0;
  for (const auto& l : cfg.listeners) {
    c.max_qos = std::max(c.max_qos, l.max_qos);
    c.max_topic_alias = std::max(c.max_topic_alias, l.max_topic_alias);
  }
  if (cfg.listeners.empty()) {
    c.max_qos = 2;
    c.max_topic_alias = 10;
  }
  return c;
}

outbound_limits outbound_limits_of(const broker_config& cfg) {
  if (cfg.max_outgoing_bytes == 0) return {SIZE_MAX, SIZE_MAX, SIZE_MAX};
  const std::uint64_t capped = std::min<std::uint64_t>(cfg.max_outgoing_bytes, SIZE_MAX / 4);
  return outbound_limits::from_high_water(static_cast<std::size_t>(capped));
}

std::string describe_listener(const listener_config& l) {
  std::string name = l.protocol == listener_protocol::websockets ? (l.tls.enabled() ? "wss" : "ws")
                                                                 : (l.tls.enabled() ? "mqtts" : "mqtt");
  name += ":";
  if (!l.bind_address.empty()) name += l.bind_address + ":";
  return name + std::to_string(l.port);
}

std::vector<listener_settings> listener_settings_of(const broker_config& cfg) {
  std::vector<listener_settings> out;
  for (const auto& l : cfg.listeners) {
    listener_settings s;
    s.name = describe_listener(l);
    s.bind_address = l.bind_address;
    s.port = l.port;
    s.websocket = l.protocol == listener_protocol::websockets;
    s.ipv4_only = l.domain == socket_domain::ipv4;
    s.ipv6_only = l.domain == socket_domain::ipv6;
    s.tls = l.tls.enabled();
    s.tls_options.certfile = l.tls.certfile;
    s.tls_options.keyfile = l.tls.keyfile;
    s.tls_options.cafile = l.tls.cafile;
    s.tls_options.capath = l.tls.capath;
    s.tls_options.require_certificate = l.tls.require_certificate;
    s.tls_options.tls_version = l.tls.min_version == tls_min_version::tls1_3 ? "tlsv1.3" : "";
    s.tls_options.ciphers = l.tls.ciphers;
    s.http_dir = l.http_dir;
    // WebSocket message bound: room for two packets of the maximum size (a packet a little over the
    // limit still reaches the framer, which answers 0x95); frames are read in 64 KiB chunks anyway.
    if (cfg.max_packet_size != 0) {
      s.max_message_size = static_cast<std::uint32_t>(
          std::min<std::uint64_t>(std::max<std::uint64_t>(std::uint64_t{cfg.max_packet_size} * 2, 64 * 1024), 0xFFFFFFFFu));
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace postcard::native
