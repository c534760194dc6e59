import DiscV5
import ENR
import Testing
import TestSupport

@Suite struct RoutingTableTests {
    /// Identities with distinct /24 subnets (unless `subnet` is given), grouped by log distance
    /// from `local`.
    static func identities(
        _ count: Int, subnet: [UInt8]? = nil, using random: inout SeededRandom
    ) throws -> [TestIdentity] {
        try (0..<count).map { index in
            let ip: [UInt8] = subnet.map { $0 + [UInt8(index % 250 + 1)] }
                ?? [10, UInt8(index / 250), UInt8(index % 250), 1]
            return try TestIdentity(ip: ip, port: 30303, using: &random)
        }
    }

    static func entry(_ identity: TestIdentity, at time: Duration = .zero) -> TableEntry {
        TableEntry(record: identity.record, endpoint: identity.endpoint, lastSeen: time)
    }

    @Test func fullBucketAsksForLivenessCheckAndPromotesReplacement() throws {
        var random = SeededRandom(seed: 1)
        let local = try TestIdentity(ip: [1, 1, 1, 1], port: 1, using: &random)
        var table = try RoutingTable(localID: local.nodeID)
        let bucket256 = try Self.identities(80, using: &random).filter { local.nodeID.logDistance(to: $0.nodeID) == 256 }
        try #require(bucket256.count >= 18)
        for identity in bucket256.prefix(16) {
            #expect(table.insert(Self.entry(identity)) == .inserted)
        }
        #expect(table.count == 16)
        // The 17th waits; the least recently seen entry is to be checked.
        let newcomer = bucket256[16]
        #expect(table.insert(Self.entry(newcomer)) == .checkLiveness(of: Self.entry(bucket256[0])))
        #expect(table.replacements(atDistance: 256).map(\.nodeID) == [newcomer.nodeID])
        // While that check runs, another newcomer only joins the cache.
        #expect(table.insert(Self.entry(bucket256[17])) == .cachedAsReplacement)
        // The checked node answers: it stays, now most recently seen.
        table.markAlive(bucket256[0].nodeID, now: .seconds(5))
        #expect(table.entries(atDistance: 256).last?.nodeID == bucket256[0].nodeID)
        #expect(table.entries(atDistance: 256).last?.lastSeen == .seconds(5))
        // The next newcomer triggers a check of the now least recently seen node; it fails.
        let next = table.entries(atDistance: 256)[0]
        #expect(table.insert(Self.entry(newcomer)) == .checkLiveness(of: next))
        #expect(table.remove(next.nodeID)?.nodeID == next.nodeID)
        // The newest replacement took its place.
        #expect(table.count == 16)
        #expect(table.entry(for: newcomer.nodeID) != nil)
        #expect(table.entry(for: next.nodeID) == nil)
    }

    @Test func rejectsTheLocalNode() throws {
        var random = SeededRandom(seed: 2)
        let local = try TestIdentity(ip: [1, 1, 1, 1], port: 1, using: &random)
        var table = try RoutingTable(localID: local.nodeID)
        #expect(table.insert(Self.entry(local)) == .rejected(.localNode))
        #expect(table.count == 0)
    }

    @Test func updateRefreshesRecordAndRecency() throws {
        var random = SeededRandom(seed: 3)
        let local = try TestIdentity(ip: [1, 1, 1, 1], port: 1, using: &random)
        var table = try RoutingTable(localID: local.nodeID)
        let nodes = try Self.identities(2, using: &random)
        #expect(table.insert(Self.entry(nodes[0])) == .inserted)
        let newer = try nodes[0].record.updated(signingWith: nodes[0].key) { $0.setTCP(9000) }
        #expect(table.insert(TableEntry(record: newer, endpoint: nodes[0].endpoint, lastSeen: .seconds(1))) == .updated)
        #expect(table.entry(for: nodes[0].nodeID)?.record.sequenceNumber == 2)
        // An older record does not replace a newer one.
        #expect(table.insert(Self.entry(nodes[0])) == .updated)
        #expect(table.entry(for: nodes[0].nodeID)?.record.sequenceNumber == 2)
        #expect(table.count == 1)
    }

