"""What the rate scripts (gossip_rate.py, rpc_rate.py) share: CPU time of a process, stopping
processes, and the release binary they run."""
import os
import subprocess
import sys

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """User plus system CPU seconds of `pid` so far (from /proc/<pid>/stat)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


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
