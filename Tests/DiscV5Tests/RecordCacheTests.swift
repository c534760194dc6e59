import DiscV5
import ENR
import P2PCrypto
import Testing
import TestSupport

@Suite("record caches")
struct RecordCacheTests {
    static func record(_ seed: UInt64) throws -> NodeRecord {
        var generator = SeededRandom(seed: seed)
        var builder = NodeRecordBuilder(sequenceNumber: seed)
        try builder.setIP([10, 0, 0, UInt8(truncatingIfNeeded: seed)])
        builder.setUDP(9000)
        return try builder.signed(with: Secp256k1.PrivateKey.generate(using: &generator))
    }

    @Test func aRecordVerifiedByOneNodeIsServedToAnotherFromTheSharedCache() throws {
        let shared = SharedRecordCache(capacity: 16)
        var a = RecordCache(capacity: 8, shared: shared)
        var b = RecordCache(capacity: 8, shared: shared)
        let record = try Self.record(1)
        #expect(try a.record(rlp: record.rlpEncoding[...]) == record)
        #expect(shared.count == 1)
        #expect(try b.record(rlp: record.rlpEncoding[...]) == record)
        #expect(b.count == 1 && shared.count == 1)
        #expect(b.nodeID(of: record) == NodeID(publicKey: record.publicKey))
    }

    @Test func aRecordWithABrokenSignatureIsRefusedAndNotShared() throws {
        let shared = SharedRecordCache(capacity: 16)
        var cache = RecordCache(capacity: 8, shared: shared)
        var bytes = try Self.record(2).rlpEncoding
        bytes[10] ^= 0x01  // inside the 64-byte signature, the list's first item
        #expect(throws: ENRError.self) { try cache.record(rlp: bytes[...]) }
        #expect(shared.count == 0 && cache.count == 0)
    }

    @Test func theSharedCacheIsBounded() throws {
        let shared = SharedRecordCache(capacity: 2)
        var cache = RecordCache(capacity: 8, shared: shared)
        for seed in UInt64(3)...7 { _ = try cache.record(rlp: try Self.record(seed).rlpEncoding[...]) }
        #expect(shared.count <= 2)
        #expect(cache.count == 5)
    }
}
