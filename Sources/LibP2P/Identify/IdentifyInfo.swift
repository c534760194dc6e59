import LibP2PCore

/// What a peer said about itself in identify, checked: its key matches the connection's
/// peer, addresses are valid multiaddrs (invalid ones are dropped, as other implementations do).
public struct IdentifyInfo: Sendable, Equatable {
    /// The peer's public key, when it sent one.
    public var publicKey: PublicKey?
    /// Where the peer listens.
    public var listenAddrs: [Multiaddr]
    /// The protocols the peer serves, as sent.
    public var protocols: [String]
    /// Where the peer sees us.
    public var observedAddr: Multiaddr?
    /// The peer's protocol version string (`ipfs/0.1.0`).
    public var protocolVersion: String?
    /// The peer's software (`py-libp2p/0.8.1`, ...).
    public var agentVersion: String?

    /// Checks `message` as sent by `peer`.
    public init(_ message: IdentifyMessage, from peer: PeerID) throws(IdentifyError) {
        if let raw = message.publicKey {
            let key: PublicKey
            do throws(KeyError) { key = try PublicKey(protobuf: raw) } catch { throw .badPublicKey(error) }
            guard peer.matches(key) else { throw .publicKeyMismatch }
            publicKey = key
        }
        listenAddrs = message.listenAddrs.compactMap { try? Multiaddr(bytes: $0) }
        protocols = message.protocols
        observedAddr = message.observedAddr.flatMap { $0.isEmpty ? nil : try? Multiaddr(bytes: $0) }
        protocolVersion = message.protocolVersion
        agentVersion = message.agentVersion
    }
}
