import GossipSub
import SSZ
import Testing
@testable import AztecP2P

struct FixedRollupVerifier: RollupProofVerifier {
    var valid = true
    func verifyRollupProof(_ proof: RollupProof) async throws -> Bool { valid }
}

@Suite struct RollupProofGossipTests {
    let topic = RollupProofTopic(aztecChainID: 5, messageVersion: 1)

    func proof(block: UInt64, size: Int = 100) throws -> RollupProof {
        RollupProof(blockNumber: block, archiveRoot: TestTx.field(block), proof: try ByteList([UInt8](repeating: 9, count: size)))
    }

    @Test func topicAndGate() async throws {
        let port = RecordingGossipPort()
        let gossip = RollupProofGossip(topic: topic, verifier: FixedRollupVerifier(), gossip: port)
        #expect(topic.description == "/aztec/5/rollup_proof/1")
        let message = TxWireCodec.compress(ssz: try proof(block: 3).sszEncoded())
        #expect(await gossip.handleGossip(message) == .ignore)
        await gossip.syncStatusChanged(synced: true)
        #expect(await port.subscriptions == ["/aztec/5/rollup_proof/1"])
        #expect(await gossip.handleGossip(message) == .accept(try proof(block: 3)))
        var received = gossip.receivedProofs.makeAsyncIterator()
        #expect(await received.next()?.blockNumber == 3)
    }

    @Test func verdicts() async throws {
        let port = RecordingGossipPort()
        let gossip = RollupProofGossip(topic: topic, verifier: FixedRollupVerifier(valid: false), gossip: port)
        await gossip.syncStatusChanged(synced: true)
        #expect(await gossip.handleGossip([1, 2, 3]).gossipResult == .reject)
        #expect(await gossip.handleGossip(TxWireCodec.compress(ssz: try proof(block: 4, size: 0).sszEncoded())) == .reject)
        #expect(await gossip.handleGossip(TxWireCodec.compress(ssz: try proof(block: 4).sszEncoded())) == .reject)
        await gossip.blockProven(4)
        #expect(await gossip.handleGossip(TxWireCodec.compress(ssz: try proof(block: 4).sszEncoded())) == .ignore)
        let oversized = TxWireCodec.compress(ssz: [UInt8](repeating: 0, count: 262_144 + 49))
        #expect(await gossip.handleGossip(oversized) == .reject)
        #expect(await gossip.publish(try proof(block: 9)) == 3)
        #expect(await port.published.count == 1)
    }
}
