@testable import DiscV5
import ENR
import Testing
import TestSupport

/// The discovery core on small lossless simulated networks.
@Suite struct DiscoveryNodeTests {
    struct Fixture {
        var network: DiscoveryTestNetwork
        var identities: [TestIdentity] = []

        init(seed: UInt64, lossRate: Double = 0) {
            network = DiscoveryTestNetwork(seed: seed, lossRate: lossRate)
        }

        @discardableResult
        mutating func addNode(
            ip: [UInt8], port: UInt16 = 9000, config: DiscoveryConfig = DiscoveryConfig(), aztecChainID: UInt64? = nil,
            recordIP: [UInt8]? = nil
        ) throws -> Int {
            let identity = try TestIdentity(ip: recordIP ?? ip, port: port, aztecChainID: aztecChainID,
                                            topicDiscovery: config.topicRegistrar != nil, using: &network.random)
            let node = try DiscoveryNode(key: identity.key, record: identity.record, config: config)
            identities.append(identity)
            return network.add(node, endpoint: Endpoint(ip: ip, port: port))
        }

        mutating func startAll() {
            for index in network.nodes.indices { network.start(index, at: network.now) }
            network.run(until: network.now)
        }

        func actions(of index: Int) -> [DiscoveryAction] { network.otherActions[index] ?? [] }
    }

    @Test func pingIsAnsweredWithTheObservedEndpointAndBothTablesLearn() throws {
        var fixture = Fixture(seed: 1)
        let a = try fixture.addNode(ip: [10, 0, 0, 1])
        let b = try fixture.addNode(ip: [10, 0, 1, 1])
        fixture.startAll()
        let recordB = fixture.identities[b].record
        let id = fixture.network.perform(a) { node, now, random in node.ping(recordB, now: now, using: &random) }
        fixture.network.run(until: .seconds(1))
        let pongs = fixture.actions(of: a).compactMap { action -> Pong? in
            if case .pong(let requestID, let pong, let from) = action, requestID == id, from == fixture.identities[b].nodeID { return pong }
            return nil
        }
        #expect(pongs.count == 1)
        #expect(pongs.first?.recipientIP == [10, 0, 0, 1])
        #expect(pongs.first?.recipientPort == 9000)
        #expect(fixture.network.nodes[a].table.entry(for: fixture.identities[b].nodeID) != nil)
        #expect(fixture.network.nodes[b].table.entry(for: fixture.identities[a].nodeID) != nil)
        #expect(fixture.actions(of: a).contains(.discovered(DiscoveredPeer(record: recordB))))
    }

    @Test func findNodeAnswersSeveralDistancesSplitOverPackets() throws {
        var fixture = Fixture(seed: 2)
        let server = try fixture.addNode(ip: [10, 0, 0, 1])
        var config = DiscoveryConfig()
        config.bootnodes = [fixture.identities[server].record]
        for index in 0..<60 { try fixture.addNode(ip: [10, 1, UInt8(index), 1], config: config) }
        fixture.startAll()
        fixture.network.run(until: .seconds(5))
        let serverNode = fixture.network.nodes[server]
        #expect(serverNode.table.count >= 16)
        let client = try fixture.addNode(ip: [10, 2, 0, 1])
        fixture.network.start(client, at: fixture.network.now)
        fixture.network.run(until: fixture.network.now)
        let distances: [UInt16] = [256, 255, 254, 253]
        let expected = distances.flatMap { serverNode.table.entries(atDistance: Int($0)).map(\.record) }.prefix(16)
        let recordS = fixture.identities[server].record
        let sentBefore = fixture.network.packetsSent
        let id = fixture.network.perform(client) { node, now, random in node.findNode(recordS, distances: distances, now: now, using: &random) }
        fixture.network.run(until: fixture.network.now + .seconds(2))
        let answers = fixture.actions(of: client).compactMap { action -> [NodeRecord]? in
            if case .nodes(let requestID, let records, _) = action, requestID == id { return records }
            return nil
        }
        #expect(answers.count == 1)
        #expect(answers.first?.count == expected.count)
        #expect(Set(answers.first ?? []) == Set(expected))
        // 16 records of ~100 bytes do not fit one packet: several NODES messages were needed.
        let messages = NodesPacking.messages(requestID: id, records: Array(expected))
        #expect(messages.count >= 2)
        #expect(messages.allSatisfy { $0.total == UInt64(messages.count) })
        #expect(fixture.network.packetsSent - sentBefore >= 1 + messages.count)
        // Distance 0 is the responder's own record.
        let own = fixture.network.perform(client) { node, now, random in node.findNode(recordS, distances: [0], now: now, using: &random) }
        fixture.network.run(until: fixture.network.now + .seconds(1))
        #expect(fixture.actions(of: client).contains(.nodes(own, [recordS], from: recordS.discoveryNodeID)))
    }

