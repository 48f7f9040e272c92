#include "client.hpp"

#include "mqtt_wire.hpp"

#include <cstring>

namespace loadgen {

using wire::packet_type;

mqtt_client::mqtt_client(boost::asio::io_context& io, bool websocket, client_events& events, std::size_t index,
                         std::size_t read_buffer)
    : stream_(websocket ? make_ws_stream(io) : make_tcp_stream(io)),
      events_(events),
      index_(index),
      in_(read_buffer) {}

void mqtt_client::open(const std::string& host, std::uint16_t port, std::string client_id,
                       std::uint16_t keep_alive) {
    stream_->async_open(host, port, [this, id = std::move(client_id), keep_alive](error_code ec) {
        if (ec) {
            fail(ec);
            return;
        }
        wire::connect(out_, id, keep_alive);
        flush();
        read_more();
    });
}

void mqtt_client::subscribe(std::string_view filter, std::uint8_t qos) {
    wire::subscribe(out_, 1, filter, qos);
    flush();
}

bool mqtt_client::publish(std::string_view topic, std::string_view payload, std::uint8_t qos) {
    std::uint16_t id = 0;
    if (qos > 0) {
        if (id_used_.empty()) id_used_.assign(65536, false);
        if (inflight_ >= 65535) return false;
        do {
            id = static_cast<std::uint16_t>(last_id_ == 65535 ? 1 : last_id_ + 1);
            last_id_ = id;
        } while (id_used_[id]);
        id_used_[id] = true;
        ++inflight_;
    }
    wire::publish(out_, topic, payload, qos, id);
    return true;
}

void mqtt_client::disconnect() {
    if (closed_) return;
    wire::disconnect(out_);
    flush();
}

void mqtt_client::close() {
    closing_ = true;
    closed_ = true;
    stream_->close();
}

void mqtt_client::flush() {
    if (write_busy_ || out_.empty() || closed_) return;
    writing_.swap(out_);
    out_.clear();
    write_busy_ = true;
    stream_->async_write(boost::asio::buffer(writing_), [this](error_code ec, std::size_t) {
        write_busy_ = false;
        writing_.clear();
        if (ec) {
            fail(ec);
            return;
        }
        flush();
        events_.on_writable(*this);
    });
}

void mqtt_client::read_more() {
    if (closed_) return;
    if (in_len_ == in_.size()) in_.resize(in_.size() * 2);
    stream_->async_read_some(boost::asio::buffer(in_.data() + in_len_, in_.size() - in_len_),
                             [this](error_code ec, std::size_t n) { on_read(ec, n); });
}

void mqtt_client::on_read(error_code ec, std::size_t n) {
    if (ec) {
        fail(ec);
        return;
    }
    in_len_ += n;
    std::string_view rest(in_.data(), in_len_);
    for (;;) {
        auto f = wire::next_frame(rest);
        if (f.malformed) {
            fail(make_error_code(boost::system::errc::protocol_error));
            return;
        }
        if (f.size == 0) break;
        handle(f.first, f.body);
        if (closed_) return;
        rest.remove_prefix(f.size);
    }
    if (!rest.empty() && rest.data() != in_.data()) std::memmove(in_.data(), rest.data(), rest.size());
    in_len_ = rest.size();
    flush();
    read_more();
}

void mqtt_client::handle(std::uint8_t first, std::string_view body) {
    auto type = static_cast<packet_type>(first >> 4);
    switch (type) {
    case packet_type::connack:
        if (body.size() < 2) break;
        connected_ = body[1] == 0;
        events_.on_connack(*this, static_cast<std::uint8_t>(body[1]));
        break;
    case packet_type::suback:
        events_.on_suback(*this);
        break;
    case packet_type::publish: {
        auto qos = static_cast<std::uint8_t>((first >> 1) & 0x03);
        if (body.size() < 2) break;
        std::size_t topic_len = wire::get_u16(body, 0);
        std::size_t at = 2 + topic_len;
        std::uint16_t id = 0;
        if (qos > 0) {
            if (body.size() < at + 2) break;
            id = wire::get_u16(body, at);
            at += 2;
        }
        if (body.size() < at) break;
        if (qos == 1) wire::ack(out_, packet_type::puback, id);
        if (qos == 2) wire::ack(out_, packet_type::pubrec, id);
        events_.on_message(*this, body.substr(2, topic_len), body.substr(at));
        break;
    }
    case packet_type::puback:
    case packet_type::pubcomp:
        if (body.size() >= 2) release(wire::get_u16(body, 0));
        break;
    case packet_type::pubrec:
        if (body.size() >= 2) wire::ack(out_, packet_type::pubrel, wire::get_u16(body, 0));
        break;
    case packet_type::pubrel:
        if (body.size() >= 2) wire::ack(out_, packet_type::pubcomp, wire::get_u16(body, 0));
        break;
    default:
        break;
    }
}

void mqtt_client::release(std::uint16_t id) {
    if (id_used_.empty() || !id_used_[id]) return;
    id_used_[id] = false;
    --inflight_;
    events_.on_acked(*this);
}

void mqtt_client::fail(error_code ec) {
    if (closed_) return;
    closed_ = true;
    connected_ = false;
    stream_->close();
    if (!closing_) events_.on_closed(*this, ec);
}

} // namespace loadgen
