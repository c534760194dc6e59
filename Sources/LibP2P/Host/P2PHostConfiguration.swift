/// The parameters of a ``P2PHost``.
public struct P2PHostConfiguration: Sendable {
    /// Muxers offered (dialing) or accepted (listening), most preferred first.
    public var muxers: [MuxerProtocol]
    /// Limits of the muxers once negotiated.
    public var muxerConfiguration: MuxerConfiguration
    /// Caps on inbound, outbound and pending connections.
    public var limits: ConnectionLimits
    /// The whole upgrade (multistream, Noise, muxer) must finish within this time.
    public var handshakeTimeout: Duration
    /// The identify protocols' prefix: `/ipfs` gives `/ipfs/id/1.0.0` and `/ipfs/id/push/1.0.0`;
    /// Aztec nodes use `/aztec` (`/aztec/id/1.0.0`).
    public var identifyProtocolPrefix: String
    /// Sent in identify as `agentVersion`: set by whoever builds the host (an application's
    /// name and version); ``defaultAgentVersion`` otherwise.
    public var agentVersion: String
    /// Sent in identify as `protocolVersion`.
    public var protocolVersion: String
    /// Whether every new connection is identified at once (results in ``P2PHost/identifyInfo(of:)``
    /// and the ``P2PHostEvent/identified(_:_:)`` event).
    public var identifyOnConnect: Bool
    /// Limits on identify messages received.
    public var identifyLimits: IdentifyLimits
    /// Identify and ping exchanges must finish within this time.
    public var requestTimeout: Duration

    /// Creates a configuration: yamux preferred, `/ipfs` identify, identify on connect.
    public init(
        muxers: [MuxerProtocol] = [.yamux, .mplex], muxerConfiguration: MuxerConfiguration = .init(),
        limits: ConnectionLimits = .init(), handshakeTimeout: Duration = .seconds(10),
        identifyProtocolPrefix: String = "/ipfs", agentVersion: String = P2PHostConfiguration.defaultAgentVersion,
        protocolVersion: String = "ipfs/0.1.0", identifyOnConnect: Bool = true,
        identifyLimits: IdentifyLimits = .default, requestTimeout: Duration = .seconds(10)
    ) {
        self.muxers = muxers
        self.muxerConfiguration = muxerConfiguration
        self.limits = limits
        self.handshakeTimeout = handshakeTimeout
        self.identifyProtocolPrefix = identifyProtocolPrefix
        self.agentVersion = agentVersion
        self.protocolVersion = protocolVersion
        self.identifyOnConnect = identifyOnConnect
        self.identifyLimits = identifyLimits
        self.requestTimeout = requestTimeout
    }

    /// The agent string of a host whose builder set none: the executable's file name (as
    /// go-libp2p names a host after the program's main module), `libp2p-host` if it has none.
    public static var defaultAgentVersion: String {
        let name = CommandLine.arguments.first?.split(separator: "/").last.map(String.init) ?? ""
        return name.isEmpty ? "libp2p-host" : name
    }

    /// `<prefix>/id/1.0.0`.
    public var identifyProtocolID: String { identifyProtocolPrefix + "/id/1.0.0" }
    /// `<prefix>/id/push/1.0.0`.
    public var identifyPushProtocolID: String { identifyProtocolPrefix + "/id/push/1.0.0" }
    /// `/ipfs/ping/1.0.0`.
    public static let pingProtocolID = "/ipfs/ping/1.0.0"
    /// The ping payload size.
    public static let pingSize = 32

    /// Checks the invariants once: a prefix starting with `/` and not ending with one, a
    /// positive request timeout.
    public func validated() throws(ConnectionUpgradeError) -> Self {
        guard identifyProtocolPrefix.hasPrefix("/"), !identifyProtocolPrefix.hasSuffix("/") else {
            throw .invalidConfiguration("identify prefix must look like /ipfs")
        }
        guard requestTimeout > .zero else { throw .invalidConfiguration("non-positive request timeout") }
        _ = try limits.validated()
        return self
    }
}
