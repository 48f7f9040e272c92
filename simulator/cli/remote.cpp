// Remote mode: every device gets a real connection to a real broker: mqtt:// (TCP), mqtts:// (TLS),
// ws:// and wss:// (WebSocket, subprotocol "mqtt", binary frames). The only Boost.Asio/Beast translation
// unit of the simulator. One thread: the io_context runs the sockets and a timer that drives the world's
// clock in real time. The world applies each device's virtual link (latency, loss, half-open, ...) and
// calls send/close at delivery time; this host just moves bytes. A socket the world opens a new one over
// without closing (a half-open link: its close was never heard) stays open, unread, until the broker
// drops it or the run ends, as the real connection would.
#include <array>
#include <utility>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <chrono>
#include <deque>

#include "cli.hpp"

namespace postcard::sim::cli {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using steady = std::chrono::steady_clock;

std::optional<remote_url> parse_url(const std::string& url) {
  remote_url u;
  const auto colon = url.find("://");
  if (colon == std::string::npos) return std::nullopt;
  u.scheme = url.substr(0, colon);
  if (u.scheme != "mqtt" && u.scheme != "mqtts" && u.scheme != "ws" && u.scheme != "wss") return std::nullopt;
  std::string rest = url.substr(colon + 3);
  if (const auto slash = rest.find('/'); slash != std::string::npos) {
    u.path = rest.substr(slash);
    rest = rest.substr(0, slash);
  }
  if (const auto pc = rest.rfind(':'); pc != std::string::npos && rest.find(']') == std::string::npos) {
    u.host = rest.substr(0, pc);
    u.port = rest.substr(pc + 1);
  } else {
    u.host = rest;
  }
  if (u.host.empty()) return std::nullopt;
  if (u.port.empty()) {
    u.port = u.scheme == "mqtt" ? "1883" : u.scheme == "mqtts" ? "8883" : u.scheme == "ws" ? "8080" : "8081";
  }
  return u;
}

namespace {

class host;

struct connection_base : std::enable_shared_from_this<connection_base> {
  virtual ~connection_base() = default;
  virtual void start() = 0;
  virtual void write(bytes_view b) = 0;
  virtual void close() = 0;
};

class host : public transport_host {
 public:
  host(net::io_context& io, const remote_url& url, tcp::resolver::results_type endpoints)
      : io_(io), url_(url), endpoints_(std::move(endpoints)), tls_(ssl::context::tls_client), timer_(io) {
    tls_.set_verify_mode(ssl::verify_none);  // test brokers use self-signed certificates
  }

  world* w = nullptr;
  std::uint64_t connected_once = 0;
  std::uint64_t failures = 0;

  std::uint64_t now_ms() const {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - t0_).count());
  }
  void open(std::uint32_t dev) override;
  // The world opens a new transport while the old one is still open (half-open): keep it, unheard.
  void orphan(std::uint32_t dev) {
    if (dev < conns_.size() && conns_[dev]) orphans_.push_back(std::move(conns_[dev]));
  }
  void send(std::uint32_t dev, bytes_view b) override {
    if (dev < conns_.size() && conns_[dev]) conns_[dev]->write(b);
  }
  void close(std::uint32_t dev) override {
    if (dev < conns_.size() && conns_[dev]) {
      conns_[dev]->close();
      conns_[dev].reset();
    }
  }
  // Called by connections (only while they are the device's current one).
  bool current(std::uint32_t dev, const connection_base* c) const { return dev < conns_.size() && conns_[dev].get() == c; }
  void opened(std::uint32_t dev) {
    ++connected_once;
    w->transport_opened(dev, now_ms());
    drive();
  }
  void received(std::uint32_t dev, bytes_view b) {
    w->transport_received(dev, b, now_ms());
    drive();
  }
  void lost(std::uint32_t dev, bool before_open) {
    if (before_open) ++failures;
    conns_[dev].reset();
    w->transport_closed(dev, now_ms());
    drive();
  }

