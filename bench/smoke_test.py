#!/usr/bin/env python3
"""Smoke test of postcard-loadgen against the postcard broker of the same build (a CTest entry).

Short runs of every mode and layout; each must deliver every message it published (for QoS 1 and 2 that
proves the generator completes the acknowledgement flows, or its in-flight window would stall), report
sane figures, and open its idle connections without a failure.

  bench/smoke_test.py BUILD/bin/postcard BUILD/bin/postcard-loadgen
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

TCP_PORT, WS_PORT = 21893, 21894


def port_open(port):
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def main():
    postcard, loadgen = sys.argv[1], sys.argv[2]
    conf = tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False)
    # The benchmark's limits (bench/run.py): the generator keeps up to 100 QoS 1/2 PUBLISHes unacknowledged.
    conf.write("allow_anonymous true\npersistence false\nlog_type error\nlog_dest stderr\n"
               "max_inflight_messages 100\nmax_queued_messages 10000\n"
               f"listener {TCP_PORT} 127.0.0.1\nlistener {WS_PORT} 127.0.0.1\nprotocol websockets\n")
    conf.close()
    broker = subprocess.Popen([postcard, "-c", conf.name], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    passed, failed = 0, 0
    try:
        deadline = time.time() + 10
        while not (port_open(TCP_PORT) and port_open(WS_PORT)):
            if broker.poll() is not None or time.time() > deadline:
                print("postcard did not start:", broker.stderr.read().decode()[:500] if broker.stderr else "")
                print("0 passed, 1 failed")
                return 1
            time.sleep(0.05)

        def run(name, args, check):
            nonlocal passed, failed
            ws = "--ws" in args
            cmd = [loadgen, "--port", str(WS_PORT if ws else TCP_PORT), "--broker-pid", str(broker.pid),
                   "--timeout", "20"] + args
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            try:
                result = json.loads(out.stdout.strip().splitlines()[-1])
                problem = check(result)
            except (IndexError, ValueError) as e:
                result, problem = {}, f"no JSON result ({e}); stderr: {out.stderr[:300]}"
            if problem is None and result.get("error"):
                problem = "error: " + result["error"]
            if problem is None:
                passed += 1
                print(f"ok   {name}")
            else:
                failed += 1
                print(f"FAIL {name}: {problem}\n     {json.dumps(result)}")

        def delivered_all(r):
            if r["delivered"] <= 0 or r["msgs_per_s"] <= 0:
                return "nothing delivered in the measured window"
            if r["undelivered"] != 0 or r["delivered_total"] != r["expected_total"]:
                return f"{r['undelivered']} of {r['expected_total']} not delivered"
            if r["broker_cpu_us"] < 0:
                return "broker CPU time not read"
            return None

        short = ["--warmup", "0.1", "--duration", "0.4"]
        for qos in ("0", "1", "2"):
            run(f"QoS{qos} 1->1", ["--qos", qos] + short, delivered_all)
        run("QoS1 pairs 4->4", ["--layout", "pairs", "--pubs", "4", "--qos", "1"] + short, delivered_all)
        run("QoS2 fan-out 1->50", ["--layout", "fanout", "--subs", "50", "--qos", "2", "--window", "50"] + short,
            delivered_all)
        run("QoS1 fan-in 4->1", ["--layout", "fanin", "--pubs", "4", "--qos", "1"] + short, delivered_all)
        run("WebSocket QoS1 1->1", ["--ws", "--qos", "1"] + short, delivered_all)
        run("QoS0 count 5000", ["--count", "5000"],
            lambda r: delivered_all(r) or (None if r["delivered"] == 5000 else f"{r['delivered']} of 5000"))

        def latency_ok(r):
            if not 150 <= r["lat_samples"] <= 250:
                return f"{r['lat_samples']} samples at 400 msg/s for 0.5 s"
            if not 0 < r["lat_p50_us"] <= r["lat_p99_us"] <= r["lat_max_us"]:
                return "percentiles out of order"
            return None

        run("latency at 400 msg/s", ["--mode", "latency", "--rate", "400", "--warmup", "0.1", "--duration", "0.5"],
            latency_ok)

        def idle_ok(r):
            if r["connected"] != 300 or r["failed"] != 0 or r["dropped_while_held"] != 0:
                return f"{r['connected']} connected, {r['failed']} failed, {r['dropped_while_held']} dropped"
            if r["rss_after"] <= 0 or r["bytes_per_connection"] < 0:
                return "broker RSS not read"
            return None

        for transport in ([], ["--ws"]):
            run("idle " + ("ws" if transport else "tcp"), ["--mode", "idle", "--connections", "300",
                "--connect-rate", "3000", "--hold", "0.2"] + transport, idle_ok)
    finally:
        broker.terminate()
        try:
            broker.wait(5)
        except subprocess.TimeoutExpired:
            broker.kill()
        os.unlink(conf.name)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
