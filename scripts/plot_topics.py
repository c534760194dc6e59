#!/usr/bin/env python3
"""Topic discovery against random walks: scripts/plot_topics.py OUT.png DIR [DIR ...]

Reads each DIR/summary.json of an `aztec-p2p simulate` run in discovery mode (issue 16's
`aztec-share-*`, `topics-share-*` and `topics-sybils-*` scenarios) and draws, per run, the
seconds from an Aztec node's start until it had its 8 Aztec peers (p50, p99, max, over the nodes
that got there, whose count is written above), the discovery
packets it had sent by then (p50, p99), and for runs with topic discovery the share of sybils
among the advertisers honest searches found. Runs are labelled by scenario name.
"""
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    runs = [json.loads((Path(d) / "summary.json").read_text()) for d in argv[2:]]
    labels = [r["scenario"] for r in runs]
    positions = range(len(runs))
    sybil_runs = [r for r in runs if r.get("topics") and "sybilShareOfFound" in r["topics"]]
    panels = 3 if sybil_runs else 2
    fig, axes = plt.subplots(1, panels, figsize=(6 * panels, 5))
    fig.suptitle("Finding 8 Aztec peers among 20,000 discovery nodes: random walks vs topic discovery")

    width = 0.27
    ax = axes[0]
    for offset, key in zip((-width, 0, width), ("p50", "p99", "max")):
        ax.bar([p + offset for p in positions], [r["join"]["seconds"][key] for r in runs], width, label=key)
    for p, r in zip(positions, runs):
        top = r["join"]["seconds"]["max"]
        ax.annotate(f"{r['join']['reachedTargetPeers']}/{r['join']['nodes']}", (p, top), ha="center", va="bottom", fontsize=8)
    ax.set_xticks(list(positions), labels, rotation=30, ha="right")
    ax.set_ylabel("seconds from start to 8 Aztec peers (nodes that got there)")
    ax.legend(loc="upper left")

    ax = axes[1]
    for offset, key in zip((-width / 2, width / 2), ("p50", "p99")):
        ax.bar([p + offset for p in positions], [r["join"]["discoveryPackets"][key] for r in runs], width, label=key)
    ax.set_xticks(list(positions), labels, rotation=30, ha="right")
    ax.set_ylabel("discovery packets sent by then")
    ax.legend()

    if sybil_runs:
        ax = axes[2]
        ax.bar(range(len(sybil_runs)), [100 * r["topics"]["sybilShareOfFound"] for r in sybil_runs])
        ax.set_xticks(range(len(sybil_runs)), [r["scenario"] for r in sybil_runs], rotation=30, ha="right")
        ax.set_ylabel("sybils among advertisers found (%)")
        ax.set_ylim(0, 100)

    fig.tight_layout()
    fig.savefig(argv[1], dpi=90)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
