extension Secp256k1 {
    /// Why a secp256k1 operation refused its input.
    public enum Error: Swift.Error, Equatable, Sendable {
        /// A private key was not 32 bytes, or was zero or not below the group order.
        case invalidPrivateKey
        /// Public key bytes had the wrong length or prefix, or were not a point on the curve.
        case invalidPublicKey
        /// A digest was not 32 bytes.
        case invalidDigestLength(Int)
        /// Signature bytes had the wrong length, were not valid DER, or r/s were out of range.
        case invalidSignature
        /// A recovery id was not in `0...3`.
        case invalidRecoveryID
        /// No public key could be recovered from the signature and digest.
        case recoveryFailed
        /// A context randomization seed was not 32 bytes, or randomization failed.
        case invalidRandomizationSeed
        /// libsecp256k1 refused to sign or to multiply (only with an invalid key; not expected).
        case operationFailed
    }
}
