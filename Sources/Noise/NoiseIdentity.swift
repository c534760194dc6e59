/// The seam between the Noise handshake and libp2p identity keys: the local side signs its
/// Noise static key, the remote side's signature is checked by a verifier. LibP2PCore's key
/// types conform to these in a few lines.

/// The local libp2p identity, able to authenticate a Noise static key.
public protocol NoiseIdentitySigner: Sendable {
    /// The serialized libp2p `PublicKey` protobuf sent as `identity_key`.
    var identityKeyProtobuf: [UInt8] { get }
    /// Signs `message` with the identity private key, following libp2p's signing rules for
    /// the key type. Returns `nil` if signing failed.
    func sign(_ message: [UInt8]) -> [UInt8]?
}

/// Checks a remote peer's identity key and signature.
public protocol NoiseIdentityVerifier: Sendable {
    /// Verifies `signature` over `message` with the libp2p `PublicKey` protobuf `identityKey`
    /// and returns the peer id (multihash bytes) it derives, or `nil` if the key cannot be
    /// decoded or the signature is invalid.
    func verify(identityKey: [UInt8], signature: [UInt8], message: [UInt8]) -> [UInt8]?
}

/// The authenticated remote peer of a completed handshake.
public struct NoiseRemoteIdentity: Sendable, Equatable {
    /// The remote peer id (multihash bytes), as returned by the verifier.
    public var peerID: [UInt8]
    /// The remote's serialized libp2p `PublicKey` protobuf.
    public var identityKey: [UInt8]
    /// The remote's Noise static public key.
    public var noiseStaticKey: [UInt8]
    /// The remote's extensions (early data), available only now that it is authenticated.
    public var extensions: NoiseExtensions?
}

extension NoiseHandshakePayload {
    /// The bytes an identity key signs: `"noise-libp2p-static-key:" ‖ noiseStaticPublicKey`.
    public static func signedData(noiseStaticKey: [UInt8]) -> [UInt8] {
        Array("noise-libp2p-static-key:".utf8) + noiseStaticKey
    }
}
