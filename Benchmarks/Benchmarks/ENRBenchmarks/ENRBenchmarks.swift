import Benchmark
import Crypto
import ENR
import P2PCrypto
import RLP

// ENR decoding is dominated by one ECDSA verification and one Keccak-256 of the content: the
// references below measure exactly those two operations on the same record in the same run, so
// the overhead of parsing is the difference.
let benchmarks: @Sendable () -> Void = {
    let text = "enr:-IS4QHCYrYZbAKWCBRlAy5zzaDZXJBGkcnh4MHcBFZntXNFrdvJjX04jRzjzCBOonrkTfj499SZuOh8R33Ls8RRcy5wBgmlkgnY0gmlwhH8AAAGJc2VjcDI1NmsxoQPKY0yuDUmstAHYpMa2_oxVtw0RW_QAdpzBQA8yWM0xOIN1ZHCCdl8"
    guard let record = try? NodeRecord(text: text),
          let signature = try? Secp256k1.Signature(compactRepresentation: record.signature)
    else { fatalError("benchmark fixture: the EIP-778 example record must decode") }
    let rlp = record.rlpEncoding
    let digest = Keccak256.hash(record.signingContent)
    let publicKey = record.publicKey
    let threeHundredBytes = [UInt8]((0..<300).map { UInt8(truncatingIfNeeded: $0) })
    let fortyKilobytes = [UInt8]((0..<40_960).map { UInt8(truncatingIfNeeded: $0 &* 31) })

    let perSecond = Benchmark.Configuration(metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .kilo)

    Benchmark("ENR decode + verify (text)", configuration: perSecond) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try? NodeRecord(text: text)) }
    }
    Benchmark("ENR decode + verify (RLP)", configuration: perSecond) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try? NodeRecord(rlp: rlp)) }
    }
    Benchmark("secp256k1 verify (reference)", configuration: perSecond) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(publicKey.isValidSignature(signature, forDigest: digest)) }
    }
    Benchmark("keccak256 of 300 bytes (reference)", configuration: perSecond) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(Keccak256.hash(threeHundredBytes)) }
    }

    // Hash throughput on 40 KB: Keccak-256 (portable Swift) next to SHA-256 (swift-crypto /
    // BoringSSL, with hardware acceleration where available) as the reference.
    let throughput = Benchmark.Configuration(metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .one)
    Benchmark("Keccak-256 of 40 KB", configuration: throughput) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(Keccak256.hash(fortyKilobytes)) }
    }
    Benchmark("SHA-256 of 40 KB (reference)", configuration: throughput) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(SHA256.hash(data: fortyKilobytes)) }
    }

    // RLP decoding of an ENR-sized list (the example record, 134 bytes, 10 items).
    Benchmark("RLP decode ENR-sized list (tree)", configuration: perSecond) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try? RLP.decode(rlp)) }
    }
    Benchmark("RLP read ENR-sized list (zero-copy reader)", configuration: perSecond) { benchmark in
        for _ in benchmark.scaledIterations {
            guard var reader = try? RLPReader(list: rlp[...]) else { continue }
            var items = 0
            while !reader.isAtEnd, (try? reader.readEncodedItem()) != nil { items += 1 }
            blackHole(items)
        }
    }
    Benchmark("copy of the ENR-sized list bytes (reference)", configuration: perSecond) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(Array(rlp[...])) }
    }
}
