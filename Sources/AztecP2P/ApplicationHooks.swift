/// What the node's state says about a nullifier.
public enum NullifierState: Hashable, Sendable {
    /// Not spent in the node's state.
    case unspent
    /// Spent by the block with this number.
    case spent(blockNumber: UInt64)
}

/// The embedding node's view of chain state, asked about the nullifiers of every transaction
/// that passed the cheap checks. Errors mean "cannot judge now" and never penalise the sender.
public protocol TxStateProvider: Sendable {
    /// The state of each nullifier, in order (one answer per nullifier).
    func nullifierStates(_ nullifiers: [Nullifier]) async throws -> [NullifierState]
}

/// Verifies the private kernel proof (about 250 ms per transaction in real nodes, so calls run
/// concurrently, a bounded number at a time).
public protocol TxProofVerifier: Sendable {
    /// True when the proof is valid for the transaction's public inputs. Throwing means
    /// "cannot judge now" (the transaction is ignored, not rejected).
    func verifyProof(of transaction: AztecTransaction) async throws -> Bool
}

/// A state provider that knows no spent nullifiers (tests, benchmarks, a node without state).
public struct AllUnspentStateProvider: TxStateProvider {
    /// The provider; it holds no state.
    public init() {}
    /// ``NullifierState/unspent`` for every nullifier; never throws.
    public func nullifierStates(_ nullifiers: [Nullifier]) async throws -> [NullifierState] {
        Array(repeating: .unspent, count: nullifiers.count)
    }
}

/// A verifier that accepts every proof (tests, benchmarks; never in production).
public struct AcceptAllProofVerifier: TxProofVerifier {
    /// The verifier; it holds no state.
    public init() {}
    /// Always `true`.
    public func verifyProof(of transaction: AztecTransaction) async throws -> Bool { true }
}
