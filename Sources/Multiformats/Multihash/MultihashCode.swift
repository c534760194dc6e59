import Crypto

/// The hash functions a ``Multihash`` may name (multicodec table, tag `multihash`).
public enum MultihashCode: UInt64, Sendable, Hashable, CaseIterable {
    /// No hashing: the "digest" is the data itself.
    case identity = 0x00
    /// SHA-1, 20-byte digest.
    case sha1 = 0x11
    /// SHA-256, 32-byte digest (what peer ids of large keys use).
    case sha2_256 = 0x12
    /// SHA-512, 64-byte digest.
    case sha2_512 = 0x13
    /// SHA3-512, 64-byte digest.
    case sha3_512 = 0x14

    /// The multicodec name.
    public var name: String {
        switch self {
        case .identity: "identity"
        case .sha1: "sha1"
        case .sha2_256: "sha2-256"
        case .sha2_512: "sha2-512"
        case .sha3_512: "sha3-512"
        }
    }

    /// The full digest length in bytes (`nil` for identity, which has none).
    public var digestLength: Int? {
        switch self {
        case .identity: nil
        case .sha1: 20
        case .sha2_256: 32
        case .sha2_512: 64
        case .sha3_512: 64
        }
    }

    /// The full digest of `data` (for identity, `data` itself).
    public func digest(_ data: some Collection<UInt8>) -> [UInt8] {
        let bytes = Array(data)
        switch self {
        case .identity: return bytes
        case .sha1: return Array(Insecure.SHA1.hash(data: bytes))
        case .sha2_256: return Array(SHA256.hash(data: bytes))
        case .sha2_512: return Array(SHA512.hash(data: bytes))
        case .sha3_512: return Array(SHA3_512.hash(data: bytes))
        }
    }
}
