#!/usr/bin/env python3
"""Postcard vs Mosquitto: the native broker benchmark (python3 standard library only).

Starts postcard and mosquitto up front with equivalent configurations, pins each broker to core 0
and the load generator (postcard-loadgen) to core 1, runs every scenario interleaved
(postcard, mosquitto, postcard, ...) for N repetitions and prints markdown tables.
The idle-connection (memory) scenarios start each broker afresh before every repetition, so that the
RSS delta is not hidden by memory an earlier scenario freed.

  bench/run.py [--quick] [--reps 5] [--build DIR] [--boost] [--only KEY ...] [--raw FILE]
  bench/run.py --crosscheck      # QoS0 1->1 with mosquitto_pub/mosquitto_sub against both brokers
"""
import argparse
import datetime
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BROKER_CORE = "0"
GENERATOR_CORE = "1"
PORTS = {"postcard": (21883, 21884), "mosquitto": (21983, 21984)}
MAX_QUEUED = 10000
MAX_INFLIGHT = 100

# The same limits on both brokers; persistence off; TCP_NODELAY on (postcard always sets it).
CONFIG = """per_listener_settings false
allow_anonymous true
persistence false
max_queued_messages {queued}
max_inflight_messages {inflight}
set_tcp_nodelay true
log_dest stderr
log_type error
connection_messages false
listener {tcp} 127.0.0.1
listener {ws} 127.0.0.1
protocol websockets
"""

# key, title, generator arguments, target CPU ratio (postcard/mosquitto, at most),
# target throughput ratio (postcard/mosquitto, at least), websocket
THROUGHPUT = [
    ("qos0_1to1", "QoS0 1->1", ["--layout", "one", "--qos", "0"], 0.25, None, False),
    ("qos1_1to1", "QoS1 1->1", ["--layout", "one", "--qos", "1"], 0.5, None, False),
    ("qos2_1to1", "QoS2 1->1", ["--layout", "one", "--qos", "2"], None, None, False),
    ("qos0_16to16", "QoS0 16->16", ["--layout", "pairs", "--pubs", "16", "--qos", "0"], 0.25, 2.0, False),
    ("qos0_fanout", "QoS0 fan-out 1->1000", ["--layout", "fanout", "--subs", "1000", "--qos", "0", "--window", "100"], 0.25, 2.0, False),
    ("qos1_fanout", "QoS1 fan-out 1->1000", ["--layout", "fanout", "--subs", "1000", "--qos", "1", "--window", "100"], 0.5, 2.0, False),
    ("qos0_fanin", "QoS0 fan-in 16->1 (bench/in/+)", ["--layout", "fanin", "--pubs", "16", "--qos", "0"], 0.25, None, False),
    ("ws_qos0_1to1", "WebSocket QoS0 1->1", ["--layout", "one", "--qos", "0"], 0.25, None, True),
]


def median_range(values):
    values = [v for v in values if v is not None]
    if not values:
        return None, None, None
    return statistics.median(values), min(values), max(values)


def fmt(v, digits=0):
    if v is None:
        return "n/a"
    if digits == 0:
        return f"{v:,.0f}"
    return f"{v:.{digits}f}"


def fmt_ratio(values, digits=2):
    m, lo, hi = median_range(values)
    if m is None:
        return "n/a"
    return f"{m:.{digits}f} [{lo:.{digits}f}..{hi:.{digits}f}]"


def set_autogroup_nice(pid, nice):
    # With sched_autogroup each session competes as one group: a benchmark process in its own
    # session with a raised group priority is not starved by other sessions' compilers.
    try:
        with open(f"/proc/{pid}/autogroup", "w") as f:
            f.write(str(nice))
    except OSError:
        pass


