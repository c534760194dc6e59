import CSecp256k1
import Crypto

extension Secp256k1 {
    /// A secp256k1 private key: a scalar in `1..<n`, validated on construction.
    ///
    /// Its `description` is redacted so that logging a key never prints it. Equality compares
    /// the scalars in variable time: do not use it where timing is observable by an attacker.
    public struct PrivateKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
        @usableFromInline let bytes: [UInt8]

        /// The key from its 32 big-endian bytes; throws ``Secp256k1/Error/invalidPrivateKey``
        /// when the length is wrong or the scalar is zero or not below the group order.
        public init<Bytes: Collection<UInt8>>(rawRepresentation: Bytes) throws(Secp256k1.Error) {
            let bytes = Array(rawRepresentation)
            guard bytes.count == Secp256k1.privateKeyByteCount,
                  bytes.withBase(orIfEmpty: false, {
                      secp256k1_ec_seckey_verify(Context.shared.pointer, $0) == 1
                  })
            else { throw .invalidPrivateKey }
            self.bytes = bytes
        }

        /// A fresh key drawn from `generator` (retrying in the negligible case of an invalid scalar).
        public static func generate(using generator: inout some RandomNumberGenerator) -> PrivateKey {
            while true {
                var candidate = [UInt8]()
                candidate.reserveCapacity(32)
                for _ in 0..<4 {
                    let word = generator.next()
                    withUnsafeBytes(of: word.bigEndian) { candidate.append(contentsOf: $0) }
                }
                if let key = try? PrivateKey(rawRepresentation: candidate) { return key }
            }
        }

        /// `Secp256k1.PrivateKey(<redacted>)`: never the key material.
        public var description: String { "Secp256k1.PrivateKey(<redacted>)" }
        /// The same redacted text as ``description``.
        public var debugDescription: String { description }

        /// The 32 big-endian bytes of the scalar.
        public var rawRepresentation: [UInt8] { bytes }

        /// The public key `d·G`.
        public func publicKey(context: Context = .shared) -> PublicKey {
            var point = secp256k1_pubkey()
            let status = bytes.withBase(orIfEmpty: 0) {
                secp256k1_ec_pubkey_create(context.pointer, &point, $0)
            }
            // The scalar was validated on construction, so creation cannot fail.
            precondition(status == 1, "secp256k1_ec_pubkey_create rejected a validated key")
            return PublicKey(point: point)
        }

        /// The public key `d·G`, using the shared context.
        public var publicKey: PublicKey { publicKey(context: .shared) }

        /// An ECDSA signature over a 32-byte `digest`: RFC 6979 deterministic nonce, low-s.
        public func signature<Digest: Collection<UInt8>>(
            forDigest digest: Digest, context: Context = .shared
        ) throws(Secp256k1.Error) -> Signature {
            var signature = secp256k1_ecdsa_signature()
            let status = try withDigest(digest) { digest in
                bytes.withBase(orIfEmpty: 0) { key in
                    secp256k1_ecdsa_sign(context.pointer, &signature, digest, key, nil, nil)
                }
            }
            guard status == 1 else { throw .operationFailed }
            return Signature(raw: signature)
        }

        /// An ECDSA signature over SHA-256(`message`), as libp2p signs with secp256k1 keys
        /// (serialize it with ``Signature/derRepresentation``).
        public func signature<Message: Collection<UInt8>>(
            forSHA256Of message: Message, context: Context = .shared
        ) throws(Secp256k1.Error) -> Signature {
            let digest = withContiguousBytes(message) { Array(SHA256.hash(data: $0)) }
            return try signature(forDigest: digest, context: context)
        }

        /// A recoverable ECDSA signature over a 32-byte `digest` (RFC 6979, low-s).
        public func recoverableSignature<Digest: Collection<UInt8>>(
            forDigest digest: Digest, context: Context = .shared
        ) throws(Secp256k1.Error) -> RecoverableSignature {
            var signature = secp256k1_ecdsa_recoverable_signature()
            let status = try withDigest(digest) { digest in
                bytes.withBase(orIfEmpty: 0) { key in
                    secp256k1_ecdsa_sign_recoverable(context.pointer, &signature, digest, key, nil, nil)
                }
            }
            guard status == 1 else { throw .operationFailed }
            return RecoverableSignature(raw: signature)
        }

        /// The ECDH shared secret with `publicKey`: the point `d·Q` in its 33-byte compressed form
        /// (`02`/`03` ‖ x), unhashed, as discv5 uses it (`ecdh(pubkey, privkey)` in the spec).
        public func sharedSecret(with publicKey: PublicKey) throws(Secp256k1.Error) -> [UInt8] {
            var point = publicKey.point
            var status: Int32 = 0
            let output = [UInt8](writing: Secp256k1.sharedSecretByteCount) { out in
                status = bytes.withBase(orIfEmpty: 0) { key in
                    // ECDH uses constant-time multiplication, which needs no precomputed tables:
                    // the shared context suffices.
                    secp256k1_ecdh(
                        Context.shared.pointer, out, &point, key, compressedPointHash, nil)
                }
                return Secp256k1.sharedSecretByteCount
            }
            guard status == 1 else { throw .operationFailed }
            return output
        }
    }
}

/// The `secp256k1_ecdh` hash callback that writes the shared point in compressed form instead of
/// hashing it: `output` receives `02 | (y & 1)` followed by the 32 bytes of x.
private let compressedPointHash: secp256k1_ecdh_hash_function = { output, x32, y32, _ in
    guard let output, let x32, let y32 else { return 0 }
    output[0] = 0x02 | (y32[31] & 1)
    (output + 1).update(from: x32, count: 32)
    return 1
}

/// Calls `body` with a pointer to a 32-byte digest, or throws when `digest` is not 32 bytes.
@inlinable
func withDigest<Digest: Collection<UInt8>, R>(
    _ digest: Digest, _ body: (UnsafePointer<UInt8>) -> R
) throws(Secp256k1.Error) -> R {
    try withContiguousBytesThrowing(digest) { buffer throws(Secp256k1.Error) in
        guard buffer.count == Secp256k1.digestByteCount, let base = buffer.baseAddress else {
            throw .invalidDigestLength(buffer.count)
        }
        return body(base.assumingMemoryBound(to: UInt8.self))
    }
}
