import AztecP2P
import GossipSub

/// The invalid transactions of a `spam` scenario, made as attackers would send them and judged
/// by the node's own code where it has one:
/// - ``Kind/spentNullifier`` and ``Kind/badProof`` are well-formed transactions that pass the
///   structural rules; a node finds out only after the proof check's time in a validation slot,
///   from its state (the nullifier was spent in an old block) or from its proof verifier;
/// - ``Kind/malformedSSZ`` (a transaction's SSZ with damaged bytes) and
///   ``Kind/oversizedSnappy`` (a Snappy block declaring 64 MiB) fail ``TxWireCodec`` at once.
///
/// Whether decoding and the structural rules fail is what the real codec says of the bytes,
/// computed once per message. The state and the verifier are the simulation's: nullifiers in
/// ``spentNullifiers`` are spent, and a proof is bad exactly when the message is a
/// ``Kind/badProof`` one. Messages are not kept: each is made when it is published, and its
/// copies share its bytes until the last is gone.
struct SimulatedSpam {
    enum Kind: Int, CaseIterable, Sendable {
        case spentNullifier, badProof, malformedSSZ, oversizedSnappy
    }

    struct Record {
        var kind: Kind
        /// What decoding and the structural rules made of it.
        var decoded: Result<ValidatedTransaction, TxRejection>
        var bytes: Int
    }

    let limits: TxLimits
    let transactionBytes: Int
    /// The nullifiers of an old block, known as spent by every node's state.
    let spentNullifiers: [Nullifier]
    private(set) var records: [Record] = []
    private(set) var index: [MessageID: Int] = [:]
    private var rng: SplitMix64

    init(seed: UInt64, transactionBytes: Int, limits: TxLimits) {
        self.limits = limits
        self.transactionBytes = transactionBytes
        rng = SplitMix64(seed: seed ^ 0x7370_616D_0000_0000)
        var spent: [Nullifier] = []
        for _ in 0..<16 { spent.append(SyntheticTransactions.make(size: 1_000, nullifierCount: 1, limits: limits, using: &rng).nullifiers[0]) }
        spentNullifiers = spent
    }

    /// The record of message `id`, if it is spam.
    func record(_ id: MessageID) -> Record? { index[id].map { records[$0] } }

    /// Makes the next invalid message (kinds in turn) and registers it under its id.
    mutating func make() -> (id: MessageID, kind: Kind, payload: [UInt8]) {
        let kind = Kind(rawValue: records.count % Kind.allCases.count)!
        let payload: [UInt8]
        switch kind {
        case .spentNullifier:
            var tx = SyntheticTransactions.make(size: transactionBytes, limits: limits, using: &rng)
            tx.nullifiers[0] = spentNullifiers[Int(rng.next() % UInt64(spentNullifiers.count))]
            payload = TxWireCodec.encode(tx)
        case .badProof:
            payload = TxWireCodec.encode(SyntheticTransactions.make(size: transactionBytes, limits: limits, using: &rng))
        case .malformedSSZ:
            payload = TxWireCodec.compress(ssz: malformedSSZ())
        case .oversizedSnappy:
            // A preamble declaring 64 MiB, one 8-byte literal (unique per message).
            var bytes: [UInt8] = [0x80, 0x80, 0x80, 0x20, 0x1C]
            withUnsafeBytes(of: rng.next()) { bytes += $0 }
            payload = bytes
        }
        let id = SimulatedTransactions.topic.messageID(of: payload)
        index[id] = records.count
        records.append(Record(kind: kind, decoded: Self.decode(payload, limits: limits), bytes: payload.count))
        return (id, kind, payload)
    }

    /// A transaction's SSZ with bytes of its first 64 overwritten until the decoder refuses it
    /// (the offsets are there), cut short if it never does.
    private mutating func malformedSSZ() -> [UInt8] {
        var ssz = TxWireCodec.ssz(SyntheticTransactions.make(size: transactionBytes, limits: limits, using: &rng))
        for _ in 0..<32 {
            let at = Int(rng.next() % 64)
            ssz[at] = UInt8(truncatingIfNeeded: rng.next()) | 0x80
            if (try? TxWireCodec.decode(ssz: ssz, limits: limits)) == nil { return ssz }
        }
        return Array(ssz.prefix(ssz.count / 2))
    }

    private static func decode(_ payload: [UInt8], limits: TxLimits) -> Result<ValidatedTransaction, TxRejection> {
        do throws(TxRejection) {
            let ssz = try TxWireCodec.decompress(payload, limits: limits)
            let transaction = try TxWireCodec.decode(ssz: ssz, limits: limits)
            try TxStructuralRules.check(transaction, limits: limits, latestBlock: nil)
            return .success(ValidatedTransaction(transaction, size: ssz.count))
        } catch {
            return .failure(error)
        }
    }

    /// The verdict of the node's state and proof verifier on a decoded spam transaction
    /// (the checks ``TxValidator`` runs in a validation slot).
    func slotVerdict(_ record: Record, _ decoded: ValidatedTransaction) -> TxRejection? {
        for nullifier in decoded.transaction.nullifiers.elements where spentNullifiers.contains(nullifier) {
            return .doubleSpend(nullifier)
        }
        return record.kind == .badProof ? .invalidProof : nil
    }
}
