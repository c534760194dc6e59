/// Reads the items of an RLP list (or a top-level sequence) in place: payloads come back as
/// slices of the input, sharing its storage, so nothing is copied.
///
/// Every item read is checked for canonical form; ``readEncodedItem()`` also validates the
/// whole nested structure of the item it returns.
public struct RLPReader: Sendable {
    /// The bytes this reader covers (indices are those of the original input).
    public let source: ArraySlice<UInt8>
    /// Index of the next item in ``source``.
    public private(set) var position: Int
    /// List nesting of the items this reader returns (the top level is 0).
    public let depth: Int
    /// The bounds on depth, item count and input length this reader and its sub-readers enforce.
    public let limits: RLPLimits

    /// A reader over a sequence of items filling `bytes`.
    public init(_ bytes: ArraySlice<UInt8>, limits: RLPLimits = .default, depth: Int = 0) {
        self.source = bytes
        self.position = bytes.startIndex
        self.limits = limits
        self.depth = depth
    }

    /// A reader over the elements of the single list that spans all of `input`.
    public init(list input: ArraySlice<UInt8>, limits: RLPLimits = .default) throws(RLPError) {
        guard input.count <= limits.maximumInputLength else { throw RLPError(.inputTooLong, at: input.startIndex) }
        guard !input.isEmpty else { throw RLPError(.truncated, at: input.startIndex) }
        var outer = RLPReader(input, limits: limits)
        self = try outer.readList()
        try outer.expectEnd()
    }

    /// The bytes still to read.
    @inlinable public var remaining: ArraySlice<UInt8> { source[position...] }

    /// Whether all items have been read.
    @inlinable public var isAtEnd: Bool { position == source.endIndex }

    /// The header of the next item, without consuming it.
    public func peek() throws(RLPError) -> RLPHeader {
        guard !isAtEnd else { throw RLPError(.endOfList, at: position) }
        return try RLPHeader.parse(source, at: position)
    }

    /// Reads a byte string and returns its payload.
    public mutating func readBytes() throws(RLPError) -> ArraySlice<UInt8> {
        let header = try peek()
        guard !header.isList else { throw RLPError(.expectedBytes, at: header.start) }
        position = header.end
        return source[header.payloadStart..<header.end]
    }

    /// Reads a canonical unsigned integer (minimal big-endian, at most 8 bytes).
    public mutating func readUInt64() throws(RLPError) -> UInt64 {
        try RLP.uint64(fromMinimalBigEndian: readBytes())
    }

    /// Reads a list and returns a reader over its elements.
    public mutating func readList() throws(RLPError) -> RLPReader {
        let header = try peek()
        guard header.isList else { throw RLPError(.expectedList, at: header.start) }
        guard depth < limits.maximumDepth else { throw RLPError(.depthLimitExceeded, at: header.start) }
        position = header.end
        return RLPReader(source[header.payloadStart..<header.end], limits: limits, depth: depth + 1)
    }

    /// Reads any item and returns its whole encoding (header included), after validating that it
    /// and everything nested in it is canonical and within the limits.
    public mutating func readEncodedItem() throws(RLPError) -> ArraySlice<UInt8> {
        let header = try peek()
        var budget = limits.maximumItemCount
        let item = source[header.start..<header.end]
        try RLP.validate(item, header, depth: depth, limits: limits, budget: &budget)
        position = header.end
        return item
    }

    /// Throws ``RLPError/Code/trailingBytes`` unless every item has been read.
    public func expectEnd() throws(RLPError) {
        guard isAtEnd else { throw RLPError(.trailingBytes, at: position) }
    }
}