    @Test func subnetLimitPerBucket() throws {
        var random = SeededRandom(seed: 4)
        let local = try TestIdentity(ip: [1, 1, 1, 1], port: 1, using: &random)
        var table = try RoutingTable(localID: local.nodeID)
        let sybils = try Self.identities(12, subnet: [66, 66, 66], using: &random)
            .filter { local.nodeID.logDistance(to: $0.nodeID) == 256 }
        try #require(sybils.count >= 3)
        #expect(table.insert(Self.entry(sybils[0])) == .inserted)
        #expect(table.insert(Self.entry(sybils[1])) == .inserted)
        #expect(table.insert(Self.entry(sybils[2])) == .rejected(.subnetLimitInBucket))
        #expect(table.count(in: try #require(Subnet(ip: [66, 66, 66, 9]))) == 2)
        // After one leaves, another of the subnet may enter.
        table.remove(sybils[0].nodeID)
        #expect(table.insert(Self.entry(sybils[2])) == .inserted)
    }

    @Test func subnetLimitPerTable() throws {
        var random = SeededRandom(seed: 5)
        let local = try TestIdentity(ip: [1, 1, 1, 1], port: 1, using: &random)
        var config = TableConfig()
        config.maximumPerSubnetInBucket = 3
        config.maximumPerSubnetInTable = 3
        var table = try RoutingTable(localID: local.nodeID, config: config)
        let sybils = try Self.identities(40, subnet: [66, 66, 66], using: &random)
        var inserted = 0
        for sybil in sybils where table.insert(Self.entry(sybil)) == .inserted { inserted += 1 }
        #expect(inserted == 3)
        #expect(table.count == 3)
    }

    @Test func invalidConfigurationsAreRejected() {
        var config = TableConfig()
        config.bucketSize = 0
        #expect(throws: TableConfig.Invalid.self) { try config.validated() }
        config = TableConfig()
        config.maximumPerSubnetInBucket = 11
        #expect(throws: TableConfig.Invalid.self) { try config.validated() }
        config.maximumPerSubnetInBucket = nil
        config.maximumPerSubnetInTable = nil
        #expect((try? config.validated()) != nil)
    }

    @Test func closestIsOrderedByXORDistance() throws {
        var random = SeededRandom(seed: 6)
        let local = try TestIdentity(ip: [1, 1, 1, 1], port: 1, using: &random)
        var table = try RoutingTable(localID: local.nodeID)
        let nodes = try Self.identities(60, using: &random)
        for node in nodes { _ = table.insert(Self.entry(node)) }
        let target = nodes[7].nodeID
        let closest = table.closest(to: target, count: 10)
        #expect(closest.first?.nodeID == target)
        let expected = table.allEntries.map(\.nodeID).sorted { XORDistance.isCloser($0, than: $1, to: target) }.prefix(10)
        #expect(closest.map(\.nodeID) == Array(expected))
    }

    /// Random inserts, liveness results and removals keep the invariants: bucket sizes, distances,
    /// subnet limits and the entry count.
    @Test func invariantsHoldUnderRandomOperations() throws {
        var random = SeededRandom(seed: 7)
        let local = try TestIdentity(ip: [1, 1, 1, 1], port: 1, using: &random)
        var config = TableConfig()
        config.bucketSize = 4
        config.replacementCacheSize = 3
        var table = try RoutingTable(localID: local.nodeID, config: config)
        // Few subnets so the limits bite.
        let nodes = try (0..<120).map { index in
            try TestIdentity(ip: [10, 0, UInt8(index % 6), UInt8(index)], port: 1, using: &random)
        }
        for step in 0..<600 {
            let node = nodes[Int(random.next() % UInt64(nodes.count))]
            switch random.next() % 3 {
            case 0, 1:
                if case .checkLiveness(let oldest) = table.insert(Self.entry(node, at: .seconds(Int64(step)))) {
                    if random.next() % 2 == 0 { table.markAlive(oldest.nodeID, now: .seconds(Int64(step))) }
                    else { table.remove(oldest.nodeID) }
                }
            default:
                table.remove(node.nodeID)
            }
            var total = 0
            var perSubnet: [Subnet: Int] = [:]
            for distance in 1...256 {
                let entries = table.entries(atDistance: distance)
                #expect(entries.count <= 4)
                #expect(table.replacements(atDistance: distance).count <= 3)
                var inBucket: [Subnet: Int] = [:]
                for entry in entries {
                    #expect(local.nodeID.logDistance(to: entry.nodeID) == distance)
                    let subnet = try #require(Subnet(ip: entry.endpoint.ip))
                    inBucket[subnet, default: 0] += 1
                    perSubnet[subnet, default: 0] += 1
                }
                #expect(inBucket.values.allSatisfy { $0 <= 2 })
                total += entries.count
            }
            #expect(perSubnet.values.allSatisfy { $0 <= 10 })
            #expect(total == table.count)
            #expect(Set(table.allEntries.map(\.nodeID)).count == total)
        }
    }
}
