/// Why a locally submitted transaction (JSON-RPC) was refused.
public enum TxSubmitError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The node is not synced, so it is not on the topic.
    case notSynced
    /// No peer on the topic to send it to.
    case noPeers
    case invalid(TxRejection)
    case notAccepted(TxIgnoreReason)
    /// The service cannot take work (e.g. shut down).
    case unavailable(String)

    public var description: String {
        switch self {
        case .notSynced: "node is not synced with the chain"
        case .noPeers: "node has no peers on the transaction topic"
        case .invalid(let r): "invalid transaction: \(r)"
        case .notAccepted(let r): "transaction not accepted: \(r)"
        case .unavailable(let why): "internal error: \(why)"
        }
    }
}

/// Configuration of the transaction service: topic, validation and pool.
public struct AztecTxServiceConfig: Hashable, Sendable {
    public var topic: AztecTopic
    public var validation: TxValidationConfig
    public var pool: TxPoolConfig
    /// Refuse submissions while no peer is on the topic (they would stay local). Default true.
    public var requirePeersForSubmit: Bool

    public init(topic: AztecTopic = AztecTopic(aztecChainID: 1, messageVersion: 1),
                validation: TxValidationConfig = .default, pool: TxPoolConfig = .default,
                requirePeersForSubmit: Bool = true) {
        self.topic = topic
        self.validation = validation
        self.pool = pool
        self.requirePeersForSubmit = requirePeersForSubmit
    }

    public func validated() throws(ConfigError) -> AztecTxServiceConfig {
        _ = try validation.validated()
        _ = try pool.validated()
        guard topic.aztecChainID == validation.limits.aztecChainID else {
            throw ConfigError("the topic's chain id must equal the limits' aztecChainID")
        }
        return self
    }
}

