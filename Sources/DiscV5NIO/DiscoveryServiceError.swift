import DiscV5

/// Why a request of a ``DiscoveryService`` failed.
public enum DiscoveryServiceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The service is not running.
    case notRunning
    /// The bound socket has no IP address (e.g. a Unix socket).
    case unsupportedAddress
    /// The UDP socket could not be bound to `host`:`port` (e.g. another socket holds the port).
    case bindFailed(host: String, port: Int, reason: String)
    /// The request failed (timeout, or it could not be sent).
    case requestFailed(RequestFailure)
    /// The local record could not be built.
    case invalidRecord(String)

    /// A one-line lowercase explanation, for logs and CLI output.
    public var description: String {
        switch self {
        case .notRunning: "the discovery service is not running"
        case .unsupportedAddress: "the bound socket has no IP address"
        case .bindFailed(let host, let port, let reason): "cannot bind UDP \(host):\(port): \(reason)"
        case .requestFailed(let failure): "request failed: \(failure)"
        case .invalidRecord(let reason): "invalid local record: \(reason)"
        }
    }
}
