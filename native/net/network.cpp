// The only translation unit that includes Boost.Beast: listeners, the four stream stacks (TCP, TLS,
// WebSocket, WebSocket over TLS), HTTP on WebSocket listeners, the timer and signals.
//
// Plain TCP connections own no read buffer: they wait for readability and read into one buffer shared
// by the whole (single-threaded) network, so an idle connection costs only its socket and bookkeeping.
// The engine's framer copies only partial packets. TLS and WebSocket connections read into a buffer of
// their own that is small while idle and grows while reads fill it (read_buffer.hpp), so WebSocket
// messages are read in chunks of at most 64 KiB, whatever the frame size: no message is buffered whole
// before the framer sees its header. Plain WebSocket connections sit on a bare socket (no per-connection
// timers of a Beast tcp_stream) and keep no idle-ping timer: the engine's keep alive is the liveness check,
// as on TCP. The HTTP phase has its own timer, dropped once the connection is open.
//
// Outbound bytes live in an outbound_buffer per connection (high/low-water marks: on_congestion(); over
// its read-pause mark the connection stops reading until it drains). TLS handshakes and the HTTP phase
// of WebSocket connections end after the handshake timeout; the engine times out a missing CONNECT.
#include "net/network.hpp"

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility> (C++20 mode).
#include <utility>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <algorithm>
#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>

#include "net/http_files.hpp"
#include "net/outbound_buffer.hpp"
#include "net/read_buffer.hpp"
#include "net/stream_support.hpp"

namespace postcard::native {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

class connection;

struct network::impl {
  explicit impl(network_handler& h) : handler(h), timer(ioc) {}

  struct listener_state {
    listener_settings settings;
    std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
    std::unique_ptr<ssl::context> tls;
  };

  network_handler& handler;
  asio::io_context ioc{1};
  asio::steady_timer timer;
  std::optional<asio::signal_set> signals;
  std::vector<std::unique_ptr<listener_state>> listeners;
  std::vector<std::shared_ptr<connection>> connections;  // indexed by id (ids are dense: reused)
  std::size_t connection_count = 0;
  std::uint32_t next_id = 1;
  std::vector<std::uint32_t> free_ids;  // ids are reused, so hosts can index tables by them
  std::vector<std::uint8_t> shared_read_buffer = std::vector<std::uint8_t>(64 * 1024);
  bool accepting = true;
  outbound_limits out_limits;
  std::uint32_t handshake_timeout_ms = 10'000;

  std::uint32_t allocate_id() {
    if (!free_ids.empty()) {
      auto id = free_ids.back();
      free_ids.pop_back();
      return id;
    }
    return next_id++;
  }
  connection* find(std::uint32_t id) const { return id < connections.size() ? connections[id].get() : nullptr; }
  void add(std::uint32_t id, std::shared_ptr<connection> c) {
    if (id >= connections.size()) connections.resize(std::size_t{id} + 1);
    connections[id] = std::move(c);
    ++connection_count;
  }
  void release(std::uint32_t id) {
    if (id < connections.size() && connections[id]) {
      connections[id].reset();
      --connection_count;
    }
    free_ids.push_back(id);
  }
  void accept(listener_state& l, tcp::acceptor& acceptor);
  void finished(std::uint32_t id);
};

// One connection, whatever its stream stack. Subclasses implement reading, writing and closing.
class connection : public std::enable_shared_from_this<connection> {
 public:
  connection(network::impl& net, std::uint32_t id, std::size_t listener_index)
      : net_(net), out_(net.out_limits), id_(id), listener_index_(listener_index) {}
  virtual ~connection() = default;
  virtual void start() = 0;

  void send(bytes_view bytes) {
    if (close_requested_ || finished_) return;
    // Never dropped: the engine stops adding PUBLISHes once told the connection is congested
    if (out_.append(bytes) == outbound_buffer::change::congested && opened_) net_.handler.on_congestion(id_, true);
    if (!out_.writing()) flush();
  }
  void close_after_flush() {
    if (close_requested_) return;
    close_requested_ = true;
    if (!out_.writing()) flush();
  }
  std::uint32_t id() const { return id_; }