/// The Aztec transaction service a node embeds between GossipSub and its application: validates
/// received and submitted transactions, keeps the pool (and its journal), publishes, and follows
/// the chain through block and sync reports.
///
/// Wiring: route messages of ``topicString`` to ``handleGossip(_:)`` and report its result to the
/// router; call ``syncStatusChanged(synced:)``, ``blockPublished(_:)`` and ``tick()`` (every few
/// seconds) from the node; serve ``JSONRPCHandler`` with this service as the backend.
public actor AztecTxService {
    public let config: AztecTxServiceConfig
    public nonisolated let topicString: String
    public nonisolated let validator: TxValidator
    private var pool: TxPool
    private var gate: TopicSyncGate
    private let gossip: any TxGossipPort
    private let peerSource: (any PeerSource)?
    private let journal: TxPoolJournal?
    private let clock: @Sendable () -> Duration
    private var journalFailures = 0
    /// Counters since start (``metricsText()``).
    public private(set) var metrics = TxServiceMetrics()
    private var isShutDown = false
    /// Hashes being validated now: a second copy arriving meanwhile is not validated twice.
    private var inFlight = Set<TxHash>()
    private let received: AsyncStream<ValidatedTransaction>.Continuation
    /// Every transaction newly admitted to the pool (from gossip or submission), in order; an
    /// unread backlog keeps the newest 1,024.
    public nonisolated let receivedTransactions: AsyncStream<ValidatedTransaction>

    /// - Parameters:
    ///   - journalPath: the pool's journal file, restored at start; `nil` keeps the pool in memory only.
    ///   - clock: wall-clock time since the Unix epoch.
    public init(config: AztecTxServiceConfig, state: any TxStateProvider, proofVerifier: any TxProofVerifier,
                gossip: any TxGossipPort, peers: (any PeerSource)? = nil, journalPath: String? = nil,
                clock: @escaping @Sendable () -> Duration) throws {
        self.config = try config.validated()
        self.topicString = config.topic.description
        self.validator = TxValidator(config: config.validation, state: state, proofVerifier: proofVerifier)
        self.gate = TopicSyncGate(topic: config.topic.description)
        self.gossip = gossip
        self.peerSource = peers
        self.clock = clock
        if let journalPath {
            let (journal, pool) = try TxPoolJournal.open(path: journalPath, pool: config.pool, limits: config.validation.limits)
            self.journal = journal
            self.pool = pool
        } else {
            self.journal = nil
            self.pool = TxPool(config: config.pool)
        }
        (receivedTransactions, received) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1024))
    }

    // MARK: Gossip

    /// Validates a message received on the topic, pools it if valid, and returns the verdict the
    /// GossipSub router needs (reject penalises the forwarding peer).
    ///
    /// Decompression, decoding and hashing run before the service's isolation is entered, so
    /// copies arriving at once are decoded in parallel.
    public nonisolated func handleGossip(_ data: [UInt8]) async -> TxVerdict {
        let decoded: Result<DecodedTransaction, TxRejection>
        do throws(TxRejection) {
            decoded = decode(ssz: try TxWireCodec.decompress(data, limits: config.validation.limits))
        } catch {
            decoded = .failure(error)
        }
        return await handleDecodedGossip(decoded)
    }

    private func handleDecodedGossip(_ decoded: Result<DecodedTransaction, TxRejection>) async -> TxVerdict {
        guard gate.isOpen, !isShutDown else {
            metrics.record(gossip: .ignore(.notSynced))
            return .ignore(.notSynced)
        }
        let verdict = await validateUnlessPooled(decoded)
        let final: TxVerdict
        if case .accept(let valid) = verdict, let failure = admit(valid) { final = .ignore(failure) } else { final = verdict }
        metrics.record(gossip: final)
        return final
    }

    // MARK: Local submission

    /// Validates, pools and publishes a transaction given as SSZ bytes.
    ///
    /// Decoding, hashing and compression run outside the service's isolation, so concurrent
    /// submissions use every core; only the pool and the in-flight set are touched inside it.
    public nonisolated func submit(ssz: [UInt8]) async throws(TxSubmitError) -> TxHash {
        try await checkSubmittable()
        let hash = try await validateAndAdmit(decode(ssz: ssz))
        _ = await gossip.publish(topic: topicString, data: TxWireCodec.compress(ssz: ssz))
        return hash
    }

    private func checkSubmittable() async throws(TxSubmitError) {
        guard !isShutDown else { throw .unavailable("the transaction service is shut down") }
        guard gate.isOpen else { throw .notSynced }
        if config.requirePeersForSubmit, await gossip.topicPeerCount(topic: topicString) == 0 { throw .noPeers }
    }

    private func validateAndAdmit(_ decoded: Result<DecodedTransaction, TxRejection>) async throws(TxSubmitError) -> TxHash {
        let verdict = await validateUnlessPooled(decoded)
        metrics.record(submission: verdict)
        switch verdict {
        case .reject(let why): throw .invalid(why)
        case .ignore(let why): throw .notAccepted(why)
        case .accept(let valid):
            if let failure = admit(valid) { throw .notAccepted(failure) }
            return valid.hash
        }
    }

    // MARK: Chain events

    /// The state provider's sync report: joins or leaves the topic.
    public func syncStatusChanged(synced: Bool) async {
        switch gate.syncStatusChanged(synced: synced) {
        case .subscribe(let topic): await gossip.subscribe(topic: topic)
        case .unsubscribe(let topic): await gossip.unsubscribe(topic: topic)
        case .none: break
        }
    }

    /// A published block: drops what it includes, spends or expires; starts its grace period.
    @discardableResult
    public func blockPublished(_ block: BlockReport) -> [TxPool.Removal] {
        validator.blockPublished(block, now: clock())
        let removals = pool.blockPublished(block)
        metrics.record(removals)
        persist { j throws(TxPoolJournal.JournalError) in
            try j.recordRemoved(removals)
            try j.recordBlock(block.number)
        }
        return removals
    }

    /// Periodic housekeeping: time-based expiry and journal compaction.
    @discardableResult
    public func tick() -> [TxPool.Removal] {
        let removals = pool.expire(now: clock())
        metrics.record(removals)
        let snapshot = pool
        persist { j throws(TxPoolJournal.JournalError) in
            try j.recordRemoved(removals)
            try j.compactIfNeeded(snapshot)
        }
        return removals
    }

    /// Flushes and compacts the journal (call on shutdown).
    public func shutdown() {
        let snapshot = pool
        persist { j throws(TxPoolJournal.JournalError) in try j.compact(snapshot) }
        isShutDown = true
        received.finish()
    }

    // MARK: Queries

    public var isSynced: Bool { gate.isOpen }
    public var poolStats: TxPool.Stats { pool.stats }
    public func transaction(_ hash: TxHash) -> TxPool.Entry? { pool.entry(hash) }
    public func pendingTransactions(after cursor: TxPool.Cursor?, limit: Int) -> [TxPool.Entry] {
        pool.pending(after: cursor, limit: limit)
    }
    public func peers() async -> [PeerSummary] { await peerSource?.peers() ?? [] }
    /// Journal writes that failed (the pool keeps working in memory).
    public var journalFailureCount: Int { journalFailures }

    /// The counters and pool gauges in Prometheus text exposition format.
    public func metricsText() -> String {
        metrics.prometheusText(pool: pool.stats, synced: gate.isOpen, journalFailures: journalFailures)
    }

    // MARK: Internals

    /// A transaction decoded from its SSZ bytes, with its hash.
    private struct DecodedTransaction: Sendable {
        let transaction: AztecTransaction
        let hash: TxHash
        let size: Int
    }

    /// The pure, costly first stage of validation: size limit, SSZ decoding, hash_tree_root.
    private nonisolated func decode(ssz: [UInt8]) -> Result<DecodedTransaction, TxRejection> {
        do throws(TxRejection) {
            let transaction = try TxWireCodec.decode(ssz: ssz, limits: config.validation.limits)
            return .success(DecodedTransaction(transaction: transaction, hash: transaction.hash, size: ssz.count))
        } catch {
            return .failure(error)
        }
    }

    /// Skips the expensive stages for a transaction already pooled or being validated: the same
    /// transaction can arrive under another message id (another Snappy encoding of the same SSZ)
    /// or again over JSON-RPC, and must not cost another proof verification.
    private func validateUnlessPooled(_ decoded: Result<DecodedTransaction, TxRejection>) async -> TxVerdict {
        let transaction: DecodedTransaction
        switch decoded {
        case .failure(let error): return .reject(error)
        case .success(let value): transaction = value
        }
        let hash = transaction.hash
        guard !pool.contains(hash), inFlight.insert(hash).inserted else { return .ignore(.alreadyKnown) }
        defer { inFlight.remove(hash) }
        return await validator.validate(transaction.transaction, hash: hash, size: transaction.size, now: clock())
    }

    private func admit(_ valid: ValidatedTransaction) -> TxIgnoreReason? {
        switch pool.insert(valid.transaction, hash: valid.hash, size: valid.size, now: clock()) {
        case .failure(.alreadyKnown):
            return .alreadyKnown
        case .failure(let why):
            return .notAdmitted(why)
        case .success(let removals):
            metrics.record(removals)
            metrics.poolAdmitted += 1
            let entry = pool.entry(valid.hash)
            persist { j throws(TxPoolJournal.JournalError) in
                try j.recordRemoved(removals)
                if let entry { try j.recordAdded(entry) }
            }
            received.yield(valid)
            return nil
        }
    }

    private func persist(_ body: (TxPoolJournal) throws(TxPoolJournal.JournalError) -> Void) {
        guard let journal else { return }
        do { try body(journal) } catch { journalFailures += 1 }
    }
}
