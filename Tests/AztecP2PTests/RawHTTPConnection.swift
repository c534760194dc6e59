import Foundation
import NIOCore
import NIOPosix

/// A TCP client that writes raw bytes and reads what comes back, to drive the HTTP endpoints as a
/// hostile client would (pipelining, trickling, flooding, garbage).
struct RawHTTPConnection {
    let channel: any Channel
    let inbound: AsyncStream<ByteBuffer>

    /// Connects to `127.0.0.1:port`, from `source` (another loopback address stands for another client host).
    static func connect(port: Int, from source: String = "127.0.0.1") async throws -> RawHTTPConnection {
        let (inbound, continuation) = AsyncStream<ByteBuffer>.makeStream()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(to: try SocketAddress(ipAddress: source, port: 0))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(continuation: continuation))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawHTTPConnection(channel: channel, inbound: inbound)
    }

    /// Hands every read to the stream; ends it when the connection closes.
    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let continuation: AsyncStream<ByteBuffer>.Continuation

        init(continuation: AsyncStream<ByteBuffer>.Continuation) { self.continuation = continuation }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) { continuation.yield(unwrapInboundIn(data)) }
        func channelInactive(context: ChannelHandlerContext) { continuation.finish() }
        func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
    }

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text))
    }

    /// Reads until `done` holds for everything read so far, or the server closes; returns what was read.
    func read(until done: (String) -> Bool = { _ in false }) async throws -> (text: String, closed: Bool) {
        var text = ""
        for await chunk in inbound {
            text += String(buffer: chunk)
            if done(text) { return (text, false) }
        }
        return (text, true)
    }

    /// Reads until `count` complete responses with `content-length` bodies have arrived.
    func readResponses(_ count: Int) async throws -> [String] {
        let (text, _) = try await read { Self.split($0).count >= count }
        return Self.split(text)
    }

    func close() { channel.close(promise: nil) }

    /// Complete responses in `text` (each ends after its `content-length` bytes of body).
    static func split(_ text: String) -> [String] {
        var responses: [String] = []
        var rest = Substring(text)
        while let headEnd = rest.range(of: "\r\n\r\n") {
            let head = rest[..<headEnd.lowerBound].lowercased()
            let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            let body = rest[headEnd.upperBound...]
            guard body.utf8.count >= length else { break }
            let end = body.utf8.index(body.startIndex, offsetBy: length)
            responses.append(String(rest[..<end]))
            rest = rest[end...]
        }
        return responses
    }
}
