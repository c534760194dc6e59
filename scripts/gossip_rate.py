#!/usr/bin/env python3
"""Two `aztec-p2p gossip` processes on loopback (TCP, Noise, yamux, GossipSub with StrictNoSign
and Aztec content ids): one publishes N messages of SIZE bytes at a given interval, the other
expects all N. For each interval it prints the rate achieved, whether every message arrived, and
the CPU seconds each process used per 1,000 messages (from /proc/<pid>/stat).

Usage: scripts/gossip_rate.py [--binary PATH] [--count N] [--size BYTES] [--intervals MS,MS,...]
A release binary gives the meaningful figures: `swift build -c release --product aztec-p2p`.
"""
import argparse
import json
import subprocess

from rate_tools import cpu_seconds, drain, receive_until_done, require_binary, stop


def launch(binary, args):
    return subprocess.Popen([binary, "gossip"] + args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, bufsize=1)


def run(binary, count, size, interval):
    common = ["--listen", "/ip4/127.0.0.1/tcp/0", "--sign", "none", "--msg-id", "aztec", "--heartbeat", "1000"]
    receiver = launch(binary, common + ["--expect", str(count), "--timeout", "300"])
    address = receiver.stdout.readline().strip()
    sender = launch(binary, common + ["--dial", address, "--publish", str(count), "--size", str(size),
                                      "--interval", str(interval), "--timeout", "300"])
    sender.stdout.readline()
    # Its "published" lines must be read, or a full pipe stalls it.
    drain(sender)
    received, ok, rate = receive_until_done(receiver)
    cpu_receiver = cpu_seconds(receiver.pid)
    cpu_sender = cpu_seconds(sender.pid)
    stop(sender, receiver)
    return {"interval_ms": interval, "received": received, "expected": count, "all_arrived": ok and received == count,
            "rate_per_s": round(rate, 1), "cpu_s_per_1000_sender": round(1000 * cpu_sender / count, 2),
            "cpu_s_per_1000_receiver": round(1000 * cpu_receiver / count, 2)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/aztec-p2p")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--size", type=int, default=40_000)
    parser.add_argument("--intervals", default="10,5,2,1,0")
    args = parser.parse_args()
    require_binary(args.binary)
    for interval in [int(x) for x in args.intervals.split(",")]:
        print(json.dumps(run(args.binary, args.count, args.size, interval)), flush=True)


if __name__ == "__main__":
    main()
