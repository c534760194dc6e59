import CSecp256k1

extension Secp256k1 {
    /// An ECDSA signature (r, s), parsed from or serialized to the compact r ‖ s form or DER.
    public struct Signature: Sendable, Equatable {
        @usableFromInline var raw: secp256k1_ecdsa_signature

        init(raw: secp256k1_ecdsa_signature) {
            self.raw = raw
        }

        /// Parses the 64-byte compact form r ‖ s (each 32 bytes big-endian, below the group order).
        public init<Bytes: Collection<UInt8>>(compactRepresentation bytes: Bytes) throws(Secp256k1.Error) {
            var raw = secp256k1_ecdsa_signature()
            let status = withContiguousBytes(bytes) { buffer in
                guard buffer.count == Secp256k1.compactSignatureByteCount, let base = buffer.baseAddress else {
                    return Int32(0)
                }
                return secp256k1_ecdsa_signature_parse_compact(
                    Context.shared.pointer, &raw, base.assumingMemoryBound(to: UInt8.self))
            }
            guard status == 1 else { throw .invalidSignature }
            self.raw = raw
        }

        /// Parses a strict DER `SEQUENCE { INTEGER r, INTEGER s }` (at most 72 bytes).
        public init<Bytes: Collection<UInt8>>(derRepresentation bytes: Bytes) throws(Secp256k1.Error) {
            var raw = secp256k1_ecdsa_signature()
            let status = withContiguousBytes(bytes) { buffer in
                guard buffer.count <= Secp256k1.maximumDERSignatureByteCount, let base = buffer.baseAddress else {
                    return Int32(0)
                }
                return secp256k1_ecdsa_signature_parse_der(
                    Context.shared.pointer, &raw, base.assumingMemoryBound(to: UInt8.self), buffer.count)
            }
            guard status == 1 else { throw .invalidSignature }
            self.raw = raw
        }

        /// The 64-byte compact form r ‖ s.
        public var compactRepresentation: [UInt8] {
            var raw = self.raw
            return [UInt8](writing: Secp256k1.compactSignatureByteCount) { buffer in
                _ = secp256k1_ecdsa_signature_serialize_compact(Context.shared.pointer, buffer, &raw)
                return Secp256k1.compactSignatureByteCount
            }
        }

        /// The DER encoding (70–72 bytes typically, at most 72).
        public var derRepresentation: [UInt8] {
            var raw = self.raw
            return [UInt8](writing: Secp256k1.maximumDERSignatureByteCount) { buffer in
                var length = Secp256k1.maximumDERSignatureByteCount
                let status = secp256k1_ecdsa_signature_serialize_der(Context.shared.pointer, buffer, &length, &raw)
                return status == 1 ? length : 0
            }
        }

        /// Whether s is at most n/2 (the form libsecp256k1 produces and requires when verifying).
        public var isLowS: Bool {
            var raw = self.raw
            // Returns 1 when the input was not normalized (high-s); passing no output only checks.
            return secp256k1_ecdsa_signature_normalize(Context.shared.pointer, nil, &raw) == 0
        }

        /// The low-s form of this signature: `(r, n − s)` when s is high, else itself.
        public var normalized: Signature {
            var raw = self.raw
            var output = secp256k1_ecdsa_signature()
            _ = secp256k1_ecdsa_signature_normalize(Context.shared.pointer, &output, &raw)
            return Signature(raw: output)
        }

        /// Whether both signatures have the same 64-byte compact form r ‖ s (a signature and its
        /// high-s twin are not equal).
        public static func == (lhs: Signature, rhs: Signature) -> Bool {
            lhs.compactRepresentation == rhs.compactRepresentation
        }
    }
}
