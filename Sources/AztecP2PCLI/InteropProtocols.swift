import Crypto
import LibP2P
import NIOCore

/// The test protocols `aztec-p2p listen` serves so interop peers can exercise our streams.
enum InteropProtocols {
    /// Echoes everything until the writer half-closes, then half-closes.
    static let echo = "/interop/echo/1.0.0"
    /// Reads until half-close, then answers the lowercase hex SHA-256 of what it read.
    static let sha256 = "/interop/sha256/1.0.0"

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
                    let hex = hasher.finalize().map { byte in
                        let digits = Array("0123456789abcdef".utf8)
                        return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 15)]], as: UTF8.self)
                    }.joined()
                    try await stream.write(ByteBuffer(string: hex))
                    try await stream.closeWrite()
                } catch {
                    await stream.reset()
                }
            },
        ]
    }
}
