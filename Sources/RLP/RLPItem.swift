/// An RLP value: a byte string or a list of values (owned, decoded form).
///
/// Use ``RLPReader`` to read encoded input in place without building this tree.
public enum RLPItem: Sendable, Hashable {
    /// A byte string (integers are minimal big-endian strings).
    case bytes([UInt8])
    /// A list of items, possibly nested.
    case list([RLPItem])

    /// An unsigned integer as its minimal big-endian byte string (zero is the empty string).
    public static func uint(_ value: UInt64) -> RLPItem {
        .bytes(RLP.minimalBigEndian(value))
    }

    /// The payload when this is a byte string.
    public var bytesValue: [UInt8]? {
        if case .bytes(let bytes) = self { bytes } else { nil }
    }

    /// The elements when this is a list.
    public var listValue: [RLPItem]? {
        if case .list(let items) = self { items } else { nil }
    }

    /// The canonical encoding.
    public var encoded: [UInt8] {
        var encoder = RLPEncoder(capacity: encodedCount)
        encoder.append(self)
        return encoder.bytes
    }

    /// Length of the canonical encoding in bytes.
    public var encodedCount: Int {
        switch self {
        case .bytes(let bytes):
            if bytes.count == 1, bytes[0] < 0x80 { return 1 }
            return RLP.headerCount(payloadCount: bytes.count) + bytes.count
        case .list:
            let payload = payloadCount
            return RLP.headerCount(payloadCount: payload) + payload
        }
    }

    /// Length of a list's payload (the concatenated encodings of its elements).
    var payloadCount: Int {
        switch self {
        case .bytes(let bytes): bytes.count
        case .list(let items): items.reduce(0) { $0 + $1.encodedCount }
        }
    }
}
