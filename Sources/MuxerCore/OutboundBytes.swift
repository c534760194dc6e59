/// Bytes a muxer hands to the secure channel, as pieces: small writes (frame headers, control
/// frames, short stream chunks) are joined into arrays of their own, while a stream chunk of at
/// least ``sharingThreshold`` bytes stays a slice of the array it was written in, so a 40 KB
/// message reaches the cipher without being copied into a muxer frame first.
///
/// The pieces are in order; their concatenation is the byte stream to send.
public struct OutboundBytes: Sendable {
    /// Pieces complete so far.
    @usableFromInline var completed: [ArraySlice<UInt8>] = []
    /// Small bytes still being joined, after every completed piece.
    @usableFromInline var joining: [UInt8] = []
    @usableFromInline var byteCount = 0

    /// Bytes in all pieces.
    public var count: Int { byteCount }

    /// Slices at least this long are shared rather than copied; below it, joining costs less than
    /// a piece of their own (each piece is at least one Noise frame with a 16-byte tag).
    public static let sharingThreshold = 1024

    /// No bytes.
    public init() {}

    /// Bytes already in one array (what an mplex session produces).
    public init(_ bytes: [UInt8]) {
        joining = bytes
        byteCount = bytes.count
    }

    /// Whether there are no bytes.
    public var isEmpty: Bool { count == 0 }

    /// Appends `bytes` by copying them into the joining piece.
    @inlinable
    public mutating func append(contentsOf bytes: some Collection<UInt8>) {
        joining.append(contentsOf: bytes)
        byteCount += bytes.count
    }

    /// Appends `slice`, kept as a piece of its own (sharing its storage) when it is at least
    /// ``sharingThreshold`` bytes long, copied into the joining piece otherwise.
    @inlinable
    public mutating func append(sharing slice: ArraySlice<UInt8>) {
        guard slice.count >= Self.sharingThreshold else {
            append(contentsOf: slice)
            return
        }
        closeJoiningPiece()
        completed.append(slice)
        byteCount += slice.count
    }

    /// Lets `body` append to the joining piece in place (for encoders that write into an array).
    @inlinable
    public mutating func appendInPlace(_ body: (inout [UInt8]) -> Void) {
        let before = joining.count
        body(&joining)
        byteCount += joining.count - before
    }

    @usableFromInline mutating func closeJoiningPiece() {
        guard !joining.isEmpty else { return }
        completed.append(joining[...])
        joining = []
    }

    /// The pieces, in order.
    public var pieces: [ArraySlice<UInt8>] {
        joining.isEmpty ? completed : completed + [joining[...]]
    }

    /// All bytes in one array (a copy of the shared pieces).
    public var joined: [UInt8] {
        guard !completed.isEmpty else { return joining }
        var out: [UInt8] = []
        out.reserveCapacity(count)
        for piece in completed { out.append(contentsOf: piece) }
        out.append(contentsOf: joining)
        return out
    }
}
