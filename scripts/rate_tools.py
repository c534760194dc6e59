"""What the rate scripts (gossip_rate.py, relay_cpu.py, rpc_rate.py) share: CPU time of a process,
reading a receiver's lines, stopping processes, and the release binary they run."""
import json
import os
import subprocess
import sys
import threading
import time

TICKS = os.sysconf("SC_CLK_TCK")


def user_and_system_seconds(pid):
    """User and system CPU seconds of `pid` so far (utime and stime from /proc/<pid>/stat)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) / TICKS, int(fields[12]) / TICKS


def cpu_seconds(pid):
    """User plus system CPU seconds of `pid` so far."""
    return sum(user_and_system_seconds(pid))


def launch(args, env=None):
    """Starts a process whose stdout is read line by line (its stderr is discarded)."""
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1, env=env)


def stop(*processes):
    """Terminates every process, killing those that have not ended after 10 s."""
    for p in processes:
        p.terminate()
    for p in processes:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def require_binary(path):
    """Exits with a hint unless the aztec-p2p binary at `path` exists."""
    if not os.path.exists(path):
        sys.exit(f"{path} not found (swift build -c release --product aztec-p2p)")


def drain(process):
    """Reads a process's stdout to its end on a thread of its own (a full pipe would stall it)."""
    threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()


def receive_until_done(receiver):
    """Reads an `aztec-p2p gossip` receiver's JSON lines up to its "done" line. Returns the messages
    received, whether the receiver reported success, and the rate between its first and last
    message (per second)."""
    first = last = None
    received = 0
    ok = False
    for line in receiver.stdout:
        event = json.loads(line)
        if event.get("event") == "msg":
            received += 1
            last = time.monotonic()
            first = first or last
        elif event.get("event") == "done":
            ok = event.get("ok", False)
            break
    elapsed = (last - first) if first and last and last > first else float("nan")
    rate = (received - 1) / elapsed if received > 1 else 0.0
    return received, ok, rate
