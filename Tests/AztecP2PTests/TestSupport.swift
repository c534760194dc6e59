import SSZ
@testable import AztecP2P

/// Small transactions built from explicit nullifiers and fees.
enum TestTx {
    static func field(_ n: UInt64) -> Nullifier {
        var bytes = [UInt8](repeating: 0, count: 32)
        for i in 0..<8 { bytes[31 - i] = UInt8(truncatingIfNeeded: n >> (8 * UInt64(i))) }
        return (try? ByteVector<32>(bytes)) ?? ByteVector<32>()
    }

    static func make(nullifiers: [UInt64], fee: UInt128 = 1, maxBlockNumber: UInt64 = 0, proofSize: Int = 64,
                     salt: UInt8 = 0) -> AztecTransaction {
        AztecTransaction(
            context: TxContext(chainID: 1, version: 1),
            gasSettings: TxGasSettings(gasLimitDA: 1000, gasLimitL2: 1000, teardownGasLimitDA: 10, teardownGasLimitL2: 10,
                                       maxFeePerDAGas: fee + 5, maxFeePerL2Gas: fee + 5, maxPriorityFeePerDAGas: 0,
                                       maxPriorityFeePerL2Gas: fee),
            maxBlockNumber: maxBlockNumber, feePayer: field(7),
            nullifiers: (try? SSZList(nullifiers.map(field))) ?? SSZList(),
            proof: (try? ByteList([UInt8](repeating: 0xAB ^ salt, count: proofSize))) ?? ByteList())
    }
}

/// A state provider with a fixed set of spent nullifiers.
struct FixedState: TxStateProvider {
    var spent: [Nullifier: UInt64] = [:]
    var fails = false
    func nullifierStates(_ nullifiers: [Nullifier]) async throws -> [NullifierState] {
        struct Unavailable: Error {}
        if fails { throw Unavailable() }
        return nullifiers.map { spent[$0].map { .spent(blockNumber: $0) } ?? .unspent }
    }
}

/// A verifier answering a fixed verdict.
struct FixedVerifier: TxProofVerifier {
    var valid = true
    func verifyProof(of transaction: AztecTransaction) async throws -> Bool { valid }
}

/// A gossip port recording what the service asked of it.
actor RecordingGossipPort: TxGossipPort {
    var subscriptions: [String] = []
    var unsubscriptions: [String] = []
    var published: [[UInt8]] = []
    var peerCount: Int
    init(peerCount: Int = 3) { self.peerCount = peerCount }
    func subscribe(topic: String) async { subscriptions.append(topic) }
    func unsubscribe(topic: String) async { unsubscriptions.append(topic) }
    func publish(topic: String, data: [UInt8]) async -> Int { published.append(data); return peerCount }
    func topicPeerCount(topic: String) async -> Int { peerCount }
    func setPeerCount(_ n: Int) { peerCount = n }
}

/// A clock tests move by hand.
final class ManualClock: Sendable {
    private let value = Mutex<Duration>(.seconds(1_700_000_000))
    var now: Duration { value.withLock { $0 } }
    func advance(_ d: Duration) { value.withLock { $0 += d } }
    var function: @Sendable () -> Duration { { [self] in self.now } }
}

import Synchronization
