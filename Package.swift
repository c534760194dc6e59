// swift-tools-version:6.2
import CompilerPluginSupport
import PackageDescription

/// Every target compiles in Swift 6 language mode (complete strict concurrency) and
/// treats warnings as errors: a warning is a defect here, not noise.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]
/// What the frame decoders' tests need: `ByteBuffer`, `EmbeddedChannel` and `DecoderTestSupport`.
let decoderTesting: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOEmbedded", package: "swift-nio"),
    "DecoderTestSupport",
]

let package = Package(
    name: "swift-aztec-p2p",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SSZ", targets: ["SSZ"]),
        .library(name: "Snappy", targets: ["Snappy"]),
        .library(name: "RLP", targets: ["RLP"]),
        .library(name: "ENR", targets: ["ENR"]),
        .library(name: "P2PCrypto", targets: ["P2PCrypto"]),
        .library(name: "Multiformats", targets: ["Multiformats"]),
        .library(name: "LibP2PCore", targets: ["LibP2PCore"]),
        .library(name: "Multistream", targets: ["Multistream"]),
        .library(name: "Noise", targets: ["Noise"]),
        .library(name: "Yamux", targets: ["Yamux"]),
        .library(name: "Mplex", targets: ["Mplex"]),
        .library(name: "GossipSub", targets: ["GossipSub"]),
        .library(name: "GossipSubHost", targets: ["GossipSubHost"]),
        .library(name: "LibP2P", targets: ["LibP2P"]),
        .library(name: "DiscV5", targets: ["DiscV5"]),
        .library(name: "AztecP2P", targets: ["AztecP2P"]),
        .library(name: "DiscV5NIO", targets: ["DiscV5NIO"]),
        .library(name: "AztecHTTP", targets: ["AztecHTTP"]),
        .library(name: "AztecNode", targets: ["AztecNode"]),
        .library(name: "NetworkSimulation", targets: ["NetworkSimulation"]),
        .executable(name: "aztec-p2p", targets: ["AztecP2PCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/swiftlang/swift-syntax.git", from: "603.0.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // The HTTP endpoints (JSON-RPC, metrics). No default traits: swift-configuration is not needed.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // The CLI's JSON-RPC client (`tx send`, `tx load`, the devnet's load): pooled connections.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        // `swift package generate-documentation` (make docs); a command plugin, linked into nothing.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin.git", from: "1.5.0"),
    ],
    targets: [
        // System libraries (Debian: libsecp256k1-dev, libsnappy-dev), found through pkg-config.
        .systemLibrary(
            name: "CSecp256k1", pkgConfig: "libsecp256k1",
            providers: [.apt(["libsecp256k1-dev"])]),
        .systemLibrary(
            name: "CSnappy", pkgConfig: "snappy",
            providers: [.apt(["libsnappy-dev"])]),

        // Codecs.
        .target(name: "SSZ", dependencies: [
            "SSZMacros",
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),
        .macro(name: "SSZMacros", dependencies: [
            .product(name: "SwiftSyntaxMacros", package: "swift-syntax"),
            .product(name: "SwiftCompilerPlugin", package: "swift-syntax"),
        ], swiftSettings: strict),
        .target(name: "Snappy", dependencies: ["CSnappy"], swiftSettings: strict),
        .target(name: "RLP", swiftSettings: strict),

        // Identities and records.
        .target(name: "P2PCrypto", dependencies: [
            "CSecp256k1",
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),
        // Multiaddrs, multihashes, multibase, varints, peer ids and the protobuf codec: no keys, so
        // no libsecp256k1 (the GossipSub router builds on this alone).
        .target(name: "Multiformats", dependencies: [
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),
        .target(name: "LibP2PCore", dependencies: [
            "Multiformats", "P2PCrypto",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "CryptoExtras", package: "swift-crypto"),
        ], swiftSettings: strict),
        .target(name: "ENR", dependencies: ["RLP", "P2PCrypto", "LibP2PCore"], swiftSettings: strict),

        // Connections (sans-IO cores).
        .target(name: "Multistream", dependencies: ["LibP2PCore", .product(name: "NIOCore", package: "swift-nio")],
                swiftSettings: strict),
        // How the Noise frame reader and the yamux parser join received buffers.
        .target(name: "ByteBufferCumulation", dependencies: [.product(name: "NIOCore", package: "swift-nio")], swiftSettings: strict),
        .target(name: "Noise", dependencies: [
            "LibP2PCore", "ByteBufferCumulation",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
        ], swiftSettings: strict),
        // What both stream multiplexers share: byte queues, stream halves, round-robin scheduling.
        .target(name: "MuxerCore", dependencies: [
            .product(name: "DequeModule", package: "swift-collections"),
        ], swiftSettings: strict),
        .target(name: "Yamux", dependencies: ["MuxerCore", "ByteBufferCumulation", .product(name: "NIOCore", package: "swift-nio")],
                swiftSettings: strict),
        .target(name: "Mplex", dependencies: ["MuxerCore", "LibP2PCore", .product(name: "NIOCore", package: "swift-nio")],
                swiftSettings: strict),

        // Upgraded connections: multistream -> Noise -> muxer, sans-IO core plus SwiftNIO adapters.
        .target(name: "LibP2P", dependencies: [
            "LibP2PCore", "Multistream", "Noise", "MuxerCore", "Yamux", "Mplex",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),

        // Discovery v5.1 (sans-IO core).
        .target(name: "DiscV5", dependencies: [
            "P2PCrypto", "RLP", "ENR", "LibP2PCore",
            .product(name: "DequeModule", package: "swift-collections"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "CryptoExtras", package: "swift-crypto"),
        ], swiftSettings: strict),

        // Discovery v5.1 over UDP: the SwiftNIO datagram adapter and async API.
        .target(name: "DiscV5NIO", dependencies: [
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            "DiscV5", "ENR", "P2PCrypto",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ], swiftSettings: strict),

        // Gossip (sans-IO router).
        .target(name: "GossipSub", dependencies: [
            "Multiformats",
            .product(name: "DequeModule", package: "swift-collections"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),

        // Aztec: transaction schema, validation, pool and its journal, the JSON-RPC handler (sans-IO).
        .target(name: "AztecP2P", dependencies: [
            "SSZ", "Snappy", "GossipSub", "ENR",
            .product(name: "HeapModule", package: "swift-collections"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ], swiftSettings: strict),

        // The gossipsub router driven over libp2p connections (streams, timers, metrics).
        .target(name: "GossipSubHost", dependencies: [
            "ByteBufferCumulation", "GossipSub", "LibP2P", "LibP2PCore", "Noise",
            .product(name: "DequeModule", package: "swift-collections"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
        ], swiftSettings: strict),

        // The node's HTTP endpoints on Hummingbird 2: JSON-RPC over the sans-IO handler, and metrics.
        .target(name: "AztecHTTP", dependencies: [
            "AztecP2P",
            .product(name: "DequeModule", package: "swift-collections"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),

        // The discrete-event network simulator that drives the sans-IO cores at scale.
        .target(name: "NetworkSimulation", dependencies: [
            .product(name: "HeapModule", package: "swift-collections"),
            "AztecP2P", "GossipSub", "LibP2PCore", "DiscV5", "ENR", "P2PCrypto",
        ], swiftSettings: strict),

        // The Aztec node facade: libp2p host + GossipSub + discv5 + transaction service + JSON-RPC.
        .target(name: "AztecNode", dependencies: [
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            "AztecP2P", "AztecHTTP", "LibP2P", "LibP2PCore", "GossipSub", "GossipSubHost", "DiscV5", "DiscV5NIO", "ENR", "P2PCrypto",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),

        // The command-line tool: `aztec-p2p <subcommand>`.
        .executableTarget(name: "AztecP2PCLI", dependencies: [
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            "NetworkSimulation", "LibP2P", "LibP2PCore", "GossipSub", "GossipSubHost", "DiscV5", "DiscV5NIO", "ENR", "AztecP2P", "AztecNode",
            "P2PCrypto", "SSZ",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),

        // Test support: locating the conformance vectors and the real peers of the interop tests.
        .target(name: "InteropSupport", dependencies: [
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], path: "Tests/InteropSupport", swiftSettings: strict),
        .target(name: "ConformanceSupport", dependencies: ["CSnappy"], path: "Tests/ConformanceSupport",
                swiftSettings: strict),
        // Test support: the seeded generator every test target draws its reproducible inputs from.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        // The frame decoders' checks: NIO's ByteToMessageDecoderVerifier and a frame cut short at the end.
        .target(name: "DecoderTestSupport", dependencies: [
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOTestUtils", package: "swift-nio"),
        ], path: "Tests/DecoderTestSupport", swiftSettings: strict),
        // Counts large allocations per thread (glibc), for the payload copy-count test.
        .target(name: "AllocationCounter", path: "Tests/AllocationCounter"),

        .testTarget(name: "SSZTests", dependencies: ["TestSupport", 
            "SSZ", "SSZMacros", "ConformanceSupport",
            .product(name: "SwiftSyntaxMacrosTestSupport", package: "swift-syntax"),
        ], swiftSettings: strict),
        .testTarget(name: "SnappyTests", dependencies: ["TestSupport", "Snappy", "ConformanceSupport"], swiftSettings: strict),
        .testTarget(name: "RLPTests", dependencies: ["RLP", "ConformanceSupport"], swiftSettings: strict),
        .testTarget(name: "ENRTests", dependencies: ["TestSupport", "ENR", "ConformanceSupport"], swiftSettings: strict),
        .testTarget(name: "P2PCryptoTests", dependencies: ["TestSupport", "P2PCrypto"], swiftSettings: strict),
        .testTarget(name: "LibP2PCoreTests", dependencies: ["TestSupport", "LibP2PCore", "Multiformats", "ConformanceSupport"],
                    swiftSettings: strict),
        .testTarget(name: "MultistreamTests", dependencies: ["Multistream"] + decoderTesting, swiftSettings: strict),
        .testTarget(name: "NoiseTests", dependencies: ["TestSupport", "Noise", "ConformanceSupport"] + decoderTesting,
                    swiftSettings: strict),
        .testTarget(name: "YamuxTests", dependencies: ["TestSupport", "Yamux"] + decoderTesting, swiftSettings: strict),
        .testTarget(name: "MplexTests", dependencies: ["TestSupport", "Mplex"] + decoderTesting, swiftSettings: strict),
        .testTarget(name: "LibP2PTests", dependencies: ["TestSupport", 
            "LibP2P", "LibP2PCore", "InteropSupport",
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .testTarget(name: "DiscV5Tests", dependencies: ["TestSupport", 
            "DiscV5", "DiscV5NIO", "ConformanceSupport", "InteropSupport",
        ], swiftSettings: strict),
        .testTarget(name: "InteropTests", dependencies: [
            "LibP2P", "LibP2PCore", "InteropSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),
        .testTarget(name: "GossipSubTests", dependencies: ["GossipSub", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "NetworkSimulationTests", dependencies: ["NetworkSimulation", "AztecP2P", "GossipSub", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "AztecP2PTests", dependencies: [
            "AztecP2P", "AztecHTTP", "SSZ", "Snappy", "GossipSub", "ENR", "P2PCrypto", "InteropSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ], swiftSettings: strict),
        .testTarget(name: "AztecNodeTests", dependencies: [
            "AztecNode", "AztecHTTP", "AztecP2P", "GossipSub", "GossipSubHost", "LibP2P", "LibP2PCore", "DiscV5", "DiscV5NIO", "ENR",
            "P2PCrypto", "SSZ", "InteropSupport",
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .testTarget(name: "GossipSubHostTests", dependencies: ["TestSupport", "AllocationCounter",
            "GossipSubHost", "GossipSub", "LibP2P", "LibP2PCore", "Noise", "InteropSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
            "DecoderTestSupport",
        ], swiftSettings: strict),
    ]
)
