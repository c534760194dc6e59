#!/usr/bin/env python3
"""CPU a relay spends per 40 KB GossipSub message: publisher -> relay -> subscriber on loopback,
the relay either our `aztec-p2p gossip` or go-libp2p's `p2pd` (driven by interop/go_gossip.py),
the publisher and subscriber always `aztec-p2p gossip`. StrictSign with from||seqno ids, yamux,
a 1 s heartbeat: what p2pd speaks.

For each relay and publishing interval it prints one JSON line: the rate the subscriber saw,
whether every message arrived, and the relay's CPU seconds per 1,000 messages from its first
publish to the subscriber's last message (from /proc/<pid>/stat; for go the p2pd process only,
not the Python script that reads p2pd's subscription). Both relays hand every message to a local
subscriber: p2pd writes it to its control socket, ours yields it to a subscription stream that
counts it (`--quiet`: no JSON line, whose encoding would cost the Swift relay more than the relaying
itself). p2pd's socket write is a cost ours does not have; the CPU figures carry it.

`--policy aztec` runs the Swift relay as an Aztec node does (StrictNoSign, the Aztec content id);
go is left out, since p2pd speaks only StrictSign. `--reference` first times, in the same run, the
work a relay cannot avoid per message (`aztec-p2p relay-floor`: decrypting it once, its SHA-256 id,
encrypting it for the one peer it goes to) and gives each Swift relay's CPU as a multiple of it.

Usage: scripts/relay_cpu.py [--binary PATH] [--count N] [--size BYTES] [--intervals MS,...]
                            [--relays swift,go] [--policy strict|aztec] [--reference]
A release binary gives the meaningful figures: `swift build -c release --product aztec-p2p`.
"""
import argparse
import json
import os
import subprocess
import sys
import time

from rate_tools import cpu_seconds, drain, launch, receive_until_done, require_binary, stop

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = os.path.join(HERE, "..", ".venv", "bin", "python")
POLICIES = {
    "strict": ["--sign", "strict", "--msg-id", "peer-seqno"],
    "aztec": ["--sign", "none", "--msg-id", "aztec"],
}
COMMON = ["--listen", "/ip4/127.0.0.1/tcp/0", "--muxer", "yamux"]


def child_pid(parent, name, timeout=30.0):
    """The pid of `parent`'s child process called `name`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            comm = stat[stat.index("(") + 1:stat.rindex(")")]
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == parent and comm == name:
                return int(entry)
        time.sleep(0.05)
    sys.exit(f"no {name} process under {parent}")


def relay_process(kind, binary, common):
    """The relay, which runs until stopped, and the pid whose CPU is measured."""
    if kind == "swift":
        relay = launch([binary, "gossip"] + common + ["--heartbeat", "1000", "--timeout", "3600", "--quiet"])
        return relay, relay.pid
    relay = launch([PYTHON, os.path.join(HERE, "interop", "go_gossip.py"), "--listen", "/ip4/127.0.0.1/tcp/0",
                    "--heartbeat", "1", "--timeout", "3600"])
    return relay, child_pid(relay.pid, "p2pd")


def run(kind, binary, count, size, interval, common):
    relay, measured = relay_process(kind, binary, common)
    address = relay.stdout.readline().strip()
    drain(relay)
    subscriber = launch([binary, "gossip"] + common + ["--heartbeat", "1000", "--dial", address,
                                                      "--expect", str(count), "--timeout", "600"])
    subscriber.stdout.readline()
    publisher = launch([binary, "gossip"] + common + ["--heartbeat", "1000", "--dial", address,
                                                     "--publish", str(count), "--size", str(size),
                                                     "--interval", str(interval), "--timeout", "600"])
    publisher.stdout.readline()
    # The relay's CPU from the first publish on: joining and meshing are not per-message costs.
    for line in publisher.stdout:
        if json.loads(line).get("event") == "published":
            break
    cpu_start = cpu_seconds(measured)
    drain(publisher)
    received, ok, rate = receive_until_done(subscriber)
    cpu = cpu_seconds(measured) - cpu_start
    stop(publisher, subscriber, relay)
    return {"relay": kind, "interval_ms": interval, "received": received, "expected": count,
            "all_arrived": ok and received == count, "rate_per_s": round(rate, 1),
            "relay_cpu_s_per_1000": round(1000 * cpu / count, 3)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/aztec-p2p")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--size", type=int, default=40_000)
    parser.add_argument("--intervals", default="10,3,2,1")
    parser.add_argument("--relays", default="swift,go")
    parser.add_argument("--policy", choices=sorted(POLICIES), default="strict")
    parser.add_argument("--reference", action="store_true")
    args = parser.parse_args()
    require_binary(args.binary)
    relays = args.relays.split(",")
    if args.policy != "strict" and "go" in relays:
        sys.exit("p2pd speaks StrictSign only: use --relays swift with --policy " + args.policy)
    common = COMMON + POLICIES[args.policy]
    floor = None
    if args.reference:
        line = subprocess.run([args.binary, "relay-floor", "--size", str(args.size), "--peers", "1"],
                              check=True, capture_output=True, text=True).stdout
        print(line.strip(), flush=True)
        floor = json.loads(line)["cpu_s_per_1000"]
    for interval in [int(x) for x in args.intervals.split(",")]:
        for kind in relays:
            result = run(kind, args.binary, args.count, args.size, interval, common)
            result["policy"] = args.policy
            if floor and kind == "swift":
                result["times_reference"] = round(result["relay_cpu_s_per_1000"] / floor, 2)
            print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
