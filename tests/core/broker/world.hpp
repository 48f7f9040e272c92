#pragma once
// The broker test world: one broker engine, N raw byte peers and a virtual clock, in one process.
// Peers write packets encoded with the codec and read back what the broker sent, decoded. Time only
// moves when a test says so, so keepalive, will delay and expiry tests take microseconds.
#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "broker/durable_replay.hpp"
#include "broker/engine.hpp"
#include "codec/codec.hpp"
#include "codec/framer.hpp"

namespace postcard::broker_test {

using namespace postcard::broker;
using bytes = std::vector<std::uint8_t>;

// A packet the broker sent, with the bytes its views point into.
struct received {
  bytes raw;    // whole packet, fixed header included
  packet pkt;
  template <class T>
  const T* as() const { return std::get_if<T>(&pkt); }
};

// An event, copied out of the sink call.
struct recorded_event {
  event_kind kind;
  connection_id conn;
  std::string client_id;
  reason_code reason;
  disconnect_cause cause;
  drop_reason drop;
  std::string topic;
  std::uint8_t qos;
  bool session_present;
  std::optional<packet_type> type;
};

struct recorded_change {
  durable_change::kind what;
  std::string key;
  std::optional<message_data> retained;
  std::optional<session_data> session;
  bool with_outgoing = true;  // session_set
  std::uint64_t seq = 0;      // delivery_*
};

struct peer {
  connection_id id = 0;
  protocol_version version = protocol_version::v5;
  framer fr;
  std::deque<received> inbox;
  bool closed = false;  // the broker called close()
  disconnect_cause cause = disconnect_cause::network_closed;
  std::size_t sends = 0;  // send() calls received
};

struct connect_options {
  protocol_version version = protocol_version::v5;
  bool clean_start = true;
  std::uint16_t keep_alive = 0;
  properties props;
  std::optional<will_message> will;
  std::optional<std::string_view> username;
  std::optional<bytes_view> password;
};

class world : public output_sink {
 public:
  explicit world(config cfg = {}, hooks* h = nullptr);

  engine& broker() { return *engine_; }
  time_ms now = 1'000'000;
  std::uint32_t mask = all_events;
  bool durable_on = true;
  std::vector<recorded_event> events;
  std::vector<recorded_change> changes;
  durable_replay replayed;  // every durable change, applied by the hosts' replay rule
  std::vector<std::pair<connection_id, std::size_t>> send_log;  // (conn, bytes) per send() call

  // Transport
  connection_id open(protocol_version v = protocol_version::v5, connection_info info = {});
  void write(connection_id c, const packet& p);
  void write_raw(connection_id c, const bytes& b);
  void drop_transport(connection_id c);  // closed() by the host
  void advance(time_ms ms);              // moves the clock, ticking at every deadline on the way
  peer& at(connection_id c) { return *peers_.at(c); }
  bool is_closed(connection_id c) { return at(c).closed; }

  // Packets the broker sent to c since the last take(), decoded.
  std::vector<received> take(connection_id c);
  // The next packet of type T (skipping nothing: the next packet must be a T), or a test failure.
  template <class T>
  T next(connection_id c);
  std::size_t pending(connection_id c) { return at(c).inbox.size(); }

  // Convenience: open + CONNECT; returns the connection, CONNACK in *ack when given.
  connection_id connect(std::string_view client_id, const connect_options& o = {}, connack_packet* ack = nullptr);
  connection_id connect_v(std::string_view client_id, protocol_version v, bool clean = true);
  void subscribe(connection_id c, std::string_view filter, std::uint8_t q = 0, std::uint16_t id = 1,
                 subscribe_topic options = {}, std::uint32_t sub_id = 0);
  void publish(connection_id c, std::string_view topic, std::string_view payload, std::uint8_t q = 0,
               bool retain = false, std::uint16_t id = 0, properties props = {});
  void ack(connection_id c, packet_type t, std::uint16_t id, reason_code r = reason_code::success);
  void disconnect(connection_id c, reason_code r = reason_code::success, properties props = {});

  std::size_t count_events(event_kind k) const;
  const recorded_event* last_event(event_kind k) const;

  // output_sink
  void send(connection_id conn, bytes_view b) override;
  void close(connection_id conn, disconnect_cause cause) override;
  void event(const broker::event& e) override;
  void durable(const durable_change& ch) override;
  std::uint32_t event_mask() const override { return mask; }
  bool wants_durable_changes() const override { return durable_on; }

 private:
  std::unique_ptr<engine> engine_;
  std::map<connection_id, std::unique_ptr<peer>> peers_;
  connection_id next_id_ = 1;

 public:
  std::deque<bytes> keep_;  // buffers behind packets returned by next()
};

template <class T>
T world::next(connection_id c) {
  auto& in = at(c).inbox;
  if (in.empty()) {
    ADD_FAILURE() << "no packet for connection " << c;
    return T{};
  }
  received r = std::move(in.front());
  in.pop_front();
  if (const T* p = r.as<T>()) {
    keep_.push_back(std::move(r.raw));  // views of the returned packet stay valid for the test
    return *std::get_if<T>(&r.pkt);
  }
  ADD_FAILURE() << "unexpected packet type " << to_string(type_of(r.pkt)) << " on connection " << c;
  return T{};
}

// Owned copies of payloads for comparisons.
inline std::string text(bytes_view b) { return std::string(as_chars(b)); }

}  // namespace postcard::broker_test
