/// Writes canonical RLP into one growing buffer.
///
/// Lists are written with ``appendList(_:)``: the elements are appended first and the list
/// header is then inserted in front of them, so no intermediate buffers are built.
public struct RLPEncoder: Sendable {
    /// The bytes written so far.
    @usableFromInline var storage: [UInt8]

    /// The bytes written so far.
    @inlinable public var bytes: [UInt8] { storage }

    /// An empty encoder with room for `capacity` bytes.
    public init(capacity: Int = 0) {
        storage = []
        storage.reserveCapacity(capacity)
    }

    /// Appends a byte string.
    @inlinable
    public mutating func appendBytes<Bytes: Collection<UInt8>>(_ payload: Bytes) {
        let count = payload.count
        if count == 1, let only = payload.first, only < 0x80 {
            storage.append(only)
            return
        }
        appendHeader(payloadCount: count, shortBase: 0x80)
        storage.append(contentsOf: payload)
    }

    /// Appends an unsigned integer as its minimal big-endian byte string (zero as `0x80`).
    @inlinable
    public mutating func appendUInt(_ value: UInt64) {
        if value != 0, value < 0x80 {
            storage.append(UInt8(value))
            return
        }
        let count = RLP.byteCount(value)
        storage.append(0x80 + UInt8(count))
        var shift = 8 * (count - 1)
        while shift >= 0 {
            storage.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
            shift -= 8
        }
    }

    /// Appends an already encoded item verbatim. The caller vouches that it is one canonical item.
    @inlinable
    public mutating func appendEncoded<Bytes: Collection<UInt8>>(_ encodedItem: Bytes) {
        storage.append(contentsOf: encodedItem)
    }

    /// Appends a list whose elements `body` appends.
    @inlinable
    public mutating func appendList<E: Error>(_ body: (inout RLPEncoder) throws(E) -> Void) throws(E) {
        let start = storage.count
        try body(&self)
        let payloadCount = storage.count - start
        if payloadCount <= 55 {
            storage.insert(0xc0 + UInt8(payloadCount), at: start)
        } else {
            let lengthCount = RLP.byteCount(UInt64(payloadCount))
            var header = [UInt8](repeating: 0, count: 1 + lengthCount)
            header[0] = 0xf7 + UInt8(lengthCount)
            for index in 0..<lengthCount {
                header[1 + index] = UInt8(truncatingIfNeeded: payloadCount >> (8 * (lengthCount - 1 - index)))
            }
            storage.insert(contentsOf: header, at: start)
        }
    }

    /// Appends an item tree.
    public mutating func append(_ item: RLPItem) {
        switch item {
        case .bytes(let payload):
            appendBytes(payload)
        case .list(let elements):
            // The payload size is known up front here, so write the header first.
            appendHeader(payloadCount: item.payloadCount, shortBase: 0xc0)
            for element in elements { append(element) }
        }
    }

    /// Appends the header of a list whose `payloadCount` bytes of encoded elements the caller
    /// appends next (with ``appendEncoded(_:)`` or the other `append` methods).
    @inlinable
    public mutating func appendListHeader(payloadCount: Int) {
        appendHeader(payloadCount: payloadCount, shortBase: 0xc0)
    }

    /// Appends a string (`shortBase` 0x80) or list (0xc0) header for a payload of `payloadCount` bytes.
    @usableFromInline
    mutating func appendHeader(payloadCount: Int, shortBase: UInt8) {
        if payloadCount <= 55 {
            storage.append(shortBase + UInt8(payloadCount))
            return
        }
        let lengthCount = RLP.byteCount(UInt64(payloadCount))
        storage.append(shortBase + 55 + UInt8(lengthCount))
        var shift = 8 * (lengthCount - 1)
        while shift >= 0 {
            storage.append(UInt8(truncatingIfNeeded: payloadCount >> shift))
            shift -= 8
        }
    }
}
