import SSZ
import GossipSub

/// Why a transaction is invalid. Every case is the sender's fault: on gossip it maps to
/// `GossipSub.ValidationResult.reject` and penalises the forwarding peer.
public enum TxRejection: Error, Hashable, Sendable, CustomStringConvertible {
    /// The message is larger than ``TxLimits/maxMessageBytes``.
    case messageTooLarge(Int)
    /// The Snappy block is malformed or declares more than ``TxLimits/maxTransactionBytes``.
    case malformedCompression
    /// The SSZ encoding is malformed.
    case malformedSSZ(SSZError.Code)
    /// The SSZ encoding is larger than ``TxLimits/maxTransactionBytes``.
    case transactionTooLarge(Int)
    /// The transaction's chain id or protocol version (given) differ from the node's ``TxLimits``.
    case wrongChain(chainID: UInt64, version: UInt64)
    /// The transaction has no nullifier.
    case noNullifiers
    /// A nullifier appears twice in the transaction.
    case duplicateNullifier
    /// The proof's size in bytes exceeds ``TxLimits/maxProofBytes``.
    case proofTooLarge(Int)
    /// The proof is empty.
    case emptyProof
    /// The gas settings break a rule (named): zero limits, a limit above ``TxLimits/maxGasLimit``, a
    /// teardown limit above the limit, zero max fees, or a priority fee above its max fee.
    case invalidGasSettings(String)
    /// A log's kind is neither ``TxLog/privateKind`` nor ``TxLog/publicKind``.
    case invalidLog
    /// The deployment's bytecode size in bytes exceeds ``TxLimits/maxBytecodeBytes``.
    case bytecodeTooLarge(Int)
    /// A deployment without bytecode.
    case emptyBytecode
    /// `sha256(publicBytecode)` differs from the deployment's `publicBytecodeCommitment`.
    case bytecodeCommitmentMismatch
    /// A deployment whose class id is not among the nullifiers.
    case deploymentNotNullified
    /// `maxBlockNumber` is already past.
    case expired(maxBlockNumber: UInt64)
    /// A nullifier is already spent in the node's state (outside the grace period).
    case doubleSpend(Nullifier)
    /// The proof verifier said no.
    case invalidProof

    /// A short phrase for logs and error messages.
    public var description: String {
        switch self {
        case .messageTooLarge(let n): "message of \(n) bytes exceeds the limit"
        case .malformedCompression: "malformed or oversized Snappy block"
        case .malformedSSZ(let code): "malformed SSZ: \(code)"
        case .transactionTooLarge(let n): "transaction of \(n) bytes exceeds the limit"
        case .wrongChain(let c, let v): "wrong chain id \(c) / version \(v)"
        case .noNullifiers: "a transaction needs at least one nullifier"
        case .duplicateNullifier: "duplicate nullifier"
        case .proofTooLarge(let n): "proof of \(n) bytes exceeds the limit"
        case .emptyProof: "empty proof"
        case .invalidGasSettings(let why): "invalid gas settings: \(why)"
        case .invalidLog: "log of unknown kind"
        case .bytecodeTooLarge(let n): "bytecode of \(n) bytes exceeds the limit"
        case .emptyBytecode: "deployment without bytecode"
        case .bytecodeCommitmentMismatch: "bytecode does not match its commitment"
        case .deploymentNotNullified: "deployment's class id is not a nullifier"
        case .expired(let n): "expired: max block number \(n) is past"
        case .doubleSpend(let n): "nullifier \(n) already spent"
        case .invalidProof: "invalid proof"
        }
    }
}

/// Why a transaction is dropped without blaming the sender (`GossipSub.ValidationResult.ignore`).
public enum TxIgnoreReason: Hashable, Sendable, CustomStringConvertible {
    /// A nullifier is spent in a block published within the grace period: the sender may not have seen it.
    case nullifierInRecentBlock(Nullifier)
    /// The node is not synced, so it cannot judge the transaction.
    case notSynced
    /// Too many validations queued; dropped to bound memory.
    case overloaded
    /// A hook could not answer (state or verifier unavailable).
    case stateUnavailable
    /// Already in the pool.
    case alreadyKnown
    /// Valid, but the pool keeps better transactions (full, or a conflicting one pays at least as much).
    case notAdmitted(TxPool.AdmissionFailure)

    /// A short phrase for logs and error messages.
    public var description: String {
        switch self {
        case .nullifierInRecentBlock(let n): "nullifier \(n) spent in a very recent block"
        case .notSynced: "node not synced"
        case .overloaded: "validation queue full"
        case .stateUnavailable: "state or proof verifier unavailable"
        case .alreadyKnown: "already known"
        case .notAdmitted(let why): "not admitted to the pool: \(why)"
        }
    }
}

/// The outcome of validating one transaction.
public enum TxVerdict: Sendable, Hashable {
    /// Valid: pool it and relay it.
    case accept(ValidatedTransaction)
    /// Invalid: drop it and penalise the forwarding peer.
    case reject(TxRejection)
    /// Not judged or not wanted now: drop it without penalty.
    case ignore(TxIgnoreReason)

    /// The GossipSub verdict: rejections penalise the forwarding peer, ignores do not.
    public var gossipResult: ValidationResult {
        switch self {
        case .accept: .accept
        case .reject: .reject
        case .ignore: .ignore
        }
    }
}
