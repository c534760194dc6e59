import Crypto
import SSZ
import Testing
@testable import AztecP2P

@Suite struct StructuralRulesTests {
    func check(_ tx: AztecTransaction, latest: UInt64? = nil, limits: TxLimits = .default) throws(TxRejection) {
        try TxStructuralRules.check(tx, limits: limits, latestBlock: latest)
    }

    @Test func aValidTransactionPasses() throws {
        try check(TestTx.make(nullifiers: [1, 2, 3]))
    }

    @Test func wrongChainOrVersion() {
        var tx = TestTx.make(nullifiers: [1])
        tx.context.chainID = 2
        #expect(throws: TxRejection.wrongChain(chainID: 2, version: 1)) { try check(tx) }
        tx.context = TxContext(chainID: 1, version: 9)
        #expect(throws: TxRejection.wrongChain(chainID: 1, version: 9)) { try check(tx) }
    }

    @Test func atLeastOneNullifier() {
        #expect(throws: TxRejection.noNullifiers) { try check(TestTx.make(nullifiers: [])) }
    }

    @Test func noDuplicateNullifiersSmallAndLarge() {
        #expect(throws: TxRejection.duplicateNullifier) { try check(TestTx.make(nullifiers: [1, 2, 1])) }
        let many = Array(0..<40).map(UInt64.init) + [17]
        #expect(throws: TxRejection.duplicateNullifier) { try check(TestTx.make(nullifiers: many)) }
    }

    @Test func gasSettingsMustBeSane() {
        var tx = TestTx.make(nullifiers: [1])
        tx.gasSettings.gasLimitDA = 0
        tx.gasSettings.gasLimitL2 = 0
        #expect(throws: TxRejection.self) { try check(tx) }

        tx = TestTx.make(nullifiers: [1])
        tx.gasSettings.gasLimitL2 = (1 << 32) + 1
        #expect(throws: TxRejection.self) { try check(tx) }

        tx = TestTx.make(nullifiers: [1])
        tx.gasSettings.teardownGasLimitL2 = tx.gasSettings.gasLimitL2 + 1
        #expect(throws: TxRejection.self) { try check(tx) }

        tx = TestTx.make(nullifiers: [1])
        tx.gasSettings.maxFeePerDAGas = 0
        tx.gasSettings.maxFeePerL2Gas = 0
        tx.gasSettings.maxPriorityFeePerL2Gas = 0
        #expect(throws: TxRejection.self) { try check(tx) }

        tx = TestTx.make(nullifiers: [1], fee: 3)
        tx.gasSettings.maxPriorityFeePerL2Gas = tx.gasSettings.maxFeePerL2Gas + 1
        #expect(throws: TxRejection.invalidGasSettings("priority fee above max fee")) { try check(tx) }
    }

    @Test func priorityFeeSaturates() {
        var tx = TestTx.make(nullifiers: [1])
        tx.gasSettings.maxPriorityFeePerDAGas = .max
        tx.gasSettings.maxPriorityFeePerL2Gas = .max
        #expect(tx.gasSettings.priorityFee == .max)
    }

    @Test func proofMustBePresentAndBounded() {
        #expect(throws: TxRejection.emptyProof) { try check(TestTx.make(nullifiers: [1], proofSize: 0)) }
        var limits = TxLimits.default
        limits.maxProofBytes = 100
        #expect(throws: TxRejection.proofTooLarge(101)) { try check(TestTx.make(nullifiers: [1], proofSize: 101), limits: limits) }
    }

    @Test func logsOfUnknownKindAreRejected() throws {
        var tx = TestTx.make(nullifiers: [1])
        tx.logs = try SSZList([TxLog(kind: 2, contractAddress: TestTx.field(1), data: ByteList())])
        #expect(throws: TxRejection.invalidLog) { try check(tx) }
    }

    @Test func expiredTransactionsAreRejected() throws {
        let tx = TestTx.make(nullifiers: [1], maxBlockNumber: 10)
        try check(tx, latest: 9)
        #expect(throws: TxRejection.expired(maxBlockNumber: 10)) { try check(tx, latest: 10) }
        try check(TestTx.make(nullifiers: [1], maxBlockNumber: 0), latest: 1000)
    }

    @Test func deploymentRules() throws {
        var rng = SplitMix64(seed: 9)
        let good = SyntheticTransactions.makeDeployment(size: 2000, bytecodeSize: 500, using: &rng)
        try check(good)

        var empty = good
        empty.deployment[0].publicBytecode = ByteList()
        #expect(throws: TxRejection.emptyBytecode) { try check(empty) }

        var tampered = good
        tampered.deployment[0].publicBytecode = try ByteList([UInt8](repeating: 1, count: 500))
        #expect(throws: TxRejection.bytecodeCommitmentMismatch) { try check(tampered) }

        var unnullified = good
        unnullified.nullifiers = try SSZList(Array(good.nullifiers.dropLast()))
        #expect(throws: TxRejection.deploymentNotNullified) { try check(unnullified) }

        var limits = TxLimits.default
        limits.maxBytecodeBytes = 499
        #expect(throws: TxRejection.bytecodeTooLarge(500)) { try check(good, limits: limits) }
    }
}
