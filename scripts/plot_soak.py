"""Plots of a soak run (scripts/soak.sh): RSS, open file descriptors and pool size per node over
time, kill -9 rounds marked. Needs matplotlib (scripts/deps.sh puts it in .venv).

Usage: .venv/bin/python scripts/plot_soak.py OUT_DIR   (writes OUT_DIR/rss.png, rss-anon.png, fds.png, pool.png)
"""
import csv
import io
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from PIL import Image  # noqa: E402  (a matplotlib dependency)


def load(out):
    series = {}  # node -> incarnation -> [(minutes, row)]
    with open(os.path.join(out, "samples.csv")) as f:
        for row in csv.DictReader(f):
            series.setdefault(row["node"], {}).setdefault(row["incarnation"], []).append((float(row["t"]) / 60, row))
    with open(os.path.join(out, "run.json")) as f:
        run = json.load(f)
    start = run["load_start"] or 0
    kills = [(r["time"] - start) / 60 for r in run["kill_rounds"]]
    restarts = sorted({round((e["time"] - start) / 60, 2) for e in run["events"] if e["what"] == "restarted"})
    return series, kills, restarts, run["params"]


def plot(out, series, kills, restarts, params, key, scale, ylabel, title, filename):
    fig, ax = plt.subplots(figsize=(8, 4), dpi=100)
    colors = plt.get_cmap("tab20").colors
    for index, (node, incarnations) in enumerate(sorted(series.items())):
        color = "black" if node == "boot" else colors[index % len(colors)]
        width = 1.8 if len(incarnations) == 1 and node != "boot" else 0.8  # never killed: drawn thicker
        for points in incarnations.values():  # a line per incarnation: a restart is a break, not a slope
            xs = [x for x, row in points if row.get(key) not in (None, "")]
            ys = [float(row[key]) * scale for _, row in points if row.get(key) not in (None, "")]
            ax.plot(xs, ys, color=color, linewidth=width, label=node if points is next(iter(incarnations.values())) else None)
    for i, t in enumerate(kills):
        ax.axvline(t, color="red", linestyle="--", linewidth=0.8, label="kill -9" if i == 0 else None)
    for i, t in enumerate(restarts):
        ax.axvline(t, color="green", linestyle=":", linewidth=0.8, label="restart" if i == 0 else None)
    ax.set_xlabel("minutes since the load started")
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    ax.set_title(title + "\n(thick: nodes never killed)", fontsize=9)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=6, ncol=2, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    # A 64-colour palette: a third of the size, small enough to commit under docs/images/.
    Image.open(buffer).convert("RGB").quantize(colors=64).save(os.path.join(out, filename), optimize=True)


def main(out):
    series, kills, restarts, p = load(out)
    what = (f"{p['nodes']} nodes, {p['tps']:g} tx/s of {p['size']} B, kill -9 of {p['kill_share']:.0%} "
            f"every {p['kill_every']:g} s")
    plot(out, series, kills, restarts, p, "rss_kib", 1 / 1024, "RSS (MiB)", f"RSS per process: {what}", "rss.png")
    plot(out, series, kills, restarts, p, "rss_anon_kib", 1 / 1024, "anonymous RSS (MiB)",
         f"Anonymous RSS (heap and stacks) per process: {what}", "rss-anon.png")
    plot(out, series, kills, restarts, p, "fds", 1, "open file descriptors", f"Open fds per process: {what}",
         "fds.png")
    plot(out, series, kills, restarts, p, "pool_txs", 1, "transactions in the pool",
         f"Pool size per node (max age {p['pool_max_age']} s)", "pool.png")
    print(f"plots: {out}/rss.png, rss-anon.png, fds.png, pool.png")


if __name__ == "__main__":
    main(sys.argv[1])