class Broker:
    def __init__(self, name, exe, workdir, boost):
        self.name, self.exe, self.boost = name, exe, boost
        self.tcp, self.ws = PORTS[name]
        self.conf = os.path.join(workdir, f"{name}.conf")
        self.log = os.path.join(workdir, f"{name}.log")
        with open(self.conf, "w") as f:
            f.write(CONFIG.format(queued=MAX_QUEUED, inflight=MAX_INFLIGHT, tcp=self.tcp, ws=self.ws))
        self.proc = None

    def start(self):
        log = open(self.log, "a")
        self.proc = subprocess.Popen(["taskset", "-c", BROKER_CORE, self.exe, "-c", self.conf],
                                     stdout=log, stderr=log, stdin=subprocess.DEVNULL,
                                     start_new_session=True)
        if self.boost:
            set_autogroup_nice(self.proc.pid, -10)
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start: see {self.log}")
            if all(port_open(p) for p in (self.tcp, self.ws)):
                return
            time.sleep(0.05)
        raise RuntimeError(f"{self.name} did not listen on {self.tcp}/{self.ws}: see {self.log}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def restart(self):
        self.stop()
        time.sleep(0.2)
        self.start()

    @property
    def pid(self):
        return self.proc.pid


def port_open(port):
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def run_generator(loadgen, broker, args, ws, label, boost, raw):
    cmd = ["taskset", "-c", GENERATOR_CORE, loadgen, "--port", str(broker.ws if ws else broker.tcp),
           "--broker-pid", str(broker.pid), "--label", label] + (["--ws"] if ws else []) + args
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    if boost:
        set_autogroup_nice(proc.pid, -10)
    try:
        out, err = proc.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    result = None
    for line in out.splitlines():
        if line.startswith("{"):
            result = json.loads(line)
    if result is None:
        result = {"label": label, "error": f"no result (exit {proc.returncode}): {err.strip()[:200]}"}
    result["broker"] = broker.name
    raw.write(json.dumps(result) + "\n")
    raw.flush()
    brief = result.get("msgs_per_s", result.get("bytes_per_connection", ""))
    print(f"  {label:<34} {broker.name:<9} {brief} {result.get('error', '')}", file=sys.stderr)
    time.sleep(0.3)
    return result


def throughput_table(results, scenarios):
    lines = ["| scenario | postcard msg/s | mosquitto msg/s | throughput ratio | postcard CPU µs/delivery "
             "| mosquitto CPU µs/delivery | CPU ratio | target | met |",
             "|---|---:|---:|---|---:|---:|---|---|---|"]
    for key, title, _, cpu_target, tput_target, _ in scenarios:
        pc, mq = results[key]["postcard"], results[key]["mosquitto"]
        tput = [safe_div(a.get("msgs_per_s"), b.get("msgs_per_s")) for a, b in zip(pc, mq)]
        cpu = [safe_div(a.get("broker_cpu_us_per_delivery"), b.get("broker_cpu_us_per_delivery")) for a, b in zip(pc, mq)]
        targets, met = [], []
        if cpu_target is not None:
            targets.append(f"CPU <= {cpu_target:g}x")
            m = median_range(cpu)[0]
            met.append(m is not None and m <= cpu_target)
        if tput_target is not None:
            targets.append(f"msg/s >= {tput_target:g}x")
            m = median_range(tput)[0]
            met.append(m is not None and m >= tput_target)
        failed = sum(1 for r in pc + mq if r.get("error"))
        slow = sum(1 for r in pc + mq if r.get("undelivered", 0) > 0)
        verdict = ("met" if all(met) else "not met") if met else "(report)"
        if failed:
            verdict += f" ({failed} runs failed)"
        if slow:
            verdict += f" ({slow} runs not fully delivered 2 s after publishing stopped)"
        lines.append("| {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
            title, fmt(median_range([r.get("msgs_per_s") for r in pc])[0]),
            fmt(median_range([r.get("msgs_per_s") for r in mq])[0]), fmt_ratio(tput),
            fmt(median_range([r.get("broker_cpu_us_per_delivery") for r in pc])[0], 2),
            fmt(median_range([r.get("broker_cpu_us_per_delivery") for r in mq])[0], 2),
            fmt_ratio(cpu), ", ".join(targets) or "-", verdict))
    return "\n".join(lines)


def latency_table(pc, mq, rate):
    p50 = [safe_div(a.get("lat_p50_us"), b.get("lat_p50_us")) for a, b in zip(pc, mq)]
    p99 = [safe_div(a.get("lat_p99_us"), b.get("lat_p99_us")) for a, b in zip(pc, mq)]
    m50, m99 = median_range(p50)[0], median_range(p99)[0]
    met = m50 is not None and m99 is not None and m50 <= 1.0 and m99 <= 1.0
    med = lambda rs, k: fmt(median_range([r.get(k) for r in rs])[0])  # noqa: E731
    return "\n".join([
        f"| QoS0 1->1 at {rate:g} msg/s | p50 µs | p99 µs | max µs | broker CPU µs/delivery |",
        "|---|---:|---:|---:|---:|",
        f"| postcard | {med(pc, 'lat_p50_us')} | {med(pc, 'lat_p99_us')} | {med(pc, 'lat_max_us')} | "
        f"{fmt(median_range([r.get('broker_cpu_us_per_delivery') for r in pc])[0], 2)} |",
        f"| mosquitto | {med(mq, 'lat_p50_us')} | {med(mq, 'lat_p99_us')} | {med(mq, 'lat_max_us')} | "
        f"{fmt(median_range([r.get('broker_cpu_us_per_delivery') for r in mq])[0], 2)} |",
        f"| ratio postcard/mosquitto | {fmt_ratio(p50)} | {fmt_ratio(p99)} | | |",
        "",
        f"Latency target (p50 and p99 no worse than mosquitto's): {'met' if met else 'not met'}",
    ])


