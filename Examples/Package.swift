// swift-tools-version:6.2
// Examples of importing swift-aztec-p2p one module at a time. `make test` builds and runs each.
import Foundation
import PackageDescription

// A package at a path is known by its folder's name, whatever the clone is called.
let project = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let identity = project.lastPathComponent.lowercased()
func product(_ name: String) -> Target.Dependency { .product(name: name, package: identity) }

let package = Package(
    name: "swift-aztec-p2p-examples",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // An Aztec node inside another program: two nodes, a transaction from one to the other.
        .executableTarget(name: "EmbedAztecNode", dependencies: [
            product("AztecNode"), product("AztecP2P"), product("LibP2PCore"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The sans-IO GossipSub router alone, driven by hand: three routers, no sockets, virtual time.
        .executableTarget(name: "GossipSubByHand", dependencies: [product("GossipSub")]),
        // An SSZ container: encode, decode, hash_tree_root, and a Merkle proof of one field.
        .executableTarget(name: "SSZMerkleProof", dependencies: [product("SSZ")]),
        // An ENR read from its text, and a libp2p dial of the multiaddr it names.
        .executableTarget(name: "DialENR", dependencies: [
            product("ENR"), product("P2PCrypto"), product("LibP2P"), product("LibP2PCore"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
    ]
)
