// The only translation unit that includes Boost.Beast: listeners, the four stream stacks (TCP, TLS,
// WebSocket, WebSocket over TLS), HTTP on WebSocket listeners, the timer and signals.
//
// Plain TCP connections own no read buffer: they wait for readability and read into one buffer shared
// by the whole (single-threaded) network, so an idle connection costs only its socket and bookkeeping.
// The engine's framer copies only partial packets.
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
#include <unordered_map>

#include "net/http_files.hpp"

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
  std::unordered_map<std::uint32_t, std::shared_ptr<connection>> connections;
  std::uint32_t next_id = 1;
  std::vector<std::uint32_t> free_ids;  // ids are reused, so hosts can index tables by them
  std::vector<std::uint8_t> shared_read_buffer = std::vector<std::uint8_t>(64 * 1024);
  bool accepting = true;

  std::uint32_t allocate_id() {
    if (!free_ids.empty()) {
      auto id = free_ids.back();
      free_ids.pop_back();
      return id;
    }
    return next_id++;
  }
  void release(std::uint32_t id) {
    connections.erase(id);
    free_ids.push_back(id);
  }
  void accept(listener_state& l, tcp::acceptor& acceptor);
  void finished(std::uint32_t id);
};

// One connection, whatever its stream stack. Subclasses implement reading, writing and closing.
class connection : public std::enable_shared_from_this<connection> {
 public:
  connection(network::impl& net, std::uint32_t id, std::size_t listener_index)
      : net_(net), id_(id), listener_index_(listener_index) {}
  virtual ~connection() = default;
  virtual void start() = 0;

  void send(bytes_view bytes) {
    if (close_requested_ || finished_) return;
    pending_.insert(pending_.end(), bytes.begin(), bytes.end());
    if (!writing_) flush();
  }
  void close_after_flush() {
    if (close_requested_) return;
    close_requested_ = true;
    if (!writing_) flush();
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

  void flush() {
    if (pending_.empty()) {
      if (close_requested_) shutdown_stream();
      return;
    }
    in_flight_.swap(pending_);
    pending_.clear();
    writing_ = true;
    write_in_flight();
  }
  void written(const error_code& ec) {
    writing_ = false;
    // Busy connections keep their buffers; a burst's large buffer is released afterwards.
    if (in_flight_.capacity() > 64 * 1024) std::vector<std::uint8_t>().swap(in_flight_);
    in_flight_.clear();
    if (ec) return fail();
    flush();
  }
  // Read error, peer close or our own close: notify the engine once and forget the connection.
  void fail() {
    if (finished_) return;
    finished_ = true;
    close_stream();
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

  virtual void write_in_flight() = 0;  // writes in_flight_, then calls written()
  virtual void shutdown_stream() = 0;  // graceful end after the last write
  virtual void close_stream() = 0;     // immediate close

  network::impl& net_;
  std::vector<std::uint8_t> in_flight_;

 private:
  std::uint32_t id_;
  std::size_t listener_index_;
  std::vector<std::uint8_t> pending_;
  bool writing_ = false;
  bool close_requested_ = false;
  bool finished_ = false;
  bool opened_ = false;
};

void network::impl::finished(std::uint32_t id) {
  auto it = connections.find(id);
  if (it == connections.end()) return;
  auto keep = it->second;  // the connection may be running one of its own handlers
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
        if (!reading_allowed()) return;
        if (n < buffer.size()) break;
      }
      wait_readable();
    });
  }
  void write_in_flight() override {
    asio::async_write(socket_, asio::buffer(in_flight_),
                      [self = shared_from_this(), this](const error_code& ec, std::size_t) { written(ec); });
  }
  void shutdown_stream() override {
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    fail();
  }
  void close_stream() override {
    error_code ec;
    socket_.close(ec);
  }
  tcp::socket socket_;
};

std::string common_name_of_peer(SSL* ssl_handle) {
  X509* cert = SSL_get1_peer_certificate(ssl_handle);
  if (!cert) return {};
  char cn[256] = {0};
  int len = X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
  X509_free(cert);
  return len > 0 ? std::string(cn, static_cast<std::size_t>(len)) : std::string();
}

