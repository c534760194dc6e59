#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix
import Testing
@testable import LibP2P

/// The red team's blocker: `.socketOption(.tcp_nodelay)` set `SOL_SOCKET` option 1, which is
/// `SO_DEBUG`; an unprivileged process got `EACCES` and every connection closed, and as root
/// Nagle's algorithm silently stayed on. Read back from the kernel on both ends here.
@Suite(.timeLimit(.minutes(1))) struct SocketOptionTests {
    @Test func bothEndsOfAConnectionHaveTCPNoDelayAndNotSODebug() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let server = try TCPLoopbackTests.transport(UpgradeHarness.listenerIdentity, staticSeed: 31, group: group)
        let listener = try await server.listen(host: "127.0.0.1", port: 0)
        let client = try TCPLoopbackTests.transport(UpgradeHarness.dialerIdentity, staticSeed: 32, group: group)
        let dialed = try await client.dial(host: "127.0.0.1", port: listener.localPort,
                                           expectedPeer: UpgradeHarness.listenerIdentity.peerID)
        var accepted = listener.connections.makeAsyncIterator()
        let inbound = try #require(await accepted.next())
        for connection in [dialed, inbound] {
            #expect(try await connection.channel.getOption(.tcpOption(.tcp_nodelay)) == 1)
            #expect(try await connection.channel.getOption(.socketOption(NIOBSDSocket.Option(rawValue: SO_DEBUG))) == 0)
        }
        await dialed.close()
        await listener.close()
    }
}
