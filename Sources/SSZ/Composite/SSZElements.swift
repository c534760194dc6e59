/// Serialization, deserialization and merkleization shared by vectors, lists and progressive lists.
@usableFromInline
enum SSZElements {
    /// The serialized length of a homogeneous sequence.
    @inlinable
    static func encodedLength<Element: SSZEncodable>(_ elements: [Element]) -> Int {
        if let size = Element.sszFixedSize { return size * elements.count }
        var total = 0
        for element in elements { total += SSZConstants.offsetSize + element.sszEncodedLength }
        return total
    }

    /// Serializes a homogeneous sequence: elements back to back, or offsets then bodies.
    @inlinable
    static func encode<Element: SSZEncodable>(_ elements: [Element], into writer: inout SSZWriter) {
        if Element.sszFixedSize != nil {
            for element in elements { element.encodeSSZ(into: &writer) }
            return
        }
        var offset = SSZConstants.offsetSize * elements.count
        for element in elements {
            writer.writeOffset(offset)
            offset += element.sszEncodedLength
        }
        for element in elements { element.encodeSSZ(into: &writer) }
    }

    /// Deserializes a homogeneous sequence filling `bytes`, with `exactCount` (vectors) or at most
    /// `maxCount` elements. Reserves storage once, for a count that the input length bounds.
    @inlinable
    static func decode<Element: SSZDecodable>(
        _ bytes: UnsafeRawBufferPointer, exactCount: Int?, maxCount: Int?
    ) throws(SSZError) -> [Element] {
        if let exact = exactCount, exact <= 0 { throw .make(.illegalType) }
        let count: Int
        if let size = Element.sszFixedSize {
            guard size > 0, bytes.count % size == 0 else { throw .make(.wrongSize) }
            count = bytes.count / size
        } else if bytes.isEmpty {
            count = 0
        } else {
            guard bytes.count >= SSZConstants.offsetSize else { throw .make(.offsetOutOfBounds) }
            let first = Int(UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self)))
            guard first <= bytes.count else { throw .make(.offsetOutOfBounds) }
            guard first >= SSZConstants.offsetSize, first % SSZConstants.offsetSize == 0 else { throw .make(.misalignedOffsets) }
            count = first / SSZConstants.offsetSize
        }
        if let exact = exactCount, count != exact { throw .make(.wrongSize) }
        if let limit = maxCount, count > limit { throw .make(.limitExceeded) }

        var elements: [Element] = []
        elements.reserveCapacity(count)
        if let size = Element.sszFixedSize {
            for index in 0 ..< count {
                let slice = UnsafeRawBufferPointer(rebasing: bytes[index * size ..< (index + 1) * size])
                elements.append(try Element(sszBytes: slice))
            }
            return elements
        }
        var start = count * SSZConstants.offsetSize
        for index in 0 ..< count {
            let end: Int
            if index + 1 < count {
                end = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: (index + 1) * SSZConstants.offsetSize, as: UInt32.self)))
                guard end <= bytes.count else { throw .make(.offsetOutOfBounds) }
                guard end >= start else { throw .make(.offsetsOutOfOrder) }
            } else {
                end = bytes.count
            }
            elements.append(try Element(sszBytes: UnsafeRawBufferPointer(rebasing: bytes[start ..< end])))
            start = end
        }
        return elements
    }

    /// The number of chunks `count` elements take: packed for basic elements, one root each otherwise.
    @inlinable
    static func chunkCount<Element: SSZMerkleizable>(_ type: Element.Type, count: Int) -> Int {
        guard let size = Element.sszPackedSize else { return count }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: size)
        precondition(!overflow, "SSZ limit too large")
        return bytes / SSZConstants.chunkSize + (bytes % SSZConstants.chunkSize == 0 ? 0 : 1)
    }

    /// Writes the leaf chunks of the elements (packed serialization, or roots) into `buffer`.
    @inlinable
    static func fillChunks<Element: SSZMerkleizable & SSZEncodable>(_ elements: [Element], _ buffer: UnsafeMutableRawBufferPointer) {
        if Element.sszPackedSize != nil {
            var writer = SSZWriter(buffer)
            for element in elements { element.encodeSSZ(into: &writer) }
        } else {
            let base = buffer.baseAddress.unsafelyUnwrapped
            for (index, element) in elements.enumerated() { element.hashTreeRoot().store(to: base + index * 32) }
        }
    }

    /// `merkleize(pack(elements) or roots, limit)` where `limit` counts elements.
    @inlinable
    static func merkleize<Element: SSZMerkleizable & SSZEncodable>(_ elements: [Element], limit: Int) -> SSZRoot {
        let chunks = chunkCount(Element.self, count: elements.count)
        return Merkleizer.merkleize(chunkCount: chunks, limit: chunkCount(Element.self, count: limit)) {
            fillChunks(elements, $0)
        }
    }

    /// `merkleize_progressive(pack(elements) or roots)`.
    @inlinable
    static func merkleizeProgressive<Element: SSZMerkleizable & SSZEncodable>(_ elements: [Element]) -> SSZRoot {
        let chunks = chunkCount(Element.self, count: elements.count)
        guard chunks > 0 else { return .zero }
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: chunks * 32, alignment: 16)
        defer { scratch.deallocate() }
        scratch.initializeMemory(as: UInt8.self, repeating: 0)
        fillChunks(elements, scratch)
        return Merkleizer.merkleizeProgressive(scratch.baseAddress.unsafelyUnwrapped, count: chunks)
    }
}
