/// Why bytes or text are not a peer id.
public enum PeerIDError: Error, Equatable, Sendable {
    /// The multihash is malformed.
    case invalidMultihash(MultihashError)
    /// A multihash other than identity (≤ 42 bytes) or a 32-byte sha2-256.
    case unsupportedMultihash(code: UInt64, length: Int)
    /// The text is neither a base58btc multihash nor a multibase CID.
    case invalidText(MultibaseError)
    /// The text is longer than ``PeerID/maxTextLength``.
    case textTooLong(Int)
    /// The CID is malformed or not version 1.
    case invalidCID(CIDError)
    /// A CID whose content type is not `libp2p-key` (0x72).
    case notLibp2pKey(codec: UInt64)
}
