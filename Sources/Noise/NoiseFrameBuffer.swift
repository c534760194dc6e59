/// Incremental reader of libp2p Noise frames (`u16 big-endian length ‖ message`): buffers
/// received bytes and hands out a frame only once all of it is present.
struct NoiseFrameBuffer: Sendable {
    private var buffer: [UInt8] = []
    private var readIndex = 0

    init(_ initial: [UInt8] = []) {
        buffer = initial
    }

    mutating func append(_ bytes: some Sequence<UInt8>) {
        compactIfWorthwhile()
        buffer.append(contentsOf: bytes)
    }

    /// Number of buffered bytes not yet returned as frames.
    var bufferedCount: Int { buffer.count - readIndex }

    /// The next complete frame's message, or `nil` when it is not all there yet.
    mutating func nextFrame() -> ArraySlice<UInt8>? {
        guard buffer.count - readIndex >= 2 else { return nil }
        let length = Int(buffer[readIndex]) << 8 | Int(buffer[readIndex + 1])
        let start = readIndex + 2
        guard buffer.count - start >= length else { return nil }
        readIndex = start + length
        return buffer[start..<readIndex]
    }

    /// Takes every unread byte (they belong to whoever reads after the handshake).
    mutating func takeRemaining() -> [UInt8] {
        let rest = Array(buffer[readIndex...])
        buffer = []
        readIndex = 0
        return rest
    }

    private mutating func compactIfWorthwhile() {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        } else if readIndex >= 1 << 16 && readIndex * 2 >= buffer.count {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
    }

    /// Appends `message` as one frame; the caller guarantees `message.count <= 65535`.
    static func appendFrameHeader(length: Int, to out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: length >> 8))
        out.append(UInt8(truncatingIfNeeded: length))
    }
}
