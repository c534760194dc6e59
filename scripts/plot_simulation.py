#!/usr/bin/env python3
"""Plots of one `aztec-p2p simulate` run: scripts/plot_simulation.py DIR [DIR ...]

Reads DIR/summary.json, nodes.csv, latency-cdf.csv and timeseries.csv and writes DIR/plots.png:
the propagation-latency CDF, upload and download per node against the unique payload rate (by
bandwidth class, Aztec nodes that ran through the publishing window), the mesh degree
distribution, and over time the deliveries, the running nodes and those with at least D_low
mesh peers. With several DIRs the latency CDFs are also drawn together in the first DIR's
latency-compare.png, the share of running nodes with at least D_low mesh peers over time in
its mesh-compare.png, and each run's latency p50 and p99 against its mean upload in its
tradeoff.png. DIR/mesh-changes.png shows that share above the meshes' changes per second
by cause (GRAFTs sent for a short mesh, for the outbound quota, opportunistically; peers pruned
from over-full meshes; GRAFTs refused).
"""
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def save(fig, path):
    """Writes a finished figure and frees it."""
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def plot_run(directory):
    d = Path(directory)
    summary = json.loads((d / "summary.json").read_text())
    nodes = read_csv(d / "nodes.csv")
    cdf = read_csv(d / "latency-cdf.csv")
    series = read_csv(d / "timeseries.csv")
    unique = summary["uniquePayloadBytesPerSecond"]

    fig, axes = plt.subplots(2, 2, figsize=(12, 8))
    title = f"{summary['scenario']}: {summary['nodes']} nodes ({summary['joinMode']} join), seed {summary['seed']}"
    fig.suptitle(title)

    ax = axes[0][0]
    ax.plot([float(r["latency_ms"]) for r in cdf], [float(r["fraction"]) for r in cdf])
    ax.set_xscale("log")
    ax.set_xlabel("publication to receipt (ms, log)")
    ax.set_ylabel("share of deliveries")
    ax.set_title("propagation latency CDF")
    ax.grid(True, which="both", alpha=0.3)

    ax = axes[0][1]
    by_class = defaultdict(lambda: ([], []))
    for r in nodes:
        if r["role"] != "aztec" or r["ran_throughout"] != "true":
            continue
        up, down = by_class[r["bandwidth_class"]]
        up.append(float(r["upload_bytes_per_s"]) / unique)
        down.append(float(r["download_bytes_per_s"]) / unique)
    names = sorted(by_class)
    positions = range(len(names))
    ax.boxplot([by_class[n][0] for n in names], positions=[p - 0.18 for p in positions], widths=0.3,
               showfliers=False, patch_artist=True, boxprops={"facecolor": "#9ecae1"})
    ax.boxplot([by_class[n][1] for n in names], positions=[p + 0.18 for p in positions], widths=0.3,
               showfliers=False, patch_artist=True, boxprops={"facecolor": "#fdae6b"})
    ax.set_xticks(list(positions))
    ax.set_xticklabels(names)
    ax.axhline(3, color="grey", linestyle="--", linewidth=1)
    ax.set_ylabel("× unique payload rate")
    ax.set_title("upload (blue) and download (orange) per node")

    ax = axes[1][0]
    degrees = defaultdict(int)
    for r in nodes:
        if r["role"] == "aztec" and int(r["connections"]) > 0:
            degrees[int(r["mesh_degree"])] += 1
    ax.bar(list(degrees), list(degrees.values()))
    ax.set_xlabel("mesh peers")
    ax.set_ylabel("nodes")
    ax.set_title("mesh degree at the end")

    ax = axes[1][1]
    seconds = [int(r["second"]) for r in series]
    ax.plot(seconds, [int(r["deliveries"]) for r in series], color="tab:blue")
    ax.set_xlabel("simulated second")
    ax.set_ylabel("deliveries to nodes", color="tab:blue")
    ax.set_title("over time")
    ax.grid(True, alpha=0.3)
    nodes_axis = ax.twinx()
    nodes_axis.plot(seconds, [int(r["nodes"]) for r in series], color="tab:grey", label="running nodes")
    nodes_axis.plot(seconds, [int(r["mesh_ready"]) for r in series], color="tab:green", label="with >= D_low mesh peers")
    nodes_axis.set_ylabel("nodes")
    nodes_axis.set_ylim(bottom=0)
    nodes_axis.legend(loc="lower right")

    save(fig, d / "plots.png")
    if series and "grafts_short_mesh" in series[0]:
        plot_mesh_changes(d, summary, series)
    if (d / "spam-bans.csv").exists():
        plot_spam(d, summary, read_csv(d / "spam-bans.csv"))
    if (d / "censor.csv").exists():
        plot_censor(d, summary, read_csv(d / "censor.csv"), series)
    if (d / "eclipse.csv").exists():
        plot_eclipse(d, summary, read_csv(d / "eclipse.csv"))
    return summary, cdf, series


