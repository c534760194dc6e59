// swift-tools-version:6.2
// libFuzzer entry points for every decoder. Built by `make fuzz` with coverage
// instrumentation and libFuzzer's no-main runtime (see scripts/fuzz.sh).
import Foundation
import PackageDescription

/// The identity SwiftPM gives the parent package is its directory name, whatever the clone is called.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

func fuzzer(_ name: String, _ products: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: root) },
        swiftSettings: [.treatAllWarnings(as: .error)])
}

let package = Package(
    name: "Fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "CFuzzDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzDriver"]),
        fuzzer("FuzzSSZ", ["SSZ"]),
        fuzzer("FuzzSnappyBlock", ["Snappy"]),
        fuzzer("FuzzSnappyFrame", ["Snappy"]),
        fuzzer("FuzzRLP", ["RLP"]),
        fuzzer("FuzzENRText", ["ENR"]),
        fuzzer("FuzzENRRLP", ["ENR"]),
        fuzzer("FuzzMultiaddr", ["LibP2PCore"]),
        fuzzer("FuzzKeyProtobuf", ["LibP2PCore"]),
        fuzzer("FuzzGossipRPC", ["GossipSub"]),
        fuzzer("FuzzYamux", ["Yamux"]),
        fuzzer("FuzzMplex", ["Mplex"]),
        fuzzer("FuzzMultistream", ["Multistream"]),
        fuzzer("FuzzGossipFrames", ["GossipSub", "GossipSubHost"]),
        fuzzer("FuzzAztecTx", ["AztecP2P"]),
        fuzzer("FuzzJSONRPC", ["AztecP2P"]),
    ]
)