 protected:
  const listener_settings& listener() const { return net_.listeners[listener_index_]->settings; }
  void opened(connection_meta meta) {
    meta.listener_index = listener_index_;
    meta.listener_name = listener().name;
    opened_ = true;
    net_.handler.on_open(id_, meta);
  }
  void deliver(bytes_view data) {
    if (!close_requested_ && !finished_) net_.handler.on_data(id_, data);
  }
  bool reading_allowed() const { return !close_requested_ && !finished_; }
  // False (and reading stops until the outbound bytes drain) when a peer does not read what it asks for.
  bool keep_reading() {
    if (!reading_allowed()) return false;
    if (out_.reading_paused()) {
      read_paused_ = true;
      return false;
    }
    return true;
  }
  const std::vector<std::uint8_t>& in_flight() const { return out_.in_flight(); }

  void flush() {
    if (out_.writing()) return;
    if (!out_.begin_write()) {
      if (close_requested_) shutdown_stream();
      return;
    }
    write_in_flight();
  }
  void written(const error_code& ec) {
    const auto change = out_.end_write();
    if (ec) return fail();
    if (change == outbound_buffer::change::drained && opened_) net_.handler.on_congestion(id_, false);
    if (finished_) return;
    if (read_paused_ && !out_.reading_paused() && reading_allowed()) {
      read_paused_ = false;
      resume_reading();
    }
    flush();
  }
  // Read error, peer close or our own close: notify the engine once and forget the connection.
  void fail() {
    if (finished_) return;
    close_stream();
    forget();
  }
  // The engine and the host are done with the connection (its id may be reused); the stream may linger.
  void forget() {
    if (finished_) return;
    finished_ = true;
    if (opened_) net_.finished(id_);
    else net_.release(id_);
  }
  std::string remote_of(const tcp::socket& s) const {
    error_code ec;
    auto ep = s.remote_endpoint(ec);
    if (ec) return "unknown";
    auto addr = ep.address().to_string();
    return (ep.address().is_v6() ? "[" + addr + "]" : addr) + ":" + std::to_string(ep.port());
  }

  // Lingering close: after our last bytes, read and discard what the peer still sends (until it closes,
  // at most 2 s), so closing with unread input does not reset the connection and destroy our last
  // packet in flight (a DISCONNECT 0x95 to a client still sending an oversize PUBLISH).
  void linger(tcp::socket& socket) {
    error_code ec;
    socket.shutdown(tcp::socket::shutdown_send, ec);
    socket.non_blocking(true, ec);
    auto timer = std::make_shared<asio::steady_timer>(net_.ioc, std::chrono::seconds(2));
    timer->async_wait([self = shared_from_this(), this, timer](const error_code&) { close_stream(); });
    discard(socket, timer);
    forget();
  }
  void discard(tcp::socket& socket, const std::shared_ptr<asio::steady_timer>& timer) {
    socket.async_wait(tcp::socket::wait_read, [self = shared_from_this(), this, &socket, timer](const error_code& ec) {
      if (ec) return;  // closed
      for (;;) {
        error_code rec;
        socket.read_some(asio::buffer(net_.shared_read_buffer), rec);
        if (rec == asio::error::would_block || rec == asio::error::try_again) break;
        if (rec) return void(timer->cancel());  // the peer closed too (the timer's handler closes)
      }
      discard(socket, timer);
    });
  }

  virtual void write_in_flight() = 0;  // writes in_flight(), then calls written()
  virtual void resume_reading() = 0;   // reading was paused by keep_reading()
  virtual void shutdown_stream() = 0;  // graceful end after the last write
  virtual void close_stream() = 0;     // immediate close

  network::impl& net_;

