@testable import DiscV5
import Testing
import TestSupport

@Suite struct ChallengeTableTests {
    static func address(_ i: Int) -> NodeAddress {
        var bytes = [UInt8](repeating: 0, count: 32)
        bytes[0] = UInt8(i >> 8)
        bytes[1] = UInt8(i & 0xFF)
        return NodeAddress(nodeID: NodeID(bytes: bytes)!, endpoint: Endpoint(ip: [10, 0, UInt8(i >> 8), UInt8(i & 0xFF)], port: 1))
    }

    @Test func challengesExpireInTheOrderTheyWereMade() {
        var table = ChallengeTable<Int>(capacity: 10)
        var random = SeededRandom(seed: 1)
        for i in 0..<5 { table.insert(i, for: Self.address(i), deadline: .seconds(Int64(i + 1)), using: &random) }
        #expect(table.earliestDeadline == .seconds(1))
        table.remove(Self.address(0))
        table.remove(Self.address(2))
        #expect(table.earliestDeadline == .seconds(2), "the head moves past answered challenges")
        table.expire(now: .seconds(4))
        #expect(table.count == 1 && table[Self.address(4)]?.value == 4)
        // A new challenge for an address replaces its old one, and its old deadline no longer counts.
        table.insert(40, for: Self.address(4), deadline: .seconds(9), using: &random)
        #expect(table.count == 1 && table.earliestDeadline == .seconds(9))
        table.expire(now: .seconds(5))
        #expect(table[Self.address(4)]?.value == 40)
        table.expire(now: .seconds(9))
        #expect(table.count == 0 && table.earliestDeadline == nil)
    }

    /// Full: a new challenge replaces a random one, never the newest's place, and never refuses.
    @Test func aFullTableReplacesARandomChallenge() {
        var table = ChallengeTable<Int>(capacity: 100)
        var random = SeededRandom(seed: 2)
        for i in 0..<100 { table.insert(i, for: Self.address(i), deadline: .seconds(1), using: &random) }
        table.insert(1_000, for: Self.address(1_000), deadline: .seconds(1), using: &random)
        #expect(table.count == 100)
        #expect(table[Self.address(1_000)]?.value == 1_000)
        let survivors = (0..<100).filter { table[Self.address($0)] != nil }.count
        #expect(survivors == 99)
        // Many more: the evicted ones are spread over the old ones, not only the oldest.
        for i in 1_001..<1_050 { table.insert(i, for: Self.address(i), deadline: .seconds(1), using: &random) }
        let firstHalf = (0..<50).filter { table[Self.address($0)] != nil }.count
        let secondHalf = (50..<100).filter { table[Self.address($0)] != nil }.count
        #expect(firstHalf > 0 && secondHalf > 0 && firstHalf + secondHalf < 100)
    }

    /// Answered out of order, challenges leave items in the expiry queue; it stays bounded.
    @Test func theExpiryQueueStaysBounded() {
        var table = ChallengeTable<Int>(capacity: 1_000)
        var random = SeededRandom(seed: 3)
        table.insert(-1, for: Self.address(60_000), deadline: .seconds(1), using: &random)
        for i in 0..<50_000 {
            table.insert(i, for: Self.address(i % 4_000), deadline: .seconds(1), using: &random)
            table.remove(Self.address(i % 4_000))
        }
        #expect(table.count == 1 && table.earliestDeadline == .seconds(1))
        #expect(table.queuedForExpiry < 200)
    }
}
