/// SSZ `Vector[Element, count]`: exactly `count` elements (`count` must be at least 1).
public struct SSZVector<Element: SSZType, let count: Int>: RandomAccessCollection, MutableCollection, Sendable {
    /// The elements, always exactly `count` of them.
    public var elements: [Element] { _elements }
    @usableFromInline var _elements: [Element]

    /// A vector of `count` copies of `element`.
    @inlinable
    public init(repeating element: Element) { _elements = Array(repeating: element, count: Swift.max(count, 0)) }

    /// A vector of the given elements; throws ``SSZError/Code/wrongElementCount`` unless there are exactly `count`.
    @inlinable
    public init(_ elements: some Sequence<Element>) throws(SSZError) {
        let array = Array(elements)
        guard array.count == count else { throw .make(.wrongElementCount) }
        self._elements = array
    }

    /// Always 0.
    @inlinable public var startIndex: Int { 0 }
    /// The element count.
    @inlinable public var endIndex: Int { elements.count }
    /// Element `position`, which must be in `0..<count`; setting it keeps the count (always `count`).
    @inlinable public subscript(position: Int) -> Element {
        get { elements[position] }
        set { _elements[position] = newValue }
    }
}

extension SSZVector: Equatable where Element: Equatable {}
extension SSZVector: Hashable where Element: Hashable {}

extension SSZVector: SSZEncodable, SSZDecodable, SSZMerkleizable {
    /// `count` times the element size, or `nil` when `Element` is variable-size.
    @inlinable public static var sszFixedSize: Int? { Element.sszFixedSize.map { $0 * count } }
    /// The elements' sizes, plus a 4-byte offset per element when `Element` is variable-size.
    @inlinable public var sszEncodedLength: Int { SSZElements.encodedLength(elements) }
    /// Writes fixed-size elements back to back; variable-size ones as an offset table, then the bodies.
    @inlinable public func encodeSSZ(into writer: inout SSZWriter) { SSZElements.encode(elements, into: &writer) }

    /// Decodes exactly `count` elements filling the scope; throws ``SSZError/Code/wrongSize`` for
    /// another count, ``SSZError/Code/illegalType`` when `count` is 0, and the offset or element
    /// errors of malformed input.
    @inlinable
    public init(sszBytes bytes: UnsafeRawBufferPointer) throws(SSZError) {
        _elements = try SSZElements.decode(bytes, exactCount: count, maxCount: nil)
    }

    /// The packed basic elements (or the element roots) merkleized; no length mixed in.
    @inlinable
    public func hashTreeRoot() -> SSZRoot { SSZElements.merkleize(elements, limit: count) }
}
