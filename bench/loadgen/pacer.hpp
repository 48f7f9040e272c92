#pragma once
// Calls open(i) for i = 0..n-1 at a steady `rate` per second (in 5 ms steps), then done().
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cmath>
#include <cstddef>
#include <functional>

namespace loadgen {

class pacer {
public:
    explicit pacer(boost::asio::io_context& io) : timer_(io) {}

    void start(std::size_t n, double rate, std::function<void(std::size_t)> open, std::function<void()> done) {
        n_ = n;
        rate_ = rate;
        next_ = 0;
        open_ = std::move(open);
        done_ = std::move(done);
        start_ = std::chrono::steady_clock::now();
        tick();
    }

    void cancel() { timer_.cancel(); }

private:
    void tick() {
        std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
        auto due = static_cast<std::size_t>(std::floor(rate_ * elapsed.count())) + 1;
        if (due > n_) due = n_;
        while (next_ < due) open_(next_++);
        if (next_ >= n_) {
            done_();
            return;
        }
        timer_.expires_after(std::chrono::milliseconds(5));
        timer_.async_wait([this](boost::system::error_code ec) {
            if (!ec) tick();
        });
    }

    boost::asio::steady_timer timer_;
    std::size_t n_ = 0;
    double rate_ = 1;
    std::size_t next_ = 0;
    std::function<void(std::size_t)> open_;
    std::function<void()> done_;
    std::chrono::steady_clock::time_point start_;
};

} // namespace loadgen
