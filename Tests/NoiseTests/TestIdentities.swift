import Crypto
import Foundation
@testable import Noise

/// An Ed25519 libp2p identity for tests: `PublicKey{Type: Ed25519, Data: key}` protobuf, peer id
/// = identity multihash of that protobuf (as libp2p does for small keys).
struct TestEd25519Identity: NoiseIdentitySigner {
    let key: Curve25519.Signing.PrivateKey

    init(seed: UInt8) {
        // Deterministic keys for reproducible tests.
        key = (try? Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: seed, count: 32)))
            ?? Curve25519.Signing.PrivateKey()
    }

    var identityKeyProtobuf: [UInt8] { Self.protobuf(Array(key.publicKey.rawRepresentation)) }
    var peerID: [UInt8] { [0x00, UInt8(identityKeyProtobuf.count)] + identityKeyProtobuf }

    func sign(_ message: [UInt8]) -> [UInt8]? { try? Array(key.signature(for: message)) }

    static func protobuf(_ raw: [UInt8]) -> [UInt8] { [0x08, 0x01, 0x12, 0x20] + raw }
}

/// Verifies Ed25519 identities encoded as above.
struct TestEd25519Verifier: NoiseIdentityVerifier {
    func verify(identityKey: [UInt8], signature: [UInt8], message: [UInt8]) -> [UInt8]? {
        guard identityKey.count == 36, identityKey.prefix(4).elementsEqual([0x08, 0x01, 0x12, 0x20]),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: identityKey.dropFirst(4)),
              key.isValidSignature(signature, for: message)
        else { return nil }
        return [0x00, UInt8(identityKey.count)] + identityKey
    }
}

/// A signer whose signature is over the wrong data (as an attacker replaying another key's
/// signature would present).
struct WrongDataSigner: NoiseIdentitySigner {
    let inner: TestEd25519Identity
    var identityKeyProtobuf: [UInt8] { inner.identityKeyProtobuf }
    func sign(_ message: [UInt8]) -> [UInt8]? { inner.sign(message + [0]) }
}

