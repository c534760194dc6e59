import AztecNode
import AztecP2P
import ENR
import LibP2PCore
import Foundation
import P2PCrypto
import Testing

@Suite struct AztecNodeConfigurationTests {
    @Test func defaultsValidateAndFillTheDerivedFields() throws {
        let c = try AztecNodeConfiguration().validated()
        #expect(c.topic.description == "/aztec/1/tx/1")
        // Listening on 0.0.0.0: the ENR carries an interface's address, never the wildcard.
        let announced = try #require(IPv4Address(c.announcedHost))
        #expect(c.announcedHost != "0.0.0.0")
        if let primary = AztecNodeConfiguration.primaryIPv4Address() {
            #expect(c.announcedHost == primary)
            #expect(announced.bytes[0] != 127)
        } else {
            #expect(c.announcedHost == "127.0.0.1")
        }
        #expect(c.gossip.topicMaxMessageSize[c.topic.description] == c.validation.limits.maxMessageBytes)
        #expect(try c.discovery.filter.admits(Self.record(aztec: 1, ethereum: 1)))
        #expect(try !c.discovery.filter.admits(Self.record(aztec: 2, ethereum: 1)))
        #expect(try !c.discovery.filter.admits(Self.record(aztec: nil, ethereum: 1)))
        #expect(c.rpcHost == nil)
        #expect(c.dataDirectory == nil)
    }

    @Test func announcedHostPrefersTheSettingThenTheListenHost() throws {
        var c = AztecNodeConfiguration()
        c.listenHost = "10.1.2.3"
        #expect(c.announcedHost == "10.1.2.3")
        c.announceHost = "203.0.113.7"
        #expect(c.announcedHost == "203.0.113.7")
        c.listenHost = "0.0.0.0"
        #expect(c.announcedHost == "203.0.113.7")
    }

    @Test func chainIDsAndVersionReachTheTopicFilterAndLimits() throws {
        var c = AztecNodeConfiguration()
        c.aztecChainID = 677_692
        c.ethereumChainID = 11_155_111
        c.messageVersion = 2
        let v = try c.validated()
        #expect(v.topic.description == "/aztec/677692/tx/2")
        #expect(v.validation.limits.aztecChainID == 677_692)
        #expect(try v.discovery.filter.admits(Self.record(aztec: 677_692, ethereum: 11_155_111)))
        #expect(try !v.discovery.filter.admits(Self.record(aztec: 677_692, ethereum: 1)))
    }

    /// A signed record announcing the given chain ids (`nil`: the key left out).
    static func record(aztec: UInt64?, ethereum: UInt64?) throws -> NodeRecord {
        var random = SystemRandomNumberGenerator()
        var builder = NodeRecordBuilder()
        if let aztec { builder.setAztecChainID(aztec) }
        if let ethereum { builder.setEthereumChainID(ethereum) }
        return try builder.signed(with: Secp256k1.PrivateKey.generate(using: &random))
    }

    @Test(arguments: [
        { (c: inout AztecNodeConfiguration) in c.tcpPort = 70_000 },
        { (c: inout AztecNodeConfiguration) in c.udpPort = -1 },
        { (c: inout AztecNodeConfiguration) in c.rpcPort = 65_536 },
        { (c: inout AztecNodeConfiguration) in c.announceHost = "localhost" },
        { (c: inout AztecNodeConfiguration) in c.announceHost = "1.2.3.256" },
        { (c: inout AztecNodeConfiguration) in c.targetPeerCount = 0 },
        { (c: inout AztecNodeConfiguration) in c.dialInterval = .zero },
        { (c: inout AztecNodeConfiguration) in c.gossip.d = 0 },
        { (c: inout AztecNodeConfiguration) in c.discovery.lookupParallelism = 0 },
        { (c: inout AztecNodeConfiguration) in c.pool.maxTransactions = 0 },
        { (c: inout AztecNodeConfiguration) in c.staticPeers = [(try? Multiaddr("/ip4/127.0.0.1/tcp/1")) ?? Multiaddr()] },
    ] as [@Sendable (inout AztecNodeConfiguration) -> Void])
    func invalidFieldsAreRefused(_ change: @Sendable (inout AztecNodeConfiguration) -> Void) {
        var c = AztecNodeConfiguration()
        change(&c)
        #expect(throws: AztecNodeError.self) { try c.validated() }
    }

    @Test func keyFileIsCreatedOnceAndReadBack() throws {
        let path = NodeTestNetwork.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let directory = try NodeDataDirectory(path: path)
        let first = try directory.loadOrCreateKey()
        let second = try directory.loadOrCreateKey()
        #expect(first.rawRepresentation == second.rawRepresentation)
        #expect(try NodeDataDirectory.readKey(path: directory.keyPath).rawRepresentation == first.rawRepresentation)
    }

    @Test(arguments: ["", "zz", "00", String(repeating: "0", count: 64), String(repeating: "ab", count: 33),
                      String(repeating: "f", count: 2_000)])
    func malformedKeyFilesAreRefused(_ text: String) throws {
        let path = NodeTestNetwork.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let directory = try NodeDataDirectory(path: path)
        try text.write(toFile: directory.keyPath, atomically: true, encoding: .utf8)
        #expect(throws: AztecNodeError.self) { try directory.loadOrCreateKey() }
    }

    @Test func knownNodesFileRoundTripsAndMissingFileIsEmpty() async throws {
        let path = NodeTestNetwork.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let directory = try NodeDataDirectory(path: path)
        #expect(directory.loadKnownNodes().isEmpty)
        let bootnode = try await NodeTestNetwork.bootnode()
        let record = await bootnode.localRecord
        await bootnode.stop()
        try directory.saveKnownNodes([record])
        #expect(directory.loadKnownNodes() == [record])
    }
}
