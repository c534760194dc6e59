/// The libp2p key types (`KeyType` enum of the keys protobuf).
public enum KeyType: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `RSA` (0): DER SubjectPublicKeyInfo keys, PKCS#1 v1.5 signatures over SHA-256.
    case rsa = 0
    /// `Ed25519` (1): 32-byte raw keys.
    case ed25519 = 1
    /// `Secp256k1` (2): SEC1 keys, ECDSA signatures over SHA-256.
    case secp256k1 = 2
    /// `ECDSA` (3): DER SubjectPublicKeyInfo keys on P-256, P-384 or P-521.
    case ecdsa = 3

    /// The type's name as libp2p writes it: `RSA`, `Ed25519`, `Secp256k1` or `ECDSA`.
    public var description: String {
        switch self {
        case .rsa: "RSA"
        case .ed25519: "Ed25519"
        case .secp256k1: "Secp256k1"
        case .ecdsa: "ECDSA"
        }
    }
}
