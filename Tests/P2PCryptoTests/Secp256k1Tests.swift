import Crypto
import Testing
@testable import P2PCrypto
import TestSupport

/// The group order n.
let groupOrder = hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")

/// Big-endian `a - b` for 32-byte values with a >= b.
func subtract(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: 32)
    var borrow = 0
    for i in stride(from: 31, through: 0, by: -1) {
        var d = Int(a[i]) - Int(b[i]) - borrow
        borrow = d < 0 ? 1 : 0
        if d < 0 { d += 256 }
        out[i] = UInt8(d)
    }
    return out
}

@Suite struct Secp256k1KeyTests {
    /// The EIP-778 example key and its compressed public key.
    @Test func eip778KeyDerivesKnownPublicKey() throws {
        let key = try Secp256k1.PrivateKey(rawRepresentation: hex("b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291"))
        #expect(hexString(key.publicKey.compressedRepresentation) == "03ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd3138")
        #expect(key.rawRepresentation == hex("b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291"))
    }

    @Test func privateKeyRejectsOutOfRangeScalars() {
        #expect(throws: Secp256k1.Error.invalidPrivateKey) { try Secp256k1.PrivateKey(rawRepresentation: [UInt8](repeating: 0, count: 32)) }
        #expect(throws: Secp256k1.Error.invalidPrivateKey) { try Secp256k1.PrivateKey(rawRepresentation: groupOrder) }
        #expect(throws: Secp256k1.Error.invalidPrivateKey) { try Secp256k1.PrivateKey(rawRepresentation: [UInt8](repeating: 0xff, count: 32)) }
        #expect(throws: Secp256k1.Error.invalidPrivateKey) { try Secp256k1.PrivateKey(rawRepresentation: [UInt8](repeating: 1, count: 31)) }
        #expect(throws: Secp256k1.Error.invalidPrivateKey) { try Secp256k1.PrivateKey(rawRepresentation: [UInt8]()) }
        #expect(throws: Secp256k1.Error.invalidPrivateKey) { try Secp256k1.PrivateKey(rawRepresentation: [UInt8](repeating: 1, count: 33)) }
        // n - 1 is the largest valid scalar.
        #expect(throws: Never.self) { try Secp256k1.PrivateKey(rawRepresentation: subtract(groupOrder, hex(String(repeating: "0", count: 62) + "01"))) }
    }

    @Test func generateIsDeterministicForASeededGenerator() {
        var a = SeededRandom(seed: 7)
        var b = SeededRandom(seed: 7)
        let first = Secp256k1.PrivateKey.generate(using: &a)
        #expect(first == Secp256k1.PrivateKey.generate(using: &b))
        #expect(first != Secp256k1.PrivateKey.generate(using: &a))
    }

    @Test func publicKeyFormsRoundTrip() throws {
        var rng = SeededRandom(seed: 3)
        for _ in 0..<20 {
            let key = Secp256k1.PrivateKey.generate(using: &rng).publicKey
            let compressed = key.compressedRepresentation
            let uncompressed = key.uncompressedRepresentation
            #expect(compressed.count == 33 && (compressed[0] == 2 || compressed[0] == 3))
            #expect(uncompressed.count == 65 && uncompressed[0] == 4)
            #expect(Array(uncompressed[1...32]) == Array(compressed[1...]))
            #expect(key.rawXYRepresentation == Array(uncompressed.dropFirst()))
            #expect(try Secp256k1.PublicKey(sec1: compressed) == key)
            #expect(try Secp256k1.PublicKey(sec1: uncompressed) == key)
            #expect(try Secp256k1.PublicKey(rawXY: key.rawXYRepresentation) == key)
            #expect(Set([key, try Secp256k1.PublicKey(sec1: uncompressed)]).count == 1)
        }
    }