 private:
  outbound_buffer out_;
  std::uint32_t id_;
  std::size_t listener_index_;
  bool read_paused_ = false;
  bool close_requested_ = false;
  bool finished_ = false;
  bool opened_ = false;
};

void network::impl::finished(std::uint32_t id) {
  if (!find(id)) return;
  auto keep = connections[id];  // the connection may be running one of its own handlers
  handler.on_closed(id);
  release(id);
}

// ---- MQTT over plain TCP -------------------------------------------------------------------------
class tcp_connection final : public connection {
 public:
  tcp_connection(network::impl& net, std::uint32_t id, std::size_t li, tcp::socket s)
      : connection(net, id, li), socket_(std::move(s)) {}
  void start() override {
    error_code ec;
    socket_.non_blocking(true, ec);
    socket_.set_option(tcp::no_delay(true), ec);
    connection_meta meta;
    meta.remote_address = remote_of(socket_);
    opened(std::move(meta));
    wait_readable();
  }

 private:
  void wait_readable() {
    socket_.async_wait(tcp::socket::wait_read, [self = shared_from_this(), this](const error_code& ec) {
      if (ec) return fail();
      for (;;) {
        error_code rec;
        auto& buffer = net_.shared_read_buffer;
        std::size_t n = socket_.read_some(asio::buffer(buffer), rec);
        if (rec == asio::error::would_block || rec == asio::error::try_again) break;
        if (rec) return fail();
        deliver(bytes_view(buffer.data(), n));
        if (!keep_reading()) return;
        if (n < buffer.size()) break;
      }
      wait_readable();
    });
  }
  void write_in_flight() override {
    asio::async_write(socket_, asio::buffer(in_flight()),
                      [self = shared_from_this(), this](const error_code& ec, std::size_t) { written(ec); });
  }
  void resume_reading() override { wait_readable(); }
  void shutdown_stream() override { linger(socket_); }
  void close_stream() override {
    error_code ec;
    socket_.close(ec);
  }
  tcp::socket socket_;
};

// ---- MQTT over TLS --------------------------------------------------------------------------------
class tls_connection final : public connection {
 public:
  tls_connection(network::impl& net, std::uint32_t id, std::size_t li, tcp::socket s, ssl::context& ctx)
      : connection(net, id, li), stream_(std::move(s), ctx), handshake_timer_(net.ioc) {}
  void start() override {
    // A peer that never completes the handshake is closed after the handshake timeout
    handshake_timer_.expires_after(std::chrono::milliseconds(net_.handshake_timeout_ms));
    handshake_timer_.async_wait([self = shared_from_this(), this](const error_code& ec) {
      if (!ec) fail();
    });
    stream_.async_handshake(ssl::stream_base::server, [self = shared_from_this(), this](const error_code& ec) {
      handshake_timer_.cancel();
      if (ec) return fail();
      error_code ignored;
      stream_.lowest_layer().set_option(tcp::no_delay(true), ignored);
      connection_meta meta;
      meta.remote_address = remote_of(stream_.next_layer());
      meta.tls = true;
      meta.tls_identity = common_name_of_peer(stream_.native_handle());
      opened(std::move(meta));
      read();
    });
  }

 private:
  void read() {
    auto into = read_buffer_.prepare();
    stream_.async_read_some(asio::buffer(into.data(), into.size()),
                            [self = shared_from_this(), this](const error_code& ec, std::size_t n) {
                              if (ec) return fail();
                              deliver(read_buffer_.received(n));
                              read_buffer_.adjust(n);
                              if (keep_reading()) read();
                            });
  }
  void write_in_flight() override {
    asio::async_write(stream_, asio::buffer(in_flight()),
                      [self = shared_from_this(), this](const error_code& ec, std::size_t) { written(ec); });
  }
  void resume_reading() override { read(); }
  // No close_notify (the peer may still be sending): end the TCP stream under TLS and linger
  void shutdown_stream() override { linger(stream_.next_layer()); }
  void close_stream() override {
    error_code ec;
    stream_.lowest_layer().close(ec);
  }
  ssl::stream<tcp::socket> stream_;
  asio::steady_timer handshake_timer_;
  read_buffer read_buffer_;
};

// ---- WebSocket (plain or TLS), with HTTP for the web app and /metrics ------------------------------
template <class NextLayer>
class websocket_connection final : public connection {
 public:
  template <class... Args>
  websocket_connection(network::impl& net, std::uint32_t id, std::size_t li, Args&&... args)
      : connection(net, id, li), ws_(std::forward<Args>(args)...) {}

