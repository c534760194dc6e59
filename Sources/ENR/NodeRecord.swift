import P2PCrypto
import RLP

/// A verified Ethereum Node Record (EIP-778) under the "v4" identity scheme.
///
/// A value of this type always holds a canonical, at most 300-byte record whose keys are sorted
/// and unique and whose signature verified: decoding (``init(rlp:)``, ``init(text:)``) checks all
/// of that, and building goes through ``NodeRecordBuilder/signed(with:context:)``. Records
/// under other identity schemes are rejected with ``ENRError/unsupportedIdentityScheme(_:)``.
///
/// Values are kept as their raw RLP encodings, so keys this type does not interpret (and list
/// values such as `client`) are preserved byte for byte; ``rlpEncoding`` is exactly the decoded
/// input.
public struct NodeRecord: Sendable, Hashable, CustomStringConvertible {
    /// The maximum length of an encoded record.
    public static let maximumEncodedByteCount = 300
    /// The text form's prefix.
    public static let textPrefix = "enr:"

    /// RLP limits for records: the 300-byte size limit already bounds nesting and item count, so
    /// no legal record is refused by them.
    static let rlpLimits = RLPLimits(
        maximumDepth: maximumEncodedByteCount, maximumItemCount: maximumEncodedByteCount,
        maximumInputLength: maximumEncodedByteCount)

    /// The canonical RLP encoding `[signature, seq, k1, v1, ...]`.
    public let rlpEncoding: [UInt8]
    /// The sequence number.
    public let sequenceNumber: UInt64
    /// The record's public key (the `secp256k1` entry).
    public let publicKey: Secp256k1.PublicKey
    /// Ranges of ``rlpEncoding`` holding each key's payload and each value's whole encoding, in key order.
    @usableFromInline let entryRanges: [EntryRange]
    /// Range of ``rlpEncoding`` holding the 64-byte signature.
    @usableFromInline let signatureRange: Range<Int>

    @usableFromInline
    struct EntryRange: Sendable {
        @usableFromInline let key: Range<Int>
        @usableFromInline let value: Range<Int>
    }

    /// Decodes and verifies a record from its RLP encoding.
    public init(rlp: [UInt8]) throws(ENRError) {
        guard rlp.count <= Self.maximumEncodedByteCount else { throw .recordTooLarge(rlp.count) }
        var reader = try rlpStep { () throws(RLPError) in
            try RLPReader(list: rlp[...], limits: NodeRecord.rlpLimits)
        }
        guard !reader.isAtEnd else { throw .missingField }
        let signatureBytes = try rlpStep { () throws(RLPError) in try reader.readBytes() }
        let signatureRange = signatureBytes.startIndex..<signatureBytes.endIndex
        guard !reader.isAtEnd else { throw .missingField }
        let seqStart = reader.position
        let sequenceNumber = try rlpStep { () throws(RLPError) in try reader.readUInt64() }
        var entries = [EntryRange]()
        entries.reserveCapacity(8)
        var scheme: ArraySlice<UInt8>?
        var keyBytes: ArraySlice<UInt8>?
        var previousKey: ArraySlice<UInt8>?
        while !reader.isAtEnd {
            let key = try rlpStep { () throws(RLPError) in try reader.readBytes() }
            if let previousKey {
                if previousKey.elementsEqual(key) { throw .duplicateKey(Array(key)) }
                guard previousKey.lexicographicallyPrecedes(key) else { throw .keysNotSorted }
            }
            guard !reader.isAtEnd else { throw .missingField }
            let value = try rlpStep { () throws(RLPError) in try reader.readEncodedItem() }
            entries.append(EntryRange(key: key.startIndex..<key.endIndex, value: value.startIndex..<value.endIndex))
            if key.elementsEqual("id".utf8) { scheme = value }
            if key.elementsEqual("secp256k1".utf8) { keyBytes = value }
            previousKey = key
        }
        // Identity scheme "v4": the id must be the string "v4" (encoded 82 76 34).
        guard let scheme else { throw .missingIdentityScheme }
        guard scheme.elementsEqual([0x82, 0x76, 0x34]) else { throw .unsupportedIdentityScheme(Array(scheme)) }
        guard let keyBytes, keyBytes.count == 34, keyBytes.first == 0x80 + 33,
              let publicKey = try? Secp256k1.PublicKey(sec1: keyBytes.dropFirst())
        else { throw .invalidPublicKey }
        guard signatureRange.count == Secp256k1.compactSignatureByteCount,
              let signature = try? Secp256k1.Signature(compactRepresentation: rlp[signatureRange])
        else { throw .invalidSignatureEncoding }
        let digest = NodeRecord.contentHash(rlp[seqStart...])
        // Strict like go-ethereum's v4 scheme: a high-s (malleable) signature is rejected.
        guard publicKey.isValidSignature(signature, forDigest: digest, highS: .reject) else {
            throw .signatureVerificationFailed
        }
        self.rlpEncoding = rlp
        self.sequenceNumber = sequenceNumber
        self.publicKey = publicKey
        self.entryRanges = entries
        self.signatureRange = signatureRange
    }

