#!/usr/bin/env python3
"""The simulator's own speed: scripts/plot_progress.py OUT.png LABEL=LOG [LABEL=LOG ...] [--goal MINUTES]

Each LOG is what `aztec-p2p simulate` printed (its progress line, `simulated S s  wall W s ...`,
rewritten once a simulated second). Draws the wall time against the simulated time of every run
in one figure, with the goal's wall time as a line when given, and each run's wall seconds per
simulated second (averaged over 10 s) below it.
"""
import re
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

PROGRESS = re.compile(r"simulated\s+([0-9.]+) s\s+wall\s+([0-9]+) s")


def progress(path):
    """(simulated seconds, wall seconds) pairs, one per progress line, in order."""
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    return [(float(s), float(w)) for s, w in PROGRESS.findall(text)]


def main(argv):
    goal = None
    if "--goal" in argv:
        at = argv.index("--goal")
        goal = float(argv[at + 1]) * 60
        argv = argv[:at] + argv[at + 2:]
    if len(argv) < 2 or any("=" not in a for a in argv[1:]):
        sys.exit(__doc__)
    out, runs = argv[0], [a.split("=", 1) for a in argv[1:]]
    fig, (total, rate) = plt.subplots(2, 1, figsize=(8, 7), sharex=True)
    end = 0.0
    for label, path in runs:
        points = progress(path)
        if not points:
            sys.exit(f"{path}: no progress lines")
        xs, ys = zip(*points)
        end = max(end, xs[-1])
        total.plot(xs, [y / 60 for y in ys], label=f"{label} ({ys[-1] / 60:.1f} min)")
        tens = [(x, y) for x, y in points if x % 10 == 0]
        rate.step([x for x, _ in tens[1:]], [(b - a) / 10 for (_, a), (_, b) in zip(tens, tens[1:])],
                  where="pre", label=label)
    if goal is not None:
        total.axhline(goal / 60, color="grey", linestyle="--", label=f"goal ({goal / 60:.0f} min)")
    total.set_ylabel("wall time (minutes)")
    total.set_title("Simulator speed")
    total.legend()
    total.grid(alpha=0.3)
    rate.set_xlabel("simulated time (s)")
    rate.set_ylabel("wall s per simulated s (10 s mean)")
    rate.set_xlim(0, end)
    rate.grid(alpha=0.3)
    rate.legend()
    fig.tight_layout()
    fig.savefig(out, dpi=90)


if __name__ == "__main__":
    main(sys.argv[1:])
