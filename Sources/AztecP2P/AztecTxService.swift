/// Why a locally submitted transaction (JSON-RPC) was refused.
public enum TxSubmitError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The node is not synced, so it is not on the topic.
    case notSynced
    /// No peer on the topic to send it to.
    case noPeers
    /// The transaction is invalid (the submitter's fault).
    case invalid(TxRejection)
    /// The transaction was not taken now (already known, the pool keeps better ones, overloaded…).
    case notAccepted(TxIgnoreReason)
    /// The service cannot take work (e.g. shut down).
    case unavailable(String)
    /// The transaction could not be written to the pool's journal (e.g. a full disk): it was not
    /// accepted, nor published.
    case notPersisted(String)

    /// A one-line message, as returned in the JSON-RPC error.
    public var description: String {
        switch self {
        case .notSynced: "node is not synced with the chain"
        case .noPeers: "node has no peers on the transaction topic"
        case .invalid(let r): "invalid transaction: \(r)"
        case .notAccepted(let r): "transaction not accepted: \(r)"
        case .unavailable(let why): "internal error: \(why)"
        case .notPersisted(let why): "the transaction could not be journalled, it was not accepted: \(why)"
        }
    }
}

/// Configuration of the transaction service: topic, validation and pool.
public struct AztecTxServiceConfig: Hashable, Sendable {
    /// The transaction topic; its chain id must equal ``TxLimits/aztecChainID`` of ``validation``.
    public var topic: AztecTopic
    /// Validation limits, chain binding and concurrency.
    public var validation: TxValidationConfig
    /// Pool bounds: count, bytes and time to live.
    public var pool: TxPoolConfig
    /// Refuse submissions while no peer is on the topic (they would stay local). Default true.
    public var requirePeersForSubmit: Bool

    /// A configuration, by default chain 1, message version 1 and the library defaults; not
    /// checked until ``validated()``.
    public init(topic: AztecTopic = AztecTopic(aztecChainID: 1, messageVersion: 1),
                validation: TxValidationConfig = .default, pool: TxPoolConfig = .default,
                requirePeersForSubmit: Bool = true) {
        self.topic = topic
        self.validation = validation
        self.pool = pool
        self.requirePeersForSubmit = requirePeersForSubmit
    }

    /// `self` when the validation and pool settings are valid and the topic's chain id equals the
    /// limits' ``TxLimits/aztecChainID``; otherwise a ``ConfigError`` naming the rule broken.
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
    /// The configuration the service runs with, validated.
    public let config: AztecTxServiceConfig
    /// The transaction topic's name, `/aztec/<chain id>/tx/<version>`: route its messages to ``handleGossip(_:)``.
    public nonisolated let topicString: String
    /// The validation pipeline gossiped and submitted transactions go through.
    public nonisolated let validator: TxValidator
    private var pool: TxPool
    private var gate: TopicSyncGate
    private let gossip: any TxGossipPort
    private let peerSource: (any PeerSource)?
    /// The pool's journal, if any (``TxPoolJournal/recovery`` says what its opening restored).
    public nonisolated let journal: TxPoolJournal?
    private let clock: @Sendable () -> Duration
    /// Counters since start (the node exports them at `/metrics`).
    public private(set) var metrics = TxServiceMetrics()
    private var isShutDown = false
    /// Hashes being validated now: a second copy arriving meanwhile is not validated twice.
    private var inFlight = Set<TxHash>()
    private let received: AsyncStream<ValidatedTransaction>.Continuation
    /// Every transaction newly admitted to the pool (from gossip or submission), in order; an
    /// unread backlog keeps the newest 1,024.
    public nonisolated let receivedTransactions: AsyncStream<ValidatedTransaction>