    @Test func nodesPackingKeepsEveryMessageWithinThePacketLimit() throws {
        var random = SeededRandom(seed: 3)
        let records = try (0..<40).map { index in
            try TestIdentity(ip: [10, 0, UInt8(index), 1], port: 9000, aztecChainID: 1, using: &random).record
        }
        let messages = NodesPacking.messages(requestID: RequestID(7), records: records)
        #expect(messages.flatMap(\.records) == records)
        for message in messages {
            #expect(MessageCodec.encode(.nodes(message)).count + 87 <= PacketCodec.maximumPacketByteCount)
        }
        #expect(NodesPacking.messages(requestID: RequestID(7), records: []) == [Nodes(requestID: RequestID(7), total: 1, records: [])])
    }

    @Test func talkRequestsReachTheirHandler() throws {
        var fixture = Fixture(seed: 4)
        let a = try fixture.addNode(ip: [10, 0, 0, 1])
        let b = try fixture.addNode(ip: [10, 0, 1, 1])
        fixture.network.nodes[b].registerTalkProtocol(Array("echo".utf8)) { _, request in Array(request.reversed()) }
        fixture.startAll()
        let recordB = fixture.identities[b].record
        let known = fixture.network.perform(a) { node, now, random in
            node.talk(recordB, protocolName: Array("echo".utf8), request: [1, 2, 3], now: now, using: &random)
        }
        let unknown = fixture.network.perform(a) { node, now, random in
            node.talk(recordB, protocolName: Array("nope".utf8), request: [1], now: now, using: &random)
        }
        fixture.network.run(until: .seconds(1))
        let idB = fixture.identities[b].nodeID
        #expect(fixture.actions(of: a).contains(.talkResponse(known, [3, 2, 1], from: idB)))
        #expect(fixture.actions(of: a).contains(.talkResponse(unknown, [], from: idB)))
    }

    @Test func aNewerRecordIsFetchedWhenPingCarriesAHigherSequence() throws {
        var fixture = Fixture(seed: 5)
        let a = try fixture.addNode(ip: [10, 0, 0, 1])
        let b = try fixture.addNode(ip: [10, 0, 1, 1])
        fixture.startAll()
        let recordB = fixture.identities[b].record
        let recordA = fixture.identities[a].record
        _ = fixture.network.perform(a) { node, now, random in node.ping(recordB, now: now, using: &random) }
        fixture.network.run(until: .seconds(1))
        #expect(fixture.network.nodes[a].table.entry(for: recordB.discoveryNodeID)?.record.sequenceNumber == 1)
        let updated = try fixture.network.nodes[b].updateLocalRecord { $0.setTCP(40400) }
        #expect(updated.sequenceNumber == 2)
        // B's PING carries seq 2; A fetches the record with FINDNODE [0].
        _ = fixture.network.perform(b) { node, now, random in node.ping(recordA, now: now, using: &random) }
        fixture.network.run(until: .seconds(2))
        #expect(fixture.network.nodes[a].table.entry(for: recordB.discoveryNodeID)?.record == updated)
    }

    @Test func aRestartedPeerIsReachedThroughANewHandshake() throws {
        var fixture = Fixture(seed: 6)
        let a = try fixture.addNode(ip: [10, 0, 0, 1])
        let b = try fixture.addNode(ip: [10, 0, 1, 1])
        fixture.startAll()
        let recordB = fixture.identities[b].record
        _ = fixture.network.perform(a) { node, now, random in node.ping(recordB, now: now, using: &random) }
        fixture.network.run(until: .seconds(1))
        // B restarts: all its sessions are gone.
        fixture.network.nodes[b] = try DiscoveryNode(key: fixture.identities[b].key, record: recordB)
        let second = fixture.network.perform(a) { node, now, random in node.ping(recordB, now: now, using: &random) }
        fixture.network.run(until: .seconds(2))
        #expect(fixture.actions(of: a).contains { if case .pong(second, _, _) = $0 { true } else { false } })
    }

