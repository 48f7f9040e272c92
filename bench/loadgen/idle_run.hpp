#pragma once
// Idle connections: open N connections at R per second, CONNECT each, hold them, count failures.
//
// Theory of operation: the broker's RSS is read before the first connection; connections open
// paced; each counts as connected at a successful CONNACK, or failed at a refused CONNACK, a
// connect error or a close before its CONNACK. When every connection is settled (or the timeout
// passes) the generator waits one second, reads the RSS again (bytes per connection = delta / N
// connected), holds the connections for `hold` seconds counting any that drop, and prints one JSON line.
#include "client.hpp"
#include "options.hpp"
#include "pacer.hpp"

#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <vector>

namespace loadgen {

class idle_run final : public client_events {
public:
    idle_run(boost::asio::io_context& io, const options& o);
    int run();

    void on_connack(mqtt_client& c, std::uint8_t return_code) override;
    void on_suback(mqtt_client&) override {}
    void on_message(mqtt_client&, std::string_view, std::string_view) override {}
    void on_acked(mqtt_client&) override {}
    void on_writable(mqtt_client&) override {}
    void on_closed(mqtt_client& c, error_code ec) override;

private:
    void settled_check();
    void measure();
    void report();

    boost::asio::io_context& io_;
    options o_;
    pacer pacer_;
    boost::asio::steady_timer timer_;
    std::vector<std::unique_ptr<mqtt_client>> clients_;
    std::vector<bool> acked_;
    std::size_t opened_ = 0;
    std::size_t connected_ = 0;
    std::size_t failed_ = 0;
    std::size_t dropped_ = 0;
    bool holding_ = false;
    bool done_ = false;
    std::string error_;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_connack_;
    std::int64_t rss_before_ = -1;
    std::int64_t rss_after_ = -1;
    std::int64_t cpu_before_ = -1;
    std::int64_t cpu_after_ = -1;
};

} // namespace loadgen
