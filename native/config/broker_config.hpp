#pragma once
// The native broker's configuration as plain data: what a mosquitto.conf file (and the command line)
// says, with every default applied and every path made absolute. The network host builds its
// listeners, TLS contexts, security objects and the engine's config from this and nothing else.
//
// Defaults and meanings are Mosquitto 2.0's (mosquitto.conf(5)) unless a comment says otherwise.
// Postcard's own directives (not in Mosquitto):
//   scram_file PATH            SCRAM-SHA-256 credentials (see native/security/scram_file.hpp); a
//                              security option like password_file (per listener when
//                              per_listener_settings is true)
//   acl_subscribe_check BOOL   false (default, as Mosquitto 2.0): a SUBSCRIBE is granted whatever the
//                              acl_file says and each delivery is checked for read access; true: the
//                              filter itself must be covered by a read rule (SUBACK 0x87 otherwise)
//   metrics BOOL               per listener: serve GET /metrics on a websockets listener (default true)
//   io_threads N               threads running the network host, 1..64 (default 1)
// `http_dir` is Mosquitto's: the directory served over HTTP on websockets listeners (Postcard's web app).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace postcard::native {

enum class listener_protocol : std::uint8_t { mqtt, websockets };
enum class socket_domain : std::uint8_t { any, ipv4, ipv6 };  // any = both where available
enum class tls_min_version : std::uint8_t { tls1_2, tls1_3 };  // Postcard never accepts TLS < 1.2

// Options Mosquitto keeps per listener when per_listener_settings is true, else once for the broker.
struct security_options {
  bool allow_anonymous = false;          // resolved: true only in local-only mode unless configured
  bool allow_anonymous_set = false;      // the configuration said it explicitly
  std::string password_file;             // empty = none
  std::string acl_file;                  // empty = none (everything allowed)
  std::string scram_file;                // Postcard: empty = no SCRAM-SHA-256 enhanced authentication
  bool acl_subscribe_check = false;      // Postcard, see the file comment
  bool allow_zero_length_clientid = true;
  std::string auto_id_prefix = "auto-";
};

struct tls_options {
  std::string cafile, capath, certfile, keyfile, crlfile, dhparamfile;
  std::string ciphers;                   // TLS <= 1.2 cipher list (OpenSSL syntax); empty = OpenSSL's
  std::string ciphers_tls13;             // TLS 1.3 cipher suites; empty = OpenSSL's
  tls_min_version min_version = tls_min_version::tls1_2;
  bool require_certificate = false;
  bool use_identity_as_username = false;  // the client certificate's CN becomes the username
  bool use_subject_as_username = false;   // the whole subject becomes the username
  bool enabled() const { return !certfile.empty(); }  // the parser guarantees keyfile with certfile
};

struct listener_config {
  std::uint16_t port = 1883;
  std::string bind_address;              // empty = all interfaces (per socket_domain)
  std::string bind_interface;            // empty = any
  listener_protocol protocol = listener_protocol::mqtt;
  socket_domain domain = socket_domain::any;
  std::int32_t max_connections = -1;     // -1 = unlimited
  std::uint8_t max_qos = 2;
  std::uint16_t max_topic_alias = 10;
  std::string mount_point;               // prefix added to every topic of this listener's clients
  bool use_username_as_clientid = false;
  std::string http_dir;                  // websockets listeners: static files served over HTTP
  bool metrics = true;                   // Postcard: GET /metrics on websockets listeners
  tls_options tls;
  security_options security;             // effective options: a copy of the global ones unless
                                         // per_listener_settings is true
  std::string source;                    // "file:line" of its `listener` line, or "default listener"
};

enum log_destination : std::uint8_t {
  log_to_none = 0, log_to_stdout = 1, log_to_stderr = 2, log_to_syslog = 4, log_to_topic = 8,
  log_to_file = 16, log_to_dlt = 32,
};
enum log_category : std::uint16_t {
  log_none = 0, log_error = 1, log_warning = 2, log_notice = 4, log_information = 8, log_debug = 16,
  log_subscribe = 32, log_unsubscribe = 64, log_websockets = 128, log_all = 0xFF,
};

struct logging_options {
  std::uint8_t destinations = log_to_stderr;
  std::uint16_t types = log_error | log_warning | log_notice | log_information;
  std::string file;                      // with log_to_file
  bool timestamp = true;
  std::string timestamp_format;          // strftime format; empty = seconds since the epoch
  std::uint8_t syslog_facility = 0;      // log_facility N = localN; 0 with facility_set false = daemon
  bool facility_set = false;
  bool connection_messages = true;
  std::uint32_t websockets_log_level = 0;  // accepted for compatibility
};

struct broker_config {
  bool per_listener_settings = false;
  bool local_only = false;               // no listener configured: loopback listeners, anonymous allowed
  security_options security;             // the global security options
  std::vector<listener_config> listeners;

  // Limits (applied globally in Mosquitto 2.0).
  std::uint16_t max_inflight_messages = 20;   // 0 = no limit
  std::uint64_t max_inflight_bytes = 0;       // 0 = no limit
  std::uint32_t max_queued_messages = 1000;   // 0 = no limit
  std::uint64_t max_queued_bytes = 0;         // 0 = no limit
  std::uint32_t message_size_limit = 0;       // payload bytes, 0 = no limit
  std::uint32_t max_packet_size = 0;          // 0 = no limit, else 20..268435460
  std::uint16_t max_keepalive = 65535;
  std::uint64_t memory_limit = 0;             // 0 = no limit
  std::uint32_t websockets_headers_size = 0;  // 0 = default (1024)
  // Postcard (no Mosquitto equivalent): unwritten bytes per connection above which the connection is
  // congested (QoS 0 dropped, QoS 1/2 queued); drained at a quarter of it. 0 = never congested.
  std::uint64_t max_outgoing_bytes = 256 * 1024;
  std::uint32_t connect_timeout = 10;         // Postcard: seconds for the TLS/WebSocket handshake and CONNECT

  bool retain_available = true;
  bool check_retain_source = true;
  bool upgrade_outgoing_qos = false;
  bool queue_qos0_messages = false;
  bool set_tcp_nodelay = false;
  std::optional<std::uint64_t> persistent_client_expiration;  // seconds; none = never
  std::string clientid_prefixes;              // deprecated in Mosquitto; empty = any client id

  bool persistence = false;
  std::string persistence_location;           // directory; empty = working directory
  std::string persistence_file = "postcard.db";  // Postcard: not Mosquitto's mosquitto.db, whose
                                                 // format differs; set it explicitly to share a path
  std::uint32_t autosave_interval = 1800;     // seconds (or changes with autosave_on_changes)
  bool autosave_on_changes = false;
  std::uint32_t sys_interval = 10;            // seconds, 0 = no $SYS

  logging_options log;
  std::string pid_file;
  std::string user = "mosquitto";             // switched to when started as root
  std::uint32_t io_threads = 1;               // Postcard

  bool verbose = false;                       // -v: log_type all
  bool daemon = false;                        // -d
  std::vector<std::string> files;             // the main file, then included files with directives
};

}  // namespace postcard::native
