"""The soak and fault harness of issue 15 (scripts/soak.sh runs it): sets up the network, runs
run.py inside it, tears the network down whatever happens, and plots.

Defaults: 30 minutes, 20 nodes, 10 tx/s of 40,000 bytes, kill -9 of 30% of the nodes every 300 s.
"""
import argparse
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import network

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PORTS = {"netns": {"p2p": 40400, "rpc": 8080, "metrics": 9464, "boot": 9000},
         # loopback: ports nothing else is likely to bind on the host's wildcard address
         "loopback": {"p2p": 47400, "rpc": 47545, "metrics": 47464, "boot": 47000}}


def parse():
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("--minutes", type=float, default=30, help="minutes of load (default 30)")
    a.add_argument("--nodes", type=int, default=20, help="Aztec nodes (default 20), plus one bootnode")
    a.add_argument("--tps", type=float, default=10, help="transactions per second (default 10)")
    a.add_argument("--size", type=int, default=40_000, help="transaction size in bytes (default 40000)")
    a.add_argument("--kill-every", type=float, default=300, help="seconds between kill rounds (default 300)")
    a.add_argument("--kill-share", type=float, default=0.3, help="share of the nodes killed per round (default 0.3)")
    a.add_argument("--down", type=float, default=5, help="seconds a killed node stays down (default 5)")
    a.add_argument("--restart-timeout", type=float, default=600,
                   help="seconds a restarted node may take to answer JSON-RPC (journal replay) (default 600)")
    a.add_argument("--pool-max-age", type=int, default=300, help="the nodes' pool max age, seconds (default 300)")
    a.add_argument("--target-peers", type=int, default=8, help="the nodes' --target-peers (default 8)")
    a.add_argument("--subnets", type=int, default=4, help="/24 subnets the nodes are spread over (default 4)")
    a.add_argument("--seed", type=int, default=1, help="seed of the transactions and of the kill choices")
    a.add_argument("--sample-every", type=float, default=10, help="seconds between resource samples (default 10)")
    a.add_argument("--warmup", type=float, help="warm-up point in seconds (default: min(pool max age, kill every))")
    a.add_argument("--window-before", type=float, default=2, help="see checks.py (default 2)")
    a.add_argument("--window-after", type=float, default=30, help="see checks.py (default 30)")
    a.add_argument("--origin-grace", type=float, default=5, help="see checks.py (default 5)")
    a.add_argument("--margin", type=float, default=30, help="expiry margin in seconds (default 30)")
    a.add_argument("--out", help="output directory (default .build-soak/<timestamp>)")
    a.add_argument("--binary", default=os.path.join(ROOT, ".build/debug/aztec-p2p"), help="the aztec-p2p executable")
    a.add_argument("--loopback", action="store_true", help="use loopback addresses even when network namespaces work")
    a.add_argument("--keep-data", action="store_true",
                   help="keep the nodes' data directories (journals) after a passing run (a failing run keeps them)")
    args = a.parse_args()
    if not (2 <= args.nodes <= 200 and args.minutes > 0 and args.tps > 0 and 0 <= args.kill_share < 1
            and args.kill_every > 0 and args.down >= 0 and args.pool_max_age > args.margin):
        a.error("want 2..200 nodes, positive minutes/tps/kill-every, kill share in [0, 1), pool max age > margin")
    return args


def main():
    args = parse()
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"soak: {binary} is missing: build it first (swift build)")
    out = os.path.abspath(args.out or os.path.join(ROOT, ".build-soak", time.strftime("%Y%m%d-%H%M%S")))
    if os.path.exists(os.path.join(out, "plan.json")):
        shutil.rmtree(out)  # an earlier soak's output: start afresh (logs are appended to, data dirs reused)
    elif os.path.isdir(out) and os.listdir(out):
        sys.exit(f"soak: {out} is not empty and holds no earlier soak run: give another --out")
    os.makedirs(out, exist_ok=True)
    for name in network.remove_stale(except_owner=os.getpid()):
        print(f"soak: removed stale namespace {name} (an earlier run was aborted)")
    if not args.loopback and network.netns_available():
        mode = "netns"
    else:
        mode = "loopback"
        print("soak: LOOPBACK MODE" + (" (--loopback)" if args.loopback else " (not root, or no network namespaces)")
              + ": every process on its own 127.x address of lo, no veth or bridge; discovery's IP limits and "
                "GossipSub's colocation see distinct addresses, but nothing crosses a real network stack")
    net = network.SoakNetwork(args.nodes, args.subnets, mode)
    params = {k: v for k, v in vars(args).items() if k not in ("out", "binary", "loopback", "keep_data")}
    params["warmup"] = args.warmup if args.warmup is not None else min(args.pool_max_age, args.kill_every)
    params["subnets"] = net.subnets
    plan = {"params": params, "network": net.to_json(), "out": out, "binary": binary,
            "acks": os.path.join(out, "acks.txt"), "ports": PORTS[mode],
            "prefixes": {role: net.prefix(role) for role in net.hosts}}
    plan_path = os.path.join(out, "plan.json")
    with open(plan_path, "w") as f:
        json.dump(plan, f, indent=1)
    print(f"soak: {args.nodes} nodes, {args.minutes:g} min, {args.tps:g} tx/s of {args.size} B, kill -9 of "
          f"{args.kill_share:.0%} every {args.kill_every:g} s; {mode} mode; output in {out}", flush=True)

    status = 1
    child = None

    def forward(signum, frame):
        if child is not None and child.poll() is None:
            child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    try:
        net.up()
        child = subprocess.Popen(net.prefix("ctl") + [sys.executable, os.path.join(HERE, "run.py"), plan_path],
                                 start_new_session=True)
        status = child.wait()
    finally:
        if child is not None and child.poll() is None:
            child.kill()
            child.wait()
        net.down()
    if status == 0 and not args.keep_data:  # the journals are most of the output's size
        for data in glob.glob(os.path.join(out, "nodes", "*", "data")):
            shutil.rmtree(data, ignore_errors=True)
    plotter = os.path.join(ROOT, ".venv/bin/python")
    if os.path.exists(os.path.join(out, "run.json")) and os.access(plotter, os.X_OK):
        subprocess.run([plotter, os.path.join(ROOT, "scripts/plot_soak.py"), out], check=False, timeout=300)
    elif not os.access(plotter, os.X_OK):
        print("soak: no .venv (scripts/deps.sh makes it): no plots")
    report = os.path.join(out, "soak-report.md")
    if os.path.exists(report):
        with open(report) as f:
            print(f.read())
    summary = os.path.join(out, "summary.json")
    if status != 0 and os.path.exists(summary):  # last, so that a log cut to its tail still says why
        with open(summary) as f:
            for reason in json.load(f).get("failure_reasons", []):
                print(f"soak: failed because: {reason}")
    print(f"soak: {'passed' if status == 0 else 'FAILED'}; report in {report}", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
