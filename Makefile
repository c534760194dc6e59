# swift-aztec-p2p: one entry point for building, testing, benchmarking and fuzzing.
#   make test    install what is missing, build, run the whole test suite
#   make bench   run the benchmarks (Benchmarks/, a separate package)
#   make fuzz    build and run every libFuzzer target for FUZZ_SECONDS each
#   make devnet  16 GossipSub nodes on loopback, 10 tx/s of 40 KB for 30 s (DEVNET_ARGS="--nodes 32 ...")
SHELL := /bin/bash
FUZZ_SECONDS ?= 60

.PHONY: deps build test bench fuzz devnet clean

deps:
	@scripts/deps.sh

build: deps
	swift build

test: deps
	swift build --build-tests
	swift test

bench: deps
	mkdir -p .build-bench
	set -o pipefail; cd Benchmarks && swift package --disable-sandbox benchmark --no-progress | tee ../.build-bench/run.txt
	python3 scripts/bench_report.py .build-bench/run.txt

fuzz: deps
	scripts/fuzz.sh $(FUZZ_SECONDS)

# Release: the devnet's nodes encrypt and route about 50 MB/s between them, and a debug build
# spends several times the CPU on it (its latency figures would measure the build, not the
# protocol). The release build of the tool alone compiles only what aztec-p2p needs.
DEVNET_ARGS ?=
devnet: deps
	swift run -c release aztec-p2p devnet $(DEVNET_ARGS)

clean:
	rm -rf .build Benchmarks/.build Fuzz/.build-fuzz .build-fuzz-corpus
