// postcard-loadgen: a single-threaded MQTT 3.1.1 load generator for the broker benchmark.
// Prints one JSON line of results per run.
#include "idle_run.hpp"
#include "load_run.hpp"
#include "options.hpp"

#include <csignal>
#include <cstdio>
#include <string_view>

namespace {

void usage() {
    std::fputs(
        "usage: postcard-loadgen [--mode throughput|latency|idle] [--host 127.0.0.1] [--port 1883] [--ws]\n"
        "  [--layout one|pairs|fanout|fanin] [--pubs N] [--subs M] [--qos 0|1|2] [--payload BYTES]\n"
        "  [--warmup S] [--duration S] [--count MSGS_PER_PUBLISHER] [--window MSGS] [--inflight MSGS]\n"
        "  [--rate MSGS_PER_S] [--connections N] [--connect-rate PER_S] [--hold S]\n"
        "  [--broker-pid PID] [--label TEXT] [--timeout S]\n",
        stderr);
}

} // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);
    for (int i = 1; i < argc; ++i) {
        if (std::string_view(argv[i]) == "--help") {
            usage();
            return 0;
        }
    }
    loadgen::options o;
    std::string error;
    if (!loadgen::parse_options(argc, argv, o, error)) {
        std::fprintf(stderr, "postcard-loadgen: %s\n", error.c_str());
        usage();
        return 1;
    }
    boost::asio::io_context io(1);
    if (o.mode == "idle") {
        loadgen::idle_run run(io, o);
        return run.run();
    }
    loadgen::load_run run(io, o);
    return run.run();
}
