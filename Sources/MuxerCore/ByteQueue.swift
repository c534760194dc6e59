/// A FIFO of bytes kept as the chunks they were written in, drained from the front without
/// shifting the remaining bytes. Not a `Deque<UInt8>`: a 40 KB write stays one array, which a
/// muxer drains into ``OutboundBytes`` as a slice, without copying it.
public struct ByteQueue: Sendable {
    @usableFromInline var chunks: [[UInt8]] = []
    @usableFromInline var head = 0
    @usableFromInline var offsetInHead = 0
    @usableFromInline var queued = 0

    /// Bytes queued.
    public var count: Int { queued }

    /// An empty queue.
    public init() {}

    /// Whether no bytes are queued.
    public var isEmpty: Bool { count == 0 }

    /// Small writes are merged into the last chunk up to this size, so that many tiny writes do
    /// not cost one array each.
    public static let coalescingLimit = 16 * 1024

    /// Queues `bytes` behind what is already queued.
    @inlinable
    public mutating func append(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        queued += bytes.count
        let last = chunks.count - 1
        if last >= head, chunks[last].count + bytes.count <= ByteQueue.coalescingLimit {
            chunks[last].append(contentsOf: bytes)
        } else {
            chunks.append(bytes)
        }
    }

    /// Moves `n` bytes (at most `count`) from the front of the queue to the end of `buffer`.
    @inlinable
    public mutating func drain(_ n: Int, into buffer: inout [UInt8]) {
        drain(n) { buffer.append(contentsOf: $0) }
    }

    /// Moves `n` bytes (at most `count`) from the front of the queue to the end of `bytes`,
    /// sharing the storage of long chunks instead of copying them.
    @inlinable
    public mutating func drain(_ n: Int, into bytes: inout OutboundBytes) {
        drain(n) { bytes.append(sharing: $0) }
    }

    @inlinable
    mutating func drain(_ n: Int, _ take: (ArraySlice<UInt8>) -> Void) {
        var remaining = min(n, queued)
        queued -= remaining
        while remaining > 0 {
            let chunk = chunks[head]
            let length = min(remaining, chunk.count - offsetInHead)
            take(chunk[offsetInHead..<(offsetInHead + length)])
            remaining -= length
            offsetInHead += length
            if offsetInHead == chunk.count {
                chunks[head] = []
                head += 1
                offsetInHead = 0
            }
        }
        if head == chunks.count {
            chunks.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 32, head * 2 > chunks.count {
            chunks.removeFirst(head)
            head = 0
        }
    }
}
