#!/usr/bin/env python3
"""Instructions a relay executes per 40 KB GossipSub message, counted by callgrind: the figure of
relay_cpu.py that this noisy machine cannot move. Publisher -> relay -> subscriber on loopback, as
relay_cpu.py runs them (the Aztec policy: StrictNoSign, content ids, yamux), with the relay, an
`aztec-p2p gossip`, under `valgrind --tool=callgrind`: once with N messages and once with 2N. The
difference over N is the relay's count per message, free of start-up, joining and exit. The same
difference for `aztec-p2p relay-floor` (decrypting a message once, its SHA-256 id, encrypting it for
the one peer it goes to: the work a relay cannot avoid) is the reference, and the ratio is the
figure. Valgrind's virtual CPU has no SHA-NI and no AVX-512, so SHA-256 and ChaCha20-Poly1305 take
more instructions under it than natively, in the relay and the floor alike: the difference
(`overhead_instructions_per_message`) is the relay's own work, and it is what a change to the
stack moves. Callgrind counts user-space instructions of every thread; the kernel's share (system calls,
context switches) is not in it, so the ratio understates what relay_cpu.py's CPU time shows.
`--syscalls` adds what is not in it: the relay's system calls, context switches and user and system
CPU time per message at full speed (`perf stat` running a native relay; 10N and 20N messages, the
same difference).

Needs valgrind 3.20 or later: scripts/get_valgrind.sh fetches 3.24 and the shim that lets it run a
Swift program with an async main (the default used here).

Usage: scripts/relay_instructions.py [--binary PATH] [--count N] [--interval MS] [--valgrind PATH]
                                     [--syscalls [--syscall-interval MS]]
"""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile

from rate_tools import drain, launch, receive_until_done, require_binary, stop, user_and_system_seconds
from relay_cpu import child_pid

HERE = os.path.dirname(os.path.abspath(__file__))
COMMON = ["--listen", "/ip4/127.0.0.1/tcp/0", "--muxer", "yamux", "--sign", "none", "--msg-id", "aztec",
          "--heartbeat", "1000"]


def callgrind(valgrind, out_file):
    """The command prefix that runs a program under callgrind, and its environment."""
    env = dict(os.environ)
    lib = os.path.join(os.path.dirname(os.path.dirname(valgrind)), "libexec", "valgrind")
    if os.path.isdir(lib):
        env["VALGRIND_LIB"] = lib
    shim = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(valgrind))), "sigsuspend_shim.so")
    if os.path.exists(shim):
        env["LD_PRELOAD"] = shim  # scripts/valgrind_sigsuspend_shim.c: the async main's sigsuspend
    return [valgrind, "--tool=callgrind", f"--callgrind-out-file={out_file}"], env


def instructions(out_file):
    """The total instruction count of a callgrind output file."""
    with open(out_file) as f:
        for line in f:
            match = re.match(r"(?:summary|totals):\s+(\d+)", line)
            if match:
                return int(match.group(1))
    sys.exit(f"no total in {out_file}")


def relay_count(binary, valgrind, count, size, interval, work):
    """Instructions of a relay that forwards `count` messages, start to exit."""
    out_file = os.path.join(work, f"relay-{count}.out")
    prefix, env = callgrind(valgrind, out_file)
    relay = launch(prefix + [binary, "gossip"] + COMMON + ["--timeout", "3600", "--quiet"], env)
    relay_messages(relay, binary, count, size, interval)
    relay.wait(timeout=120)  # callgrind writes its counts as the relay exits
    return instructions(out_file)