  void start() override {
    error_code ignored;  // without it, small frames wait on Nagle and delayed ACKs
    socket().set_option(tcp::no_delay(true), ignored);
    arm_http_timeout();
    if constexpr (is_tls) {
      ws_.next_layer().async_handshake(ssl::stream_base::server,
                                       [self = shared_from_this(), this](const error_code& ec) {
                                         if (ec) return fail();
                                         read_request();
                                       });
    } else {
      read_request();
    }
  }

 private:
  static constexpr bool is_tls = !std::is_same_v<NextLayer, tcp::socket>;

  tcp::socket& socket() {
    if constexpr (is_tls) return beast::get_lowest_layer(ws_).socket();
    else return ws_.next_layer();
  }
  // The TLS handshake and the HTTP phase end after the handshake timeout (the WebSocket handshake and
  // closing handshake have Beast's own timer); the timer exists during that phase only.
  void arm_http_timeout() {
    if (!http_timer_) http_timer_ = std::make_unique<asio::steady_timer>(net_.ioc);
    http_timer_->expires_after(std::chrono::milliseconds(net_.handshake_timeout_ms));
    http_timer_->async_wait([self = shared_from_this(), this](const error_code& ec) {
      if (!ec) fail();
    });
  }

  void read_request() {
    request_ = std::make_unique<http::request_parser<http::string_body>>();
    request_->body_limit(8 * 1024);
    http::async_read(ws_.next_layer(), http_buffer_, *request_,
                     [self = shared_from_this(), this](const error_code& ec, std::size_t) {
                       if (ec) return fail();
                       if (websocket::is_upgrade(request_->get())) return upgrade();
                       serve_http();
                     });
  }

  void upgrade() {
    const auto& req = request_->get();
    auto offered = req[http::field::sec_websocket_protocol];
    const bool wants_mqtt = offers_subprotocol(std::string_view(offered.data(), offered.size()), "mqtt");
    if (http_timer_) http_timer_->cancel();
    websocket::stream_base::timeout timeouts{};  // no idle timer and no pings: the engine's keep alive
    timeouts.handshake_timeout = std::chrono::milliseconds(net_.handshake_timeout_ms);
    timeouts.idle_timeout = websocket::stream_base::none();
    timeouts.keep_alive_pings = false;
    ws_.set_option(timeouts);
    ws_.set_option(websocket::stream_base::decorator([wants_mqtt](websocket::response_type& res) {
      res.set(http::field::server, "postcard");
      if (wants_mqtt) res.set(http::field::sec_websocket_protocol, "mqtt");
    }));
    if (listener().max_message_size) ws_.read_message_max(listener().max_message_size);
    ws_.binary(true);
    ws_.async_accept(req, [self = shared_from_this(), this](const error_code& ec) {
      if (ec) return fail();
      connection_meta meta;
      meta.remote_address = remote_of(socket());
      meta.websocket = true;
      meta.tls = is_tls;
      if constexpr (is_tls) meta.tls_identity = common_name_of_peer(ws_.next_layer().native_handle());
      request_.reset();
      http_timer_.reset();
      http_buffer_.clear();
      http_buffer_.shrink_to_fit();
      opened(std::move(meta));
      read_frame();
    });
  }

  // Up to 64 KiB of a message at a time: a large frame is never buffered whole (the engine's framer
  // refuses an oversize packet from its fixed header).
  void read_frame() {
    auto into = read_buffer_.prepare();
    ws_.async_read_some(asio::buffer(into.data(), into.size()),
                        [self = shared_from_this(), this](const error_code& ec, std::size_t n) {
                          if (ec) return fail();
                          deliver(read_buffer_.received(n));
                          read_buffer_.adjust(n);
                          if (keep_reading()) read_frame();
                        });
  }

