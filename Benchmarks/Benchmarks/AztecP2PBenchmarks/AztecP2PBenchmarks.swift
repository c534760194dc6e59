import AztecP2P
import Benchmark
import Foundation
import SSZ

// Figures for issue 6: transactions per second accepted through the JSON-RPC handler with full
// validation (no-op proof and state hooks) into the pool, and pool insert / remove-by-block with
// 100,000 pooled transactions. Each has a reference measured in the same run.
//
// The JSON-RPC figure is at the sans-IO handler level (`JSONRPCHandler.handle(body:)`): the
// HTTP adapter adds NIO's HTTP/1.1 parsing and one body copy on top.

/// A node-side service that accepts everything cheap checks let through.
private struct AlwaysPeers: TxGossipPort {
    func subscribe(topic: String) async {}
    func unsubscribe(topic: String) async {}
    func publish(topic: String, data: [UInt8]) async -> Int { 8 }
    func topicPeerCount(topic: String) async -> Int { 8 }
}

/// `aztec_sendTransaction` bodies for a 40 KB transaction with a single nullifier, replaced per
/// request, so that every request carries a distinct, valid transaction that conflicts with none.
private struct SendBodies {
    let prefix: [UInt8]
    let suffix: [UInt8]

    init(size: Int) {
        var rng = SplitMix64(seed: 0xA27EC)
        let tx = SyntheticTransactions.make(size: size, nullifierCount: 1, using: &rng)
        let ssz = tx.sszEncoded()
        let first = tx.nullifiers[0].bytes
        // The first nullifier's bytes in the SSZ (they are random, so they occur once).
        var at = 0
        for i in 0...(ssz.count - 32) where Array(ssz[i..<(i + 32)]) == first { at = i; break }
        let hex = Array(("0x" + HexCoding.encode(ssz)).utf8)
        let hexAt = 2 + 2 * at
        let head = Array(#"{"jsonrpc":"2.0","id":1,"method":"aztec_sendTransaction","params":[""#.utf8)
        prefix = head + hex[0..<hexAt]
        suffix = Array(hex[(hexAt + 64)...]) + Array(#""]}"#.utf8)
    }

    func body(_ counter: UInt64) -> [UInt8] {
        var nullifier = [UInt8](repeating: 0x11, count: 32)
        for i in 0..<8 { nullifier[i] = UInt8(truncatingIfNeeded: counter >> (8 * UInt64(i))) }
        return prefix + Array(HexCoding.encode(nullifier).utf8) + suffix
    }
}

/// The least a JSON-RPC server must parse for `aztec_sendTransaction`: the reference's request type.
private struct TypedSendRequest: Decodable {
    let jsonrpc: String
    let id: Int
    let method: String
    let params: [String]
}

private func smallTransaction(_ index: UInt64, fee: UInt128) -> AztecTransaction {
    var bytes = [UInt8](repeating: 0, count: 32)
    for i in 0..<8 { bytes[i] = UInt8(truncatingIfNeeded: index >> (8 * UInt64(i))) }
    let nullifier = (try? ByteVector<32>(bytes)) ?? ByteVector<32>()
    return AztecTransaction(
        context: TxContext(chainID: 1, version: 1),
        gasSettings: TxGasSettings(gasLimitDA: 1000, gasLimitL2: 1000, teardownGasLimitDA: 0, teardownGasLimitL2: 0,
                                   maxFeePerDAGas: fee + 1, maxFeePerL2Gas: fee + 1, maxPriorityFeePerDAGas: 0,
                                   maxPriorityFeePerL2Gas: fee),
        maxBlockNumber: 0, feePayer: nullifier, nullifiers: (try? SSZList([nullifier])) ?? SSZList(),
        proof: (try? ByteList([UInt8](repeating: 7, count: 64))) ?? ByteList())
}

/// State built once per benchmark by its setup hook and carried across samples.
private final class RPCState {
    var bodies: SendBodies?
    var service: AztecTxService?
    var handler: JSONRPCHandler?
    var counter: UInt64 = 0
    var block: UInt64 = 0
}

private final class PoolState {
    var pool = TxPool(config: TxPoolConfig(maxTransactions: 1_000_000, maxBytes: 8 << 30))
    var transactions: [AztecTransaction] = []
    var hashes: [TxHash] = []
    var next = 0
}

private final class DictionaryState {
    var dictionary: [TxHash: Int] = [:]
    var hashes: [TxHash] = []
    var next = 0
}

private let now = Duration.seconds(1_700_000_000)

let benchmarks: @Sendable () -> Void = {
    // One request per sample; the service, its pool and the request counter persist across samples.
    let rpc = RPCState()
    let rpcConfiguration = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .one,
        maxDuration: .seconds(3), maxIterations: 3000,
        setup: {
            let clock = ContinuousClock()
            let start = clock.now
            let service = try AztecTxService(
                config: AztecTxServiceConfig(pool: TxPoolConfig(maxTransactions: 100_000, maxBytes: 8 << 30)),
                state: AllUnspentStateProvider(), proofVerifier: AcceptAllProofVerifier(), gossip: AlwaysPeers(),
                clock: { now + (clock.now - start) })
            await service.syncStatusChanged(synced: true)
            rpc.bodies = SendBodies(size: 40_000)
            rpc.service = service
            rpc.handler = JSONRPCHandler(backend: service)
        })

    Benchmark("Aztec JSON-RPC aztec_sendTransaction 40 KB accepted (handler + validation + pool + publish, no-op proof)",
              configuration: rpcConfiguration) { benchmark in
        guard let bodies = rpc.bodies, let handler = rpc.handler, let service = rpc.service else { return }
        for _ in benchmark.scaledIterations {
            rpc.counter += 1
            let response = await handler.handle(body: bodies.body(rpc.counter)) ?? []
            precondition(String(decoding: response, as: UTF8.self).contains("\"result\""),
                         "not accepted: \(String(decoding: response, as: UTF8.self))")
            blackHole(response)
        }
        // A block per 500 requests keeps the pool from holding every request of the run.
        if rpc.counter % 500 == 0 {
            let pooled = await service.pendingTransactions(after: nil, limit: 1000).map(\.hash)
            precondition(pooled.count == 500, "only \(pooled.count) of 500 requests were accepted")
            rpc.block += 1
            await service.blockPublished(BlockReport(number: rpc.block, includedTransactions: pooled, nullifiers: []))
        }
    }

    let reference = RPCState()
    Benchmark("Aztec JSON-RPC aztec_sendTransaction 40 KB (reference: JSONDecoder into a typed request + hex decode)",
              configuration: Benchmark.Configuration(
                  metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .one,
                  maxDuration: .seconds(3), maxIterations: 3000,
                  setup: { reference.bodies = SendBodies(size: 40_000) })) { benchmark in
        guard let bodies = reference.bodies else { return }
        for _ in benchmark.scaledIterations {
            reference.counter += 1
            let body = bodies.body(reference.counter)
            let request = try JSONDecoder().decode(TypedSendRequest.self, from: Data(body))
            blackHole(HexCoding.decode(request.params.first ?? ""))
        }
    }

    // Pool insert: 1,000 inserts per sample into a pool of 100,000 (growing by what was inserted,
    // at most 90 samples, so at most 190,000).
    let insert = PoolState()
    Benchmark("Aztec pool insert with 100,000 pooled (grows to at most 190,000)",
              configuration: Benchmark.Configuration(
                  metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .kilo,
                  maxDuration: .seconds(3), maxIterations: 90,
                  setup: {
                      for i in 0..<100_000 { _ = insert.pool.insert(smallTransaction(UInt64(i), fee: UInt128(i % 1000)), now: now) }
                      insert.transactions = (0..<91_000).map { smallTransaction(UInt64(1_000_000 + $0), fee: UInt128($0 % 1000)) }
                      insert.hashes = insert.transactions.map(\.hash)
                  })) { benchmark in
        for _ in benchmark.scaledIterations {
            guard insert.next < insert.transactions.count else { break }
            blackHole(insert.pool.insert(insert.transactions[insert.next], hash: insert.hashes[insert.next], size: 360, now: now))
            insert.next += 1
        }
    }

    let insertReference = DictionaryState()
    Benchmark("Aztec pool insert with 100,000 pooled (reference: Dictionary insert of the same hashes)",
              configuration: Benchmark.Configuration(
                  metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .kilo,
                  maxDuration: .seconds(3), maxIterations: 90,
                  setup: {
                      for i in 0..<100_000 { insertReference.dictionary[smallTransaction(UInt64(i), fee: 0).hash] = i }
                      insertReference.hashes = (0..<91_000).map { smallTransaction(UInt64(1_000_000 + $0), fee: 0).hash }
                  })) { benchmark in
        for _ in benchmark.scaledIterations {
            guard insertReference.next < insertReference.hashes.count else { break }
            insertReference.dictionary[insertReference.hashes[insertReference.next]] = insertReference.next
            insertReference.next += 1
        }
    }

    // Remove-by-block: one block per sample; each includes 100 pooled transactions and spends the
    // nullifiers of 100 others. The pool starts at 190,000 and stays above 100,000 (at most 450 blocks).
    let removal = PoolState()
    Benchmark("Aztec pool remove-by-block, 100 included + 100 spent per block, 100,000+ pooled (per block)",
              configuration: Benchmark.Configuration(
                  metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .one,
                  maxDuration: .seconds(3), maxIterations: 450,
                  setup: {
                      removal.transactions = (0..<190_000).map { smallTransaction(UInt64($0), fee: UInt128($0 % 1000)) }
                      removal.hashes = removal.transactions.map(\.hash)
                      for i in 0..<190_000 {
                          _ = removal.pool.insert(removal.transactions[i], hash: removal.hashes[i], size: 360, now: now)
                      }
                  })) { benchmark in
        for _ in benchmark.scaledIterations {
            let base = removal.next * 100
            guard base + 100 <= 45_000 else { break }
            let report = BlockReport(
                number: UInt64(removal.next + 1), includedTransactions: Array(removal.hashes[base..<(base + 100)]),
                nullifiers: removal.transactions[(base + 45_000)..<(base + 45_100)].map { $0.nullifiers[0] })
            blackHole(removal.pool.blockPublished(report))
            removal.next += 1
        }
    }

    let removalReference = DictionaryState()
    Benchmark("Aztec pool remove-by-block (reference: Dictionary removal of the same 200 keys per block)",
              configuration: Benchmark.Configuration(
                  metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .one,
                  maxDuration: .seconds(3), maxIterations: 450,
                  setup: {
                      removalReference.hashes = (0..<190_000).map { smallTransaction(UInt64($0), fee: 0).hash }
                      for (i, h) in removalReference.hashes.enumerated() { removalReference.dictionary[h] = i }
                  })) { benchmark in
        for _ in benchmark.scaledIterations {
            let base = removalReference.next * 100
            guard base + 100 <= 45_000 else { break }
            for h in removalReference.hashes[base..<(base + 100)] { removalReference.dictionary.removeValue(forKey: h) }
            for h in removalReference.hashes[(base + 45_000)..<(base + 45_100)] {
                removalReference.dictionary.removeValue(forKey: h)
            }
            removalReference.next += 1
        }
    }
}
