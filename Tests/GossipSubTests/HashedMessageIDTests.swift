import Testing
@testable import GossipSub

@Suite struct HashedMessageIDTests {
    /// Keys are equal exactly when their ids are: a table keyed by them holds what a table keyed
    /// by the ids holds, also after removals (which move the keys that follow in a probe run).
    @Test func tableAgreesWithOneKeyedByTheIDs() {
        let ids = (0..<3_000).map { n in MessageID((0..<20).map { UInt8(truncatingIfNeeded: (n % 1_700) &* 31 &+ $0 * 7) }) }
        var table: [HashedMessageID: Int] = [:]
        var model: [MessageID: Int] = [:]
        for (n, id) in ids.enumerated() {
            table[HashedMessageID(id)] = n
            model[id] = n
            if n % 3 == 0 {
                table[HashedMessageID(ids[n / 2])] = nil
                model[ids[n / 2]] = nil
            }
        }
        #expect(table.count == model.count)
        for id in ids { #expect(table[HashedMessageID(MessageID(id.bytes))] == model[id]) }
        #expect(HashedMessageID(MessageID([1, 2])) != HashedMessageID(MessageID([1, 2, 0])))
        #expect(table[HashedMessageID(MessageID([9]))] == nil)
    }
}
