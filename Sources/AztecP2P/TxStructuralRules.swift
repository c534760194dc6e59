import Crypto
import SSZ

/// The stateless rules a well-formed transaction must follow, checked after decoding and before
/// any application hook. All are cheap (the bytecode hash is the most expensive, at most 128 KiB).
public enum TxStructuralRules {
    /// Throws the first rule `transaction` breaks. `latestBlock` is the newest block the node
    /// knows (for expiry); `nil` skips the expiry check.
    public static func check(_ transaction: AztecTransaction, limits: TxLimits,
                             latestBlock: UInt64?) throws(TxRejection) {
        let context = transaction.context
        guard context.chainID == limits.aztecChainID, context.version == limits.protocolVersion else {
            throw .wrongChain(chainID: context.chainID, version: context.version)
        }
        if let latestBlock, transaction.maxBlockNumber != 0, transaction.maxBlockNumber <= latestBlock {
            throw .expired(maxBlockNumber: transaction.maxBlockNumber)
        }
        try checkNullifiers(transaction.nullifiers.elements)
        try checkGas(transaction.gasSettings, limits: limits)
        let proofCount = transaction.proof.count
        guard proofCount > 0 else { throw .emptyProof }
        guard proofCount <= limits.maxProofBytes else { throw .proofTooLarge(proofCount) }
        for log in transaction.logs where log.kind != TxLog.privateKind && log.kind != TxLog.publicKind {
            throw .invalidLog
        }
        if let deployment = transaction.deployment.first {
            try checkDeployment(deployment, nullifiers: transaction.nullifiers.elements, limits: limits)
        }
    }

    static func checkNullifiers(_ nullifiers: [Nullifier]) throws(TxRejection) {
        guard !nullifiers.isEmpty else { throw .noNullifiers }
        if nullifiers.count <= 8 {
            for i in nullifiers.indices {
                for j in nullifiers.indices where j > i && nullifiers[i] == nullifiers[j] { throw .duplicateNullifier }
            }
        } else {
            var seen = Set<Nullifier>(minimumCapacity: nullifiers.count)
            for n in nullifiers where !seen.insert(n).inserted { throw .duplicateNullifier }
        }
    }

    static func checkGas(_ gas: TxGasSettings, limits: TxLimits) throws(TxRejection) {
        guard gas.gasLimitDA > 0 || gas.gasLimitL2 > 0 else { throw .invalidGasSettings("zero gas limits") }
        guard gas.gasLimitDA <= limits.maxGasLimit, gas.gasLimitL2 <= limits.maxGasLimit else {
            throw .invalidGasSettings("gas limit above \(limits.maxGasLimit)")
        }
        guard gas.teardownGasLimitDA <= gas.gasLimitDA, gas.teardownGasLimitL2 <= gas.gasLimitL2 else {
            throw .invalidGasSettings("teardown gas limit above the gas limit")
        }
        guard gas.maxFeePerDAGas > 0 || gas.maxFeePerL2Gas > 0 else {
            throw .invalidGasSettings("zero max fees")
        }
        guard gas.maxPriorityFeePerDAGas <= gas.maxFeePerDAGas, gas.maxPriorityFeePerL2Gas <= gas.maxFeePerL2Gas else {
            throw .invalidGasSettings("priority fee above max fee")
        }
    }

    static func checkDeployment(_ deployment: ContractDeployment, nullifiers: [Nullifier],
                                limits: TxLimits) throws(TxRejection) {
        let count = deployment.publicBytecode.count
        guard count > 0 else { throw .emptyBytecode }
        guard count <= limits.maxBytecodeBytes else { throw .bytecodeTooLarge(count) }
        guard nullifiers.contains(deployment.contractClassID) else { throw .deploymentNotNullified }
        let digest = SHA256.hash(data: deployment.publicBytecode.bytes)
        guard deployment.publicBytecodeCommitment.bytes.elementsEqual(digest) else {
            throw .bytecodeCommitmentMismatch
        }
    }
}