    @Test func publicKeyRejectsMalformedInput() throws {
        let key = try Secp256k1.PrivateKey(rawRepresentation: hex("b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291")).publicKey
        let compressed = key.compressedRepresentation
        let uncompressed = key.uncompressedRepresentation
        var hybrid = uncompressed
        hybrid[0] = 0x06 | (uncompressed[64] & 1)
        var offCurve = uncompressed
        offCurve[64] ^= 1
        var wrongPrefix = compressed
        wrongPrefix[0] = 0x05
        let xAboveP = [UInt8(0x02)] + [UInt8](repeating: 0xff, count: 32)
        let bad: [[UInt8]] = [[], [0x02], Array(compressed.dropLast()), compressed + [0], hybrid, offCurve,
                              wrongPrefix, xAboveP, Array(uncompressed.dropFirst()), [0x04] + compressed.dropFirst()]
        for bytes in bad {
            #expect(throws: Secp256k1.Error.invalidPublicKey) { try Secp256k1.PublicKey(sec1: bytes) }
        }
        #expect(throws: Secp256k1.Error.invalidPublicKey) { try Secp256k1.PublicKey(rawXY: Array(offCurve.dropFirst())) }
        #expect(throws: Secp256k1.Error.invalidPublicKey) { try Secp256k1.PublicKey(rawXY: compressed) }
    }
}

@Suite struct Secp256k1SignatureTests {
    /// RFC 6979 with SHA-256 over secp256k1: private key 1, message "Satoshi Nakamoto"
    /// (the widely used Bitcoin deterministic-signing test vector).
    @Test func rfc6979KnownAnswer() throws {
        let key = try Secp256k1.PrivateKey(rawRepresentation: hex(String(repeating: "0", count: 63) + "1"))
        let signature = try key.signature(forSHA256Of: Array("Satoshi Nakamoto".utf8))
        #expect(hexString(signature.compactRepresentation) == "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d82442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5")
        #expect(hexString(signature.derRepresentation) == "3045022100934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d802202442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5")
    }

    @Test func signVerifyRoundTripsInBothEncodings() throws {
        var rng = SeededRandom(seed: 4)
        for _ in 0..<20 {
            let key = Secp256k1.PrivateKey.generate(using: &rng)
            let digest = rng.bytes(32)
            let signature = try key.signature(forDigest: digest)
            #expect(signature.isLowS)
            #expect(try key.signature(forDigest: digest) == signature, "RFC 6979 is deterministic")
            #expect(key.publicKey.isValidSignature(signature, forDigest: digest))
            #expect(key.publicKey.isValidSignature(compact: signature.compactRepresentation, forDigest: digest))
            #expect(key.publicKey.isValidSignature(der: signature.derRepresentation, forDigest: digest))
            #expect(!key.publicKey.isValidSignature(compact: signature.compactRepresentation.dropLast(), forDigest: digest))
            #expect(!key.publicKey.isValidSignature(der: signature.derRepresentation.dropFirst(), forDigest: digest))
            #expect(!"\(key)".contains(hexString(key.rawRepresentation)) && !"\(key)".contains("\(key.rawRepresentation)"))
            let compact = try Secp256k1.Signature(compactRepresentation: signature.compactRepresentation)
            let der = try Secp256k1.Signature(derRepresentation: signature.derRepresentation)
            #expect(compact == signature && der == signature)
            var other = digest
            other[0] ^= 1
            #expect(!key.publicKey.isValidSignature(signature, forDigest: other))
            #expect(!Secp256k1.PrivateKey.generate(using: &rng).publicKey.isValidSignature(signature, forDigest: digest))
        }
    }

