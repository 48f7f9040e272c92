#include "load_run.hpp"

#include "json_line.hpp"
#include "proc_stats.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace loadgen {
namespace {

constexpr std::size_t out_high_water = 64 * 1024;
constexpr std::uint16_t keep_alive_s = 300;

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

load_run::load_run(boost::asio::io_context& io, const options& o)
    : io_(io), o_(o), pacer_(io), phase_timer_(io), rate_timer_(io), deadline_(io) {
    run_id_ = std::to_string(getpid());
    auto n_subs = o_.subscribers;
    auto n_pubs = o_.publishers;
    for (std::size_t i = 0; i < n_subs; ++i)
        subs_.push_back(std::make_unique<mqtt_client>(io_, o_.websocket, *this, i, 64 * 1024));
    for (std::size_t p = 0; p < n_pubs; ++p) {
        pubs_.push_back(std::make_unique<mqtt_client>(io_, o_.websocket, *this, n_subs + p, 4 * 1024));
        if (o_.layout == "pairs") pub_topics_.push_back("bench/p/" + std::to_string(p));
        else if (o_.layout == "fanin") pub_topics_.push_back("bench/in/" + std::to_string(p));
        else if (o_.layout == "fanout") pub_topics_.push_back("bench/fan");
        else pub_topics_.push_back("bench/one");
        fan_.push_back(o_.layout == "fanout" ? n_subs : 1);
        expected_per_round_ += fan_.back();
    }
    sent_.assign(n_pubs, 0);
    delivered_.assign(n_pubs, 0);
    blocked_.assign(n_pubs, false);
    payload_.assign(o_.payload, 'x');
}

int load_run::run() {
    deadline_.expires_after(std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(o_.timeout_s)));
    deadline_.async_wait([this](error_code ec) {
        if (!ec && phase_ != phase::done) fail_setup("timeout");
    });
    pacer_.start(
        subs_.size(), o_.connect_rate,
        [this](std::size_t i) { subs_[i]->open(o_.host, o_.port, "lg" + run_id_ + "s" + std::to_string(i), keep_alive_s); },
        [] {});
    io_.run();
    return error_.empty() ? 0 : 2;
}

void load_run::on_connack(mqtt_client& c, std::uint8_t return_code) {
    if (return_code != 0) {
        fail_setup("CONNACK return code " + std::to_string(return_code));
        return;
    }
    ++ready_;
    if (!is_publisher(c) && ready_ == subs_.size()) {
        phase_ = phase::subscribing;
        ready_ = 0;
        for (std::size_t i = 0; i < subs_.size(); ++i) {
            std::string filter = "bench/one";
            if (o_.layout == "pairs") filter = "bench/p/" + std::to_string(i);
            else if (o_.layout == "fanin") filter = "bench/in/+";
            else if (o_.layout == "fanout") filter = "bench/fan";
            subs_[i]->subscribe(filter, o_.qos);
        }
    } else if (is_publisher(c) && ready_ == pubs_.size()) {
        start_running();
    }
}

void load_run::on_suback(mqtt_client&) {
    if (++ready_ == subs_.size()) open_publishers();
}

void load_run::open_publishers() {
    phase_ = phase::publishers;
    ready_ = 0;
    for (std::size_t p = 0; p < pubs_.size(); ++p)
        pubs_[p]->open(o_.host, o_.port, "lg" + run_id_ + "p" + std::to_string(p), keep_alive_s);
}

void load_run::start_running() {
    phase_ = phase::running;
    run_start_ = clock::now();
    bool by_count = o_.count > 0 && o_.mode == "throughput";
    if (by_count) {
        open_window();
    } else {
        phase_timer_.expires_after(std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(o_.warmup_s)));
        phase_timer_.async_wait([this](error_code ec) {
            if (ec) return;
            open_window();
            phase_timer_.expires_after(
                std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(o_.duration_s)));
            phase_timer_.async_wait([this](error_code e) {
                if (!e) close_window();
            });
        });
    }
    if (o_.mode == "latency") paced_tick();
    else
        for (std::size_t p = 0; p < pubs_.size(); ++p) pump(p);
}