    @Test func aKnownNodesFileReplacesTheBootnodesAfterARestart() throws {
        var fixture = Fixture(seed: 7)
        let boot = try fixture.addNode(ip: [10, 0, 0, 1])
        var config = DiscoveryConfig()
        config.bootnodes = [fixture.identities[boot].record]
        for index in 0..<20 { try fixture.addNode(ip: [10, 1, UInt8(index), 1], config: config) }
        fixture.startAll()
        fixture.network.run(until: .seconds(5))
        let saved = KnownNodesFile.encode(fixture.network.nodes[5].knownRecords)
        let loaded = KnownNodesFile.decode("# known nodes\n\n" + saved + "not a record\n")
        #expect(loaded == fixture.network.nodes[5].knownRecords)
        #expect(loaded.count >= 3)
        // Node 5 restarts without bootnodes, seeded from the file; the bootnode is gone.
        fixture.network.online[boot] = false
        var restarted = try DiscoveryNode(key: fixture.identities[5].key, record: fixture.identities[5].record)
        restarted.addSeeds(loaded.filter { $0 != fixture.identities[boot].record })
        fixture.network.nodes[5] = restarted
        fixture.network.start(5, at: fixture.network.now)
        fixture.network.run(until: fixture.network.now + .seconds(5))
        #expect(fixture.network.nodes[5].table.count >= 3)
    }

    @Test func onlyPeersOfTheConfiguredChainAreReported() throws {
        var fixture = Fixture(seed: 8)
        var config = DiscoveryConfig()
        config.filter = PeerFilter { (try? $0.aztecChainID) == 1337 }
        let a = try fixture.addNode(ip: [10, 0, 0, 1], config: config)
        let same = try fixture.addNode(ip: [10, 0, 1, 1], aztecChainID: 1337)
        let other = try fixture.addNode(ip: [10, 0, 2, 1], aztecChainID: 1)
        fixture.startAll()
        for target in [same, other] {
            let record = fixture.identities[target].record
            _ = fixture.network.perform(a) { node, now, random in node.ping(record, now: now, using: &random) }
        }
        fixture.network.run(until: .seconds(1))
        let discovered = fixture.actions(of: a).compactMap { action -> DiscoveredPeer? in
            if case .discovered(let peer) = action { return peer }
            return nil
        }
        #expect(discovered.map(\.record) == [fixture.identities[same].record])
        #expect(fixture.network.nodes[a].table.count == 2, "the table routes for everyone")
        #expect(fixture.network.nodes[a].peers.map(\.record) == [fixture.identities[same].record])
        let multiaddrs = discovered.first?.multiaddrs ?? []
        #expect(multiaddrs.isEmpty, "no tcp entry, no dialable address")
    }

    /// Where the chain's nodes are a minority, buckets fill with others: the chain's records a
    /// lookup finds and the table cannot hold are still reported as peers, and only those.
    @Test func aLookupsPeersBeyondTheTableAreReported() throws {
        var fixture = Fixture(seed: 9)
        let server = try fixture.addNode(ip: [10, 0, 0, 1])
        var joining = DiscoveryConfig()
        joining.bootnodes = [fixture.identities[server].record]
        var aztec: Set<NodeRecord> = []
        for index in 0..<60 {
            let node = try fixture.addNode(ip: [10, 1, UInt8(index), 1], config: joining, aztecChainID: index % 4 == 0 ? 1337 : 1)
            if index % 4 == 0 { aztec.insert(fixture.identities[node].record) }
        }
        var config = DiscoveryConfig()
        config.filter = PeerFilter { (try? $0.aztecChainID) == 1337 }
        config.table.bucketSize = 1   // a table with almost no room
        config.bootnodes = [fixture.identities[server].record]
        let client = try fixture.addNode(ip: [10, 2, 0, 1], config: config)
        fixture.startAll()
        fixture.network.run(until: .seconds(10))
        let node = fixture.network.nodes[client]
        let beyond = node.lookupPeers
        #expect(!beyond.isEmpty)
        #expect(beyond.allSatisfy { aztec.contains($0.record) && node.table.entry(for: $0.nodeID) == nil })
        let inTable = node.table.allEntries.filter { aztec.contains($0.record) }.count
        #expect(node.peers.count == inTable + beyond.count)
        #expect(Set(node.peers.map(\.record)).isSubset(of: aztec))
        #expect(node.peers.count > inTable, "the lookups found more of the chain than the table holds")
    }

