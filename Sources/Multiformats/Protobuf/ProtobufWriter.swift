/// Builds protobuf wire-format bytes, field by field, in the order the caller writes them.
///
/// Writing fields in field-number order with minimal varints (the only kind this writer emits)
/// gives the deterministic encoding libp2p requires for keys and signed payloads.
public struct ProtobufWriter: Sendable {
    @usableFromInline var storage: [UInt8]

    /// The bytes written so far.
    @inlinable
    public var bytes: [UInt8] { storage }

    /// An empty writer with room for `capacity` bytes.
    @inlinable
    public init(capacity: Int = 0) {
        storage = []
        storage.reserveCapacity(capacity)
    }

    /// Writes a field key.
    @inlinable
    public mutating func writeTag(field: Int, wireType: ProtobufWireType) {
        UVarint.encode(UInt64(truncatingIfNeeded: field) << 3 | UInt64(wireType.rawValue), into: &storage)
    }

    /// Writes a varint field (`uint64`, `uint32`, `enum` with a non-negative value).
    @inlinable
    public mutating func writeVarint(_ value: UInt64, field: Int) {
        writeTag(field: field, wireType: .varint)
        UVarint.encode(value, into: &storage)
    }

    /// Writes an `int32`/`int64`/`enum` field; negative values take 10 bytes as protobuf specifies.
    @inlinable
    public mutating func writeInt64(_ value: Int64, field: Int) {
        writeVarint(UInt64(bitPattern: value), field: field)
    }

    /// Writes a `bool` field.
    @inlinable
    public mutating func writeBool(_ value: Bool, field: Int) {
        writeVarint(value ? 1 : 0, field: field)
    }

    /// Writes a `fixed64` field (little-endian).
    @inlinable
    public mutating func writeFixed64(_ value: UInt64, field: Int) {
        writeTag(field: field, wireType: .fixed64)
        withUnsafeBytes(of: value.littleEndian) { storage.append(contentsOf: $0) }
    }

    /// Writes a `fixed32` field (little-endian).
    @inlinable
    public mutating func writeFixed32(_ value: UInt32, field: Int) {
        writeTag(field: field, wireType: .fixed32)
        withUnsafeBytes(of: value.littleEndian) { storage.append(contentsOf: $0) }
    }

    /// Writes a `bytes` field.
    @inlinable
    public mutating func writeBytes(_ value: some Collection<UInt8>, field: Int) {
        writeTag(field: field, wireType: .lengthDelimited)
        UVarint.encode(UInt64(value.count), into: &storage)
        storage.append(contentsOf: value)
    }

    /// Writes a `string` field as UTF-8.
    @inlinable
    public mutating func writeString(_ value: String, field: Int) {
        writeBytes(value.utf8, field: field)
    }

    /// Writes an embedded message whose fields `body` writes, without an intermediate buffer:
    /// the length prefix is patched in once the body's size is known.
    @inlinable
    public mutating func writeMessage<E: Error>(
        field: Int, _ body: (inout ProtobufWriter) throws(E) -> Void
    ) throws(E) {
        writeTag(field: field, wireType: .lengthDelimited)
        let lengthIndex = storage.count
        storage.append(0)
        try body(&self)
        let length = storage.count - lengthIndex - 1
        let prefixLength = UVarint.encodedLength(UInt64(length))
        if prefixLength > 1 {
            storage.insert(contentsOf: repeatElement(0, count: prefixLength - 1), at: lengthIndex + 1)
        }
        var remaining = UInt64(length)
        for offset in 0..<prefixLength {
            let more = offset < prefixLength - 1
            storage[lengthIndex + offset] = UInt8(truncatingIfNeeded: remaining & 0x7f) | (more ? 0x80 : 0)
            remaining >>= 7
        }
    }

    /// Writes an embedded message of a known encoded `length` whose fields `body` writes: the
    /// length prefix goes first, so nothing is moved afterwards (``writeMessage(field:_:)``
    /// shifts the body when its prefix takes more than a byte). `body` must write exactly
    /// `length` bytes; ``lengthDelimitedSize(_:field:)`` helps compute it.
    @inlinable
    public mutating func writeMessage<E: Error>(
        field: Int, length: Int, _ body: (inout ProtobufWriter) throws(E) -> Void
    ) throws(E) {
        writeTag(field: field, wireType: .lengthDelimited)
        UVarint.encode(UInt64(length), into: &storage)
        let start = storage.count
        try body(&self)
        assert(storage.count - start == length, "writeMessage(field:length:): the body's size differs from its length")
    }

    /// The encoded size of a length-delimited field (`bytes`, `string`, embedded message) whose
    /// value takes `count` bytes: key, length prefix and value.
    @inlinable
    public static func lengthDelimitedSize(_ count: Int, field: Int) -> Int {
        UVarint.encodedLength(UInt64(truncatingIfNeeded: field) << 3 | UInt64(ProtobufWireType.lengthDelimited.rawValue))
            + UVarint.encodedLength(UInt64(count)) + count
    }

    /// Appends an unsigned varint with no field key (a length prefix of a stream frame).
    @inlinable
    public mutating func writeRawVarint(_ value: UInt64) {
        UVarint.encode(value, into: &storage)
    }

    /// Appends already-encoded fields verbatim.
    @inlinable
    public mutating func writeRaw(_ encoded: some Collection<UInt8>) {
        storage.append(contentsOf: encoded)
    }
}
