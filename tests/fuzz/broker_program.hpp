#pragma once
// The language of fuzz_broker's inputs, shared with its seed generator (gen_broker_corpus.cpp).
//
//   input   := setup op*
//   setup   := one byte of configuration switches (see setup_bits)
//   op      := RECEIVE(slot) len byte{len}    bytes from the peer on connection slot 0-3
//            | OPEN(slot)                      a new transport on the slot (a fresh connection id)
//            | CLOSED(slot)                    the transport is gone
//            | TICK delta                      the clock moves (delta_ms below), then tick()
//            | ADMIN what                      an admin command or a host-side switch
// An op byte's low two bits are the slot; the kind is op >> 2, in ranges so that every byte means
// something. RECEIVE on a slot without a transport opens one first, so byte streams need no OPEN.
#include <cstdint>

namespace postcard::fuzz {

constexpr std::uint8_t op_receive = 0x00;  // kinds 0-39
constexpr std::uint8_t op_open = 0xA0;     // kinds 40-47
constexpr std::uint8_t op_closed = 0xC0;   // kinds 48-53
constexpr std::uint8_t op_tick = 0xD8;     // kinds 54-59
constexpr std::uint8_t op_admin = 0xF0;    // kinds 60-63

enum class op_kind : std::uint8_t { receive, open, closed, tick, admin };

constexpr op_kind kind_of(std::uint8_t op) {
  const unsigned k = op >> 2;
  return k < 40 ? op_kind::receive : k < 48 ? op_kind::open : k < 54 ? op_kind::closed
         : k < 60 ? op_kind::tick : op_kind::admin;
}

// TICK's byte: 0-127 moves the clock d * 10 ms, 128-255 (d - 127) * 5 s (up to 640 s: keep alive,
// will delay, session and message expiry all fit).
constexpr std::uint64_t delta_ms(std::uint8_t d) { return d < 128 ? d * 10u : (d - 127u) * 5000u; }

namespace setup_bits {
constexpr std::uint8_t small_packets = 0x01;     // max_packet_size 300
constexpr std::uint8_t small_queues = 0x02;      // 2 in flight, 3 queued, queued bytes 200
constexpr std::uint8_t no_aliases = 0x04;        // max_topic_alias 0
constexpr std::uint8_t queue_qos0 = 0x08;        // queue_qos0_messages
constexpr std::uint8_t strict_ids = 0x10;        // no zero-length client ids; max_keepalive 60
constexpr std::uint8_t max_qos_1 = 0x20;         // Maximum QoS 1, no retain, no wildcards
constexpr std::uint8_t no_sys = 0x40;            // sys_interval 0
constexpr std::uint8_t no_durable = 0x80;        // the sink does not ask for durable records
}  // namespace setup_bits

// ADMIN's byte: what % 8 picks the command.
enum class admin_op : std::uint8_t {
  publish = 0,         // broker publish on "a/b" (QoS what>>3 % 3, retain what & 0x40)
  publish_empty = 1,   // retained, empty payload: clears "a/b"
  disconnect = 2,      // client id "c" + (what>>3 % 4)
  remove_session = 3,  // client id "c" + (what>>3 % 4)
  save_restore = 4,    // checks save() against the durable records (and a restored engine)
  events_off = 5,      // toggle the event mask
  stats = 6,           // stats(), sessions(), subscriptions(), retained() listings
  shutdown = 7,        // only when what == 0xFF (else like stats)
};

}  // namespace postcard::fuzz
