# swift-aztec-p2p: one entry point for building, testing, benchmarking and fuzzing.
#   make test    install what is missing, build, run the whole test suite, a 2-minute soak, then the examples
#   make test-unit / make test-integration   the suites without / only the suites that run other
#                processes (tagged .integration: py-libp2p, go-libp2p, our own binary)
#   make examples  build and run every program of Examples/ (a separate package)
#   make bench   run the benchmarks (Benchmarks/, a separate package)
#   make fuzz    build and run every libFuzzer target for FUZZ_SECONDS each
#   make devnet  a bootnode and 16 Aztec nodes on loopback, 10 tx/s of 40 KB over JSON-RPC for 30 s (DEVNET_ARGS="--nodes 32 ...")
#   make docs    DocC for every library product into .build-docs/<product>, warnings as errors
#   make soak    the full soak of docs/soak.md: 20 node processes for 30 minutes (SOAK_ARGS="--minutes 60 ...")
SHELL := /bin/bash
FUZZ_SECONDS ?= 60

.PHONY: deps build test test-unit test-integration examples docs soak bench fuzz devnet clean

deps:
	@scripts/deps.sh

build: deps
	swift build

# After the suite: the soak harness's own unit tests, then a 2-minute soak (8 node processes,
# kill -9 of 30% of them every 45 s; network namespaces as root, loopback addresses otherwise).
test: deps
	python3 scripts/doc_coverage.py --check > /dev/null || { python3 scripts/doc_coverage.py; exit 1; }
	python3 scripts/check_dependencies.py
	python3 scripts/integration_suites.py --check
	swift build --build-tests
	swift test
	python3 -m unittest discover -s scripts/soak -p 'test_*.py'
	scripts/soak.sh --minutes 2 --nodes 8 --kill-every 45 --out .build-soak/make-test
	$(MAKE) examples

test-unit: deps
	swift build --build-tests
	swift test --skip '$(shell python3 scripts/integration_suites.py)'

test-integration: deps
	swift build --build-tests
	swift test --filter '$(shell python3 scripts/integration_suites.py)'

# Each example is a program that checks what it shows and exits non-zero if it does not hold. They
# build in the project's own .build (the same dependencies, already compiled: seconds, not minutes).
EXAMPLES := SSZMerkleProof GossipSubByHand DialENR EmbedAztecNode
examples: deps
	swift build --package-path Examples --scratch-path .build
	set -e; for example in $(EXAMPLES); do echo "== $$example"; timeout 120 .build/debug/$$example; done

DOC_PRODUCTS := $(shell awk -F'"' '/\.library.name: / {print $$2}' Package.swift)
docs: deps
	mkdir -p .build-docs
	set -e; for product in $(DOC_PRODUCTS); do \
	  swift package --disable-sandbox generate-documentation --target $$product \
	    --warnings-as-errors --output-path .build-docs/$$product; done

SOAK_ARGS ?=
soak: build
	nice -n 5 scripts/soak.sh $(SOAK_ARGS)

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