    @Test func highSIsRejectedStrictlyAndAcceptedWhenNormalizing() throws {
        var rng = SeededRandom(seed: 5)
        let key = Secp256k1.PrivateKey.generate(using: &rng)
        let digest = rng.bytes(32)
        let low = try key.signature(forDigest: digest)
        let compact = low.compactRepresentation
        let high = try Secp256k1.Signature(compactRepresentation: Array(compact[0..<32]) + subtract(groupOrder, Array(compact[32...])))
        #expect(!high.isLowS)
        #expect(high.normalized == low)
        #expect(low.normalized == low)
        #expect(!key.publicKey.isValidSignature(high, forDigest: digest))
        #expect(!key.publicKey.isValidSignature(high, forDigest: digest, highS: .reject))
        #expect(key.publicKey.isValidSignature(high, forDigest: digest, highS: .normalize))
        // The libp2p path: DER over SHA-256 of the message, high-s accepted.
        let message = Array("libp2p".utf8)
        let signed = try key.signature(forSHA256Of: message)
        let signedCompact = signed.compactRepresentation
        let signedHigh = try Secp256k1.Signature(compactRepresentation: Array(signedCompact[0..<32]) + subtract(groupOrder, Array(signedCompact[32...])))
        #expect(key.publicKey.isValidDERSignature(signed.derRepresentation, forSHA256Of: message))
        #expect(key.publicKey.isValidDERSignature(signedHigh.derRepresentation, forSHA256Of: message))
        #expect(!key.publicKey.isValidDERSignature(signed.derRepresentation, forSHA256Of: Array("libp2q".utf8)))
        #expect(key.publicKey.isValidSignature(signed, forDigest: Array(SHA256.hash(data: message))))
    }

    @Test func malformedSignaturesAndDigestsAreRejected() throws {
        var rng = SeededRandom(seed: 6)
        let key = Secp256k1.PrivateKey.generate(using: &rng)
        let digest = rng.bytes(32)
        let signature = try key.signature(forDigest: digest)
        let der = signature.derRepresentation
        #expect(throws: Secp256k1.Error.invalidSignature) { try Secp256k1.Signature(compactRepresentation: [UInt8](repeating: 1, count: 63)) }
        #expect(throws: Secp256k1.Error.invalidSignature) { try Secp256k1.Signature(compactRepresentation: groupOrder + groupOrder) }
        #expect(throws: Secp256k1.Error.invalidSignature) { try Secp256k1.Signature(derRepresentation: [UInt8]()) }
        #expect(throws: Secp256k1.Error.invalidSignature) { try Secp256k1.Signature(derRepresentation: Array(der.dropLast())) }
        #expect(throws: Secp256k1.Error.invalidSignature) { try Secp256k1.Signature(derRepresentation: der + [0]) }
        #expect(throws: Secp256k1.Error.invalidSignature) { try Secp256k1.Signature(derRepresentation: [UInt8](repeating: 0x30, count: 200)) }
        #expect(!key.publicKey.isValidDERSignature([0x30, 0x00], forSHA256Of: [1, 2, 3]))
        #expect(throws: Secp256k1.Error.invalidDigestLength(31)) { try key.signature(forDigest: Array(digest.dropLast())) }
        #expect(throws: Secp256k1.Error.invalidDigestLength(33)) { try key.recoverableSignature(forDigest: digest + [0]) }
        #expect(!key.publicKey.isValidSignature(signature, forDigest: Array(digest.dropLast())))
    }

    @Test func randomizedContextSignsIdentically() throws {
        var rng = SeededRandom(seed: 8)
        let context = try Secp256k1.Context(randomizationSeed: rng.bytes(32))
        let key = Secp256k1.PrivateKey.generate(using: &rng)
        let digest = rng.bytes(32)
        #expect(try key.signature(forDigest: digest, context: context) == key.signature(forDigest: digest))
        #expect(key.publicKey(context: context) == key.publicKey)
        #expect(throws: Secp256k1.Error.invalidRandomizationSeed) { try Secp256k1.Context(randomizationSeed: [1, 2, 3]) }
        #expect(throws: Never.self) { try Secp256k1.Context(randomizationSeed: nil) }
    }
}

