#!/usr/bin/env python3
"""The JSON-RPC submission rate of one Aztec node, with the load from another process.

Three processes on loopback: a GossipSub sink (`aztec-p2p gossip`, subscribed to the Aztec topic,
counting what arrives), the node under test (`aztec-p2p node`, static peer: the sink; a no-op proof
verifier), and the load (`aztec-p2p tx load`: N distinct 40 KB transactions built before the clock
starts, sent over C concurrent HTTP connections). Prints, per concurrency, the accepted rate, the
call latency, whether every transaction reached the sink, and the node's CPU seconds per 1,000.

Usage: scripts/rpc_rate.py [--binary PATH] [--count N] [--size BYTES] [--concurrency C,C,...]
A release binary gives the meaningful figures: `swift build -c release --product aztec-p2p`.
"""
import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time

from rate_tools import cpu_seconds, require_binary, stop

TOPIC = "/aztec/1/tx/1"


def run(binary, count, size, concurrency):
    sink = subprocess.Popen(
        [binary, "gossip", "--listen", "/ip4/127.0.0.1/tcp/0", "--topic", TOPIC, "--sign", "none",
         "--msg-id", "aztec", "--key-type", "secp256k1", "--expect", str(count + 1), "--timeout", "600"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
    sink_address = sink.stdout.readline().strip()
    received = [0]
    arrived = threading.Event()

    def count_arrivals():
        for line in sink.stdout:
            event = json.loads(line)
            if event.get("event") == "msg":
                received[0] += 1
            if event.get("event") == "done":
                arrived.set()
                return

    threading.Thread(target=count_arrivals, daemon=True).start()
    with tempfile.TemporaryDirectory() as data_dir:
        node = subprocess.Popen(
            [binary, "node", "--listen", "127.0.0.1:0", "--no-discovery", "--static-peer", sink_address,
             "--rpc", "127.0.0.1:0", "--data-dir", data_dir],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
        rpc = None
        for line in node.stdout:
            if line.startswith("json-rpc "):
                rpc = line.split()[1]
                break
        threading.Thread(target=lambda: [None for _ in node.stdout], daemon=True).start()
        # Wait for the sink to be the node's topic peer: a probe transaction is accepted then.
        deadline = time.monotonic() + 30
        while True:
            probe = subprocess.run([binary, "tx", "send", "--rpc", rpc, "--random", "--seed", "999999"],
                                   capture_output=True, text=True)
            if probe.returncode == 0:
                break
            if time.monotonic() > deadline:
                stop(node, sink)
                sys.exit("the node never accepted a transaction: " + probe.stderr.strip())
            time.sleep(0.2)
        cpu_before = cpu_seconds(node.pid)
        load = subprocess.run([binary, "tx", "load", "--rpc", rpc, "--count", str(count), "--size", str(size),
                               "--concurrency", str(concurrency)], capture_output=True, text=True)
        cpu_node = cpu_seconds(node.pid) - cpu_before
        report = json.loads(load.stdout) if load.stdout.strip() else {"error": load.stderr.strip()}
        arrived.wait(timeout=30)
        stop(node, sink)
    return {"concurrency": concurrency, "accepted": report.get("accepted"), "sent": count,
            "accepted_per_s": round(report.get("accepted_per_second", 0), 1),
            "latency_ms": {k: round(v, 1) for k, v in report.get("latency_ms", {}).items()},
            "failures": report.get("failures"), "reached_sink": received[0] - 1,  # minus the probe
            "node_cpu_s_per_1000": round(1000 * cpu_node / count, 2)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/aztec-p2p")
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--size", type=int, default=40_000)
    parser.add_argument("--concurrency", default="1,4,16")
    args = parser.parse_args()
    require_binary(args.binary)
    for concurrency in [int(x) for x in args.concurrency.split(",")]:
        print(json.dumps(run(args.binary, args.count, args.size, concurrency)), flush=True)


if __name__ == "__main__":
    main()
