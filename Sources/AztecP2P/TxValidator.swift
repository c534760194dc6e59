import Synchronization

/// A transaction that passed every check, with what later stages need.
///
/// Immutable and held by reference, so that a ``TxPool`` entry is a pointer and its bookkeeping:
/// the pool, the received-transactions stream and (in a simulation) every node's pool share one copy.
public final class ValidatedTransaction: Hashable, Sendable {
    /// The decoded transaction.
    public let transaction: AztecTransaction
    /// Its hash, `hash_tree_root` of its SSZ.
    public let hash: TxHash
    /// Its SSZ size.
    public let size: Int

    /// Wraps `transaction` validated by other means (a journal replay, a simulation that validated
    /// it once for every node); `hash` and `size` are computed when not given.
    public init(_ transaction: AztecTransaction, hash: TxHash? = nil, size: Int? = nil) {
        self.transaction = transaction
        self.hash = hash ?? transaction.hash
        self.size = size ?? transaction.sszEncodedLength
    }

    /// Equal when the same transaction, hash and size (the hash alone decides in practice).
    public static func == (a: ValidatedTransaction, b: ValidatedTransaction) -> Bool {
        a === b || (a.hash == b.hash && a.size == b.size && a.transaction == b.transaction)
    }

    /// Hashes the transaction's hash.
    public func hash(into hasher: inout Hasher) { hasher.combine(hash) }
}

/// The validation pipeline, cheapest first:
/// 1. message size, bounded Snappy decompression, SSZ well-formedness (``TxWireCodec``);
/// 2. structural rules (``TxStructuralRules``);
/// 3. nullifiers of very recently published blocks: ignored (grace period, no penalty);
/// 4. the application hooks, nullifier state and proof, run concurrently with each other and,
///    across transactions, at most ``TxValidationConfig/maxConcurrentValidations`` at a time.
///
/// Every outcome maps to a GossipSub verdict through ``TxVerdict/gossipResult``.
public final class TxValidator: Sendable {
    /// The limits, concurrency and grace period applied.
    public let config: TxValidationConfig
    private let state: any TxStateProvider
    private let proofVerifier: any TxProofVerifier
    private let slots: ValidationSlots
    private let recent: Mutex<RecentBlockNullifiers>

    /// A validator running the application hooks `state` and `proofVerifier` under `config`.
    public init(config: TxValidationConfig = .default, state: any TxStateProvider, proofVerifier: any TxProofVerifier) {
        self.config = config
        self.state = state
        self.proofVerifier = proofVerifier
        self.slots = ValidationSlots(capacity: config.maxConcurrentValidations, maxWaiting: config.maxQueuedValidations)
        self.recent = Mutex(RecentBlockNullifiers(gracePeriod: config.nullifierGracePeriod))
    }

    /// The outcome of the full pipeline for a gossip message (a Snappy block of SSZ).
    public func validate(message: [UInt8], now: Duration) async -> Verdict {
        let ssz: [UInt8]
        do { ssz = try TxWireCodec.decompress(message, limits: config.limits) } catch { return .reject(error) }
        return await validate(ssz: ssz, now: now)
    }

    /// The outcome of the full pipeline for SSZ bytes (JSON-RPC submission).
    public func validate(ssz: [UInt8], now: Duration) async -> Verdict {
        let transaction: AztecTransaction
        do { transaction = try TxWireCodec.decode(ssz: ssz, limits: config.limits) } catch { return .reject(error) }
        return await validate(transaction, size: ssz.count, now: now)
    }

    /// The outcome of stages 2 to 4 for a decoded transaction.
    /// - Parameters:
    ///   - transaction: the decoded transaction.
    ///   - hash: the transaction's hash when the caller computed it already.
    ///   - size: its SSZ size when known; computed otherwise.
    ///   - now: the validator's clock, for the nullifier grace period.
    public func validate(_ transaction: AztecTransaction, hash: TxHash? = nil, size: Int? = nil,
                         now: Duration) async -> Verdict {
        let size = size ?? transaction.sszEncodedLength
        guard size <= config.limits.maxTransactionBytes else { return .reject(.transactionTooLarge(size)) }
        let latest = recent.withLock { $0.latestBlock }
        do { try TxStructuralRules.check(transaction, limits: config.limits, latestBlock: latest) } catch {
            return .reject(error)
        }
        let nullifiers = transaction.nullifiers.elements
        if let spent = recent.withLock({ $0.recentlySpent(nullifiers, now: now) }) {
            return .ignore(.nullifierInRecentBlock(spent))
        }
        guard await slots.acquire() else { return .ignore(.overloaded) }
        let outcome = await runHooks(transaction, nullifiers: nullifiers, now: now)
        await slots.release()
        if let failure = outcome { return failure }
        return .accept(ValidatedTransaction(transaction, hash: hash, size: size))
    }

    /// Records a published block for the grace period and expiry checks.
    public func blockPublished(_ block: BlockReport, now: Duration) {
        recent.withLock { $0.blockPublished(block, now: now) }
    }

    /// The most validations that ran hooks at once since start.
    public func peakConcurrentValidations() async -> Int { await slots.peakInFlight }

    private func runHooks(_ transaction: AztecTransaction, nullifiers: [Nullifier],
                          now: Duration) async -> Verdict? {
        async let states = try state.nullifierStates(nullifiers)
        async let proofOK = try proofVerifier.verifyProof(of: transaction)
        let stateAnswer: [NullifierState]?
        do { stateAnswer = try await states } catch { stateAnswer = nil }
        let proofAnswer: Bool?
        do { proofAnswer = try await proofOK } catch { proofAnswer = nil }

        guard let stateAnswer, stateAnswer.count == nullifiers.count else { return .ignore(.stateUnavailable) }
        for (nullifier, answer) in zip(nullifiers, stateAnswer) {
            guard case .spent(let block) = answer else { continue }
            let isRecent = recent.withLock { $0.isRecent(blockNumber: block, now: now) }
            return isRecent ? .ignore(.nullifierInRecentBlock(nullifier)) : .reject(.doubleSpend(nullifier))
        }
        guard let proofAnswer else { return .ignore(.stateUnavailable) }
        guard proofAnswer else { return .reject(.invalidProof) }
        return nil
    }

    /// The validator's outcome: ``TxVerdict`` with the validated transaction.
    public typealias Verdict = TxVerdict
}
