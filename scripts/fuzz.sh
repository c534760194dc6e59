#!/usr/bin/env bash
# Builds every libFuzzer target of Fuzz/ and runs each for a bounded time.
# Usage: scripts/fuzz.sh [seconds-per-target] [target ...]
set -euo pipefail
cd "$(dirname "$0")/../Fuzz"
seconds="${1:-60}"; shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(FuzzSSZ FuzzSnappyBlock FuzzSnappyFrame FuzzRLP FuzzENRText FuzzENRRLP FuzzMultiaddr FuzzKeyProtobuf
    FuzzGossipRPC FuzzYamux FuzzMplex FuzzMultistream FuzzGossipFrames FuzzAztecTx FuzzJSONRPC)
fi
runtime=$(find "$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")" -name 'libclang_rt.fuzzer_no_main-x86_64.a' | head -1)
[ -n "$runtime" ] || { echo "libFuzzer runtime (libclang_rt.fuzzer_no_main) not found in the toolchain" >&2; exit 1; }
flags=(-c release --scratch-path .build-fuzz
  -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp
  -Xlinker "$runtime" -Xlinker -lstdc++)
for t in "${targets[@]}"; do swift build "${flags[@]}" --product "$t"; done
mkdir -p ../.build-fuzz-corpus
summary=()
for t in "${targets[@]}"; do
  corpus="../.build-fuzz-corpus/$t"; mkdir -p "$corpus"
  log="../.build-fuzz-corpus/$t.log"
  echo "== $t: ${seconds}s"
  if ! ".build-fuzz/release/$t" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="../.build-fuzz-corpus/$t-" "$corpus" >"$log" 2>&1; then
    tail -30 "$log"; echo "$t: CRASH (see $log)"; exit 1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  summary+=("$t: $runs runs in ${seconds}s, $((runs / seconds)) exec/s, 0 crashes")
done
printf '%s\n' "${summary[@]}"
