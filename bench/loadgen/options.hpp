#pragma once
// Command line of postcard-loadgen: `--key value` pairs (see usage() in main.cpp).
#include <cstddef>
#include <cstdint>
#include <string>

namespace loadgen {

struct options {
    std::string mode = "throughput";  // throughput | latency | idle
    std::string host = "127.0.0.1";
    std::uint16_t port = 1883;
    bool websocket = false;
    std::string layout = "one";       // one | pairs | fanout | fanin
    std::size_t publishers = 1;
    std::size_t subscribers = 1;
    std::uint8_t qos = 0;
    std::size_t payload = 64;         // bytes, at least 12 (timestamp and publisher index)
    double warmup_s = 0.5;
    double duration_s = 2.0;
    std::uint64_t count = 0;          // messages per publisher; 0 = run for duration_s
    std::size_t window = 1000;        // end-to-end: messages per publisher not yet delivered
    std::size_t inflight = 100;       // QoS > 0: PUBLISHes per publisher not yet acknowledged
    double rate = 1000;               // latency mode: messages per second, all publishers together
    std::size_t connections = 10000;  // idle mode
    double connect_rate = 2000;       // connections opened per second (idle mode and subscribers)
    double hold_s = 1.0;              // idle mode: how long the connections stay open after the count
    int broker_pid = 0;
    std::string label;
    double timeout_s = 60;
};

// Parses argv; on a mistake writes to `error` and returns false.
bool parse_options(int argc, char** argv, options& out, std::string& error);

} // namespace loadgen
