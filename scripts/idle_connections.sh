#!/usr/bin/env bash
# Resident memory per idle libp2p connection (TCP + Noise + muxer), two processes on loopback.
#
#   scripts/idle_connections.sh [count] [yamux|mplex]      (defaults: 1000 yamux)
#   CONFIG=debug scripts/idle_connections.sh ...            (skips the release build)
#
# Builds Benchmarks' IdleConnections tool (release), starts a listener, records its VmRSS,
# starts a dialer that opens `count` connections to it and reports its own VmRSS before and
# after, then records the listener's VmRSS again. Prints the growth per connection for each
# end and for both together. Linux only (/proc). Needs `ulimit -n` above count + 64.
set -euo pipefail
count=${1:-1000}
muxer=${2:-yamux}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/Benchmarks"
config=${CONFIG:-release}
swift build -c "$config" --product IdleConnections >&2
tool="$root/Benchmarks/.build/$config/IdleConnections"
ulimit -n $((count * 2 + 256)) 2>/dev/null || true

rss() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
workdir=$(mktemp -d)
listener_pid=""
dialer_pid=""
cleanup() {
    [[ -n "$dialer_pid" ]] && kill "$dialer_pid" 2>/dev/null || true
    [[ -n "$listener_pid" ]] && kill "$listener_pid" 2>/dev/null || true
    rm -rf "$workdir"
}
trap cleanup EXIT

"$tool" listen "$muxer" > "$workdir/listener.out" &
listener_pid=$!
for _ in $(seq 100); do grep -q '^port ' "$workdir/listener.out" 2>/dev/null && break; sleep 0.1; done
port=$(awk '/^port / {print $2}' "$workdir/listener.out")
[[ -n "$port" ]] || { echo "listener did not start" >&2; exit 1; }
sleep 0.5
listener_before=$(rss "$listener_pid")

mkfifo "$workdir/hold"
"$tool" dial "$port" "$count" "$muxer" < "$workdir/hold" > "$workdir/dialer.out" &
dialer_pid=$!
exec 3> "$workdir/hold"   # keeps the dialer's stdin open until we exit
for _ in $(seq 1200); do grep -q '^ready ' "$workdir/dialer.out" 2>/dev/null && break; sleep 0.1; done
grep -q '^ready ' "$workdir/dialer.out" || { echo "dialer did not finish" >&2; cat "$workdir/dialer.out" >&2; exit 1; }
sleep 1
listener_after=$(rss "$listener_pid")
dialer_before=$(awk '/^rss-before / {print $2}' "$workdir/dialer.out")
dialer_after=$(awk '/^rss-after / {print $2}' "$workdir/dialer.out")

awk -v n="$count" -v m="$muxer" -v lb="$listener_before" -v la="$listener_after" \
    -v db="$dialer_before" -v da="$dialer_after" 'BEGIN {
    printf "idle connections: %d (%s)\n", n, m
    printf "listener: %d kB -> %d kB, %.1f KiB per connection\n", lb, la, (la - lb) / n
    printf "dialer:   %d kB -> %d kB, %.1f KiB per connection\n", db, da, (da - db) / n
    printf "both ends: %.1f KiB per connection\n", ((la - lb) + (da - db)) / n
}'
