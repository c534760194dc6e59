/// SSZ `ProgressiveList[Element]` (EIP-7916): a list without a limit, merkleized progressively
/// (subtrees of 1, 4, 16, ... chunks) so that roots stay stable as the list grows.
///
/// Decoding is bounded by the input: no more elements than the scope can hold.
public struct ProgressiveList<Element: SSZType>: RandomAccessCollection, MutableCollection, Sendable {
    /// The elements.
    public var elements: [Element]

    /// A list of the given elements.
    @inlinable
    public init(_ elements: some Sequence<Element>) { self.elements = Array(elements) }

    /// The empty list.
    @inlinable
    public init() { elements = [] }

    /// Always 0.
    @inlinable public var startIndex: Int { 0 }
    /// The element count.
    @inlinable public var endIndex: Int { elements.count }
    /// Element `position`, which must be in `0..<count`.
    @inlinable public subscript(position: Int) -> Element {
        get { elements[position] }
        set { elements[position] = newValue }
    }
}

extension ProgressiveList: Equatable where Element: Equatable {}
extension ProgressiveList: Hashable where Element: Hashable {}

extension ProgressiveList: SSZEncodable, SSZDecodable, SSZMerkleizable {
    /// `nil`: a progressive list is variable-size.
    @inlinable public static var sszFixedSize: Int? { nil }
    /// The elements' sizes, plus a 4-byte offset per element when `Element` is variable-size.
    @inlinable public var sszEncodedLength: Int { SSZElements.encodedLength(elements) }
    /// Serialized as an ordinary list: fixed-size elements back to back, or offsets then bodies.
    @inlinable public func encodeSSZ(into writer: inout SSZWriter) { SSZElements.encode(elements, into: &writer) }

    /// Decodes the elements filling the scope (as many as it holds); throws the offset, size or
    /// element errors of malformed input.
    @inlinable
    public init(sszBytes bytes: UnsafeRawBufferPointer) throws(SSZError) {
        elements = try SSZElements.decode(bytes, exactCount: nil, maxCount: nil)
    }

    /// `merkleize_progressive` of the packed basic elements (or the element roots), with the
    /// element count mixed in.
    @inlinable
    public func hashTreeRoot() -> SSZRoot {
        Merkleizer.mixInLength(SSZElements.merkleizeProgressive(elements), elements.count)
    }
}
