import DiscV5

/// Why a request of a ``DiscoveryService`` failed.
public enum DiscoveryServiceError: Error, Equatable, Sendable {
    /// The service is not running.
    case notRunning
    /// The bound socket has no IP address (e.g. a Unix socket).
    case unsupportedAddress
    /// The request failed (timeout, or it could not be sent).
    case requestFailed(RequestFailure)
    /// The local record could not be built.
    case invalidRecord(String)
}
