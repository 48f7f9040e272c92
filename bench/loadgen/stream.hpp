#pragma once
// A byte stream to a broker: plain TCP or WebSocket (binary frames, `mqtt` subprotocol).
// The WebSocket implementation lives alone in ws_stream.cpp, the only Boost.Beast translation unit.
#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace loadgen {

using error_code = boost::system::error_code;
using io_handler = std::function<void(error_code, std::size_t)>;

class byte_stream {
public:
    virtual ~byte_stream() = default;
    // Connects; for WebSocket also completes the HTTP upgrade.
    virtual void async_open(const std::string& host, std::uint16_t port,
                            std::function<void(error_code)> done) = 0;
    // Writes all of `bytes` (one WebSocket message).
    virtual void async_write(boost::asio::const_buffer bytes, io_handler done) = 0;
    virtual void async_read_some(boost::asio::mutable_buffer into, io_handler done) = 0;
    virtual void close() = 0;
};

std::unique_ptr<byte_stream> make_tcp_stream(boost::asio::io_context& io);
std::unique_ptr<byte_stream> make_ws_stream(boost::asio::io_context& io);

} // namespace loadgen
