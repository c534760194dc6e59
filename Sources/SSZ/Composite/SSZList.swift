/// SSZ `List[Element, limit]`: up to `limit` elements.
public struct SSZList<Element: SSZType, let limit: Int>: RandomAccessCollection, MutableCollection, Sendable {
    /// The elements, at most `limit` of them.
    public var elements: [Element] { _elements }
    @usableFromInline var _elements: [Element]

    /// The empty list.
    @inlinable
    public init() { _elements = [] }

    /// A list of the given elements; throws ``SSZError/Code/limitExceeded`` beyond `limit`.
    @inlinable
    public init(_ elements: some Sequence<Element>) throws(SSZError) {
        let array = Array(elements)
        guard array.count <= limit else { throw .make(.limitExceeded) }
        self._elements = array
    }

    /// Appends an element; throws ``SSZError/Code/limitExceeded`` when the list is full.
    @inlinable
    public mutating func append(_ element: Element) throws(SSZError) {
        guard elements.count < limit else { throw .make(.limitExceeded) }
        _elements.append(element)
    }

    /// Always 0.
    @inlinable public var startIndex: Int { 0 }
    /// The element count.
    @inlinable public var endIndex: Int { elements.count }
    /// Element `position`, which must be in `0..<count`; setting it keeps the count (so the limit holds).
    @inlinable public subscript(position: Int) -> Element {
        get { elements[position] }
        set { _elements[position] = newValue }
    }
}

extension SSZList: Equatable where Element: Equatable {}
extension SSZList: Hashable where Element: Hashable {}

extension SSZList: SSZEncodable, SSZDecodable, SSZMerkleizable {
    /// `nil`: a list is variable-size.
    @inlinable public static var sszFixedSize: Int? { nil }
    /// The elements' sizes, plus a 4-byte offset per element when `Element` is variable-size.
    @inlinable public var sszEncodedLength: Int { SSZElements.encodedLength(elements) }
    /// Writes fixed-size elements back to back; variable-size ones as an offset table, then the bodies.
    @inlinable public func encodeSSZ(into writer: inout SSZWriter) { SSZElements.encode(elements, into: &writer) }

    /// Decodes the elements filling the scope; throws ``SSZError/Code/limitExceeded`` for more than
    /// `limit`, and the offset, size or element errors of malformed input.
    @inlinable
    public init(sszBytes bytes: UnsafeRawBufferPointer) throws(SSZError) {
        _elements = try SSZElements.decode(bytes, exactCount: nil, maxCount: limit)
    }

    /// The packed basic elements (or the element roots) merkleized up to `limit` elements' worth
    /// of chunks, with the element count mixed in.
    @inlinable
    public func hashTreeRoot() -> SSZRoot {
        Merkleizer.mixInLength(SSZElements.merkleize(elements, limit: limit), elements.count)
    }
}
