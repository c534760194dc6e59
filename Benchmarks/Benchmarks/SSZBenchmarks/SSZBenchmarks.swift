import Benchmark
import Foundation
import Crypto
import SSZ

/// A ~40 KB transaction-shaped container: fixed fields, a 32 KB proof, lists of 32-byte
/// fields and small variable lists.
@SSZContainer
struct BenchTransaction: Equatable {
    var nonce: UInt64
    var fee: UInt64
    var gasLimit: UInt64
    var proof: ByteList<32768>
    var noteHashes: SSZList<ByteVector<32>, 64>
    var nullifiers: SSZList<ByteVector<32>, 64>
    var publicData: SSZList<ByteVector<32>, 128>
    var memo: ByteList<256>
    var logs: SSZList<ByteList<64>, 8>
}

func pseudoRandomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    return (0 ..< count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return UInt8(truncatingIfNeeded: state >> 33)
    }
}

func hashes(_ count: Int, seed: UInt64) -> [ByteVector<32>] {
    (0 ..< count).compactMap { try? ByteVector<32>(pseudoRandomBytes(32, seed: seed &+ UInt64($0))) }
}

func makeTransaction() -> BenchTransaction {
    BenchTransaction(
        nonce: 7, fee: 1_000_000, gasLimit: 30_000_000,
        proof: (try? ByteList(pseudoRandomBytes(32768, seed: 1))) ?? ByteList(),
        noteHashes: (try? SSZList(hashes(64, seed: 2))) ?? SSZList(),
        nullifiers: (try? SSZList(hashes(64, seed: 3))) ?? SSZList(),
        publicData: (try? SSZList(hashes(96, seed: 4))) ?? SSZList(),
        memo: (try? ByteList(pseudoRandomBytes(100, seed: 5))) ?? ByteList(),
        logs: (try? SSZList((0 ..< 4).compactMap { try? ByteList<64>(pseudoRandomBytes(40, seed: 6 + UInt64($0))) })) ?? SSZList())
}

/// The number of 64-byte compressions `merkleize(count chunks, limit)` performs.
func compressions(chunks count: Int, limit: Int) -> Int {
    var depth = 0
    while (1 << depth) < limit { depth += 1 }
    if count == 0 { return 0 }
    var width = count
    var total = 0
    for _ in 0 ..< depth {
        total += (width + 1) / 2
        width = (width + 1) / 2
    }
    return total
}

/// Compressions of `hashTreeRoot()` of a `BenchTransaction` (zero-hash table lookups are free).
func transactionCompressions(_ tx: BenchTransaction) -> Int {
    var total = compressions(chunks: 9, limit: 9)
    total += compressions(chunks: (tx.proof.count + 31) / 32, limit: 1024) + 1
    total += compressions(chunks: tx.noteHashes.count, limit: 64) + 1
    total += compressions(chunks: tx.nullifiers.count, limit: 64) + 1
    total += compressions(chunks: tx.publicData.count, limit: 128) + 1
    total += compressions(chunks: (tx.memo.count + 31) / 32, limit: 8) + 1
    total += compressions(chunks: tx.logs.count, limit: 8) + 1
    for log in tx.logs { total += compressions(chunks: (log.count + 31) / 32, limit: 2) + 1 }
    return total
}

/// Hashes `count` 64-byte inputs one shot each through swift-crypto (the reference for merkleization).
func referenceCompressions(_ count: Int, _ input: [UInt8]) -> UInt8 {
    var sink: UInt8 = 0
    for index in 0 ..< count {
        let digest = input.withUnsafeBytes { raw in
            SHA256.hash(data: UnsafeRawBufferPointer(rebasing: raw[(index % 16) * 64 ..< (index % 16) * 64 + 64]))
        }
        digest.withUnsafeBytes { sink ^= $0[0] }
    }
    return sink
}

let benchmarks: @Sendable () -> Void = {
    let transaction = makeTransaction()
    let encoded = transaction.sszEncoded()
    let codecConfiguration = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .kilo)

    Benchmark("SSZ encode \(encoded.count / 1024) KB transaction", configuration: codecConfiguration) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(transaction.sszEncoded()) }
    }
    Benchmark("SSZ decode \(encoded.count / 1024) KB transaction", configuration: codecConfiguration) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try? BenchTransaction(sszEncoded: encoded)) }
    }
    Benchmark("memcpy \(encoded.count / 1024) KB (reference)", configuration: codecConfiguration) { benchmark in
        for _ in benchmark.scaledIterations {
            let copy = [UInt8](unsafeUninitializedCapacity: encoded.count) { buffer, count in
                encoded.withUnsafeBytes { source in
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source)
                }
                count = encoded.count
            }
            blackHole(copy)
        }
    }

    // Hashing: each iteration performs N 64-byte compressions, and each reference hashes N
    // 64-byte inputs one shot, so iterations per second compare directly (x N = compressions/s).
    let mebibyte = (try? ByteList<1_048_576>(pseudoRandomBytes(1 << 20, seed: 9))) ?? ByteList()
    let listCompressions = compressions(chunks: 32768, limit: 32768) + 1
    let hashConfiguration = Benchmark.Configuration(metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .one)
    let pairs = pseudoRandomBytes(16 * 64, seed: 10)

    Benchmark("hashTreeRoot 1 MiB ByteList (\(listCompressions) compressions)", configuration: hashConfiguration) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(mebibyte.hashTreeRoot()) }
    }
    Benchmark("SHA256 one-shot 64-byte inputs x\(listCompressions) (reference)", configuration: hashConfiguration) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(referenceCompressions(listCompressions, pairs)) }
    }
    let transactionHashes = transactionCompressions(transaction)
    Benchmark("hashTreeRoot transaction (\(transactionHashes) compressions)", configuration: hashConfiguration) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(transaction.hashTreeRoot()) }
    }
    Benchmark("SHA256 one-shot 64-byte inputs x\(transactionHashes) (reference)", configuration: hashConfiguration) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(referenceCompressions(transactionHashes, pairs)) }
    }
}
