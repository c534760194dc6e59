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

/// `aztec_sendTransaction` bodies for a 40 KB transaction whose first nullifier is replaced per
/// request, so that every request carries a distinct, valid transaction.
private struct SendBodies {
    let prefix: [UInt8]
    let suffix: [UInt8]

    init(size: Int) {
        var rng = SplitMix64(seed: 0xA27EC)
        let tx = SyntheticTransactions.make(size: size, using: &rng)
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

let benchmarks: @Sendable () -> Void = {
    let rpcConfiguration = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .one,
        maxDuration: .seconds(3), maxIterations: 3000)

    Benchmark("Aztec JSON-RPC aztec_sendTransaction 40 KB accepted (handler + validation + pool, no-op proof)",
              configuration: rpcConfiguration) { benchmark in
        let bodies = SendBodies(size: 40_000)
        let clock = ContinuousClock()
        let start = clock.now
        let service = try AztecTxService(
            config: AztecTxServiceConfig(pool: TxPoolConfig(maxTransactions: 100_000, maxBytes: 8 << 30)),
            state: AllUnspentStateProvider(), proofVerifier: AcceptAllProofVerifier(), gossip: AlwaysPeers(),
            clock: { .seconds(1_700_000_000) + (clock.now - start) })
        await service.syncStatusChanged(synced: true)
        let handler = JSONRPCHandler(backend: service)
        var counter: UInt64 = 0
        var block: UInt64 = 0
        var accepted = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            counter += 1
            blackHole(await handler.handle(body: bodies.body(counter)))
            // Blocks keep the pool from holding every request of the run: one per 500 requests.
            if counter % 500 == 0 {
                let pooled = await service.pendingTransactions(after: nil, limit: 1000).map(\.hash)
                accepted += pooled.count
                block += 1
                await service.blockPublished(BlockReport(number: block, includedTransactions: pooled, nullifiers: []))
            }
        }
        benchmark.stopMeasurement()
        accepted += await service.poolStats.count
        precondition(accepted == Int(counter), "\(Int(counter) - accepted) requests were not accepted")
    }

    Benchmark("Aztec JSON-RPC aztec_sendTransaction 40 KB (reference: JSONSerialization parse + hex decode of the body)",
              configuration: rpcConfiguration) { benchmark in
        let bodies = SendBodies(size: 40_000)
        var counter: UInt64 = 0
        for _ in benchmark.scaledIterations {
            counter += 1
            let body = bodies.body(counter)
            let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
            let text = (object?["params"] as? [Any])?.first as? String ?? ""
            blackHole(HexCoding.decode(text))
        }
    }

    let poolConfiguration = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .kilo,
        maxDuration: .seconds(2), maxIterations: 90)

    Benchmark("Aztec pool insert with 100,000 pooled (grows to at most 190,000)", configuration: poolConfiguration) { benchmark in
        var pool = TxPool(config: TxPoolConfig(maxTransactions: 1_000_000, maxBytes: 8 << 30))
        let now = Duration.seconds(1_700_000_000)
        for i in 0..<100_000 { _ = pool.insert(smallTransaction(UInt64(i), fee: UInt128(i % 1000)), now: now) }
        let fresh = (0..<90_000).map { smallTransaction(UInt64(1_000_000 + $0), fee: UInt128($0 % 1000)) }
        let hashes = fresh.map(\.hash)
        var next = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(pool.insert(fresh[next], hash: hashes[next], size: 360, now: now))
            next += 1
        }
        benchmark.stopMeasurement()
    }

    Benchmark("Aztec pool insert with 100,000 pooled (reference: Dictionary insert of the same hashes)",
              configuration: poolConfiguration) { benchmark in
        var dictionary = [TxHash: Int](minimumCapacity: 100_000)
        for i in 0..<100_000 { dictionary[smallTransaction(UInt64(i), fee: 0).hash] = i }
        let hashes = (0..<90_000).map { smallTransaction(UInt64(1_000_000 + $0), fee: 0).hash }
        var next = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            dictionary[hashes[next]] = next
            next += 1
        }
        benchmark.stopMeasurement()
        blackHole(dictionary.count)
    }

    let blockConfiguration = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .one,
        maxDuration: .seconds(2), maxIterations: 900)

    Benchmark("Aztec pool remove-by-block, 100 tx + 100 other nullifiers per block, 100,000 pooled (per block)",
              configuration: blockConfiguration) { benchmark in
        var pool = TxPool(config: TxPoolConfig(maxTransactions: 1_000_000, maxBytes: 8 << 30))
        let now = Duration.seconds(1_700_000_000)
        let transactions = (0..<190_000).map { smallTransaction(UInt64($0), fee: UInt128($0 % 1000)) }
        let hashes = transactions.map(\.hash)
        for i in 0..<190_000 { _ = pool.insert(transactions[i], hash: hashes[i], size: 360, now: now) }
        // Blocks include 100 pooled transactions each and spend 100 nullifiers of others.
        var block: UInt64 = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let base = Int(block) * 100
            guard base + 100 <= 90_000 else { break }
            let report = BlockReport(number: block + 1, includedTransactions: Array(hashes[base..<(base + 100)]),
                                     nullifiers: transactions[(base + 90_000)..<(base + 90_100)].map { $0.nullifiers[0] })
            blackHole(pool.blockPublished(report))
            block += 1
        }
        benchmark.stopMeasurement()
    }

    Benchmark("Aztec pool remove-by-block (reference: Dictionary removal of 200 keys per block)",
              configuration: blockConfiguration) { benchmark in
        let hashes = (0..<190_000).map { smallTransaction(UInt64($0), fee: 0).hash }
        var dictionary = [TxHash: Int](minimumCapacity: 190_000)
        for (i, h) in hashes.enumerated() { dictionary[h] = i }
        var block = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let base = block * 100
            guard base + 100 <= 90_000 else { break }
            for h in hashes[base..<(base + 100)] { dictionary.removeValue(forKey: h) }
            for h in hashes[(base + 90_000)..<(base + 90_100)] { dictionary.removeValue(forKey: h) }
            block += 1
        }
        benchmark.stopMeasurement()
        blackHole(dictionary.count)
    }
}
