#pragma once
// Internal state of the broker engine (not part of the public API): stored messages, sessions,
// connections, timers, and engine::impl, whose member functions live in one file per concern:
//   engine.cpp      inputs, framing and dispatch, output flush, timers
//   connect.cpp     CONNECT / CONNACK, client identifiers, takeover
//   auth.cpp        enhanced authentication and re-authentication (AUTH)
//   publish.cpp     inbound PUBLISH, topic aliases, retained store updates
//   router.cpp      matching, per-subscriber delivery, encoding once per variant
//   acks.cpp        PUBACK / PUBREC / PUBREL / PUBCOMP, inflight window
//   subscribe.cpp   SUBSCRIBE / UNSUBSCRIBE, retained delivery on subscribe
//   disconnect.cpp  DISCONNECT both ways, closing connections, keepalive
//   session.cpp     session lifetime, expiry, resume
//   wills.cpp       will messages and will delay
//   sys.cpp         $SYS topics
//   persistence.cpp save / restore / durable-change records
//   admin.cpp       admin commands and listings
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "broker/engine.hpp"
#include "broker/lazy_deque.hpp"
#include "broker/errors.hpp"
#include "codec/codec.hpp"
#include "codec/framer.hpp"
#include "topic/retained_store.hpp"
#include "topic/subscription_trie.hpp"

namespace postcard::broker {

constexpr std::uint32_t no_slot = 0xFFFFFFFF;
constexpr std::uint32_t expiry_never = 0xFFFFFFFF;

// A message as stored: once, shared (ref-counted) by every session that holds it.
struct message : message_data {
  std::uint32_t origin_slot = no_slot;  // publishing session (for No Local), valid while routing only
  // Publisher of a retained message, kept only with config::check_retain_source
  std::string origin_client_id;
  std::optional<std::string> origin_username;
  std::size_t cost() const { return topic.size() + payload.size(); }
};
using message_ptr = std::shared_ptr<const message>;

// A message on its way to one client.
struct delivery {
  message_ptr msg;  // null once a QoS 2 message reached awaiting_pubcomp
  std::uint16_t packet_id = 0;
  std::uint8_t qos = 0;
  bool retain = false;
  delivery_data::state st = delivery_data::state::queued;
  std::vector<std::uint32_t> sub_ids;
  std::string share_group;  // for re-routing a leaving shared-subscription member's messages
};

struct connection;

struct session {
  std::string client_id;
  std::uint32_t slot = no_slot;
  std::uint32_t generation = 0;
  protocol_version version = protocol_version::v5;
  std::uint32_t expiry_interval = 0;  // seconds, expiry_never = never
  connection* conn = nullptr;
  time_ms disconnected_at = 0;
  std::map<std::string, topic::subscription_options> subs;  // full filter ("$share/g/f" too) -> options
  lazy_deque<delivery> inflight;  // sent, awaiting acknowledgement, in send order
  lazy_deque<delivery> queue;     // waiting for the window or for the client
  std::uint64_t inflight_bytes = 0;
  std::uint64_t queued_bytes = 0;
  std::vector<std::uint16_t> incoming_qos2;  // PUBREC sent, PUBREL not yet received
  std::uint16_t next_packet_id = 1;
  message_ptr will;               // pending will (set while connected or during will delay)
  std::uint32_t will_delay = 0;   // seconds
  time_ms will_at = 0;            // 0 = not armed
  // routing scratch: one merged delivery per session per routed message
  std::uint64_t route_stamp = 0;
  std::uint32_t route_index = 0;
  bool dirty = false;     // listed in impl::dirty
  bool recorded = false;  // a session_set record was emitted (so its end gets session_erased)
};

enum class phase : std::uint8_t { awaiting_connect, authenticating, connected, closed };

struct connection {
  connection_id id = 0;
  connection_info info;
  framer fr;
  phase ph = phase::awaiting_connect;
  protocol_version version = protocol_version::v5;
  session* sess = nullptr;
  time_ms opened_at = 0;
  time_ms last_rx = 0;
  std::uint32_t keepalive_s = 0;  // effective keep alive (seconds), 0 = none
  std::vector<std::uint8_t> out;  // bytes for this connection during the current input
  bool touched = false;           // listed in impl::touched_
  bool closing = false;
  bool congested = false;         // engine::congested(): no new PUBLISH is written while set
  disconnect_cause cause = disconnect_cause::network_closed;
  std::optional<std::string> username;
  std::string auth_method;        // enhanced authentication method ("" = none)
  std::vector<std::uint8_t> pending_connect;  // CONNECT (first byte + body) held during enhanced auth
  std::uint16_t client_receive_max = 65535;
  std::uint32_t client_max_packet = 0;       // 0 = no limit
  std::uint16_t client_alias_max = 0;
  bool problem_information = true;
  std::vector<std::string> in_aliases;       // inbound topic aliases, index = alias
  std::unordered_map<std::string, std::uint16_t> out_aliases;
  std::uint16_t next_out_alias = 1;
  std::uint32_t connect_session_expiry = 0;  // as set by CONNECT (for the DISCONNECT rule)

  client_info who() const;
};

// One timer entry; checked lazily when it fires (the real deadline may have moved later).
enum class timer_kind : std::uint8_t { connection = 0, will = 1, session_expiry = 2, sys = 3 };
using timer = std::tuple<time_ms, timer_kind, std::uint32_t /*id or slot*/, std::uint32_t /*generation*/>;

struct engine::impl {
  impl(config c, output_sink& s, hooks* h);

  config cfg;
  output_sink& sink;
  hooks default_hooks;
  hooks* hk;
  bool check_delivery = false;
  std::uint32_t mask = 0;        // event mask read at the start of each input
  bool durable_on = false;       // durable records wanted (read at each input)
  bool shutting_down = false;
  time_ms now = 0;
  time_ms started_at = 0;
  bool started = false;

