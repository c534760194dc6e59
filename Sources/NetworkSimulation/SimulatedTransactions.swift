import AztecP2P
import GossipSub

/// The scenario's transactions as nodes see them on the topic: real Aztec transactions
/// (``SyntheticTransactions``), SSZ-encoded and Snappy-compressed as a node publishes them, with
/// Aztec's message ids.
///
/// What every node would compute alike from the same bytes is computed once per transaction and
/// shared: the message id (a SHA-256 of the 40 KB message, which per received copy would be most
/// of the run time) and the outcome of decoding and of the structural rules, one
/// `ValidatedTransaction` that every node's pool points at. Pool admission is each node's own
/// (``SimulatedNode/pool``).
struct SimulatedTransactions {
    let limits: TxLimits
    /// The message published for each transaction, kept for the whole run: its storage address
    /// identifies it in ``messageIDFunction``.
    private(set) var payloads: [[UInt8]] = []
    private(set) var ids: [MessageID] = []
    /// Aztec's content id (`sha256(topic ‖ data)`, 20 bytes), looked up by the message's storage
    /// for the scenario's own messages (every copy in the simulation shares the published array)
    /// and computed for any other.
    let messageIDFunction: MessageIDFunction
    /// Decoding and the structural rules, run once per transaction when a node first validates it.
    private var outcomes: [Result<ValidatedTransaction, TxRejection>?] = []

    /// Makes `count` transactions of about `bytes` SSZ bytes each from `seed`.
    init(count: Int, bytes: Int, seed: UInt64, limits: TxLimits) {
        self.limits = limits
        var rng = SplitMix64(seed: seed ^ 0x7478_7320_7369_6D00)
        payloads.reserveCapacity(count)
        ids.reserveCapacity(count)
        for _ in 0..<count {
            let message = TxWireCodec.encode(SyntheticTransactions.make(size: bytes, limits: limits, using: &rng))
            payloads.append(message)
            ids.append(Self.topic.messageID(of: message))
        }
        outcomes = Array(repeating: nil, count: count)
        var byAddress: [UInt: MessageID] = [:]
        byAddress.reserveCapacity(count)
        for (payload, id) in zip(payloads, ids) { byAddress[Self.address(of: payload)] = id }
        messageIDFunction = .custom { [byAddress] message in
            let data = message.data ?? []
            if !data.isEmpty, let id = byAddress[Self.address(of: data)] { return id }
            return Self.topic.messageID(of: data)
        }
    }

    static var topic: AztecTopic { AztecNetworkSimulation.aztecTopic }

    private static func address(of bytes: [UInt8]) -> UInt {
        bytes.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
    }

    /// What a node's validator makes of transaction `tx` before the proof check: decompression,
    /// decoding and the structural rules, all computed on first use.
    mutating func decoded(_ tx: Int) -> Result<ValidatedTransaction, TxRejection> {
        if let outcome = outcomes[tx] { return outcome }
        let outcome: Result<ValidatedTransaction, TxRejection>
        do throws(TxRejection) {
            let ssz = try TxWireCodec.decompress(payloads[tx], limits: limits)
            let transaction = try TxWireCodec.decode(ssz: ssz, limits: limits)
            try TxStructuralRules.check(transaction, limits: limits, latestBlock: nil)
            outcome = .success(ValidatedTransaction(transaction, size: ssz.count))
        } catch {
            outcome = .failure(error)
        }
        outcomes[tx] = outcome
        return outcome
    }
}
