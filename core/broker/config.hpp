#pragma once
// Every limit and switch of the broker engine. Defaults follow Mosquitto 2 where it has the setting.
#include <cstdint>
#include <string>

#include "codec/reason_codes.hpp"

namespace postcard::broker {

// Where CONNECT is redirected (v5 only: CONNACK 0x9C / 0x9D with a Server Reference).
enum class redirect_mode : std::uint8_t { none = 0, use_another_server = 0x9C, server_moved = 0x9D };

struct config {
  // --- connections
  std::uint32_t max_connections = 0;            // 0 = unlimited; refusal: CONNACK 0x97 (v5) / 3 (3.x)
  std::uint32_t connect_timeout_ms = 10'000;    // time allowed between open() and CONNECT
  std::uint32_t max_packet_size = 0;            // 0 = unlimited (protocol maximum); refusal: 0x95
  // Largest PUBLISH payload accepted (Mosquitto's message_size_limit); 0 = unlimited. A larger one is not
  // routed: QoS 0 is dropped, QoS 1/2 get PUBACK/PUBREC 0x95 (v5; a plain ack in 3.x), the client stays.
  std::uint32_t max_payload_size = 0;
  std::uint16_t max_keepalive = 65535;          // seconds; a larger request gets Server Keep Alive (v5)
  bool allow_zero_length_clientid = true;       // an empty client id gets an assigned one
  std::string auto_id_prefix = "auto-";         // prefix of assigned client identifiers
  // --- QoS and flow control
  std::uint16_t max_inflight_messages = 20;     // outgoing QoS 1/2 in flight per client; also our Receive Maximum
  std::uint64_t max_inflight_bytes = 0;         // 0 = unlimited
  std::uint32_t max_queued_messages = 1000;     // per session, beyond the inflight window; 0 = unlimited
  std::uint64_t max_queued_bytes = 0;           // per session; 0 = unlimited
  bool queue_qos0_messages = false;             // queue QoS 0 for offline persistent sessions (Mosquitto)
  std::uint8_t max_qos = 2;                     // Maximum QoS announced; a higher PUBLISH gets 0x9B
  bool upgrade_outgoing_qos = false;            // deliver at the subscription's QoS even if published lower
  // --- features announced in CONNACK (v5)
  bool retain_available = true;                 // retained PUBLISH refused with 0x9A when false
  bool wildcard_subscription_available = true;  // 0xA2 when false
  bool subscription_identifier_available = true;  // 0xA1 when false
  bool shared_subscription_available = true;    // 0x9E when false
  std::uint16_t max_topic_alias = 10;           // inbound Topic Alias Maximum; 0 = none
  bool check_retain_source = false;             // re-check publish authorization when delivering retained
  // --- sessions
  std::uint32_t persistent_client_expiration = 0;  // seconds for 3.x persistent sessions; 0 = never
  std::uint32_t max_session_expiry_interval = 0xFFFFFFFF;  // clamp for v5 session expiry (seconds)
  // --- $SYS
  std::uint32_t sys_interval = 10;              // seconds; 0 = no $SYS topics
  std::string version = "postcard 0.1.0";       // $SYS/broker/version
  // --- redirection
  redirect_mode redirect = redirect_mode::none;
  std::string server_reference;                 // sent with 0x9C / 0x9D
};

}  // namespace postcard::broker