def plot_mesh_changes(d, summary, series):
    rows = [r for r in series if int(r["nodes"]) > 0]
    seconds = [int(r["second"]) for r in rows]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 7), sharex=True, gridspec_kw={"height_ratios": [1, 2]})
    fig.suptitle(f"{summary['scenario']}: {summary['nodes']} nodes, seed {summary['seed']}: mesh changes by cause")
    top.plot(seconds, [100 * int(r["mesh_ready"]) / int(r["nodes"]) for r in rows], color="tab:green")
    top.axhline(99, color="grey", linestyle="--", linewidth=1)
    top.set_ylabel("nodes with >= D_low\nmesh peers (%)")
    top.set_ylim(80, 100.5)
    top.grid(True, alpha=0.3)
    for column, label in [("grafts_short_mesh", "GRAFTs sent: mesh below D_low"),
                          ("grafts_outbound_quota", "GRAFTs sent: outbound quota"),
                          ("grafts_opportunistic", "GRAFTs sent: opportunistic"),
                          ("pruned_overfull", "peers pruned: mesh above D_high"),
                          ("grafts_refused", "GRAFTs refused")]:
        bottom.plot(seconds, [int(r[column]) for r in rows], label=label, linewidth=1)
    bottom.set_yscale("symlog", linthresh=10)
    bottom.set_xlabel("simulated second")
    bottom.set_ylabel("per second, all honest nodes")
    bottom.legend(loc="upper right", fontsize="small")
    bottom.grid(True, alpha=0.3)
    save(fig, d / "mesh-changes.png")


def plot_eclipse(d, summary, rows):
    """eclipse.png: the victim's connections, its mesh and what it received, over time."""
    eclipse = summary["eclipse"]
    fig, axes = plt.subplots(1, 3, figsize=(15, 4))
    fig.suptitle(f"{summary['scenario']}: {eclipse['sybils']} sybils go for one of {summary['nodes']} nodes; "
                 f"it received {eclipse['victimReceived']} of {eclipse['victimExpected']} transactions")
    seconds = [int(r["second"]) for r in rows]
    ax = axes[0]
    ax.plot(seconds, [int(r["sybil_connections"]) for r in rows], color="tab:red", label="sybils")
    ax.plot(seconds, [int(r["honest_outbound"]) for r in rows], color="tab:green", label="honest, dialed by the victim")
    ax.plot(seconds, [int(r["connections"]) - int(r["sybil_connections"]) - int(r["honest_outbound"]) for r in rows],
            color="tab:olive", label="honest, dialed by them")
    ax.set_title("the victim's connections")
    ax.set_ylabel("peers")
    ax.legend(fontsize=8)
    ax = axes[1]
    ax.plot(seconds, [int(r["sybil_mesh_peers"]) for r in rows], color="tab:red", label="sybils")
    ax.plot(seconds, [int(r["mesh_peers"]) - int(r["sybil_mesh_peers"]) for r in rows], color="tab:green", label="honest")
    if "sybil_table_entries" in rows[0]:
        ax.plot(seconds, [100 * int(r["sybil_table_entries"]) / max(int(r["table_entries"]), 1) for r in rows],
                color="tab:purple", linestyle=":", label="sybils' % of its discovery table")
    ax.set_title("the victim's mesh on the topic")
    ax.legend(fontsize=8)
    ax = axes[2]
    ax.plot(seconds, [int(r["received"]) for r in rows])
    ax.set_title("received by the victim (running total)")
    ax.set_ylabel("transactions")
    for ax in axes:
        ax.set_xlabel("simulated second")
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
    save(fig, d / "eclipse.png")

def plot_censor(d, summary, rows, series):
    """censor.png: the attackers' mesh places and scores, and deliveries, over time."""
    censor = summary["censor"]
    stop = censor["stopForwardingAtSeconds"]
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    fig.suptitle(f"{summary['scenario']}: {censor['attackers']} attackers among {summary['nodes']} nodes "
                 f"forward nothing from {stop:.0f} s")
    seconds = [int(r["second"]) for r in rows]
    ax = axes[0]
    ax.plot(seconds, [float(r["attacker_mesh_share"]) for r in rows], color="tab:red", label="attackers' share of honest mesh places")
    ax.set_ylim(0, 1)
    ax.set_xlabel("simulated second")
    ax.set_ylabel("share")
    ax.axvline(stop, color="grey", linestyle="--", linewidth=1)
    ax.grid(True, alpha=0.3)
    scores = ax.twinx()
    scores.plot(seconds, [float(r["attacker_score_mean"]) for r in rows], color="tab:purple", label="score of attackers")
    scores.plot(seconds, [float(r["honest_score_mean"]) for r in rows], color="tab:green", label="score of honest peers")
    scores.set_ylabel("mean score given by honest nodes")
    lines = ax.get_legend_handles_labels()[0] + scores.get_legend_handles_labels()[0]
    ax.legend(lines, [line.get_label() for line in lines], loc="upper left", fontsize=8)
    ax.set_title("mesh places and scores")
    ax = axes[1]
    ax.plot([int(r["second"]) for r in series], [int(r["deliveries"]) for r in series])
    ax.axvline(stop, color="grey", linestyle="--", linewidth=1)
    ax.set_xlabel("simulated second")
    ax.set_ylabel("first receipts at honest nodes")
    ax.set_title("deliveries per second")
    ax.grid(True, alpha=0.3)
    save(fig, d / "censor.png")


