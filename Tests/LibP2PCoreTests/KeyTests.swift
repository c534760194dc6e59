import Testing
@testable import LibP2PCore
@testable import Multiformats
import TestSupport

@Suite struct KeyTests {
    @Test func generatedKeysSignVerifyAndRoundTrip() throws {
        var random = SeededRandom(state: 42)
        for key in [PrivateKey.generateEd25519(using: &random), PrivateKey.generateSecp256k1(using: &random)] {
            let message = Array("hello libp2p".utf8)
            let signature = try key.signature(for: message)
            #expect(key.publicKey.isValidSignature(signature, for: message))
            #expect(!key.publicKey.isValidSignature(signature, for: Array("hello libp2q".utf8)))
            let reloaded = try PrivateKey(protobuf: key.protobufEncoded, encoding: .canonical)
            #expect(reloaded.publicKey == key.publicKey)
            let publicKey = try PublicKey(protobuf: key.publicKey.protobufEncoded, encoding: .canonical)
            #expect(publicKey == key.publicKey)
            // Both key types inline their key in the peer id.
            #expect(key.peerID.hasInlinePublicKey)
            #expect(try key.peerID.inlinePublicKey() == key.publicKey)
        }
    }

    @Test func generationIsDeterministicInTheGenerator() {
        var first = SeededRandom(state: 7)
        var second = SeededRandom(state: 7)
        #expect(PrivateKey.generateEd25519(using: &first).publicKey == PrivateKey.generateEd25519(using: &second).publicKey)
        #expect(PrivateKey.generateSecp256k1(using: &first).publicKey
            == PrivateKey.generateSecp256k1(using: &second).publicKey)
        #expect(PrivateKey.generateEd25519(using: &first).publicKey != PrivateKey.generateEd25519(using: &first).publicKey)
    }

    @Test func ed25519LegacyNinetySixByteForm() throws {
        var random = SeededRandom(state: 3)
        let key = PrivateKey.generateEd25519(using: &random)
        let data = Array(key.protobufEncoded.dropFirst(4))  // 08 01 12 40 || 64 bytes
        #expect(data.count == 64)
        let legacy = data + data[32...]
        let loaded = try PrivateKey(type: .ed25519, data: legacy)
        #expect(loaded.publicKey == key.publicKey)
        #expect(loaded.protobufEncoded == key.protobufEncoded)  // re-encoded in the 64-byte form
        var mismatched = legacy
        mismatched[95] ^= 1
        #expect(throws: KeyError.mismatchedPublicKey) { try PrivateKey(type: .ed25519, data: mismatched) }
        var wrongPublic = data
        wrongPublic[63] ^= 1
        #expect(throws: KeyError.mismatchedPublicKey) { try PrivateKey(type: .ed25519, data: wrongPublic) }
    }

    @Test func lenientAndCanonicalDecoding() throws {
        var random = SeededRandom(state: 9)
        let key = PrivateKey.generateSecp256k1(using: &random).publicKey
        let canonical = key.protobufEncoded
        // Fields swapped: accepted leniently (same key), refused canonically.
        var writer = ProtobufWriter()
        writer.writeBytes(key.data, field: 2)
        writer.writeVarint(2, field: 1)
        #expect(try PublicKey(protobuf: writer.bytes) == key)
        #expect(throws: KeyError.nonCanonicalEncoding) { try PublicKey(protobuf: writer.bytes, encoding: .canonical) }
        // An unknown field is skipped leniently, refused canonically.
        let extra = canonical + [0x18, 0x01]
        #expect(try PublicKey(protobuf: extra) == key)
        #expect(throws: KeyError.nonCanonicalEncoding) { try PublicKey(protobuf: extra, encoding: .canonical) }
        // A redundant varint for the type.
        let redundant = [0x08, 0x82, 0x00] + canonical.dropFirst(2)
        #expect(try PublicKey(protobuf: redundant) == key)
        #expect(throws: KeyError.nonCanonicalEncoding) { try PublicKey(protobuf: redundant, encoding: .canonical) }
    }

    @Test func rejectsBadKeyProtobufs() throws {
        var random = SeededRandom(state: 11)
        let key = PrivateKey.generateEd25519(using: &random).publicKey
        let good = key.protobufEncoded
        // Unknown key type.
        #expect(throws: KeyError.unknownKeyType(7)) { try PublicKey(protobuf: [0x08, 0x07] + good.dropFirst(2)) }
        // Type says secp256k1 but the data is an Ed25519 key (wrong length).
        #expect(throws: KeyError.invalidKeyData(.secp256k1)) { try PublicKey(protobuf: [0x08, 0x02] + good.dropFirst(2)) }
        // Wrong Ed25519 length.
        #expect(throws: KeyError.invalidKeyData(.ed25519)) { try PublicKey(type: .ed25519, data: [UInt8](repeating: 1, count: 31)) }
        // A secp256k1 point not on the curve.
        #expect(throws: KeyError.invalidKeyData(.secp256k1)) {
            try PublicKey(type: .secp256k1, data: [0x02] + [UInt8](repeating: 0xff, count: 32))
        }
        #expect(throws: KeyError.invalidKeyData(.secp256k1)) { try PrivateKey(type: .secp256k1, data: [UInt8](repeating: 0, count: 32)) }
        #expect(throws: KeyError.invalidKeyData(.ecdsa)) { try PublicKey(type: .ecdsa, data: [0x30, 0x00]) }
        #expect(throws: KeyError.invalidKeyData(.rsa)) { try PublicKey(type: .rsa, data: [0x30, 0x03, 0x02, 0x01, 0x01]) }
        // Missing fields, truncation, trailing garbage.
        #expect(throws: KeyError.protobuf(.missingField(2))) { try PublicKey(protobuf: [0x08, 0x01]) }
        #expect(throws: KeyError.protobuf(.missingField(1))) { try PublicKey(protobuf: good.dropFirst(2)) }
        #expect(throws: KeyError.protobuf(.truncated)) { try PublicKey(protobuf: good.dropLast()) }
        #expect(throws: KeyError.protobuf(.truncated)) { try PublicKey(protobuf: good + [0x12]) }
        #expect(throws: KeyError.protobuf(.wrongWireType(field: 2))) { try PublicKey(protobuf: [0x08, 0x01, 0x10, 0x01]) }
        #expect(throws: KeyError.tooLong(KeyEncoding.maxEncodedLength + 1)) {
            try PublicKey(protobuf: [UInt8](repeating: 0, count: KeyEncoding.maxEncodedLength + 1))
        }
        // Invalid DER signatures are simply invalid.
        #expect(!key.isValidSignature([], for: [1]))
        #expect(!key.isValidSignature([UInt8](repeating: 0, count: 64), for: [1]))
    }
}