    /// - Parameters:
    ///   - config: validation rules, pool bounds and topic; validated here.
    ///   - state: answers nullifier lookups against the node's world state.
    ///   - proofVerifier: checks each transaction's proof.
    ///   - gossip: the GossipSub side: subscribing to the topic and publishing.
    ///   - peers: the connected peers reported by ``peers()`` (JSON-RPC); `nil` reports none.
    ///   - journalPath: the pool's journal file, restored at start; `nil` keeps the pool in memory only.
    ///   - journalEvents: what the journal reports (restored and damaged records at start, failed
    ///     writes), for the log; called on the journal's thread.
    ///   - clock: wall-clock time since the Unix epoch.
    /// - Throws: ``ConfigError``, or ``TxPoolJournal/JournalError`` when the journal cannot be
    ///   opened (unreadable, not a regular file, not writable): the service does not start with an
    ///   empty pool over a journal it could not read.
    public init(config: AztecTxServiceConfig, state: any TxStateProvider, proofVerifier: any TxProofVerifier,
                gossip: any TxGossipPort, peers: (any PeerSource)? = nil, journalPath: String? = nil,
                journalEvents: (@Sendable (TxPoolJournalEvent) -> Void)? = nil,
                clock: @escaping @Sendable () -> Duration) throws {
        let config = try config.validated()
        let opened = try journalPath.map { path throws(TxPoolJournal.JournalError) in
            try TxPoolJournal.open(path: path, pool: config.pool, limits: config.validation.limits, events: journalEvents)
        }
        self.init(config: config, state: state, proofVerifier: proofVerifier, gossip: gossip, peers: peers,
                  journal: opened, clock: clock)
    }

    /// A service over an opened journal and the pool it restored (`config` validated).
    init(config: AztecTxServiceConfig, state: any TxStateProvider, proofVerifier: any TxProofVerifier,
         gossip: any TxGossipPort, peers: (any PeerSource)? = nil, journal: (TxPoolJournal, TxPool)?,
         clock: @escaping @Sendable () -> Duration) {
        self.config = config
        self.topicString = config.topic.description
        self.validator = TxValidator(config: config.validation, state: state, proofVerifier: proofVerifier)
        self.gate = TopicSyncGate(topic: config.topic.description)
        self.gossip = gossip
        self.peerSource = peers
        self.clock = clock
        self.journal = journal?.0
        self.pool = journal?.1 ?? TxPool(config: config.pool)
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
        var final = verdict
        if case .accept(let valid) = verdict {
            switch admit(valid) {
            case .refused(let why):
                final = .ignore(why)
            case .admitted(let records):
                // Not awaited: a gossiped transaction is acknowledged to no one (see TxPoolJournal).
                journal?.appendInBackground(records)
                received.yield(valid)
            }
        }
        metrics.record(gossip: final)
        return final
    }

    // MARK: Local submission

