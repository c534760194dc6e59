@testable import DiscV5
import ENR
import Testing
import TestSupport

/// The bounded list behind ``DiscoveryNode/lookupPeers``.
@Suite struct RecentEntriesTests {
    static func entry(ip: [UInt8], using random: inout SeededRandom) throws -> TableEntry {
        let identity = try TestIdentity(ip: ip, port: 9000, using: &random)
        return TableEntry(record: identity.record, endpoint: identity.endpoint, lastSeen: .zero)
    }

    @Test func oneSubnetGetsAtMostItsShareAndTheOldestLeaveFirst() throws {
        var random = SeededRandom(seed: 3)
        var recent = RecentEntries(capacity: 20, maximumPerSubnet: 10)
        let crowd = try (0..<30).map { try Self.entry(ip: [66, 66, 66, UInt8($0 + 1)], using: &random) }
        for entry in crowd { recent.remember(entry) }
        #expect(recent.entries.map(\.nodeID) == crowd.prefix(10).map(\.nodeID), "the /24 holds 10 places, no more")
        recent.remember(crowd[0])
        #expect(recent.entries.count == 10, "a known node is not added twice")
        let others = try (0..<15).map { try Self.entry(ip: [20, UInt8($0), 0, 1], using: &random) }
        for entry in others { recent.remember(entry) }
        #expect(recent.entries.count == 20)
        #expect(recent.entries.map(\.nodeID) == (crowd.prefix(10).suffix(5) + others).map(\.nodeID), "oldest out first")
        // The /24's freed places are open again.
        recent.remember(crowd[20])
        #expect(recent.entries.last?.nodeID == crowd[20].nodeID)
    }

    @Test func nothingIsKeptAtCapacityZero() throws {
        var random = SeededRandom(seed: 4)
        var recent = RecentEntries(capacity: 0, maximumPerSubnet: nil)
        recent.remember(try Self.entry(ip: [20, 0, 0, 1], using: &random))
        #expect(recent.entries.isEmpty)
    }
}
