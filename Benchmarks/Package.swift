// swift-tools-version:6.2
// Benchmarks live in their own package so that normal builds and tests stay fast.
// Run with `make bench` (or `swift package benchmark` in this directory).
import Foundation
import PackageDescription

/// The identity SwiftPM gives the parent package is its directory name, whatever the clone is called.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

func benchmark(_ name: String, _ products: [String], extra: [Target.Dependency] = []) -> Target {
    .executableTarget(
        name: name,
        dependencies: [.product(name: "Benchmark", package: "benchmark")]
            + products.map { .product(name: $0, package: root) } + extra,
        path: "Benchmarks/\(name)",
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")])
}

let package = Package(
    name: "Benchmarks",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "IdleConnections", targets: ["IdleConnections"]),
    ],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        benchmark("SSZBenchmarks", ["SSZ"], extra: [.product(name: "Crypto", package: "swift-crypto")]),
        benchmark("SnappyBenchmarks", ["Snappy"]),
        benchmark("AztecP2PBenchmarks", ["AztecP2P", "SSZ"]),
        benchmark("GossipSubBenchmarks", ["GossipSub", "LibP2PCore"]),
        benchmark("ENRBenchmarks", ["ENR", "RLP", "P2PCrypto"], extra: [.product(name: "Crypto", package: "swift-crypto")]),
        benchmark("DiscV5Benchmarks", ["DiscV5", "ENR", "P2PCrypto"], extra: [.product(name: "Crypto", package: "swift-crypto")]),
        benchmark("ConnectionBenchmarks", ["LibP2P", "LibP2PCore", "Noise"],
                  extra: [.product(name: "Crypto", package: "swift-crypto"),
                          .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")]),
        // Not a benchmark: holds idle connections for scripts/idle_connections.sh.
        .executableTarget(
            name: "IdleConnections",
            dependencies: [
                .product(name: "LibP2P", package: root), .product(name: "LibP2PCore", package: root),
                .product(name: "Noise", package: root),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tools/IdleConnections"),
    ]
)
