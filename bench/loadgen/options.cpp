#include "options.hpp"

#include <cstdlib>
#include <string_view>

namespace loadgen {
namespace {

bool to_double(const std::string& s, double& out) {
    char* end = nullptr;
    out = std::strtod(s.c_str(), &end);
    return end != s.c_str() && *end == '\0' && out >= 0;
}

bool to_size(const std::string& s, std::uint64_t& out) {
    char* end = nullptr;
    out = std::strtoull(s.c_str(), &end, 10);
    return end != s.c_str() && *end == '\0';
}

} // namespace

bool parse_options(int argc, char** argv, options& o, std::string& error) {
    for (int i = 1; i < argc; ++i) {
        std::string_view key = argv[i];
        if (key == "--ws") {
            o.websocket = true;
            continue;
        }
        if (i + 1 >= argc) {
            error = "missing value for " + std::string(key);
            return false;
        }
        std::string value = argv[++i];
        std::uint64_t n = 0;
        bool ok = true;
        if (key == "--mode") o.mode = value;
        else if (key == "--host") o.host = value;
        else if (key == "--layout") o.layout = value;
        else if (key == "--label") o.label = value;
        else if (key == "--port") { ok = to_size(value, n) && n > 0 && n < 65536; o.port = static_cast<std::uint16_t>(n); }
        else if (key == "--pubs") { ok = to_size(value, n) && n > 0; o.publishers = static_cast<std::size_t>(n); }
        else if (key == "--subs") { ok = to_size(value, n) && n > 0; o.subscribers = static_cast<std::size_t>(n); }
        else if (key == "--qos") { ok = to_size(value, n) && n <= 2; o.qos = static_cast<std::uint8_t>(n); }
        else if (key == "--payload") { ok = to_size(value, n) && n >= 12 && n < 1'000'000; o.payload = static_cast<std::size_t>(n); }
        else if (key == "--warmup") ok = to_double(value, o.warmup_s);
        else if (key == "--duration") ok = to_double(value, o.duration_s) && o.duration_s > 0;
        else if (key == "--count") ok = to_size(value, o.count);
        else if (key == "--window") { ok = to_size(value, n) && n > 0; o.window = static_cast<std::size_t>(n); }
        else if (key == "--inflight") { ok = to_size(value, n) && n > 0 && n < 65535; o.inflight = static_cast<std::size_t>(n); }
        else if (key == "--rate") ok = to_double(value, o.rate) && o.rate > 0;
        else if (key == "--connections") { ok = to_size(value, n) && n > 0; o.connections = static_cast<std::size_t>(n); }
        else if (key == "--connect-rate") ok = to_double(value, o.connect_rate) && o.connect_rate > 0;
        else if (key == "--hold") ok = to_double(value, o.hold_s);
        else if (key == "--broker-pid") { ok = to_size(value, n); o.broker_pid = static_cast<int>(n); }
        else if (key == "--timeout") ok = to_double(value, o.timeout_s) && o.timeout_s > 0;
        else {
            error = "unknown option " + std::string(key);
            return false;
        }
        if (!ok) {
            error = "bad value for " + std::string(key) + ": " + value;
            return false;
        }
    }
    if (o.mode != "throughput" && o.mode != "latency" && o.mode != "idle") {
        error = "mode must be throughput, latency or idle";
        return false;
    }
    if (o.layout == "one") o.publishers = o.subscribers = 1;
    else if (o.layout == "pairs") o.subscribers = o.publishers;
    else if (o.layout == "fanout") o.publishers = 1;
    else if (o.layout == "fanin") o.subscribers = 1;
    else {
        error = "layout must be one, pairs, fanout or fanin";
        return false;
    }
    return true;
}

} // namespace loadgen