// ---- MQTT over TLS --------------------------------------------------------------------------------
class tls_connection final : public connection {
 public:
  tls_connection(network::impl& net, std::uint32_t id, std::size_t li, tcp::socket s, ssl::context& ctx)
      : connection(net, id, li), stream_(std::move(s), ctx) {}
  void start() override {
    stream_.async_handshake(ssl::stream_base::server, [self = shared_from_this(), this](const error_code& ec) {
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
    if (read_buffer_.empty()) read_buffer_.resize(4096);
    stream_.async_read_some(asio::buffer(read_buffer_),
                            [self = shared_from_this(), this](const error_code& ec, std::size_t n) {
                              if (ec) return fail();
                              deliver(bytes_view(read_buffer_.data(), n));
                              if (reading_allowed()) read();
                            });
  }
  void write_in_flight() override {
    asio::async_write(stream_, asio::buffer(in_flight_),
                      [self = shared_from_this(), this](const error_code& ec, std::size_t) { written(ec); });
  }
  void shutdown_stream() override { fail(); }
  void close_stream() override {
    error_code ec;
    stream_.lowest_layer().close(ec);
  }
  ssl::stream<tcp::socket> stream_;
  std::vector<std::uint8_t> read_buffer_;
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
    beast::get_lowest_layer(ws_).socket().set_option(tcp::no_delay(true), ignored);
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(30));
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
  static constexpr bool is_tls = !std::is_same_v<NextLayer, beast::tcp_stream>;

  void read_request() {
    request_.emplace();
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
    bool wants_mqtt = false;
    auto offered = req[http::field::sec_websocket_protocol];
    std::string_view protocols(offered.data(), offered.size());
    for (std::size_t pos = 0; pos <= protocols.size();) {
      auto end = protocols.find(',', pos);
      if (end == std::string_view::npos) end = protocols.size();
      auto item = protocols.substr(pos, end - pos);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      if (item == "mqtt") wants_mqtt = true;
      pos = end + 1;
    }
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator([wants_mqtt](websocket::response_type& res) {
      res.set(http::field::server, "postcard");
      if (wants_mqtt) res.set(http::field::sec_websocket_protocol, "mqtt");
    }));
    if (listener().max_message_size) ws_.read_message_max(listener().max_message_size);
    ws_.binary(true);
    ws_.async_accept(req, [self = shared_from_this(), this](const error_code& ec) {
      if (ec) return fail();
      connection_meta meta;
      meta.remote_address = remote_of(beast::get_lowest_layer(ws_).socket());
      meta.websocket = true;
      meta.tls = is_tls;
      if constexpr (is_tls) meta.tls_identity = common_name_of_peer(ws_.next_layer().native_handle());
      request_.reset();
      http_buffer_.clear();
      http_buffer_.shrink_to_fit();
      opened(std::move(meta));
      read_frame();
    });
  }

  void read_frame() {
    ws_.async_read(frame_buffer_, [self = shared_from_this(), this](const error_code& ec, std::size_t) {
      if (ec) return fail();
      auto data = frame_buffer_.cdata();
      deliver(bytes_view(static_cast<const std::uint8_t*>(data.data()), data.size()));
      frame_buffer_.clear();
      if (frame_buffer_.capacity() > 16 * 1024) frame_buffer_.shrink_to_fit();
      if (reading_allowed()) read_frame();
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
      beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(30));
      read_request();
    });
  }

  void write_in_flight() override {
    ws_.async_write(asio::buffer(in_flight_),
                    [self = shared_from_this(), this](const error_code& ec, std::size_t) { written(ec); });
  }
  void shutdown_stream() override {
    ws_.async_close(websocket::close_code::normal, [self = shared_from_this(), this](const error_code&) { fail(); });
  }
  void close_stream() override {
    error_code ec;
    beast::get_lowest_layer(ws_).socket().close(ec);
  }

  websocket::stream<NextLayer> ws_;
  beast::flat_buffer http_buffer_;
  beast::flat_buffer frame_buffer_;
  std::optional<http::request_parser<http::string_body>> request_;
};

using ws_connection = websocket_connection<beast::tcp_stream>;
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
      connections.emplace(id, c);
      c->start();
      accept(l, acceptor);
    } else {
      // Out of file descriptors or similar: try again shortly instead of spinning.
      auto retry = std::make_shared<asio::steady_timer>(ioc, std::chrono::milliseconds(100));
      retry->async_wait([this, &l, &acceptor, retry](const error_code&) { accept(l, acceptor); });
    }
  });
}

std::string make_tls_context(const listener_settings& s, std::unique_ptr<ssl::context>& out) {
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  // TLS 1.2 or newer only.
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  const auto& t = s.tls_options;
  if (t.tls_version == "tlsv1.3") SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_3_VERSION);
  else if (t.tls_version == "tlsv1.2") SSL_CTX_set_max_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  error_code ec;
  const std::string where = "listener " + s.name + ": ";
  ctx->use_certificate_chain_file(t.certfile, ec);
  if (ec) return where + "cannot load certfile " + t.certfile + ": " + ec.message();
  ctx->use_private_key_file(t.keyfile, ssl::context::pem, ec);
  if (ec) return where + "cannot load keyfile " + t.keyfile + ": " + ec.message();
  if (!t.ciphers.empty() && SSL_CTX_set_cipher_list(ctx->native_handle(), t.ciphers.c_str()) != 1)
    return where + "no usable cipher in '" + t.ciphers + "'";
  if (!t.cafile.empty()) {
    ctx->load_verify_file(t.cafile, ec);
    if (ec) return where + "cannot load cafile " + t.cafile + ": " + ec.message();
  }
  if (!t.capath.empty()) {
    ctx->add_verify_path(t.capath, ec);
    if (ec) return where + "cannot use capath " + t.capath + ": " + ec.message();
  }
  if (t.require_certificate) ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  else if (!t.cafile.empty() || !t.capath.empty()) ctx->set_verify_mode(ssl::verify_peer);
  out = std::move(ctx);
  return {};
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
  auto it = impl_->connections.find(conn);
  if (it != impl_->connections.end()) it->second->send(bytes);
}

void network::close(std::uint32_t conn) {
  auto it = impl_->connections.find(conn);
  if (it != impl_->connections.end()) it->second->close_after_flush();
}

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
  for (auto& [id, c] : impl_->connections) all.push_back(c);
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
std::size_t network::connection_count() const { return impl_->connections.size(); }

std::int64_t network::now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace postcard::native