def memory_table(results, connections, rate):
    lines = [f"| idle connections ({connections:,} at {rate:g}/s) | postcard bytes/conn | mosquitto bytes/conn "
             "| ratio | postcard failed | mosquitto failed | target | met |",
             "|---|---:|---:|---|---:|---:|---|---|"]
    for transport, limit in (("tcp", 1024), ("ws", 2048)):
        pc, mq = results[transport]["postcard"], results[transport]["mosquitto"]
        ratio = [safe_div(a.get("bytes_per_connection"), b.get("bytes_per_connection")) for a, b in zip(pc, mq)]
        per = median_range([r.get("bytes_per_connection") for r in pc])[0]
        fails = lambda rs: sum(int(r.get("failed", 1)) + int(r.get("dropped_while_held", 0)) for r in rs)  # noqa: E731
        met = per is not None and per <= limit and fails(pc) == 0
        lines.append("| {} | {} | {} | {} | {} | {} | <= {} B, no failure | {} |".format(
            "TCP" if transport == "tcp" else "WebSocket", fmt(per),
            fmt(median_range([r.get("bytes_per_connection") for r in mq])[0]), fmt_ratio(ratio),
            fails(pc), fails(mq), limit, "met" if met else "not met"))
    return "\n".join(lines)


def safe_div(a, b):
    if a is None or b is None or a < 0 or b <= 0:
        return None
    return a / b