    @Test func theExternalAddressFollowsAMajorityOfPongs() throws {
        var fixture = Fixture(seed: 9)
        var config = DiscoveryConfig()
        config.minimumAddressVotes = 3
        config.revalidationInterval = .seconds(1)
        let boot = try fixture.addNode(ip: [10, 0, 0, 1], config: config)
        config.bootnodes = [fixture.identities[boot].record]
        for index in 0..<12 { try fixture.addNode(ip: [10, 1, UInt8(index), 1], config: config) }
        // This node believes it is at 192.0.2.1 but is seen at 10.9.9.9.
        let confused = try fixture.addNode(ip: [10, 9, 9, 9], config: config, recordIP: [192, 0, 2, 1])
        fixture.startAll()
        fixture.network.run(until: .seconds(30))
        let record = fixture.network.nodes[confused].localRecord
        #expect(try record.ip == [10, 9, 9, 9])
        #expect(record.sequenceNumber == 2)
        #expect(fixture.actions(of: confused).contains(.localRecordUpdated(record)))
    }

    @Test func floodsAreRateLimitedNeverBannedAndBounded() throws {
        var fixture = Fixture(seed: 10)
        var config = DiscoveryConfig()
        config.trackedAddressCapacity = 500
        let victim = try fixture.addNode(ip: [10, 0, 0, 1], config: config)
        fixture.startAll()
        var random = SeededRandom(seed: 11)
        var node = fixture.network.nodes[victim]
        // Garbage from one address: dropped, and never a ban (its source is not authenticated).
        let attacker = Endpoint(ip: [6, 6, 6, 6], port: 1)
        for _ in 0..<100 {
            _ = node.handlePacket(SessionHandler.randomBytes(100, &random), from: attacker, now: .seconds(1), using: &random)
        }
        #expect(node.statistics.packetsDropped == 100)
        #expect(node.statistics.bans == 0)
        // Message packets from 20,000 random ids and addresses: state stays bounded.
        for index in 0..<20_000 {
            let id = DiscoveryNode.randomNodeID(&random)
            let packet = try PacketCodec.encode(
                header: PacketHeader(nonce: SessionHandler.randomBytes(12, &random), authData: .message(source: id)),
                maskingIV: SessionHandler.randomBytes(16, &random), destination: node.localID,
                messageBytes: SessionHandler.randomBytes(40, &random))
            let from = Endpoint(ip: [UInt8(index >> 16 & 0xff) | 64, UInt8(index >> 8 & 0xff), UInt8(index & 0xff), 1], port: 9)
            _ = node.handlePacket(packet, from: from, now: .seconds(2) + .milliseconds(Int64(index)), using: &random)
        }
        #expect(node.trackedAddressCount <= 500)
        #expect(node.session.pendingChallengeCount <= config.session.maximumPendingChallenges)
        #expect(node.session.sessions.count == 0)
        #expect(node.table.count == 0)
        #expect(node.statistics.bans == 0)
        // A single address exceeding its packet rate is refused, and admitted again once its
        // bucket refills: rate limiting, no ban.
        var limited = try DiscoveryNode(key: fixture.identities[victim].key, record: fixture.identities[victim].record)
        for _ in 0..<300 {
            _ = limited.handlePacket([0], from: Endpoint(ip: [7, 7, 7, 7], port: 1), now: .seconds(1), using: &random)
        }
        #expect(limited.statistics.packetsRateLimited == 100)
        _ = limited.handlePacket([0], from: Endpoint(ip: [7, 7, 7, 7], port: 1), now: .seconds(2), using: &random)
        #expect(limited.statistics.packetsRateLimited == 100)
        #expect(limited.statistics.packetsDropped == 201)
        #expect(limited.statistics.bans == 0)
    }

    @Test func lookupDistancesStartAtTheTargetsDistance() throws {
        var random = SeededRandom(seed: 12)
        var zero = [UInt8](repeating: 0, count: 32)
        let origin = try #require(NodeID(bytes: zero))
        zero[31] = 0x80  // log distance 8
        let near = try #require(NodeID(bytes: zero))
        // d, then d-1, d-2 (nodes at exactly d from the target), then d+1, d+2, d+3.
        #expect(DiscoveryNode.lookupDistances(from: origin, to: near, count: 6) == [8, 7, 6, 9, 10, 11])
        #expect(DiscoveryNode.lookupDistances(from: origin, to: near, count: 1) == [8])
        zero[0] = 0x80  // log distance 256: nothing above
        let far = try #require(NodeID(bytes: zero))
        #expect(DiscoveryNode.lookupDistances(from: origin, to: far, count: 6) == [256, 255, 254, 253, 252, 251])
        #expect(DiscoveryNode.lookupDistances(from: origin, to: origin, count: 3) == [1, 2, 3])
        let a = DiscoveryNode.randomNodeID(&random)
        let b = DiscoveryNode.randomNodeID(&random)
        #expect(DiscoveryNode.lookupDistances(from: a, to: b, count: 6).first == UInt16(a.logDistance(to: b)))
    }
}
