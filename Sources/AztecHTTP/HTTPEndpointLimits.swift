/// The limits every HTTP endpoint of the node enforces (JSON-RPC and metrics alike).
///
/// The defaults are set for an endpoint that hostile clients can reach: a client that sends a
/// request one byte a second (slowloris) is disconnected when ``headerTimeout`` or ``bodyTimeout``
/// runs out, a flood of connections stops at ``maxConnections`` (further ones wait in the kernel's
/// accept queue) and at ``maxConnectionsPerAddress`` from one IP address (further ones are closed at
/// once), and at most ``maxConcurrentRequests`` requests are worked on at a time.
public struct HTTPEndpointLimits: Sendable, Hashable {
    /// Open connections at most; the server stops accepting while it has this many. Default 256.
    public var maxConnections: Int
    /// Open connections from one IP address at most; more are closed on arrival. Default 32.
    public var maxConnectionsPerAddress: Int
    /// Time a connection has to send a request's head: from its opening, and again from the end of
    /// each response (so it is also how long an idle keep-alive connection is kept). Default 10 s.
    public var headerTimeout: Duration
    /// Time from a request's head to the end of its body. Default 10 s.
    public var bodyTimeout: Duration
    /// Bytes of a request's head (request line and header fields) at most. Default 16 KiB.
    public var maxHeaderBytes: Int
    /// Header fields in a request at most. Default 64.
    public var maxHeaderFields: Int
    /// Bytes of a request body at most; a larger one gets HTTP 413 and the connection is closed.
    /// Default 1 MiB (the largest transaction, hex-encoded, in a JSON-RPC request fits).
    public var maxBodyBytes: Int
    /// Requests worked on at once across all connections; more wait their turn. Default 16.
    public var maxConcurrentRequests: Int

    /// Limits with the given values; every one defaults to the value documented on its property.
    public init(maxConnections: Int = 256, maxConnectionsPerAddress: Int = 32, headerTimeout: Duration = .seconds(10),
                bodyTimeout: Duration = .seconds(10), maxHeaderBytes: Int = 16 * 1024, maxHeaderFields: Int = 64,
                maxBodyBytes: Int = 1 << 20, maxConcurrentRequests: Int = 16) {
        self.maxConnections = maxConnections
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderFields = maxHeaderFields
        self.maxBodyBytes = maxBodyBytes
        self.maxConcurrentRequests = maxConcurrentRequests
    }
}
