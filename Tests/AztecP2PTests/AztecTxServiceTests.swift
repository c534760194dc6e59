import Foundation
import Synchronization
import GossipSub
import Testing
@testable import AztecP2P

@Suite struct AztecTxServiceTests {
    func makeService(port: RecordingGossipPort, state: FixedState = FixedState(), verifier: FixedVerifier = FixedVerifier(),
                     clock: ManualClock = ManualClock(), journal: String? = nil) throws -> AztecTxService {
        try AztecTxService(config: AztecTxServiceConfig(), state: state, proofVerifier: verifier, gossip: port,
                           journalPath: journal, clock: clock.function)
    }

    @Test func gossipIsIgnoredUntilSyncedThenValidatedAndPooled() async throws {
        let port = RecordingGossipPort()
        let service = try makeService(port: port)
        let tx = TestTx.make(nullifiers: [1])
        let message = TxWireCodec.encode(tx)
        #expect(await service.handleGossip(message) == .ignore(.notSynced))
        #expect(await port.subscriptions.isEmpty)
        await service.syncStatusChanged(synced: true)
        #expect(await port.subscriptions == ["/aztec/1/tx/1"])
        let verdict = await service.handleGossip(message)
        #expect(verdict.gossipResult == .accept)
        #expect(await service.transaction(tx.hash) != nil)
        // The same transaction again: no penalty, not forwarded.
        #expect(await service.handleGossip(message) == .ignore(.alreadyKnown))
        // Invalid: rejected, so the router penalises the sender.
        #expect(await service.handleGossip([0, 1, 2]).gossipResult == .reject)
        let metrics = await service.metrics
        #expect(metrics.gossipAccepted == 1)
        #expect(metrics.gossipRejected == 1)
        #expect(metrics.gossipIgnored == 2)
        #expect(await service.poolStats.count == 1)
        #expect(await service.isSynced)
        await service.syncStatusChanged(synced: false)
        #expect(await port.unsubscriptions == ["/aztec/1/tx/1"])
    }

