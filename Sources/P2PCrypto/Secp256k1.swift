import CSecp256k1

/// secp256k1 keys, ECDSA signatures (plain and recoverable) and ECDH, over libsecp256k1.
///
/// Every operation that takes attacker-controlled bytes validates them and throws a
/// ``Secp256k1/Error``; none traps. Operations that need a context take one as an argument
/// defaulting to ``Context/shared``.
public enum Secp256k1 {
    /// Length of a private key in bytes.
    public static let privateKeyByteCount = 32
    /// Length of a compressed public key (`02`/`03` prefix and x).
    public static let compressedPublicKeyByteCount = 33
    /// Length of an uncompressed public key (`04` prefix, x and y).
    public static let uncompressedPublicKeyByteCount = 65
    /// Length of the raw x‖y public key form (Ethereum node ids, discv4).
    public static let rawPublicKeyByteCount = 64
    /// Length of a message digest that ECDSA signs.
    public static let digestByteCount = 32
    /// Length of a compact r‖s signature.
    public static let compactSignatureByteCount = 64
    /// Length of a recoverable r‖s‖v signature.
    public static let recoverableSignatureByteCount = 65
    /// Upper bound on a DER-encoded signature.
    public static let maximumDERSignatureByteCount = 72
    /// Length of the ECDH shared secret this module returns (a compressed point).
    public static let sharedSecretByteCount = 33
}
