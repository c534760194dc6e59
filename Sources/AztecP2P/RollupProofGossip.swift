import GossipSub
import SSZ
import Snappy

/// A final rollup proof, gossiped so that anyone can submit it to the rollup contract (seed 001:
/// "it may be necessary for the final rollup proof to be gossiped"). Off by default: a node
/// creates a ``RollupProofGossip`` only when configured to.
@SSZContainer
public struct RollupProof: Hashable, Sendable {
    /// The last block the proof covers.
    public var blockNumber: UInt64
    /// The archive root after that block, the proof's public input.
    public var archiveRoot: AztecField
    /// The proof's bytes, at most 256 KiB; an empty proof is rejected.
    public var proof: ByteList<262_144>

    /// A proof of the blocks up to `blockNumber`.
    public init(blockNumber: UInt64, archiveRoot: AztecField, proof: ByteList<262_144>) {
        self.blockNumber = blockNumber
        self.archiveRoot = archiveRoot
        self.proof = proof
    }
}

/// The topic of final rollup proofs: `/aztec/<aztec-chain-id>/rollup_proof/<message-version>`.
public struct RollupProofTopic: Hashable, Sendable, CustomStringConvertible {
    /// The Aztec chain id, the topic's `<aztec-chain-id>`.
    public var aztecChainID: UInt64
    /// The message format's version, the topic's `<message-version>`.
    public var messageVersion: UInt32

    /// The topic `/aztec/<aztecChainID>/rollup_proof/<messageVersion>`.
    public init(aztecChainID: UInt64, messageVersion: UInt32) {
        self.aztecChainID = aztecChainID
        self.messageVersion = messageVersion
    }

    /// The topic string.
    public var description: String { "/aztec/\(aztecChainID)/rollup_proof/\(messageVersion)" }
}

/// Checks a final rollup proof (supplied by the embedding node).
public protocol RollupProofVerifier: Sendable {
    /// True when valid; throwing means "cannot judge now" (ignored, no penalty).
    func verifyRollupProof(_ proof: RollupProof) async throws -> Bool
}

/// The outcome of validating a rollup proof message.
public enum RollupProofVerdict: Hashable, Sendable {
    /// Valid and not yet proven on L1: relay it (it is also yielded on ``RollupProofGossip/receivedProofs``).
    case accept(RollupProof)
    /// Malformed, oversized, empty or invalid: penalise the sender.
    case reject
    /// Not synced, already proven or not judgeable now: drop without penalty.
    case ignore

    /// The GossipSub verdict: only ``RollupProofVerdict/reject`` penalises the forwarding peer.
    public var gossipResult: ValidationResult {
        switch self {
        case .accept: .accept
        case .reject: .reject
        case .ignore: .ignore
        }
    }
}

/// The optional rollup-proof topic: same wire rules as transactions (Snappy block of SSZ,
/// content-addressed ids, StrictNoSign), the same sync gate, a verifier hook.
public actor RollupProofGossip {
    /// The rollup-proof topic this instance validates and subscribes to.
    public nonisolated let topic: RollupProofTopic
    /// Largest SSZ encoding accepted. Default 256 KiB + 48 bytes (the schema's limit).
    public nonisolated let maxProofMessageBytes: Int
    private let verifier: any RollupProofVerifier
    private let gossip: any TxGossipPort
    private var gate: TopicSyncGate
    private var latestProvenBlock: UInt64?
    private let continuation: AsyncStream<RollupProof>.Continuation
    /// Accepted proofs, in order; an unread backlog keeps the newest 16.
    public nonisolated let receivedProofs: AsyncStream<RollupProof>

    /// A handler that stays off the topic until ``syncStatusChanged(synced:)`` reports the node synced.
    /// - Parameters:
    ///   - topic: the topic to join once synced.
    ///   - verifier: checks each decoded proof.
    ///   - gossip: subscribes to the topic and leaves it.
    ///   - maxProofMessageBytes: largest SSZ encoding accepted; larger messages are rejected.
    public init(topic: RollupProofTopic, verifier: any RollupProofVerifier, gossip: any TxGossipPort,
                maxProofMessageBytes: Int = 262_144 + 48) {
        self.topic = topic
        self.verifier = verifier
        self.gossip = gossip
        self.maxProofMessageBytes = maxProofMessageBytes
        self.gate = TopicSyncGate(topic: topic.description)
        (receivedProofs, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(16))
    }

    /// Joins or leaves the topic with the node's sync state.
    public func syncStatusChanged(synced: Bool) async {
        switch gate.syncStatusChanged(synced: synced) {
        case .subscribe(let name): await gossip.subscribe(topic: name)
        case .unsubscribe(let name): await gossip.unsubscribe(topic: name)
        case .none: break
        }
    }

    /// The newest block whose proof landed on L1: proofs up to it are stale.
    public func blockProven(_ number: UInt64) { latestProvenBlock = max(latestProvenBlock ?? 0, number) }

    /// Validates a message received on the topic.
    public func handleGossip(_ data: [UInt8]) async -> RollupProofVerdict {
        guard gate.isOpen else { return .ignore }
        guard let proof = decode(data) else { return .reject }
        guard !proof.proof.bytes.isEmpty else { return .reject }
        if let latestProvenBlock, proof.blockNumber <= latestProvenBlock { return .ignore }
        let valid: Bool
        do { valid = try await verifier.verifyRollupProof(proof) } catch { return .ignore }
        guard valid else { return .reject }
        continuation.yield(proof)
        return .accept(proof)
    }

    /// Publishes a proof this node produced or obtained; returns the number of peers it went to.
    public func publish(_ proof: RollupProof) async -> Int {
        await gossip.publish(topic: topic.description, data: TxWireCodec.compress(ssz: proof.sszEncoded()))
    }

    private func decode(_ data: [UInt8]) -> RollupProof? {
        guard data.count <= SnappyBlock.maxCompressedLength(maxProofMessageBytes),
              let declared = try? SnappyBlock.uncompressedLength(data), declared <= maxProofMessageBytes,
              let ssz = try? SnappyBlock.decompress(data, maxLength: maxProofMessageBytes) else { return nil }
        return try? RollupProof(sszEncoded: ssz)
    }
}
