#!/usr/bin/env python3
"""Each node's slowest delivery by region, for one or more `aztec-p2p simulate` runs:
scripts/plot_regions.py OUT.png LABEL=DIR [LABEL=DIR ...]

Reads each DIR's nodes.csv (honest Aztec nodes only) and draws, per region, a bar at the median
of the nodes' slowest delivery and a whisker to its 90th percentile, one bar per run side by side.
Regions are ordered by their number of nodes in the first run. Also prints the figures.
"""
import csv
import sys
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def slowest_by_region(directory):
    regions = defaultdict(list)
    with open(Path(directory) / "nodes.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["role"] == "aztec" and row["slowest_delivery_ms"]:
                regions[row["region"]].append(float(row["slowest_delivery_ms"]))
    return {region: sorted(values) for region, values in regions.items()}


def quantile(values, q):
    return values[min(len(values) - 1, int(q * len(values)))]


def main(argv):
    if len(argv) < 3 or any("=" not in a for a in argv[2:]):
        print(__doc__, file=sys.stderr)
        return 2
    runs = [(label, slowest_by_region(d)) for label, d in (a.split("=", 1) for a in argv[2:])]
    regions = sorted(runs[0][1], key=lambda r: -len(runs[0][1][r]))
    width = 0.8 / len(runs)
    fig, ax = plt.subplots(figsize=(10, 5))
    for i, (label, data) in enumerate(runs):
        xs = [j + (i - (len(runs) - 1) / 2) * width for j in range(len(regions))]
        medians = [quantile(data[r], 0.5) if r in data else 0 for r in regions]
        p90s = [quantile(data[r], 0.9) if r in data else 0 for r in regions]
        ax.bar(xs, medians, width, label=label)
        ax.errorbar(xs, medians, yerr=[[0] * len(xs), [p - m for p, m in zip(p90s, medians)]], fmt="none", ecolor="black", capsize=3)
        print(label + ": " + ", ".join(f"{r} {m:.0f}/{p:.0f}" for r, m, p in zip(regions, medians, p90s)))
    counts = runs[0][1]
    ax.set_xticks(range(len(regions)), [f"{r}\n({len(counts[r])} nodes)" for r in regions])
    ax.set_ylabel("slowest delivery per node, ms (bar: median, whisker: p90)")
    ax.grid(axis="y", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(argv[1], dpi=100)
    print(argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