void load_run::pump(std::size_t p) {
    auto& c = *pubs_[p];
    if (stopping_ || c.closed()) return;
    blocked_[p] = false;
    std::uint32_t index = static_cast<std::uint32_t>(p);
    std::memcpy(payload_.data() + 8, &index, 4);
    while (c.pending_bytes() < out_high_water) {
        if (o_.count > 0 && sent_[p] >= o_.count) break;
        if (outstanding(p) >= o_.window * fan_[p] || (o_.qos > 0 && c.inflight() >= o_.inflight)) {
            blocked_[p] = true;
            break;
        }
        if (!c.publish(pub_topics_[p], payload_, o_.qos)) break;
        ++sent_[p];
        ++sent_total_;
    }
    c.flush();
}

// Latency mode: every millisecond, publish what the fixed rate says is due, stamped with the time.
void load_run::paced_tick() {
    if (stopping_) return;
    std::chrono::duration<double> elapsed = clock::now() - run_start_;
    auto due = static_cast<std::uint64_t>(o_.rate * elapsed.count());
    std::vector<bool> touched(pubs_.size(), false);
    while (sent_total_ < due) {
        auto p = static_cast<std::size_t>(sent_total_ % pubs_.size());
        std::int64_t stamp = now_ns();
        std::uint32_t index = static_cast<std::uint32_t>(p);
        std::memcpy(payload_.data(), &stamp, 8);
        std::memcpy(payload_.data() + 8, &index, 4);
        if (!pubs_[p]->publish(pub_topics_[p], payload_, o_.qos)) break;
        ++sent_[p];
        ++sent_total_;
        touched[p] = true;
    }
    for (std::size_t p = 0; p < pubs_.size(); ++p)
        if (touched[p]) pubs_[p]->flush();
    rate_timer_.expires_after(std::chrono::milliseconds(1));
    rate_timer_.async_wait([this](error_code ec) {
        if (!ec) paced_tick();
    });
}

void load_run::open_window() {
    measuring_ = true;
    window_start_ = clock::now();
    window_start_ns_ = now_ns();
    cpu_start_ = process_cpu_us(o_.broker_pid);
    self_start_ = self_cpu_us();
    delivered_start_ = delivered_total_;
    sent_start_ = sent_total_;
}

void load_run::close_window() {
    if (!measuring_) return;
    measuring_ = false;
    window_end_ = clock::now();
    window_end_ns_ = now_ns();
    cpu_end_ = process_cpu_us(o_.broker_pid);
    self_end_ = self_cpu_us();
    delivered_end_ = delivered_total_;
    sent_end_ = sent_total_;
    stopping_ = true;
    rate_timer_.cancel();
    phase_ = phase::draining;
    drain_start_ = clock::now();
    drain_check();
}

void load_run::drain_check() {
    std::uint64_t missing = 0;
    for (std::size_t p = 0; p < pubs_.size(); ++p) missing += outstanding(p);
    if (missing == 0 || clock::now() - drain_start_ > std::chrono::seconds(2)) {
        finish();
        return;
    }
    phase_timer_.expires_after(std::chrono::milliseconds(20));
    phase_timer_.async_wait([this](error_code ec) {
        if (!ec) drain_check();
    });
}

void load_run::on_message(mqtt_client&, std::string_view, std::string_view payload) {
    if (payload.size() < 12) return;
    std::uint32_t p = 0;
    std::memcpy(&p, payload.data() + 8, 4);
    if (p >= pubs_.size()) return;
    ++delivered_[p];
    ++delivered_total_;
    if (o_.mode == "latency") {
        std::int64_t stamp = 0;
        std::memcpy(&stamp, payload.data(), 8);
        if (stamp >= window_start_ns_ && stamp < window_end_ns_ && window_start_ns_ != 0)
            latencies_ns_.push_back(now_ns() - stamp);
        return;
    }
    if (blocked_[p] && outstanding(p) <= o_.window * fan_[p] / 2) pump(p);
    if (o_.count > 0 && measuring_ && delivered_total_ == o_.count * expected_per_round_) close_window();
}