  // Runs the world up to the real clock and re-arms the timer for its next item.
  void drive() {
    if (stopped_) return;
    const std::uint64_t now = now_ms();
    w->run_until(std::min(now, until_));
    flush_trace(*w, *opts_);
    if (now >= until_) {
      stopped_ = true;
      timer_.cancel();
      for (auto& c : conns_) {
        if (c) c->close();
      }
      for (auto& c : orphans_) c->close();
      conns_.clear();
      orphans_.clear();
      return;
    }
    const std::uint64_t next = std::min({w->next_time().value_or(until_), until_, now + 100});
    if (armed_at_ != next || !armed_) {
      armed_ = true;
      armed_at_ = next;
      timer_.expires_at(t0_ + std::chrono::milliseconds(next));
      timer_.async_wait([this](beast::error_code ec) {
        if (ec) return;
        armed_ = false;
        if (!opts_->quiet && now_ms() >= last_progress_ + 1000) {
          last_progress_ = now_ms();
          print_progress(*w, static_cast<double>(last_progress_) / 1000.0);
        }
        drive();
      });
    }
  }
  void start(const run_options& o, std::uint64_t until) {
    opts_ = &o;
    until_ = until;
    t0_ = steady::now();
    drive();
  }

  net::io_context& io_;
  remote_url url_;
  tcp::resolver::results_type endpoints_;
  ssl::context tls_;

 private:
  net::steady_timer timer_;
  steady::time_point t0_ = steady::now();
  std::vector<std::shared_ptr<connection_base>> conns_;
  std::vector<std::shared_ptr<connection_base>> orphans_;
  const run_options* opts_ = nullptr;
  std::uint64_t until_ = 0;
  std::uint64_t armed_at_ = 0;
  std::uint64_t last_progress_ = 0;
  bool armed_ = false;
  bool stopped_ = false;
};

template <class Stream>
constexpr bool is_websocket = false;
template <class Next>
constexpr bool is_websocket<websocket::stream<Next>> = true;

// One connection over any of the four stream stacks.
template <class Stream>
class connection : public connection_base {
 public:
  template <class... Args>
  connection(host& h, std::uint32_t dev, Args&&... args) : h_(h), dev_(dev), stream_(std::forward<Args>(args)...) {}

  void start() override {
    auto self = std::static_pointer_cast<connection>(shared_from_this());
    net::async_connect(beast::get_lowest_layer(stream_), h_.endpoints_,
                       [self](beast::error_code ec, const tcp::endpoint&) {
                         if (ec) return self->fail(ec);
                         beast::get_lowest_layer(self->stream_).set_option(tcp::no_delay(true));
                         self->handshake_tls();
                       });
  }
  void write(bytes_view b) override {
    if (closed_) return;
    queue_.emplace_back(b.begin(), b.end());
    if (open_ && !writing_) write_next();
  }
  void close() override {
    closed_ = true;
    if (!writing_) shutdown();
    else close_after_write_ = true;
  }

