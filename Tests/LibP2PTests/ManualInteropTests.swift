import Crypto
import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import LibP2P

/// Dials an external peer (scripts/interop/py_peer.py) given as `LIBP2P_INTEROP_PEER=host:port`.
/// Skipped (visibly) without that variable; the interop harness proper comes later.
@Suite(.timeLimit(.minutes(1))) struct ManualInteropTests {
    static let target = ProcessInfo.processInfo.environment["LIBP2P_INTEROP_PEER"]

    /// Progress to stderr (unbuffered: visible even if the run is killed).
    static func log(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func collectVerbose(_ stream: P2PStream) async throws -> [UInt8] {
        var out: [UInt8] = []
        for try await buffer in stream {
            out += buffer.readableBytesView
            if ProcessInfo.processInfo.environment["LIBP2P_INTEROP_VERBOSE"] != nil { log("interop: \(out.count) bytes") }
        }
        log("interop: end of stream after \(out.count) bytes")
        return out
    }

    @Test(.enabled(if: target != nil))
    func echoAndSHA256AgainstExternalPeer() async throws {
        let parts = try #require(Self.target?.split(separator: ":"))
        let host = String(parts[0])
        let port = try #require(Int(parts[1]))
        let muxers: [MuxerProtocol] = ProcessInfo.processInfo.environment["LIBP2P_INTEROP_MUXER"] == "mplex"
            ? [.mplex] : [.yamux, .mplex]
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let client = try TCPLoopbackTests.transport(
            UpgradeHarness.dialerIdentity, staticSeed: 41, muxers: muxers, group: group)
        let connection = try await client.dial(host: host, port: port)
        Self.log("interop: connected, muxer \(connection.muxer.protocolID), remote peer id \(connection.remotePeerID.count) bytes")

        let payload = (0..<(Int(ProcessInfo.processInfo.environment["LIBP2P_INTEROP_BYTES"] ?? "") ?? 200_000)).map { UInt8(truncatingIfNeeded: $0 &* 3) }
        let echo = try await connection.openStream(protocol: "/interop/echo/1.0.0")
        Self.log("interop: echo stream negotiated")
        async let echoed = Self.collectVerbose(echo)
        try await echo.write(ByteBuffer(bytes: payload))
        try await echo.closeWrite()
        Self.log("interop: echo written and closed")
        #expect(try await echoed == payload)

        let sha = try await connection.openStream(protocol: "/interop/sha256/1.0.0")
        async let answer = TCPLoopbackTests.collect(sha)
        try await sha.write(ByteBuffer(bytes: payload))
        try await sha.closeWrite()
        let expected = SHA256.hash(data: payload).map { String(format: "%02x", $0) }.joined()
        #expect(String(decoding: try await answer, as: UTF8.self) == expected)

        await connection.close()
        try await group.shutdownGracefully()
    }
}
