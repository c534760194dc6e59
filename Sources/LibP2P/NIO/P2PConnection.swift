import LibP2PCore
import NIOCore

/// An established libp2p connection on a SwiftNIO channel.
public final class P2PConnection: Sendable {
    /// The authenticated remote peer id (multihash bytes).
    public let remotePeerID: [UInt8]
    /// The remote's libp2p `PublicKey` protobuf.
    public let remoteIdentityKey: [UInt8]
    /// The negotiated muxer.
    public let muxer: MuxerProtocol
    /// Whether this side dialed.
    public let isDialer: Bool
    /// The underlying channel.
    public let channel: any Channel
    private let handler: NIOLoopBound<P2PConnectionHandler>

    init(
        remotePeerID: [UInt8], remoteIdentityKey: [UInt8], muxer: MuxerProtocol, isDialer: Bool,
        channel: any Channel, handler: NIOLoopBound<P2PConnectionHandler>
    ) {
        self.remotePeerID = remotePeerID
        self.remoteIdentityKey = remoteIdentityKey
        self.muxer = muxer
        self.isDialer = isDialer
        self.channel = channel
        self.handler = handler
    }

    /// The authenticated remote peer (`nil` only if its id bytes are not a valid peer id,
    /// which the handshake's verifier never returns).
    public var remotePeer: PeerID? { try? PeerID(multihashBytes: remotePeerID) }

    /// The remote socket address as a multiaddr (`/ip4|ip6/…/tcp/…`).
    public var remoteAddress: Multiaddr? { channel.remoteAddress.flatMap { Multiaddr(tcp: $0) } }

    /// The local socket address as a multiaddr.
    public var localAddress: Multiaddr? { channel.localAddress.flatMap { Multiaddr(tcp: $0) } }

    /// Whether the connection is still open.
    public var isActive: Bool { channel.isActive }

    /// Opens a stream and negotiates `protocolID` on it with multistream-select.
    public func openStream(protocol protocolID: String) async throws -> P2PStream {
        try await openStreamFuture(protocol: protocolID).get()
    }

    /// ``openStream(protocol:)`` as a future (for event-loop-driven code and tests).
    public func openStreamFuture(protocol protocolID: String) -> EventLoopFuture<P2PStream> {
        let handler = self.handler
        // A closed channel may belong to an event loop group that has shut down: a task submitted
        // there would never run (and its promise would leak), so answer without scheduling.
        guard channel.isActive else { return handler.eventLoop.makeFailedFuture(P2PError.connectionClosed) }
        return handler.eventLoop.flatSubmit { handler.value.openStream(protocol: protocolID) }
    }

    /// Closes gracefully: a yamux go-away, pending bytes flushed, then the socket closed.
    public func close() async {
        let handler = self.handler
        // Already closed (possibly with its event loop group shut down): nothing to schedule.
        guard channel.isActive else { return }
        try? await handler.eventLoop.flatSubmit { handler.value.closeGracefully() }.get()
    }

    /// Completes when the channel is closed.
    public var closeFuture: EventLoopFuture<Void> { channel.closeFuture }
}
