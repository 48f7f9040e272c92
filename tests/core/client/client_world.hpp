#pragma once
// The client world: one real broker engine and N real client engines joined by in-memory byte pipes,
// with a virtual clock. Nothing is mocked: every byte either side writes is read by the other. The
// network can drop a connection (cut) or swallow everything in both directions (partition), so
// reconnect, resend and keepalive timeouts can be played out in microseconds.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "broker/engine.hpp"
#include "client/engine.hpp"

namespace postcard::client_test {

class client_world : public broker::output_sink {
 public:
  struct node {
    explicit node(client::options o) : c(std::move(o)) {}
    client::engine c;
    broker::connection_id conn = 0;  // current transport, 0 when none
    std::vector<std::uint8_t> to_client;  // bytes the broker wrote, not yet read
    bool broker_closed = false;           // the broker closed this transport
    bool partitioned = false;             // everything is lost both ways
    bool auto_reconnect = true;           // open a transport on reconnect_due
    std::vector<client::event> events;    // every event the client produced
    template <class T>
    std::vector<T> all() const {
      std::vector<T> r;
      for (const auto& e : events) {
        if (const T* t = std::get_if<T>(&e)) r.push_back(*t);
      }
      return r;
    }
  };

  explicit client_world(broker::config cfg = {}) : broker_(std::move(cfg), *this) {}

  broker::engine& broker() { return broker_; }
  std::uint64_t now = 1'000'000;

  // Adds a client and opens its first transport; returns its index.
  std::size_t add(client::options o, bool open_now = true) {
    nodes_.push_back(std::make_unique<node>(std::move(o)));
    const std::size_t i = nodes_.size() - 1;
    if (open_now) open(i);
    return i;
  }
  node& at(std::size_t i) { return *nodes_.at(i); }
  client::engine& client(std::size_t i) { return at(i).c; }

  // A new transport for client i.
  void open(std::size_t i) {
    node& n = at(i);
    n.conn = next_conn_++;
    n.broker_closed = false;
    n.to_client.clear();
    by_conn_[n.conn] = i;
    broker_.open(n.conn, broker::connection_info{"sim:" + std::to_string(i), "sim", ""}, now);
    n.c.connection_opened(now);
    run();
  }
  // The network drops client i's connection: both sides learn it.
  void cut(std::size_t i) {
    node& n = at(i);
    if (n.conn == 0) return;
    broker_.closed(n.conn, now);
    drop_transport(n);
    n.c.connection_closed(now);
    run();
  }
  // Everything between client i and the broker is lost (closes included) until healed.
  void partition(std::size_t i, bool on) { at(i).partitioned = on; }

  // Delivers bytes back and forth until nothing moves.
  void run() {
    for (bool moved = true; moved;) {
      moved = false;
      for (std::size_t i = 0; i < nodes_.size(); ++i) moved |= pump(i);
    }
  }

  // Moves the clock by `ms`, ticking every engine at each deadline on the way.
  void advance(std::uint64_t ms) {
    const std::uint64_t target = now + ms;
    for (;;) {
      std::uint64_t next = target;
      const broker::time_ms b = broker_.next_deadline();
      if (b != broker::no_deadline && b < next) next = b;
      for (const auto& n : nodes_) {
        if (const auto d = n->c.next_deadline(); d && *d < next) next = *d;
      }
      now = std::max(now, next);
      tick_all();
      if (next >= target) break;
    }
  }

  // broker::output_sink
  void send(broker::connection_id conn, bytes_view b) override {
    const auto it = by_conn_.find(conn);
    if (it == by_conn_.end()) return;
    node& n = at(it->second);
    if (n.partitioned || n.conn != conn) return;
    n.to_client.insert(n.to_client.end(), b.begin(), b.end());
  }
  void close(broker::connection_id conn, broker::disconnect_cause) override {
    const auto it = by_conn_.find(conn);
    if (it == by_conn_.end()) return;
    node& n = at(it->second);
    if (n.conn == conn && !n.partitioned) n.broker_closed = true;
    by_conn_.erase(it);
  }

 private:
  void tick_all() {
    broker_.tick(now);
    for (auto& n : nodes_) n->c.tick(now);
    run();
  }
  void drop_transport(node& n) {
    by_conn_.erase(n.conn);
    n.conn = 0;
    n.to_client.clear();
    n.broker_closed = false;
  }
  bool pump(std::size_t i) {
    node& n = at(i);
    bool moved = false;
    n.c.drain(out_);
    for (auto& e : out_.events) {
      if (std::holds_alternative<client::reconnect_due_event>(e) && n.auto_reconnect) reopen_.push_back(i);
      n.events.push_back(std::move(e));
    }
    if (n.conn != 0 && !out_.bytes.empty() && !n.partitioned && by_conn_.contains(n.conn)) {
      broker_.receive(n.conn, out_.bytes, now);
      moved = true;
    }
    if (n.conn != 0 && out_.close) {
      if (!n.partitioned && by_conn_.contains(n.conn)) broker_.closed(n.conn, now);
      drop_transport(n);
      moved = true;
    }
    if (n.conn != 0 && !n.to_client.empty()) {
      const std::vector<std::uint8_t> incoming = std::move(n.to_client);
      n.to_client.clear();
      n.c.receive(incoming, now);
      moved = true;
    }
    if (n.conn != 0 && n.broker_closed && n.to_client.empty()) {
      drop_transport(n);
      n.c.connection_closed(now);
      moved = true;
    }
    if (!reopen_.empty()) {
      const std::vector<std::size_t> todo = std::move(reopen_);
      reopen_.clear();
      for (std::size_t r : todo) {
        node& rn = at(r);
        rn.conn = next_conn_++;
        rn.broker_closed = false;
        by_conn_[rn.conn] = r;
        broker_.open(rn.conn, broker::connection_info{"sim:" + std::to_string(r), "sim", ""}, now);
        rn.c.connection_opened(now);
      }
      moved = true;
    }
    return moved;
  }

  broker::engine broker_;
  std::vector<std::unique_ptr<node>> nodes_;
  std::map<broker::connection_id, std::size_t> by_conn_;
  broker::connection_id next_conn_ = 1;
  client::output out_;
  std::vector<std::size_t> reopen_;
};

}  // namespace postcard::client_test
