#pragma once
// One MQTT 3.1.1 connection of the load generator.
//
// Theory of operation: open() connects the stream and sends CONNECT; the reader loop frames
// whatever arrives and answers the broker as the QoS flows require (PUBLISH QoS 1 -> PUBACK,
// QoS 2 -> PUBREC, PUBREL -> PUBCOMP; for our own QoS 2 PUBLISH, PUBREC -> PUBREL). Outgoing
// packets are appended to out_ and leave in one write per flush(); while a write is in flight
// new packets accumulate and go out together when it completes (natural batching). A Packet
// Identifier stays in use from our PUBLISH until its PUBACK or PUBCOMP, which bounds the window.
#include "stream.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace loadgen {

class mqtt_client;

struct client_events {
    virtual ~client_events() = default;
    virtual void on_connack(mqtt_client& c, std::uint8_t return_code) = 0;
    virtual void on_suback(mqtt_client& c) = 0;
    virtual void on_message(mqtt_client& c, std::string_view topic, std::string_view payload) = 0;
    // A QoS 1 or 2 PUBLISH of ours completed (PUBACK or PUBCOMP).
    virtual void on_acked(mqtt_client& c) = 0;
    virtual void on_writable(mqtt_client& c) = 0;
    virtual void on_closed(mqtt_client& c, error_code ec) = 0;
};

class mqtt_client {
public:
    mqtt_client(boost::asio::io_context& io, bool websocket, client_events& events, std::size_t index,
                std::size_t read_buffer);

    void open(const std::string& host, std::uint16_t port, std::string client_id, std::uint16_t keep_alive);
    void subscribe(std::string_view filter, std::uint8_t qos);
    // Appends a PUBLISH; false when QoS > 0 and every Packet Identifier is in use.
    bool publish(std::string_view topic, std::string_view payload, std::uint8_t qos);
    void disconnect();
    void close();
    void flush();

    std::size_t index() const { return index_; }
    std::size_t inflight() const { return inflight_; }
    std::size_t pending_bytes() const { return out_.size(); }
    bool connected() const { return connected_; }
    bool closed() const { return closed_; }

private:
    void read_more();
    void on_read(error_code ec, std::size_t n);
    void handle(std::uint8_t first, std::string_view body);
    void fail(error_code ec);
    void release(std::uint16_t id);

    std::unique_ptr<byte_stream> stream_;
    client_events& events_;
    std::size_t index_;
    std::string out_;
    std::string writing_;
    bool write_busy_ = false;
    std::vector<char> in_;
    std::size_t in_len_ = 0;
    std::vector<bool> id_used_;
    std::size_t inflight_ = 0;
    std::uint16_t last_id_ = 0;
    bool connected_ = false;
    bool closed_ = false;
    bool closing_ = false;
};

} // namespace loadgen
