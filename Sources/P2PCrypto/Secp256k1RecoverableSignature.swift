import CSecp256k1

extension Secp256k1 {
    /// An ECDSA signature with its recovery id, from which the signer's public key can be
    /// recovered given the digest.
    public struct RecoverableSignature: Sendable, Equatable {
        @usableFromInline var raw: secp256k1_ecdsa_recoverable_signature

        init(raw: secp256k1_ecdsa_recoverable_signature) {
            self.raw = raw
        }

        /// Parses the 65-byte form r ‖ s ‖ v with the recovery id v in `0...3`.
        public init<Bytes: Collection<UInt8>>(compactRepresentation bytes: Bytes) throws(Secp256k1.Error) {
            var raw = secp256k1_ecdsa_recoverable_signature()
            let status = try withContiguousBytesThrowing(bytes) { buffer throws(Secp256k1.Error) in
                guard buffer.count == Secp256k1.recoverableSignatureByteCount, let base = buffer.baseAddress else {
                    throw .invalidSignature
                }
                let recoveryID = buffer[64]
                guard recoveryID <= 3 else { throw .invalidRecoveryID }
                return secp256k1_ecdsa_recoverable_signature_parse_compact(
                    Context.shared.pointer, &raw, base.assumingMemoryBound(to: UInt8.self), Int32(recoveryID))
            }
            guard status == 1 else { throw .invalidSignature }
            self.raw = raw
        }

        /// The 65-byte form r ‖ s ‖ v (v in `0...3`).
        public var compactRepresentation: [UInt8] {
            var raw = self.raw
            var recoveryID: Int32 = 0
            var bytes = [UInt8](writing: Secp256k1.compactSignatureByteCount) { buffer in
                _ = secp256k1_ecdsa_recoverable_signature_serialize_compact(
                    Context.shared.pointer, buffer, &recoveryID, &raw)
                return Secp256k1.compactSignatureByteCount
            }
            bytes.append(UInt8(truncatingIfNeeded: recoveryID))
            return bytes
        }

        /// The recovery id v in `0...3`.
        public var recoveryID: Int {
            Int(compactRepresentation[64])
        }

        /// The plain signature (r, s) without the recovery id.
        public var signature: Signature {
            var raw = self.raw
            var plain = secp256k1_ecdsa_signature()
            _ = secp256k1_ecdsa_recoverable_signature_convert(Context.shared.pointer, &plain, &raw)
            return Signature(raw: plain)
        }

        /// The public key that produced this signature over the 32-byte `digest`.
        public func recoverPublicKey<Digest: Collection<UInt8>>(
            forDigest digest: Digest
        ) throws(Secp256k1.Error) -> PublicKey {
            var raw = self.raw
            var point = secp256k1_pubkey()
            let status = try withDigest(digest) { digest in
                secp256k1_ecdsa_recover(Context.shared.pointer, &point, &raw, digest)
            }
            guard status == 1 else { throw .recoveryFailed }
            return PublicKey(point: point)
        }

        /// Whether both signatures have the same 65-byte compact form r ‖ s ‖ recovery id.
        public static func == (lhs: RecoverableSignature, rhs: RecoverableSignature) -> Bool {
            lhs.compactRepresentation == rhs.compactRepresentation
        }
    }
}
