import LibP2P
import NIOCore

/// Which connection an inbound stream belongs to: the remote peer id and the remote socket
/// address together name one TCP connection, and both a `P2PConnection` and each of its
/// `P2PStream`s carry them.
struct StreamOwner: Hashable, Sendable {
    let peer: [UInt8]
    let address: SocketAddress?

    init(_ connection: P2PConnection) {
        peer = connection.remotePeerID
        address = connection.channel.remoteAddress
    }

    init(_ stream: P2PStream) {
        peer = stream.remotePeerID
        address = stream.remoteAddress
    }
}
