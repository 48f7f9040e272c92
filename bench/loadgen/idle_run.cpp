#include "idle_run.hpp"

#include "json_line.hpp"
#include "proc_stats.hpp"

#include <unistd.h>

#include <cstdio>

namespace loadgen {

idle_run::idle_run(boost::asio::io_context& io, const options& o) : io_(io), o_(o), pacer_(io), timer_(io) {
    for (std::size_t i = 0; i < o_.connections; ++i)
        clients_.push_back(std::make_unique<mqtt_client>(io_, o_.websocket, *this, i, 256));
    acked_.assign(o_.connections, false);
}

int idle_run::run() {
    rss_before_ = process_rss_bytes(o_.broker_pid);
    cpu_before_ = process_cpu_us(o_.broker_pid);
    start_ = std::chrono::steady_clock::now();
    auto id = "lg" + std::to_string(getpid()) + "i";
    pacer_.start(
        clients_.size(), o_.connect_rate,
        [this, id](std::size_t i) {
            ++opened_;
            clients_[i]->open(o_.host, o_.port, id + std::to_string(i), 600);
        },
        [this] { settled_check(); });
    io_.run();
    return error_.empty() && failed_ == 0 && dropped_ == 0 ? 0 : 2;
}

void idle_run::on_connack(mqtt_client& c, std::uint8_t return_code) {
    if (acked_[c.index()]) return;
    acked_[c.index()] = true;
    last_connack_ = std::chrono::steady_clock::now();
    if (return_code == 0) ++connected_;
    else ++failed_;
}

void idle_run::on_closed(mqtt_client& c, error_code ec) {
    if (done_) return;
    if (error_.empty()) error_ = ec.message();
    if (!acked_[c.index()]) {
        acked_[c.index()] = true;
        ++failed_;
    } else {
        ++dropped_;
    }
}

void idle_run::settled_check() {
    std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
    bool settled = connected_ + failed_ == clients_.size();
    if (settled || elapsed.count() > o_.timeout_s) {
        if (!settled && error_.empty()) error_ = "timeout before every CONNACK";
        timer_.expires_after(std::chrono::seconds(1));
        timer_.async_wait([this](error_code ec) {
            if (!ec) measure();
        });
        return;
    }
    timer_.expires_after(std::chrono::milliseconds(20));
    timer_.async_wait([this](error_code ec) {
        if (!ec) settled_check();
    });
}

void idle_run::measure() {
    rss_after_ = process_rss_bytes(o_.broker_pid);
    cpu_after_ = process_cpu_us(o_.broker_pid);
    holding_ = true;
    timer_.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(o_.hold_s)));
    timer_.async_wait([this](error_code ec) {
        if (!ec) report();
    });
}

void idle_run::report() {
    done_ = true;
    std::chrono::duration<double> connecting = last_connack_ - start_;
    std::int64_t delta = rss_before_ >= 0 && rss_after_ >= 0 ? rss_after_ - rss_before_ : -1;
    json_line j;
    j.str("label", o_.label);
    j.str("mode", "idle");
    j.str("transport", o_.websocket ? "ws" : "tcp");
    j.num("connections", static_cast<double>(clients_.size()));
    j.num("connect_rate", o_.connect_rate);
    j.num("connected", static_cast<double>(connected_));
    j.num("failed", static_cast<double>(failed_));
    j.num("dropped_while_held", static_cast<double>(dropped_));
    j.num("connect_seconds", connecting.count());
    j.num("rss_before", static_cast<double>(rss_before_));
    j.num("rss_after", static_cast<double>(rss_after_));
    j.num("bytes_per_connection",
          delta >= 0 && connected_ > 0 ? static_cast<double>(delta) / static_cast<double>(connected_) : -1);
    j.num("broker_cpu_us_per_connection",
          cpu_before_ >= 0 && connected_ > 0
              ? static_cast<double>(cpu_after_ - cpu_before_) / static_cast<double>(connected_)
              : -1);
    j.str("error", error_);
    std::printf("%s\n", j.text().c_str());
    std::fflush(stdout);
    for (auto& c : clients_) c->disconnect();
    timer_.expires_after(std::chrono::milliseconds(300));
    timer_.async_wait([this](error_code) {
        for (auto& c : clients_) c->close();
        io_.stop();
    });
}

} // namespace loadgen
