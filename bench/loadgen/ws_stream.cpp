// The generator's only Boost.Beast translation unit: a WebSocket client stream.
#include "stream.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

namespace loadgen {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using asio::ip::tcp;

class ws_stream final : public byte_stream {
public:
    explicit ws_stream(asio::io_context& io) : ws_(io) {}

    void async_open(const std::string& host, std::uint16_t port,
                    std::function<void(error_code)> done) override {
        error_code ec;
        auto address = asio::ip::make_address(host, ec);
        if (ec) {
            done(ec);
            return;
        }
        authority_ = host + ":" + std::to_string(port);
        ws_.next_layer().async_connect(
            tcp::endpoint(address, port), [this, done = std::move(done)](error_code e) {
                if (e) {
                    done(e);
                    return;
                }
                ws_.next_layer().set_option(tcp::no_delay(true), e);
                // MQTT over WebSocket: binary frames and the `mqtt` subprotocol.
                ws_.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
                    req.set(http::field::sec_websocket_protocol, "mqtt");
                }));
                ws_.binary(true);
                ws_.async_handshake(authority_, "/mqtt", [done](error_code h) { done(h); });
            });
    }

    void async_write(asio::const_buffer bytes, io_handler done) override {
        ws_.async_write(bytes, std::move(done));
    }

    void async_read_some(asio::mutable_buffer into, io_handler done) override {
        ws_.async_read_some(into, std::move(done));
    }

    void close() override {
        error_code ec;
        ws_.next_layer().close(ec);
    }

private:
    websocket::stream<tcp::socket> ws_;
    std::string authority_;
};

} // namespace

std::unique_ptr<byte_stream> make_ws_stream(asio::io_context& io) {
    return std::make_unique<ws_stream>(io);
}

} // namespace loadgen
