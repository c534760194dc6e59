import Crypto
import Foundation
import LibP2P
import LibP2PCore
import NIOCore

/// The stream protocols both sides of the interop tests serve, and helpers to drive them.
enum InteropFixtures {
    static let echo = "/interop/echo/1.0.0"
    static let sha256 = "/interop/sha256/1.0.0"
    static let control = "/interop/control/1.0.0"

    static var handlers: P2PStreamHandlers {
        [
            echo: { stream in
                do {
                    for try await buffer in stream { try await stream.write(buffer) }
                    try await stream.closeWrite()
                } catch {
                    await stream.reset()
                }
            },
            sha256: { stream in
                do {
                    var hasher = SHA256()
                    for try await buffer in stream {
                        buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                    }
                    try await stream.write(ByteBuffer(string: hex(hasher.finalize())))
                    try await stream.closeWrite()
                } catch {
                    await stream.reset()
                }
            },
        ]
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    /// A deterministic payload (the same formula as py_peer.py's `payload_of`).
    static func payload(_ size: Int, seed: Int = 0) -> [UInt8] {
        let pattern = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7 &+ seed) }
        var out = [UInt8]()
        out.reserveCapacity(size)
        while out.count < size { out += pattern.prefix(size - out.count) }
        return out
    }

    static func readAll(_ stream: P2PStream) async throws -> [UInt8] {
        var out: [UInt8] = []
        for try await buffer in stream { out += buffer.readableBytesView }
        return out
    }

    /// Writes `payload` in 1 MiB pieces and half-closes.
    static func writeAll(_ stream: P2PStream, _ payload: [UInt8]) async throws {
        var offset = 0
        while offset < payload.count {
            let end = min(offset + (1 << 20), payload.count)
            try await stream.write(ByteBuffer(bytes: payload[offset..<end]))
            offset = end
        }
        try await stream.closeWrite()
    }

    /// Echo round trip on one stream, reading while writing.
    static func echoRoundTrip(_ connection: P2PConnection, _ payload: [UInt8]) async throws -> Bool {
        let stream = try await connection.openStream(protocol: echo)
        async let received = readAll(stream)
        try await writeAll(stream, payload)
        return try await received == payload
    }

    /// Sends `payload` on `/interop/sha256/1.0.0`; returns whether the peer's digest matches
    /// and how long it took.
    static func sha256Transfer(_ connection: P2PConnection, _ payload: [UInt8]) async throws -> (Bool, Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        let stream = try await connection.openStream(protocol: sha256)
        async let answer = readAll(stream)
        try await writeAll(stream, payload)
        let digest = String(decoding: try await answer, as: UTF8.self)
        return (digest == hex(SHA256.hash(data: payload)), clock.now - start)
    }

    /// `count` concurrent echo streams of `size` bytes each; returns how many came back intact.
    static func parallelEcho(_ connection: P2PConnection, count: Int, size: Int) async throws -> Int {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<count {
                group.addTask { try await echoRoundTrip(connection, payload(size, seed: i)) }
            }
            var intact = 0
            for try await ok in group where ok { intact += 1 }
            return intact
        }
    }

    /// Sends one control request to a py host and returns its JSON result lines.
    static func control(_ connection: P2PConnection, _ request: [String: Any]) async throws -> [[String: Any]] {
        let stream = try await connection.openStream(protocol: control)
        async let answer = readAll(stream)
        try await stream.write(ByteBuffer(string: try JSON.encode(request)))
        try await stream.closeWrite()
        let text = String(decoding: try await answer, as: UTF8.self)
        return try text.split(separator: "\n").map { try JSON.object(String($0)) }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
