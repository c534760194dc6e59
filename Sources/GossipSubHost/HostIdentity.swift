import GossipSub
import LibP2P
import LibP2PCore
import Noise

/// A node's libp2p identity: its private key, used for the Noise handshake and, under
/// StrictSign, for signing published messages.
public struct HostIdentity: Sendable {
    /// The private key.
    public let key: PrivateKey

    /// Wraps an existing key.
    public init(key: PrivateKey) { self.key = key }

    /// A fresh Ed25519 identity.
    public static func ed25519(using generator: inout some RandomNumberGenerator) -> HostIdentity {
        HostIdentity(key: .generateEd25519(using: &generator))
    }

    /// A fresh secp256k1 identity.
    public static func secp256k1(using generator: inout some RandomNumberGenerator) -> HostIdentity {
        HostIdentity(key: .generateSecp256k1(using: &generator))
    }

    /// The peer id of the key.
    public var peerID: PeerID { key.peerID }

    /// A Noise configuration authenticating as this identity with a fresh static key.
    public func noiseConfiguration(using generator: inout some RandomNumberGenerator) throws(NoiseError)
        -> NoiseHandshake.Configuration {
        try LibP2PIdentity(privateKey: key, using: &generator).noiseConfiguration
    }

    /// The StrictSign policy with this identity as the author of own messages.
    public var strictSignPolicy: SignaturePolicy {
        .strictSign(signer: MessageSigner(key: key), verifier: MessageVerifier())
    }
}



/// Signs own messages under StrictSign: `from` is the peer id; `key` is left out because
/// Ed25519 and secp256k1 peer ids inline their public key.
struct MessageSigner: GossipMessageSigner {
    let key: PrivateKey
    var authorID: [UInt8] { key.peerID.multihashBytes }
    var publicKey: [UInt8]? { key.peerID.hasInlinePublicKey ? nil : key.publicKey.protobufEncoded }
    func sign(_ payload: [UInt8]) throws -> [UInt8] { try key.signature(for: payload) }
}

/// Verifies StrictSign messages: the key comes from `key` (which must match `from`) or is
/// inlined in the `from` peer id.
struct MessageVerifier: GossipMessageVerifier {
    func verify(payload: [UInt8], signature: [UInt8], from: [UInt8], key: [UInt8]?) -> Bool {
        guard let author = try? PeerID(multihashBytes: from) else { return false }
        let publicKey: PublicKey?
        if let key {
            guard let decoded = try? PublicKey(protobuf: key), author.matches(decoded) else { return false }
            publicKey = decoded
        } else {
            publicKey = try? author.inlinePublicKey()
        }
        guard let publicKey else { return false }
        return publicKey.isValidSignature(signature, for: payload)
    }
}
