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

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { elements.count }
    @inlinable public subscript(position: Int) -> Element {
        get { elements[position] }
        set { elements[position] = newValue }
    }
}

extension ProgressiveList: Equatable where Element: Equatable {}
extension ProgressiveList: Hashable where Element: Hashable {}

extension ProgressiveList: SSZEncodable, SSZDecodable, SSZMerkleizable {
    @inlinable public static var sszFixedSize: Int? { nil }
    @inlinable public var sszEncodedLength: Int { SSZElements.encodedLength(elements) }
    @inlinable public func encodeSSZ(into writer: inout SSZWriter) { SSZElements.encode(elements, into: &writer) }

    @inlinable
    public init(sszBytes bytes: UnsafeRawBufferPointer) throws(SSZError) {
        elements = try SSZElements.decode(bytes, exactCount: nil, maxCount: nil)
    }

    @inlinable
    public func hashTreeRoot() -> SSZRoot {
        Merkleizer.mixInLength(SSZElements.merkleizeProgressive(elements), elements.count)
    }
}