  std::map<connection_id, std::unique_ptr<connection>> conns;
  std::vector<std::unique_ptr<connection>> graveyard;  // closed during this input, flushed then freed
  std::vector<connection*> touched;
  std::size_t connected_count = 0;

  std::vector<std::unique_ptr<session>> slots;  // index = subscriber id in the trie
  std::vector<std::uint32_t> free_slots;
  std::map<std::string, std::uint32_t, std::less<>> by_client_id;
  std::uint32_t generation_counter = 0;
  std::uint64_t auto_id_counter = 0;

  topic::subscription_trie trie;
  topic::retained_store<message_ptr> retained;
  std::set<timer> timers;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> dirty;  // (slot, generation) to re-emit

  counters stats{};
  std::map<std::string, std::string, std::less<>> sys_last;  // last value published per $SYS topic

  // routing scratch (reused: no allocation once warm)
  struct target {
    session* s = nullptr;
    std::uint8_t qos = 0;
    bool retain = false;
    std::vector<std::uint32_t> ids;
    const std::string* share = nullptr;
  };
  std::vector<const topic::subscriber_entry*> match_subs;
  std::vector<topic::shared_group*> match_groups;
  std::vector<target> targets;
  std::size_t target_count = 0;
  std::uint64_t route_stamp = 0;
  std::vector<std::string> group_names;  // names of matched groups, per routed message
  // encode-once cache: one encoding per (v5, qos, retain) of the message being routed
  message_ptr cache_msg;  // held so its address cannot be reused while cached
  time_ms cache_now = 0;
  std::vector<std::uint8_t> cache_bytes[12];
  bool cache_valid[12] = {};
  std::vector<std::uint8_t> scratch;
  std::vector<std::uint8_t> ack_scratch;

  // --- engine.cpp
  void begin_input(time_ms t);
  void end_input();
  void touch(connection& c);
  void emit(const event& e) { sink.event(e); }
  bool wants(event_kind k) const { return (mask & event_bit(k)) != 0; }
  void send_packet(connection& c, const packet& p);
  void handle_frame(connection& c, std::uint8_t first_byte, bytes_view body);
  void arm(time_ms at, timer_kind k, std::uint32_t id, std::uint32_t gen);
  time_ms connection_deadline(const connection& c) const;
  void run_timers();
  // --- errors (one place: engine errors and codec errors become CONNACK / DISCONNECT / close)
  void fail(connection& c, engine_error e);
  void fail_codec(connection& c, codec_error e);
  void fail_reason(connection& c, reason_code r, disconnect_cause cause, std::string_view why);
  // --- connect.cpp / auth.cpp
  void on_connect(connection& c, std::uint8_t first_byte, bytes_view body);
  void finish_connect(connection& c, const connect_packet& p, const std::vector<std::uint8_t>* auth_data);
  void refuse_connect(connection& c, reason_code r, std::string_view server_reference = {});
  void on_auth(connection& c, const auth_packet& p);
  client_info pre_connect_info(const connection& c, std::string_view client_id) const;
  // --- publish.cpp
  void on_publish(connection& c, const publish_packet& p);
  std::shared_ptr<message> make_message(const publish_packet& p, std::string_view topic, std::uint32_t origin);
  void set_retained(const message_ptr& m);
  // --- router.cpp
  std::size_t route(const message_ptr& m);
  bool expired(const message& m) const { return m.expires_at_ms != 0 && now > m.expires_at_ms; }
  void deliver(session& s, const message_ptr& m, std::uint8_t q, bool retain, const std::vector<std::uint32_t>* ids,
               const std::string* share);
  bool send_publish(connection& c, const message_ptr& m, std::uint8_t q, bool retain, std::uint16_t id, bool dup,
                    const std::vector<std::uint32_t>* ids);
  void drop(session& s, const message& m, drop_reason why);
  void pump(session& s);
  std::uint16_t allocate_packet_id(session& s);
  std::size_t window(const session& s) const;
  // --- acks.cpp
  void on_ack(connection& c, const ack_packet& p);
  void send_ack(connection& c, packet_type t, std::uint16_t id, reason_code r);
  // --- subscribe.cpp
  void on_subscribe(connection& c, const subscribe_packet& p);
  void on_unsubscribe(connection& c, const unsubscribe_packet& p);
  void send_retained(session& s, std::string_view filter, std::uint8_t granted, std::uint32_t identifier);
  // --- disconnect.cpp
  void on_disconnect(connection& c, const disconnect_packet& p);
  void close_connection(connection& c, disconnect_cause cause, std::optional<reason_code> send_reason,
                        bool publish_will, std::string_view reason_string = {});
  // --- session.cpp
  session& create_session(std::string_view client_id, protocol_version v);
  void detach(session& s, bool publish_will);
  void end_session(session& s, bool expired);
  void resume(session& s);
  void mark_dirty(session& s);
  session* find_session(std::string_view client_id);
  bool persistent(const session& s) const { return s.expiry_interval != 0; }
  // --- wills.cpp
  void publish_will(session& s);
  std::size_t broker_publish(message_ptr m);  // retained update + route, for wills, $SYS and admin
  // --- sys.cpp
  void publish_sys();
  // --- persistence.cpp
  session_data to_data(const session& s) const;
  void emit_dirty();
  void emit_retained_set(const message& m);
  void emit_retained_erased(std::string_view topic);
  // --- admin.cpp helpers
  void update_stats();
};

// Helpers shared by the handlers.
properties message_properties(const message& m, time_ms now);
message_data copy_message(const publish_packet& p, std::string_view topic, time_ms now);

}  // namespace postcard::broker
