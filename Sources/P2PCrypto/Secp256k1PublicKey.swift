import CSecp256k1
import Crypto

extension Secp256k1 {
    /// A secp256k1 public key: a point on the curve, validated on construction.
    public struct PublicKey: Sendable, Hashable, CustomStringConvertible {
        @usableFromInline var point: secp256k1_pubkey

        init(point: secp256k1_pubkey) {
            self.point = point
        }

        /// Parses a SEC1 public key: 33 bytes compressed (`02`/`03` ‖ x) or 65 bytes
        /// uncompressed (`04` ‖ x ‖ y). The hybrid forms (`06`/`07`) are rejected.
        public init<Bytes: Collection<UInt8>>(sec1: Bytes) throws(Secp256k1.Error) {
            self.point = try withContiguousBytesThrowing(sec1) { buffer throws(Secp256k1.Error) in
                try PublicKey.parse(buffer)
            }
        }

        /// Parses the 64-byte x ‖ y form (an uncompressed key without its `04` prefix), as Ethereum
        /// node ids and discv4 carry keys.
        public init<Bytes: Collection<UInt8>>(rawXY: Bytes) throws(Secp256k1.Error) {
            guard rawXY.count == Secp256k1.rawPublicKeyByteCount else { throw .invalidPublicKey }
            let uncompressed: [UInt8] = [0x04] + Array(rawXY)
            self.point = try withContiguousBytesThrowing(uncompressed) { buffer throws(Secp256k1.Error) in
                try PublicKey.parse(buffer)
            }
        }

        private static func parse(_ buffer: UnsafeRawBufferPointer) throws(Secp256k1.Error) -> secp256k1_pubkey {
            switch (buffer.count, buffer.first) {
            case (Secp256k1.compressedPublicKeyByteCount, 0x02), (Secp256k1.compressedPublicKeyByteCount, 0x03),
                 (Secp256k1.uncompressedPublicKeyByteCount, 0x04):
                break
            default:
                throw .invalidPublicKey
            }
            var point = secp256k1_pubkey()
            guard let base = buffer.baseAddress,
                  secp256k1_ec_pubkey_parse(
                      Context.shared.pointer, &point, base.assumingMemoryBound(to: UInt8.self), buffer.count) == 1
            else { throw .invalidPublicKey }
            return point
        }

        /// The 33-byte compressed SEC1 form (`02`/`03` ‖ x).
        public var compressedRepresentation: [UInt8] {
            serialize(count: Secp256k1.compressedPublicKeyByteCount, flags: UInt32(SECP256K1_EC_COMPRESSED))
        }

        /// The 65-byte uncompressed SEC1 form (`04` ‖ x ‖ y).
        public var uncompressedRepresentation: [UInt8] {
            serialize(count: Secp256k1.uncompressedPublicKeyByteCount, flags: UInt32(SECP256K1_EC_UNCOMPRESSED))
        }

        /// The 64-byte x ‖ y form (uncompressed without the `04` prefix); Ethereum node ids are
        /// keccak256 of these bytes.
        public var rawXYRepresentation: [UInt8] {
            Array(uncompressedRepresentation.dropFirst())
        }

        private func serialize(count: Int, flags: UInt32) -> [UInt8] {
            var point = self.point
            return [UInt8](writing: count) { buffer in
                var length = count
                let status = secp256k1_ec_pubkey_serialize(Context.shared.pointer, buffer, &length, &point, flags)
                return status == 1 ? length : 0
            }
        }

        /// Whether `signature` is a valid ECDSA signature by this key over the 32-byte `digest`.
        ///
        /// libsecp256k1 accepts only low-s signatures. With ``HighSPolicy/reject`` (the default,
        /// what Ethereum, ENR and discv5 require) a high-s signature is invalid; with
        /// ``HighSPolicy/normalize`` it is first replaced by its low-s twin `(r, n − s)`, which
        /// accepts exactly what a non-malleability-checking verifier (go-libp2p's btcec, the
        /// Rust and JS libp2p secp256k1 keys) accepts. A digest of the wrong length is invalid.
        public func isValidSignature<Digest: Collection<UInt8>>(
            _ signature: Signature, forDigest digest: Digest, highS: HighSPolicy = .reject
        ) -> Bool {
            var raw: secp256k1_ecdsa_signature
            switch highS {
            case .reject: raw = signature.raw
            case .normalize: raw = signature.normalized.raw
            }
            var point = self.point
            let verified = try? withDigest(digest) { digest in
                secp256k1_ecdsa_verify(Context.shared.pointer, &raw, digest, &point) == 1
            }
            return verified ?? false
        }

        /// Whether the 64-byte compact signature r ‖ s is valid for this key over the 32-byte
        /// `digest`; malformed bytes are simply invalid. See ``isValidSignature(_:forDigest:highS:)``.
        public func isValidSignature<Bytes: Collection<UInt8>, Digest: Collection<UInt8>>(
            compact: Bytes, forDigest digest: Digest, highS: HighSPolicy = .reject
        ) -> Bool {
            guard let signature = try? Signature(compactRepresentation: compact) else { return false }
            return isValidSignature(signature, forDigest: digest, highS: highS)
        }

        /// Whether the DER-encoded signature is valid for this key over the 32-byte `digest`;
        /// malformed DER is simply invalid. See ``isValidSignature(_:forDigest:highS:)``.
        public func isValidSignature<Bytes: Collection<UInt8>, Digest: Collection<UInt8>>(
            der: Bytes, forDigest digest: Digest, highS: HighSPolicy = .reject
        ) -> Bool {
            guard let signature = try? Signature(derRepresentation: der) else { return false }
            return isValidSignature(signature, forDigest: digest, highS: highS)
        }

        /// Whether `der` is a valid DER-encoded signature by this key over SHA-256(`message`): the
        /// libp2p secp256k1 signature scheme. High-s signatures are normalized (accepted), as
        /// libp2p implementations do; malformed DER is invalid.
        public func isValidDERSignature<Signature: Collection<UInt8>, Message: Collection<UInt8>>(
            _ der: Signature, forSHA256Of message: Message
        ) -> Bool {
            guard let signature = try? Secp256k1.Signature(derRepresentation: der) else { return false }
            let digest = withContiguousBytes(message) { Array(SHA256.hash(data: $0)) }
            return isValidSignature(signature, forDigest: digest, highS: .normalize)
        }

        /// Whether both keys are the same curve point (whatever SEC1 form each was parsed from).
        public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool {
            var left = lhs.point
            var right = rhs.point
            return secp256k1_ec_pubkey_cmp(Context.shared.pointer, &left, &right) == 0
        }

        /// Hashes the compressed form, so equal points hash alike.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(compressedRepresentation)
        }

        /// The compressed form in hex.
        public var description: String {
            let digits = Array("0123456789abcdef".utf8)
            var text = [UInt8]()
            for byte in compressedRepresentation {
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 0x0f)])
            }
            return String(decoding: text, as: UTF8.self)
        }
    }

    /// How verification treats a high-s signature (s > n/2), the malleable twin of a low-s one.
    public enum HighSPolicy: Sendable, Equatable {
        /// Reject it (libsecp256k1's and Ethereum's rule).
        case reject
        /// Normalize it to low-s and verify that (libp2p's rule).
        case normalize
    }
}
