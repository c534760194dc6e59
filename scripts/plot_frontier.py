#!/usr/bin/env python3
"""Latency against upload for families of `aztec-p2p simulate` runs, one line per family:
scripts/plot_frontier.py OUT.png LABEL=DIR[,DIR...] [LABEL=DIR[,DIR...] ...] [--last-node]

Each DIR is a run's result directory (its summary.json); a family is one setting swept over
another (a slope, a delay), its runs joined in order of mean upload. Plotted: latency p99
(solid) and p50 (dotted) of all deliveries, or with --last-node the p99 over transactions of the
time to their last node, against mean upload per node as a multiple of the unique payload rate.
The first family's first run is the reference: a dashed line at its p99 and a dotted one at 2x.
"""
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def point(directory):
    summary = json.loads((Path(directory) / "summary.json").read_text())
    upload = summary["uploadBytesPerSecond"]["mean"] / summary["uniquePayloadBytesPerSecond"]
    return upload, summary["latencyP50Milliseconds"], summary["latencyP99Milliseconds"], summary["lastNodeP99Milliseconds"]


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    last_node = "--last-node" in argv
    if len(args) < 2 or any("=" not in a for a in args[1:]):
        print(__doc__, file=sys.stderr)
        return 2
    fig, ax = plt.subplots(figsize=(9, 5.5))
    reference = None
    for family in args[1:]:
        label, dirs = family.split("=", 1)
        points = sorted(point(d) for d in dirs.split(","))
        xs = [p[0] for p in points]
        if last_node:
            line, = ax.plot(xs, [p[3] for p in points], marker="o", label=label)
        else:
            line, = ax.plot(xs, [p[2] for p in points], marker="o", label=f"{label}: p99")
            ax.plot(xs, [p[1] for p in points], marker=".", linestyle=":", color=line.get_color())
        if reference is None:
            reference = points[0]
            ax.axhline(reference[3] if last_node else reference[2], color=line.get_color(), linestyle="--", linewidth=1)
    ax.axvline(2, color="grey", linestyle=":", linewidth=1)
    ax.set_xlabel("mean upload per node (x the unique payload rate)")
    ax.set_ylabel("to the last node, p99 over transactions (ms)" if last_node
                  else "latency p99 (solid) and p50 (dotted), ms")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(args[0], dpi=110)
    print(args[0])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
