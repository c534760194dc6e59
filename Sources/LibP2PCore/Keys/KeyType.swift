/// The libp2p key types (`KeyType` enum of the keys protobuf).
public enum KeyType: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case rsa = 0
    case ed25519 = 1
    case secp256k1 = 2
    case ecdsa = 3

    public var description: String {
        switch self {
        case .rsa: "RSA"
        case .ed25519: "Ed25519"
        case .secp256k1: "Secp256k1"
        case .ecdsa: "ECDSA"
        }
    }
}
