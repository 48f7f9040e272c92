#pragma once
// The language of fuzz_client's inputs, shared with its seed generator (gen_client_corpus.cpp).
//
//   input   := options properties op*
//   options := one byte of option switches (option_bits; the version is options % 3)
//   properties := one byte of v5 CONNECT property switches (property_bits)
//   op      := SERVER len byte{len}       bytes from the server (any split)
//            | OPENED                     a transport is up: connection_opened()
//            | LOST                       the transport is gone: connection_closed()
//            | TICK delta                 the clock moves delta * 100 ms, then tick()
//            | PUBLISH what               publish(): topic what % 4 of publish_topics, QoS (what >> 2) % 3,
//                                         retain what & 0x10, explicit alias 1 when what & 0x20 (v5)
//            | SUBSCRIBE what             subscribe(): filter what % 4 of subscribe_filters, QoS (what >> 2) % 3,
//                                         no local what & 0x10, retain handling (what >> 5) % 3
//            | UNSUBSCRIBE what           unsubscribe() of filter what % 4
//            | DISCONNECT                 disconnect(): the end
//            | AUTH what                  auth() (what even) or reauthenticate() (what odd)
// An op byte picks the op by ranges (below), so every byte means something.
#include <cstdint>
#include <string_view>

namespace postcard::fuzz::client_ops {

constexpr std::uint8_t server = 0x00;       // 0x00-0x7F
constexpr std::uint8_t opened = 0x80;       // 0x80-0x8F
constexpr std::uint8_t lost = 0x90;         // 0x90-0x9F
constexpr std::uint8_t tick = 0xA0;         // 0xA0-0xBF
constexpr std::uint8_t publish = 0xC0;      // 0xC0-0xD7
constexpr std::uint8_t subscribe = 0xD8;    // 0xD8-0xE7
constexpr std::uint8_t unsubscribe = 0xE8;  // 0xE8-0xEF
constexpr std::uint8_t disconnect = 0xF0;   // 0xF0-0xF3
constexpr std::uint8_t auth = 0xF4;         // 0xF4-0xFF

constexpr std::string_view publish_topics[] = {"a/b", "a/c", "s/1", ""};
constexpr std::string_view subscribe_filters[] = {"a/#", "+/c", "$share/g/s/+", "a/b"};

namespace option_bits {  // options byte, above the version (options % 3: 3.1, 3.1.1, 5.0)
constexpr std::uint8_t persistent = 0x04;      // clean = false
constexpr std::uint8_t keepalive = 0x08;       // keep alive 5 s (else 0)
constexpr std::uint8_t will = 0x10;            // a will, QoS 1, retained
constexpr std::uint8_t auto_alias = 0x20;      // auto_use + auto_assign topic aliases
constexpr std::uint8_t no_reconnect = 0x40;    // reconnect period 0
constexpr std::uint8_t tight_queue = 0x80;     // offline queue limit 3, no QoS 0 queueing
}  // namespace option_bits

namespace property_bits {  // v5 CONNECT properties
constexpr std::uint8_t alias_max = 0x01;       // topic alias maximum 4
constexpr std::uint8_t receive_max = 0x02;     // receive maximum 2
constexpr std::uint8_t packet_max = 0x04;      // maximum packet size 128
constexpr std::uint8_t expiry = 0x08;          // session expiry 60 s
constexpr std::uint8_t auth_method = 0x10;     // authentication method "M"
constexpr std::uint8_t user = 0x20;            // username and password
}  // namespace property_bits

}  // namespace postcard::fuzz::client_ops
