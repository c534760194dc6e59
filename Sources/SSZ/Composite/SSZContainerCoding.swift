/// Where one field of a container lies in its serialization, as found while reading the fixed part.
public struct SSZFieldSlot: Sendable {
    /// The first byte of the field (its offset, for a variable-size field).
    public let start: Int
    /// The field's size when fixed-size; `nil` for a variable-size field (which ends where the next variable field starts).
    public let fixedSize: Int?

    @inlinable
    init(start: Int, fixedSize: Int?) {
        self.start = start
        self.fixedSize = fixedSize
    }
}

/// Reads a container's fixed part (fields and offsets) and validates its offsets.
///
/// Used by the code that `@SSZContainer` and `@SSZProgressiveContainer` generate: first
/// ``field(_:)`` for every field in order, then ``finish()``, then ``decode(_:_:end:)`` for the
/// fields from last to first (so each variable-size field knows where it ends).
public struct SSZContainerDecoder {
    @usableFromInline let bytes: UnsafeRawBufferPointer
    @usableFromInline let fixedPartLength: Int
    @usableFromInline var position = 0
    @usableFromInline var lastOffset: Int?

    /// Starts reading `bytes`, whose fixed part is `fixedPartLength` bytes.
    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer, fixedPartLength: Int) throws(SSZError) {
        guard bytes.count >= fixedPartLength else { throw .make(.wrongSize) }
        self.bytes = bytes
        self.fixedPartLength = fixedPartLength
    }

    /// Reads the next field's slot from the fixed part, checking offsets as they come.
    @inlinable
    public mutating func field<T: SSZDecodable>(_ type: T.Type) throws(SSZError) -> SSZFieldSlot {
        if let size = T.sszFixedSize {
            defer { position += size }
            return SSZFieldSlot(start: position, fixedSize: size)
        }
        let offset = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
        position += SSZConstants.offsetSize
        if let last = lastOffset {
            guard offset >= last else { throw .make(.offsetsOutOfOrder) }
        } else {
            guard offset == fixedPartLength else { throw .make(.firstOffsetMismatch) }
        }
        guard offset <= bytes.count else { throw .make(.offsetOutOfBounds) }
        lastOffset = offset
        return SSZFieldSlot(start: offset, fixedSize: nil)
    }

    /// Checks the scope once every field was read: without variable-size fields, no bytes may follow.
    @inlinable
    public func finish() throws(SSZError) {
        if lastOffset == nil, bytes.count != fixedPartLength { throw .make(.wrongSize) }
    }

    /// The end of the scope, where the last variable-size field ends.
    @inlinable public var end: Int { bytes.count }

    /// Decodes a field from its slot. For a variable-size field, `end` is where it ends, and becomes its start.
    @inlinable
    public func decode<T: SSZDecodable>(_ type: T.Type, _ slot: SSZFieldSlot, end: inout Int) throws(SSZError) -> T {
        if let size = slot.fixedSize {
            return try T(sszBytes: UnsafeRawBufferPointer(rebasing: bytes[slot.start ..< slot.start + size]))
        }
        let value = try T(sszBytes: UnsafeRawBufferPointer(rebasing: bytes[slot.start ..< end]))
        end = slot.start
        return value
    }
}

extension SSZWriter {
    /// Writes a container field's fixed-part entry: the value itself, or the offset of its variable part.
    @inlinable
    public mutating func writeFixedPart<T: SSZEncodable>(of value: T, variableOffset: inout Int) {
        if T.sszFixedSize != nil {
            value.encodeSSZ(into: &self)
        } else {
            writeOffset(variableOffset)
            variableOffset += value.sszEncodedLength
        }
    }

    /// Writes a container field's variable part (nothing for a fixed-size field).
    @inlinable
    public mutating func writeVariablePart<T: SSZEncodable>(of value: T) {
        if T.sszFixedSize == nil { value.encodeSSZ(into: &self) }
    }
}

extension SSZEncodable {
    /// The bytes the value adds to an enclosing container's variable part (0 when fixed-size).
    @inlinable
    public var sszVariablePartLength: Int { Self.sszFixedSize == nil ? sszEncodedLength : 0 }
}

/// A container declared with `@SSZContainer` or `@SSZProgressiveContainer`.
public protocol SSZContainer: SSZType {
    /// The field names, in declaration (serialization) order.
    static var sszFieldNames: [String] { get }
    /// The `hash_tree_root` of every field, in declaration order.
    var sszFieldRoots: [SSZRoot] { get }
}

/// A container declared with `@SSZProgressiveContainer(activeFields:)`.
public protocol SSZProgressiveContainerType: SSZContainer {
    /// The `active_fields` configuration.
    static var sszActiveFields: [Bool] { get }
}

extension SSZProgressiveContainerType {
    /// The progressive container root: field roots placed at their active positions,
    /// `merkleize_progressive`, then `mix_in_active_fields`.
    public static func progressiveRoot(fieldRoots: [SSZRoot]) -> SSZRoot {
        var chunks = [SSZRoot](repeating: .zero, count: sszActiveFields.count)
        var next = 0
        for (position, active) in sszActiveFields.enumerated() where active && next < fieldRoots.count {
            chunks[position] = fieldRoots[next]
            next += 1
        }
        return Merkleizer.mixInActiveFields(Merkleizer.merkleizeProgressive(chunks), sszActiveFields)
    }
}