void load_run::on_acked(mqtt_client& c) {
    if (!is_publisher(c) || o_.mode == "latency") return;
    auto p = publisher_of(c);
    if (blocked_[p] && c.inflight() <= o_.inflight / 2) pump(p);
}

void load_run::on_writable(mqtt_client& c) {
    if (is_publisher(c) && phase_ == phase::running && o_.mode == "throughput") pump(publisher_of(c));
}

void load_run::on_closed(mqtt_client&, error_code ec) {
    ++failures_;
    if (error_.empty() && phase_ != phase::done) error_ = "connection closed: " + ec.message();
    if (phase_ < phase::running) fail_setup(error_);
}

void load_run::fail_setup(const std::string& why) {
    if (phase_ == phase::done) return;
    if (error_.empty()) error_ = why;
    if (measuring_) close_window();
    finish();
}

void load_run::finish() {
    if (phase_ == phase::done) return;
    phase_ = phase::done;
    pacer_.cancel();
    phase_timer_.cancel();
    rate_timer_.cancel();
    deadline_.cancel();

    double seconds = std::chrono::duration<double>(window_end_ - window_start_).count();
    std::uint64_t delivered = delivered_end_ - delivered_start_;
    std::uint64_t expected = 0;
    for (std::size_t p = 0; p < pubs_.size(); ++p) expected += sent_[p] * fan_[p];
    std::int64_t broker_cpu = (cpu_start_ >= 0 && cpu_end_ >= 0) ? cpu_end_ - cpu_start_ : -1;

    json_line j;
    j.str("label", o_.label);
    j.str("mode", o_.mode);
    j.str("transport", o_.websocket ? "ws" : "tcp");
    j.str("layout", o_.layout);
    j.num("pubs", static_cast<double>(pubs_.size()));
    j.num("subs", static_cast<double>(subs_.size()));
    j.num("qos", o_.qos);
    j.num("payload", static_cast<double>(o_.payload));
    j.num("window_s", seconds);
    j.num("sent", static_cast<double>(sent_end_ - sent_start_));
    j.num("delivered", static_cast<double>(delivered));
    j.num("msgs_per_s", seconds > 0 ? static_cast<double>(delivered) / seconds : 0);
    j.num("sent_total", static_cast<double>(sent_total_));
    j.num("expected_total", static_cast<double>(expected));
    j.num("delivered_total", static_cast<double>(delivered_total_));
    j.num("undelivered", static_cast<double>(expected - std::min(expected, delivered_total_)));
    j.num("broker_cpu_us", static_cast<double>(broker_cpu));
    j.num("broker_cpu_us_per_delivery",
          broker_cpu >= 0 && delivered > 0 ? static_cast<double>(broker_cpu) / static_cast<double>(delivered) : -1);
    j.num("broker_cpu_pct", broker_cpu >= 0 && seconds > 0 ? static_cast<double>(broker_cpu) / seconds / 1e4 : -1);
    j.num("gen_cpu_pct", seconds > 0 ? static_cast<double>(self_end_ - self_start_) / seconds / 1e4 : -1);
    if (o_.mode == "latency") {
        std::sort(latencies_ns_.begin(), latencies_ns_.end());
        auto pick = [this](double q) {
            if (latencies_ns_.empty()) return -1.0;
            auto i = static_cast<std::size_t>(q * static_cast<double>(latencies_ns_.size() - 1));
            return static_cast<double>(latencies_ns_[i]) / 1000.0;
        };
        j.num("lat_samples", static_cast<double>(latencies_ns_.size()));
        j.num("lat_p50_us", pick(0.5));
        j.num("lat_p99_us", pick(0.99));
        j.num("lat_max_us", pick(1.0));
    }
    j.num("failures", static_cast<double>(failures_));
    j.str("error", error_);
    std::printf("%s\n", j.text().c_str());
    std::fflush(stdout);

    for (auto& c : subs_) c->disconnect();
    for (auto& c : pubs_) c->disconnect();
    phase_timer_.expires_after(std::chrono::milliseconds(100));
    phase_timer_.async_wait([this](error_code) {
        for (auto& c : subs_) c->close();
        for (auto& c : pubs_) c->close();
        io_.stop();
    });
}

} // namespace loadgen
