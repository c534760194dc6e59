import Benchmark
import Crypto
import LibP2P
import LibP2PCore
import Noise

// Connections, sans-IO: both endpoints in one process, bytes handed from one to the other with
// no socket in between, so the figures are the protocol stack's own cost (Noise framing and
// AEAD, yamux/mplex framing, flow control, copies) and not the kernel's. Each figure has a
// reference measured in the same run:
// - bulk throughput next to ChaCha20-Poly1305 (swift-crypto) sealing and opening the same bytes
//   in 64 KiB frames: the transfer must do exactly that much AEAD work (encrypt on the sender,
//   decrypt on the receiver), so the ratio is the overhead of everything else;
// - full upgrades (multistream-select, Noise XX with secp256k1 identities, muxer negotiation)
//   next to the public-key operations one upgrade needs: 2 X25519 key generations and 6 X25519
//   agreements (ee, es, se on each side), 2 secp256k1 signatures and 2 verifications.
let benchmarks: @Sendable () -> Void = {
    loopbackBenchmarks()
    let mebibyte = 1 << 20
    let chunk = [UInt8]((0..<(64 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })

    // One "iteration" of a throughput benchmark moves 1 MiB, so throughput reads as MiB/s.
    let perMiB = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .one, maxDuration: .seconds(3))

    for muxer in [MuxerProtocol.yamux, .mplex] {
        Benchmark("Noise + \(muxer == .yamux ? "yamux" : "mplex") one stream, 64 KiB writes, MiB (sans-IO)", configuration: perMiB) { benchmark in
            guard var pair = ConnectionPairs.BulkPair(muxer: muxer) else { fatalError("benchmark fixture: the upgrade must succeed") }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(pair.transfer(chunk, total: mebibyte))
            }
        }
    }

    Benchmark("ChaCha20-Poly1305 seal + open 64 KiB frames, MiB (reference)", configuration: perMiB) { benchmark in
        let key = SymmetricKey(size: .bits256)
        var counter: UInt64 = 0
        for _ in benchmark.scaledIterations {
            for _ in 0..<(mebibyte / chunk.count) {
                counter += 1
                var nonceBytes = [UInt8](repeating: 0, count: 12)
                withUnsafeBytes(of: counter.littleEndian) { nonceBytes.replaceSubrange(4..<12, with: $0) }
                guard let nonce = try? ChaChaPoly.Nonce(data: nonceBytes),
                      let sealed = try? ChaChaPoly.seal(chunk, using: key, nonce: nonce),
                      let opened = try? ChaChaPoly.open(sealed, using: key)
                else { fatalError("ChaCha20-Poly1305 round trip failed") }
                blackHole(opened)
            }
        }
    }

    let perUpgrade = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .one, maxDuration: .seconds(3))
    let dialer = BenchIdentity.secp256k1(seed: 1)
    let listener = BenchIdentity.secp256k1(seed: 2)

    Benchmark("Upgrade: multistream + Noise XX (secp256k1) + yamux, both sides (sans-IO)", configuration: perUpgrade) { benchmark in
        var rng = BenchRNG(state: 7)
        for _ in benchmark.scaledIterations {
            guard let pair = ConnectionPairs.upgrade(dialer: dialer, listener: listener, muxer: .yamux, rng: &rng)
            else { fatalError("upgrade failed") }
            blackHole(pair)
        }
    }

    Benchmark("2 X25519 keygen + 6 X25519 + 2 secp256k1 sign + 2 verify (reference)", configuration: perUpgrade) { benchmark in
        let message = Array("noise-libp2p-static-key:".utf8) + [UInt8](repeating: 9, count: 32)
        let staticA = Curve25519.KeyAgreement.PrivateKey()
        let staticB = Curve25519.KeyAgreement.PrivateKey()
        for _ in benchmark.scaledIterations {
            let ephemeralA = Curve25519.KeyAgreement.PrivateKey()
            let ephemeralB = Curve25519.KeyAgreement.PrivateKey()
            // ee, es, se on each side.
            blackHole(try? ephemeralA.sharedSecretFromKeyAgreement(with: ephemeralB.publicKey))
            blackHole(try? ephemeralB.sharedSecretFromKeyAgreement(with: ephemeralA.publicKey))
            blackHole(try? ephemeralA.sharedSecretFromKeyAgreement(with: staticB.publicKey))
            blackHole(try? staticB.sharedSecretFromKeyAgreement(with: ephemeralA.publicKey))
            blackHole(try? staticA.sharedSecretFromKeyAgreement(with: ephemeralB.publicKey))
            blackHole(try? ephemeralB.sharedSecretFromKeyAgreement(with: staticA.publicKey))
            guard let signatureA = try? dialer.key.signature(for: message),
                  let signatureB = try? listener.key.signature(for: message)
            else { fatalError("signing failed") }
            blackHole(dialer.key.publicKey.isValidSignature(signatureA, for: message))
            blackHole(listener.key.publicKey.isValidSignature(signatureB, for: message))
        }
    }
}
