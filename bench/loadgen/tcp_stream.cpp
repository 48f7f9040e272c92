#include "stream.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

namespace loadgen {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

class tcp_stream final : public byte_stream {
public:
    explicit tcp_stream(asio::io_context& io) : socket_(io) {}

    void async_open(const std::string& host, std::uint16_t port,
                    std::function<void(error_code)> done) override {
        error_code ec;
        auto address = asio::ip::make_address(host, ec);
        if (ec) {
            done(ec);
            return;
        }
        socket_.async_connect(tcp::endpoint(address, port),
                              [this, done = std::move(done)](error_code e) {
                                  if (!e) socket_.set_option(tcp::no_delay(true), e);
                                  done(e);
                              });
    }

    void async_write(asio::const_buffer bytes, io_handler done) override {
        asio::async_write(socket_, bytes, std::move(done));
    }

    void async_read_some(asio::mutable_buffer into, io_handler done) override {
        socket_.async_read_some(into, std::move(done));
    }

    void close() override {
        error_code ec;
        socket_.close(ec);
    }

private:
    tcp::socket socket_;
};

} // namespace

std::unique_ptr<byte_stream> make_tcp_stream(asio::io_context& io) {
    return std::make_unique<tcp_stream>(io);
}

} // namespace loadgen
