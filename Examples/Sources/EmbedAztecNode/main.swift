// An Aztec node embedded in another program: the program supplies chain state and proof
// verification, runs the node as a swift-service-lifecycle service, submits a transaction to one
// node and reads it from another node's stream of validated transactions.
import AztecNode
import AztecP2P
import LibP2PCore
import Logging
import ServiceLifecycle

/// The program's view of chain state. A sequencer asks its world state; this one knows no spent nullifier.
struct ChainState: TxStateProvider {
    func nullifierStates(_ nullifiers: [Nullifier]) async throws -> [NullifierState] {
        nullifiers.map { _ in .unspent }
    }
}

/// The program's proof check. A real node verifies the private kernel proof here (~250 ms);
/// throwing means "cannot judge now" and the transaction is ignored, not rejected.
struct ProofCheck: TxProofVerifier {
    func verifyProof(of transaction: AztecTransaction) async throws -> Bool { true }
}

/// A node on loopback that dials `staticPeer`, if any, and needs no discovery (a private pair).
func configuration(staticPeer: Multiaddr?) -> AztecNodeConfiguration {
    var configuration = AztecNodeConfiguration()
    configuration.listenHost = "127.0.0.1"
    configuration.tcpPort = 0
    configuration.discoveryEnabled = false
    configuration.staticPeers = staticPeer.map { [$0] } ?? []
    configuration.dialInterval = .milliseconds(200)
    configuration.startSynced = true   // no chain to follow here; a real node reports sync
    return configuration
}

var logger = Logger(label: "example")
logger.logLevel = .warning

let first = try AztecNode(configuration: configuration(staticPeer: nil), state: ChainState(), proofVerifier: ProofCheck())
try await first.start()   // started early only to learn its address; `run()` then skips the start
guard let address = await first.listenAddress else { fatalError("the first node is not listening") }
let second = try AztecNode(configuration: configuration(staticPeer: address), state: ChainState(), proofVerifier: ProofCheck())
print("node 1 \(first.peerID) listens on \(address); node 2 \(second.peerID) dials it")

// Both nodes in one service group: SIGINT or SIGTERM, or the end of this program's work, stops
// them in reverse order (node 2, then node 1), each saving its state.
let services = ServiceGroup(configuration: ServiceGroupConfiguration(
    services: [first, second], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))

try await withThrowingTaskGroup { tasks in
    tasks.addTask { try await services.run() }

    // Wait until node 1 sees node 2 on the transaction topic, then submit to node 1.
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(20)
    while await first.topicPeers().isEmpty {
        guard clock.now < deadline else { fatalError("the nodes did not meet on the topic within 20 s") }
        try await Task.sleep(for: .milliseconds(100))
    }
    var random = SplitMix64(seed: 1)
    let transaction = SyntheticTransactions.make(size: 40_000, using: &random)
    let hash = try await first.submit(ssz: transaction.sszEncoded())
    print("submitted \(hash) (\(transaction.sszEncoded().count) bytes) to node 1")

    // Node 2 validated it (state and proof checks) and pooled it.
    for await received in second.receivedTransactions where received.hash == hash {
        print("node 2 received \(received.hash) and holds \(await second.poolStats.count) transaction(s)")
        break
    }
    await services.triggerGracefulShutdown()
    try await tasks.waitForAll()
}
print("both nodes stopped")
