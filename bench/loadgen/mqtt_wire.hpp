#pragma once
// The few MQTT 3.1.1 packets the load generator needs, encoded by hand into a byte string,
// and the framing of a received byte stream into (fixed header, body) pairs.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace loadgen::wire {

enum class packet_type : std::uint8_t {
    connect = 1, connack = 2, publish = 3, puback = 4, pubrec = 5, pubrel = 6, pubcomp = 7,
    subscribe = 8, suback = 9, pingreq = 12, pingresp = 13, disconnect = 14,
};

inline void put_u16(std::string& out, std::uint16_t v) {
    out.push_back(static_cast<char>(v >> 8));
    out.push_back(static_cast<char>(v & 0xFF));
}

// Variable Byte Integer, at most four bytes [MQTT-2.2.3].
inline void put_remaining_length(std::string& out, std::size_t n) {
    do {
        auto digit = static_cast<std::uint8_t>(n % 128);
        n /= 128;
        if (n > 0) digit = static_cast<std::uint8_t>(digit | 0x80);
        out.push_back(static_cast<char>(digit));
    } while (n > 0);
}

inline void put_string(std::string& out, std::string_view s) {
    put_u16(out, static_cast<std::uint16_t>(s.size()));
    out.append(s);
}

// CONNECT, protocol level 4, Clean Session set, no will, no credentials [MQTT-3.1].
inline void connect(std::string& out, std::string_view client_id, std::uint16_t keep_alive) {
    out.push_back(static_cast<char>(0x10));
    put_remaining_length(out, 10 + 2 + client_id.size());
    put_string(out, "MQTT");
    out.push_back(4);           // protocol level 3.1.1
    out.push_back(0x02);        // Clean Session
    put_u16(out, keep_alive);
    put_string(out, client_id);
}

// SUBSCRIBE with one filter; fixed header flags 0010 [MQTT-3.8.1-1].
inline void subscribe(std::string& out, std::uint16_t packet_id, std::string_view filter, std::uint8_t qos) {
    out.push_back(static_cast<char>(0x82));
    put_remaining_length(out, 2 + 2 + filter.size() + 1);
    put_u16(out, packet_id);
    put_string(out, filter);
    out.push_back(static_cast<char>(qos));
}

// PUBLISH; a Packet Identifier only when QoS > 0 [MQTT-2.3.1-5].
inline void publish(std::string& out, std::string_view topic, std::string_view payload, std::uint8_t qos,
                    std::uint16_t packet_id) {
    out.push_back(static_cast<char>(0x30 | (qos << 1)));
    put_remaining_length(out, 2 + topic.size() + (qos > 0 ? 2 : 0) + payload.size());
    put_string(out, topic);
    if (qos > 0) put_u16(out, packet_id);
    out.append(payload);
}

// PUBACK, PUBREC, PUBREL (flags 0010 [MQTT-3.6.1-1]) and PUBCOMP.
inline void ack(std::string& out, packet_type type, std::uint16_t packet_id) {
    auto first = static_cast<std::uint8_t>(static_cast<std::uint8_t>(type) << 4);
    if (type == packet_type::pubrel) first = static_cast<std::uint8_t>(first | 0x02);
    out.push_back(static_cast<char>(first));
    out.push_back(2);
    put_u16(out, packet_id);
}

inline void disconnect(std::string& out) {
    out.push_back(static_cast<char>(0xE0));
    out.push_back(0);
}

inline std::uint16_t get_u16(std::string_view s, std::size_t at) {
    return static_cast<std::uint16_t>((static_cast<std::uint8_t>(s[at]) << 8) | static_cast<std::uint8_t>(s[at + 1]));
}

struct frame {
    std::uint8_t first = 0;   // packet type and flags
    std::string_view body;    // variable header and payload
    std::size_t size = 0;     // bytes consumed, 0 when incomplete
    bool malformed = false;
};

// Frames the packet at the start of `in`.
inline frame next_frame(std::string_view in) {
    frame f;
    if (in.size() < 2) return f;
    std::size_t length = 0;
    std::size_t multiplier = 1;
    std::size_t at = 1;
    for (;;) {
        if (at >= in.size()) return f;
        if (at > 4) {
            f.malformed = true;
            return f;
        }
        auto digit = static_cast<std::uint8_t>(in[at++]);
        length += (digit & 0x7Fu) * multiplier;
        multiplier *= 128;
        if ((digit & 0x80) == 0) break;
    }
    if (in.size() - at < length) return f;
    f.first = static_cast<std::uint8_t>(in[0]);
    f.body = in.substr(at, length);
    f.size = at + length;
    return f;
}

} // namespace loadgen::wire
