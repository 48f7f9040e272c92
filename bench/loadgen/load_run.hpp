#pragma once
// Throughput and latency runs: publishers and subscribers in one topic layout.
//
// Theory of operation: subscribers connect (paced) and subscribe; then publishers connect; then
// the run starts. Throughput mode publishes as fast as two windows allow: per publisher, at most
// `window` messages published but not yet delivered to every subscriber that should get them
// (end to end, so a broker cannot win by dropping or by buffering without bound), and for QoS > 0
// at most `inflight` PUBLISHes not yet acknowledged. Latency mode publishes at a fixed rate with a
// send timestamp in the payload. After `warmup` the measured window opens (time, broker CPU,
// deliveries counted at the subscribers); after `duration` it closes, publishing stops, the
// remaining messages drain for up to 2 s, and one JSON line is printed.
#include "client.hpp"
#include "options.hpp"
#include "pacer.hpp"

#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace loadgen {

class load_run final : public client_events {
public:
    load_run(boost::asio::io_context& io, const options& o);
    // Runs to the end; returns the process exit code.
    int run();

    void on_connack(mqtt_client& c, std::uint8_t return_code) override;
    void on_suback(mqtt_client& c) override;
    void on_message(mqtt_client& c, std::string_view topic, std::string_view payload) override;
    void on_acked(mqtt_client& c) override;
    void on_writable(mqtt_client& c) override;
    void on_closed(mqtt_client& c, error_code ec) override;

private:
    using clock = std::chrono::steady_clock;
    enum class phase : std::uint8_t { subscribers, subscribing, publishers, running, draining, done };

    bool is_publisher(const mqtt_client& c) const { return c.index() >= subs_.size(); }
    std::size_t publisher_of(const mqtt_client& c) const { return c.index() - subs_.size(); }
    std::uint64_t outstanding(std::size_t p) const { return sent_[p] * fan_[p] - delivered_[p]; }
    void open_publishers();
    void start_running();
    void pump(std::size_t p);
    void paced_tick();
    void open_window();
    void close_window();
    void drain_check();
    void fail_setup(const std::string& why);
    void finish();

    boost::asio::io_context& io_;
    options o_;
    pacer pacer_;
    boost::asio::steady_timer phase_timer_;
    boost::asio::steady_timer rate_timer_;
    boost::asio::steady_timer deadline_;
    std::vector<std::unique_ptr<mqtt_client>> subs_;
    std::vector<std::unique_ptr<mqtt_client>> pubs_;
    std::vector<std::string> pub_topics_;
    std::vector<std::uint64_t> fan_;
    std::vector<std::uint64_t> sent_;
    std::vector<std::uint64_t> delivered_;
    std::vector<bool> blocked_;
    std::string payload_;
    std::string run_id_;
    phase phase_ = phase::subscribers;
    std::size_t ready_ = 0;
    std::size_t failures_ = 0;
    std::string error_;
    std::uint64_t sent_total_ = 0;
    std::uint64_t delivered_total_ = 0;
    std::uint64_t expected_per_round_ = 0;
    bool measuring_ = false;
    bool stopping_ = false;
    clock::time_point run_start_;
    clock::time_point drain_start_;
    clock::time_point window_start_;
    clock::time_point window_end_;
    std::int64_t window_start_ns_ = 0;
    std::int64_t window_end_ns_ = INT64_MAX;
    std::int64_t cpu_start_ = 0;
    std::int64_t cpu_end_ = 0;
    std::int64_t self_start_ = 0;
    std::int64_t self_end_ = 0;
    std::uint64_t delivered_start_ = 0;
    std::uint64_t delivered_end_ = 0;
    std::uint64_t sent_start_ = 0;
    std::uint64_t sent_end_ = 0;
    std::vector<std::int64_t> latencies_ns_;
};

} // namespace loadgen
