import P2PCrypto
import RLP

/// Assembles the entries of a node record and signs it under the "v4" scheme.
///
/// `id` ("v4") and `secp256k1` (the signing key's compressed public key) are set when signing;
/// other entries are kept sorted by key, one value per key.
public struct NodeRecordBuilder: Sendable {
    /// The sequence number the signed record will carry.
    public var sequenceNumber: UInt64
    /// Entries sorted by key; values are raw RLP encodings.
    private var entries: [(key: [UInt8], encodedValue: [UInt8])]

    /// An empty builder.
    public init(sequenceNumber: UInt64 = 1) {
        self.sequenceNumber = sequenceNumber
        self.entries = []
    }

    /// A builder holding `record`'s entries and sequence number.
    public init(_ record: NodeRecord) {
        self.sequenceNumber = record.sequenceNumber
        self.entries = record.entries
    }

    /// The entries currently set, in key order.
    public var keys: [[UInt8]] { entries.map(\.key) }

    /// Sets `key` to an already encoded RLP value (a byte string or a list), which must be one
    /// canonical item.
    public mutating func set<Key: Collection<UInt8>>(key: Key, encodedValue: [UInt8]) throws(ENRError) {
        let name = String(decoding: Array(key), as: UTF8.self)
        do throws(RLPError) {
            try RLP.validate(encodedValue[...], limits: NodeRecord.rlpLimits)
        } catch {
            throw .invalidEntry(key: name)
        }
        let keyBytes = Array(key)
        switch entries.binarySearch(keyBytes) {
        case .found(let index): entries[index].encodedValue = encodedValue
        case .insertAt(let index): entries.insert((keyBytes, encodedValue), at: index)
        }
    }

    /// Sets `key` to the byte string `value`.
    public mutating func set<Value: Collection<UInt8>>(_ key: String, bytes value: Value) {
        var encoder = RLPEncoder(capacity: value.count + 3)
        encoder.appendBytes(value)
        setEncoded(Array(key.utf8), encoder.bytes)
    }

    /// Sets `key` to the unsigned integer `value` (minimal big-endian).
    public mutating func set(_ key: String, uint value: UInt64) {
        var encoder = RLPEncoder(capacity: 9)
        encoder.appendUInt(value)
        setEncoded(Array(key.utf8), encoder.bytes)
    }

    /// Removes `key` if present.
    public mutating func remove(_ key: String) {
        if case .found(let index) = entries.binarySearch(Array(key.utf8)) { entries.remove(at: index) }
    }

    private mutating func setEncoded(_ key: [UInt8], _ value: [UInt8]) {
        switch entries.binarySearch(key) {
        case .found(let index): entries[index].encodedValue = value
        case .insertAt(let index): entries.insert((key, value), at: index)
        }
    }

    /// Sets `ip` (4 bytes) or removes it (`nil`).
    public mutating func setIP(_ address: [UInt8]?) throws(ENRError) {
        try setAddress(ENRKey.ip, address, count: 4)
    }

    /// Sets `ip6` (16 bytes) or removes it (`nil`).
    public mutating func setIP6(_ address: [UInt8]?) throws(ENRError) {
        try setAddress(ENRKey.ip6, address, count: 16)
    }

    private mutating func setAddress(_ key: String, _ address: [UInt8]?, count: Int) throws(ENRError) {
        guard let address else { remove(key); return }
        guard address.count == count else { throw .invalidEntry(key: key) }
        set(key, bytes: address)
    }

    /// Sets the `tcp` port.
    public mutating func setTCP(_ port: UInt16) { set(ENRKey.tcp, uint: UInt64(port)) }
    /// Sets the `udp` port.
    public mutating func setUDP(_ port: UInt16) { set(ENRKey.udp, uint: UInt64(port)) }
    /// Sets the `tcp6` port.
    public mutating func setTCP6(_ port: UInt16) { set(ENRKey.tcp6, uint: UInt64(port)) }
    /// Sets the `udp6` port.
    public mutating func setUDP6(_ port: UInt16) { set(ENRKey.udp6, uint: UInt64(port)) }
    /// Sets the `aztec` chain id.
    public mutating func setAztecChainID(_ id: UInt64) { set(ENRKey.aztec, uint: id) }
    /// Sets the `eth` chain id.
    public mutating func setEthereumChainID(_ id: UInt64) { set(ENRKey.eth, uint: id) }
    /// Sets the `ng` topic discovery version (announcing a registrar).
    public mutating func setTopicDiscoveryVersion(_ version: UInt64) { set(ENRKey.topicDiscovery, uint: version) }

    /// Signs the record with `key` under "v4" (setting `id` and `secp256k1`) and returns it.
    /// Throws ``ENRError/recordTooLarge(_:)`` when the encoding exceeds 300 bytes.
    public func signed(with key: Secp256k1.PrivateKey, context: Secp256k1.Context = .shared) throws(ENRError) -> NodeRecord {
        var builder = self
        builder.set(ENRKey.id, bytes: Array("v4".utf8))
        builder.set(ENRKey.secp256k1, bytes: key.publicKey(context: context).compressedRepresentation)

        var content = RLPEncoder(capacity: NodeRecord.maximumEncodedByteCount)
        content.appendUInt(builder.sequenceNumber)
        for entry in builder.entries {
            content.appendBytes(entry.key)
            content.appendEncoded(entry.encodedValue)
        }
        let payloadFromSeq = content.bytes
        let digest = NodeRecord.contentHash(payloadFromSeq[...])
        let signature: [UInt8]
        do throws(Secp256k1.Error) {
            signature = try key.signature(forDigest: digest, context: context).compactRepresentation
        } catch {
            throw .signatureVerificationFailed
        }
        var record = RLPEncoder(capacity: payloadFromSeq.count + 70)
        record.appendList { signedRecord in
            signedRecord.appendBytes(signature)
            signedRecord.appendEncoded(payloadFromSeq)
        }
        guard record.bytes.count <= NodeRecord.maximumEncodedByteCount else {
            throw .recordTooLarge(record.bytes.count)
        }
        // Decoding re-checks every invariant (and the signature) of what was built.
        return try NodeRecord(rlp: record.bytes)
    }
}

extension NodeRecord {
    /// A new record with `change` applied to this one's entries, the sequence number incremented
    /// and signed with `key`.
    public func updated(
        signingWith key: Secp256k1.PrivateKey, context: Secp256k1.Context = .shared,
        _ change: (inout NodeRecordBuilder) throws(ENRError) -> Void
    ) throws(ENRError) -> NodeRecord {
        var builder = NodeRecordBuilder(self)
        try change(&builder)
        guard sequenceNumber < .max else { throw .invalidEntry(key: "seq") }
        builder.sequenceNumber = sequenceNumber + 1
        return try builder.signed(with: key, context: context)
    }
}

private enum SearchResult {
    case found(Int)
    case insertAt(Int)
}

extension Array where Element == (key: [UInt8], encodedValue: [UInt8]) {
    /// Binary search by key in an array sorted by key bytes.
    fileprivate func binarySearch(_ key: [UInt8]) -> SearchResult {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle].key == key { return .found(middle) }
            if self[middle].key.lexicographicallyPrecedes(key) { low = middle + 1 } else { high = middle }
        }
        return .insertAt(low)
    }
}