  void serve_http() {
    const auto& req = request_->get();
    auto res = std::make_shared<http::response<http::string_body>>();
    res->version(req.version());
    res->keep_alive(req.keep_alive());
    res->set(http::field::server, "postcard");
    std::string target(req.target());
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
      res->result(http::status::method_not_allowed);
      res->set(http::field::content_type, "text/plain");
      res->body() = "only GET and HEAD\n";
    } else if (target == "/metrics") {
      res->result(http::status::ok);
      res->set(http::field::content_type, "text/plain; version=0.0.4");
      res->body() = net_.handler.metrics_text();
    } else {
      auto file = load_http_file(listener().http_dir, target);
      res->result(static_cast<http::status>(file.status));
      res->set(http::field::content_type, file.content_type);
      res->body() = std::move(file.body);
    }
    if (req.method() == http::verb::head) {
      res->content_length(res->body().size());
      res->body().clear();
    }
    res->prepare_payload();
    http::async_write(ws_.next_layer(), *res, [self = shared_from_this(), this, res](const error_code& ec, std::size_t) {
      if (ec || !res->keep_alive()) return fail();
      arm_http_timeout();
      read_request();
    });
  }

  void write_in_flight() override {
    ws_.async_write(asio::buffer(in_flight()),
                    [self = shared_from_this(), this](const error_code& ec, std::size_t) { written(ec); });
  }
  void resume_reading() override { read_frame(); }
  void shutdown_stream() override {
    ws_.async_close(websocket::close_code::normal, [self = shared_from_this(), this](const error_code&) { fail(); });
  }
  void close_stream() override {
    error_code ec;
    socket().close(ec);
  }

  websocket::stream<NextLayer> ws_;
  beast::flat_buffer http_buffer_;  // empty once the connection is open
  read_buffer read_buffer_;
  std::unique_ptr<http::request_parser<http::string_body>> request_;  // HTTP phase only
  std::unique_ptr<asio::steady_timer> http_timer_;                     // HTTP phase only
};

using ws_connection = websocket_connection<tcp::socket>;
using wss_connection = websocket_connection<beast::ssl_stream<beast::tcp_stream>>;

void network::impl::accept(listener_state& l, tcp::acceptor& acceptor) {
  acceptor.async_accept([this, &l, &acceptor](const error_code& ec, tcp::socket socket) {
    if (!accepting) return;
    if (ec == asio::error::operation_aborted) return;
    if (!ec) {
      std::size_t index = 0;
      while (listeners[index].get() != &l) ++index;
      std::uint32_t id = allocate_id();
      std::shared_ptr<connection> c;
      bool ws = l.settings.websocket;
      if (ws && l.tls) c = std::make_shared<wss_connection>(*this, id, index, std::move(socket), *l.tls);
      else if (ws) c = std::make_shared<ws_connection>(*this, id, index, std::move(socket));
      else if (l.tls) c = std::make_shared<tls_connection>(*this, id, index, std::move(socket), *l.tls);
      else c = std::make_shared<tcp_connection>(*this, id, index, std::move(socket));
      add(id, c);
      c->start();
      accept(l, acceptor);
    } else {
      // Out of file descriptors or similar: try again shortly instead of spinning.
      auto retry = std::make_shared<asio::steady_timer>(ioc, std::chrono::milliseconds(100));
      retry->async_wait([this, &l, &acceptor, retry](const error_code&) { accept(l, acceptor); });
    }
  });
}

network::network(network_handler& handler) : impl_(std::make_unique<impl>(handler)) {}
network::~network() = default;

