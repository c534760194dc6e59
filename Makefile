# swift-aztec-p2p: one entry point for building, testing, benchmarking and fuzzing.
#   make test    install what is missing, build, run the whole test suite
#   make bench   run the benchmarks (Benchmarks/, a separate package)
#   make fuzz    build and run every libFuzzer target for FUZZ_SECONDS each
SHELL := /bin/bash
FUZZ_SECONDS ?= 60

.PHONY: deps build test bench fuzz clean

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

clean:
	rm -rf .build Benchmarks/.build Fuzz/.build-fuzz .build-fuzz-corpus