    @Test func submissionValidatesPoolsAndPublishes() async throws {
        let port = RecordingGossipPort()
        let service = try makeService(port: port)
        let tx = TestTx.make(nullifiers: [1])
        await #expect(throws: TxSubmitError.notSynced) { try await service.submit(ssz: tx.sszEncoded()) }
        await service.syncStatusChanged(synced: true)
        #expect(try await service.submit(ssz: tx.sszEncoded()) == tx.hash)
        #expect(await port.published == [TxWireCodec.encode(tx)])
        await #expect(throws: TxSubmitError.notAccepted(.alreadyKnown)) { try await service.submit(ssz: tx.sszEncoded()) }
        await #expect(throws: TxSubmitError.invalid(.noNullifiers)) {
            try await service.submit(ssz: TestTx.make(nullifiers: []).sszEncoded())
        }
        await port.setPeerCount(0)
        await #expect(throws: TxSubmitError.noPeers) { try await service.submit(ssz: TestTx.make(nullifiers: [2]).sszEncoded()) }
    }

    @Test func blocksRemoveAndStartTheGracePeriod() async throws {
        let port = RecordingGossipPort()
        let clock = ManualClock()
        let service = try makeService(port: port, state: FixedState(spent: [TestTx.field(1): 1]), clock: clock)
        await service.syncStatusChanged(synced: true)
        let tx = TestTx.make(nullifiers: [1])
        let other = TestTx.make(nullifiers: [2])
        // Block 1 not yet reported: spent in an unseen block, no penalty.
        #expect(await service.handleGossip(TxWireCodec.encode(tx)) == .ignore(.nullifierInRecentBlock(TestTx.field(1))))
        #expect(await service.handleGossip(TxWireCodec.encode(other)).gossipResult == .accept)
        let removals = await service.blockPublished(BlockReport(number: 1, includedTransactions: [other.hash],
                                                                nullifiers: [TestTx.field(1), TestTx.field(2)]))
        #expect(removals == [TxPool.Removal(hash: other.hash, reason: .included)])
        #expect(await service.handleGossip(TxWireCodec.encode(tx)).gossipResult == .ignore)
        clock.advance(.seconds(31))
        #expect(await service.handleGossip(TxWireCodec.encode(tx)) == .reject(.doubleSpend(TestTx.field(1))))
    }

    @Test func pooledTransactionsDoNotReachTheHooksAgain() async throws {
        final class CountingVerifier: TxProofVerifier {
            let calls = Mutex(0)
            func verifyProof(of transaction: AztecTransaction) async throws -> Bool { calls.withLock { $0 += 1 }; return true }
        }
        let verifier = CountingVerifier()
        let service = try AztecTxService(config: AztecTxServiceConfig(), state: FixedState(), proofVerifier: verifier,
                                         gossip: RecordingGossipPort(), clock: ManualClock().function)
        await service.syncStatusChanged(synced: true)
        let tx = TestTx.make(nullifiers: [1])
        #expect(await service.handleGossip(TxWireCodec.encode(tx)).gossipResult == .accept)
        // The same SSZ in an uncompressed-literal Snappy block: another message id, same transaction.
        let ssz = tx.sszEncoded()
        var literal: [UInt8] = []
        var n = ssz.count
        while n >= 0x80 { literal.append(UInt8(n & 0x7F) | 0x80); n >>= 7 }
        literal.append(UInt8(n))
        let length = ssz.count - 1
        literal += [0xF4, UInt8(length & 0xFF), UInt8(length >> 8)] + ssz
        #expect(literal != TxWireCodec.encode(tx))
        #expect(await service.handleGossip(literal) == .ignore(.alreadyKnown))
        await #expect(throws: TxSubmitError.notAccepted(.alreadyKnown)) { try await service.submit(ssz: ssz) }
        #expect(verifier.calls.withLock { $0 } == 1)
    }

    @Test(.timeLimit(.minutes(1))) func concurrentCopiesAreValidatedOnce() async throws {
        final class SlowVerifier: TxProofVerifier {
            let calls = Mutex(0)
            func verifyProof(of transaction: AztecTransaction) async throws -> Bool {
                calls.withLock { $0 += 1 }
                try await Task.sleep(for: .milliseconds(100))
                return true
            }
        }
        let verifier = SlowVerifier()
        let service = try AztecTxService(config: AztecTxServiceConfig(), state: FixedState(), proofVerifier: verifier,
                                         gossip: RecordingGossipPort(), clock: ManualClock().function)
        await service.syncStatusChanged(synced: true)
        let message = TxWireCodec.encode(TestTx.make(nullifiers: [1]))
        let verdicts = await withTaskGroup(of: TxVerdict.self) { group in
            for _ in 0..<5 { group.addTask { await service.handleGossip(message) } }
            var all: [TxVerdict] = []
            for await v in group { all.append(v) }
            return all
        }
        #expect(verdicts.filter { $0.gossipResult == .accept }.count == 1)
        #expect(verdicts.filter { $0 == .ignore(.alreadyKnown) }.count == 4)
        #expect(verifier.calls.withLock { $0 } == 1)
    }

    @Test func receivedStreamYieldsAdmittedTransactions() async throws {
        let port = RecordingGossipPort()
        let service = try makeService(port: port)
        await service.syncStatusChanged(synced: true)
        let tx = TestTx.make(nullifiers: [4])
        _ = await service.handleGossip(TxWireCodec.encode(tx))
        var iterator = service.receivedTransactions.makeAsyncIterator()
        #expect(await iterator.next()?.hash == tx.hash)
    }

    @Test func restartKeepsThePool() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("aztec-svc-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let clock = ManualClock()
        let hashes: [TxHash]
        do {
            let port = RecordingGossipPort()
            let service = try makeService(port: port, clock: clock, journal: path)
            await service.syncStatusChanged(synced: true)
            var collected: [TxHash] = []
            for i in 0..<5 { collected.append(try await service.submit(ssz: TestTx.make(nullifiers: [UInt64(i) + 1]).sszEncoded())) }
            await service.blockPublished(BlockReport(number: 2, includedTransactions: [collected[0]], nullifiers: []))
            await service.shutdown()
            hashes = Array(collected.dropFirst())
        }
        let service = try makeService(port: RecordingGossipPort(), clock: clock, journal: path)
        #expect(Set(await service.pendingTransactions(after: nil, limit: 10).map(\.hash)) == Set(hashes))
        #expect(await service.poolStats.latestBlock == 2)
        #expect(await service.journalFailureCount == 0)
    }

    @Test func configValidation() {
        var config = AztecTxServiceConfig()
        config.topic = AztecTopic(aztecChainID: 2, messageVersion: 1)
        #expect(throws: ConfigError.self) { try config.validated() }
        #expect(throws: ConfigError.self) { try TxPoolConfig(maxTransactions: 0).validated() }
        #expect(throws: ConfigError.self) { try TxValidationConfig(maxConcurrentValidations: 0).validated() }
    }
}
