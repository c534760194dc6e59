#!/usr/bin/env python3
"""Turns a package-benchmark JMH export into the README's table: each figure next to the
reference measured in the same run, and their ratio.

Usage: scripts/bench_report.py RUN.jmh.json
A benchmark named "X (reference: Y)" is the reference for the benchmark named "X"-prefixed pairs
listed in PAIRS below; figures are medians (p50) of throughput (operations per second).
"""
import json
import sys

# (label in the README, measured benchmark, reference benchmark, goal as a minimum ratio or None)
PAIRS = []


def load(path):
    runs = {}
    for entry in json.load(open(path)):
        _, _, target, bench = entry["benchmark"].split(".", 3)  # package.benchmark.<Target>.<name>
        metric = entry["primaryMetric"]
        runs[bench] = {
            "target": target,
            "throughput": metric["scorePercentiles"]["50.0"],
            "mallocs": entry.get("secondaryMetrics", {}).get("Malloc (total)", {}).get("scorePercentiles", {}).get("50.0"),
        }
    return runs


def main():
    runs = load(sys.argv[1])
    print("| figure | measured (ops/s) | reference (ops/s) | ratio | goal |")
    print("|---|---:|---:|---:|---|")
    for label, measured, reference, goal in PAIRS:
        if measured not in runs or reference not in runs:
            print(f"| {label} | missing | missing | | |")
            continue
        m, r = runs[measured]["throughput"], runs[reference]["throughput"]
        ratio = m / r if r else float("nan")
        verdict = "" if goal is None else (f">= {goal:.2f} {'met' if ratio >= goal else 'NOT met'}")
        print(f"| {label} | {m:,.0f} | {r:,.0f} | {ratio:.2f} | {verdict} |")
    print()
    print("| benchmark | ops/s (p50) | mallocs per op (p50) |")
    print("|---|---:|---:|")
    for name, run in sorted(runs.items()):
        mallocs = "" if run["mallocs"] is None else f"{run['mallocs']:,.0f}"
        print(f"| {run['target']}: {name} | {run['throughput']:,.0f} | {mallocs} |")


if __name__ == "__main__":
    main()