 private:
  auto& tls_layer() {
    if constexpr (is_websocket<Stream>) return stream_.next_layer();
    else return stream_;
  }
  void handshake_tls() {
    using layer = std::decay_t<decltype(tls_layer())>;
    if constexpr (!std::is_same_v<layer, tcp::socket>) {
      auto self = std::static_pointer_cast<connection>(shared_from_this());
      SSL_set_tlsext_host_name(tls_layer().native_handle(), h_.url_.host.c_str());
      tls_layer().async_handshake(ssl::stream_base::client, [self](beast::error_code ec) {
        if (ec) return self->fail(ec);
        self->handshake_ws();
      });
    } else {
      handshake_ws();
    }
  }
  void handshake_ws() {
    if constexpr (is_websocket<Stream>) {
      auto self = std::static_pointer_cast<connection>(shared_from_this());
      stream_.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
        req.set(beast::http::field::sec_websocket_protocol, "mqtt");
      }));
      stream_.binary(true);
      stream_.async_handshake(h_.url_.host + ":" + h_.url_.port, h_.url_.path, [self](beast::error_code ec) {
        if (ec) return self->fail(ec);
        self->up();
      });
    } else {
      up();
    }
  }
  void up() {
    if (closed_) return shutdown();
    open_ = true;
    if (h_.current(dev_, this)) h_.opened(dev_);
    read();
    if (!queue_.empty() && !writing_) write_next();
  }
  void read() {
    auto self = std::static_pointer_cast<connection>(shared_from_this());
    if constexpr (is_websocket<Stream>) {
      stream_.async_read(buffer_, [self](beast::error_code ec, std::size_t) {
        if (ec) return self->fail(ec);
        const auto data = self->buffer_.data();
        self->deliver(bytes_view(static_cast<const std::uint8_t*>(data.data()), data.size()));
        self->buffer_.consume(self->buffer_.size());
        self->read();
      });
    } else {
      stream_.async_read_some(net::buffer(raw_), [self](beast::error_code ec, std::size_t n) {
        if (ec) return self->fail(ec);
        self->deliver(bytes_view(self->raw_.data(), n));
        self->read();
      });
    }
  }
  void deliver(bytes_view b) {
    if (!closed_ && h_.current(dev_, this)) h_.received(dev_, b);
  }
  void write_next() {
    writing_ = true;
    // Everything queued goes out as one write.
    std::vector<std::uint8_t> batch;
    for (auto& q : queue_) batch.insert(batch.end(), q.begin(), q.end());
    queue_.clear();
    auto buf = std::make_shared<std::vector<std::uint8_t>>(std::move(batch));
    auto self = std::static_pointer_cast<connection>(shared_from_this());
    auto done = [self, buf](beast::error_code ec, std::size_t) {
      self->writing_ = false;
      if (ec) return self->fail(ec);
      if (!self->queue_.empty()) return self->write_next();
      if (self->close_after_write_) self->shutdown();
    };
    if constexpr (is_websocket<Stream>) stream_.async_write(net::buffer(*buf), done);
    else net::async_write(stream_, net::buffer(*buf), done);
  }
  void shutdown() {
    beast::error_code ec;
    beast::get_lowest_layer(stream_).close(ec);
  }
  void fail(beast::error_code) {
    if (failed_) return;
    failed_ = true;
    shutdown();
    if (!closed_ && h_.current(dev_, this)) h_.lost(dev_, !open_);
  }

  host& h_;
  std::uint32_t dev_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::array<std::uint8_t, 16384> raw_{};
  std::deque<std::vector<std::uint8_t>> queue_;
  bool open_ = false, writing_ = false, closed_ = false, close_after_write_ = false, failed_ = false;
};

void host::open(std::uint32_t dev) {
  if (conns_.size() <= dev) conns_.resize(dev + 1);
  orphan(dev);
  std::shared_ptr<connection_base> c;
  if (url_.scheme == "mqtt") {
    c = std::make_shared<connection<tcp::socket>>(*this, dev, io_);
  } else if (url_.scheme == "mqtts") {
    c = std::make_shared<connection<ssl::stream<tcp::socket>>>(*this, dev, io_, tls_);
  } else if (url_.scheme == "ws") {
    c = std::make_shared<connection<websocket::stream<tcp::socket>>>(*this, dev, io_);
  } else {
    c = std::make_shared<connection<websocket::stream<ssl::stream<tcp::socket>>>>(*this, dev, io_, tls_);
  }
  conns_[dev] = c;
  // Start outside the world's call: the world is in the middle of an input.
  net::post(io_, [c] { c->start(); });
}

}  // namespace

int run_remote(scenario sc, const world_options& wo, const remote_url& url, const run_options& o) {
  net::io_context io;
  tcp::resolver resolver(io);
  beast::error_code ec;
  auto endpoints = resolver.resolve(url.host, url.port, ec);
  if (ec) {
    std::fprintf(stderr, "postcard-sim: cannot resolve %s:%s: %s\n", url.host.c_str(), url.port.c_str(),
                 ec.message().c_str());
    return -1;
  }
  host h(io, url, endpoints);
  const std::uint64_t until = o.until.value_or(sc.duration_ms);
  world w(std::move(sc), wo, &h);
  h.w = &w;
  const auto t0 = steady::now();
  h.start(o, until);
  io.run();
  flush_trace(w, o);
  if (h.connected_once == 0) {
    std::fprintf(stderr, "postcard-sim: no connection to %s://%s:%s succeeded (%llu failures)\n", url.scheme.c_str(),
                 url.host.c_str(), url.port.c_str(), static_cast<unsigned long long>(h.failures));
    return -1;
  }
  const double real = std::chrono::duration<double>(steady::now() - t0).count();
  return static_cast<int>(print_summary(w, real, true));
}

}  // namespace postcard::sim::cli
