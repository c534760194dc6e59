import GossipSub
import Synchronization
import Testing
@testable import AztecP2P

@Suite struct TxValidatorTests {
    let now = Duration.seconds(1000)

    @Test func validTransactionIsAcceptedAndMapsToAccept() async {
        let v = TxValidator(state: FixedState(), proofVerifier: FixedVerifier())
        let tx = TestTx.make(nullifiers: [1, 2])
        let verdict = await v.validate(message: TxWireCodec.encode(tx), now: now)
        guard case .accept(let valid) = verdict else { Issue.record("\(verdict)"); return }
        #expect(valid.transaction == tx)
        #expect(valid.hash == tx.hash)
        #expect(valid.size == tx.sszEncodedLength)
        #expect(verdict.gossipResult == .accept)
    }

    @Test func cheapFailuresRejectWithoutCallingHooks() async {
        let calls = Mutex(0)
        struct CountingVerifier: TxProofVerifier {
            let calls: @Sendable () -> Void
            func verifyProof(of transaction: AztecTransaction) async throws -> Bool { calls(); return true }
        }
        let v = TxValidator(state: FixedState(), proofVerifier: CountingVerifier { calls.withLock { $0 += 1 } })
        let garbage = await v.validate(message: [1, 2, 3], now: now)
        #expect(garbage.gossipResult == .reject)
        let dup = await v.validate(message: TxWireCodec.encode(TestTx.make(nullifiers: [4, 4])), now: now)
        #expect(dup == .reject(.duplicateNullifier))
        #expect(calls.withLock { $0 } == 0)
    }

    @Test func doubleSpendIsRejected() async {
        let state = FixedState(spent: [TestTx.field(2): 5])
        let v = TxValidator(state: state, proofVerifier: FixedVerifier())
        v.blockPublished(BlockReport(number: 5, includedTransactions: [], nullifiers: []), now: now - .seconds(600))
        let verdict = await v.validate(TestTx.make(nullifiers: [1, 2]), now: now)
        #expect(verdict == .reject(.doubleSpend(TestTx.field(2))))
        #expect(verdict.gossipResult == .reject)
    }

    @Test func nullifierOfAVeryRecentBlockIsIgnoredNotRejected() async {
        let state = FixedState(spent: [TestTx.field(2): 6])
        let v = TxValidator(state: state, proofVerifier: FixedVerifier())
        v.blockPublished(BlockReport(number: 6, includedTransactions: [], nullifiers: [TestTx.field(2)]), now: now - .seconds(10))
        let verdict = await v.validate(TestTx.make(nullifiers: [1, 2]), now: now)
        #expect(verdict == .ignore(.nullifierInRecentBlock(TestTx.field(2))))
        #expect(verdict.gossipResult == .ignore)
        // After the grace period (30 s) the same transaction is a double spend.
        let later = await v.validate(TestTx.make(nullifiers: [1, 2]), now: now + .seconds(25))
        #expect(later == .reject(.doubleSpend(TestTx.field(2))))
    }

    @Test func spentInABlockNotYetReportedIsIgnored() async {
        // The state already knows block 8; the node has not reported it to the validator yet.
        let v = TxValidator(state: FixedState(spent: [TestTx.field(3): 8]), proofVerifier: FixedVerifier())
        v.blockPublished(BlockReport(number: 7, includedTransactions: [], nullifiers: []), now: now - .seconds(300))
        #expect(await v.validate(TestTx.make(nullifiers: [3]), now: now) == .ignore(.nullifierInRecentBlock(TestTx.field(3))))
    }

    @Test func invalidProofIsRejected() async {
        let v = TxValidator(state: FixedState(), proofVerifier: FixedVerifier(valid: false))
        #expect(await v.validate(TestTx.make(nullifiers: [1]), now: now) == .reject(.invalidProof))
    }

    @Test func unavailableStateIsIgnored() async {
        let v = TxValidator(state: FixedState(fails: true), proofVerifier: FixedVerifier())
        #expect(await v.validate(TestTx.make(nullifiers: [1]), now: now) == .ignore(.stateUnavailable))
    }

    @Test func expiryUsesTheLatestReportedBlock() async {
        let v = TxValidator(state: FixedState(), proofVerifier: FixedVerifier())
        v.blockPublished(BlockReport(number: 20, includedTransactions: [], nullifiers: []), now: now)
        #expect(await v.validate(TestTx.make(nullifiers: [1], maxBlockNumber: 20), now: now) == .reject(.expired(maxBlockNumber: 20)))
    }

    /// A verifier that holds every call until released, counting how many are inside at once.
    final class GateVerifier: TxProofVerifier {
        let inside = Mutex((now: 0, peak: 0, entered: 0))
        func verifyProof(of transaction: AztecTransaction) async throws -> Bool {
            inside.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now); $0.entered += 1 }
            try await Task.sleep(for: .milliseconds(50))
            inside.withLock { $0.now -= 1 }
            return true
        }
    }

    @Test(.timeLimit(.minutes(1))) func hooksRunConcurrentlyWithABound() async {
        let verifier = GateVerifier()
        let config = TxValidationConfig(maxConcurrentValidations: 4, maxQueuedValidations: 100)
        let v = TxValidator(config: config, state: FixedState(), proofVerifier: verifier)
        let verdicts = await withTaskGroup(of: TxVerdict.self) { group in
            for i in 0..<24 { group.addTask { await v.validate(TestTx.make(nullifiers: [UInt64(i) + 1]), now: now) } }
            var all: [TxVerdict] = []
            for await verdict in group { all.append(verdict) }
            return all
        }
        #expect(verdicts.allSatisfy { $0.gossipResult == .accept })
        let peak = verifier.inside.withLock { $0.peak }
        #expect(peak <= 4)
        #expect(peak >= 2, "validations should overlap")
        #expect(await v.peakConcurrentValidations() == peak)
    }

    @Test(.timeLimit(.minutes(1))) func fullQueueIgnoresInsteadOfGrowing() async {
        let verifier = GateVerifier()
        let config = TxValidationConfig(maxConcurrentValidations: 1, maxQueuedValidations: 2)
        let v = TxValidator(config: config, state: FixedState(), proofVerifier: verifier)
        let verdicts = await withTaskGroup(of: TxVerdict.self) { group in
            for i in 0..<10 { group.addTask { await v.validate(TestTx.make(nullifiers: [UInt64(i) + 1]), now: now) } }
            var all: [TxVerdict] = []
            for await verdict in group { all.append(verdict) }
            return all
        }
        let overloaded = verdicts.filter { $0 == .ignore(.overloaded) }.count
        let accepted = verdicts.filter { $0.gossipResult == .accept }.count
        #expect(overloaded + accepted == 10)
        #expect(overloaded >= 1)
        #expect(accepted >= 3)
    }
}

@Suite struct TopicSyncGateTests {
    @Test func joinsOnlyOnceSyncedAndLeavesWhenSyncIsLost() {
        var gate = TopicSyncGate(topic: "/aztec/1/tx/1")
        #expect(!gate.isOpen)
        #expect(gate.syncStatusChanged(synced: false) == .none)
        #expect(gate.syncStatusChanged(synced: true) == .subscribe("/aztec/1/tx/1"))
        #expect(gate.isOpen)
        #expect(gate.syncStatusChanged(synced: true) == .none)
        #expect(gate.syncStatusChanged(synced: false) == .unsubscribe("/aztec/1/tx/1"))
        #expect(!gate.isOpen)
        #expect(gate.syncStatusChanged(synced: false) == .none)
        #expect(gate.syncStatusChanged(synced: true) == .subscribe("/aztec/1/tx/1"))
    }
}
