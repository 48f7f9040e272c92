#pragma once
// The native network layer: listeners for MQTT over TCP, TLS, WebSocket and WSS (plus HTTP on the
// WebSocket listeners), one timer, and signals, all on one Asio io_context thread. It knows nothing of
// MQTT: bytes in go to a network_handler, bytes out come from send(). Boost stays behind this header
// (pimpl), so only network.cpp pays Beast's compile cost.
//
// Writes: send() appends to the connection's pending buffer; one write is in flight per connection and
// everything queued meanwhile goes out as the next single write. close() flushes what is queued first.
// Backpressure: a connection whose unwritten bytes cross the high-water mark is reported congested
// (on_congestion(conn, true)), and drained once a write leaves them at the low-water mark
// (see outbound_buffer.hpp); bytes handed to send() are never dropped while the connection lives.
// on_closed() is called exactly once per opened connection, whoever closed it.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "codec/types.hpp"
#include "net/outbound_buffer.hpp"

namespace postcard::native {

struct tls_settings {
  std::string certfile;
  std::string keyfile;
  std::string cafile;
  std::string capath;
  bool require_certificate = false;
  std::string tls_version;  // "" (1.2 or newer), "tlsv1.2", "tlsv1.3"
  std::string ciphers;      // OpenSSL cipher list for TLS 1.2, "" = OpenSSL's default
};

struct listener_settings {
  std::string name;          // e.g. "mqtt:1883" or "ws:8080", used in logs and metrics
  std::string bind_address;  // "" = every address (IPv6 and IPv4)
  std::uint16_t port = 1883;
  bool websocket = false;   // MQTT over WebSocket (and HTTP) instead of MQTT over TCP
  bool ipv4_only = false;  // socket_domain ipv4
  bool ipv6_only = false;  // socket_domain ipv6
  bool tls = false;
  tls_settings tls_options;
  std::string http_dir;       // WebSocket listeners: directory of the web app served over HTTP, "" = none
  std::uint32_t max_message_size = 0;  // WebSocket frame/message limit, 0 = Beast's default
};

struct connection_meta {
  std::string remote_address;  // "127.0.0.1:50432"
  std::size_t listener_index = 0;
  std::string listener_name;
  bool websocket = false;
  bool tls = false;
  std::string tls_identity;  // client certificate subject CN, when one was presented and verified
};

// Implemented by the broker host. Every call is made on the network thread.
class network_handler {
 public:
  virtual ~network_handler() = default;
  virtual void on_open(std::uint32_t conn, const connection_meta& meta) = 0;
  virtual void on_data(std::uint32_t conn, bytes_view data) = 0;
  virtual void on_closed(std::uint32_t conn) = 0;
  // The connection's outbound bytes crossed the high-water mark (true) or drained to the low-water mark
  // (false). May be called from inside send(): the handler must not re-enter its engine from there.
  virtual void on_congestion(std::uint32_t /*conn*/, bool /*congested*/) {}
  virtual void on_timer() = 0;
  virtual void on_signal(int signal_number) = 0;
  // GET /metrics on a WebSocket listener (Prometheus text format).
  virtual std::string metrics_text() = 0;
};

class network {
 public:
  explicit network(network_handler& handler);
  ~network();
  network(const network&) = delete;
  network& operator=(const network&) = delete;

  // Opens every listener (binding happens here, so errors surface before run()). Returns "" or an error
  // naming the listener and the cause (port in use, certificate unreadable, ...).
  std::string listen(const std::vector<listener_settings>& listeners);
  // Reloads TLS certificates of every TLS listener (SIGHUP). Returns "" or an error.
  std::string reload_tls();
  // The ports actually bound (listen on port 0 picks a free one), in listener order.
  std::vector<std::uint16_t> bound_ports() const;

  // Before listen(): outbound marks for every connection, and how long a TLS handshake or the HTTP phase
  // of a WebSocket connection may take (default 10 s).
  void set_outbound_limits(const outbound_limits& limits);
  void set_handshake_timeout(std::uint32_t ms);

  void send(std::uint32_t conn, bytes_view bytes);
  void close(std::uint32_t conn);      // after queued bytes are written
  void arm_timer(std::int64_t at_ms);  // on_timer() at that time (steady clock), replacing the previous
  void watch_signals(const std::vector<int>& signals);
  void close_all();  // every connection, after its queued bytes
  void stop_accepting();
  void run();   // until stop()
  void stop();

  // Connections still open (WebSocket ones in their HTTP phase included). Ids are small and reused.
  std::size_t connection_count() const;
  // The one place the host reads the clock: milliseconds of std::chrono::steady_clock.
  static std::int64_t now_ms();

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace postcard::native
