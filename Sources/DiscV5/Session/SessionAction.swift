import ENR

/// Why a request failed.
public enum RequestFailure: Sendable, Equatable {
    /// No response after all retries.
    case timeout
    /// The request could not be encoded or the handshake could not be built.
    case failed(DiscV5Error)
}

/// What the caller must do after an event of ``SessionHandler``.
public enum SessionAction: Sendable, Equatable {
    /// Send `packet` as one UDP datagram to `endpoint`.
    case send(packet: [UInt8], to: Endpoint)
    /// A request from a node, to be answered with ``SessionHandler/sendResponse(_:to:using:)``.
    case request(Message, from: NodeAddress)
    /// A response to a request this node sent.
    case response(Message, from: NodeAddress)
    /// A session was established (`record` is the peer's record when known).
    case sessionEstablished(NodeAddress, record: NodeRecord?)
    /// A request failed; nothing more will come for it.
    case requestFailed(RequestID, to: NodeAddress, RequestFailure)
    /// An incoming packet was dropped (for metrics and logs; no reply is due).
    case dropped(from: Endpoint, DiscV5Error)
    /// A packet that decrypted under the session with `address` (so only that node can have sent
    /// it) carried a message that violates the protocol (``DiscV5Error/isProtocolViolation``).
    /// `nonce` identifies the packet: a replay of it repeats the nonce.
    case misbehaved(NodeAddress, DiscV5Error, nonce: [UInt8])
}
