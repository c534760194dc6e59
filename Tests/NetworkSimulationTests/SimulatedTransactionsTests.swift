import AztecP2P
import GossipSub
import Testing
@testable import NetworkSimulation

/// The simulation's transactions are what a node publishes, and their ids Aztec's.
@Suite struct SimulatedTransactionsTests {
    let topic = AztecTopic(aztecChainID: 1, messageVersion: 1)

    func message(_ data: [UInt8]) -> RawMessage {
        RawMessage(from: nil, data: data, seqno: nil, topic: topic.description, signature: nil, key: nil)
    }

    @Test func messagesDecodeToValidTransactionsOfTheScenarioSize() throws {
        var transactions = SimulatedTransactions(count: 3, bytes: 40_000, seed: 9, limits: .default)
        for tx in 0..<3 {
            let decoded = try transactions.decoded(tx).get()
            #expect(abs(decoded.size - 40_000) <= 64)
            #expect(decoded.hash == decoded.transaction.hash)
            #expect(try TxWireCodec.decode(transactions.payloads[tx], limits: .default) == decoded.transaction)
        }
        #expect(Set(transactions.ids).count == 3)
    }

    /// The memo keyed by the shared array gives the id hashing would; a copy in other storage is hashed.
    @Test func messageIDsAreAztecContentIDs() {
        let transactions = SimulatedTransactions(count: 2, bytes: 2_000, seed: 1, limits: .default)
        let function = transactions.messageIDFunction
        for tx in 0..<2 {
            let shared = transactions.payloads[tx]
            var copy = shared
            copy.append(0)
            copy.removeLast()  // the same bytes in storage of its own
            #expect(function.id(of: message(shared)) == topic.messageID(of: shared))
            #expect(function.id(of: message(copy)) == topic.messageID(of: shared))
            #expect(AztecTopic.messageIDFunction.id(of: message(shared)) == transactions.ids[tx])
        }
        #expect(function.id(of: message([1, 2, 3])) == topic.messageID(of: [1, 2, 3]))
    }

    @Test func theSameSeedMakesTheSameTransactions() {
        let a = SimulatedTransactions(count: 2, bytes: 1_000, seed: 4, limits: .default)
        let b = SimulatedTransactions(count: 2, bytes: 1_000, seed: 4, limits: .default)
        let c = SimulatedTransactions(count: 2, bytes: 1_000, seed: 5, limits: .default)
        #expect(a.ids == b.ids && a.ids != c.ids)
    }
}