    /// Validates, pools and publishes a transaction given as SSZ bytes.
    ///
    /// With a journal, it returns (and the transaction is published) only once the transaction is
    /// on stable storage; if it cannot be written, the transaction leaves the pool again and the
    /// submitter gets ``TxSubmitError/notPersisted(_:)``. While the journal cannot be written at
    /// all, submissions are refused up front.
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
        try checkJournalWritable()
        if config.requirePeersForSubmit, await gossip.topicPeerCount(topic: topicString) == 0 { throw .noPeers }
    }

    private func checkJournalWritable() throws(TxSubmitError) {
        guard let journal, !journal.isWritable else { return }
        metrics.submissionsNotPersisted += 1
        throw .notPersisted("the pool journal cannot be written now (\(journal.path))")
    }

    private func validateAndAdmit(_ decoded: Result<DecodedTransaction, TxRejection>) async throws(TxSubmitError) -> TxHash {
        let verdict = await validateUnlessPooled(decoded)
        metrics.record(submission: verdict)
        switch verdict {
        case .reject(let why): throw .invalid(why)
        case .ignore(let why): throw .notAccepted(why)
        case .accept(let valid):
            try checkJournalWritable()
            // What the insertion may replace, to put back should the journal refuse it.
            let displaced = valid.transaction.nullifiers.compactMap { pool.holder(of: $0).flatMap(pool.entry) }
            let records: [TxPoolJournal.Record]
            switch admit(valid) {
            case .refused(let why): throw .notAccepted(why)
            case .admitted(let admitted): records = admitted
            }
            if let journal {
                do {
                    try await journal.append(records)
                } catch {
                    rollBack(valid.hash, restoring: displaced)
                    throw .notPersisted("\(error)")
                }
            }
            received.yield(valid)
            return valid.hash
        }
    }

    /// Takes a transaction whose journal write failed out of the pool again, and puts back the
    /// transactions it replaced (their removal was not written either).
    private func rollBack(_ hash: TxHash, restoring displaced: [TxPool.Entry]) {
        metrics.submissionsNotPersisted += 1
        guard pool.remove(hash) != nil else { return }
        metrics.poolAdmitted -= 1
        var records: [TxPoolJournal.Record] = [.removed(hash)]
        for entry in displaced where !pool.contains(entry.hash) {
            if case .success(let removals) = pool.insert(entry.validated, now: entry.receivedAt),
               let restored = pool.entry(entry.hash) {
                metrics.record(removals)
                records += removals.map { .removed($0.hash) } + [.added(restored)]
            }
        }
        journal?.appendInBackground(records)
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
        journal?.appendInBackground(removals.map { .removed($0.hash) } + [.block(block.number)])
        return removals
    }

    /// Periodic housekeeping: time-based expiry and journal compaction (on the journal's thread).
    @discardableResult
    public func tick() -> [TxPool.Removal] {
        let removals = pool.expire(now: clock())
        metrics.record(removals)
        journal?.appendInBackground(removals.map { .removed($0.hash) })
        journal?.compactIfNeeded(pool)
        return removals
    }

    /// Refuses further work, compacts, flushes and closes the journal (call on shutdown). If the
    /// compaction fails (a full disk), the journal as appended so far is flushed and kept.
    public func shutdown() async {
        guard !isShutDown else { return }
        isShutDown = true
        received.finish()
        guard let journal else { return }
        try? await journal.compact(pool)
        await journal.close()
    }

    // MARK: Queries

    /// Whether the node is synced and on the transaction topic (gossip is validated, submissions are taken).
    public var isSynced: Bool { gate.isOpen }
    /// The pool's size, bounds and newest block.
    public var poolStats: TxPool.Stats { pool.stats }
    /// The pooled transaction with `hash`, or `nil` when it is not in the pool.
    public func transaction(_ hash: TxHash) -> TxPool.Entry? { pool.entry(hash) }
    /// At most `limit` pooled transactions, highest priority fee first (ties: older first),
    /// starting after `cursor` (`nil`: from the top).
    public func pendingTransactions(after cursor: TxPool.Cursor?, limit: Int) -> [TxPool.Entry] {
        pool.pending(after: cursor, limit: limit)
    }
    /// The connected peers, from the peer source given at init (none without one).
    public func peers() async -> [PeerSummary] { await peerSource?.peers() ?? [] }
    /// Journal writes and compactions that failed (submissions waiting on them were refused).
    public var journalFailureCount: Int { journal?.failureCount ?? 0 }

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

    /// Inserts into the pool.
    private func admit(_ valid: ValidatedTransaction) -> Admission {
        switch pool.insert(valid, now: clock()) {
        case .failure(.alreadyKnown):
            return .refused(.alreadyKnown)
        case .failure(let why):
            return .refused(.notAdmitted(why))
        case .success(let removals):
            metrics.record(removals)
            metrics.poolAdmitted += 1
            var records = removals.map { TxPoolJournal.Record.removed($0.hash) }
            if let entry = pool.entry(valid.hash) { records.append(.added(entry)) }
            return .admitted(records)
        }
    }

    private enum Admission {
        /// In the pool; the journal records of the change.
        case admitted([TxPoolJournal.Record])
        case refused(TxIgnoreReason)
    }
}
