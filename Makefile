# swift-aztec-p2p: one entry point for building, testing, benchmarking and fuzzing.
#   make test    install what is missing, build, run the whole test suite
#   make bench   run the benchmarks (Benchmarks/, a separate package)
#   make fuzz    build and run every libFuzzer target for FUZZ_SECONDS each
#   make devnet  a bootnode and 16 Aztec nodes on loopback, 10 tx/s of 40 KB over JSON-RPC for 30 s (DEVNET_ARGS="--nodes 32 ...")
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

# Debug build: on a fresh clone it starts several minutes sooner than a release build (no
# optimisation of swift-nio, swift-crypto and BoringSSL, and it shares the build `make test`
# makes), and it is fast enough: the default run (17 Aztec nodes validating 10 tx/s of 40 KB)
# uses about 1.6 of the machine's cores in debug. For the tightest latency figures run
# `swift run -c release aztec-p2p devnet`.
DEVNET_ARGS ?=
devnet: deps
	swift run aztec-p2p devnet $(DEVNET_ARGS)

clean:
	rm -rf .build Benchmarks/.build Fuzz/.build-fuzz .build-fuzz-corpus
