import NIOCore

/// Reads a ``P2PStream`` in exact amounts or to its end, with a limit (a stream can be
/// iterated only once: make one reader per stream).
public struct P2PStreamReader {
    private var iterator: P2PStream.AsyncIterator
    private var buffered: [UInt8] = []
    private var ended = false

    /// A reader of `stream`'s inbound bytes.
    public init(_ stream: P2PStream) { iterator = stream.makeAsyncIterator() }

    /// Exactly `count` bytes; `nil` if the stream ends cleanly before any of them arrived.
    /// Throws ``P2PStreamReaderError/truncated`` when it ends in the middle.
    public mutating func read(exactly count: Int) async throws -> [UInt8]? {
        while buffered.count < count, !ended {
            if let next = try await iterator.next() { buffered += next.readableBytesView } else { ended = true }
        }
        if buffered.count >= count {
            let out = Array(buffered.prefix(count))
            buffered.removeFirst(count)
            return out
        }
        if buffered.isEmpty { return nil }
        throw P2PStreamReaderError.truncated
    }

    /// Everything until the peer half-closes; throws ``P2PStreamReaderError/tooLong(_:)`` past
    /// `limit` bytes (without reading further).
    public mutating func readToEnd(limit: Int) async throws -> [UInt8] {
        while !ended {
            guard buffered.count <= limit else { throw P2PStreamReaderError.tooLong(limit) }
            if let next = try await iterator.next() { buffered += next.readableBytesView } else { ended = true }
        }
        guard buffered.count <= limit else { throw P2PStreamReaderError.tooLong(limit) }
        let out = buffered
        buffered = []
        return out
    }
}

/// Why a ``P2PStreamReader`` read failed.
public enum P2PStreamReaderError: Error, Equatable, Sendable {
    /// The stream ended in the middle of an expected message.
    case truncated
    /// The peer sent more than the limit.
    case tooLong(Int)
}