def plot_spam(d, summary, bans):
    """spam.png: how long honest nodes took to ban the attackers that reached them."""
    delays = sorted(float(r["ban_delay_s"]) for r in bans if r["ban_delay_s"])
    never = sum(1 for r in bans if not r["ban_delay_s"])
    spam = summary["spam"]
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    fig.suptitle(f"{summary['scenario']}: {spam['attackers']} attackers among {summary['nodes']} nodes, "
                 f"{spam['published']} invalid transactions")
    ax = axes[0]
    if delays:
        ax.step(delays, [(i + 1) / len(bans) for i in range(len(delays))], where="post")
    ax.axvline(10, color="grey", linestyle="--", linewidth=1)
    ax.set_xlabel("first invalid receipt to ban (s)")
    ax.set_ylabel("share of (honest node, attacker) pairs")
    ax.set_title(f"bans ({len(delays)} of {len(bans)} pairs; never: {never})")
    ax.set_ylim(0, 1.02)
    ax.grid(True, alpha=0.3)
    ax = axes[1]
    firsts = sorted(float(r["first_invalid_s"]) for r in bans)
    ax.hist(firsts, bins=40, color="tab:red", alpha=0.7, label="first invalid receipt")
    banned_at = sorted(float(r["first_invalid_s"]) + float(r["ban_delay_s"]) for r in bans if r["ban_delay_s"])
    ax.hist(banned_at, bins=40, color="tab:green", alpha=0.5, label="ban")
    ax.set_xlabel("simulated second")
    ax.set_ylabel("pairs")
    ax.set_title("contacts and bans over time")
    ax.legend()
    save(fig, d / "spam.png")


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    runs = [plot_run(directory) for directory in argv[1:]]
    names = [summary["scenario"] for summary, _, _ in runs]
    # Runs of one scenario (a code change, another seed) are told apart by their directories.
    labels = names if len(set(names)) == len(names) else [f"{n} ({Path(d).name})" for n, d in zip(names, argv[1:])]
    if len(runs) > 1:
        fig, ax = plt.subplots(figsize=(8, 5))
        for (_, cdf, _), label in zip(runs, labels):
            ax.plot([float(r["latency_ms"]) for r in cdf], [float(r["fraction"]) for r in cdf], label=label)
        ax.set_xscale("log")
        ax.set_xlabel("publication to receipt (ms, log)")
        ax.set_ylabel("share of deliveries")
        ax.legend()
        ax.grid(True, which="both", alpha=0.3)
        save(fig, Path(argv[1]) / "latency-compare.png")
        fig, ax = plt.subplots(figsize=(8, 5))
        for (_, _, series), label in zip(runs, labels):
            rows = [r for r in series if int(r["nodes"]) > 0]
            ax.plot([int(r["second"]) for r in rows],
                    [100 * int(r["mesh_ready"]) / int(r["nodes"]) for r in rows], label=label)
        ax.axhline(99, color="grey", linestyle="--", linewidth=1)
        ax.set_xlabel("simulated second")
        ax.set_ylabel("running nodes with >= D_low mesh peers (%)")
        ax.set_ylim(80, 100.5)
        ax.legend(loc="lower right")
        ax.grid(True, alpha=0.3)
        save(fig, Path(argv[1]) / "mesh-compare.png")
        plot_tradeoff(Path(argv[1]), [summary for summary, _, _ in runs], labels)
    return 0


def plot_tradeoff(directory, summaries, labels):
    """Latency p50 and p99 against mean upload per node (x the unique payload rate), one point
    per run: where each setting sits between bandwidth and speed; dashed, the first run's p99."""
    fig, ax = plt.subplots(figsize=(8, 5))
    for index, (summary, label) in enumerate(zip(summaries, labels)):
        unique = summary.get("uniquePayloadBytesPerSecond") or 0
        if not unique:
            continue
        upload = summary["uploadBytesPerSecond"]["mean"] / unique
        p50, p99 = summary["latencyP50Milliseconds"], summary["latencyP99Milliseconds"]
        line, = ax.plot([upload, upload], [p50, p99], marker="o", label=label)
        if index == 0:
            ax.axhline(p99, color=line.get_color(), linestyle="--", linewidth=1)
    ax.legend(fontsize=8)
    ax.set_xlabel("mean upload per node (x the unique payload rate)")
    ax.set_ylabel("latency p50 (lower dot) and p99 (upper dot), ms")
    ax.grid(True, alpha=0.3)
    save(fig, directory / "tradeoff.png")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
