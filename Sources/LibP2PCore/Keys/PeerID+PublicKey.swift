import Crypto
import Multiformats

extension PeerID {
    /// The peer id of `publicKey`: the identity multihash of its protobuf when that is at most
    /// `PeerID.maxInlineKeyLength` bytes, its sha2-256 multihash otherwise.
    public init(publicKey: PublicKey) {
        let encoded = publicKey.protobufEncoded
        var bytes = [UInt8]()
        bytes.reserveCapacity(44)
        if encoded.count <= PeerID.maxInlineKeyLength {
            bytes.append(UInt8(MultihashCode.identity.rawValue))
            bytes.append(UInt8(encoded.count))
            bytes.append(contentsOf: encoded)
        } else {
            bytes.append(UInt8(MultihashCode.sha2_256.rawValue))
            bytes.append(32)
            bytes.append(contentsOf: SHA256.hash(data: encoded))
        }
        self.init(validMultihashBytes: bytes)
    }

    /// The public key inlined in an identity peer id (`nil` for a sha2-256 peer id). The
    /// embedded key must be canonically encoded, so that `key.peerID == self`.
    public func inlinePublicKey() throws(KeyError) -> PublicKey? {
        guard hasInlinePublicKey else { return nil }
        return try PublicKey(protobuf: multihashBytes.dropFirst(2), encoding: .canonical)
    }

    /// Whether `publicKey` is the key this peer id was derived from.
    public func matches(_ publicKey: PublicKey) -> Bool { PeerID(publicKey: publicKey) == self }
}