    /// Decodes and verifies a record from its text form `enr:<unpadded base64url of the RLP>`.
    public init(text: String) throws(ENRError) {
        var utf8 = Substring(text).utf8
        // 300 bytes of RLP are 400 base64 characters.
        guard utf8.count <= Self.textPrefix.utf8.count + 400, utf8.starts(with: Self.textPrefix.utf8) else {
            throw .invalidText
        }
        utf8 = utf8.dropFirst(Self.textPrefix.utf8.count)
        guard let rlp = Base64URL.decode(utf8) else { throw .invalidText }
        try self.init(rlp: rlp)
    }

    /// keccak256 of the signed content `rlp([seq, k1, v1, ...])`, given the record's list payload
    /// from `seq` on: the content is that payload under a new list header.
    static func contentHash(_ payloadFromSeq: ArraySlice<UInt8>) -> [UInt8] {
        var header = RLPEncoder(capacity: 3)
        header.appendListHeader(payloadCount: payloadFromSeq.count)
        var hasher = Keccak256()
        hasher.update(header.bytes)
        hasher.update(payloadFromSeq)
        return hasher.finalize()
    }

    /// The text form `enr:` + unpadded base64url of ``rlpEncoding``.
    public var textEncoding: String { Self.textPrefix + Base64URL.encode(rlpEncoding) }

    /// The text form, ``textEncoding``.
    public var description: String { textEncoding }

    /// The 64-byte signature r ‖ s.
    public var signature: [UInt8] { Array(rlpEncoding[signatureRange]) }

    /// The signed content `rlp([seq, k1, v1, ...])`.
    public var signingContent: [UInt8] {
        let payloadFromSeq = rlpEncoding[signatureRange.upperBound...]
        var encoder = RLPEncoder(capacity: payloadFromSeq.count + 3)
        encoder.appendListHeader(payloadCount: payloadFromSeq.count)
        encoder.appendEncoded(payloadFromSeq)
        return encoder.bytes
    }

    /// The node id: keccak256 of the 64-byte uncompressed public key x ‖ y.
    public var nodeID: [UInt8] { Keccak256.hash(publicKey.rawXYRepresentation) }

    /// The keys in order.
    public var keys: [[UInt8]] { entryRanges.map { Array(rlpEncoding[$0.key]) } }

    /// The key/value pairs in key order; each value is its raw RLP encoding.
    public var entries: [(key: [UInt8], encodedValue: [UInt8])] {
        entryRanges.map { (Array(rlpEncoding[$0.key]), Array(rlpEncoding[$0.value])) }
    }

    /// The raw RLP encoding of the value of `key`, or `nil` when the record has no such key.
    public func encodedValue<Key: Collection<UInt8>>(forKey key: Key) -> ArraySlice<UInt8>? {
        // Few entries: a linear scan beats building an index.
        for range in entryRanges where rlpEncoding[range.key].elementsEqual(key) {
            return rlpEncoding[range.value]
        }
        return nil
    }

    /// The raw RLP encoding of the value of `key`, or `nil` when absent.
    public func encodedValue(forKey key: String) -> ArraySlice<UInt8>? {
        encodedValue(forKey: Array(key.utf8))
    }

    /// Whether both records have the same RLP encoding (so the same signature and sequence number).
    public static func == (lhs: NodeRecord, rhs: NodeRecord) -> Bool {
        lhs.rlpEncoding == rhs.rlpEncoding
    }

    /// Hashes the RLP encoding, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(rlpEncoding)
    }
}

/// Runs an RLP step, reporting its failure as ``ENRError/malformedRLP(_:)``.
@inline(__always)
func rlpStep<T>(_ body: () throws(RLPError) -> T) throws(ENRError) -> T {
    do throws(RLPError) {
        return try body()
    } catch {
        throw .malformedRLP(error)
    }
}