def relay_syscalls(binary, count, size, interval, work):
    """System calls and context switches of a native relay that forwards `count` messages, start
    to exit (`perf stat` runs it, so every thread it starts is counted)."""
    out_file = os.path.join(work, f"perf-{count}.csv")
    perf = launch(["perf", "stat", "-x", ",", "-o", out_file, "-e", "raw_syscalls:sys_enter,context-switches",
                   "--", binary, "gossip"] + COMMON + ["--timeout", "3600", "--quiet"])
    relay = child_pid(perf.pid, os.path.basename(binary)[:15])
    counts = {}

    def stop_relay():
        counts["user"], counts["system"] = user_and_system_seconds(relay)
        os.kill(relay, signal.SIGTERM)

    relay_messages(perf, binary, count, size, interval, stop_relay=stop_relay)
    perf.wait(timeout=30)  # perf writes its counts once the relay has exited
    with open(out_file) as f:
        for line in f:
            fields = line.strip().split(",")
            if len(fields) > 2 and fields[0].isdigit():
                counts[fields[2]] = int(fields[0])
    return counts


def relay_messages(relay, binary, count, size, interval, stop_relay=None):
    """Publishes `count` messages through `relay` (a process whose first line is the relay's
    address) to a subscriber, then stops the relay (SIGTERM, or `stop_relay`)."""
    address = relay.stdout.readline().strip()
    drain(relay)
    subscriber = launch([binary, "gossip"] + COMMON + ["--dial", address, "--expect", str(count), "--timeout", "900"])
    subscriber.stdout.readline()
    publisher = launch([binary, "gossip"] + COMMON + ["--dial", address, "--publish", str(count), "--size", str(size),
                                                      "--interval", str(interval), "--timeout", "900"])
    drain(publisher)
    received, ok, _ = receive_until_done(subscriber)
    stop(publisher, subscriber)
    (stop_relay or relay.terminate)()
    if not ok or received != count:
        sys.exit(f"the subscriber got {received} of {count} messages")


def floor_count(binary, valgrind, count, size, work):
    """Instructions of `aztec-p2p relay-floor` over `count` messages, start to exit."""
    out_file = os.path.join(work, f"floor-{count}.out")
    prefix, env = callgrind(valgrind, out_file)
    subprocess.run(prefix + [binary, "relay-floor", "--size", str(size), "--peers", "1", "--count", str(count)],
                   check=True, capture_output=True, env=env)
    return instructions(out_file)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/aztec-p2p")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--size", type=int, default=40_000)
    parser.add_argument("--interval", type=int, default=40, help="ms between publications (the relay runs ~50x slower)")
    parser.add_argument("--syscalls", action="store_true", help="also count system calls and context switches (perf)")
    parser.add_argument("--syscall-interval", type=int, default=3, help="ms between publications for --syscalls")
    parser.add_argument("--valgrind", default=os.path.join(HERE, "..", ".build-tools", "valgrind", "usr", "bin", "valgrind"))
    args = parser.parse_args()
    require_binary(args.binary)
    if not os.path.exists(args.valgrind):
        sys.exit(f"{args.valgrind} not found (scripts/get_valgrind.sh)")
    with tempfile.TemporaryDirectory() as work:
        n = args.count
        floor = (floor_count(args.binary, args.valgrind, 2 * n, args.size, work)
                 - floor_count(args.binary, args.valgrind, n, args.size, work)) / n
        relay = (relay_count(args.binary, args.valgrind, 2 * n, args.size, args.interval, work)
                 - relay_count(args.binary, args.valgrind, n, args.size, args.interval, work)) / n
        result = {"messages": n, "size": args.size, "interval_ms": args.interval,
                  "relay_instructions_per_message": round(relay), "floor_instructions_per_message": round(floor),
                  "overhead_instructions_per_message": round(relay - floor),
                  "times_floor": round(relay / floor, 2)}
        if args.syscalls:
            more = relay_syscalls(args.binary, 20 * n, args.size, args.syscall_interval, work)
            fewer = relay_syscalls(args.binary, 10 * n, args.size, args.syscall_interval, work)
            for event, key, scale, digits in [("raw_syscalls:sys_enter", "syscalls_per_message", 1, 1),
                                               ("context-switches", "context_switches_per_message", 1, 1),
                                               ("user", "user_ms_per_message", 1000, 3), ("system", "system_ms_per_message", 1000, 3)]:
                result[key] = round(scale * (more.get(event, 0) - fewer.get(event, 0)) / (10 * n), digits)
            result["syscall_interval_ms"] = args.syscall_interval
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