@Suite struct Secp256k1RecoveryTests {
    @Test func recoverableSignaturesRecoverTheSigner() throws {
        var rng = SeededRandom(seed: 9)
        for _ in 0..<20 {
            let key = Secp256k1.PrivateKey.generate(using: &rng)
            let digest = rng.bytes(32)
            let recoverable = try key.recoverableSignature(forDigest: digest)
            let bytes = recoverable.compactRepresentation
            #expect(bytes.count == 65 && recoverable.recoveryID == Int(bytes[64]) && bytes[64] <= 1)
            #expect(try recoverable.recoverPublicKey(forDigest: digest) == key.publicKey)
            #expect(recoverable.signature == (try key.signature(forDigest: digest)))
            #expect(Array(bytes[0..<64]) == recoverable.signature.compactRepresentation)
            let parsed = try Secp256k1.RecoverableSignature(compactRepresentation: bytes)
            #expect(parsed == recoverable)
            var otherDigest = digest
            otherDigest[5] ^= 0x40
            #expect((try? parsed.recoverPublicKey(forDigest: otherDigest)) != key.publicKey)
            var flipped = bytes
            flipped[64] ^= 1
            #expect((try? Secp256k1.RecoverableSignature(compactRepresentation: flipped).recoverPublicKey(forDigest: digest)) != key.publicKey)
        }
    }

    @Test func malformedRecoverableSignaturesAreRejected() throws {
        var rng = SeededRandom(seed: 10)
        let key = Secp256k1.PrivateKey.generate(using: &rng)
        let bytes = try key.recoverableSignature(forDigest: rng.bytes(32)).compactRepresentation
        var badID = bytes
        badID[64] = 4
        #expect(throws: Secp256k1.Error.invalidRecoveryID) { try Secp256k1.RecoverableSignature(compactRepresentation: badID) }
        #expect(throws: Secp256k1.Error.invalidSignature) { try Secp256k1.RecoverableSignature(compactRepresentation: Array(bytes.dropLast())) }
        #expect(throws: Secp256k1.Error.invalidSignature) { try Secp256k1.RecoverableSignature(compactRepresentation: groupOrder + groupOrder + [0]) }
        let zero = try Secp256k1.RecoverableSignature(compactRepresentation: [UInt8](repeating: 0, count: 65))
        #expect(throws: Secp256k1.Error.recoveryFailed) { try zero.recoverPublicKey(forDigest: rng.bytes(32)) }
        #expect(throws: Secp256k1.Error.invalidDigestLength(0)) { try zero.recoverPublicKey(forDigest: [UInt8]()) }
    }
}

@Suite struct Secp256k1ECDHTests {
    /// The discv5 specification's ECDH vector (discv5-theory, "Test vectors": ecdh).
    @Test func discv5ECDHVector() throws {
        let key = try Secp256k1.PrivateKey(rawRepresentation: hex("fb757dc581730490a1d7a00deea65e9b1936924caaea8f44d476014856b68736"))
        let peer = try Secp256k1.PublicKey(sec1: hex("039961e4c2356d61bedb83052c115d311acb3a96f5777296dcf297351130266231"))
        #expect(hexString(try key.sharedSecret(with: peer)) == "033b11a2a1f214567e1537ce5e509ffd9b21373247f2a3ff6841f4976f53165e7e")
    }

    @Test func sharedSecretIsSymmetricAndACompressedPoint() throws {
        var rng = SeededRandom(seed: 11)
        for _ in 0..<10 {
            let a = Secp256k1.PrivateKey.generate(using: &rng)
            let b = Secp256k1.PrivateKey.generate(using: &rng)
            let ab = try a.sharedSecret(with: b.publicKey)
            #expect(ab == (try b.sharedSecret(with: a.publicKey)))
            #expect(ab.count == 33)
            #expect(throws: Never.self) { try Secp256k1.PublicKey(sec1: ab) }
        }
    }
}
