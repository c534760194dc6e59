#!/usr/bin/env bash
# The soak and fault harness of issue 15 (not part of `swift test`): N `aztec-p2p node` processes
# and a bootnode, each in a network namespace of its own on several /24s joined by a bridge
# (loopback addresses when not root), a paced load of synthetic transactions over JSON-RPC,
# kill -9 of a share of the nodes every few minutes and their restart on the same data
# directories; then every acknowledged transaction against every surviving pool, RSS and fds per
# node over time (plots), log volume. Exit status 0 only if nothing acknowledged and expected is lost.
#
# Usage: scripts/soak.sh [--minutes 30] [--nodes 20] [--tps 10] [--size 40000] [--kill-every 300]
#                        [--kill-share 0.3] [--out DIR] [...]   (scripts/soak.sh --help for all)
# Output: DIR (default .build-soak/<timestamp>/): soak-report.md, summary.json, rss.png, fds.png,
# pool.png, samples.csv, acks.txt, run.json, and each process's log under boot/ and nodes/.
# Needs a build (swift build) and scripts/deps.sh (run here) for the plots.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh

# main.py tears down its namespaces itself; this is the backstop should it be killed: namespaces
# of runs whose owner is gone are removed (the processes left in them are killed by pid).
python3 scripts/soak/main.py "$@" &
main=$!
stop() {
  kill -TERM "$main" 2>/dev/null || true
  wait "$main" 2>/dev/null || true
  python3 scripts/soak/network.py --remove-stale || true
  exit 130
}
trap stop INT TERM
trap 'python3 scripts/soak/network.py --remove-stale || true' EXIT
status=0
wait "$main" || status=$?
exit "$status"