def crosscheck(brokers, loadgen, boost, raw, count):
    """QoS0 1->1 with mosquitto_sub -C N and mosquitto_pub -l, next to the generator's own figure.
    The rate is the messages mosquitto_sub printed over the time from the first publish to its last line."""
    payload = "x" * 64
    with tempfile.NamedTemporaryFile("w", delete=False, suffix=".txt") as f:
        f.write((payload + "\n") * count)
        lines_file = f.name
    print("| broker | mosquitto_pub -l -> mosquitto_sub -C msg/s | received of sent | postcard-loadgen msg/s |")
    print("|---|---:|---:|---:|")
    for b in brokers:
        topic = "bench/crosscheck"
        sub = subprocess.Popen(["taskset", "-c", GENERATOR_CORE, "mosquitto_sub", "-p", str(b.tcp), "-t", topic,
                                "-q", "0", "-C", str(count)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        seen = {"n": 0, "last": None}

        def read_lines():
            for _ in sub.stdout:
                seen["n"] += 1
                seen["last"] = time.time()

        reader = threading.Thread(target=read_lines)
        reader.start()
        time.sleep(0.5)
        start = time.time()
        with open(lines_file) as src:
            subprocess.run(["taskset", "-c", GENERATOR_CORE, "mosquitto_pub", "-p", str(b.tcp), "-t", topic,
                            "-q", "0", "-l"], stdin=src, check=False)
        try:
            sub.wait(timeout=5)
        except subprocess.TimeoutExpired:
            sub.terminate()
            sub.wait()
        reader.join()
        elapsed = (seen["last"] or start) - start
        rate = seen["n"] / elapsed if elapsed > 0 else 0
        gen = run_generator(loadgen, b, ["--layout", "one", "--qos", "0", "--count", str(count)], False,
                            "crosscheck", boost, raw)
        print(f"| {b.name} | {rate:,.0f} | {seen['n']:,} of {count:,} | {gen.get('msgs_per_s', 0):,.0f} |")
    os.unlink(lines_file)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="1 repetition, shorter runs")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--build", default=os.path.join(ROOT, "build-bench"), help="build directory with bin/")
    ap.add_argument("--postcard", help="postcard executable (default BUILD/bin/postcard)")
    ap.add_argument("--mosquitto", default="/usr/sbin/mosquitto")
    ap.add_argument("--loadgen", help="postcard-loadgen executable (default BUILD/bin/postcard-loadgen)")
    ap.add_argument("--boost", action="store_true",
                    help="run brokers and generator in their own sessions at autogroup nice -10 (shared machine)")
    ap.add_argument("--only", nargs="*", help="scenario keys: " + " ".join(
        [s[0] for s in THROUGHPUT] + ["latency", "idle_tcp", "idle_ws"]))
    ap.add_argument("--raw", default="/tmp/postcard-bench-raw.jsonl", help="every result line, JSON")
    ap.add_argument("--crosscheck", action="store_true", help="compare with mosquitto_pub/mosquitto_sub and stop")
    o = ap.parse_args()

    reps = 1 if o.quick else o.reps
    duration, warmup = ("1", "0.3") if o.quick else ("2", "0.5")
    lat_duration = "2" if o.quick else "5"
    lat_rate = 1000
    connections, connect_rate = 10000, 2000
    postcard = o.postcard or os.path.join(o.build, "bin", "postcard")
    loadgen = o.loadgen or os.path.join(o.build, "bin", "postcard-loadgen")
    for exe in (postcard, loadgen, o.mosquitto):
        if not os.access(exe, os.X_OK):
            sys.exit(f"missing executable {exe}")
    if not shutil.which("taskset"):
        sys.exit("taskset (util-linux) is required")
    # Both brokers and the generator hold up to 10,000 sockets each.
    resource.setrlimit(resource.RLIMIT_NOFILE, (20000, 20000))
    wanted = lambda key: not o.only or key in o.only  # noqa: E731

    workdir = tempfile.mkdtemp(prefix="postcard-bench-")
    brokers = [Broker("postcard", postcard, workdir, o.boost), Broker("mosquitto", o.mosquitto, workdir, o.boost)]
    raw = open(o.raw, "a")
    started = datetime.datetime.now(datetime.timezone.utc)
    load_start = os.getloadavg()[0]
    try:
        for b in brokers:
            b.start()
        if o.crosscheck:
            crosscheck(brokers, loadgen, o.boost, raw, 200000)
            return
        common = ["--warmup", warmup, "--duration", duration, "--connect-rate", "5000"]
        results = {}
        scenarios = [s for s in THROUGHPUT if wanted(s[0])]
        for key, title, args, _, _, ws in scenarios:
            results[key] = {"postcard": [], "mosquitto": []}
            for rep in range(reps):
                for b in brokers:
                    results[key][b.name].append(
                        run_generator(loadgen, b, args + common, ws, f"{key}#{rep + 1}", o.boost, raw))
        lat = {"postcard": [], "mosquitto": []}
        if wanted("latency"):
            for rep in range(reps):
                for b in brokers:
                    lat[b.name].append(run_generator(
                        loadgen, b, ["--mode", "latency", "--rate", str(lat_rate), "--warmup", "0.5",
                                     "--duration", lat_duration], False, f"latency#{rep + 1}", o.boost, raw))
        mem = {}
        for transport in ("tcp", "ws"):
            if not wanted("idle_" + transport):
                continue
            mem[transport] = {"postcard": [], "mosquitto": []}
            for rep in range(reps):
                for b in brokers:
                    b.restart()  # a fresh process: the RSS delta is the connections' own
                    mem[transport][b.name].append(run_generator(
                        loadgen, b, ["--mode", "idle", "--connections", str(connections), "--connect-rate",
                                     str(connect_rate), "--hold", "1"], transport == "ws",
                        f"idle_{transport}#{rep + 1}", o.boost, raw))
        finished = datetime.datetime.now(datetime.timezone.utc)

        print(f"Run {started:%Y-%m-%d %H:%M} - {finished:%H:%M} UTC, {reps} repetition(s), "
              f"{duration} s measured per throughput run, load average {load_start:.1f} at the start, "
              f"{os.getloadavg()[0]:.1f} at the end.")
        print(f"Command: bench/run.py {' '.join(sys.argv[1:])}")
        print()
        if scenarios:
            print(throughput_table(results, scenarios))
            print()
        if wanted("latency"):
            print(latency_table(lat["postcard"], lat["mosquitto"], lat_rate))
            print()
        if len(mem) == 2:
            print(memory_table(mem, connections, connect_rate))
            print()
        print(f"Ratios: median of per-repetition ratios [min..max]; raw results appended to {o.raw}")
    finally:
        for b in brokers:
            b.stop()
        raw.close()


if __name__ == "__main__":
    main()
