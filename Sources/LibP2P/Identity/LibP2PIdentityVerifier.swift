import LibP2PCore
import Noise

/// Checks a remote's Noise identity with LibP2PCore keys: decodes the libp2p `PublicKey`
/// protobuf (any key type LibP2PCore reads, unknown protobuf fields skipped), verifies the
/// signature under that type's scheme and derives the peer id from the key.
public struct LibP2PIdentityVerifier: NoiseIdentityVerifier {
    /// Creates a verifier.
    public init() {}

    /// The peer id bytes of `identityKey` if `signature` over `message` verifies, else `nil`.
    public func verify(identityKey: [UInt8], signature: [UInt8], message: [UInt8]) -> [UInt8]? {
        guard let key = try? PublicKey(protobuf: identityKey), key.isValidSignature(signature, for: message) else {
            return nil
        }
        return key.peerID.multihashBytes
    }
}