std::string network::listen(const std::vector<listener_settings>& listeners) {
  for (const auto& s : listeners) {
    auto l = std::make_unique<impl::listener_state>();
    l->settings = s;
    if (s.tls) {
      if (auto err = make_tls_context(s, l->tls); !err.empty()) return err;
    }
    std::vector<tcp::endpoint> endpoints;
    error_code ec;
    if (s.bind_address.empty()) {
      if (s.ipv4_only) endpoints.emplace_back(asio::ip::address_v4::any(), s.port);
      else endpoints.emplace_back(asio::ip::address_v6::any(), s.port);
    } else {
      tcp::resolver resolver(impl_->ioc);
      auto results = resolver.resolve(s.bind_address, std::to_string(s.port), tcp::resolver::passive, ec);
      if (ec) return "listener " + s.name + ": cannot resolve bind address '" + s.bind_address + "': " + ec.message();
      for (const auto& r : results) {
        auto ep = r.endpoint();
        if ((s.ipv4_only && ep.address().is_v6()) || (s.ipv6_only && ep.address().is_v4())) continue;
        if (std::find(endpoints.begin(), endpoints.end(), ep) == endpoints.end()) endpoints.push_back(ep);
      }
    }
    for (const auto& ep : endpoints) {
      auto acceptor = std::make_unique<tcp::acceptor>(impl_->ioc);
      acceptor->open(ep.protocol(), ec);
      if (ec && ep.address().is_v6() && s.bind_address.empty()) {  // no IPv6 on this host
        tcp::endpoint v4(asio::ip::address_v4::any(), ep.port());
        acceptor->open(v4.protocol(), ec);
        if (!ec) acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
        if (!ec) acceptor->bind(v4, ec);
      } else if (!ec) {
        acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
        if (ep.address().is_v6()) acceptor->set_option(asio::ip::v6_only(s.ipv6_only || !s.bind_address.empty()), ec);
        acceptor->bind(ep, ec);
      }
      if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
      if (ec) return "listener " + s.name + ": cannot listen on " + ep.address().to_string() + " port " +
                     std::to_string(ep.port()) + ": " + ec.message();
      l->acceptors.push_back(std::move(acceptor));
    }
    impl_->listeners.push_back(std::move(l));
  }
  for (auto& l : impl_->listeners)
    for (auto& a : l->acceptors) impl_->accept(*l, *a);
  return {};
}

std::string network::reload_tls() {
  for (auto& l : impl_->listeners) {
    if (!l->settings.tls) continue;
    std::unique_ptr<ssl::context> fresh;
    if (auto err = make_tls_context(l->settings, fresh); !err.empty()) return err;
    // Connections already open keep the context they were made with (shared by reference), so the old
    // one must outlive them: keep it alive until the process ends. Reloads are rare.
    static std::vector<std::unique_ptr<ssl::context>> retired;
    retired.push_back(std::move(l->tls));
    l->tls = std::move(fresh);
  }
  return {};
}

std::vector<std::uint16_t> network::bound_ports() const {
  std::vector<std::uint16_t> ports;
  for (const auto& l : impl_->listeners) {
    error_code ec;
    ports.push_back(l->acceptors.empty() ? 0 : l->acceptors.front()->local_endpoint(ec).port());
  }
  return ports;
}

void network::send(std::uint32_t conn, bytes_view bytes) {
  if (auto* c = impl_->find(conn)) c->send(bytes);
}

void network::close(std::uint32_t conn) {
  if (auto* c = impl_->find(conn)) c->close_after_flush();
}

void network::set_outbound_limits(const outbound_limits& limits) { impl_->out_limits = limits; }
void network::set_handshake_timeout(std::uint32_t ms) { impl_->handshake_timeout_ms = ms; }

void network::arm_timer(std::int64_t at_ms) {
  auto delay = std::max<std::int64_t>(0, at_ms - now_ms());
  impl_->timer.expires_after(std::chrono::milliseconds(delay));
  impl_->timer.async_wait([this](const error_code& ec) {
    if (!ec) impl_->handler.on_timer();
  });
}

void network::watch_signals(const std::vector<int>& signals) {
  impl_->signals.emplace(impl_->ioc);
  for (int s : signals) impl_->signals->add(s);
  struct waiter {
    network* self;
    void operator()(const error_code& ec, int signal_number) const {
      if (ec) return;
      self->impl_->handler.on_signal(signal_number);
      if (self->impl_->signals) self->impl_->signals->async_wait(waiter{self});
    }
  };
  impl_->signals->async_wait(waiter{this});
}

void network::close_all() {
  std::vector<std::shared_ptr<connection>> all;
  for (auto& c : impl_->connections)
    if (c) all.push_back(c);
  for (auto& c : all) c->close_after_flush();
}

void network::stop_accepting() {
  impl_->accepting = false;
  for (auto& l : impl_->listeners)
    for (auto& a : l->acceptors) {
      error_code ec;
      a->close(ec);
    }
}

void network::run() { impl_->ioc.run(); }
void network::stop() { impl_->ioc.stop(); }
std::size_t network::connection_count() const { return impl_->connection_count; }

std::int64_t network::now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace postcard::native
